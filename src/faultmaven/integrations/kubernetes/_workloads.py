"""Name the workload behind an object: `checkout-7d9f8c6b5d-x2k4q` -> `checkout` (CONTRACTS 2)."""

import re

# The pod-template-hash and generated suffixes use this alphabet (no vowels, no 0/1/3).
_SAFE = "[bcdfghjklmnpqrstvwxz2456789]"
_DEPLOYMENT_POD = re.compile(rf"^(.+?)-{_SAFE}{{6,10}}-([a-z0-9]{{5}})$")
# Pasted or redacted output often carries hex-like hashes; one mixing letters and digits
# still counts (all digits is a CronJob's Job: `nightly-report-28512345-bq7ws`).
_LOOSE_DEPLOYMENT_POD = re.compile(
    r"^(.+?)-(?=[a-z0-9]*\d)(?=[a-z0-9]*[a-z])[a-z0-9]{6,10}-([a-z0-9]{5})$"
)
_TEMPLATE_HASH = re.compile(rf"^(.+?)-{_SAFE}{{6,10}}$")
_GENERATED = re.compile(r"^(.+?)-([a-z0-9]{5})$")
_ORDINAL = re.compile(r"^(.+?)-\d{1,5}$")
# A CronJob names its Jobs after the scheduled minute: `nightly-report-28512345`.
_SCHEDULED_JOB = re.compile(r"^(.+?)-\d{8,10}$")

CLUSTER_SCOPED = frozenset(
    {"Node", "PersistentVolume", "Namespace", "StorageClass", "ClusterRole",
     "ClusterRoleBinding", "PriorityClass", "CSINode", "RuntimeClass"}
)  # fmt: skip
_KINDS = {
    kind.lower(): kind
    for kind in (
        "Pod", "Node", "Job", "CronJob", "ReplicaSet", "Deployment", "StatefulSet", "DaemonSet",
        "ReplicationController", "PersistentVolumeClaim", "PersistentVolume", "Service",
        "Endpoints", "Ingress", "HorizontalPodAutoscaler", "ConfigMap", "Secret", "Namespace",
        "PodDisruptionBudget", "ServiceAccount", "EndpointSlice", "StorageClass",
    )
}  # fmt: skip


def canonical_kind(kind: str) -> str:
    """Spell a kind as the API does, whatever case kubectl printed it in (`pod` -> `Pod`)."""
    return _KINDS.get(kind.lower(), kind[:1].upper() + kind[1:])


def _generated(suffix: str) -> bool:
    """Whether a 5-character suffix looks generated rather than part of a word like `proxy`."""
    return re.fullmatch(f"{_SAFE}{{5}}", suffix) is not None or any(c.isdigit() for c in suffix)


def pod_workload(
    pod: str,
    *,
    owner_kind: str | None = None,
    owner_name: str | None = None,
    template_hash: str | None = None,
) -> str:
    """Name the workload a pod belongs to, from its controller if known, else its name."""
    if owner_kind and owner_name:
        return controller_workload(owner_kind, owner_name, template_hash=template_hash)
    for pattern in (_DEPLOYMENT_POD, _LOOSE_DEPLOYMENT_POD):
        match = pattern.match(pod)
        if match and _generated(match.group(2)):
            return match.group(1)
    match = _GENERATED.match(pod)
    if match and _generated(match.group(2)):
        return match.group(1)
    match = _ORDINAL.match(pod)
    return match.group(1) if match else pod


def controller_workload(kind: str, name: str, *, template_hash: str | None = None) -> str:
    """Name the workload a controller stands for: a ReplicaSet's Deployment, a Job's CronJob."""
    if kind == "ReplicaSet":
        if template_hash and name.endswith(f"-{template_hash}"):
            return name[: -len(template_hash) - 1]
        match = _TEMPLATE_HASH.match(name)
        return match.group(1) if match else name
    if kind == "Job":
        match = _SCHEDULED_JOB.match(name)
        return match.group(1) if match else name
    return name


def workload_of(kind: str, name: str) -> str | None:
    """Name the workload of any object by kind and name; None for cluster objects (nodes)."""
    if kind in CLUSTER_SCOPED:
        return None
    if kind == "Pod":
        return pod_workload(name)
    return controller_workload(kind, name)
