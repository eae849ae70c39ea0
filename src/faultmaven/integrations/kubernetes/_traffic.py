"""Findings about traffic: Services that reach no pod, NetworkPolicies that isolate pods.

A Service with `Endpoints: <none>` while pods labelled for it are Running and Ready, but
do not carry every `key=value` of its selector, is a selector mismatch: the cause. When
those pods are not ready, the empty Service is a consequence of what keeps them unready.
"""

from collections.abc import Iterable, Sequence

from pydantic import BaseModel, Field

from faultmaven.domain.diagnosis import Category
from faultmaven.domain.kubernetes import (
    FindingSeverity,
    KubernetesEvidence,
    KubernetesFinding,
    LineSpan,
)
from faultmaven.integrations.kubernetes._cpu_limits import CpuLimit, CpuUse, throttled
from faultmaven.integrations.kubernetes._facts import (
    BackendFacts,
    Facts,
    ObjectFacts,
    PodFacts,
    PodRowFacts,
    PolicyFacts,
    ServiceFacts,
)
from faultmaven.integrations.kubernetes._finding import new_finding
from faultmaven.integrations.kubernetes._listing import ListedPod, row_is_ready
from faultmaven.integrations.kubernetes._ports import PodPorts, ServicePort, port_mismatches
from faultmaven.integrations.kubernetes._text import merge_spans, selector_pairs
from faultmaven.integrations.kubernetes._tls_secrets import (
    SecretListing,
    TlsReference,
    missing_tls_secrets,
)

NO_ENDPOINTS = "NoEndpoints"
SELECTOR_MISMATCH = "SelectorMismatch"
POLICY_ISOLATION = "NetworkPolicyIsolation"
_CITED_PODS = 3
_DROPPED = {
    "ingress": "connections to them",
    "egress": "their outgoing connections",
    "ingress and egress": "connections to and from them",
}
# Labels that name the workload a selector means, most telling first.
_NAME_LABELS = ("app.kubernetes.io/name", "app", "k8s-app", "name", "app.kubernetes.io/instance")


class PodLabels(BaseModel):
    """A pod's labels and readiness as one evidence item shows them, with their lines."""

    namespace: str | None = None
    name: str
    workload: str | None = None
    labels: dict[str, str]
    ready: bool
    lines: list[LineSpan] = Field(min_length=1)


class KubernetesReading(KubernetesEvidence):
    """What `read_kubernetes` returns: the evidence, plus the pods other items need.

    `pods` carries the labels pods show, `listed` the rows of pod listings, `cpu_uses`
    and `cpu_limits` what `kubectl top` and the described containers say of CPU,
    `service_ports` and `pod_ports` the ports Services send to and containers declare,
    `tls_references` and `secret_listings` the Secrets Ingresses use and the ones listed.

    A Service described in one file and its pods listed in another are only comparable
    when the case is read as a whole (`combine_findings`).
    """

    pods: list[PodLabels] = Field(default_factory=list)
    listed: list[ListedPod] = Field(default_factory=list)
    cpu_uses: list[CpuUse] = Field(default_factory=list)
    cpu_limits: list[CpuLimit] = Field(default_factory=list)
    service_ports: list[ServicePort] = Field(default_factory=list)
    pod_ports: list[PodPorts] = Field(default_factory=list)
    tls_references: list[TlsReference] = Field(default_factory=list)
    secret_listings: list[SecretListing] = Field(default_factory=list)


def paired_findings(
    first: KubernetesReading, second: KubernetesReading
) -> list[tuple[KubernetesFinding, KubernetesFinding]]:
    """Report what one reading shows against another, each report a pair of findings.

    The first finding of a pair cites `first`, the second `second`: pods using their CPU
    limit (`kubectl top` against the described limit), a Service port no selected pod
    declares, an Ingress's TLS Secret missing from its namespace's listing. A reading
    may be paired with itself.
    """
    return [
        *throttled(first.cpu_uses, second.cpu_limits),
        *port_mismatches(first.service_ports, second.pod_ports),
        *missing_tls_secrets(first.tls_references, second.secret_listings),
    ]


