# ruff: noqa: E501
# Log lines, kubectl rows and series definitions are data, kept whole on one line.
"""kubectl's output formats: `describe pod|node|deployment`, `get events`, `get pods`.

Column layouts follow kubectl's printers: describe sections indented by two spaces per level,
event tables padded to the widest cell of each column.
"""

import random
from collections.abc import Sequence
from dataclasses import dataclass, field

Event = tuple[str, str, str, str, str]
"""(type, reason, age, from, message) as `describe` lists them."""


def table(header: Sequence[str], rows: Sequence[Sequence[str]], indent: str = "") -> list[str]:
    """Pad columns like kubectl's tab writer (three spaces between columns)."""
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        cells = [str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)]
        lines.append((indent + "   ".join(cells)).rstrip())
    return lines


def describe_events(events: Sequence[Event]) -> list[str]:
    """The `Events:` section of any describe output."""
    if not events:
        return ["Events:                      <none>"]
    header = ("Type", "Reason", "Age", "From", "Message")
    rule = ("----", "------", "----", "----", "-------")
    return ["Events:", *table(header, [rule, *events], indent="  ")]


@dataclass
class Container:
    """One container of a described pod, with the state lines kubectl prints."""

    name: str
    image: str
    state: list[str] = field(
        default_factory=lambda: ["Running", "  Started:      Tue, 12 Mar 2024 09:12:51 +0000"]
    )
    last_state: list[str] = field(default_factory=list)
    ready: bool = True
    restarts: int = 0
    limits: dict[str, str] = field(default_factory=dict)
    requests: dict[str, str] = field(default_factory=dict)
    probes: list[str] = field(default_factory=list)
    environment: list[str] = field(default_factory=list)
    port: str = "8080/TCP"


def _resources(title: str, values: dict[str, str]) -> list[str]:
    if not values:
        return []
    width = max(len(name) for name in values) + 2
    return [
        f"    {title}:",
        *(f"      {name + ':':<{width}}{value}" for name, value in values.items()),
    ]


def _unstarted(container: Container, volume: str) -> list[str]:
    """A container of a pod not yet scheduled: no id, no state."""
    return [
        f"  {container.name}:",
        f"    Image:      {container.image}",
        f"    Port:       {container.port}",
        "    Host Port:  0/TCP",
        *_resources("Limits", container.limits),
        *_resources("Requests", container.requests),
        "    Environment:  <none>",
        "    Mounts:",
        f"      /var/run/secrets/kubernetes.io/serviceaccount from {volume} (ro)",
    ]


def _container(container: Container, rng: random.Random, volume: str) -> list[str]:
    if not container.state:
        return _unstarted(container, volume)
    lines = [
        f"  {container.name}:",
        f"    Container ID:   containerd://{rng.getrandbits(256):064x}",
        f"    Image:          {container.image}",
        f"    Image ID:       {container.image.split(':')[0]}@sha256:{rng.getrandbits(256):064x}",
        f"    Port:           {container.port}",
        "    Host Port:      0/TCP",
        f"    State:          {container.state[0]}",
        *(f"    {line}" for line in container.state[1:]),
    ]
    if container.last_state:
        lines.append(f"    Last State:     {container.last_state[0]}")
        lines.extend(f"    {line}" for line in container.last_state[1:])
    lines += [
        f"    Ready:          {container.ready}",
        f"    Restart Count:  {container.restarts}",
        *_resources("Limits", container.limits),
        *_resources("Requests", container.requests),
        *(f"    {probe}" for probe in container.probes),
        "    Environment:" + ("" if container.environment else "    <none>"),
        *(f"      {variable}" for variable in container.environment),
        "    Mounts:",
        f"      /var/run/secrets/kubernetes.io/serviceaccount from {volume} (ro)",
    ]
    return lines


@dataclass
class Pod:
    """A pod as `kubectl describe pod` shows it."""

    name: str
    namespace: str
    node: str
    app: str
    containers: list[Container]
    status: str = "Running"
    conditions: dict[str, str] = field(
        default_factory=lambda: {
            "Initialized": "True",
            "Ready": "True",
            "ContainersReady": "True",
            "PodScheduled": "True",
        }
    )
    events: list[Event] = field(default_factory=list)
    ip: str = "10.0.3.54"
    start_time: str = "Tue, 12 Mar 2024 09:12:44 +0000"
    init_containers: list[Container] = field(default_factory=list)
    service_account: str = "default"
    volumes: list[str] = field(default_factory=list)
    """Lines of the pod's own volumes, listed before the service-account token's."""
    controller: str | None = None
    """`StatefulSet/name` and the like; a ReplicaSet named after the pod by default."""
    labels: list[str] | None = None
    """Every label as `key=value`; `app` and the pod-template hash by default."""
    node_selectors: str = "<none>"


def _labels(pod: Pod, owner: str) -> list[str]:
    labels = pod.labels or [f"app={pod.app}", f"pod-template-hash={owner.rsplit('-', 1)[-1]}"]
    return [
        f"Labels:           {labels[0]}",
        *(f"                  {label}" for label in labels[1:]),
    ]


