"""`ss -ltn` tables: a listening socket whose accept queue is full.

For a listening socket `ss` prints the accept queue's current length as Recv-Q and its
limit (the backlog, capped by net.core.somaxconn) as Send-Q. Recv-Q at or above Send-Q
means the application does not accept connections as fast as they arrive: new ones are
dropped, and clients time out connecting though the host looks healthy.
"""

import re
from collections.abc import Sequence

from faultmaven.snapshots.finding import SnapshotFinding

_HEADER = re.compile(r"^\s*(?:Netid\s+)?State\s+Recv-Q\s+Send-Q\s+Local\s+Address:Port", re.I)
_LISTEN_ROW = re.compile(r"^\s*(?:tcp\s+)?LISTEN\s+(\d+)\s+(\d+)\s+(\S+)")


def listen_queue_findings(lines: Sequence[str]) -> list[SnapshotFinding]:
    """Return each listening socket an `ss -l` table shows with its accept queue full."""
    found: list[SnapshotFinding] = []
    in_table = False
    for number, line in enumerate(lines, start=1):
        if _HEADER.match(line):
            in_table = True
            continue
        row = _LISTEN_ROW.match(line) if in_table else None
        if row is None:
            in_table = in_table and bool(line.strip()) and not line.lstrip().startswith(("$", "#"))
            continue
        queued, backlog, address = int(row.group(1)), int(row.group(2)), row.group(3)
        if backlog > 0 and queued >= backlog:
            found.append(
                SnapshotFinding(
                    kind="listen_queue_full",
                    subject=address,
                    line_start=number,
                    line_end=number,
                    detail=f"{address} has {queued} connections waiting on a backlog of {backlog}",
                )
            )
    return found
