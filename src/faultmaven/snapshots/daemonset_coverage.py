"""DaemonSets side by side (`kubectl get ds`): a node DNS cache missing from some nodes.

A per-node DaemonSet (kube-proxy, the CNI agent) runs one pod on every node, so its DESIRED
count is the node count. A node-local DNS cache that desires fewer does not run on some
nodes (a new pool's taints its tolerations miss, a node selector): pods there still send
their lookups to the cache's link-local address, where nothing answers, and every lookup
times out while pods on other nodes resolve fine.
"""

import re
from collections.abc import Sequence

from faultmaven.snapshots.finding import SnapshotFinding

_HEADER = re.compile(r"^(?P<namespace>NAMESPACE\s+)?NAME\s+DESIRED\s+CURRENT\s+READY\b")
_NAME = re.compile(r"^[a-z0-9][\w.-]*$")
# A DaemonSet caching DNS on each node.
_DNS_CACHE = re.compile(r"dns", re.IGNORECASE)


def daemonset_coverage_findings(lines: Sequence[str]) -> list[SnapshotFinding]:
    """Return each node DNS cache DaemonSet desiring fewer pods than another listed one."""
    found: list[SnapshotFinding] = []
    index = 0
    while index < len(lines):
        header = _HEADER.match(lines[index])
        index += 1
        if header is None:
            continue
        skip = 1 if header.group("namespace") else 0
        rows: list[tuple[int, str, int]] = []
        while index < len(lines) and (row := _row(lines[index], skip)) is not None:
            rows.append((index + 1, *row))
            index += 1
        found += _short_caches(rows)
    return found


def _row(line: str, skip: int) -> tuple[str, int] | None:
    """Read a row's DaemonSet name and DESIRED count, past `skip` leading columns."""
    words = line.split()[skip:]
    if len(words) < 2 or not _NAME.match(words[0]) or not words[1].isdigit():
        return None
    return words[0], int(words[1])


def _short_caches(rows: list[tuple[int, str, int]]) -> list[SnapshotFinding]:
    nodes = max((desired for _, _, desired in rows), default=0)
    return [
        SnapshotFinding(
            kind="node_dns_cache_missing",
            subject=name,
            line_start=number,
            line_end=number,
            detail=f"{name} runs on {desired} of the {nodes} nodes other DaemonSets cover",
        )
        for number, name, desired in rows
        if _DNS_CACHE.search(name) and desired < nodes
    ]
