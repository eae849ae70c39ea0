"""CronJobs left suspended (`kubectl get cronjobs`, `-o yaml`): a loader that stopped running.

`kubectl patch cronjob ... suspend: true` during a provider's maintenance, forgotten after
it, stops every run without an error anywhere: the data the job refreshes simply ages until
something downstream complains that it is stale. The reader reports each CronJob the table
shows suspended, and the `suspend: true` line of a CronJob's YAML.
"""

import re
from collections.abc import Sequence

from faultmaven.snapshots.finding import SnapshotFinding
from faultmaven.snapshots.prompt import named_by_command

_HEADER = re.compile(r"^(?:NAMESPACE\s+)?NAME\s+SCHEDULE\s+.*\bSUSPEND\s+ACTIVE\b")
_SUSPENDED = re.compile(r"^\s*suspend:\s*true\s*$")
_CRONJOB_KIND = re.compile(r"^\s*(?:- )?kind:\s*CronJob\s*$")
_COMMAND = re.compile(r"\bget\s+(?:cronjobs?|cj)(?:\.batch)?\s+(?P<name>[a-z0-9][\w.-]*)")


def suspended_cronjob_findings(lines: Sequence[str]) -> list[SnapshotFinding]:
    """Return the rows and YAML lines showing a CronJob suspended."""
    found = _table_rows(lines)
    for number, line in enumerate(lines, start=1):
        if not _SUSPENDED.match(line) or not _in_cronjob(lines, number):
            continue
        name = named_by_command(lines, number, _COMMAND, this_output=True) or _only_name(found)
        if name is not None:
            found.append(_finding(name, number, "spec.suspend is true"))
    return found


def _table_rows(lines: Sequence[str]) -> list[SnapshotFinding]:
    found: list[SnapshotFinding] = []
    columns: list[str] | None = None
    for number, line in enumerate(lines, start=1):
        if _HEADER.match(line):
            columns = re.split(r"\s{2,}", line.strip())
            continue
        cells = re.split(r"\s{2,}", line.strip())
        if columns is None or len(cells) != len(columns):
            columns = None
            continue
        row = dict(zip(columns, cells, strict=True))
        if row.get("SUSPEND") == "True":
            last = row.get("LAST SCHEDULE", "?")
            found.append(_finding(row["NAME"], number, f"suspended, last scheduled {last} ago"))
    return found


def _in_cronjob(lines: Sequence[str], number: int) -> bool:
    """Tell whether the YAML document holding line `number` is a CronJob's."""
    for line in reversed(lines[: number - 1]):
        if _CRONJOB_KIND.match(line):
            return True
        if line.startswith(("---", "$ ")):
            return False
    return False


def _only_name(found: list[SnapshotFinding]) -> str | None:
    names = {finding.subject for finding in found}
    return names.pop() if len(names) == 1 else None


def _finding(name: str, number: int, what: str) -> SnapshotFinding:
    return SnapshotFinding(
        kind="cronjob_suspended",
        subject=name,
        line_start=number,
        line_end=number,
        detail=f"CronJob {name} {what}: none of its jobs run",
    )
