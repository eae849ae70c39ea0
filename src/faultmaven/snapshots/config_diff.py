"""Configuration diffs (`diff -u`, `git diff`, `ansible --diff`): a timeout cut short.

"What changed?" is often answered by a pasted diff. A timeout lowered to a fraction of what
it was (`-timeout server 120s` / `+timeout server 5s`) cuts every request that takes
longer, and its victims report timeouts and dropped connections that look like slowness
elsewhere. The reader pairs each removed setting with the added one of the same name.
"""

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from faultmaven.snapshots.finding import SnapshotFinding

# A timeout cut to less than this share of its old value no longer fits the slow requests.
CUT_SHARE = 0.5
_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@")
_OLD_FILE = re.compile(r"^--- (?:before: )?(?:a/)?(?P<path>\S+)")
_NEW_FILE = re.compile(r"^\+\+\+ ")
# ansible's per-host result of the task that printed the diff.
_ANSIBLE_RESULT = re.compile(r"^(?:changed|ok): \[(?P<host>[^\]]+)\]")
_ANSIBLE_NEXT = re.compile(r"^(?:TASK|PLAY|RUNNING HANDLER) \[|^PLAY RECAP")
_DURATION = re.compile(
    r"^(?P<number>\d+(?:\.\d+)?)(?P<unit>ms|us|s|m|h|d|sec|secs|seconds|min|mins|minutes)?$",
    re.IGNORECASE,
)
_SECONDS_PER_UNIT = {
    "us": 1e-6, "ms": 1e-3, "s": 1.0, "sec": 1.0, "secs": 1.0, "seconds": 1.0,
    "m": 60.0, "min": 60.0, "mins": 60.0, "minutes": 60.0, "h": 3600.0, "d": 86400.0,
}  # fmt: skip
_SEPARATORS = re.compile(r"[\s=:]+")
# Configuration file names that say nothing of the program they configure.
_GENERIC_STEMS = frozenset({"config", "configuration", "settings", "values", "main", "default"})


@dataclass(frozen=True)
class _Setting:
    """One setting line of a hunk: its name, value text and seconds, at a 1-based line."""

    name: str
    value: str
    seconds: float | None
    bare: bool
    line_number: int


def lowered_timeout_findings(lines: Sequence[str]) -> list[SnapshotFinding]:
    """Return each timeout a pasted configuration diff cuts to under half its old value."""
    found: list[SnapshotFinding] = []
    for path, start, end in _hunks(lines):
        removed = {s.name: s for s in _settings(lines, start, end, "-")}
        for added in _settings(lines, start, end, "+"):
            old = removed.get(added.name)
            if old is None or "timeout" not in added.name or not _cut(old, added):
                continue
            found.append(
                SnapshotFinding(
                    kind="timeout_lowered",
                    subject=_program(path) or path,
                    line_start=added.line_number,
                    line_end=added.line_number,
                    detail=f"`{added.name}` cut from {old.value} to {added.value} in {path}",
                    host=_ansible_host(lines, end),
                )
            )
    return found


def _hunks(lines: Sequence[str]) -> Iterator[tuple[str, int, int]]:
    """Yield (file path, first index, index past the end) of every hunk of a unified diff."""
    path: str | None = None
    index = 0
    while index < len(lines):
        line = lines[index]
        old_file = _OLD_FILE.match(line)
        if old_file and _starts_file(lines, index):
            path = old_file.group("path")
            index += 2
            continue
        if path is not None and _HUNK.match(line):
            start = index + 1
            index = start
            while index < len(lines) and (lines[index] == "" or lines[index][0] in " +-"):
                if _starts_file(lines, index):
                    break
                index += 1
            yield path, start, index
            continue
        index += 1


def _starts_file(lines: Sequence[str], index: int) -> bool:
    """Tell whether a `--- old` / `+++ new` file header starts at `index`."""
    return (
        index + 1 < len(lines)
        and _OLD_FILE.match(lines[index]) is not None
        and _NEW_FILE.match(lines[index + 1]) is not None
    )


def _settings(lines: Sequence[str], start: int, end: int, mark: str) -> Iterator[_Setting]:
    """Yield the settings of a hunk's removed (`-`) or added (`+`) lines that hold a duration."""
    for index in range(start, end):
        line = lines[index]
        if not line.startswith(mark):
            continue
        setting = _setting(line[1:], index + 1)
        if setting is not None:
            yield setting


def _setting(text: str, line_number: int) -> _Setting | None:
    """Read `name value`, `name = value` or `name: value` whose value is a duration."""
    text = text.split("#", 1)[0].strip().rstrip(";,")
    words = [word.strip("\"'") for word in _SEPARATORS.split(text) if word]
    for position, word in enumerate(words):
        duration = _DURATION.match(word)
        if duration is None or position == 0:
            continue
        if position != len(words) - 1:
            return None
        name = " ".join(words[:position]).lower()
        unit = duration.group("unit")
        number = float(duration.group("number"))
        seconds = number * _SECONDS_PER_UNIT[unit.lower()] if unit else None
        return _Setting(name, word, seconds, unit is None, line_number)
    return None


def _cut(old: _Setting, new: _Setting) -> bool:
    """Tell whether the new duration is less than CUT_SHARE of the old (same units compared)."""
    if old.seconds is not None and new.seconds is not None:
        return new.seconds < old.seconds * CUT_SHARE
    if old.bare and new.bare:
        return float(new.value) < float(old.value) * CUT_SHARE
    return False


def _program(path: str) -> str | None:
    """Name the program a configuration file belongs to: `/etc/haproxy/haproxy.cfg` -> haproxy."""
    parts = PurePosixPath(path).parts
    if len(parts) > 3 and parts[:2] == ("/", "etc"):
        return parts[2]
    stem = PurePosixPath(path).stem.lower()
    return None if stem in _GENERIC_STEMS else stem


def _ansible_host(lines: Sequence[str], end: int) -> str | None:
    """Return the one host an ansible task reports after its diff, if exactly one."""
    hosts: list[str] = []
    for line in lines[end:]:
        if _ANSIBLE_NEXT.match(line):
            break
        result = _ANSIBLE_RESULT.match(line)
        if result:
            hosts.append(result.group("host"))
    return hosts[0] if len(hosts) == 1 else None
