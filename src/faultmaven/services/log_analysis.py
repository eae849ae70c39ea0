"""What is abnormal in a case's logs, read back from the database (never re-parsed)."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlalchemy import Connection, Engine

from faultmaven.domain.diagnosis import Citation, TimelineEntry, TimelineKind
from faultmaven.domain.errors import InvalidInputError
from faultmaven.domain.evidence import Evidence
from faultmaven.domain.logs import (
    AbnormalItem,
    Anomaly,
    AnomalyKind,
    LogReport,
    TemplateOccurrence,
    TemplateStats,
)
from faultmaven.domain.tenants import Principal
from faultmaven.logs.anomalies import (
    EarlierEvidenceVerdict,
    EvidenceTemplates,
    TemplateProfile,
    detect_anomalies,
    judge_earlier_evidence,
)
from faultmaven.logs.summary import DEFAULT_TOKEN_BUDGET, summarise
from faultmaven.services.cases import require_case
from faultmaven.services.evidence import ready_evidence
from faultmaven.store import logs as log_store

MAX_ABNORMAL = 20


@dataclass(frozen=True)
class LogAnalysis:
    """Templates, anomalies (examples carry their line text) and the event count of a case."""

    stats: list[TemplateStats]
    anomalies: list[Anomaly]
    events: int


def analyse_logs(
    connection: Connection, case_id: uuid.UUID, ready: Sequence[Evidence]
) -> LogAnalysis:
    """Profile every event of the ready evidence and find what is abnormal.

    Events are profiled in upload order, so a template's first occurrence is in the first
    item holding it, and templates are judged new against earlier items of the same source.
    """
    in_upload_order = sorted(ready, key=lambda item: item.created_at)
    profile = TemplateProfile()
    names = {uuid.UUID(item.id): item.name for item in in_upload_order}
    for occurrence in log_store.occurrences(connection, case_id, names):
        profile.add(occurrence)
    stats = profile.stats()
    earlier = _earlier_evidence(connection, case_id, in_upload_order)
    anomalies = detect_anomalies(profile, limit=MAX_ABNORMAL, earlier=earlier)
    texts = log_store.first_lines(
        connection,
        [(o.evidence_id, o.line_start) for o in _examples(stats, anomalies)],
    )
    return LogAnalysis(
        stats=[replace(s, examples=_with_text(s.examples, texts)) for s in stats],
        anomalies=[replace(a, examples=_with_text(a.examples, texts)) for a in anomalies],
        events=profile.total,
    )


def _earlier_evidence(
    connection: Connection, case_id: uuid.UUID, in_upload_order: Sequence[Evidence]
) -> EarlierEvidenceVerdict:
    groups = log_store.groups_by_evidence(connection, case_id)
    return judge_earlier_evidence(
        [
            EvidenceTemplates(item.id, item.name, frozenset(groups[uuid.UUID(item.id)]))
            for item in in_upload_order
            if uuid.UUID(item.id) in groups
        ]
    )


def _examples(
    stats: Sequence[TemplateStats], anomalies: Sequence[Anomaly]
) -> list[TemplateOccurrence]:
    return [o for s in stats for o in s.examples] + [o for a in anomalies for o in a.examples]


def _with_text(
    examples: tuple[TemplateOccurrence, ...], texts: dict[tuple[str, int], str]
) -> tuple[TemplateOccurrence, ...]:
    return tuple(
        replace(o, text=texts.get((o.evidence_id, o.line_start), o.text)) for o in examples
    )


def citation_of(occurrence: TemplateOccurrence) -> Citation:
    """Cite an event's first line (its text was read back from the stored lines)."""
    return Citation.of_line(
        occurrence.evidence_id, occurrence.evidence_name, occurrence.line_start, occurrence.text
    )


def log_report(analysis: LogAnalysis, budget_tokens: int = DEFAULT_TOKEN_BUDGET) -> LogReport:
    """Turn an analysis into what clients read: the abnormal items and a bounded summary."""
    templates = {s.group: s.template for s in analysis.stats}
    return LogReport(
        events=analysis.events,
        templates=len(analysis.stats),
        abnormal=[
            AbnormalItem(
                kind=anomaly.kind,
                score=anomaly.score,
                description=anomaly.description,
                start=anomaly.start,
                end=anomaly.end,
                templates=[templates.get(group, group) for group in anomaly.groups],
                citations=[citation_of(o) for o in anomaly.examples if o.text],
            )
            for anomaly in analysis.anomalies
        ],
        summary=summarise(
            analysis.stats,
            analysis.anomalies,
            total_events=analysis.events,
            budget_tokens=budget_tokens,
        ),
    )


def case_log_report(
    engine: Engine, principal: Principal, case_id: str, budget_tokens: int = DEFAULT_TOKEN_BUDGET
) -> LogReport:
    """Return what is abnormal in the case's logs and a summary within `budget_tokens`."""
    if not 200 <= budget_tokens <= 100_000:
        raise InvalidInputError("budget must be between 200 and 100000 tokens")
    with engine.connect() as connection:
        tenant_id, case_uuid = require_case(connection, principal, case_id)
        ready = ready_evidence(connection, tenant_id, case_uuid)
        return log_report(analyse_logs(connection, case_uuid, ready), budget_tokens)


def anomaly_timeline(analysis: LogAnalysis, limit: int = 5) -> list[TimelineEntry]:
    """Return timeline entries for the most abnormal things that have a time."""
    entries = []
    for anomaly in analysis.anomalies:
        if anomaly.start is None or not anomaly.examples or not anomaly.examples[0].text:
            continue
        kind = (
            TimelineKind.CHANGE
            if anomaly.kind is AnomalyKind.ERROR_RATE_CHANGE
            else TimelineKind.ANOMALY
        )
        entries.append(
            TimelineEntry(
                time=anomaly.start,
                event=anomaly.description,
                kind=kind,
                citation=citation_of(anomaly.examples[0]),
            )
        )
        if len(entries) == limit:
            break
    return entries
