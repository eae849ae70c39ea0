"""Facts from API objects (`kubectl get -o yaml|json`), read through the client's models."""

from collections.abc import Iterator, Mapping

from kubernetes.client import V1ObjectMeta, V1OwnerReference

from faultmaven.domain.kubernetes import LineSpan
from faultmaven.integrations.kubernetes._documents import Document, key_lines
from faultmaven.integrations.kubernetes._facts import (
    ConditionFacts,
    ControllerFacts,
    Facts,
    NodeFacts,
    ObjectFacts,
)
from faultmaven.integrations.kubernetes._models import load
from faultmaven.integrations.kubernetes._object_parts import (
    CONDITION_MODELS,
    Part,
    condition_facts,
    event_facts,
    pod_facts,
)
from faultmaven.integrations.kubernetes._policy_objects import policy_object_facts
from faultmaven.integrations.kubernetes._workloads import (
    CLUSTER_SCOPED,
    controller_workload,
    pod_workload,
)

_CONTROLLERS = frozenset({"Job", "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "CronJob"})


def read_objects(documents: list[Document]) -> Iterator[tuple[ObjectFacts | None, list[Facts]]]:
    """Yield each object in the documents (List items included): who it is, its facts."""
    for document in documents:
        for part in _parts(document):
            yield _read(part)


def _parts(document: Document) -> Iterator[Part]:
    data = document.data
    if not isinstance(data, Mapping):
        return
    kind = data.get("kind")
    items = data.get("items")
    if isinstance(items, list) and (not isinstance(kind, str) or kind.endswith("List")):
        item_kind = kind[: -len("List")] if isinstance(kind, str) and kind != "List" else None
        for index, item in enumerate(items):
            if isinstance(item, Mapping):
                yield Part(document, ("items", index), item, item_kind)
        return
    yield Part(document, (), data, None)


def _read(part: Part) -> tuple[ObjectFacts | None, list[Facts]]:
    kind = part.data.get("kind")
    kind = kind if isinstance(kind, str) else part.default_kind
    if not kind:
        return None, []
    if kind == "Event":
        event = event_facts(part)
        return (event.identity, [event]) if event else (None, [])
    meta = load(V1ObjectMeta, part.data.get("metadata"))
    if meta is None or not meta.name:
        return None, []
    identity = _identity(kind, meta)
    if kind == "Pod":
        pod = pod_facts(part, identity)
        pod.labels = dict(meta.labels or {})
        pod.label_lines = key_lines(part.document, (*part.path, "metadata"), ("labels",))
        return identity, [pod]
    if kind == "NetworkPolicy":
        return identity, policy_object_facts(part, identity)
    if kind == "Node":
        return identity, [NodeFacts(identity, _conditions(part, kind), cordon_lines=_cordon(part))]
    if kind in _CONTROLLERS:
        return identity, [ControllerFacts(identity, _conditions(part, kind), _details(part, kind))]
    return identity, []


def _identity(kind: str, meta: V1ObjectMeta) -> ObjectFacts:
    name = meta.name or ""
    namespace = None if kind in CLUSTER_SCOPED else meta.namespace
    owner = _controller_of(meta.owner_references or [])
    if kind == "Pod":
        workload = pod_workload(
            name,
            owner_kind=owner.kind if owner else None,
            owner_name=owner.name if owner else None,
            template_hash=(meta.labels or {}).get("pod-template-hash"),
        )
        return ObjectFacts(kind, namespace, name, workload)
    if kind in CLUSTER_SCOPED:
        return ObjectFacts(kind, None, name, None, name if kind == "Node" else None)
    if kind == "Job" and owner is not None and owner.kind == "CronJob":
        return ObjectFacts(kind, namespace, name, owner.name)
    return ObjectFacts(kind, namespace, name, controller_workload(kind, name))


def _controller_of(owners: list[V1OwnerReference]) -> V1OwnerReference | None:
    return next((owner for owner in owners if owner.controller), owners[0] if owners else None)


def _conditions(part: Part, kind: str) -> list[ConditionFacts]:
    model = CONDITION_MODELS.get(kind)
    status = part.data.get("status")
    raw = status.get("conditions") if isinstance(status, Mapping) else None
    if model is None or not isinstance(raw, list):
        return []
    conditions = []
    for index, item in enumerate(raw):
        condition = condition_facts(part, model, item, ("status", "conditions", index))
        if condition is not None:
            conditions.append(condition)
    return conditions


def _cordon(part: Part) -> list[LineSpan]:
    """Cite `spec.unschedulable: true`, the field `kubectl cordon` sets."""
    spec = part.data.get("spec")
    if not isinstance(spec, Mapping) or spec.get("unschedulable") is not True:
        return []
    return key_lines(part.document, (*part.path, "spec"), ("unschedulable",))


def _details(part: Part, kind: str) -> dict[str, str]:
    """Pod counts and limits a controller's status and spec state."""
    status = part.data.get("status")
    spec = part.data.get("spec")
    details: dict[str, str] = {}
    if isinstance(status, Mapping):
        for key, name in (("failed", "failed pods"), ("active", "active pods")):
            if isinstance(status.get(key), int) and kind == "Job":
                details[name] = str(status[key])
        for key in ("replicas", "readyReplicas", "unavailableReplicas"):
            if isinstance(status.get(key), int):
                details[key] = str(status[key])
    if isinstance(spec, Mapping) and isinstance(spec.get("backoffLimit"), int):
        details["backoff limit"] = str(spec["backoffLimit"])
    return details
