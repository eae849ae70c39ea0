"""Turn facts about pods, nodes, controllers and events into findings."""

import re
from dataclasses import replace
from typing import Any

from faultmaven.domain.diagnosis import Category
from faultmaven.domain.kubernetes import FindingSeverity, KubernetesFinding
from faultmaven.integrations.kubernetes._condition_findings import (
    controller_findings,
    node_findings,
)
from faultmaven.integrations.kubernetes._facts import (
    BackendFacts,
    ContainerFacts,
    ControllerFacts,
    EventFacts,
    Facts,
    NodeFacts,
    PodFacts,
    PodRowFacts,
    PolicyFacts,
    ServiceFacts,
)
from faultmaven.integrations.kubernetes._finding import (
    forbidden_findings,
    missing_findings,
    new_finding,
)
from faultmaven.integrations.kubernetes._pod_findings import (
    POD_RESOURCES,
    pod_findings,
    pod_row_findings,
)
from faultmaven.integrations.kubernetes._reasons import (
    NOTEWORTHY_NORMAL,
    POD_LEVEL,
    event_reason,
    low_resource,
    probe_kind,
    profile,
)
from faultmaven.integrations.kubernetes._resources import pod_totals
from faultmaven.integrations.kubernetes._stale_events import event_age
from faultmaven.integrations.kubernetes._traffic import (
    backend_finding,
    policy_finding,
    service_finding,
)

# The detail a node's NotReady episode carries once a later NodeReady event ended it.
READY_AGAIN = "ready again"
_FAILED_CONTAINER = re.compile(r'failed container "?([\w.-]+)"? in pod')

PodIndex = dict[tuple[str | None, str], PodFacts]
DetailIndex = dict[tuple[str, str | None, str], dict[str, str]]


def findings_of(facts: list[Facts]) -> list[KubernetesFinding]:
    """List every finding the facts support, in the order the facts came."""
    pods: PodIndex = {}
    controllers: DetailIndex = {}
    for fact in facts:
        if isinstance(fact, PodFacts):
            pods[(fact.identity.namespace, fact.identity.name)] = fact
            pods.setdefault((None, fact.identity.name), fact)
        elif isinstance(fact, ControllerFacts):
            identity = fact.identity
            controllers[(identity.kind, identity.namespace, identity.name)] = fact.details
    found: list[KubernetesFinding] = []
    for fact in facts:
        if isinstance(fact, PodFacts):
            found += pod_findings(fact)
        elif isinstance(fact, NodeFacts):
            found += node_findings(fact)
        elif isinstance(fact, ControllerFacts):
            found += controller_findings(fact)
        elif isinstance(fact, EventFacts):
            found += _event(fact, pods, controllers)
        elif isinstance(fact, ServiceFacts):
            found.append(service_finding(fact))
        elif isinstance(fact, PolicyFacts):
            found.append(policy_finding(fact))
        elif isinstance(fact, PodRowFacts):
            found += pod_row_findings(fact)
        elif isinstance(fact, BackendFacts):
            found.append(backend_finding(fact))
    retired = _retired_nodes(facts)
    kept = [finding for finding in found if not _gone_with_retired_node(finding, retired)]
    ready_again = _ready_again(facts)
    return [_recovered(f, ready_again) if _back_since(f, ready_again) else f for f in kept]


# The autoscaler's own events when it removes a node on purpose (cluster-autoscaler's
# `ScaleDown` "marked the node as toBeDeleted/unschedulable", Karpenter's disruption).
_RETIRING_REASONS = frozenset({"ScaleDown", "DisruptionTerminating", "Disrupting"})
# What a node removed on purpose shows on its way out: it stops reporting and its pods go.
_LEAVING_NODE_REASONS = frozenset(
    {"NodeNotReady", "NetworkNotReady", "NodeNotSchedulable", "TaintManagerEviction",
     "ContainerStatusUnknown"}
)  # fmt: skip


def _retired_nodes(facts: list[Facts]) -> set[str]:
    """Return the nodes an autoscaler's events say it is removing on purpose."""
    return {
        fact.identity.name
        for fact in facts
        if isinstance(fact, EventFacts)
        and fact.identity.kind == "Node"
        and fact.reason in _RETIRING_REASONS
    }


def _ready_again(facts: list[Facts]) -> dict[str, str]:
    """Map each node a `NodeReady` event reports to the age of its latest such event."""
    ready: dict[str, str] = {}
    for fact in facts:
        if isinstance(fact, EventFacts) and fact.identity.kind == "Node":
            age = fact.last_seen_age or fact.first_seen_age
            if fact.reason == "NodeReady" and age is not None:
                known = event_age(ready.get(fact.identity.name))
                if known is None or (event_age(age) or known) < known:
                    ready[fact.identity.name] = age
    return ready


