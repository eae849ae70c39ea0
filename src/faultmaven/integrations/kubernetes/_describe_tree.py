"""Read one `kubectl describe` block into its indented key/value tree.

kubectl writes `Key:<tab>value` lines indented two spaces per level, continuation lines
(further labels, tolerations) aligned under the value, and a few sections as column
tables (`Events:`, `Conditions:`, `Allocated resources:`, `Non-terminated Pods:`).
"""

import re
from dataclasses import dataclass, field

from faultmaven.integrations.kubernetes._text import Column, cells_of, columns_of, key_value_pairs

_KEY = re.compile(r"^([A-Za-z0-9][\w .()/-]*?):(?:\s+(.*?))?\s*$")
_TABLE_SECTIONS = frozenset({"Events", "Conditions", "Allocated resources", "Non-terminated Pods"})
_RULE = re.compile(r"^[\s-]+$")


@dataclass(slots=True)
class Entry:
    """One `Key: value` line, its nested entries, continuation lines and table rows."""

    key: str
    value: str
    line: int
    indent: int
    children: list["Entry"] = field(default_factory=list)
    continuation: list[str] = field(default_factory=list)
    rows: list[tuple[int, str]] = field(default_factory=list)
    last_line: int = 0

    def child(self, key: str) -> "Entry | None":
        """Return the first nested entry named `key`."""
        return next((entry for entry in self.children if entry.key == key), None)

    def text(self, key: str) -> str | None:
        """Return the value of the nested entry `key`; None when absent, empty or `<none>`."""
        entry = self.child(key)
        if entry is None or not entry.value or entry.value in ("<none>", "<unset>"):
            return None
        return entry.value

    def values(self) -> list[str]:
        """Return the value and its continuation lines (multi-line `Labels:`, `Tolerations:`)."""
        return [text for text in (self.value, *self.continuation) if text]


@dataclass(frozen=True, slots=True)
class Row:
    """A table row: its 1-based line and its cells by upper-cased column title."""

    line: int
    cells: dict[str, str]


def parse_block(lines: list[str], start: int, end: int) -> Entry:
    """Parse `lines[start:end]` (0-based) into a tree whose root holds the top-level keys."""
    root = Entry(key="", value="", line=start + 1, indent=-1)
    stack = [root]
    for index in range(start, end):
        text = lines[index].expandtabs(8)
        if not text.strip():
            continue
        indent = len(text) - len(text.lstrip(" "))
        while len(stack) > 1 and stack[-1].indent >= indent:
            stack.pop()
        parent = stack[-1]
        for open_entry in stack:
            open_entry.last_line = index + 1
        if parent.key in _TABLE_SECTIONS and parent is not root:
            parent.rows.append((index + 1, text))
            continue
        match = _KEY.match(text.strip())
        if match is None:
            parent.continuation.append(text.strip())
            continue
        entry = Entry(match.group(1), match.group(2) or "", index + 1, indent, last_line=index + 1)
        parent.children.append(entry)
        stack.append(entry)
    return root


def table(entry: Entry | None, *, wide: str = "MESSAGE") -> list[Row]:
    """Read the rows of a table section, cells cut by its header's column positions."""
    if entry is None:
        return []
    columns: list[Column] | None = None
    rows: list[Row] = []
    for line, text in entry.rows:
        if text.strip().startswith("(") or _RULE.match(text):
            continue
        if columns is None:
            columns = columns_of(text)
            continue
        rows.append(Row(line, cells_of(text, columns, wide=wide)))
    return rows


def labels(entry: Entry | None) -> dict[str, str]:
    """Read the `key=value` pairs of a `Labels:` entry, continuation lines included."""
    if entry is None:
        return {}
    return key_value_pairs(entry.values())
