"""Name the workload a PersistentVolumeClaim serves.

A StatefulSet names each claim it creates `<template>-<statefulset>-<ordinal>`, the pod's
name behind the template's (`data-ledger-db-0` is pod `ledger-db-0`'s claim, workload
`ledger-db`). When the same input names that pod, the claim belongs to the pod's workload;
any other claim is its own component.
"""

import re
from collections.abc import Iterable, Mapping

from faultmaven.domain.kubernetes import KubernetesFinding

_STATEFUL_POD = re.compile(r"^.+-\d{1,5}$")
CLAIM = "PersistentVolumeClaim"

# (namespace, pod name) -> the pod's workload; namespace None when the input did not say.
PodWorkloads = Mapping[tuple[str | None, str], str | None]


def claim_workload(claim: str, pods: Mapping[str, str | None]) -> str:
    """Return the workload of the pod whose name is the claim's tail, else the claim's name."""
    owners = [
        pod
        for pod in pods
        if _STATEFUL_POD.match(pod) and claim.endswith(f"-{pod}") and len(claim) > len(pod) + 1
    ]
    if not owners:
        return claim
    pod = max(owners, key=len)
    return pods[pod] or pod


def with_claim_workloads(
    findings: Iterable[KubernetesFinding], pods: PodWorkloads
) -> list[KubernetesFinding]:
    """Give each claim's finding the workload of the pod the same input names for it."""
    named: list[KubernetesFinding] = []
    for finding in findings:
        if finding.kind == CLAIM and finding.workload in (None, finding.name):
            in_namespace = {
                name: workload
                for (namespace, name), workload in pods.items()
                if namespace is None or finding.namespace in (None, namespace)
            }
            workload = claim_workload(finding.name, in_namespace)
            if workload != finding.workload:
                finding = finding.model_copy(update={"workload": workload})
        named.append(finding)
    return named
