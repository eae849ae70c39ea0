"""CPU use against CPU limits: a container running at its limit is being throttled.

`kubectl top pods` showing `catalog-7c5d8f9b6d-r4w2k   249m` while `kubectl describe pod`
gives its container `Limits: cpu: 250m` means the kernel's CFS quota is cutting it off
every period: requests queue, probes time out and the pod is restarted, though nothing in
its own log says why. That is the cause; the probe failures are its symptoms.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence

from pydantic import BaseModel, Field

from faultmaven.domain.kubernetes import KubernetesFinding, LineSpan
from faultmaven.integrations.kubernetes._facts import Facts, PodFacts, PodUsageFacts
from faultmaven.integrations.kubernetes._reasons import profile
from faultmaven.integrations.kubernetes._text import millicores

CPU_THROTTLED = "CPUThrottled"
# Use at this share of the limit or more: the quota is spent (top averages over a minute).
AT_LIMIT_SHARE = 0.9


class CpuUse(BaseModel):
    """A pod's (or container's) CPU use as a `kubectl top` row shows it."""

    namespace: str | None = None
    pod: str
    workload: str | None = None
    container: str | None = None
    millicores: int
    lines: list[LineSpan] = Field(min_length=1)


class CpuLimit(BaseModel):
    """A container's CPU limit as `kubectl describe pod` shows it."""

    namespace: str | None = None
    pod: str
    workload: str | None = None
    container: str
    millicores: int
    lines: list[LineSpan] = Field(min_length=1)


def cpu_uses(facts: Iterable[Facts]) -> list[CpuUse]:
    """Every CPU use the `kubectl top` tables among the facts show."""
    return [
        CpuUse(
            namespace=fact.identity.namespace,
            pod=fact.identity.name,
            workload=fact.identity.workload,
            container=fact.container,
            millicores=fact.millicores,
            lines=fact.lines,
        )
        for fact in facts
        if isinstance(fact, PodUsageFacts)
    ]


def cpu_limits(facts: Iterable[Facts]) -> list[CpuLimit]:
    """Every container CPU limit the described pods show, with the lines that show it."""
    found: list[CpuLimit] = []
    for fact in facts:
        if not isinstance(fact, PodFacts):
            continue
        for container in fact.containers:
            limit = millicores(container.limits.get("cpu", ""))
            if limit and container.limit_lines and not container.init:
                found.append(
                    CpuLimit(
                        namespace=fact.identity.namespace,
                        pod=fact.identity.name,
                        workload=fact.identity.workload,
                        container=container.name,
                        millicores=limit,
                        lines=container.limit_lines,
                    )
                )
    return found


def throttled(
    uses: Sequence[CpuUse], limits: Sequence[CpuLimit]
) -> list[tuple[KubernetesFinding, KubernetesFinding]]:
    """Report each workload whose pods run at their CPU limit.

    Each report is a pair about the same pod and reason: one finding citing the `top`
    rows, one citing the limit, so that reading the case as a whole folds them into one
    finding that cites both items.
    """
    limit_of = _limits_by_workload(limits)
    at_limit: dict[tuple[str | None, str], list[CpuUse]] = defaultdict(list)
    for use in uses:
        name = use.workload or use.pod
        limit = limit_of.get((use.namespace, name)) or limit_of.get((None, name))
        if limit is not None and use.millicores >= AT_LIMIT_SHARE * limit.millicores:
            at_limit[(limit.namespace, limit.workload or limit.pod)].append(use)
    reports: list[tuple[KubernetesFinding, KubernetesFinding]] = []
    for key, pods in at_limit.items():
        limit = limit_of[key]
        used = sorted(pod.millicores for pod in pods)
        shown = f"{used[0]}m" if used[0] == used[-1] else f"{used[0]}m-{used[-1]}m"
        message = (
            f"{len(pods)} pods of {limit.workload or limit.pod} use {shown} CPU against a"
            f" limit of {limit.millicores}m: the container is CPU-throttled"
        )
        rows = [line for pod in pods for line in pod.lines]
        reports.append(
            (
                _finding(limit, pods[0].pod, message, rows),
                _finding(limit, pods[0].pod, message, limit.lines),
            )
        )
    return reports


def _limits_by_workload(limits: Sequence[CpuLimit]) -> dict[tuple[str | None, str], CpuLimit]:
    by_workload: dict[tuple[str | None, str], CpuLimit] = {}
    for limit in limits:
        name = limit.workload or limit.pod
        by_workload.setdefault((limit.namespace, name), limit)
        by_workload.setdefault((None, name), limit)
    return by_workload


def _finding(limit: CpuLimit, pod: str, message: str, lines: list[LineSpan]) -> KubernetesFinding:
    return KubernetesFinding(
        kind="Pod",
        namespace=limit.namespace,
        name=pod,
        workload=limit.workload,
        container=limit.container,
        reason=CPU_THROTTLED,
        category=profile(CPU_THROTTLED).category,
        severity=profile(CPU_THROTTLED).severity,
        message=message,
        limits={"cpu": f"{limit.millicores}m"},
        lines=lines,
    )
