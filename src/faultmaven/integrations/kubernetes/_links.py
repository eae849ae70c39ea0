"""Causes on one object of symptoms on another, where kubectl's own words make the link.

The scheduler says a pod waits on `unbound immediate PersistentVolumeClaims`, and a
StatefulSet's claim for that pod is named `<template>-<pod>`: the claim's failure to
provision is why the pod is Pending. A Deployment's `ReplicaFailure` condition, stalled
rollout or missing replicas repeat the `FailedCreate` its ReplicaSet reports. A controller's
trouble (a Job out of retries) follows from its own pods' failures. Nothing else is linked.
"""

import re

from faultmaven.domain.kubernetes import KubernetesFinding

CLAIM = "PersistentVolumeClaim"
# Controllers whose pods' failures are the controller's own trouble.
POD_OWNERS = frozenset(
    {"Job", "CronJob", "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet",
     "ReplicationController"}
)  # fmt: skip
_UNBOUND_CLAIMS = re.compile(
    r"unbound (?:immediate )?PersistentVolumeClaims"
    r"|didn't find available persistent volumes to bind"
)
_WAITING_POD = frozenset({"FailedScheduling", "Pending", "NotTriggerScaleUp"})
_STALLED_ROLLOUT = frozenset(
    {"FailedCreate", "ReplicaFailure", "ProgressDeadlineExceeded", "MinimumReplicasUnavailable"}
)


def same_namespace(first: KubernetesFinding, second: KubernetesFinding) -> bool:
    """Whether two findings may be in one namespace (one that is not stated matches any)."""
    return (
        first.namespace is None or second.namespace is None or first.namespace == second.namespace
    )


def explicit_cause(symptom: KubernetesFinding, cause: KubernetesFinding) -> bool:
    """Whether the output states that `cause`, on another object, is why `symptom` happens."""
    if not same_namespace(symptom, cause):
        return False
    if symptom.kind == "Pod" and cause.kind == CLAIM:
        return (
            symptom.reason in _WAITING_POD
            and _UNBOUND_CLAIMS.search(symptom.message or "") is not None
            and cause.name.endswith(f"-{symptom.name}")
        )
    if symptom.kind == "Deployment" and cause.kind == "ReplicaSet":
        return (
            cause.reason == "FailedCreate"
            and symptom.reason in _STALLED_ROLLOUT
            and cause.workload == symptom.name
        )
    return False


def owner_follows(symptom: KubernetesFinding, cause: KubernetesFinding) -> bool:
    """Whether `symptom` is a controller's trouble that its workload's `cause` may explain."""
    return (
        symptom.kind in POD_OWNERS
        and symptom.workload is not None
        and symptom.workload == cause.workload
        and same_namespace(symptom, cause)
    )
