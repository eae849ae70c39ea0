"""Sustained moves of a series: binary segmentation, then pruning to significant breaks.

Segmentation is binary segmentation with the least-squares cost (the algorithm of
`ruptures.Binseg`, in linear time per segment: `faultmaven.metrics.binary_segmentation`) on
the series standardised by its robust noise, each segment at least 3 points, penalty 3 ln n
per break (a BIC-like penalty for a known variance; PELT finds the same breaks here but is
quadratic in pure Python). Above 2,000 points it runs on block medians and each break is then placed
within its blocks at the largest step of the cumulative sum.

Each break is then judged on the medians of the adjacent segments (at most 60 points on
each side): its score is the difference of the medians over its standard error under each
side's own noise (never below the series'), and its size is measured in the larger of
them. The weakest break that fails the thresholds is removed and its neighbours judged
again, until every break passes. Breaks in one direction less than 10 points apart merge
into one ramp.
"""

import math
from dataclasses import dataclass

import numpy as np

from faultmaven.domain.metrics import ChangeKind
from faultmaven.metrics.binary_segmentation import binary_segmentation
from faultmaven.metrics.noise import FloatArray, noise_scale

_MIN_SEGMENT = 3
_PENALTY_PER_LOG_POINT = 3.0
_MAX_SEGMENTED = 2000
_WINDOW = 60
_RAMP_GAP = 10
# Standard error of a median relative to that of a mean under normal noise: sqrt(pi / 2).
_MEDIAN_ERROR = math.sqrt(math.pi / 2)


@dataclass(frozen=True, slots=True)
class Thresholds:
    """What a break must reach to count: score, size in noise units, size relative to before."""

    min_score: float
    min_effect: float
    min_relative_change: float


@dataclass(frozen=True, slots=True)
class Move:
    """A sustained move: first point at the new level, last break of a ramp, the medians."""

    kind: ChangeKind
    start: int
    end: int
    before: float
    after: float
    score: float


def find_moves(values: FloatArray, noise: float, thresholds: Thresholds) -> list[Move]:
    """Return the significant level shifts and ramps of `values` (finite, spikes removed)."""
    standardised = (values - np.median(values)) / noise
    breaks = _prune(values, _segment(standardised), noise, thresholds)
    return _merge_ramps(values, breaks, noise)


def _segment(signal: FloatArray) -> list[int]:
    """Return the first position of every segment after the first."""
    block = math.ceil(len(signal) / _MAX_SEGMENTED)
    if block == 1:
        return _binary_segmentation(signal)
    usable = len(signal) // block * block
    reduced = np.median(signal[:usable].reshape(-1, block), axis=1)
    return [_refine(signal, coarse * block, block) for coarse in _binary_segmentation(reduced)]


def _binary_segmentation(signal: FloatArray) -> list[int]:
    penalty = _PENALTY_PER_LOG_POINT * math.log(len(signal))
    return binary_segmentation(signal, _MIN_SEGMENT, penalty)


def _refine(signal: FloatArray, position: int, block: int) -> int:
    """Place a break found on block medians at the largest cumulative-sum step nearby."""
    low, high = max(0, position - block), min(len(signal), position + block)
    window = signal[low:high]
    drift = np.cumsum(window - window.mean())
    return low + int(np.argmax(np.abs(drift[:-1]))) + 1


@dataclass(frozen=True, slots=True)
class _Judgement:
    before: float
    after: float
    score: float
    passes: bool


def _judge(
    values: FloatArray, left: int, split: int, right: int, noise: float, thresholds: Thresholds
) -> _Judgement:
    before_points = values[max(left, split - _WINDOW) : split]
    after_points = values[split : min(right, split + _WINDOW)]
    before, after, score, local = _compare(before_points, after_points, noise)
    change = abs(after - before)
    relative_ok = before == 0 or change / abs(before) >= thresholds.min_relative_change
    passes = (
        score >= thresholds.min_score and change >= thresholds.min_effect * local and relative_ok
    )
    return _Judgement(before, after, score, passes)


def _compare(
    before_points: FloatArray, after_points: FloatArray, noise: float
) -> tuple[float, float, float, float]:
    """Return both medians, the score of their difference, and the larger side's noise.

    Each side's noise is its own, never below the series' (`noise`); the standard error
    is Welch's, with the standard error of a median.
    """
    before, after = float(np.median(before_points)), float(np.median(after_points))
    noise_before = max(noise, noise_scale(before_points))
    noise_after = max(noise, noise_scale(after_points))
    error = _MEDIAN_ERROR * math.hypot(
        noise_before / math.sqrt(len(before_points)), noise_after / math.sqrt(len(after_points))
    )
    return before, after, abs(after - before) / error, max(noise_before, noise_after)


def _judge_all(
    values: FloatArray, breaks: list[int], noise: float, thresholds: Thresholds
) -> list[_Judgement]:
    bounds = [0, *breaks, len(values)]
    return [
        _judge(values, bounds[index], bounds[index + 1], bounds[index + 2], noise, thresholds)
        for index in range(len(breaks))
    ]


def _prune(
    values: FloatArray, breaks: list[int], noise: float, thresholds: Thresholds
) -> list[tuple[int, _Judgement]]:
    """Remove the weakest failing break until all pass.

    A break is judged on its neighbouring breaks only, so removing one changes the
    judgement of the two beside it and no other: only those are judged again.
    """
    breaks = sorted(set(breaks))
    judgements = _judge_all(values, breaks, noise, thresholds)
    while breaks:
        failing = [index for index, judgement in enumerate(judgements) if not judgement.passes]
        if not failing:
            return list(zip(breaks, judgements, strict=True))
        weakest = min(failing, key=lambda index: judgements[index].score)
        del breaks[weakest]
        del judgements[weakest]
        bounds = [0, *breaks, len(values)]
        for index in (weakest - 1, weakest):
            if 0 <= index < len(breaks):
                judgements[index] = _judge(
                    values, bounds[index], bounds[index + 1], bounds[index + 2], noise, thresholds
                )
    return []


def _merge_ramps(
    values: FloatArray, breaks: list[tuple[int, _Judgement]], noise: float
) -> list[Move]:
    groups: list[list[tuple[int, _Judgement]]] = []
    for split, judgement in breaks:
        rising = judgement.after > judgement.before
        if groups:
            previous_split, previous = groups[-1][-1]
            if (previous.after > previous.before) == rising and split - previous_split < _RAMP_GAP:
                groups[-1].append((split, judgement))
                continue
        groups.append([(split, judgement)])
    splits = [split for split, _ in breaks]
    moves: list[Move] = []
    for group in groups:
        first, judgement = group[0]
        last = group[-1][0]
        if len(group) == 1:
            moves.append(
                Move(
                    ChangeKind.LEVEL_SHIFT,
                    first,
                    first,
                    judgement.before,
                    judgement.after,
                    judgement.score,
                )
            )
            continue
        position = splits.index(first)
        left = splits[position - 1] if position > 0 else 0
        after_group = position + len(group)
        right = splits[after_group] if after_group < len(splits) else len(values)
        moves.append(_ramp(values, left, first, last, right, noise))
    return moves


def _ramp(values: FloatArray, left: int, first: int, last: int, right: int, noise: float) -> Move:
    before_points = values[max(left, first - _WINDOW) : first]
    after_points = values[last : min(right, last + _WINDOW)]
    before, after, score, _ = _compare(before_points, after_points, noise)
    return Move(ChangeKind.RAMP, first, last, before, after, score)
