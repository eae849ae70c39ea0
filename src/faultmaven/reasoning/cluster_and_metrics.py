"""Kubernetes findings and metric changes folded into a diagnosis built from logs.

The Kubernetes engine already ranks its findings cause before symptom and links each symptom
to the finding that explains it; here the unexplained ones become hypotheses beside the log
hypotheses, ranked by confidence. Metric changes become timeline entries and, when logs named
no component, the order in which components started to move.
"""

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from faultmaven.domain.diagnosis import (
    Category,
    Citation,
    ComponentRank,
    DiagnosisDraft,
    DiagnosisStatus,
    Hypothesis,
    NextStep,
    TimelineEntry,
    TimelineKind,
)
from faultmaven.domain.kubernetes import (
    CORDONED,
    REPLACED_BY,
    FindingSeverity,
    KubernetesFinding,
)
from faultmaven.domain.metrics import MetricReport, RankedChange
from faultmaven.domain.service_names import is_dns_server, is_network_agent
from faultmaven.domain.stale_data import reports_stale_data
from faultmaven.reasoning.blind_autoscalers import blind_autoscalers
from faultmaven.reasoning.candidates import MAX_CONFIDENCE, PROMOTION
from faultmaven.reasoning.cluster_log_agreement import join_agreeing_findings
from faultmaven.reasoning.cluster_log_causes import logs_say_why
from faultmaven.reasoning.cluster_placements import placement_of
from faultmaven.reasoning.deep_liveness import deep_liveness_placement
from faultmaven.reasoning.deferral import deferred
from faultmaven.reasoning.uninitialized_nodes import cloud_controller_explains_taints
from faultmaven.reasoning.unrequested_autoscalers import autoscalers_without_requests

MAX_HYPOTHESES = 5
MIN_NAME_LENGTH = 3
KUBERNETES_HYPOTHESES = 3
# Workloads that load or export data on a schedule: when one keeps failing, stale data follows.
BATCH_KINDS = frozenset({"Job", "CronJob"})
MAX_CHANGES_IN_TIMELINE = 6
CONFIDENCE = {
    FindingSeverity.CRITICAL: 0.85,
    FindingSeverity.HIGH: 0.75,
    FindingSeverity.MEDIUM: 0.55,
    FindingSeverity.LOW: 0.35,
}


@dataclass(frozen=True)
class CitedFinding:
    """A Kubernetes finding with the evidence lines that prove it."""

    finding: KubernetesFinding
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class CitedChange:
    """A metric change with the evidence lines that show it."""

    change: RankedChange
    citation: Citation


def _one_per_title(hypotheses: list[Hypothesis]) -> list[Hypothesis]:
    """Join hypotheses naming one reason at one component, their citations pooled.

    Both autoscalers fighting over a workload report `AmbiguousSelector`; placed at that
    workload, they are one cause, proved by every line either shows.
    """
    joined: dict[str, Hypothesis] = {}
    for hypothesis in hypotheses:
        first = joined.get(hypothesis.title)
        if first is None:
            joined[hypothesis.title] = hypothesis
            continue
        pooled = [*first.citations, *(c for c in hypothesis.citations if c not in first.citations)]
        joined[hypothesis.title] = first.model_copy(update={"citations": pooled[:5]})
    return list(joined.values())


def _hypothesis_id(finding: KubernetesFinding) -> str:
    key = f"k8s|{finding.reason}|{finding.namespace}|{finding.component}|{finding.container}"
    return "k8s-" + hashlib.blake2b(key.encode(), digest_size=6).hexdigest()


def _statement(finding: KubernetesFinding) -> str:
    where = f"container {finding.container} of " if finding.container else ""
    namespace = f" in namespace {finding.namespace}" if finding.namespace else ""
    text = f"Kubernetes reports {finding.reason} for {where}{finding.kind} {finding.name}"
    text += f"{namespace}"
    if finding.exit_code is not None:
        text += f" (exit code {finding.exit_code})"
    if finding.message:
        text += f": {finding.message.strip().rstrip('.')}"
    return text + "."


