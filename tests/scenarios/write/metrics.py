# Log lines, kubectl rows and series definitions are data, kept whole on one line.
"""Metric series for bundles: CSV (first column the time) and Prometheus `query_range` JSON.

A series is a function of the sample index; `steady` and `shift` build the usual shapes, so a
spec states when a series moves and by how much, and noise keeps every value fresh.
"""

import json
import random
from collections.abc import Callable
from datetime import datetime, timedelta

Series = Callable[[int], float]


def steady(rng: random.Random, level: float, noise: float) -> Series:
    """A flat series around `level` with Gaussian noise of `noise` (fraction of the level)."""
    return lambda index: level + rng.gauss(0, level * noise)


def shift(
    rng: random.Random, before: float, after: float, at: int, noise: float, ramp: int = 1
) -> Series:
    """A series that moves from `before` to `after` starting at sample `at` over `ramp` samples."""

    def value(index: int) -> float:
        progress = min(1.0, max(0.0, (index - at + 1) / ramp))
        level = before + (after - before) * progress
        return max(0.0, level + rng.gauss(0, max(abs(level), 1e-9) * noise))

    return value


def csv_text(
    start: datetime, step_seconds: int, points: int, series: dict[str, Series], decimals: int = 1
) -> str:
    """A CSV with a `timestamp` column (ISO-8601 UTC) and one column per series."""
    lines = [",".join(["timestamp", *series])]
    for index in range(points):
        time = start + timedelta(seconds=index * step_seconds)
        values = [f"{function(index):.{decimals}f}" for function in series.values()]
        lines.append(",".join([time.strftime("%Y-%m-%dT%H:%M:%SZ"), *values]))
    return "\n".join(lines) + "\n"


def prometheus_text(
    start: datetime,
    step_seconds: int,
    points: int,
    series: dict[tuple[tuple[str, str], ...], Series],
) -> str:
    """A Prometheus `/api/v1/query_range` answer, one matrix entry per labelled series."""
    result = []
    for labels, function in series.items():
        values = [
            [
                round((start + timedelta(seconds=index * step_seconds)).timestamp(), 3),
                f"{function(index):.4g}",
            ]
            for index in range(points)
        ]
        result.append({"metric": dict(labels), "values": values})
    return (
        json.dumps(
            {"status": "success", "data": {"resultType": "matrix", "result": result}}, indent=2
        )
        + "\n"
    )


def service_metrics(
    rng: random.Random,
    cpu: float,
    memory: float,
    latency: tuple[float, float],
    errors: float,
    requests: float,
) -> dict[str, Series]:
    """One service's usual series (as the microservice benchmarks export them), all steady.

    `latency` is (p50, p99) in milliseconds, `errors` a percentage of requests; a spec replaces
    the series its fault moves.
    """
    p50, p99 = latency
    return {
        "cpu_usage_percent": shift(rng, cpu, cpu, 0, 0.08),
        "memory_usage_mb": shift(rng, memory, memory, 0, 0.01),
        "latency_p50_ms": shift(rng, p50, p50, 0, 0.06),
        "latency_p99_ms": shift(rng, p99, p99, 0, 0.12),
        "error_rate_percent": shift(rng, errors, errors, 0, 0.4),
        "requests_per_s": shift(rng, requests, requests, 0, 0.05),
    }