def pod_labels(facts: Iterable[Facts]) -> list[PodLabels]:
    """Every pod whose labels the facts show (`--show-labels`, describe, objects)."""
    found: list[PodLabels] = []
    for fact in facts:
        if isinstance(fact, PodRowFacts) and fact.labels is not None:
            found.append(_labels_of(fact.identity, fact.labels, row_is_ready(fact), fact.lines))
        elif isinstance(fact, PodFacts) and fact.labels is not None and fact.label_lines:
            is_ready = any(c.type == "Ready" and c.status == "True" for c in fact.conditions)
            found.append(_labels_of(fact.identity, fact.labels, is_ready, fact.label_lines))
    return found


def _labels_of(
    identity: ObjectFacts, labels: dict[str, str], ready: bool, lines: list[LineSpan]
) -> PodLabels:
    return PodLabels(
        namespace=identity.namespace, name=identity.name, workload=identity.workload,
        labels=labels, ready=ready, lines=lines,
    )  # fmt: skip


def _printed(pairs: dict[str, str]) -> str:
    return ",".join(f"{key}={value}" for key, value in pairs.items())


def service_finding(fact: ServiceFacts) -> KubernetesFinding:
    """Report a Service with no endpoints; its cause is told once the pods are known."""
    details = {"selector": _printed(fact.selector)} if fact.selector else {}
    what = f" matches selector {details['selector']}" if details else " backs it"
    return new_finding(
        fact.identity, NO_ENDPOINTS, fact.lines, category=Category.CONFIGURATION,
        severity=FindingSeverity.MEDIUM, details=details,
        message=f"Service {fact.identity.name} has no endpoints: no ready pod{what}",
    )  # fmt: skip


def backend_finding(fact: BackendFacts) -> KubernetesFinding:
    """Report an Ingress that routes to a Service that does not exist."""
    name = fact.identity.name
    target = f"{fact.service}:{fact.port}"
    details = {"service": fact.service, "port": fact.port}
    if fact.path:
        details["path"] = fact.path
    if fact.default:
        reason = "DefaultBackendNotFound" if fact.service == "default-http-backend" else None
        where = "its default backend"
    else:
        reason, where = None, f"path {fact.path}" if fact.path else "a rule"
    return new_finding(
        fact.identity, reason or "BackendServiceNotFound", fact.lines, details=details,
        message=f"Ingress {name} sends {where} to Service {target}, which does not exist",
    )  # fmt: skip


def policy_finding(fact: PolicyFacts) -> KubernetesFinding:
    """Report a NetworkPolicy that leaves the pods it selects no allowed peer."""
    directions = " and ".join(fact.isolated)
    if fact.selector:
        selects = f"pods with {_printed(fact.selector)}"
        workload = _selected_workload(fact.selector)
    else:
        selects = f"all pods in namespace {fact.identity.namespace or '(unknown)'}"
        workload = fact.identity.namespace or fact.identity.name
    identity = ObjectFacts(
        fact.identity.kind, fact.identity.namespace, fact.identity.name, workload
    )
    return new_finding(
        identity, POLICY_ISOLATION, fact.lines, category=Category.NETWORK,
        severity=FindingSeverity.HIGH,
        details={"isolated": directions, "pod selector": _printed(fact.selector) or "<none>"},
        message=(
            f"NetworkPolicy {fact.identity.name} selects {selects} and allows them no "
            f"{directions} traffic: {_DROPPED[directions]} are dropped"
        ),
    )  # fmt: skip


def _selected_workload(selector: dict[str, str]) -> str:
    for key in _NAME_LABELS:
        if key in selector:
            return selector[key]
    return next(iter(selector.values()))


def _same_namespace(first: str | None, second: str | None) -> bool:
    return first is None or second is None or first == second


def _labelled_for(service: KubernetesFinding, pods: Sequence[PodLabels]) -> list[PodLabels]:
    """Return the pods whose labels carry the Service's name (`app=bookings`: `bookings`)."""
    return [
        pod
        for pod in pods
        if _same_namespace(service.namespace, pod.namespace)
        and (service.name in pod.labels.values() or pod.workload == service.name)
    ]


def _selected(selector: dict[str, str], pod: PodLabels) -> bool:
    return all(pod.labels.get(key) == value for key, value in selector.items())


def _difference(selector: dict[str, str], pod: PodLabels) -> str:
    parts = []
    for key, wanted in selector.items():
        has = pod.labels.get(key)
        if has != wanted:
            found = f"{key}={has}" if has is not None else f"no {key} label"
            parts.append(f"{key}={wanted} wanted, pods have {found}")
    return "; ".join(parts)