def _reasoning(cited: CitedFinding, explained: Sequence[KubernetesFinding]) -> str:
    finding = cited.finding
    parts = [f"{finding.reason} points to {finding.category.value}."]
    if finding.restart_count:
        parts.append(f"The container restarted {finding.restart_count} times.")
    if finding.limits:
        limits = ", ".join(f"{name} {value}" for name, value in sorted(finding.limits.items()))
        parts.append(f"Limits: {limits}.")
    if REPLACED_BY in finding.details:
        current = finding.details[REPLACED_BY]
        parts.append(f"The pod is no longer listed and {current} now run ready: this looks over.")
    if explained:
        later = ", ".join(sorted({item.reason for item in explained}))
        parts.append(f"It explains these other reports: {later}.")
    return " ".join(parts)


def _next_steps(finding: KubernetesFinding, hypothesis_id: str) -> list[NextStep]:
    namespace = f"-n {finding.namespace} " if finding.namespace else ""
    kind = finding.kind.lower()
    steps = [
        NextStep(
            action=f"Describe {finding.kind} {finding.name} and read its events",
            why="Shows the current state, the last termination and the events around it",
            command=f"kubectl {namespace}describe {kind} {finding.name}",
            hypothesis_id=hypothesis_id,
        )
    ]
    if finding.reason == CORDONED:
        steps.append(
            NextStep(
                action=f"Uncordon node {finding.name} if its maintenance is over",
                why="A drain that never finished leaves the node closed to new pods",
                command=f"kubectl uncordon {finding.name}",
                hypothesis_id=hypothesis_id,
            )
        )
    if kind == "pod" and finding.container:
        steps.append(
            NextStep(
                action=f"Read the previous run's log of container {finding.container}",
                why="The lines just before the container died usually name the cause",
                command=f"kubectl {namespace}logs {finding.name} -c {finding.container} --previous",
                hypothesis_id=hypothesis_id,
            )
        )
    return steps


def with_kubernetes(draft: DiagnosisDraft, findings: Sequence[CitedFinding]) -> DiagnosisDraft:
    """Add the unexplained Kubernetes findings as hypotheses, re-ranked with the log ones."""
    causes = [cited for cited in findings if cited.finding.explained_by is None]
    if not causes:
        return draft
    new: list[Hypothesis] = []
    steps: list[NextStep] = []
    for cited in causes[:KUBERNETES_HYPOTHESES]:
        finding = cited.finding
        explained = [
            other.finding
            for other in findings
            if other.finding.explained_by == finding.reason and _explains(finding, other.finding)
        ]
        supporting = [
            c for other in findings if other.finding in explained for c in other.citations
        ]
        hypothesis_id = _hypothesis_id(finding)
        placed = placement_of(finding) or deep_liveness_placement(finding)
        component = (
            _namespace_member(finding, draft.hypotheses)
            or (placed.component if placed else None)
            or finding.component
        )
        critical = placed is not None and placed.critical
        new.append(
            Hypothesis(
                id=hypothesis_id,
                rank=1,
                title=f"{finding.reason} in {component}",
                statement=_statement(finding) + (placed.note if placed else ""),
                category=_felt_as(finding),
                component=component,
                confidence=CONFIDENCE[FindingSeverity.CRITICAL if critical else finding.severity],
                reasoning=_reasoning(cited, explained),
                citations=[*cited.citations, *supporting][:5],
            )
        )
        steps += _next_steps(finding, hypothesis_id)
        if placed and placed.command:
            steps.append(
                NextStep(
                    action=placed.action,
                    why=placed.why,
                    command=placed.command,
                    hypothesis_id=hypothesis_id,
                )
            )
    new = _one_per_title(new)
    reported: dict[str, list[KubernetesFinding]] = {}
    for cited in causes:
        reported.setdefault(_hypothesis_id(cited.finding), []).append(cited.finding)
    logged, new = logs_say_why(draft.hypotheses, new, reported)
    logged, new = join_agreeing_findings(logged, new)
    known = {hypothesis.id for hypothesis in logged}
    logged, new = _logs_defer_to_cluster(logged, new)
    logged, new = blind_autoscalers(logged, new, reported)
    logged, new = autoscalers_without_requests(logged, new, reported)
    logged, new = cloud_controller_explains_taints(logged, new, reported)
    failed_jobs = {_hypothesis_id(c.finding) for c in causes if c.finding.kind in BATCH_KINDS}
    logged, new = _failed_jobs_explain_stale_data(logged, new, failed_jobs)
    merged = sorted(
        [*logged, *(h for h in new if h.id not in known)],
        key=lambda hypothesis: -hypothesis.confidence,
    )[:MAX_HYPOTHESES]
    ranked = [h.model_copy(update={"rank": rank}) for rank, h in enumerate(merged, start=1)]
    top = ranked[0]
    summary = draft.summary
    if draft.status is DiagnosisStatus.INSUFFICIENT_EVIDENCE or top.id.startswith("k8s-"):
        summary = f"Most likely cause: {top.statement}"
    return draft.model_copy(
        update={
            "status": DiagnosisStatus.DIAGNOSED,
            "summary": summary,
            "hypotheses": ranked,
            "components": ranked_components(ranked, draft.components),
            "next_steps": [*steps, *draft.next_steps][: max(len(draft.next_steps), 6)],
            "missing_evidence": [] if draft.hypotheses else draft.missing_evidence,
        }
    )


