"""A case's metric changes as lines the reasoner weighs beside log lines.

Each sustained move of a resource series becomes one line: the first sample of the move,
at its time, about the series' component (or the component the file is named after), with
the metric signature it matches. The reasoner then orders it among the log lines like any
other cause.
"""

from collections.abc import Sequence

from faultmaven.domain.evidence import AnalysedLine, Level
from faultmaven.domain.metrics import ChangePoint, MetricSeries
from faultmaven.logs.components import component_of
from faultmaven.metrics import rank_detected
from faultmaven.metrics.limits import far_below_its_limit
from faultmaven.reasoning.metric_signatures import (
    MIN_MOVE_STRENGTH,
    lone_burst,
    metric_signature,
    move_strength,
    recovers,
)
from faultmaven.services.evidence_findings import MetricsEvidence


def metric_change_lines(metrics: Sequence[MetricsEvidence]) -> list[AnalysedLine]:
    """Return one line per sustained, harmful move of a resource series in the case."""
    found: list[AnalysedLine] = []
    for read in metrics:
        item, lines = read.item, read.lines
        changes = rank_detected(read.detected).changes
        all_series = [series for series, _ in read.detected]
        for change in changes:
            signature = metric_signature(change.series, change.after > change.before)
            if signature is None or change.line_end > len(lines):
                continue
            strength = move_strength(change.before, change.after)
            if strength < MIN_MOVE_STRENGTH or recovers(change, changes):
                continue
            if lone_burst(change, changes):
                continue
            if far_below_its_limit(change, all_series):
                continue
            first = _first_sample_line(change, all_series)
            found.append(
                AnalysedLine(
                    evidence_id=item.id,
                    evidence_name=item.name,
                    n=first,
                    text=lines[first - 1],
                    time=change.time,
                    level=Level.WARN,
                    group=f"metric {change.series}",
                    signature=signature,
                    component=change.component or component_of(item.name, ""),
                    strength=strength,
                )
            )
    return found


def _first_sample_line(change: ChangePoint, all_series: Sequence[MetricSeries]) -> int:
    """Return the line of the move's first sample: where a ramp began, not where it ended.

    That is the series' next sample after the last one before the move, wherever the format
    puts it (the next CSV row; in pretty-printed JSON, the value four lines on).
    """
    for series in all_series:
        if series.name == change.series and change.line_start in series.lines:
            later = [line for line in series.lines if line > change.line_start]
            if later:
                return min(min(later), change.line_end)
    return min(change.line_start + 1, change.line_end)