def with_selector_mismatches(
    findings: Sequence[tuple[int, KubernetesFinding]], pods: Sequence[tuple[int, PodLabels]]
) -> list[tuple[int, KubernetesFinding]]:
    """Turn each empty Service that ready pods labelled for it miss into a selector mismatch.

    Findings and pods come with the index of the evidence item that shows them; the
    mismatch also cites up to three of the missed pods' label lines, in their own items.
    """
    known = [finding for _, finding in findings if _selector_of(finding)]
    result: list[tuple[int, KubernetesFinding]] = []
    for item, finding in findings:
        selector = _selector_of(finding) or next(
            (
                _selector_of(other)
                for other in known
                if other.name == finding.name
                and _same_namespace(other.namespace, finding.namespace)
            ),
            {},
        )
        if finding.reason != NO_ENDPOINTS or not selector:
            result.append((item, finding))
            continue
        labelled = _labelled_for(finding, [pod for _, pod in pods])
        missed = [pod for pod in labelled if pod.ready and not _selected(selector, pod)]
        if not missed or any(pod.ready and _selected(selector, pod) for pod in labelled):
            result.append((item, finding))
            continue
        message = (
            f"Service {finding.name} selects {_printed(selector)} but its {len(missed)} "
            f"ready pod(s) do not match ({_difference(selector, missed[0])}), so it has "
            "no endpoints"
        )
        shown = ", ".join(pod.name for pod in missed[:_CITED_PODS])
        update = {
            "reason": SELECTOR_MISMATCH, "category": Category.CONFIGURATION,
            "severity": FindingSeverity.HIGH, "message": message,
            "details": {**finding.details, "selector": _printed(selector), "pods": shown},
        }  # fmt: skip
        mismatch = finding.model_copy(update=update)
        result.append((item, mismatch))
        for pod_item, pod in pods:
            if pod in missed[:_CITED_PODS]:
                cited = mismatch.model_copy(update={"lines": merge_spans(pod.lines)})
                result.append((pod_item, cited))
    return _once(result)


def _once(found: list[tuple[int, KubernetesFinding]]) -> list[tuple[int, KubernetesFinding]]:
    """Drop exact repeats (one pod row cited for two reports of the same Service)."""
    seen: list[tuple[int, KubernetesFinding]] = []
    for pair in found:
        if pair not in seen:
            seen.append(pair)
    return seen


def _selector_of(finding: KubernetesFinding) -> dict[str, str]:
    return selector_pairs(finding.details.get("selector"))


def with_unready_backends(
    findings: list[KubernetesFinding], pods: Sequence[PodLabels]
) -> list[KubernetesFinding]:
    """Mark an empty Service whose labelled pods are all unready as their consequence."""
    result = []
    for finding in findings:
        labelled = _labelled_for(finding, pods) if finding.reason == NO_ENDPOINTS else []
        if labelled and not any(pod.ready for pod in labelled):
            workloads = {pod.workload for pod in labelled}
            causes = [
                other
                for other in findings
                if other.workload in workloads
                and other.kind != "Service"
                and other.explained_by is None
                and _same_namespace(other.namespace, finding.namespace)
            ]
            update: dict[str, object] = {"severity": FindingSeverity.LOW}
            if causes:
                update["explained_by"] = causes[0].reason
            finding = finding.model_copy(update=update)
        result.append(finding)
    return result


def with_policy_workloads(
    findings: list[KubernetesFinding], workloads: dict[str | None, set[str]]
) -> list[KubernetesFinding]:
    """Name the one workload of a namespace whose every pod a policy isolates, if one."""
    result = []
    for finding in findings:
        every_pod = finding.details.get("pod selector") == "<none>"
        if finding.reason == POLICY_ISOLATION and every_pod and finding.namespace:
            known = workloads.get(finding.namespace, set())
            if len(known) == 1:
                finding = finding.model_copy(update={"workload": next(iter(known))})
        result.append(finding)
    return result


def namespace_workloads(
    pods: dict[tuple[str | None, str], str | None],
) -> dict[str | None, set[str]]:
    """Group the workloads of the pods seen by namespace."""
    grouped: dict[str | None, set[str]] = {}
    for (namespace, _), workload in pods.items():
        if namespace and workload:
            grouped.setdefault(namespace, set()).add(workload)
    return grouped
