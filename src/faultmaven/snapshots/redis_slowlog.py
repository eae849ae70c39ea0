"""A Lua script or function blocking Redis, from `redis-cli SLOWLOG GET`.

Redis runs one command at a time: an EVAL, EVALSHA or FCALL that runs for seconds blocks
every other client, which gets `BUSY Redis is busy running a script` (or times out)
meanwhile. The slow log records each such call with its duration and, since Redis 4, the
client's name: the application that runs the script. The reader reports the command line
of each script call slower than a second, named after that client.
"""

import re
from collections.abc import Sequence

from faultmaven.snapshots.finding import SnapshotFinding

# A script call this slow blocks the server long enough for callers to notice.
SLOW_MICROSECONDS = 1_000_000
# `1) 1) (integer) 48213` opens an entry; its fields follow as `   2) (integer) ...`.
_ENTRY = re.compile(r"^\s*\d+\)\s+1\)\s+\(integer\)\s+\d+\s*$")
_FIELD = re.compile(r"^\s*(?P<index>[2-6])\)\s+(?P<value>.*?)\s*$")
_INTEGER = re.compile(r"^\(integer\)\s+(?P<value>\d+)$")
_SCRIPT_CALLS = frozenset({"EVAL", "EVALSHA", "EVAL_RO", "EVALSHA_RO", "FCALL", "FCALL_RO"})
_QUOTED = re.compile(r'"(?P<text>[^"]*)"')


def slow_script_findings(lines: Sequence[str]) -> list[SnapshotFinding]:
    """Return each slow-log script call over a second, named after the client that ran it."""
    found: list[SnapshotFinding] = []
    for entry in _entries(lines):
        duration = _INTEGER.match(entry.get(3, (0, ""))[1])
        command = entry.get(4)
        if duration is None or command is None:
            continue
        name = _QUOTED.search(command[1])
        if name is None or name.group("text").upper() not in _SCRIPT_CALLS:
            continue
        micros = int(duration.group("value"))
        if micros < SLOW_MICROSECONDS:
            continue
        client = _QUOTED.search(entry.get(6, (0, ""))[1])
        subject = client.group("text") if client and client.group("text") else "redis"
        found.append(
            SnapshotFinding(
                kind="redis_slow_script",
                subject=subject,
                line_start=command[0],
                line_end=command[0],
                detail=f"{name.group('text').upper()} ran {micros / 1e6:.1f} s, blocking Redis",
            )
        )
    return found


def _entries(lines: Sequence[str]) -> list[dict[int, tuple[int, str]]]:
    """Return each slow-log entry's top fields (2..6) with their 1-based lines and text."""
    entries: list[dict[int, tuple[int, str]]] = []
    for number, line in enumerate(lines, start=1):
        if _ENTRY.match(line):
            entries.append({})
            continue
        field = _FIELD.match(line)
        if entries and field is not None and _indent(line) <= _TOP_INDENT:
            entries[-1].setdefault(int(field.group("index")), (number, field.group("value")))
    return entries


# The top fields sit at most this deep; a command's arguments are nested further in.
_TOP_INDENT = 4


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())
