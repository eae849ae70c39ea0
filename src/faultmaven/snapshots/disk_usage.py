"""`df -h` / `df -i` tables: a filesystem out of space or out of inodes.

df prints a header starting `Filesystem` and ending `Mounted on`, then one row per
filesystem whose last field is the mount point and whose `Use%` (`IUse%` with -i,
`Capacity` on BSD and macOS) says how full it is.
"""

import re
from collections.abc import Sequence

from faultmaven.snapshots.finding import SnapshotFinding

# A filesystem this full refuses writes (root's reserved blocks aside) or soon will.
FULL_PERCENT = 98
_HEADER = re.compile(r"^\s*Filesystem\b.*\bMounted\s+on\s*$", re.IGNORECASE)
_PERCENT = re.compile(r"^(\d{1,3})%$")


def disk_usage_findings(lines: Sequence[str]) -> list[SnapshotFinding]:
    """Return each full filesystem (space or inodes) a pasted df table shows."""
    found: list[SnapshotFinding] = []
    index = 0
    while index < len(lines):
        header = lines[index]
        index += 1
        if not _HEADER.match(header):
            continue
        columns = header.split()
        use_column = _use_column(columns)
        if use_column is None:
            continue
        inodes = columns[use_column].lower().startswith("iuse")
        while index < len(lines) and lines[index].strip() and not _HEADER.match(lines[index]):
            finding = _full_row(lines[index], index + 1, use_column, len(columns), inodes)
            if finding is not None:
                found.append(finding)
            index += 1
    return found


def _use_column(columns: list[str]) -> int | None:
    """Return the position of the usage column in a df header, counting `Mounted on` as one."""
    for position, name in enumerate(columns):
        if name.lower() in ("use%", "iuse%", "capacity"):
            return position
    return None


def _full_row(
    row: str, line_number: int, use_column: int, header_fields: int, inodes: bool
) -> SnapshotFinding | None:
    """Read one df row; return a finding when its filesystem is full."""
    fields = row.split()
    # `Mounted on` is two header words but one field; a mount point never holds spaces here.
    if len(fields) != header_fields - 1:
        return None
    usage = _PERCENT.match(fields[use_column])
    if usage is None or int(usage.group(1)) < FULL_PERCENT:
        return None
    mount = fields[-1]
    what = "inodes" if inodes else "space"
    return SnapshotFinding(
        kind="inodes_full" if inodes else "filesystem_full",
        subject=mount,
        line_start=line_number,
        line_end=line_number,
        detail=f"{mount} ({fields[0]}) is {usage.group(1)}% full of {what}",
    )
