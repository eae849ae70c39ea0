import math

import numpy as np
import pytest
from metric_samples import sample_text, series_of

from faultmaven.domain.metrics import ChangeDirection, ChangeKind
from faultmaven.metrics import detect_changes, read_metrics


@pytest.mark.parametrize("seed", range(40))
def test_flat_series_with_jitter_has_no_change(seed: int) -> None:
    noise = np.random.default_rng(seed).normal(0, 6, size=240)

    assert detect_changes(series_of(120 + noise)) == []


def test_level_shift_reports_time_direction_medians_and_cited_lines() -> None:
    values = 100 + np.random.default_rng(7).normal(0, 5, size=120)
    values[70:] += 60
    series = series_of(values)

    [change] = detect_changes(series)

    assert change.kind is ChangeKind.LEVEL_SHIFT
    assert change.direction is ChangeDirection.UP
    assert change.index == 70
    assert change.time == series.times[70]
    assert change.before == pytest.approx(100, abs=3)
    assert change.after == pytest.approx(160, abs=3)
    assert change.absolute_change == pytest.approx(change.after - change.before)
    assert change.relative_change == pytest.approx(0.6, abs=0.05)
    assert change.score > 20
    assert (change.line_start, change.line_end) == (series.lines[69], series.lines[70])


def test_drop_is_reported_as_down() -> None:
    values = 500 + np.random.default_rng(3).normal(0, 10, size=60)
    values[30:] -= 300

    [change] = detect_changes(series_of(values))

    assert (change.direction, change.index) == (ChangeDirection.DOWN, 30)
    assert change.relative_change == pytest.approx(-0.6, abs=0.05)


@pytest.mark.parametrize("width", [1, 2])
def test_short_excursion_is_a_spike_not_a_level_shift(width: int) -> None:
    values = 45 + np.random.default_rng(11).normal(0, 4, size=80)
    values[40 : 40 + width] = 410
    series = series_of(values)

    [change] = detect_changes(series)

    assert change.kind is ChangeKind.SPIKE
    assert change.index in range(40, 40 + width)
    assert change.after == 410
    assert change.line_start == change.line_end == series.lines[change.index]


def test_noise_that_grows_with_the_incident_does_not_split_it_into_many_changes() -> None:
    checkout = read_metrics(sample_text("grafana_latency.csv")).series[0]

    [change] = detect_changes(checkout)

    assert (change.kind, change.index, change.direction) == (
        ChangeKind.LEVEL_SHIFT,
        56,
        ChangeDirection.UP,
    )


def test_memory_leak_then_oom_restart_is_a_ramp_up_then_a_drop() -> None:
    memory = read_metrics(sample_text("prometheus_memory_matrix.json")).series[0]

    ramp, drop = detect_changes(memory)

    assert ramp.kind is ChangeKind.RAMP and ramp.direction is ChangeDirection.UP
    assert 18 <= ramp.index <= 23 and ramp.end_index > ramp.index
    assert ramp.after > 2.5 * ramp.before
    assert drop.kind is ChangeKind.LEVEL_SHIFT and drop.direction is ChangeDirection.DOWN
    assert drop.index == 41
    assert drop.after == pytest.approx(310e6, rel=0.05)


def test_steady_memory_of_another_pod_has_no_change() -> None:
    cart = read_metrics(sample_text("prometheus_memory_matrix.json")).series[1]

    assert detect_changes(cart) == []


def test_noiseless_step_is_found() -> None:
    [change] = detect_changes(series_of([10.0] * 30 + [50.0] * 30))

    assert (change.index, change.before, change.after) == (30, 10.0, 50.0)


@pytest.mark.parametrize(
    "values",
    [
        [1.0, 2.0, 100.0, 100.0, 100.0, 100.0, 100.0],
        [7.0] * 100,
        [float(index) for index in range(100)],
        [],
    ],
)
def test_short_constant_and_perfectly_linear_series_have_no_change(values: list[float]) -> None:
    assert detect_changes(series_of(values)) == []


def test_missing_and_infinite_values_are_set_aside_and_indexes_stay_those_of_the_series() -> None:
    values = list(100 + np.random.default_rng(5).normal(0, 5, size=100))
    values[60:] = [value + 80 for value in values[60:]]
    values[10] = math.nan
    values[20] = math.inf
    values[59] = math.nan
    series = series_of(values)

    [change] = detect_changes(series)

    assert change.index == 60
    assert change.line_start == series.lines[58]
    assert change.line_end == series.lines[60]


def test_small_relative_move_is_ignored_even_in_clean_data() -> None:
    values = 1000 + np.random.default_rng(2).normal(0, 0.5, size=100)
    values[50:] += 20

    assert detect_changes(series_of(values)) == []
    assert len(detect_changes(series_of(values), min_relative_change=0.01)) == 1


def test_long_series_is_segmented_on_blocks_and_the_break_placed_precisely() -> None:
    values = 100 + np.random.default_rng(9).normal(0, 5, size=9000)
    values[6001:] += 25

    [change] = detect_changes(series_of(values, step_seconds=1))

    assert abs(change.index - 6001) <= 2


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_a_ramps_cited_lines_start_at_its_last_level_sample_whatever_the_knee(seed: int) -> None:
    noise = np.random.default_rng(seed).normal(0, 0.8, 600)
    values = [190 + noise[i] if i < 283 else min(190 + 37 * (i - 282), 1495) + 6 * noise[i]
              for i in range(600)]  # fmt: skip
    [ramp] = [change for change in detect_changes(series_of(values, step_seconds=5))
              if change.kind is ChangeKind.RAMP]  # fmt: skip
    first_cited_after = ramp.line_start + 1 - 2  # the line after the start, as an index
    assert values[first_cited_after] > 200, (ramp.index, ramp.line_start)
    assert 283 <= first_cited_after <= 285
