"""Metrics laid out as the RCAEval fault-injection benchmark ships them.

RCAEval's cases hold per-service series named `<service>_<metric>` (`cpu`, `mem`, `diskio`,
`latency-50`, `latency-90`, `workload`) against a `time` column of unix seconds, either in one
wide CSV or one CSV per service; latencies are in seconds, memory in MiB.
"""

import random
from datetime import datetime, timedelta

from metrics import Series, shift

METRICS = ("cpu", "mem", "latency-50", "latency-90", "workload")


def usual_series(
    rng: random.Random,
    cpu: float,
    memory: float,
    latency: tuple[float, float],
    workload: float,
    diskio: float | None = None,
) -> dict[str, Series]:
    """One service's steady series by metric name; `latency` is (p50, p90) in seconds."""
    p50, p90 = latency
    series = {
        "cpu": shift(rng, cpu, cpu, 0, 0.07),
        "mem": shift(rng, memory, memory, 0, 0.008),
        "latency-50": shift(rng, p50, p50, 0, 0.08),
        "latency-90": shift(rng, p90, p90, 0, 0.12),
        "workload": shift(rng, workload, workload, 0, 0.06),
    }
    if diskio is not None:
        series["diskio"] = shift(rng, diskio, diskio, 0, 0.2)
    return series


def unix_rows(
    start: datetime, step_seconds: int, points: int, columns: dict[str, Series], decimals: int
) -> str:
    """A CSV whose first column `time` holds unix seconds, then one column per series."""
    lines = [",".join(["time", *columns])]
    for index in range(points):
        stamp = int((start + timedelta(seconds=index * step_seconds)).timestamp())
        values = [f"{function(index):.{decimals}f}" for function in columns.values()]
        lines.append(",".join([str(stamp), *values]))
    return "\n".join(lines) + "\n"


def wide_csv(
    start: datetime,
    step_seconds: int,
    points: int,
    services: dict[str, dict[str, Series]],
    decimals: int = 4,
) -> str:
    """One CSV for every service: columns `<service>_<metric>` after `time`."""
    columns = {
        f"{service}_{metric}": function
        for service, series in services.items()
        for metric, function in series.items()
    }
    return unix_rows(start, step_seconds, points, columns, decimals)


def stamp(start: datetime, step_seconds: int, index: int) -> str:
    """The `time` cell of sample `index`, followed by the comma that ends it (unique per row)."""
    return f"{int((start + timedelta(seconds=index * step_seconds)).timestamp())},"
