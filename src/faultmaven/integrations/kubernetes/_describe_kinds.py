"""Tell the kind of a `kubectl describe` block from the keys kubectl's printer writes for it.

Describe output never states the kind, but each printer in kubectl's `describe.go` writes
its own set of top-level keys: `StorageClass:`/`Access Modes:`/`Used By:` for a claim,
`Reclaim Policy:`/`Claim:` for a volume, `System Info:`/`Allocatable:` for a node,
`TargetPort:`/`Session Affinity:` for a service, `Subsets:` for endpoints, a `Resource
Used Hard` table for a quota. Keys several printers share (`Capacity:` is printed for
nodes, volumes and claims; `Replicas:` for every controller) never decide alone.
"""

import re

from faultmaven.integrations.kubernetes._describe_tree import Entry

_QUOTA_HEADER = re.compile(r"^Resource\s+Used\s+Hard$")
_LIMIT_RANGE_HEADER = re.compile(r"^Type\s+Resource\s+Min\s+Max\b")
_DATA_RULE = re.compile(r"^=+$")

_NODE_KEYS = frozenset(
    {"System Info", "Non-terminated Pods", "Allocatable", "Allocated resources", "Roles",
     "PodCIDR", "PodCIDRs", "ProviderID", "Unschedulable", "Taints"}
)  # fmt: skip
_SERVICE_KEYS = frozenset(
    {"TargetPort", "Session Affinity", "IP Family Policy", "IP Families",
     "External Traffic Policy", "Internal Traffic Policy", "LoadBalancer Ingress",
     "External Name"}
)  # fmt: skip
# (kind, keys of which any one is enough), tried in order: the most telling keys first.
_SIGNATURES: tuple[tuple[str, frozenset[str]], ...] = (
    ("Pod", frozenset({"Containers", "Init Containers"})),
    ("PersistentVolume", frozenset({"Reclaim Policy", "Claim"})),
    ("PersistentVolumeClaim", frozenset({"Used By", "VolumeMode", "Access Modes"})),
    ("Node", _NODE_KEYS),
    ("CronJob", frozenset({"Schedule", "Concurrency Policy", "Last Schedule Time"})),
    ("Job", frozenset({"Pods Statuses", "Backoff Limit", "Completions", "Parallelism"})),
    (
        "Deployment",
        frozenset({"StrategyType", "NewReplicaSet", "OldReplicaSets", "RollingUpdateStrategy"}),
    ),
    ("DaemonSet", frozenset({"Desired Number of Nodes Scheduled"})),
    ("StatefulSet", frozenset({"Volume Claims", "Update Strategy"})),
    ("HorizontalPodAutoscaler", frozenset({"Min replicas", "Max replicas"})),
    ("Service", _SERVICE_KEYS),
    ("Endpoints", frozenset({"Subsets"})),
    ("EndpointSlice", frozenset({"AddressType"})),
    ("Ingress", frozenset({"Ingress Class", "Default backend", "Rules"})),
    ("NetworkPolicy", frozenset({"Created on"})),
    ("StorageClass", frozenset({"Provisioner", "IsDefaultClass", "VolumeBindingMode"})),
    ("PodDisruptionBudget", frozenset({"Min available", "Max unavailable"})),
    ("ServiceAccount", frozenset({"Mountable secrets", "Image pull secrets", "Tokens"})),
)


def describe_kind(root: Entry) -> str:
    """Which kind of object a describe block shows; `Unknown` when no printer's keys match."""
    keys = {entry.key for entry in root.children}
    # kubectl's generic describer (custom resources: ExternalSecret, Certificate, ...) prints
    # the object's own `API Version:` and `Kind:`.
    stated = root.text("Kind") if "API Version" in keys else None
    if stated:
        return stated
    for kind, telling in _SIGNATURES:
        if keys & telling:
            return kind
    replicas = root.text("Replicas") or ""
    if "Pods Status" in keys:
        # A StatefulSet prints `N desired | M total`, a ReplicaSet `N current / M desired`.
        if "total" in replicas:
            return "StatefulSet"
        return "ReplicaSet"  # a ReplicationController prints the same keys; it is rarely used
    return _kind_from_tables(root, keys)


def _kind_from_tables(root: Entry, keys: set[str]) -> str:
    """Kinds printed mostly as free lines: quota and limit tables, ConfigMap and Secret data."""
    lines = root.continuation
    if any(_QUOTA_HEADER.match(line) for line in lines):
        return "ResourceQuota"
    if any(_LIMIT_RANGE_HEADER.match(line) for line in lines):
        return "LimitRange"
    if any(_DATA_RULE.match(line) for line in lines) and "Data" in lines:
        return "Secret" if "Type" in keys else "ConfigMap"
    spec = root.child("Spec")
    if spec is not None and spec.child("PodSelector") is not None:
        return "NetworkPolicy"
    if "Type" in keys and "Selector" in keys:
        return "Service"
    return "Unknown"
