"""Robust noise of a series, overall and around each point, from its first differences.

The MAD of the differences over sqrt(2) estimates the noise's standard deviation while a
level shift or a spike moves only one or two differences. For mostly flat, quantised data
whose MAD is 0 the mean absolute deviation of the differences stands in. Noise often grows
with an incident (latency gets jittery), so spikes and breaks are judged against the noise
around them, never below the series' overall noise.
"""

import math

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]

# MAD to standard deviation under normal noise.
_MAD_TO_SIGMA = 1.4826
# Mean absolute deviation to standard deviation under normal noise: sqrt(pi / 2).
_MEAN_DEVIATION_TO_SIGMA = math.sqrt(math.pi / 2)
_LOCAL_STEPS = 21


def noise_scale(values: FloatArray) -> float:
    """Return a robust standard deviation of the noise of finite `values` (0 when none)."""
    if len(values) < 2:
        return 0.0
    steps = np.diff(values)
    spread = np.abs(steps - np.median(steps))
    mad = float(np.median(spread))
    if mad > 0:
        return _MAD_TO_SIGMA * mad / math.sqrt(2)
    return _MEAN_DEVIATION_TO_SIGMA * float(np.mean(spread)) / math.sqrt(2)


def local_noise(values: FloatArray, floor: float) -> FloatArray:
    """Return the noise around each point (21 differences centred on it), at least `floor`."""
    steps = np.diff(values)
    if len(steps) < _LOCAL_STEPS:
        return np.full(len(values), floor)
    half = _LOCAL_STEPS // 2
    windows = sliding_window_view(np.pad(steps, half, mode="reflect"), _LOCAL_STEPS)
    spread = np.abs(windows - np.median(windows, axis=1, keepdims=True))
    per_step = _MAD_TO_SIGMA * np.median(spread, axis=1) / math.sqrt(2)
    around: FloatArray = np.maximum(
        np.concatenate(([per_step[0]], per_step)), np.concatenate((per_step, [per_step[-1]]))
    )
    return np.maximum(around, floor)
