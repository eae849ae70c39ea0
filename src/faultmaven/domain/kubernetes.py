"""What the Kubernetes engine reads from kubectl output: the objects and what is wrong."""

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from faultmaven.domain.diagnosis import Category

# `KubernetesFinding.details` key: the listed pods that replaced a failed one.
REPLACED_BY = "replaced by"
# The reason of a cordoned node, as kubelet's event says it: `status is now: NodeNotSchedulable`.
CORDONED = "NodeNotSchedulable"


class FindingSeverity(StrEnum):
    """How much a finding hurts the service, independent of how causal it is."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class LineSpan(BaseModel):
    """Lines `line_start`..`line_end` (1-based, inclusive) of the evidence text."""

    line_start: int = Field(ge=1)
    line_end: int = Field(ge=1)


class KubernetesObjectRef(BaseModel):
    """One object the evidence shows, e.g. `Pod shop/checkout-7d9f8c6b5d-x2k4q`.

    `namespace` is None for cluster-wide objects (nodes) and when the output does not say.
    """

    kind: str
    namespace: str | None = None
    name: str


class KubernetesFinding(BaseModel):
    """One thing wrong with one object, with the lines of the evidence that prove it.

    `reason` is Kubernetes' own word where there is one (`OOMKilled`, `CrashLoopBackOff`,
    `FailedScheduling`, `MemoryPressure`...); the engine adds `SecretNotFound`,
    `ConfigMapNotFound`, `SecretKeyNotFound` and `ConfigMapKeyNotFound` for a missing
    reference named in a message. `workload` is the controller's name without generated
    suffixes (`checkout` for pod `checkout-7d9f8c6b5d-x2k4q`; None for a node).
    `first_seen`/`last_seen` are UTC times the output states; `first_seen_age`/
    `last_seen_age` keep relative ages (`4m`, `2d3h`) exactly as printed. `requests` and
    `limits` hold the resources that matter for the finding (the container's, the pod's
    total, or a node's allocated share); `details` other facts printed beside it (probe,
    missing secret name, evicted resource, job pod counts). `explained_by` names the
    reason of a more causal finding this one follows from (a `CrashLoopBackOff` caused
    by `OOMKilled`). `lines` is never empty.
    """

    kind: str
    namespace: str | None = None
    name: str
    workload: str | None = None
    node: str | None = None
    container: str | None = None
    reason: str
    category: Category
    severity: FindingSeverity
    message: str | None = None
    exit_code: int | None = None
    restart_count: int | None = None
    count: int | None = None
    requests: dict[str, str] = Field(default_factory=dict)
    limits: dict[str, str] = Field(default_factory=dict)
    details: dict[str, str] = Field(default_factory=dict)
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    first_seen_age: str | None = None
    last_seen_age: str | None = None
    explained_by: str | None = None
    lines: list[LineSpan] = Field(min_length=1)

    @property
    def component(self) -> str:
        """The component a diagnosis names: the workload, else the object (a node's name)."""
        return self.workload or self.name


class KubernetesEvidence(BaseModel):
    """Everything read from one piece of Kubernetes evidence.

    `objects` lists each object seen once, in order of appearance. `findings` is
    ranked most causal first: a cause before the symptoms it explains.
    """

    objects: list[KubernetesObjectRef] = Field(default_factory=list)
    findings: list[KubernetesFinding] = Field(default_factory=list)


class FindingSource(BaseModel):
    """Where one evidence item of a case shows a finding: the item's position and its lines."""

    item: int = Field(ge=0)
    lines: list[LineSpan] = Field(min_length=1)


class CaseFinding(BaseModel):
    """A finding of a whole case, as one or more of its evidence items show it.

    `finding.lines` are the lines of the first source; `sources` lists every item that
    shows the finding (the pod's describe and the event listing) with its own lines.
    """

    finding: KubernetesFinding
    sources: list[FindingSource] = Field(min_length=1)
