"""Find the templates of a batch of masked messages by token statistics (after Brain, 2023).

Messages are grouped by token count. Within one length, each (position, token) pair is
counted over the batch; a message's *root* is the set of its tokens that share the frequency
most of its tokens have (the longest common pattern), and messages with the same root form an
initial group. Each group is then split, column by column (fewest values first), on the
columns whose values look like constant words that tell templates apart: few distinct values,
or few for the number of lines, and not the value of a `key=` or `key:` (unless an upper-case
enum-like state) nor a name (after `user`, or a dotted name); a column of `key=value` tokens
also splits on its keys when those look like constant words (`phoneId=1`, `retVal=true`), or on
whether its field is empty (`rhost=` against `rhost=<*>`). The columns that still vary become
`<*>`, keeping the punctuation their values share (`user=<*>`, `(<*>)`).
"""

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from faultmaven.domain.logs import WILDCARD

Tokens = tuple[str, ...]
Member = tuple[Tokens, int]


@dataclass(frozen=True, slots=True)
class MiningSettings:
    """The few knobs of the statistical step; one setting serves every log source.

    A varying column of a group is taken as constant words (and the group split on it) when
    it has at most `max_constant_values` distinct values, or at most `max_value_ratio`
    distinct values per line of the group; otherwise it is a variable.
    """

    max_constant_values: int = 4
    max_value_ratio: float = 0.1


def mine(
    shapes: Mapping[Tokens, int], settings: MiningSettings | None = None
) -> dict[Tokens, Tokens]:
    """Map each distinct masked token sequence (with its line count) to its template tokens."""
    settings = settings or MiningSettings()
    by_length: dict[int, list[Member]] = defaultdict(list)
    for tokens, count in shapes.items():
        by_length[len(tokens)].append((tokens, count))
    templates: dict[Tokens, Tokens] = {}
    for members in by_length.values():
        templates.update(_mine_one_length(members, settings))
    return templates


def _mine_one_length(members: list[Member], settings: MiningSettings) -> dict[Tokens, Tokens]:
    frequency: Counter[tuple[int, str]] = Counter()
    for tokens, count in members:
        for pair in enumerate(tokens):
            frequency[pair] += count
    groups: dict[tuple[tuple[int, str], ...], list[Member]] = defaultdict(list)
    for tokens, count in members:
        groups[_root(tokens, frequency)].append((tokens, count))
    templates: dict[Tokens, Tokens] = {}
    for group in groups.values():
        for part, template in _split(group, settings):
            for tokens, _ in part:
                templates[tokens] = template
    return templates


def _root(tokens: Tokens, frequency: Counter[tuple[int, str]]) -> tuple[tuple[int, str], ...]:
    """Return the tokens sharing the frequency most tokens have (ties: the higher frequency)."""
    counts = [frequency[pair] for pair in enumerate(tokens)]
    tally = Counter(counts)
    root_count = max(tally, key=lambda value: (tally[value], value), default=0)
    return tuple(
        (position, token) for position, token in enumerate(tokens) if counts[position] >= root_count
    )


def _split(group: list[Member], settings: MiningSettings) -> list[tuple[list[Member], Tokens]]:
    """Split a group by constant-looking columns; return each part with its template."""
    if len(group) == 1:
        return [(group, group[0][0])]
    width = len(group[0][0])
    columns = [Counter(tokens[position] for tokens, _ in group) for position in range(width)]
    lines = sum(count for _, count in group)
    splitter = _splitter(columns, lines, settings)
    if splitter is not None:
        position, part_of = splitter
        parts: dict[str, list[Member]] = defaultdict(list)
        for member in group:
            parts[part_of(member[0][position])].append(member)
        result: list[tuple[list[Member], Tokens]] = []
        for part in parts.values():
            result.extend(_split(part, settings))
        return result
    template = tuple(
        next(iter(values)) if len(values) == 1 else merge_tokens(values) for values in columns
    )
    return [(group, template)]


def _whole(value: str) -> str:
    return value


def _key(value: str) -> str:
    return value.partition("=")[0]


def _splitter(
    columns: list[Counter[str]], lines: int, settings: MiningSettings
) -> tuple[int, Callable[[str], str]] | None:
    """Pick the column to split on (fewest parts first) and how its values name the parts.

    A column of names never splits. Another splits by its whole values when they look like
    constant words; a column of `key=value` fields, by their keys when those look like
    constant words, or else by whether its one field is left empty or holds a value.
    """
    candidates: list[tuple[int, int, Callable[[str], str]]] = []
    for position, values in enumerate(columns):
        if len(values) < 2 or _holds_names(columns, position, lines, settings):
            continue
        if _values_are_constants(values, lines, settings):
            candidates.append((len(values), position, _whole))
            continue
        if all("=" in value for value in values):
            keys: Counter[str] = Counter()
            for value, count in values.items():
                keys[_key(value)] += count
            if len(keys) > 1 and _values_are_constants(keys, lines, settings):
                candidates.append((len(keys), position, _key))
            elif len(keys) == 1 and len({_field_state(value) for value in values}) > 1:
                candidates.append((2, position, _field_state))
    if not candidates:
        return None
    _, position, part_of = min(candidates, key=lambda candidate: candidate[:2])
    return position, part_of


