"""Facts from `kubectl describe` output: pods, nodes, controllers, claims and their events."""

from faultmaven.domain.kubernetes import LineSpan
from faultmaven.integrations.kubernetes._claims import claim_workload
from faultmaven.integrations.kubernetes._describe_kinds import describe_kind
from faultmaven.integrations.kubernetes._describe_traffic import (
    ingress_facts,
    policy_facts,
    service_facts,
)
from faultmaven.integrations.kubernetes._describe_tree import Entry, labels, parse_block, table
from faultmaven.integrations.kubernetes._facts import (
    ConditionFacts,
    ContainerFacts,
    ControllerFacts,
    EventFacts,
    Facts,
    NodeFacts,
    ObjectFacts,
    PodFacts,
    Termination,
)
from faultmaven.integrations.kubernetes._sections import described_object
from faultmaven.integrations.kubernetes._text import (
    port_numbers,
    read_age,
    read_int,
    read_printed_time,
    span,
)
from faultmaven.integrations.kubernetes._workloads import (
    CLUSTER_SCOPED,
    controller_workload,
    pod_workload,
    workload_of,
)

_PROBES = (("Liveness", "liveness"), ("Readiness", "readiness"), ("Startup", "startup"))
_DETAILS = {
    "Pods Statuses": "pods statuses",
    "Pods Status": "pods status",
    "Replicas": "replicas",
    "Backoff Limit": "backoff limit",
}


def read_describe(lines: list[str], start: int, end: int) -> tuple[ObjectFacts, list[Facts]]:
    """Read the object a describe block shows and the facts about it, events included."""
    root = parse_block(lines, start, end)
    identity = _identity(root, describe_kind(root))
    facts: list[Facts] = []
    if identity.kind == "Pod":
        facts.append(_pod(root, identity))
    elif identity.kind == "Node":
        facts.append(_node(root, identity))
    elif identity.kind == "Service":
        facts += service_facts(root, identity)
    elif identity.kind == "NetworkPolicy":
        facts += policy_facts(root, identity)
    elif identity.kind == "Ingress":
        facts += ingress_facts(lines, start, end, identity)
    elif identity.kind != "Unknown":
        facts.append(_controller(root, identity))
    facts += describe_events(root, identity)
    return identity, facts


def object_events(lines: list[str], start: int, end: int) -> list[Facts]:
    """Read the events of a describe cut down to them, about the object its command names."""
    described = described_object(lines[start])
    if described is None:
        return []
    kind, namespace, name = described
    scoped = None if kind in CLUSTER_SCOPED else namespace
    node = name if kind == "Node" else None
    identity = ObjectFacts(kind, scoped, name, workload_of(kind, name), node)
    return describe_events(parse_block(lines, start + 1, end), identity)


def _identity(root: Entry, kind: str) -> ObjectFacts:
    name = root.text("Name") or ""
    namespace = None if kind in CLUSTER_SCOPED else root.text("Namespace")
    owner_kind, _, owner_name = (root.text("Controlled By") or "").partition("/")
    if kind == "Pod":
        template_hash = labels(root.child("Labels")).get("pod-template-hash")
        workload = pod_workload(
            name, owner_kind=owner_kind, owner_name=owner_name, template_hash=template_hash
        )
        node = (root.text("Node") or "").partition("/")[0] or None
        return ObjectFacts(kind, namespace, name, workload, node)
    if kind == "Node":
        return ObjectFacts(kind, None, name, None, name)
    if owner_kind == "CronJob" and owner_name:
        return ObjectFacts(kind, namespace, name, owner_name)
    if kind == "PersistentVolumeClaim":
        return ObjectFacts(kind, namespace, name, claim_workload(name, _used_by(root)))
    target_kind, _, target_name = (root.text("Reference") or "").partition("/")
    if kind == "HorizontalPodAutoscaler" and target_name:
        return ObjectFacts(kind, namespace, name, controller_workload(target_kind, target_name))
    return ObjectFacts(kind, namespace, name, controller_workload(kind, name))


def _used_by(root: Entry) -> dict[str, str]:
    """Read the pods a claim's `Used By:` names, each with its workload."""
    entry = root.child("Used By")
    names = [name for name in (entry.values() if entry else []) if name != "<none>"]
    return {name: pod_workload(name) for name in names}


def _lines(entry: Entry) -> list[LineSpan]:
    return [span(entry.line, entry.last_line)]


def _pod(root: Entry, identity: ObjectFacts) -> PodFacts:
    pod = PodFacts(identity, reason=root.text("Reason"), message=root.text("Message"))
    if pod.reason:
        pod.status_lines = [
            span(entry.line)
            for entry in (root.child("Status"), root.child("Reason"), root.child("Message"))
            if entry is not None
        ]
    label_entry = root.child("Labels")
    if label_entry is not None:
        pod.labels = labels(label_entry)
        pod.label_lines = _lines(label_entry)
    for row in table(root.child("Conditions")):
        condition = ConditionFacts(
            row.cells.get("TYPE", ""), row.cells.get("STATUS", ""), None, None, None,
            [span(row.line)],
        )  # fmt: skip
        pod.conditions.append(condition)
    for section, init in (("Init Containers", True), ("Containers", False)):
        entry = root.child(section)
        for container in entry.children if entry else []:
            pod.containers.append(_container(container, init=init))
    return pod


