"""Facts from `kubectl get events`, `get pods` (any of -A, -o wide), `get nodes` and `top pods`."""

import re

from faultmaven.integrations.kubernetes._facts import (
    ConditionFacts,
    EventFacts,
    NodeFacts,
    ObjectFacts,
    PodRowFacts,
    PodUsageFacts,
    ServiceFacts,
)
from faultmaven.integrations.kubernetes._text import (
    OBJECT_NAME,
    cells_of,
    columns_of,
    key_value_pairs,
    millicores,
    read_age,
    read_int,
    span,
)
from faultmaven.integrations.kubernetes._workloads import (
    CLUSTER_SCOPED,
    canonical_kind,
    workload_of,
)

_READY = re.compile(r"^\d+/\d+$")
_FIELD_CONTAINER = re.compile(r"\{([^}]+)\}")
_EVENT_TYPES = frozenset({"Normal", "Warning"})
_NODE_READINESS = frozenset({"Ready", "NotReady", "Unknown"})


def _identity(kind: str, namespace: str | None, name: str) -> ObjectFacts:
    kind = canonical_kind(kind)
    scoped = None if kind in CLUSTER_SCOPED else namespace
    return ObjectFacts(
        kind, scoped, name, workload_of(kind, name), name if kind == "Node" else None
    )


def read_events_table(lines: list[str], start: int, end: int) -> list[EventFacts]:
    """Rows of a `kubectl get events` table whose header is `lines[start]` (0-based)."""
    columns = columns_of(lines[start])
    events: list[EventFacts] = []
    for index in range(start + 1, end):
        cells = cells_of(lines[index], columns, wide="MESSAGE")
        event = _event(cells, index + 1)
        if event is not None:
            events.append(event)
    return events


def _event(cells: dict[str, str], line: int) -> EventFacts | None:
    kind_name = cells.get("OBJECT")
    if kind_name is not None:
        kind, _, name = kind_name.partition("/")
    else:  # kubectl before 1.14: separate NAME and KIND columns
        kind, name = cells.get("KIND", ""), cells.get("NAME", "")
    if cells.get("TYPE") not in _EVENT_TYPES or not cells.get("REASON") or not kind:
        return None
    last = read_age(cells.get("LAST SEEN") or cells.get("LASTSEEN") or "")
    first = read_age(cells.get("FIRST SEEN") or cells.get("FIRSTSEEN") or "")
    container = _FIELD_CONTAINER.search(cells.get("SUBOBJECT", ""))
    return EventFacts(
        identity=_identity(kind, cells.get("NAMESPACE") or None, name or kind),
        type=cells["TYPE"],
        reason=cells["REASON"],
        message=cells.get("MESSAGE", ""),
        lines=[span(line)],
        container=container.group(1) if container else None,
        count=read_int(cells.get("COUNT")) or (last.count if last else None),
        first_seen_age=first.last if first else (last.first if last and last.count else None),
        last_seen_age=last.last if last else None,
    )


def read_pods_table(lines: list[str], start: int, end: int) -> list[PodRowFacts]:
    """Rows of a `kubectl get pods` table whose header is `lines[start]` (0-based)."""
    columns = columns_of(lines[start])
    rows: list[PodRowFacts] = []
    for index in range(start + 1, end):
        cells = cells_of(lines[index], columns, wide="STATUS")
        name, ready = cells.get("NAME", ""), cells.get("READY", "")
        if not OBJECT_NAME.match(name) or not _READY.match(ready):
            continue
        identity = _identity("Pod", cells.get("NAMESPACE") or None, name)
        node = cells.get("NODE", "")
        if node and not node.startswith("<"):
            identity.node = node
        rows.append(
            PodRowFacts(
                identity=identity,
                status=cells.get("STATUS", ""),
                restart_count=read_int(cells.get("RESTARTS")),
                ready=ready,
                lines=[span(index + 1)],
                labels=_labels(cells["LABELS"]) if "LABELS" in cells else None,
            )
        )
    return rows


def read_nodes_table(lines: list[str], start: int, end: int) -> list[NodeFacts]:
    """Rows of a `kubectl get nodes` table: which nodes are not ready, which cordoned.

    STATUS joins readiness and the cordon: `Ready`, `NotReady`, `Ready,SchedulingDisabled`.
    """
    columns = columns_of(lines[start])
    nodes: list[NodeFacts] = []
    for index in range(start + 1, end):
        cells = cells_of(lines[index], columns)
        name, status = cells.get("NAME", ""), cells.get("STATUS", "").split(",")
        if not OBJECT_NAME.match(name) or status[0] not in _NODE_READINESS:
            continue
        node = NodeFacts(_identity("Node", None, name))
        if status[0] != "Ready":
            node.conditions.append(
                ConditionFacts("Ready", "False", None, None, None, [span(index + 1)])
            )
        if "SchedulingDisabled" in status[1:]:
            node.cordon_lines = [span(index + 1)]
        nodes.append(node)
    return nodes


def _labels(cell: str) -> dict[str, str]:
    """Read `--show-labels`' `app=web,tier=api` cell (`<none>` for a pod without labels)."""
    return key_value_pairs(cell.split(","))


def read_endpoints_table(
    lines: list[str], start: int, end: int
) -> tuple[list[ObjectFacts], list[ServiceFacts]]:
    """Rows of `kubectl get endpoints`: every object, and the Services with no address."""
    columns = columns_of(lines[start])
    seen: list[ObjectFacts] = []
    empty: list[ServiceFacts] = []
    for index in range(start + 1, end):
        cells = cells_of(lines[index], columns, wide="ENDPOINTS")
        name, namespace = cells.get("NAME", ""), cells.get("NAMESPACE") or None
        if not OBJECT_NAME.match(name):
            continue
        seen.append(_identity("Endpoints", namespace, name))
        if cells.get("ENDPOINTS") == "<none>":
            empty.append(ServiceFacts(_identity("Service", namespace, name), {}, [span(index + 1)]))
    return seen, empty


def read_top_table(lines: list[str], start: int, end: int) -> list[PodUsageFacts]:
    """Rows of a `kubectl top pods` table whose header is `lines[start]` (0-based)."""
    columns = columns_of(lines[start])
    rows: list[PodUsageFacts] = []
    for index in range(start + 1, end):
        cells = cells_of(lines[index], columns)
        pod = cells.get("POD") or cells.get("NAME", "")
        used = millicores(cells.get("CPU(CORES)", ""))
        if not OBJECT_NAME.match(pod) or used is None:
            continue
        namespace = cells.get("NAMESPACE") or None
        identity = _identity("Pod", namespace, pod)
        container = cells.get("NAME") if "POD" in cells else None
        rows.append(PodUsageFacts(identity, container, used, [span(index + 1)]))
    return rows
