"""Causes on one object of symptoms on another, where kubectl's own words make the link.

The scheduler says a pod waits on `unbound immediate PersistentVolumeClaims`, and a
StatefulSet's claim for that pod is named `<template>-<pod>`: the claim's failure to
provision is why the pod is Pending. A Deployment's `ReplicaFailure` condition, stalled
rollout or missing replicas repeat the `FailedCreate` its ReplicaSet reports. A controller's
trouble (a Job out of retries) follows from its own pods' failures. A pod's sandbox failing
in a network plugin follows from that plugin's agent failing. Nothing else is linked.
"""

import re

from faultmaven.domain.diagnosis import Category
from faultmaven.domain.kubernetes import KubernetesFinding
from faultmaven.domain.service_names import is_network_agent
from faultmaven.integrations.kubernetes._migrations import is_migration

CLAIM = "PersistentVolumeClaim"
_KILLED = (137, 143)
_START_FAILURES = frozenset({"StartError", "ContainerCannotRun"})
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
    if network_plugin_down(symptom, cause):
        return True
    if not same_namespace(symptom, cause):
        return False
    if killed_by_probe(symptom, cause) or waits_for_migration(symptom, cause):
        return True
    if failed_start(symptom, cause):
        return True
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


def network_plugin_down(symptom: KubernetesFinding, cause: KubernetesFinding) -> bool:
    """Whether a pod's sandbox fails in the network plugin whose own agent is failing.

    `failed to setup network for sandbox ...: plugin type="calico" failed (add)` while
    calico-node crash-loops in kube-system: the agent is why no pod gets a network.
    """
    agent = cause.workload or ""
    return (
        symptom.reason == "FailedCreatePodSandBox"
        and cause.reason != "FailedCreatePodSandBox"
        and is_network_agent(agent)
        and agent.split("-")[0].lower() in (symptom.message or "").lower()
    )


def failed_start(symptom: KubernetesFinding, cause: KubernetesFinding) -> bool:
    """Whether `symptom` backs off restarting the container whose start `cause` reports failed.

    A command that is missing or not executable ends the container with `StartError` (or
    `ContainerCannotRun`) and exit code 126-128; kubelet then backs off restarting it.
    """
    return (
        symptom.reason == "CrashLoopBackOff"
        and cause.reason in _START_FAILURES
        and symptom.kind == cause.kind == "Pod"
        and symptom.name == cause.name
        and symptom.container == cause.container
        and symptom.exit_code == cause.exit_code
    )


def killed_by_probe(symptom: KubernetesFinding, cause: KubernetesFinding) -> bool:
    """Whether the kubelet killed `symptom`'s container for the failing probe `cause` reports.

    A container the kubelet stops for a failed liveness or startup probe gets SIGTERM, then
    SIGKILL: it ends with exit code 143 or 137, and restarts until it backs off.
    """
    killed = (symptom.reason == "Error" and symptom.exit_code in _KILLED) or (
        symptom.reason == "CrashLoopBackOff" and symptom.exit_code in (None, *_KILLED)
    )
    return (
        killed
        and symptom.kind == cause.kind == "Pod"
        and cause.reason == "Unhealthy"
        and cause.details.get("probe") in ("liveness", "startup")
        and (symptom.name == cause.name or symptom.workload == cause.workload)
        and (symptom.container is None or cause.container in (None, symptom.container))
        and same_namespace(symptom, cause)
    )


def waits_for_migration(symptom: KubernetesFinding, cause: KubernetesFinding) -> bool:
    """Whether `symptom` is a pod's init container stuck behind the failed migration `cause`.

    Deployments that run a migration Job first hold their pods in an init container that
    waits for the Job (`Init:0/1`, `Init:CrashLoopBackOff`) until it succeeds.
    """
    return (
        symptom.kind == "Pod"
        and symptom.details.get("init container") == "true"
        and symptom.workload != cause.workload
        and cause.category is Category.DEPLOYMENT
        and is_migration(cause)
        and same_namespace(symptom, cause)
    )


def owner_follows(symptom: KubernetesFinding, cause: KubernetesFinding) -> bool:
    """Whether `symptom` is a controller's trouble that its workload's `cause` may explain."""
    return (
        symptom.kind in POD_OWNERS
        and symptom.workload is not None
        and symptom.workload == cause.workload
        and same_namespace(symptom, cause)
    )
