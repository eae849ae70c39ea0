"""An EC2 instance's network allowances exceeded, as `ethtool -S` on its ENA interface shows.

The ENA driver counts packets the hypervisor dropped because the instance went past a
limit of its type: `linklocal_allowance_exceeded` (1024 packets per second to link-local
services: the VPC's DNS resolver, the metadata service, time sync), `pps_`, `bw_in_`,
`bw_out_` and `conntrack_allowance_exceeded`. A counter above zero means packets were
silently lost there; link-local drops are lookups to the resolver that never get an
answer.
"""

import re
from collections.abc import Sequence

from faultmaven.snapshots.finding import SnapshotFinding
from faultmaven.snapshots.prompt import command_output, is_command_line

_ETHTOOL_STATS = re.compile(r"\bethtool\s+(?:-S|--statistics)\b")
_COUNTER = re.compile(r"^\s*((?:linklocal|pps|bw_in|bw_out|conntrack)_allowance_exceeded):\s*(\d+)")
_WHAT = {
    "linklocal": "packets to link-local services (the VPC DNS resolver, instance metadata, time"
    " sync) past 1024 per second",
    "pps": "packets past the instance type's packets-per-second allowance",
    "bw_in": "inbound traffic past the instance type's bandwidth allowance",
    "bw_out": "outbound traffic past the instance type's bandwidth allowance",
    "conntrack": "new connections past the instance type's connection-tracking allowance",
}


def allowance_findings(lines: Sequence[str]) -> list[SnapshotFinding]:
    """Return each ENA allowance counter above zero in pasted `ethtool -S` output."""
    found: list[SnapshotFinding] = []
    for number, line in enumerate(lines, start=1):
        if not (is_command_line(line) and _ETHTOOL_STATS.search(line)):
            continue
        for shown, text in command_output(lines, number):
            counter = _COUNTER.match(text)
            if counter is None or int(counter[2]) == 0:
                continue
            limit = counter[1].removesuffix("_allowance_exceeded")
            kind = "linklocal_allowance_exceeded" if limit == "linklocal" else "allowance_exceeded"
            detail = f"the hypervisor dropped {int(counter[2]):,} {_WHAT[limit]}"
            found.append(SnapshotFinding(kind, counter[1], shown, shown, detail))
    return found