def _field_state(value: str) -> str:
    """Tell a `key=` field left empty from one holding a value: a missing value is an event."""
    return _key(value) + ("=" if value.endswith("=") else "=" + WILDCARD)


# Words after which the next token names someone (`for user alice`, `Invalid user bob from`).
_NAMING_WORDS = frozenset({"user", "username"})
# A dotted name (`com.example.app/.MainActivity`, `android.intent.action.TIME_TICK`, `rpc.statd`):
# a package, class, host or property key.
_DOTTED_NAME = re.compile(r"(?<![\w.])[A-Za-z_][\w$-]*(?:\.[\w$-]+)+")


def _holds_names(
    columns: list[Counter[str]], position: int, lines: int, settings: MiningSettings
) -> bool:
    """Tell whether a column holds names, which are variables however few a log holds.

    Names are the token after a naming word, and dotted names too varied for their lines to
    be constants: more than `max_value_ratio` per line, and more than two, since two dotted
    alternatives (`SCREEN_ON`, `SCREEN_OFF`) are as often two events as two names. The first
    token is left to the usual test: there a dotted name is mostly the logger that speaks.
    """
    if position == 0:
        return False
    previous = columns[position - 1]
    if len(previous) == 1 and next(iter(previous)).rstrip(":").lower() in _NAMING_WORDS:
        return True
    values = columns[position]
    return len(values) > max(2, settings.max_value_ratio * lines) and all(
        _DOTTED_NAME.search(value) for value in values
    )


# An upper-case word after `key=` (`action=ACTION_DOWN`, `state=RUNNING,`) names a kind or a
# state, as an enum constant does: a few of them tell events apart like constant words.
_ENUM_VALUE = re.compile(r"[\"']?[A-Z][A-Z0-9_]*[\"']?[,;.)\]}]*")


def _values_are_constants(values: Counter[str], lines: int, settings: MiningSettings) -> bool:
    if len(values) > settings.max_constant_values and (
        len(values) > settings.max_value_ratio * lines
    ):
        return False
    plain = [value for value in values if WILDCARD not in value]
    if len(plain) < len(values):
        # A variable and one placeholder made of symbols alone (`****`, `--`) in its place:
        # the placeholder says the value is missing, which is an event of its own.
        return len(values) == 2 and len(plain) == 1 and not any(map(str.isalnum, plain[0]))
    if all("=" in value for value in values) and len({_key(value) for value in values}) == 1:
        # Values of one field (`tag="Audio",`, `cmp=com.example/.Main`): variables, but for
        # enum-like states.
        return all(_ENUM_VALUE.fullmatch(value.partition("=")[2]) for value in values)
    return not merge_tokens(values).endswith(("=" + WILDCARD, ":" + WILDCARD))


def merge_tokens(values: Sequence[str] | Counter[str]) -> str:
    """Return one template token covering all `values`: `<*>` with their shared punctuation.

    The common prefix and suffix are kept only up to a punctuation boundary, so
    `user=root` and `user=admin` give `user=<*>`, `(12)` and `(7)` give `(<*>)`, while
    `alt0` and `ee0` give `<*>`.
    """
    words = list(values)
    prefix = _common_prefix(words)
    suffix = _common_prefix([word[len(prefix) :][::-1] for word in words])[::-1]
    prefix = _cut_after_punctuation(prefix)
    suffix = _cut_before_punctuation(suffix)
    return prefix + WILDCARD + suffix


def _common_prefix(words: list[str]) -> str:
    first, last = min(words), max(words)
    length = 0
    for left, right in zip(first, last, strict=False):
        if left != right:
            break
        length += 1
    return first[:length]


def _is_punctuation(character: str) -> bool:
    return not (character.isalnum() or character == "_")


def _cut_after_punctuation(prefix: str) -> str:
    if prefix.endswith(WILDCARD):
        prefix = prefix[: -len(WILDCARD)]
    for index in range(len(prefix) - 1, -1, -1):
        if _is_punctuation(prefix[index]) and not prefix[: index + 1].endswith("<*"):
            return prefix[: index + 1]
    return ""


def _cut_before_punctuation(suffix: str) -> str:
    if suffix.startswith(WILDCARD):
        suffix = suffix[len(WILDCARD) :]
    for index, character in enumerate(suffix):
        if _is_punctuation(character) and not suffix[index:].startswith("*>"):
            return suffix[index:]
    return ""
