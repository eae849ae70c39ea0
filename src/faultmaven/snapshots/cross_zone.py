"""A load balancer's cross-zone balancing turned off, read from a Terraform plan or apply.

With cross-zone load balancing on, each zone's load balancer node spreads its share of the
traffic over every zone's targets; turned off (often by moving the balancer into a shared
module whose default differs), each node sends its share to its own zone's targets only, so
a zone with fewer targets overloads them while the others idle. The reader reports the
changed attribute's line, named after the resource's `name` in the same block.
"""

import re
from collections.abc import Sequence

from faultmaven.snapshots.finding import SnapshotFinding

# `~ enable_cross_zone_load_balancing = true -> false` (aws_lb), or the target group's
# `load_balancing.cross_zone.enabled` attribute set to false.
_TURNED_OFF = re.compile(
    r"^\s*~\s*(?:enable_cross_zone_load_balancing|\"?load_balancing\.cross_zone\.enabled\"?)"
    r"\s*=\s*\"?(?:true|use_load_balancer_configuration)\"?\s*->\s*\"?false\"?\s*$"
)
_BLOCK = re.compile(r"^\s*[~+-]?\s*resource\s+\"[\w-]+\"\s+\"[\w-]+\"\s*\{")
_NAME = re.compile(r"^\s*[~+]?\s*name\s*=\s*\"(?P<name>[\w.-]+)\"")


def cross_zone_findings(lines: Sequence[str]) -> list[SnapshotFinding]:
    """Return each Terraform change turning a load balancer's cross-zone balancing off."""
    found: list[SnapshotFinding] = []
    name: str | None = None
    for number, line in enumerate(lines, start=1):
        if _BLOCK.match(line):
            name = None
        named = _NAME.match(line)
        if named is not None:
            name = named.group("name")
        if _TURNED_OFF.match(line):
            found.append(
                SnapshotFinding(
                    kind="cross_zone_disabled",
                    subject=name or "load balancer",
                    line_start=number,
                    line_end=number,
                    detail="cross-zone load balancing turned off: each zone serves only its own",
                )
            )
    return found
