"""What the readers extract, whatever the layout they read it from.

`kubectl describe`, `-o yaml|json` and the tables all reduce to these facts, so one set
of rules (`_findings.py`) turns any of them into findings.
"""

from dataclasses import dataclass, field
from datetime import datetime

from faultmaven.domain.kubernetes import LineSpan


@dataclass(slots=True)
class ObjectFacts:
    """Who an object is: kind, namespace, name, workload and (for pods) node."""

    kind: str
    namespace: str | None
    name: str
    workload: str | None
    node: str | None = None


@dataclass(slots=True)
class Termination:
    """How a container last ended: reason, exit code, message, when."""

    reason: str | None
    exit_code: int | None
    message: str | None
    finished: datetime | None
    lines: list[LineSpan]


@dataclass(slots=True)
class ContainerFacts:
    """A container's state, last termination, restarts, resources and probes."""

    name: str
    init: bool = False
    waiting_reason: str | None = None
    waiting_message: str | None = None
    waiting_lines: list[LineSpan] = field(default_factory=list)
    terminated: Termination | None = None
    last_terminated: Termination | None = None
    restart_count: int | None = None
    requests: dict[str, str] = field(default_factory=dict)
    limits: dict[str, str] = field(default_factory=dict)
    probes: dict[str, str] = field(default_factory=dict)
    probe_lines: dict[str, list[LineSpan]] = field(default_factory=dict)
    restart_lines: list[LineSpan] = field(default_factory=list)
    limit_lines: list[LineSpan] = field(default_factory=list)
    ports: list[int] = field(default_factory=list)
    port_lines: list[LineSpan] = field(default_factory=list)


@dataclass(slots=True)
class ConditionFacts:
    """A status condition (`MemoryPressure True`, `PodScheduled False Unschedulable`)."""

    type: str
    status: str
    reason: str | None
    message: str | None
    since: datetime | None
    lines: list[LineSpan]
    checked: datetime | None = None


@dataclass(slots=True)
class PodFacts:
    """A pod: its phase and pod-level reason, conditions and containers."""

    identity: ObjectFacts
    reason: str | None = None
    message: str | None = None
    status_lines: list[LineSpan] = field(default_factory=list)
    conditions: list[ConditionFacts] = field(default_factory=list)
    containers: list[ContainerFacts] = field(default_factory=list)
    labels: dict[str, str] | None = None
    label_lines: list[LineSpan] = field(default_factory=list)


@dataclass(slots=True)
class NodeFacts:
    """A node: its conditions, the share of its resources already requested, its cordon.

    `cordon_lines` cite what shows the node cordoned (`Ready,SchedulingDisabled`,
    `Unschedulable: true`, `spec.unschedulable`); empty when it takes new pods.
    """

    identity: ObjectFacts
    conditions: list[ConditionFacts] = field(default_factory=list)
    allocated_requests: dict[str, str] = field(default_factory=dict)
    allocated_limits: dict[str, str] = field(default_factory=dict)
    cordon_lines: list[LineSpan] = field(default_factory=list)


@dataclass(slots=True)
class ControllerFacts:
    """A Job, Deployment, ReplicaSet, StatefulSet or DaemonSet: conditions and pod counts."""

    identity: ObjectFacts
    conditions: list[ConditionFacts] = field(default_factory=list)
    details: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class EventFacts:
    """One event row or Event object, about the object it involves."""

    identity: ObjectFacts
    type: str | None
    reason: str
    message: str
    lines: list[LineSpan]
    container: str | None = None
    count: int | None = None
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    first_seen_age: str | None = None
    last_seen_age: str | None = None


@dataclass(slots=True)
class PodRowFacts:
    """One row of `kubectl get pods`: the STATUS column and the restarts."""

    identity: ObjectFacts
    status: str
    restart_count: int | None
    ready: str | None
    lines: list[LineSpan]
    labels: dict[str, str] | None = None


@dataclass(slots=True)
class ServiceFacts:
    """A Service (or its Endpoints) with no ready address behind it, and what it selects."""

    identity: ObjectFacts
    selector: dict[str, str]
    lines: list[LineSpan]


@dataclass(slots=True)
class ServicePortFacts:
    """A Service that has endpoints, the pods it selects and the numbered port it sends to."""

    identity: ObjectFacts
    selector: dict[str, str]
    target_port: int
    lines: list[LineSpan]


@dataclass(slots=True)
class PolicyFacts:
    """A NetworkPolicy that isolates the pods it selects for ingress or egress."""

    identity: ObjectFacts
    selector: dict[str, str]
    isolated: list[str]
    lines: list[LineSpan]


@dataclass(slots=True)
class BackendFacts:
    """An Ingress backend whose Service kubectl could not find (`<error: ... not found>`)."""

    identity: ObjectFacts
    service: str
    port: str
    path: str | None
    default: bool
    lines: list[LineSpan]


@dataclass(slots=True)
class PodUsageFacts:
    """One row of `kubectl top pods` (or `--containers`): CPU use in millicores."""

    identity: ObjectFacts
    container: str | None
    millicores: int
    lines: list[LineSpan]


Facts = (
    PodFacts
    | NodeFacts
    | ControllerFacts
    | EventFacts
    | PodRowFacts
    | ServiceFacts
    | ServicePortFacts
    | PolicyFacts
    | BackendFacts
    | PodUsageFacts
)
