"""NUMA zone reclaim turned on, read from `sysctl` output or a sysctl file.

With `vm.zone_reclaim_mode` non-zero, a NUMA node short of free pages reclaims its own page
cache (and stalls the allocating process in direct reclaim) rather than allocate from the
other node, however much that one has free: a database or file server on a two-socket host
drops its cache and reads from disk at the peak. Vendor or HPC tuning profiles set it;
kernels leave it off by default. The reader reports each line setting it to a non-zero value.
"""

import re
from collections.abc import Sequence

from faultmaven.snapshots.finding import SnapshotFinding

# `vm.zone_reclaim_mode = 1` (sysctl's answer), `vm.zone_reclaim_mode=1` (a sysctl file).
_ZONE_RECLAIM = re.compile(r"^\s*(?:[\w./-]+:)?\s*vm\.zone_reclaim_mode\s*=\s*(?P<mode>\d+)\s*$")


def zone_reclaim_findings(lines: Sequence[str]) -> list[SnapshotFinding]:
    """Return each line showing NUMA zone reclaim turned on."""
    found: list[SnapshotFinding] = []
    for number, line in enumerate(lines, start=1):
        setting = _ZONE_RECLAIM.match(line)
        if setting is not None and int(setting.group("mode")) != 0:
            found.append(
                SnapshotFinding(
                    kind="zone_reclaim_on",
                    subject="vm.zone_reclaim_mode",
                    line_start=number,
                    line_end=number,
                    detail=f"NUMA zone reclaim on (mode {setting.group('mode')})",
                )
            )
    return found
