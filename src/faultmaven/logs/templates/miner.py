"""The online template miner: known templates answer at once, new shapes are mined in batches."""

import hashlib
from array import array
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from faultmaven.domain.logs import WILDCARD, TemplateAssignment
from faultmaven.logs.templates.masking import (
    DIGITS_AS_ZERO,
    HexSpans,
    digit_key,
    hex_key_at,
    hex_word_spans,
    mask,
    masks_every_digit,
)
from faultmaven.logs.templates.matching import TemplateIndex
from faultmaven.logs.templates.mining import MiningSettings, Tokens, mine

STATE_VERSION = 1
_KEPT_HEX_SPANS = 4


@dataclass(frozen=True, slots=True)
class MinerConfig:
    """How the miner batches its work; the mining settings serve every log source alike.

    `batch_size` lines are read before the shapes no known template covers are mined
    together (`add_batch` mines at the end of each such slice; `add` when the count is
    reached). `max_cached_shapes` bounds the memory of distinct masked messages.
    """

    batch_size: int = 50_000
    max_cached_shapes: int = 200_000
    mining: MiningSettings = field(default_factory=MiningSettings)


@dataclass(frozen=True, slots=True)
class TemplateCount:
    """A template, its group id and how many messages it covers."""

    template: str
    group: str
    count: int


def group_of(template: str) -> str:
    """Return the stable group id of a template: a short hash of its text."""
    return hashlib.blake2b(template.encode("utf-8"), digest_size=6).hexdigest()


