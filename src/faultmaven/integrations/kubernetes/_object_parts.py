"""Read a pod's containers, any object's conditions and events through the client's models."""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kubernetes.client import (
    CoreV1Event,
    EventsV1Event,
    V1Container,
    V1ContainerStateTerminated,
    V1ContainerStatus,
    V1DaemonSetCondition,
    V1DeploymentCondition,
    V1JobCondition,
    V1NodeCondition,
    V1ObjectReference,
    V1PodCondition,
    V1Probe,
    V1ReplicaSetCondition,
    V1StatefulSetCondition,
)

from faultmaven.integrations.kubernetes._documents import Document, key_lines
from faultmaven.integrations.kubernetes._facts import (
    ConditionFacts,
    ContainerFacts,
    EventFacts,
    ObjectFacts,
    PodFacts,
    Termination,
)
from faultmaven.integrations.kubernetes._models import ApiModel, load
from faultmaven.integrations.kubernetes._text import as_utc
from faultmaven.integrations.kubernetes._workloads import CLUSTER_SCOPED, workload_of

KeyPath = tuple[str | int, ...]
_FIELD_CONTAINER = re.compile(r"\{([^}]+)\}")

CONDITION_MODELS: dict[str, type[ApiModel]] = {
    "Pod": V1PodCondition,
    "Node": V1NodeCondition,
    "Job": V1JobCondition,
    "Deployment": V1DeploymentCondition,
    "ReplicaSet": V1ReplicaSetCondition,
    "StatefulSet": V1StatefulSetCondition,
    "DaemonSet": V1DaemonSetCondition,
}


@dataclass(frozen=True, slots=True)
class Part:
    """One object inside a document: its raw data, where it sits, its kind if the list says."""

    document: Document
    path: KeyPath
    data: Mapping[Any, Any]
    default_kind: str | None


def _mapping(value: object) -> Mapping[Any, Any]:
    return value if isinstance(value, Mapping) else {}


