"""One workload's pods eating the nodes' CPU (`kubectl top pods`).

An agent released without CPU limits (a security scanner, a log shipper) takes every core
of each node it runs on, and the applications beside it slow down and time out though
nothing of theirs changed. The reader flags the workload whose pods each use over a core
and several times more than the next workload's, at its busiest pod's row.
"""

import re
from collections import defaultdict
from collections.abc import Sequence
from statistics import mean

from faultmaven.domain.workloads import workload_name
from faultmaven.snapshots.finding import SnapshotFinding

# A pod over this many millicores is busy; its workload must also outdo the next this much.
BUSY_MILLICORES = 1000
HOG_RATIO = 4.0
_HEADER = re.compile(r"^(?P<namespace>NAMESPACE\s+)?NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)")
_CPU = re.compile(r"^(?P<value>\d+(?:\.\d+)?)(?P<milli>m?)$")


def pod_cpu_findings(lines: Sequence[str]) -> list[SnapshotFinding]:
    """Return the row of the busiest pod of a workload hogging CPU in each `top pods` table."""
    found: list[SnapshotFinding] = []
    for rows in _tables(lines):
        by_workload: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for number, pod, millicores in rows:
            by_workload[workload_name(pod)].append((number, millicores))
        ranked = sorted(by_workload.items(), key=lambda item: -mean(m for _, m in item[1]))
        if len(ranked) < 2:
            continue
        (hog, pods), (_, next_pods) = ranked[0], ranked[1]
        busiest = mean(m for _, m in pods)
        if busiest < BUSY_MILLICORES or busiest < HOG_RATIO * mean(m for _, m in next_pods):
            continue
        number = max(pods, key=lambda pod: pod[1])[0]
        found.append(
            SnapshotFinding(
                kind="pod_cpu_hog",
                subject=hog,
                line_start=number,
                line_end=number,
                detail=f"{hog}'s {len(pods)} pods use {busiest / 1000:.1f} cores each",
            )
        )
    return found


def _tables(lines: Sequence[str]) -> list[list[tuple[int, str, int]]]:
    """Return each `kubectl top pods` table as (1-based line, pod, millicores) rows."""
    tables: list[list[tuple[int, str, int]]] = []
    namespaced: bool | None = None
    for number, line in enumerate(lines, start=1):
        header = _HEADER.match(line)
        if header is not None:
            namespaced = header.group("namespace") is not None
            tables.append([])
            continue
        fields = line.split()
        if namespaced is None or len(fields) < (4 if namespaced else 3):
            namespaced = None
            continue
        pod, cpu = (fields[1], fields[2]) if namespaced else (fields[0], fields[1])
        value = _CPU.match(cpu)
        if value is None:
            namespaced = None
            continue
        amount = float(value.group("value"))
        tables[-1].append((number, pod, int(amount if value.group("milli") else amount * 1000)))
    return tables
