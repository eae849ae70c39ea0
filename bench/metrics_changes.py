"""Change-point detection on synthetic metric series with known level shifts, against baselines.

Each split is 200 series with one level shift and 100 with none, from a fixed seed. A
series has 60-300 points at a level of 20-500 with noise of 2-8 % of the level: Gaussian
(60 %), AR(1) with phi 0.4 (20 %) or Student-t with 3 degrees of freedom (20 %); 30 % also
carry one or two one-sample spikes of 8-15 noise units. Shifts of 1, 1.5, 2, 3, 5 and 8
noise units (up or down) start in the second half, so the first-half baseline sees a clean
reference. A detection within 3 samples of the true change is a hit (one per change);
every other detection is a false alarm. FaultMaven's detections are its level shifts and
ramps (spikes are reported apart and are not claims of a shift). The detector's thresholds
were set before this benchmark was written; any tuning is done on the dev split only, and
the held-out split is never tuned on.

Baselines, measured in the same run: the largest single jump (always one detection), the
first point of the second half beyond 3 standard deviations of the first half's mean, and
`ruptures` binary segmentation alone (same noise estimate and penalty as FaultMaven, no
spike removal, pruning or local noise).
"""

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import numpy as np
import ruptures
from numpy.typing import NDArray

from faultmaven.domain.metrics import ChangeKind, MetricSeries
from faultmaven.metrics import detect_changes
from faultmaven.metrics.noise import noise_scale

SPLITS = {"dev": 1, "held-out": 20240312}
SHIFTS = (1.0, 1.5, 2.0, 3.0, 5.0, 8.0)
WITH_CHANGE, WITHOUT_CHANGE = 200, 100
TOLERANCE = 3
START = datetime(2024, 3, 12, 10, 0, tzinfo=UTC)

FloatArray = NDArray[np.float64]
Detector = Callable[[FloatArray], list[int]]


@dataclass(frozen=True)
class Case:
    """One synthetic series and its true change (None when it has none)."""

    values: FloatArray
    change: int | None
    shift: float | None


def noise(rng: np.random.Generator, size: int, scale: float) -> FloatArray:
    """Return noise of standard deviation `scale`: Gaussian, AR(1) or heavy-tailed."""
    kind = rng.random()
    if kind < 0.6:
        return rng.normal(0, scale, size)
    if kind < 0.8:
        phi = 0.4
        innovations = rng.normal(0, scale * math.sqrt(1 - phi**2), size)
        series = np.empty(size)
        series[0] = rng.normal(0, scale)
        for index in range(1, size):
            series[index] = phi * series[index - 1] + innovations[index]
        return series
    return rng.standard_t(3, size) * scale / math.sqrt(3)


