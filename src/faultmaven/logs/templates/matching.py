"""Find the known template that covers a masked message, most specific template first."""

import re

from faultmaven.domain.logs import WILDCARD
from faultmaven.logs.templates.mining import Tokens


def template_pattern(tokens: Tokens) -> re.Pattern[str]:
    """Compile a template into a regex over its space-joined tokens; `<*>` spans one token part."""
    parts = []
    for token in tokens:
        pieces = token.split(WILDCARD)
        parts.append(r"\S+?".join(re.escape(piece) for piece in pieces))
    return re.compile(" ".join(parts))


class TemplateIndex:
    """Templates by token count, each with its compiled pattern, for matching new shapes."""

    def __init__(self) -> None:
        self._by_length: dict[int, dict[int, tuple[int, Tokens, re.Pattern[str]]]] = {}

    def add(self, ident: int, tokens: Tokens) -> None:
        """Index template `ident`; templates with more constant tokens are tried first."""
        constants = sum(WILDCARD not in token for token in tokens)
        entries = self._by_length.setdefault(len(tokens), {})
        entries[ident] = (constants, tokens, template_pattern(tokens))
        self._by_length[len(tokens)] = dict(
            sorted(entries.items(), key=lambda item: (-item[1][0], item[0]))
        )

    def remove(self, ident: int) -> None:
        """Stop matching template `ident` (it was generalised into another)."""
        for entries in self._by_length.values():
            entries.pop(ident, None)

    def match(self, tokens: Tokens) -> int | None:
        """Return the id of the most specific template covering `tokens`, or None."""
        entries = self._by_length.get(len(tokens))
        if not entries:
            return None
        text = " ".join(tokens)
        for ident, (_, _, pattern) in entries.items():
            if pattern.fullmatch(text):
                return ident
        return None

    def pattern(self, tokens: Tokens) -> re.Pattern[str]:
        """Return the compiled pattern of a template."""
        return template_pattern(tokens)

    def snapshot(self) -> list[tuple[int, Tokens]]:
        """Return the indexed templates (id, tokens) as they are now."""
        return [
            (ident, tokens)
            for entries in self._by_length.values()
            for ident, (_, tokens, _) in entries.items()
        ]
