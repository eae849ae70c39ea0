"""Pods a `kubectl get pods` listing shows: a failure of a pod no longer listed is over.

An event about `dunning-worker-8c7b6d5f4-rt9wq` crash-looping, while the namespace's pod
listing shows only `dunning-worker-d650c292b-b34fd` Running and ready, reports a pod that
has since been replaced: the workload recovered, so that failure is background to the
incident being asked about, not its cause.
"""

from collections.abc import Iterable, Sequence

from pydantic import BaseModel

from faultmaven.domain.kubernetes import REPLACED_BY, FindingSeverity, KubernetesFinding
from faultmaven.integrations.kubernetes._facts import Facts, PodRowFacts


class ListedPod(BaseModel):
    """One row of a pod listing: which pod, of which workload, whether it serves, and where.

    `node` is the NODE column of a wide listing (`-o wide`), None when not shown.
    """

    namespace: str | None = None
    name: str
    workload: str | None = None
    ready: bool
    node: str | None = None


def row_is_ready(row: PodRowFacts) -> bool:
    """Whether a listing row shows its pod Running with every container ready (`2/2`)."""
    ready, _, total = (row.ready or "").partition("/")
    return row.status == "Running" and ready == total and ready not in ("", "0")


def listed_pods(facts: Iterable[Facts]) -> list[ListedPod]:
    """Every pod the `kubectl get pods` tables among the facts list."""
    return [
        ListedPod(
            namespace=fact.identity.namespace,
            name=fact.identity.name,
            workload=fact.identity.workload,
            ready=row_is_ready(fact),
            node=fact.identity.node,
        )
        for fact in facts
        if isinstance(fact, PodRowFacts)
    ]


def with_replaced_pods(
    findings: Sequence[KubernetesFinding], listed: Sequence[ListedPod]
) -> list[KubernetesFinding]:
    """Lower the failures of pods a listing no longer shows while their workload serves.

    Only when the listing shows the workload, every listed pod of it ready, and not the
    pod itself: then the failing pod was replaced and the failure is over.
    """
    names = {pod.name for pod in listed}
    return [
        _replaced(finding, successors) if (successors := _successors(finding, listed, names))
        else finding
        for finding in findings
    ]  # fmt: skip


def _successors(
    finding: KubernetesFinding, listed: Sequence[ListedPod], names: set[str]
) -> list[ListedPod]:
    if finding.kind != "Pod" or not finding.workload or finding.name in names:
        return []
    own = [
        pod
        for pod in listed
        if pod.workload == finding.workload
        and pod.namespace in (None, finding.namespace or pod.namespace)
    ]
    return own if own and all(pod.ready for pod in own) else []


def _replaced(finding: KubernetesFinding, successors: list[ListedPod]) -> KubernetesFinding:
    current = ", ".join(pod.name for pod in successors)
    return finding.model_copy(
        update={
            "severity": FindingSeverity.LOW,
            "details": {**finding.details, REPLACED_BY: current},
        }
    )
