"""Turn facts about pods, nodes, controllers and events into findings."""

import re
from dataclasses import replace

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
    event_timing,
    forbidden_findings,
    missing_findings,
    new_finding,
)
from faultmaven.integrations.kubernetes._node_episodes import with_node_episodes
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
from faultmaven.integrations.kubernetes._replica_resets import replica_resets
from faultmaven.integrations.kubernetes._resources import pod_totals
from faultmaven.integrations.kubernetes._sidecars import with_sidecars_lowered
from faultmaven.integrations.kubernetes._traffic import (
    backend_finding,
    policy_finding,
    service_finding,
)

_FAILED_CONTAINER = re.compile(r'(?:failed container|\bContainer) "?([\w.-]+)"? in pod')

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
    found = with_sidecars_lowered([*found, *replica_resets(facts)])
    return with_node_episodes(found, facts)


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
    timing = event_timing(event)
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
