"""Playbooks as failure signatures: their log regexes and templates name causes too.

The built-in signatures cover the commonest failures; the playbooks (bundled and a team's
own) cover many more, each with the exact messages real software writes. A playbook
becomes a `Signature` whose strength and causal rank follow its category, since a
playbook says what failed, not whether it is usually a cause or a consequence.
"""

import re
from collections.abc import Iterable, Mapping, Sequence

from faultmaven.domain.diagnosis import Category
from faultmaven.domain.knowledge import Playbook
from faultmaven.reasoning.signatures import Signature

PLAYBOOK_PREFIX = "playbook:"

# How early in a chain of failures each category usually sits (1: root cause .. 5: symptom),
# in line with the built-in signatures of the same categories.
CAUSAL_RANK: Mapping[Category, int] = {
    Category.MEMORY: 1,
    Category.DISK: 1,
    Category.HARDWARE: 1,
    Category.FILE_DESCRIPTORS: 2,
    Category.CPU: 2,
    Category.DNS: 2,
    Category.TLS: 2,
    Category.CLOCK: 2,
    Category.CONFIGURATION: 2,
    Category.DEPLOYMENT: 2,
    Category.SCHEDULING: 2,
    Category.CONNECTION_POOL: 3,
    Category.DATABASE: 3,
    Category.CODE_ERROR: 3,
    Category.DATA: 3,
    Category.PERMISSION: 3,
    Category.RATE_LIMIT: 4,
    Category.DEPENDENCY: 4,
    Category.UNKNOWN: 4,
    Category.NETWORK: 5,
}
# Failures seen by a client that live at the far end: a dependency down, a slow or
# unreachable network path, the server's certificate.
REMOTE_CATEGORIES = frozenset({Category.DEPENDENCY, Category.NETWORK, Category.TLS})
WEIGHT_BY_RANK: Mapping[int, float] = {1: 0.9, 2: 0.85, 3: 0.8, 4: 0.55, 5: 0.4}
# An unhandled exception or panic says that the code failed, not why: below any specific
# failure found beside it.
GENERIC_CRASH_WEIGHT = 0.6
_FIRST_SENTENCE = re.compile(r"^(.+?[.!?])(?=\s|$)")
_GLOBAL_FLAGS = re.compile(r"^\(\?[aiLmsux]+\)")


def signature_id(playbook_id: str) -> str:
    """Return the signature id that marks lines matched by a playbook."""
    return PLAYBOOK_PREFIX + playbook_id


def template_pattern(template: str) -> re.Pattern[str]:
    """Compile a mined-template signature (`... <*> ...`) into a regex over lines.

    A variable at either end adds nothing to a search but costs a scan per start position,
    so only the variables between constant parts become `.+?`.
    """
    parts = template.split("<*>")
    while len(parts) > 1 and not parts[0].strip():
        parts.pop(0)
    while len(parts) > 1 and not parts[-1].strip():
        parts.pop()
    return re.compile(".+?".join(re.escape(part) for part in parts))


def playbook_signature(playbook: Playbook) -> Signature | None:
    """Turn a playbook into a signature over lines; None when it has no line signatures."""
    regexes = [s.regex for s in playbook.signatures if s.regex is not None]
    patterns = _combined(regexes)
    patterns += [template_pattern(s.template) for s in playbook.signatures if s.template]
    if not patterns:
        return None
    rank = CAUSAL_RANK.get(playbook.category, 4)
    return Signature(
        id=signature_id(playbook.id),
        title=playbook.title,
        category=playbook.category,
        statement=_statement(playbook),
        patterns=tuple(patterns),
        next_steps=(),
        weight=GENERIC_CRASH_WEIGHT
        if playbook.category is Category.CODE_ERROR
        else WEIGHT_BY_RANK[rank],
        causal_rank=rank,
        remote=playbook.category in REMOTE_CATEGORIES,
    )


def playbook_signatures(playbooks: Iterable[Playbook]) -> tuple[Signature, ...]:
    """Every playbook that recognises lines, as signatures."""
    found = (playbook_signature(playbook) for playbook in playbooks)
    return tuple(signature for signature in found if signature is not None)


def match_texts(
    signatures: Sequence[Signature], texts_by_key: Mapping[str, Sequence[str]]
) -> dict[str, str]:
    """Map each key to the id of the first signature matching any of its texts.

    Failure signatures are tried before change signatures, strongest and most causal
    first, so a key that two playbooks recognise gets the more specific reading.
    """
    ordered = sorted(signatures, key=lambda s: (s.is_change, s.causal_rank, -s.weight, s.id))
    matched: dict[str, str] = {}
    for key, texts in texts_by_key.items():
        for signature in ordered:
            if any(signature.matches(text) for text in texts):
                matched[key] = signature.id
                break
    return matched


def _combined(regexes: Sequence[str]) -> list[re.Pattern[str]]:
    """Compile the regexes as one alternation (one search per line instead of many).

    A regex with global inline flags (`(?i)...`) cannot sit inside an alternation, so it
    keeps a pattern of its own.
    """
    flagged = [regex for regex in regexes if _GLOBAL_FLAGS.match(regex)]
    plain = [regex for regex in regexes if not _GLOBAL_FLAGS.match(regex)]
    patterns = [re.compile("|".join(f"(?:{regex})" for regex in plain))] if plain else []
    return patterns + [re.compile(regex) for regex in flagged]


def _statement(playbook: Playbook) -> str:
    """Say what failed, in the playbook's first sentence, and where."""
    found = _FIRST_SENTENCE.match(playbook.summary)
    sentence = found.group(1) if found else (playbook.summary or playbook.title)
    return f"{playbook.title} in {{component}}: {sentence}"
