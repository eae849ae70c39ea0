"""Fixture files and a builder for synthetic series, shared by the metrics tests."""

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from faultmaven.domain.metrics import MetricSeries

SAMPLES = Path(__file__).parent / "samples"
START = datetime(2024, 3, 12, 10, 0, tzinfo=UTC)


def sample_text(name: str) -> str:
    """Return a fixture file's text exactly as stored (line endings kept)."""
    return (SAMPLES / name).read_bytes().decode("utf-8")


def series_of(
    values: Iterable[float], *, step_seconds: float = 15, name: str = "checkout_latency_ms"
) -> MetricSeries:
    """Return a series with one point every `step_seconds` from 10:00 UTC, point i on line i + 2."""
    values = [float(value) for value in values]
    return MetricSeries(
        name=name,
        component=name.split("_")[0],
        times=[START + timedelta(seconds=step_seconds * index) for index in range(len(values))],
        values=values,
        lines=[index + 2 for index in range(len(values))],
    )
