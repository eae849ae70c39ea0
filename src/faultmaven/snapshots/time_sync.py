"""Time service output (`chronyc`, `timedatectl`, `ntpstat`, `systemctl`): a clock left to drift.

A host whose time daemon is not running or not synchronised keeps whatever time it had
when it booted or resumed; requests it signs, tokens it checks and certificates it
validates go wrong once it drifts. The finding cites the whole output of the command that
shows it (a `date -u` beside `506 Cannot talk to daemon` and `masked` reads as one story).
"""

import re
from collections.abc import Sequence

from faultmaven.snapshots.finding import SnapshotFinding
from faultmaven.snapshots.prompt import is_command_line

# What the time tools print when the clock is not being kept.
_UNSYNCED = re.compile(
    r"^\s*(?:506 Cannot talk to daemon"
    r"|(?:System clock|NTP) synchronized:\s*no"
    r"|NTP service:\s*inactive"
    r"|unsynchronised\b"
    r"|ntpq: read: Connection refused"
    r"|Leap status\s*:\s*Not synchronised)\s*$",
    re.IGNORECASE,
)


def time_sync_findings(lines: Sequence[str]) -> list[SnapshotFinding]:
    """Return each command output showing that its host's clock is not synchronised."""
    found: list[SnapshotFinding] = []
    covered = 0
    for number, line in enumerate(lines, start=1):
        if number <= covered or not _UNSYNCED.match(line):
            continue
        start, end = _output_block(lines, number)
        covered = end
        found.append(
            SnapshotFinding(
                kind="clock_unsynchronised",
                subject="clock",
                line_start=start,
                line_end=end,
                detail=f"the time service says: {line.strip()}",
            )
        )
    return found


def _output_block(lines: Sequence[str], number: int) -> tuple[int, int]:
    """Return the 1-based first and last lines of the command output holding line `number`."""
    start = number
    while start > 1 and lines[start - 2].strip() and not is_command_line(lines[start - 2]):
        start -= 1
    end = number
    while end < len(lines) and lines[end].strip() and not is_command_line(lines[end]):
        end += 1
    return start, end
