"""Component names as CONTRACTS section 2 fixes them: a Kubernetes workload, not its pod."""

import re

# The pod-template-hash and the random pod suffix use this alphabet (no vowels).
_SAFE = "[bcdfghjklmnpqrstvwxz2456789]"
_DEPLOYMENT_POD = re.compile(rf"^(.+?)-{_SAFE}{{6,10}}-{_SAFE}{{5}}$")
_GENERATED_POD = re.compile(rf"^(.+?)-{_SAFE}{{5}}$")
# A StatefulSet pod's ordinal is never zero-padded: `db-01` is a host, `db-1` a pod.
_STATEFUL_POD = re.compile(r"^(.+?)-(?:0|[1-9]\d{0,3})$")
# `kubectl logs <pod> -c <container>` saved as `<pod>-<container>`: a Deployment's pod name
# followed by the container's.
_CONTAINER_OF_DEPLOYMENT_POD = re.compile(rf"^(.+?-{_SAFE}{{6,10}}-{_SAFE}{{5}})-[a-z][a-z0-9-]*$")
# A CronJob's pods: `<cronjob>-<scheduled minute since the epoch>-<suffix>`.
_SCHEDULED_POD = re.compile(rf"^(.+?)-\d{{8,}}-{_SAFE}{{5}}$")
# kubeadm's static control-plane pods are named `<component>-<node>`: `etcd-cp-1`,
# `kube-apiserver-ip-10-0-1-7.ec2.internal`. A node name holds a digit; `etcd-operator` or
# `etcd-backup-...` are workloads of their own.
_CONTROL_PLANE_POD = re.compile(
    r"^(etcd|kube-apiserver|kube-scheduler|kube-controller-manager)"
    r"-(?!(?:operator|backup|defrag|exporter|client|proxy)\b)(?=[\w.-]*\d)[a-z0-9][\w.-]*$"
)


def control_plane_component(name: str) -> str | None:
    """Return `etcd` for a static control-plane pod's name (`etcd-cp-1`), else None."""
    found = _CONTROL_PLANE_POD.match(name)
    return found.group(1) if found else None


def workload_name(pod: str) -> str:
    """Strip a Kubernetes pod's generated suffix: `checkout-7d9f8c6b5d-x2k4q` -> `checkout`.

    Static control-plane pods (`etcd-<node>`), CronJob pods (`-<schedule>-<suffix>`),
    Deployment pods (`-<hash>-<suffix>`), job and daemon-set pods (`-<suffix>`) and
    stateful-set pods (`-<ordinal>`); any other name is
    returned as it is. Every engine names components
    this way, so the rule lives here, below them all.
    """
    for pattern in (
        _CONTROL_PLANE_POD,
        _SCHEDULED_POD,
        _DEPLOYMENT_POD,
        _GENERATED_POD,
        _STATEFUL_POD,
    ):
        match = pattern.match(pod)
        if match:
            return match.group(1)
    return pod


def container_log_pod(name: str) -> str | None:
    """Return the pod of a container's log named `<pod>-<container>`, else None.

    `ledger-api-79c4f6d8b5-wq5hn-vault-agent-init` is the `vault-agent-init` container of
    pod `ledger-api-79c4f6d8b5-wq5hn`.
    """
    found = _CONTAINER_OF_DEPLOYMENT_POD.match(name)
    return found.group(1) if found else None