def _container(entry: Entry, *, init: bool) -> ContainerFacts:
    container = ContainerFacts(
        entry.key, init=init, restart_count=read_int(entry.text("Restart Count"))
    )
    state = entry.child("State")
    if state is not None and state.value == "Waiting":
        container.waiting_reason = state.text("Reason")
        container.waiting_message = state.text("Message")
        container.waiting_lines = _lines(state)
    elif state is not None and state.value == "Terminated":
        container.terminated = _termination(state)
    last = entry.child("Last State")
    if last is not None and last.value == "Terminated":
        container.last_terminated = _termination(last)
    for key, target in (("Requests", container.requests), ("Limits", container.limits)):
        resources = entry.child(key)
        for resource in resources.children if resources else []:
            target[resource.key] = resource.value
        if key == "Limits" and resources is not None and resources.children:
            container.limit_lines = [span(resources.line, resources.children[-1].line)]
    for key, name in _PROBES:
        probe = entry.child(key)
        if probe is not None and probe.value:
            container.probes[name] = probe.value
            container.probe_lines[name] = [span(probe.line)]
    restarts = entry.child("Restart Count")
    if restarts is not None:
        container.restart_lines = [span(restarts.line)]
    ports = entry.child("Ports") or entry.child("Port")
    if ports is not None:
        container.ports = port_numbers(ports.value)
        container.port_lines = [span(ports.line)] if container.ports else []
    return container


def _termination(state: Entry) -> Termination:
    return Termination(
        reason=state.text("Reason"),
        exit_code=read_int(state.text("Exit Code")),
        message=state.text("Message"),
        finished=read_printed_time(state.text("Finished")),
        lines=_lines(state),
    )


def _node(root: Entry, identity: ObjectFacts) -> NodeFacts:
    node = NodeFacts(identity)
    for row in table(root.child("Conditions")):
        node.conditions.append(
            ConditionFacts(
                type=row.cells.get("TYPE", ""),
                status=row.cells.get("STATUS", ""),
                reason=row.cells.get("REASON") or None,
                message=row.cells.get("MESSAGE") or None,
                since=read_printed_time(row.cells.get("LASTTRANSITIONTIME")),
                checked=read_printed_time(row.cells.get("LASTHEARTBEATTIME")),
                lines=[span(row.line)],
            )
        )
    for row in table(root.child("Allocated resources"), wide="RESOURCE"):
        resource = row.cells.get("RESOURCE", "")
        if resource:
            node.allocated_requests[resource] = row.cells.get("REQUESTS", "")
            node.allocated_limits[resource] = row.cells.get("LIMITS", "")
    cordon = root.child("Unschedulable")
    if cordon is not None and cordon.value.strip().lower() == "true":
        node.cordon_lines = [span(cordon.line)]
    return node


def _controller(root: Entry, identity: ObjectFacts) -> ControllerFacts:
    controller = ControllerFacts(identity)
    for key, name in _DETAILS.items():
        value = root.text(key)
        if value:
            controller.details[name] = value
    command = _template_command(root)
    if command:
        controller.details["command"] = command
    for row in table(root.child("Conditions"), wide="REASON"):
        controller.conditions.append(
            ConditionFacts(
                type=row.cells.get("TYPE", ""),
                status=row.cells.get("STATUS", ""),
                reason=row.cells.get("REASON") or None,
                message=row.cells.get("MESSAGE") or None,
                since=None,
                lines=[span(row.line)],
            )
        )
    return controller


def _template_command(root: Entry) -> str | None:
    """Join the command and arguments of a controller's pod template containers."""
    template = root.child("Pod Template")
    containers = template.child("Containers") if template else None
    words = [
        " ".join(part.values())
        for container in (containers.children if containers else [])
        for part in (container.child("Command"), container.child("Args"))
        if part is not None
    ]
    return " ".join(word for word in words if word) or None


def describe_events(root: Entry, identity: ObjectFacts) -> list[Facts]:
    """Read the `Events:` table of a describe block as events about the described object."""
    events: list[Facts] = []
    for row in table(root.child("Events")):
        reason = row.cells.get("REASON", "")
        if not reason:
            continue
        age = read_age(row.cells.get("AGE", ""))
        events.append(
            EventFacts(
                identity=identity,
                type=row.cells.get("TYPE") or None,
                reason=reason,
                message=row.cells.get("MESSAGE", ""),
                lines=[span(row.line)],
                count=age.count if age else None,
                first_seen_age=age.first if age else None,
                last_seen_age=age.last if age else None,
            )
        )
    return events