def _back_since(finding: KubernetesFinding, ready_again: dict[str, str]) -> bool:
    """Tell whether a node's NotReady event is older than a NodeReady event of that node."""
    if finding.kind != "Node" or finding.reason != "NodeNotReady":
        return False
    down, up = event_age(finding.last_seen_age), event_age(ready_again.get(finding.name))
    return down is not None and up is not None and up < down


def _recovered(finding: KubernetesFinding, ready_again: dict[str, str]) -> KubernetesFinding:
    """Lower a node's NotReady episode that a later NodeReady ended."""
    return finding.model_copy(
        update={
            "severity": FindingSeverity.LOW,
            "details": {**finding.details, READY_AGAIN: f"{ready_again[finding.name]} ago"},
        }
    )


def _gone_with_retired_node(finding: KubernetesFinding, retired: set[str]) -> bool:
    """Tell whether a finding is only a retired node leaving (NotReady, its pods evicted)."""
    if finding.reason not in _LEAVING_NODE_REASONS:
        return False
    node = finding.name if finding.kind == "Node" else finding.node
    return node is not None and node in retired


# A probe answered with a client error: the path, port or credentials it uses are wrong.
_PROBE_REFUSED = re.compile(r"HTTP probe failed with statuscode: (4\d\d)")


def _event(event: EventFacts, pods: PodIndex, controllers: DetailIndex) -> list[KubernetesFinding]:
    reason = event_reason(event.reason, event.message)
    probe_kill = event.reason == "Killing" and reason == "Unhealthy"
    if event.type == "Normal" and event.reason not in NOTEWORTHY_NORMAL and not probe_kill:
        return []
    if (
        event.type not in ("Warning", "Normal")
        and profile(event.reason).category is Category.UNKNOWN
    ):
        return []
    identity = event.identity
    pod = pods.get((identity.namespace, identity.name)) if identity.kind == "Pod" else None
    if pod is not None and identity.node is None:
        identity = replace(identity, node=pod.identity.node)
    key = (identity.kind, identity.namespace, identity.name)
    details: dict[str, str] = dict(controllers.get(key, {}))
    severity: FindingSeverity | None = None
    container = event.container
    if container is None and reason not in POD_LEVEL:
        container = _container_named_in(event.message, pod)
    probe = probe_kind(event.message) if reason == "Unhealthy" else None
    lines = list(event.lines)
    restarts: int | None = None
    if probe:
        details["probe"] = probe
        probed = _probed_container(pod, container, probe)
        if probed is not None:
            details["probe definition"] = probed.probes[probe]
            lines += probed.probe_lines.get(probe, [])
            if probe != "readiness":  # the kubelet restarts a container for these probes
                restarts = probed.restart_count
                lines += probed.restart_lines
        severity = FindingSeverity.MEDIUM if probe == "readiness" else FindingSeverity.HIGH
        refused = _PROBE_REFUSED.search(event.message)
        if refused is not None:
            # The app answered, but not at this path or without these credentials: the
            # probe itself is wrong (a release moved the health endpoint), not the app slow.
            details["probe answer"] = refused.group(1)
            severity = FindingSeverity.CRITICAL
    resource = low_resource(event.message) if reason == "Evicted" else None
    if resource:
        details["resource"] = resource
    requests, limits = pod_totals(pod.containers) if pod and reason in POD_RESOURCES else ({}, {})
    timing: dict[str, Any] = {
        "count": event.count,
        "first_seen": event.first_seen,
        "last_seen": event.last_seen,
        "first_seen_age": event.first_seen_age,
        "last_seen_age": event.last_seen_age,
    }
    found = [
        new_finding(
            identity, reason, lines, message=event.message, severity=severity,
            container=container, details=details, requests=requests, limits=limits,
            restart_count=restarts, **timing,
        )
    ]  # fmt: skip
    found += missing_findings(identity, event.message, event.lines, container=container, **timing)
    found += forbidden_findings(identity, event.message, event.lines, container=container, **timing)
    return found


def _container_named_in(message: str, pod: PodFacts | None) -> str | None:
    match = _FAILED_CONTAINER.search(message)
    if match:
        return match.group(1)
    if pod is not None:
        running = [container.name for container in pod.containers if not container.init]
        if len(running) == 1:
            return running[0]
    return None


def _probed_container(
    pod: PodFacts | None, container: str | None, probe: str
) -> ContainerFacts | None:
    if pod is None:
        return None
    for each in pod.containers:
        if (container is None or each.name == container) and probe in each.probes:
            return each
    return None
