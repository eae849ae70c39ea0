"""Across the series of one evidence: what moved first and most, where, and with the logs.

The upstream-first idea: a component whose series moved earlier is more likely the cause of
later moves elsewhere, so components are ranked by their earliest sustained change (ties:
the larger relative change first). A change is corroborated when a log anomaly falls within
the larger of two sampling intervals and 60 seconds of it.
"""

import math
from bisect import bisect_left
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from faultmaven.domain.metrics import (
    ChangeDirection,
    ChangeKind,
    ChangePoint,
    ComponentChange,
    MetricReport,
    MetricSeries,
    MetricSet,
    RankedChange,
)
from faultmaven.metrics.changes import detect_changes

_MIN_TOLERANCE_SECONDS = 60.0
_TOLERANCE_INTERVALS = 2


Detected = list[tuple[MetricSeries, list[ChangePoint]]]
"""Each series of a metrics evidence with the changes found in it."""


def detect_all(metric_set: MetricSet) -> Detected:
    """Find the changes of every series (the costly part; rank them with `rank_detected`)."""
    return [(series, detect_changes(series)) for series in metric_set.series]


def rank_changes(metric_set: MetricSet, log_anomaly_times: Sequence[datetime] = ()) -> MetricReport:
    """Detect the changes of every series and rank them, their components, and log agreement.

    Log anomaly times without a zone are taken as UTC.
    """
    return rank_detected(detect_all(metric_set), log_anomaly_times)


def rank_detected(detected: Detected, log_anomaly_times: Sequence[datetime] = ()) -> MetricReport:
    """Rank changes already found, their components, and their agreement with log anomalies."""
    anomalies = sorted(_utc(moment) for moment in log_anomaly_times)
    sustained: list[tuple[ChangePoint, datetime | None]] = []
    spikes: list[tuple[ChangePoint, datetime | None]] = []
    for series, found_changes in detected:
        tolerance = _tolerance(series)
        for change in found_changes:
            found = (change, _nearest(anomalies, change.time, tolerance))
            (spikes if change.kind == ChangeKind.SPIKE else sustained).append(found)
    changes = _ranked(sustained)
    components = _components(changes)
    corroborated = sum(change.corroborated for change in changes)
    return MetricReport(
        series=len(detected),
        changes=changes,
        spikes=_ranked(spikes),
        components=components,
        first_moved=changes[0].series if changes else None,
        moved_most=max(changes, key=_size).series if changes else None,
        corroborated=corroborated,
        summary=_summary(changes, components, corroborated, len(detected)),
    )


def _tolerance(series: MetricSeries) -> timedelta:
    """Return how far from a change a log anomaly may be and still agree with it."""
    interval = series.interval_seconds() or 0.0
    return timedelta(seconds=max(_MIN_TOLERANCE_SECONDS, _TOLERANCE_INTERVALS * interval))


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _nearest(anomalies: list[datetime], moment: datetime, tolerance: timedelta) -> datetime | None:
    """Return the log anomaly time nearest `moment` if it is within `tolerance`."""
    position = bisect_left(anomalies, moment)
    neighbours = anomalies[max(0, position - 1) : position + 1]
    if not neighbours:
        return None
    nearest = min(neighbours, key=lambda anomaly: abs(anomaly - moment))
    return nearest if abs(nearest - moment) <= tolerance else None


def _size(change: ChangePoint) -> tuple[float, float]:
    """Order changes by relative size (a move from 0 is the largest), then by score."""
    relative = math.inf if change.relative_change is None else abs(change.relative_change)
    return relative, change.score


def _ranked(found: list[tuple[ChangePoint, datetime | None]]) -> list[RankedChange]:
    ordered = sorted(found, key=lambda item: (item[0].time, *(-part for part in _size(item[0]))))
    return [
        RankedChange(
            **change.model_dump(),
            rank=rank,
            corroborated=anomaly is not None,
            log_anomaly_time=anomaly,
        )
        for rank, (change, anomaly) in enumerate(ordered, start=1)
    ]


def _components(changes: list[RankedChange]) -> list[ComponentChange]:
    """Rank components by their first sustained change; `changes` are already in that order."""
    by_component: dict[str, list[RankedChange]] = {}
    for change in changes:
        if change.component is not None:
            by_component.setdefault(change.component, []).append(change)
    ranked: list[ComponentChange] = []
    names = list(by_component)
    for rank, name in enumerate(names, start=1):
        own = by_component[name]
        first = own[0]
        following = by_component[names[rank]][0] if rank < len(names) else None
        ranked.append(
            ComponentChange(
                name=name,
                rank=rank,
                first_change=first.time,
                direction=first.direction,
                series=list(dict.fromkeys(change.series for change in own)),
                corroborated=any(change.corroborated for change in own),
                reason=_reason(first, following),
            )
        )
    return ranked


def _describe(change: ChangePoint) -> str:
    verb = "rose" if change.direction == ChangeDirection.UP else "fell"
    how = "" if change.kind == ChangeKind.LEVEL_SHIFT else f" ({change.kind.value})"
    size = (
        f"from 0 to {change.after:.4g}"
        if change.relative_change is None
        else f"{change.relative_change:+.0%} ({change.before:.4g} -> {change.after:.4g})"
    )
    return f"{change.series} {verb} {size}{how} at {change.time:%Y-%m-%d %H:%M:%S} UTC"


def _reason(first: RankedChange, following: RankedChange | None) -> str:
    parts = [f"first sustained change: {_describe(first)}"]
    if following is not None:
        lead = (following.time - first.time).total_seconds()
        when = f"{_duration(lead)} before" if lead > 0 else "at the same time as"
        parts.append(f"{when} {following.component}")
    if first.corroborated and first.log_anomaly_time is not None:
        parts.append(f"a log anomaly at {first.log_anomaly_time:%H:%M:%S} UTC agrees")
    return "; ".join(parts)


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def _summary(
    changes: list[RankedChange], components: list[ComponentChange], corroborated: int, series: int
) -> str:
    if not changes:
        return f"No significant change in {series} series."
    sentences = [
        f"{len(changes)} significant change(s) in {series} series; first: {_describe(changes[0])}."
    ]
    if len(components) > 1:
        order = " -> ".join(component.name for component in components)
        sentences.append(f"Components by first change: {order}.")
    if corroborated:
        sentences.append(f"{corroborated} change(s) coincide with log anomalies.")
    return " ".join(sentences)
