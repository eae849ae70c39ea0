"""Read zone-free logs in the case's local time when that lines them up (reasoning only)."""

import uuid
from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta

from sqlalchemy import Connection

from faultmaven.domain.evidence import AnalysedLine, EvidenceKind, EvidenceSummary
from faultmaven.logs.zones import stated_offsets, zone_free
from faultmaven.reasoning.case_clock import ClockedEvidence, zone_shifts
from faultmaven.store import evidence as evidence_store

# Enough lines to tell whether a log states its zone, few enough to read for every item.
HEAD_LINES = 200
_DATED_KINDS = frozenset({EvidenceKind.LOG, EvidenceKind.TEXT})


def on_case_clock(
    connection: Connection,
    lines: list[AnalysedLine],
    summaries: Sequence[EvidenceSummary],
    question: str | None,
) -> tuple[list[AnalysedLine], list[EvidenceSummary]]:
    """Return the lines and summaries with zone-free logs moved to the case's local time."""
    items = [_clocked(connection, summary) for summary in summaries]
    shifts = zone_shifts(items, question)
    if not shifts:
        return lines, list(summaries)
    return (
        [_moved_line(line, shifts.get(line.evidence_id)) for line in lines],
        [_moved_summary(summary, shifts.get(summary.evidence_id)) for summary in summaries],
    )


def _clocked(connection: Connection, summary: EvidenceSummary) -> ClockedEvidence:
    span = None
    if summary.first_time is not None and summary.last_time is not None:
        span = (summary.first_time, summary.last_time)
    if span is None or summary.kind not in _DATED_KINDS:
        return ClockedEvidence(summary.evidence_id, span, False, frozenset())
    rows = evidence_store.read_lines(connection, uuid.UUID(summary.evidence_id), 1, HEAD_LINES)
    head = [row.text for row in rows]
    return ClockedEvidence(
        summary.evidence_id, span, zone_free(head), frozenset(stated_offsets(head))
    )


def _moved_line(line: AnalysedLine, shift: timedelta | None) -> AnalysedLine:
    if shift is None or line.time is None:
        return line
    return replace(line, time=line.time + shift)


def _moved_summary(summary: EvidenceSummary, shift: timedelta | None) -> EvidenceSummary:
    if shift is None or summary.first_time is None or summary.last_time is None:
        return summary
    return replace(
        summary, first_time=summary.first_time + shift, last_time=summary.last_time + shift
    )
