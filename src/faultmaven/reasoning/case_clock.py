"""Line up logs whose times carry no zone with the rest of the case, for reasoning only.

A log without zones (`Nov 18 04:12:23`) is stored as UTC (CONTRACTS.md section 1); when
its host keeps local time it sits hours away from the case's zoned evidence, and its early
cause looks like background or its trouble like an unrelated episode. When the case says
which local time is in play (the question names a zone, or every zoned log states the same
offset) and reading a zone-free log in it lines the log up with the zoned evidence better
than UTC does, the reasoner reads it so. With nothing zoned, a clock time the question states
in its zone is the anchor: a log it already falls in as stored stays (hosts on UTC are
common, and "since 12:10 JST" then already meets them). Stored
times and citations stay as they are.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from faultmaven.reasoning.stated_onset import question_zone, stated_onset

Span = tuple[datetime, datetime]


@dataclass(frozen=True)
class ClockedEvidence:
    """One evidence item's span as stored, and what its own lines say of zones."""

    evidence_id: str
    span: Span | None
    zone_free: bool
    offsets: frozenset[timedelta]


def zone_shifts(items: Sequence[ClockedEvidence], question: str | None) -> dict[str, timedelta]:
    """Return, per zone-free item worth moving, what to add to its stored times."""
    question_offset = question_zone(question)
    local = _local_offset(items, question_offset)
    if local is None:
        return {}
    anchors = [item.span for item in items if not item.zone_free and item.span is not None]
    shifts: dict[str, timedelta] = {}
    for item in items:
        if not item.zone_free or item.span is None:
            continue
        moved = (item.span[0] - local, item.span[1] - local)
        if anchors and _fit(moved, anchors) > _fit(item.span, anchors):
            shifts[item.evidence_id] = -local
        elif not anchors and question_offset is not None and not _meets(question, item.span):
            # Nothing zoned to line up with: read the logs in the zone the question speaks.
            shifts[item.evidence_id] = -local
    return shifts


def _local_offset(
    items: Sequence[ClockedEvidence], question_offset: timedelta | None
) -> timedelta | None:
    """Name the one local offset the case speaks of, or None when it names none or several."""
    zoned = {offset for item in items if not item.zone_free for offset in item.offsets}
    candidates = {question_offset} if question_offset else set()
    if len(zoned) == 1:
        candidates |= zoned
    return candidates.pop() if len(candidates) == 1 else None


def _meets(question: str | None, stored: Span) -> bool:
    """Tell whether a clock time the question states already falls in a log as stored."""
    return stated_onset(question, *stored) is not None


def _fit(span: Span, anchors: Sequence[Span]) -> tuple[float, float]:
    """How well a span lines up with the anchors: seconds overlapped, then nearness."""
    overlap = sum(max(0.0, (min(span[1], b) - max(span[0], a)).total_seconds()) for a, b in anchors)
    gap = min(
        max(0.0, (a - span[1]).total_seconds(), (span[0] - b).total_seconds()) for a, b in anchors
    )
    return overlap, -gap
