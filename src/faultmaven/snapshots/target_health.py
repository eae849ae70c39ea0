"""Load-balancer target health (`aws elbv2 describe-target-health`): checks answered wrongly.

A target group that marks its targets unhealthy with `Target.ResponseCodeMismatch` says the
targets answer the health check, only not with the code it expects: a redirect (301 to
HTTPS, to a login page) or a 404 (the health path moved) from a configuration change on the
targets, not a crash. The load balancer then stops sending traffic (502/503 at the edge)
and an Auto Scaling group's ELB health checks replace instances that were never broken.
Answers of 5xx are the application failing and say nothing of configuration.
"""

import re
from collections.abc import Sequence

from faultmaven.snapshots.finding import SnapshotFinding

# AWS's description of a mismatch, in text, table and JSON output alike.
_MISMATCH = re.compile(r"Health checks failed with these codes: \[(?P<codes>[\d, ]+)\]")
# Where the command or its output names the target group.
_GROUP = re.compile(
    r"targetgroup/(?P<arn>[\w-]+)/|--names\s+(?P<names>[\w-]+)"
    r"|\"TargetGroupName\"\s*:\s*\"(?P<json>[\w-]+)\""
)
# Words a target group's name wraps the service's in: tg-shopweb-80, api-tg-https.
_GROUP_AFFIXES = re.compile(r"^(?:tg|tgt)[-_]|[-_](?:tg|tgt|http|https|\d+)$", re.IGNORECASE)
# A codes mismatch this far below the command is still its output.
_LOOKBACK = 60


def target_health_findings(lines: Sequence[str]) -> list[SnapshotFinding]:
    """Return one finding per target group whose targets answer health checks 3xx or 4xx."""
    rows: dict[str, list[tuple[int, list[str]]]] = {}
    for index, line in enumerate(lines):
        mismatch = _MISMATCH.search(line)
        if mismatch is None:
            continue
        codes = [code.strip() for code in mismatch.group("codes").split(",") if code.strip()]
        if codes and all(code[0] in "34" for code in codes):
            rows.setdefault(_service(lines, index), []).append((index + 1, codes))
    return [
        SnapshotFinding(
            kind="health_check_code_mismatch",
            subject=service,
            line_start=found[0][0],
            line_end=found[0][0],
            detail=f"{len(found)} targets answer the health check with {', '.join(found[0][1])}",
        )
        for service, found in rows.items()
    ]


def _service(lines: Sequence[str], index: int) -> str:
    """Name the service behind the target group named nearest above the row (`shopweb`)."""
    for above in range(index, max(-1, index - _LOOKBACK), -1):
        group = _GROUP.search(lines[above])
        if group is not None:
            name = group.group("arn") or group.group("names") or group.group("json")
            service, previous = name, ""
            while service and service != previous:
                previous, service = service, _GROUP_AFFIXES.sub("", service)
            return service or name
    return "load-balancer targets"
