"""Merge findings that report the same thing and rank causes before their symptoms."""

import re
from collections import defaultdict
from functools import reduce

from faultmaven.domain.diagnosis import Category
from faultmaven.domain.kubernetes import CORDONED, FindingSeverity, KubernetesFinding
from faultmaven.domain.service_names import is_network_agent
from faultmaven.integrations.kubernetes._links import (
    CLAIM,
    explicit_cause,
    owner_follows,
    same_namespace,
)
from faultmaven.integrations.kubernetes._migrations import is_migration
from faultmaven.integrations.kubernetes._reasons import (
    CAUSE,
    FAILURE,
    OWN_STORAGE_EVICTION,
    SYMPTOM,
    profile,
)
from faultmaven.integrations.kubernetes._text import merge_spans

_SEVERITY_ORDER = {
    FindingSeverity.CRITICAL: 0,
    FindingSeverity.HIGH: 1,
    FindingSeverity.MEDIUM: 2,
    FindingSeverity.LOW: 3,
}
_NODE_DOWN = frozenset({"NodeNotReady", "NetworkNotReady"})
_LOST_WITH_NODE = frozenset(
    {"NodeNotReady", "NetworkNotReady", "TaintManagerEviction", "FailedCreatePodSandBox",
     "ContainerStatusUnknown", "Unknown"}
)  # fmt: skip
_PRESSURE_BY_RESOURCE = {
    "memory": "MemoryPressure",
    "ephemeral-storage": "DiskPressure",
    "nodefs": "DiskPressure",
    "imagefs": "DiskPressure",
    "pids": "PIDPressure",
}
_TAINTS = {
    "not-ready": "NodeNotReady",
    "unreachable": "NodeNotReady",
    "memory-pressure": "MemoryPressure",
    "disk-pressure": "DiskPressure",
    "pid-pressure": "PIDPressure",
    "unschedulable": CORDONED,
}
# The scheduler's count of cordoned nodes: `0/4 nodes are available: 1 node(s) were unschedulable`.
_CORDONED_NODES = re.compile(r"\d+ node\(s\) were unschedulable")
# Reasons that depend on the node a pod ran on: pods on other nodes are other cases.
_NODE_BOUND = _LOST_WITH_NODE | {"Evicted", "OutOfmemory", "OutOfcpu"}
CITED_PODS = 3
_PODS_PREFIX = re.compile(r"^\d+ (?:pods|jobs) of \S+ report [^\s:]+(?:: )?")
_CRASH_CAUSES = frozenset({Category.CODE_ERROR, Category.CONFIGURATION, Category.DEPLOYMENT})
# Objects whose failures, one per instance of a workload, are one thing: the pods of a
# Deployment, the Jobs a CronJob started (`warehouse-export-29300045`, `-29300105`...).
_GROUPED_KINDS = frozenset({"Pod", "Job"})


def tier_of(finding: KubernetesFinding) -> int:
    """Rate how causal a finding is: 0 a root cause ... 3 a consequence at a controller."""
    crash = finding.reason == "CrashLoopBackOff" and finding.exit_code is not None
    if crash and finding.category in _CRASH_CAUSES:
        return FAILURE  # it carries the crash itself: the exit of the app
    if finding.reason == "Unhealthy" and finding.details.get("probe") in ("liveness", "startup"):
        return FAILURE
    if finding.reason == "Evicted" and OWN_STORAGE_EVICTION.search(finding.message or ""):
        return CAUSE  # its own use past its limit; the container's kill follows from it
    if finding.reason in _NODE_DOWN:
        if finding.kind == "Pod":
            return SYMPTOM
        return CAUSE if finding.reason == "NetworkNotReady" else FAILURE
    return profile(finding.reason).tier


def rank(findings: list[KubernetesFinding]) -> list[KubernetesFinding]:
    """Merge duplicates, mark what each symptom follows from, order most causal first."""
    merged = [combine_reports(group) for group in group_reports(findings)]
    return sorted(explain(merged), key=causal_order)


def _cordons_felt(findings: list[KubernetesFinding]) -> list[KubernetesFinding]:
    """Raise a cordon to high severity once pods are failing to schedule because of it.

    A cordoned node alone is routine maintenance; pods left Pending because the scheduler
    may not use it make it what keeps the workload short (a drain that never uncordoned).
    """
    if not any(finding.explained_by == CORDONED for finding in findings):
        return findings
    return [
        finding.model_copy(update={"severity": FindingSeverity.HIGH})
        if finding.reason == CORDONED
        else finding
        for finding in findings
    ]