def _explains(cause: KubernetesFinding, symptom: KubernetesFinding) -> bool:
    """Whether a symptom explained by the cause's reason is this cause's (its lines support it).

    Reports on the same component are; so are pods on a troubled node, or Pending ones
    (no node yet) that the node's cordon or taint kept off it.
    """
    if symptom.component == cause.component:
        return True
    return cause.kind == "Node" and symptom.kind == "Pod" and symptom.node in (None, cause.name)


def _felt_as(finding: KubernetesFinding) -> Category:
    """Name a crashing DNS server's failure for what everything else feels: DNS failing.

    CoreDNS in CrashLoopBackOff (a forwarding loop, a bad Corefile) is the cluster's name
    resolution down; the crash's own category says only that a container keeps dying. A
    crashing kube-proxy or CNI agent is its node's pod networking down, so: network.
    """
    crashing = finding.category in (Category.CODE_ERROR, Category.UNKNOWN)
    if crashing and finding.component and is_dns_server(finding.component):
        return Category.DNS
    if crashing and finding.component and is_network_agent(finding.component):
        return Category.NETWORK
    return finding.category


def _namespace_member(finding: KubernetesFinding, logged: Sequence[Hypothesis]) -> str | None:
    """Name the service of a namespace-wide finding that the logs show failing, if one.

    A NetworkPolicy isolating every pod of namespace `ledger` is felt by the callers of
    `ledger-api.ledger.svc.cluster.local`: that service is where the cause shows.
    """
    namespace = finding.namespace
    if not namespace or finding.component != namespace:
        return None
    for hypothesis in sorted(logged, key=lambda h: -h.confidence):
        name = hypothesis.component
        if not name or name == namespace:
            continue
        in_namespace = re.compile(rf"(?<![\w-]){re.escape(name)}\.{re.escape(namespace)}\b")
        if any(in_namespace.search(citation.text) for citation in hypothesis.citations):
            return name
    return None


def _logs_defer_to_cluster(
    logged: Sequence[Hypothesis], cluster: Sequence[Hypothesis]
) -> tuple[list[Hypothesis], list[Hypothesis]]:
    """Demote log hypotheses about a workload the cluster shows broken; promote that finding.

    "could not translate host name ledger-db-0.ledger-db" in the ledger API's log, while
    Kubernetes cannot schedule ledger-db-0, is the API feeling the missing database: the
    cluster finding is the cause and the log lines are its consequence.
    """
    promoted: dict[str, Hypothesis] = {}
    kept: list[Hypothesis] = []
    for hypothesis in logged:
        cause = next(
            (
                finding
                for finding in cluster
                if finding.component
                and finding.component != hypothesis.component
                and len(finding.component) >= MIN_NAME_LENGTH
                and _named_by_others(hypothesis, finding.component)
            ),
            None,
        )
        if cause is None:
            kept.append(hypothesis)
            continue
        kept.append(
            deferred(
                hypothesis,
                f"It names {cause.component}, which Kubernetes shows broken ({cause.title}):"
                " likely a consequence of it.",
            )
        )
        promoted[cause.id] = _promoted(cause)
    return kept, [promoted.get(finding.id, finding) for finding in cluster]