def make_case(rng: np.random.Generator, shift: float | None) -> Case:
    """Return one series, with a level shift of `shift` noise units in its second half."""
    size = int(rng.integers(60, 301))
    level = rng.uniform(20, 500)
    scale = level * rng.uniform(0.02, 0.08)
    values = level + noise(rng, size, scale)
    change = None
    if shift is not None:
        change = int(rng.integers(size // 2 + 1, int(size * 0.9)))
        values[change:] += shift * scale * rng.choice([-1.0, 1.0])
    if rng.random() < 0.3:
        for _ in range(int(rng.integers(1, 3))):
            spot = int(rng.integers(1, size - 1))
            if change is None or abs(spot - change) > TOLERANCE:
                values[spot] += rng.uniform(8, 15) * scale * rng.choice([-1.0, 1.0])
    return Case(values, change, shift)


def make_split(seed: int) -> list[Case]:
    """Return the split's series: shifts cycled over SHIFTS, then the series without change."""
    rng = np.random.default_rng(seed)
    cases = [make_case(rng, SHIFTS[index % len(SHIFTS)]) for index in range(WITH_CHANGE)]
    return cases + [make_case(rng, None) for _ in range(WITHOUT_CHANGE)]


def faultmaven(values: FloatArray) -> list[int]:
    """Detect with FaultMaven's metrics engine: starts of level shifts and ramps."""
    series = MetricSeries(
        name="bench",
        times=[START + timedelta(seconds=15 * index) for index in range(len(values))],
        values=values.tolist(),
        lines=list(range(1, len(values) + 1)),
    )
    return [
        change.index for change in detect_changes(series) if change.kind is not ChangeKind.SPIKE
    ]


def largest_jump(values: FloatArray) -> list[int]:
    """Detect the point after the largest absolute difference between neighbours (baseline)."""
    return [int(np.argmax(np.abs(np.diff(values)))) + 1]


def three_sigma(values: FloatArray) -> list[int]:
    """Detect the first second-half point beyond 3 deviations of the first half (baseline)."""
    half = len(values) // 2
    mean, deviation = values[:half].mean(), values[:half].std()
    beyond = np.flatnonzero(np.abs(values[half:] - mean) > 3 * deviation)
    return [half + int(beyond[0])] if len(beyond) else []


def binseg_alone(values: FloatArray) -> list[int]:
    """Detect with ruptures binary segmentation alone, FaultMaven's noise and penalty."""
    scale = noise_scale(values) or 1.0
    signal = (values - np.median(values)) / scale
    detector = ruptures.Binseg(model="l2", min_size=3, jump=1).fit(signal)
    return [int(position) for position in detector.predict(pen=3 * math.log(len(values)))[:-1]]


DETECTORS: dict[str, Detector] = {
    "FaultMaven (Binseg + robust pruning)": faultmaven,
    "baseline: largest single jump": largest_jump,
    "baseline: 3 sigma of the first half": three_sigma,
    "reference: ruptures Binseg alone": binseg_alone,
}


@dataclass
class Tally:
    """Hits, false alarms, and per-shift hits of one detector on one split."""

    hits: int = 0
    false_alarms: int = 0
    alarmed_quiet_series: int = 0
    seconds: float = 0.0
    by_shift: dict[float, int] = field(default_factory=lambda: dict.fromkeys(SHIFTS, 0))


def evaluate(detector: Detector, cases: list[Case]) -> Tally:
    """Run a detector over the cases and count hits and false alarms."""
    tally = Tally()
    for case in cases:
        started = time.perf_counter()
        found = detector(case.values)
        tally.seconds += time.perf_counter() - started
        hit = case.change is not None and any(
            abs(position - case.change) <= TOLERANCE for position in found
        )
        if hit and case.shift is not None:
            tally.hits += 1
            tally.by_shift[case.shift] += 1
        tally.false_alarms += len(found) - int(hit)
        tally.alarmed_quiet_series += int(case.change is None and bool(found))
    return tally


def main() -> None:
    """Print one table per split and the recall by shift size."""
    print("## Metric change points: 200 series with one level shift + 100 without, per split\n")
    cases_per_shift = dict.fromkeys(SHIFTS, 0)
    by_shift: dict[str, dict[float, int]] = {name: dict.fromkeys(SHIFTS, 0) for name in DETECTORS}
    for split, seed in SPLITS.items():
        cases = make_split(seed)
        for case in cases:
            if case.shift is not None:
                cases_per_shift[case.shift] += 1
        print(f"### {split} split (seed {seed})\n")
        print("| detector | precision | recall | F1 | quiet series alarmed | ms / series |")
        print("|---|---|---|---|---|---|")
        for name, detector in DETECTORS.items():
            tally = evaluate(detector, cases)
            precision = tally.hits / (tally.hits + tally.false_alarms or 1)
            recall = tally.hits / WITH_CHANGE
            f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
            milliseconds = 1000 * tally.seconds / len(cases)
            print(
                f"| {name} | {precision:.3f} | {recall:.3f} | {f1:.3f} |"
                f" {tally.alarmed_quiet_series}/{WITHOUT_CHANGE} | {milliseconds:.2f} |"
            )
            for shift, hits in tally.by_shift.items():
                by_shift[name][shift] += hits
        print()
    print("### Recall by shift size (noise units), both splits\n")
    print("| detector | " + " | ".join(f"{shift:g} sigma" for shift in SHIFTS) + " |")
    print("|---|" + "---|" * len(SHIFTS))
    for name, found in by_shift.items():
        cells = " | ".join(f"{found[shift] / cases_per_shift[shift]:.2f}" for shift in SHIFTS)
        print(f"| {name} | {cells} |")
    print()


if __name__ == "__main__":
    main()