def explain(findings: list[KubernetesFinding]) -> list[KubernetesFinding]:
    """Mark each finding with the reason of the most causal finding it follows from.

    Returns copies in the same order; `explained_by` is None for the findings nothing
    else explains. A cordon that explains pods left Pending is raised to high severity.
    """
    tiers = {id(finding): tier_of(finding) for finding in findings}
    related = _RelatedIndex(findings)
    explained = []
    for finding in findings:
        cause = _explainer(finding, related.candidates(finding), tiers)
        explained.append(
            finding.model_copy(update={"explained_by": cause.reason if cause else None})
        )
    return _cordons_felt(explained)


def causal_order(finding: KubernetesFinding) -> tuple[bool, int, int, int]:
    """Sort key putting causes first: unexplained, then by tier, severity and line."""
    return finding.explained_by is not None, *_order(finding)


def _order(finding: KubernetesFinding) -> tuple[int, int, int]:
    return tier_of(finding), _SEVERITY_ORDER[finding.severity], finding.lines[0].line_start


def group_reports(findings: list[KubernetesFinding]) -> list[list[KubernetesFinding]]:
    """Group the reports of one thing (same object, container, reason), first seen first.

    The pods of one workload failing for the same reason are one thing: one group.
    """
    groups: list[list[KubernetesFinding]] = []
    by_reason: dict[tuple[str, str, str], list[list[KubernetesFinding]]] = defaultdict(list)
    for finding in findings:
        grouped = finding.kind in _GROUPED_KINDS and finding.workload is not None
        key = finding.workload if grouped and finding.workload else finding.name
        candidates = by_reason[(finding.kind, key, finding.reason)]
        group = next((each for each in candidates if _same(each[0], finding)), None)
        if group is None:
            group = []
            candidates.append(group)
            groups.append(group)
        group.append(finding)
    return groups


def _pods_of(finding: KubernetesFinding) -> list[str]:
    """Name the pods a report is about: several when it already stands for a workload."""
    listed = finding.details.get("pods") if finding.kind in _GROUPED_KINDS else None
    return listed.split(", ") if listed else [finding.name]


def cited_reports(group: list[KubernetesFinding]) -> list[KubernetesFinding]:
    """Return the reports of a group worth citing: enough to show its first three pods."""
    cited: list[KubernetesFinding] = []
    pods: set[str] = set()
    for finding in group:
        named = set(_pods_of(finding))
        if len(pods) >= CITED_PODS and not named <= pods:
            continue
        cited.append(finding)
        pods |= named
    return cited


def combine_reports(group: list[KubernetesFinding]) -> KubernetesFinding:
    """Fold the reports of one thing into one finding citing all their lines.

    For several pods of a workload the message says how many, and only the first
    three pods are cited.
    """
    combined = reduce(_combine, group)
    if len(group) == 1:
        return combined
    spans = [each for finding in cited_reports(group) for each in finding.lines]
    update: dict[str, object] = {"lines": merge_spans(spans)}
    pods = list(dict.fromkeys(pod for finding in group for pod in _pods_of(finding)))
    if len(pods) > 1:
        own = _PODS_PREFIX.sub("", combined.message or "")
        said = f": {own}" if own else ""
        update["message"] = (
            f"{len(pods)} {combined.kind.lower()}s of {combined.workload} report"
            f" {combined.reason}{said}"
        )
        update["details"] = {**combined.details, "pods": ", ".join(pods)}
    return combined.model_copy(update=update)


def _optional_equal(first: str | None, second: str | None) -> bool:
    return first is None or second is None or first == second


def _same_object(first: KubernetesFinding, second: KubernetesFinding) -> bool:
    return (
        first.kind == second.kind
        and first.name == second.name
        and same_namespace(first, second)
        and _optional_equal(first.container, second.container)
    )


def _same_workload(first: KubernetesFinding, second: KubernetesFinding) -> bool:
    """Whether two pod findings are about pods of one workload (on one node if it matters)."""
    return (
        first.kind == second.kind
        and first.kind in _GROUPED_KINDS
        and first.workload is not None
        and first.workload == second.workload
        and same_namespace(first, second)
        and _optional_equal(first.container, second.container)
        and (first.reason not in _NODE_BOUND or _optional_equal(first.node, second.node))
    )


def _same(first: KubernetesFinding, second: KubernetesFinding) -> bool:
    return (
        first.reason == second.reason
        and (_same_object(first, second) or _same_workload(first, second))
        and first.details.get("probe") == second.details.get("probe")
    )


def _first(*values: object) -> object:
    return next((value for value in values if value is not None), None)