def _items(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def condition_facts(
    part: Part, model: type[ApiModel], raw: object, path: KeyPath
) -> ConditionFacts | None:
    """Read a status condition of any kind of object, with the lines that state it."""
    condition = load(model, raw)
    if condition is None:
        return None
    fields: Any = condition  # the condition models share these fields but no base class
    return ConditionFacts(
        type=fields.type,
        status=fields.status,
        reason=fields.reason,
        message=fields.message,
        since=as_utc(getattr(fields, "last_transition_time", None)),
        checked=as_utc(getattr(fields, "last_heartbeat_time", None)),
        lines=key_lines(part.document, part.path + path, ("type", "status", "reason", "message")),
    )


def pod_facts(part: Part, identity: ObjectFacts) -> PodFacts:
    """Read a pod's node, pod-level reason, conditions and containers."""
    spec, status = _mapping(part.data.get("spec")), _mapping(part.data.get("status"))
    node = spec.get("nodeName")
    if isinstance(node, str):
        identity.node = node
    pod = PodFacts(identity)
    reason, message = status.get("reason"), status.get("message")
    if isinstance(reason, str) and reason:
        pod.reason = reason
        pod.message = message if isinstance(message, str) else None
        pod.status_lines = key_lines(part.document, (*part.path, "status"), ("reason", "message"))
    for index, raw in enumerate(_items(status.get("conditions"))):
        condition = condition_facts(part, V1PodCondition, raw, ("status", "conditions", index))
        if condition is not None:
            pod.conditions.append(condition)
    specs = {}
    for key in ("initContainers", "containers"):
        for raw in _items(spec.get(key)):
            container = load(V1Container, raw)
            if container is not None:
                specs[container.name] = container
    for key, init in (("initContainerStatuses", True), ("containerStatuses", False)):
        for index, raw in enumerate(_items(status.get(key))):
            found = _container(part, ("status", key, index), raw, init, specs)
            if found is not None:
                pod.containers.append(found)
    reported = {container.name for container in pod.containers}
    for name, container in specs.items():
        if name not in reported:  # a pod not scheduled yet has no statuses
            pod.containers.append(_resources(ContainerFacts(name), container))
    return pod


def _container(
    part: Part, path: KeyPath, raw: object, init: bool, specs: dict[str, V1Container]
) -> ContainerFacts | None:
    status = load(V1ContainerStatus, raw)
    if status is None:
        return None
    container = ContainerFacts(status.name, init=init, restart_count=status.restart_count)
    waiting = status.state.waiting if status.state else None
    if waiting is not None and waiting.reason:
        container.waiting_reason = waiting.reason
        container.waiting_message = waiting.message
        container.waiting_lines = key_lines(
            part.document, part.path + path + ("state", "waiting"), ("reason", "message")
        )
    if status.state and status.state.terminated:
        container.terminated = _termination(
            part, (*path, "state", "terminated"), status.state.terminated
        )
    if status.last_state and status.last_state.terminated:
        container.last_terminated = _termination(
            part, (*path, "lastState", "terminated"), status.last_state.terminated
        )
    spec = specs.get(status.name)
    return _resources(container, spec) if spec is not None else container


def _termination(part: Part, path: KeyPath, ended: V1ContainerStateTerminated) -> Termination:
    return Termination(
        reason=ended.reason,
        exit_code=ended.exit_code,
        message=ended.message,
        finished=as_utc(ended.finished_at),
        lines=key_lines(part.document, part.path + path, ("exitCode", "reason", "message")),
    )


def _resources(facts: ContainerFacts, spec: V1Container) -> ContainerFacts:
    if spec.resources is not None:
        facts.requests = dict(spec.resources.requests or {})
        facts.limits = dict(spec.resources.limits or {})
    for name, probe in (
        ("liveness", spec.liveness_probe),
        ("readiness", spec.readiness_probe),
        ("startup", spec.startup_probe),
    ):
        if probe is not None:
            facts.probes[name] = describe_probe(probe)
    return facts


def describe_probe(probe: V1Probe) -> str:
    """Print a probe as `kubectl describe` does: `http-get http://:8080/ready delay=0s ...`."""
    attributes = (
        f"delay={probe.initial_delay_seconds or 0}s timeout={probe.timeout_seconds or 1}s "
        f"period={probe.period_seconds or 10}s #success={probe.success_threshold or 1} "
        f"#failure={probe.failure_threshold or 3}"
    )
    if probe.http_get is not None:
        action = probe.http_get
        scheme = (action.scheme or "HTTP").lower()
        return (
            f"http-get {scheme}://{action.host or ''}:{action.port}{action.path or ''} {attributes}"
        )
    if probe.tcp_socket is not None:
        return f"tcp-socket {probe.tcp_socket.host or ''}:{probe.tcp_socket.port} {attributes}"
    if probe.grpc is not None:
        return f"grpc <pod>:{probe.grpc.port} {probe.grpc.service or ''} {attributes}"
    if probe.var_exec is not None:
        return f"exec {probe.var_exec.command or []} {attributes}"
    return f"unknown {attributes}"


def event_facts(part: Part) -> EventFacts | None:
    """Read an Event object (core/v1 or events.k8s.io/v1) about the object it involves."""
    api_version = part.data.get("apiVersion")
    if api_version == "events.k8s.io/v1":
        return _new_event(part)
    event = load(CoreV1Event, part.data)
    if event is None or not event.reason:
        return None
    series = event.series
    return EventFacts(
        identity=_involved(event.involved_object),
        type=event.type,
        reason=event.reason,
        message=(event.message or "").strip(),
        lines=key_lines(part.document, part.path, ("reason", "message")),
        container=_field_container(event.involved_object.field_path),
        count=series.count if series and series.count else event.count,
        first_seen=as_utc(event.first_timestamp or event.event_time),
        last_seen=as_utc(
            (series.last_observed_time if series else None)
            or event.last_timestamp
            or event.event_time
        ),
    )


def _new_event(part: Part) -> EventFacts | None:
    event = load(EventsV1Event, part.data)
    if event is None or not event.reason or event.regarding is None:
        return None
    series = event.series
    return EventFacts(
        identity=_involved(event.regarding),
        type=event.type,
        reason=event.reason,
        message=(event.note or "").strip(),
        lines=key_lines(part.document, part.path, ("reason", "note")),
        container=_field_container(event.regarding.field_path),
        count=series.count if series else event.deprecated_count,
        first_seen=as_utc(event.deprecated_first_timestamp or event.event_time),
        last_seen=as_utc(
            (series.last_observed_time if series else None)
            or event.deprecated_last_timestamp
            or event.event_time
        ),
    )


def _involved(reference: V1ObjectReference) -> ObjectFacts:
    kind = reference.kind or "Unknown"
    name = reference.name or kind
    namespace = None if kind in CLUSTER_SCOPED else reference.namespace
    return ObjectFacts(
        kind, namespace, name, workload_of(kind, name), name if kind == "Node" else None
    )


def _field_container(field_path: str | None) -> str | None:
    match = _FIELD_CONTAINER.search(field_path or "")
    return match.group(1) if match else None
