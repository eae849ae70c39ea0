"""Our linear-time binary segmentation finds exactly the breaks of ruptures' Binseg."""

import math

import numpy as np
import ruptures
from hypothesis import given, settings
from hypothesis import strategies as st

from faultmaven.metrics.binary_segmentation import binary_segmentation


def _reference(signal: np.ndarray, penalty: float) -> list[int]:
    detector = ruptures.Binseg(model="l2", min_size=3, jump=1).fit(signal)
    return [int(position) for position in detector.predict(pen=penalty)[:-1]]


@settings(max_examples=150, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    length=st.integers(6, 400),
    shifts=st.integers(0, 4),
    integers=st.booleans(),
)
def test_breaks_equal_ruptures_binseg(seed: int, length: int, shifts: int, integers: bool) -> None:
    rng = np.random.default_rng(seed)
    signal = rng.normal(size=length)
    for _ in range(shifts):
        signal[int(rng.integers(0, length)) :] += rng.normal(0, 6)
    if integers:  # counters and gauges often repeat values exactly: ties must break alike
        signal = np.round(signal)
    penalty = 3 * math.log(length)
    assert binary_segmentation(signal, 3, penalty) == _reference(signal, penalty)


def test_a_clear_step_is_found_where_it_is() -> None:
    signal = np.concatenate([np.zeros(50), np.full(50, 10.0)]) + np.tile([0.1, -0.1], 50)
    assert binary_segmentation(signal, 3, 3 * math.log(100)) == [50]


def test_a_series_too_short_to_split_has_no_break() -> None:
    assert binary_segmentation(np.array([0.0, 9.0, 0.0, 9.0, 0.0]), 3, 1.0) == []
