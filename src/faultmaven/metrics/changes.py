"""Change points of one series: level shifts, ramps and spikes that stand out of its noise.

Non-finite values (NaN, +/-Inf) are set aside; a series with fewer than 8 finite points
has no change points. The noise is a robust standard deviation from the first differences
(`faultmaven.metrics.noise`), overall and around each point. A series whose differences
are all equal (constant, or a perfect ramp such as a counter) has none. Spikes
(`faultmaven.metrics.spikes`) are reported as spikes and removed before sustained moves
are sought (`faultmaven.metrics.segmentation`), so a one-sample blip is never a level
shift. Counters should be given as rates: a counter's steady climb is not a change.
"""

import math

import numpy as np

from faultmaven.domain.metrics import ChangeDirection, ChangeKind, ChangePoint, MetricSeries
from faultmaven.metrics.noise import local_noise, noise_scale
from faultmaven.metrics.segmentation import Move, Thresholds, find_moves
from faultmaven.metrics.spikes import find_spikes

MIN_POINTS = 8


def detect_changes(
    series: MetricSeries,
    *,
    min_score: float = 5.0,
    min_effect: float = 2.0,
    min_relative_change: float = 0.05,
    spike_sigmas: float = 6.0,
) -> list[ChangePoint]:
    """Return the significant changes of a series, in order of time.

    A sustained move must score at least `min_score` (difference of medians over its
    standard error), be at least `min_effect` noise units and `min_relative_change` of the
    level before it (unless that level is 0). A spike must stand `spike_sigmas` noise units
    from its neighbourhood and from the trend on both sides, and also be `min_relative_change`
    of its local level.
    """
    values = np.asarray(series.values, dtype=np.float64)
    positions = np.flatnonzero(np.isfinite(values))
    if len(positions) < MIN_POINTS:
        return []
    finite = values[positions]
    with np.errstate(all="ignore"):
        noise = noise_scale(finite)
        if not (math.isfinite(noise) and noise > 0) or not np.all(np.isfinite(finite / noise)):
            return []
        around = local_noise(finite, noise)
        spikes, cleaned = find_spikes(finite, around, spike_sigmas)
        thresholds = Thresholds(min_score, min_effect, min_relative_change)
        moves = find_moves(cleaned, noise, thresholds)
    changes = [
        _change_point(series, positions, noise, move) for move in moves if math.isfinite(move.score)
    ]
    for spike in spikes:
        if _relative_size(spike.level, spike.value) >= min_relative_change:
            move = Move(
                ChangeKind.SPIKE,
                spike.position,
                spike.position,
                spike.level,
                spike.value,
                spike.score,
            )
            changes.append(_change_point(series, positions, noise, move))
    return sorted(changes, key=lambda change: (change.index, change.kind != ChangeKind.SPIKE))


def _relative_size(before: float, after: float) -> float:
    return math.inf if before == 0 else abs(after - before) / abs(before)


def _still_level(value: float, move: Move, noise: float) -> bool:
    """Tell whether a sample is still at the level before a move (within noise of it)."""
    return abs(value - move.before) <= max(3 * noise, 0.05 * abs(move.after - move.before))


def _change_point(
    series: MetricSeries, positions: np.ndarray, noise: float, move: Move
) -> ChangePoint:
    index = int(positions[move.start])
    end_index = int(positions[move.end])
    previous = int(positions[move.start - 1]) if move.start > 0 else index
    if move.kind == ChangeKind.SPIKE:
        previous = index
    elif move.kind == ChangeKind.RAMP and _still_level(series.values[index], move, noise):
        previous = index  # the fitted knee is the ramp's last sample at the old level
    cited = (series.lines[previous], series.lines[end_index])
    change = move.after - move.before
    return ChangePoint(
        series=series.name,
        component=series.component,
        kind=move.kind,
        direction=ChangeDirection.UP if change > 0 else ChangeDirection.DOWN,
        time=series.times[index],
        end_time=series.times[end_index],
        index=index,
        end_index=end_index,
        before=move.before,
        after=move.after,
        absolute_change=change,
        relative_change=None if move.before == 0 else change / abs(move.before),
        score=move.score,
        noise=noise,
        line_start=min(cited),
        line_end=max(cited),
    )