class TemplateMiner:
    """Assign each log message a template (variables as `<*>`) and a group derived from it.

    Messages are masked (numbers, ids, addresses... become `<*>`), then looked up among the
    shapes seen before; a shape no known template covers gets a provisional template (its
    masked form) and waits to be mined with the other new shapes of its batch. Mining only
    ever generalises a template: a provisional or older template is redirected to the mined
    template that covers it, so `final_assignments()` gives each message its final template.
    """

    def __init__(self, config: MinerConfig | None = None) -> None:
        self.config = config or MinerConfig()
        self._templates: list[Tokens] = []
        self._parent: list[int] = []
        self._counts: list[int] = []
        self._ids_by_tokens: dict[Tokens, int] = {}
        self._shapes: dict[str, int] = {}
        self._shapes_by_digit_key: dict[bytes, int] = {}
        self._hex_spans: list[HexSpans] = []
        self._pending: dict[str, int] = {}
        self._index = TemplateIndex()
        self._history = array("q")
        self._since_mining = 0

    def add(self, message: str) -> TemplateAssignment:
        """Add one message and return its current template (provisional if its shape is new)."""
        key = digit_key(message)
        template_id = self._shapes_by_digit_key.get(key)
        if template_id is None:
            template_id = self._shape_of(message, key)
        self._counts[template_id] += 1
        self._history.append(template_id)
        self._since_mining += 1
        if self._since_mining >= self.config.batch_size:
            self.flush()
        return self._assignment(self._root(template_id))

    def add_batch(self, messages: Iterable[str]) -> list[TemplateAssignment]:
        """Add messages, mine the new shapes among them, and return each one's template."""
        start = len(self._history)
        self.extend(messages)
        return self._assignments(self._history[start:])

    def extend(self, messages: Iterable[str]) -> None:
        """Add messages and mine the new shapes among them, like `add_batch`, returning nothing.

        `take_final_assignments` gives their templates, computed once for the whole take.
        """
        chunk: list[str] = []
        for message in messages:
            chunk.append(message)
            if len(chunk) >= self.config.batch_size:
                self._add_chunk(chunk)
                chunk = []
        if chunk:
            self._add_chunk(chunk)

    def flush(self) -> None:
        """Mine the shapes still waiting, so that every message has its final template."""
        self._since_mining = 0
        if not self._pending:
            self._forget_shapes_beyond_limit()
            return
        pending = self._pending
        self._pending = {}
        shapes = {self._templates[ident]: self._counts[ident] for ident in pending.values()}
        mined = mine(shapes, self.config.mining)
        older = self._index.snapshot()
        created: dict[Tokens, int] = {}
        for provisional in pending.values():
            template = mined[self._templates[provisional]]
            target = self._intern(template, created)
            if target != provisional:
                self._redirect(provisional, target)
        for tokens, ident in created.items():
            self._generalise(tokens, ident, older)
        self._forget_shapes_beyond_limit()

    def final_assignments(self) -> list[TemplateAssignment]:
        """Return every message added since the last take, in order, with its final template."""
        self.flush()
        return self._assignments(self._history)

    def take_final_assignments(self) -> list[TemplateAssignment]:
        """Mine what waits, return the messages added since the last take, and forget them.

        This keeps memory bounded on endless input. A later batch may still generalise a
        template returned here; `current(template)` tells what it has become.
        """
        taken = self.final_assignments()
        self._history = array("q")
        return taken

    def current(self, template: str) -> TemplateAssignment:
        """Return what a template this miner returned earlier has become (itself if unchanged)."""
        ident = self._ids_by_tokens.get(tuple(template.split(" ")))
        if ident is None:
            return TemplateAssignment(template, group_of(template))
        return self._assignment(self._root(ident))

    def templates(self) -> list[TemplateCount]:
        """Return the current templates with their group and message count, most frequent first."""
        totals: Counter[int] = Counter()
        for ident, count in enumerate(self._counts):
            if count:
                totals[self._root(ident)] += count
        return [
            TemplateCount(self._text(ident), group_of(self._text(ident)), count)
            for ident, count in totals.most_common()
        ]

    def export_state(self) -> dict[str, Any]:
        """Return the templates and counts as plain JSON-able data (mines pending shapes first)."""
        self.flush()
        return {
            "version": STATE_VERSION,
            "templates": [[entry.template, entry.count] for entry in self.templates()],
        }

    @classmethod
    def from_state(
        cls, state: Mapping[str, Any], config: MinerConfig | None = None
    ) -> "TemplateMiner":
        """Rebuild a miner from `export_state()` data; its templates match new messages."""
        if state.get("version") != STATE_VERSION:
            raise ValueError(f"unsupported template miner state version {state.get('version')!r}")
        miner = cls(config)
        for template, count in state["templates"]:
            ident = miner._intern(tuple(str(template).split()), {})
            miner._counts[ident] += int(count)
        return miner

    def _add_chunk(self, chunk: list[str]) -> None:
        identifiers: list[int] = []
        append = identifiers.append
        lookup = self._shapes_by_digit_key.get
        encode = str.encode
        for message in chunk:
            key = encode(message, "utf-8", "surrogatepass").translate(DIGITS_AS_ZERO)
            template_id = lookup(key)
            if template_id is None:
                template_id = self._shape_of(message, key)
            append(template_id)
        for ident, count in Counter(identifiers).items():
            self._counts[ident] += count
        self._history.extend(identifiers)
        self.flush()

    def _shape_of(self, message: str, key: bytes) -> int:
        template_id = self._known_hex_shape(key)
        if template_id is not None:
            return template_id
        spans = hex_word_spans(key)
        if spans:
            wider = hex_key_at(key, spans)
            assert wider is not None
            template_id = self._shapes_by_digit_key.get(wider)
            if spans not in self._hex_spans:
                self._hex_spans.insert(0, spans)
                del self._hex_spans[_KEPT_HEX_SPANS:]
            if template_id is not None:
                return template_id
            key = wider
        masked = mask(message)
        template_id = self._shapes.get(masked)
        if template_id is None:
            template_id = self._new_shape(masked)
        if masks_every_digit(masked):
            self._shapes_by_digit_key[key] = template_id
        return template_id

    def _known_hex_shape(self, key: bytes) -> int | None:
        """Find a digit key's shape by its hex key, reducing only where recent keys had hex words.

        Messages of one shape mostly hold their hex ids at the same places. Every key kept
        is a hex key, so finding the reduced key among them proves it is `hex_key(key)`
        (see `hex_key_at`) without scanning all of `key`.
        """
        lookup = self._shapes_by_digit_key.get
        for spans in self._hex_spans:
            wider = hex_key_at(key, spans)
            if wider is not None:
                template_id = lookup(wider)
                if template_id is not None:
                    return template_id
        return None

    def _new_shape(self, masked: str) -> int:
        tokens = tuple(masked.split())
        template_id = self._index.match(tokens)
        if template_id is None:
            template_id = self._create(tokens)
            self._pending[masked] = template_id
        self._shapes[masked] = template_id
        return template_id

    def _create(self, tokens: Tokens) -> int:
        ident = len(self._templates)
        self._templates.append(tokens)
        self._parent.append(ident)
        self._counts.append(0)
        return ident

    def _intern(self, tokens: Tokens, created: dict[Tokens, int]) -> int:
        ident = self._ids_by_tokens.get(tokens)
        if ident is not None:
            return self._root(ident)
        ident = self._create(tokens)
        self._ids_by_tokens[tokens] = ident
        self._index.add(ident, tokens)
        created[tokens] = ident
        return ident

    def _generalise(self, tokens: Tokens, ident: int, older: list[tuple[int, Tokens]]) -> None:
        """Redirect older templates that the new template `tokens` covers to it."""
        if WILDCARD not in " ".join(tokens):
            return
        pattern = self._index.pattern(tokens)
        for old_ident, old_tokens in older:
            if (
                old_ident != ident
                and len(old_tokens) == len(tokens)
                and self._root(old_ident) == old_ident
                and pattern.fullmatch(" ".join(old_tokens))
            ):
                self._redirect(old_ident, ident)

    def _redirect(self, source: int, target: int) -> None:
        self._parent[source] = target
        if self._ids_by_tokens.get(self._templates[source]) == source:
            self._index.remove(source)

    def _root(self, ident: int) -> int:
        parent = self._parent
        root = ident
        while parent[root] != root:
            root = parent[root]
        while parent[ident] != root:
            parent[ident], ident = root, parent[ident]
        return root

    def _text(self, ident: int) -> str:
        return " ".join(self._templates[ident])

    def _assignment(self, ident: int) -> TemplateAssignment:
        text = self._text(ident)
        return TemplateAssignment(text, group_of(text))

    def _assignments(self, identifiers: Iterable[int]) -> list[TemplateAssignment]:
        resolved: dict[int, TemplateAssignment] = {}
        by_root: dict[int, TemplateAssignment] = {}
        result: list[TemplateAssignment] = []
        for ident in identifiers:
            assignment = resolved.get(ident)
            if assignment is None:
                root = self._root(ident)
                assignment = by_root.get(root) or self._assignment(root)
                by_root[root] = resolved[ident] = assignment
            result.append(assignment)
        return result

    def _forget_shapes_beyond_limit(self) -> None:
        if len(self._shapes_by_digit_key) > self.config.max_cached_shapes:
            self._shapes_by_digit_key = {}
        if len(self._shapes) > self.config.max_cached_shapes:
            self._shapes = {
                masked: ident for masked, ident in self._shapes.items() if masked in self._pending
            }
