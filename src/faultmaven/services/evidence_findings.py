"""Kubernetes and metrics evidence read back from the database and run through their engines."""

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection

from faultmaven.domain.diagnosis import Citation
from faultmaven.domain.errors import InvalidInputError
from faultmaven.domain.evidence import Evidence, EvidenceKind
from faultmaven.domain.kubernetes import LineSpan
from faultmaven.domain.metrics import MetricReport
from faultmaven.integrations.kubernetes import combine_findings, pod_nodes, read_kubernetes
from faultmaven.metrics import Detected, detect_all, rank_detected, read_metrics
from faultmaven.reasoning.cluster_and_metrics import CitedChange, CitedFinding
from faultmaven.store import evidence as evidence_store

logger = logging.getLogger(__name__)

# Kubernetes, metric and pasted-text evidence is read whole, up to this many lines.
MAX_LINES = 200_000


def evidence_text(connection: Connection, item: Evidence) -> list[str] | None:
    """Return the lines of an item read whole (not a log's events), None when it is too long."""
    if item.line_count > MAX_LINES:
        logger.warning("%s has %d lines; not read for the diagnosis", item.name, item.line_count)
        return None
    rows = evidence_store.read_lines(connection, uuid.UUID(item.id), 1, max(item.line_count, 1))
    return [row.text for row in rows]


def _citation(item: Evidence, lines: list[str], span: LineSpan) -> Citation:
    start, end = span.line_start, min(span.line_end, len(lines))
    return Citation(
        evidence_id=item.id,
        evidence_name=item.name,
        line_start=start,
        line_end=end,
        text="\n".join(lines[start - 1 : end]),
    )


@dataclass(frozen=True)
class ClusterEvidence:
    """What the case's Kubernetes evidence shows: findings, and which node runs each pod."""

    findings: list[CitedFinding]
    pod_nodes: dict[str, str]


def kubernetes_findings(connection: Connection, ready: Sequence[Evidence]) -> list[CitedFinding]:
    """Read the case's Kubernetes evidence as one cluster: its findings, most causal first."""
    return read_cluster(connection, ready).findings


def read_cluster(connection: Connection, ready: Sequence[Evidence]) -> ClusterEvidence:
    """Read the case's Kubernetes evidence as one cluster: findings and pod placements.

    A finding two items show (a pod's describe and the event listing) comes out once,
    citing both; a symptom in one item is linked to its cause in another.
    """
    items: list[tuple[Evidence, list[str]]] = []
    for item in ready:
        if item.kind is not EvidenceKind.KUBERNETES:
            continue
        lines = evidence_text(connection, item)
        if lines:
            items.append((item, lines))
    readings = [read_kubernetes("\n".join(lines)) for _, lines in items]
    found: list[CitedFinding] = []
    for combined in combine_findings(readings):
        citations = tuple(
            _citation(items[source.item][0], items[source.item][1], span)
            for source in combined.sources
            for span in source.lines
            if span.line_start <= len(items[source.item][1])
        )
        if citations:
            found.append(CitedFinding(combined.finding, citations))
    return ClusterEvidence(found, pod_nodes(readings))


@dataclass(frozen=True)
class MetricsEvidence:
    """A metrics evidence item read once per question: its lines and the changes found."""

    item: Evidence
    lines: list[str]
    detected: Detected


def read_metrics_evidence(
    connection: Connection, ready: Sequence[Evidence]
) -> list[MetricsEvidence]:
    """Read every metrics evidence item and find its changes (the costly part, done once)."""
    found = []
    for item in ready:
        if item.kind is not EvidenceKind.METRICS:
            continue
        lines = evidence_text(connection, item)
        if not lines:
            continue
        try:
            metric_set = read_metrics("\n".join(lines), timezone=item.timezone)
        except InvalidInputError as error:
            logger.warning("%s: metrics not read: %s", item.name, error.detail)
            continue
        found.append(MetricsEvidence(item, lines, detect_all(metric_set)))
    return found


def metric_changes(
    metrics: Sequence[MetricsEvidence], log_anomaly_times: Sequence[datetime]
) -> list[tuple[MetricReport, list[CitedChange]]]:
    """Rank the changes of every metrics evidence item, with the lines that show each."""
    reports = []
    for read in metrics:
        report = rank_detected(read.detected, log_anomaly_times)
        cited = [
            CitedChange(
                change,
                _citation(
                    read.item,
                    read.lines,
                    LineSpan(line_start=change.line_start, line_end=change.line_end),
                ),
            )
            for change in report.changes
        ]
        reports.append((report, cited))
    return reports