def _combine(first: KubernetesFinding, second: KubernetesFinding) -> KubernetesFinding:
    """Fold two reports of the same thing into one; the earlier one's words win.

    Lines are left to the caller, which joins all of a group's spans at once.
    """
    firsts = [moment for moment in (first.first_seen, second.first_seen) if moment]
    lasts = [moment for moment in (first.last_seen, second.last_seen) if moment]
    counts = [count for count in (first.count, second.count) if count is not None]
    restarts = [count for count in (first.restart_count, second.restart_count) if count is not None]
    severity = min(first.severity, second.severity, key=_SEVERITY_ORDER.__getitem__)
    update: dict[str, object] = {
        name: _first(getattr(first, name), getattr(second, name))
        for name in ("namespace", "workload", "node", "container", "message", "exit_code",
                     "first_seen_age", "last_seen_age")
    }  # fmt: skip
    informed = max((first, second), key=_knowledge)  # max keeps the first on a tie
    other = second if informed is first else first
    update |= {
        "category": other.category if informed.category is Category.UNKNOWN else informed.category,
        "severity": severity,
        "restart_count": max(restarts) if restarts else None,
        "count": max(counts) if counts else None,
        "first_seen": min(firsts) if firsts else None,
        "last_seen": max(lasts) if lasts else None,
        "requests": {**second.requests, **first.requests},
        "limits": {**second.limits, **first.limits},
        "details": {**second.details, **first.details},
    }
    return first.model_copy(update=update)


def _knowledge(finding: KubernetesFinding) -> tuple[bool, bool]:
    """How much a report knows: an exit code settles a category more than a message does."""
    return finding.exit_code is not None, finding.message is not None


def _explainer(
    finding: KubernetesFinding, candidates: list[KubernetesFinding], tiers: dict[int, int]
) -> KubernetesFinding | None:
    """Find the most causal other finding this one follows from, if any."""
    tier = tiers[id(finding)]
    stated = [other for other in candidates if explicit_cause(finding, other)]
    if stated:
        return min(stated, key=_order)
    causes = [
        other
        for other in candidates
        if other is not finding
        and (
            (tiers[id(other)] < tier and _related(finding, other)) or explicit_cause(finding, other)
        )
    ]
    return min(causes, key=_order) if causes else None


class _RelatedIndex:
    """The findings that could explain a given one: same object, workload, nodes, claims."""

    def __init__(self, findings: list[KubernetesFinding]) -> None:
        self._objects: dict[tuple[str, str], list[KubernetesFinding]] = defaultdict(list)
        self._workloads: dict[str, list[KubernetesFinding]] = defaultdict(list)
        self._nodes: list[KubernetesFinding] = []
        self._claims: list[KubernetesFinding] = []
        self._migrations = [finding for finding in findings if is_migration(finding)]
        self._network_agents = [
            finding for finding in findings if is_network_agent(finding.workload or "")
        ]
        for finding in findings:
            self._objects[(finding.kind, finding.name)].append(finding)
            if finding.workload:
                self._workloads[finding.workload].append(finding)
            if finding.kind == "Node":
                self._nodes.append(finding)
            elif finding.kind == CLAIM:
                self._claims.append(finding)

    def candidates(self, finding: KubernetesFinding) -> list[KubernetesFinding]:
        """List the findings worth testing with `_related` for `finding`."""
        found = list(self._objects.get((finding.kind, finding.name), []))
        if finding.kind == "Pod":
            found += self._nodes + self._claims + self._migrations + self._network_agents
            found += self._workloads.get(finding.workload or "", [])
        elif finding.workload:
            found += self._workloads.get(finding.workload, [])
        return found


def _related(symptom: KubernetesFinding, cause: KubernetesFinding) -> bool:
    if _same_object(symptom, cause) or _same_workload(symptom, cause):
        return True
    if cause.kind == "Node":
        return symptom.kind == "Pod" and _node_explains(cause, symptom)
    return owner_follows(symptom, cause)


def _node_explains(node: KubernetesFinding, pod: KubernetesFinding) -> bool:
    if pod.node is not None and pod.node != node.name:
        return False
    if pod.reason == "Evicted":
        resource = pod.details.get("resource")
        wanted = _PRESSURE_BY_RESOURCE.get(resource or "")
        return node.reason == wanted if wanted else node.reason.endswith("Pressure")
    if pod.reason in ("FailedScheduling", "Pending"):
        message = pod.message or ""
        if node.reason == CORDONED and _CORDONED_NODES.search(message):
            return True
        return any(f"node.kubernetes.io/{taint}" in message and node.reason == reason
                   for taint, reason in _TAINTS.items())  # fmt: skip
    return pod.reason in _LOST_WITH_NODE and node.reason in _NODE_DOWN
