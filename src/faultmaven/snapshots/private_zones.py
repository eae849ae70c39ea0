"""A private DNS zone and the networks it answers in, read from `aws route53 get-hosted-zone`.

A Route 53 private hosted zone answers only inside the VPCs associated with it; a host in
any other VPC (a new one, or one peered with an associated VPC: peering does not share
private zones) asks the public DNS and gets NXDOMAIN for every name under the zone. The
reader reports the zone's VPC list, named after the zone; the reasoner keeps it only when
names under the zone fail to resolve.
"""

import re
from collections.abc import Sequence

from faultmaven.snapshots.finding import SnapshotFinding

_ZONE_NAME = re.compile(r'^\s*"Name":\s*"(?P<zone>[\w.-]+?)\.?"')
_PRIVATE = re.compile(r'^\s*"PrivateZone":\s*true\b')
_VPCS = re.compile(r'^\s*"VPCs":\s*\[')
_VPC_ID = re.compile(r'"VPCId":\s*"(?P<vpc>vpc-[0-9a-f]+)"')
_CLOSE = re.compile(r"^\s*\]")
# A new command's output begins: what was read of the last zone no longer applies.
_COMMAND = re.compile(r"^\S*[$#]\s+\S")


def private_zone_findings(lines: Sequence[str]) -> list[SnapshotFinding]:
    """Return each private hosted zone shown with the VPCs it is associated with."""
    found: list[SnapshotFinding] = []
    zone: str | None = None
    private = False
    start: int | None = None
    vpcs: list[str] = []
    for number, line in enumerate(lines, start=1):
        if _COMMAND.match(line):
            zone, private, start, vpcs = None, False, None, []
            continue
        named = _ZONE_NAME.match(line)
        if named is not None and start is None:
            zone = named.group("zone")
        elif _PRIVATE.match(line):
            private = True
        elif _VPCS.match(line):
            start, vpcs = number, []
        elif start is not None:
            vpc = _VPC_ID.search(line)
            if vpc is not None:
                vpcs.append(vpc.group("vpc"))
            elif _CLOSE.match(line):
                if zone and private and vpcs:
                    found.append(_finding(zone, start, number, vpcs))
                start = None
    return found


def _finding(zone: str, start: int, end: int, vpcs: list[str]) -> SnapshotFinding:
    return SnapshotFinding(
        kind="private_zone",
        subject=zone,
        line_start=start,
        line_end=end,
        detail=f"private zone {zone} answers only in {', '.join(vpcs)}",
        scope=zone,
    )