def describe_pod(pod: Pod, rng: random.Random) -> str:
    """`kubectl describe pod` text for `pod`."""
    owner = pod.name.rsplit("-", 1)[0]
    node = (
        f"{pod.node}/{'10.0.' + str(rng.randrange(256)) + '.' + str(rng.randrange(1, 255))}"
        if pod.node
        else "<none>"
    )
    lines = [
        f"Name:             {pod.name}",
        f"Namespace:        {pod.namespace}",
        "Priority:         0",
        f"Service Account:  {pod.service_account}",
        f"Node:             {node}",
        *([f"Start Time:       {pod.start_time}"] if pod.start_time else []),
        *_labels(pod, owner),
        "Annotations:      <none>",
        f"Status:           {pod.status}",
        f"IP:               {pod.ip if pod.node else ''}".rstrip(),
        "IPs:" + ("" if pod.node else "              <none>"),
        *([f"  IP:           {pod.ip}"] if pod.node else []),
        f"Controlled By:  {pod.controller or 'ReplicaSet/' + owner}",
    ]
    volume = f"kube-api-access-{rng.getrandbits(20):05x}"
    if pod.init_containers:
        lines.append("Init Containers:")
        for container in pod.init_containers:
            lines += _container(container, rng, volume)
    lines.append("Containers:")
    for container in pod.containers:
        lines += _container(container, rng, volume)
    lines += ["Conditions:", *table(("Type", "Status"), list(pod.conditions.items()), indent="  ")]
    lines += [
        "Volumes:",
        *pod.volumes,
        f"  {volume}:",
        "    Type:                    Projected (a volume that contains injected data from multiple sources)",
        "    TokenExpirationSeconds:  3607",
        "    ConfigMapName:           kube-root-ca.crt",
        "    ConfigMapOptional:       <nil>",
        "    DownwardAPI:             true",
        "QoS Class:                   Burstable",
        f"Node-Selectors:              {pod.node_selectors}",
        "Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s",
        "                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s",
        *describe_events(pod.events),
    ]
    return "\n".join(lines) + "\n"


EventRow = tuple[str, str, str, str]
"""(type, reason, object, message) of one `kubectl get events` row."""


def routine_events(
    rng: random.Random,
    apps: Sequence[str],
    count: int,
    node_names: Sequence[str],
    namespace: str = "shop",
) -> list[tuple[int, EventRow]]:
    """Ordinary cluster churn (pods scheduled, pulled, started, stopped) as (seconds ago, row)."""
    rows: list[tuple[int, EventRow]] = []
    while len(rows) < count:
        app = rng.choice(apps)
        pod = f"{app}-{rng.getrandbits(40):010x}-{rng.getrandbits(25):05x}"
        ago = rng.randrange(60, 3 * 3600)
        node = rng.choice(node_names)
        version = f"{rng.randrange(1, 4)}.{rng.randrange(30)}.{rng.randrange(10)}"
        image = f"registry.example.com/{namespace}/{app}:{version}"
        rows += [
            (
                ago,
                (
                    "Normal",
                    "Scheduled",
                    f"pod/{pod}",
                    f"Successfully assigned {namespace}/{pod} to {node}",
                ),
            ),
            (
                ago - 2,
                (
                    "Normal",
                    "Pulled",
                    f"pod/{pod}",
                    f'Container image "{image}" already present on machine',
                ),
            ),
            (ago - 3, ("Normal", "Created", f"pod/{pod}", f"Created container {app}")),
            (ago - 3, ("Normal", "Started", f"pod/{pod}", f"Started container {app}")),
        ]
        if rng.random() < 0.3:
            rows.append(
                (
                    max(1, ago - 1800),
                    ("Normal", "Killing", f"pod/{pod}", f"Stopping container {app}"),
                )
            )
    return rows


def age(seconds: int) -> str:
    """kubectl's short age: `45s`, `12m`, `3h4m`."""
    if seconds < 120:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m"
    hours, minutes = divmod(seconds // 60, 60)
    return f"{hours}h{minutes}m" if minutes else f"{hours}h"


def event_listing(routine: list[tuple[int, EventRow]], signal: list[tuple[int, EventRow]]) -> str:
    """`kubectl get events --sort-by=.lastTimestamp`: oldest first, the signal mixed in."""
    merged = sorted(routine + signal, key=lambda item: -item[0])
    header = ("LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE")
    return "\n".join(table(header, [(age(ago), *row) for ago, row in merged])) + "\n"


@dataclass
class Deployment:
    """A deployment as `kubectl describe deployment` shows it, mid-rollout or settled."""

    name: str
    namespace: str
    image: str
    replicas: str
    conditions: list[tuple[str, str, str]]
    old_replica_set: str
    new_replica_set: str
    events: list[Event] = field(default_factory=list)
    port: str = "8080/TCP"


def describe_deployment(deployment: Deployment) -> str:
    """`kubectl describe deployment` text for `deployment`."""
    lines = [
        f"Name:                   {deployment.name}",
        f"Namespace:              {deployment.namespace}",
        "CreationTimestamp:      Mon, 04 Mar 2024 10:02:11 +0000",
        f"Labels:                 app={deployment.name}",
        "Annotations:            deployment.kubernetes.io/revision: 23",
        f"Selector:               app={deployment.name}",
        f"Replicas:               {deployment.replicas}",
        "StrategyType:           RollingUpdate",
        "MinReadySeconds:        0",
        "RollingUpdateStrategy:  25% max unavailable, 25% max surge",
        "Pod Template:",
        f"  Labels:  app={deployment.name}",
        "  Containers:",
        f"   {deployment.name}:",
        f"    Image:        {deployment.image}",
        f"    Port:         {deployment.port}",
        "    Host Port:    0/TCP",
        "    Environment:  <none>",
        "    Mounts:       <none>",
        "  Volumes:        <none>",
        "Conditions:",
        *table(
            ("Type", "Status", "Reason"),
            [("----", "------", "------"), *deployment.conditions],
            indent="  ",
        ),
        f"OldReplicaSets:  {deployment.old_replica_set}",
        f"NewReplicaSet:   {deployment.new_replica_set}",
        *describe_events(deployment.events),
    ]
    return "\n".join(lines) + "\n"
