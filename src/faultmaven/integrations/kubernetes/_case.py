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
from faultmaven.integrations.kubernetes._ranking import (
    causal_order,
    combine_reports,
    explain,
    group_reports,
)
from faultmaven.integrations.kubernetes._text import merge_spans
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
    pods = _pods(readings)
    origin: dict[int, int] = {}
    findings: list[KubernetesFinding] = []
    for item, reading in enumerate(readings):
        for finding in with_claim_workloads(reading.findings, pods):
            origin[id(finding)] = item
            findings.append(finding)
    combined: list[KubernetesFinding] = []
    sources: list[list[FindingSource]] = []
    for group in group_reports(findings):
        by_item: dict[int, list[LineSpan]] = {}
        for report in group:
            by_item.setdefault(origin[id(report)], []).extend(report.lines)
        found = [
            FindingSource(item=item, lines=merge_spans(spans)) for item, spans in by_item.items()
        ]
        combined.append(combine_reports(group).model_copy(update={"lines": found[0].lines}))
        sources.append(found)
    ranked = sorted(
        zip(explain(combined), sources, strict=True), key=lambda pair: causal_order(pair[0])
    )
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
