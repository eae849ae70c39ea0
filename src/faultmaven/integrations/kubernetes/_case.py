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
from faultmaven.integrations.kubernetes._cpu_limits import throttled
from faultmaven.integrations.kubernetes._listing import with_replaced_pods
from faultmaven.integrations.kubernetes._migrations import with_migrations
from faultmaven.integrations.kubernetes._ports import port_mismatches
from faultmaven.integrations.kubernetes._ranking import (
    causal_order,
    cited_reports,
    combine_reports,
    explain,
    group_reports,
)
from faultmaven.integrations.kubernetes._text import merge_spans
from faultmaven.integrations.kubernetes._tls_secrets import missing_tls_secrets
from faultmaven.integrations.kubernetes._traffic import (
    KubernetesReading,
    namespace_workloads,
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
        for item, finding in [*own, *_throttled_across(read), *_references_across(read)]
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


def _as_reading(reading: KubernetesEvidence) -> KubernetesReading:
    """Return the reading with what `read_kubernetes` carries beside findings (none if absent)."""
    if isinstance(reading, KubernetesReading):
        return reading
    return KubernetesReading(objects=reading.objects, findings=reading.findings)


def _throttled_across(readings: Sequence[KubernetesReading]) -> list[tuple[int, KubernetesFinding]]:
    """Report pods at their CPU limit when `kubectl top` and the limit are in different items."""
    found: list[tuple[int, KubernetesFinding]] = []
    for use_item, using in enumerate(readings):
        for limit_item, limiting in enumerate(readings):
            if use_item == limit_item or not using.cpu_uses or not limiting.cpu_limits:
                continue
            for rows, limit in throttled(using.cpu_uses, limiting.cpu_limits):
                found += [(use_item, rows), (limit_item, limit)]
    return found


def _references_across(
    readings: Sequence[KubernetesReading],
) -> list[tuple[int, KubernetesFinding]]:
    """Report what one item's Services or Ingresses expect of another item's pods or Secrets.

    A Service's target port that no pod declares, and an Ingress's TLS Secret missing
    from a listing of its namespace.
    """
    found: list[tuple[int, KubernetesFinding]] = []
    for service_item, services in enumerate(readings):
        for pod_item, pods in enumerate(readings):
            if service_item == pod_item:
                continue
            for at_service, at_pods in port_mismatches(services.service_ports, pods.pod_ports):
                found += [(service_item, at_service), (pod_item, at_pods)]
            references, listings = services.tls_references, pods.secret_listings
            for at_ingress, at_listing in missing_tls_secrets(references, listings):
                found += [(service_item, at_ingress), (pod_item, at_listing)]
    return found


def _keep_origin(
    updated: list[KubernetesFinding], original: list[KubernetesFinding], origin: dict[int, int]
) -> list[KubernetesFinding]:
    """Carry each finding's item over to its updated copy (same position in the list)."""
    for new, old in zip(updated, original, strict=True):
        origin[id(new)] = origin[id(old)]
    return updated