def _named_by_others(hypothesis: Hypothesis, component: str) -> bool:
    """Tell whether a hypothesis's lines from other components' evidence name `component`.

    invoicer's own log naming itself (`c.a.invoicer.InvoiceController`) while reporting
    its database unreachable does not make the database's failure a consequence of
    invoicer's pods being unhealthy: they are unhealthy because of it.
    """
    named = re.compile(rf"(?<![\w-]){re.escape(component.lower())}\b")
    return any(
        named.search(citation.text.lower())
        for citation in hypothesis.citations
        if not PurePosixPath(citation.evidence_name).stem.startswith(component)
    )


def _failed_jobs_explain_stale_data(
    logged: Sequence[Hypothesis], cluster: Sequence[Hypothesis], failed_jobs: set[str]
) -> tuple[list[Hypothesis], list[Hypothesis]]:
    """Blame stale data on the batch Job that keeps failing, not on who reports it stale.

    Dashboards "served stale data" and a freshness check red while the CronJob loading
    that data hits its backoff limit every hour: the reports are what the failed loads
    look like downstream. The Job's finding is promoted and the staleness reports demoted.
    """
    jobs = [hypothesis for hypothesis in cluster if hypothesis.id in failed_jobs]
    stale = [hypothesis for hypothesis in logged if _reports_stale_data(hypothesis)]
    if not jobs or not stale:
        return list(logged), list(cluster)
    demoted = {hypothesis.id for hypothesis in stale}
    why = f"Data goes stale when the job loading it fails: {jobs[0].title} explains it."
    kept = [deferred(h, why) if h.id in demoted else h for h in logged]
    promoted = [_promoted(h) if h.id in failed_jobs else h for h in cluster]
    return kept, promoted


def _promoted(hypothesis: Hypothesis) -> Hypothesis:
    """Raise a cluster finding that explains log hypotheses."""
    return hypothesis.model_copy(
        update={"confidence": min(MAX_CONFIDENCE, round(hypothesis.confidence + PROMOTION, 3))}
    )


def _reports_stale_data(hypothesis: Hypothesis) -> bool:
    """Tell whether a hypothesis' lines complain that data is stale or not fresh."""
    return any(reports_stale_data(citation.text) for citation in hypothesis.citations)


def ranked_components(
    hypotheses: Sequence[Hypothesis], earlier: Sequence[ComponentRank]
) -> list[ComponentRank]:
    """Rank the hypotheses' components in their order, then the others as they were."""
    by_name: dict[str, ComponentRank] = {}
    for hypothesis in hypotheses:
        if hypothesis.component and hypothesis.component not in by_name:
            by_name[hypothesis.component] = ComponentRank(
                name=hypothesis.component,
                rank=1,
                score=hypothesis.confidence,
                reason=f"Hypothesis {hypothesis.rank}: {hypothesis.title}.",
            )
    for component in earlier:
        by_name.setdefault(component.name, component)
    return [
        component.model_copy(update={"rank": rank})
        for rank, component in enumerate(by_name.values(), start=1)
    ]


def _describe(change: RankedChange) -> str:
    amount = (
        f"{change.relative_change:+.0%}"
        if change.relative_change is not None
        else f"{change.absolute_change:+g}"
    )
    corroborated = " (log anomalies at the same time)" if change.corroborated else ""
    return f"{change.series} went {change.direction.value} {amount}{corroborated}"


def with_metric_changes(
    draft: DiagnosisDraft, report: MetricReport, changes: Sequence[CitedChange]
) -> DiagnosisDraft:
    """Put the first metric changes on the timeline.

    When the logs named no component, components are ranked by which one moved first.
    """
    if not changes:
        return draft
    entries = [
        TimelineEntry(
            time=cited.change.time,
            event=_describe(cited.change),
            kind=TimelineKind.CHANGE,
            citation=cited.citation,
        )
        for cited in changes[:MAX_CHANGES_IN_TIMELINE]
    ]
    timeline = sorted(
        [*draft.timeline, *entries],
        key=lambda entry: (entry.time is None, entry.time.isoformat() if entry.time else ""),
    )
    components = list(draft.components)
    if not components:
        components = [
            ComponentRank(
                name=moved.name,
                rank=moved.rank,
                score=round(1.0 / moved.rank, 3),
                reason=moved.reason,
            )
            for moved in report.components
        ]
    return draft.model_copy(update={"timeline": timeline, "components": components})
