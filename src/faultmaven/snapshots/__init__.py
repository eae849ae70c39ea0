"""Pasted command output (`df`, `pg_stat_activity`, `jstack`...) read as findings about one moment.

On-call engineers paste what they ran: a `df -h` table, who holds the database's
connections. These readers find such tables in any text evidence and say what in them is
abnormal, with the lines that show it; they know nothing of logs, HTTP or storage.
"""

from collections.abc import Sequence
from dataclasses import replace

from faultmaven.snapshots.db_sessions import session_findings
from faultmaven.snapshots.disk_usage import disk_usage_findings
from faultmaven.snapshots.finding import SnapshotFinding
from faultmaven.snapshots.prompt import prompt_host
from faultmaven.snapshots.thread_dump import thread_dump_findings

__all__ = ["SnapshotFinding", "read_snapshots"]


def read_snapshots(lines: Sequence[str]) -> list[SnapshotFinding]:
    """Return the findings of every command output recognised in `lines`, with their host."""
    found = [*disk_usage_findings(lines), *session_findings(lines), *thread_dump_findings(lines)]
    return [replace(finding, host=prompt_host(lines, finding.line_start)) for finding in found]
