"""Spikes: excursions of one or two samples that come back, told apart from ramps and steps.

A point is a candidate when it lies more than `sigmas` units of the noise around it from
the median of its five-point window (a Hampel filter). A candidate run of one or two
points is a spike only if it also departs, in the same direction and by as much, from the
trend on both sides (each side's line through its two nearest points), so the top of a
steep ramp or the first point of a step is not taken for a spike.
"""

from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from numpy.typing import NDArray

from faultmaven.metrics.noise import FloatArray

_WINDOW = 5
_MAX_RUN = 2


@dataclass(frozen=True, slots=True)
class Spike:
    """A spike at `position` (of the finite points): the local level, the value, the score."""

    position: int
    level: float
    value: float
    score: float


def find_spikes(
    values: FloatArray, noise: FloatArray, sigmas: float
) -> tuple[list[Spike], FloatArray]:
    """Return the spikes of `values` and a copy with each spike replaced by its local level.

    `noise` is the noise around each point.
    """
    padded = np.pad(values, _WINDOW // 2, mode="reflect")
    local = np.median(sliding_window_view(padded, _WINDOW), axis=1)
    candidates = np.flatnonzero(np.abs(values - local) > sigmas * noise)
    cleaned = values.copy()
    spikes: list[Spike] = []
    for run in _runs(candidates):
        if len(run) > _MAX_RUN:
            continue
        departure = _departure(values, run[0], run[-1])
        peak = max(run, key=lambda position: abs(values[position] - local[position]))
        if departure is None or np.min(np.abs(departure)) <= sigmas * noise[peak]:
            continue
        cleaned[run[0] : run[-1] + 1] = local[run[0] : run[-1] + 1]
        spikes.append(
            Spike(
                position=peak,
                level=float(local[peak]),
                value=float(values[peak]),
                score=float(np.min(np.abs(departure)) / noise[peak]),
            )
        )
    return spikes, cleaned


def _runs(positions: NDArray[np.intp]) -> list[list[int]]:
    runs: list[list[int]] = []
    for position in positions.tolist():
        if runs and position == runs[-1][-1] + 1:
            runs[-1].append(position)
        else:
            runs.append([position])
    return runs


def _departure(values: FloatArray, first: int, last: int) -> FloatArray | None:
    """Return how far each point of a run lies from both sides' trends; None if sides disagree."""
    run = values[first : last + 1]
    steps = np.arange(1, last - first + 2, dtype=float)
    sides: list[FloatArray] = []
    if first >= 1:
        slope = values[first - 1] - values[first - 2] if first >= 2 else 0.0
        sides.append(run - (values[first - 1] + slope * steps))
    if last + 1 < len(values):
        slope = values[last + 1] - values[last + 2] if last + 2 < len(values) else 0.0
        sides.append(run - (values[last + 1] + slope * steps[::-1]))
    if not sides:
        return None
    deviations = np.concatenate(sides)
    if not (np.all(deviations > 0) or np.all(deviations < 0)):
        return None
    return deviations
