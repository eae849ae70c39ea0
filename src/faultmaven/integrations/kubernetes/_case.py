"""Combine what several Kubernetes evidence items of one case say into one ranked list."""

from collections.abc import Sequence

from faultmaven.domain.kubernetes import (
    CaseFinding,
    FindingSource,
    KubernetesEvidence,
    KubernetesFinding,
    LineSpan,
)
from faultmaven.integrations.kubernetes._claims import with_claim_workloads
from faultmaven.integrations.kubernetes._listing import with_replaced_pods
from faultmaven.integrations.kubernetes._migrations import with_migrations
from faultmaven.integrations.kubernetes._ranking import (
    causal_order,
    cited_reports,
    combine_reports,
    explain,
    group_reports,
)
from faultmaven.integrations.kubernetes._text import merge_spans
from faultmaven.integrations.kubernetes._traffic import (
    KubernetesReading,
    namespace_workloads,
    paired_findings,
    with_policy_workloads,
    with_selector_mismatches,
    with_unready_backends,
)
from faultmaven.integrations.kubernetes._workloads import pod_workload


def combine_findings(readings: Sequence[KubernetesEvidence]) -> list[CaseFinding]:
    """Rank the findings of a case's Kubernetes evidence, most causal first, across items.

    `readings[i]` is what `read_kubernetes` returned for the case's i-th item. A thing
    several items report (same reason, kind, namespace, name and container: a pod's
    describe and the event listing) comes out once, citing each item's lines. A claim
    takes the workload of a pod any item names for it, and a symptom is linked to its
    cause even when another item shows the cause (a Pending pod in one file, its claim's
    provisioning failure in another).
    """
    read = [_as_reading(reading) for reading in readings]
    pods = _pods(read)
    labelled = [(item, pod) for item, reading in enumerate(read) for pod in reading.pods]
    listed = [pod for reading in read for pod in reading.listed]
    own = [(item, finding) for item, reading in enumerate(read) for finding in reading.findings]
    tagged = [
        (item, finding)
        for item, finding in [*own, *_paired_across(read)]
        for finding in with_replaced_pods(with_claim_workloads([finding], pods), listed)
    ]
    origin: dict[int, int] = {}
    findings: list[KubernetesFinding] = []
    for item, finding in with_selector_mismatches(tagged, labelled):
        origin[id(finding)] = item
        findings.append(finding)
    findings = _keep_origin(
        with_policy_workloads(findings, namespace_workloads(pods)), findings, origin
    )
    findings = _keep_origin(with_migrations(findings), findings, origin)
    combined: list[KubernetesFinding] = []
    sources: list[list[FindingSource]] = []
    for group in group_reports(findings):
        by_item: dict[int, list[LineSpan]] = {}
        for report in cited_reports(group):
            by_item.setdefault(origin[id(report)], []).extend(report.lines)
        found = [
            FindingSource(item=item, lines=merge_spans(spans)) for item, spans in by_item.items()
        ]
        combined.append(combine_reports(group).model_copy(update={"lines": found[0].lines}))
        sources.append(found)
    explained = with_unready_backends(explain(combined), [pod for _, pod in labelled])
    ranked = sorted(zip(explained, sources, strict=True), key=lambda pair: causal_order(pair[0]))
    return [CaseFinding(finding=finding, sources=found) for finding, found in ranked]


def _pods(readings: Sequence[KubernetesEvidence]) -> dict[tuple[str | None, str], str | None]:
    """Every pod the items name, with its workload (as a finding states it, else by name)."""
    pods: dict[tuple[str | None, str], str | None] = {}
    for reading in readings:
        for finding in reading.findings:
            if finding.kind == "Pod":
                pods[(finding.namespace, finding.name)] = finding.workload
        for seen in reading.objects:
            if seen.kind == "Pod":
                pods.setdefault((seen.namespace, seen.name), pod_workload(seen.name))
    return pods


def pod_nodes(readings: Sequence[KubernetesEvidence]) -> dict[str, str]:
    """Map each pod to the node it runs on, as wide pod listings and findings show it.

    A pod's log says what failed in it; where a node's own trouble (its clock, its disk)
    shows only in the logs of the pods it runs, this is how it is traced back to the node.
    """
    placed: dict[str, str] = {}
    for reading in map(_as_reading, readings):
        for pod in reading.listed:
            if pod.node:
                placed.setdefault(pod.name, pod.node)
        for finding in reading.findings:
            if finding.kind == "Pod" and finding.node:
                placed.setdefault(finding.name, finding.node)
    return placed


def _as_reading(reading: KubernetesEvidence) -> KubernetesReading:
    """Return the reading with what `read_kubernetes` carries beside findings (none if absent)."""
    if isinstance(reading, KubernetesReading):
        return reading
    return KubernetesReading(objects=reading.objects, findings=reading.findings)


def _paired_across(readings: Sequence[KubernetesReading]) -> list[tuple[int, KubernetesFinding]]:
    """Report the paired findings (see `paired_findings`) whose halves are in different items."""
    found: list[tuple[int, KubernetesFinding]] = []
    for first_item, first in enumerate(readings):
        for second_item, second in enumerate(readings):
            if first_item == second_item:
                continue
            for at_first, at_second in paired_findings(first, second):
                found += [(first_item, at_first), (second_item, at_second)]
    return found


def _keep_origin(
    updated: list[KubernetesFinding], original: list[KubernetesFinding], origin: dict[int, int]
) -> list[KubernetesFinding]:
    """Carry each finding's item over to its updated copy (same position in the list)."""
    for new, old in zip(updated, original, strict=True):
        origin[id(new)] = origin[id(old)]
    return updated
