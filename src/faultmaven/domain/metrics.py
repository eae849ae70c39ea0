"""What the metrics engine reads and concludes: series, their change points, and a ranking."""

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum
from statistics import median
from typing import Self

from pydantic import BaseModel, Field, model_validator


class MetricFormat(StrEnum):
    """The layout a metrics evidence was read as."""

    CSV = "csv"
    PROMETHEUS = "prometheus"


class MetricSeries(BaseModel):
    """One time series, each point with the 1-based evidence line it was read from.

    `times`, `values` and `lines` run in parallel, oldest point first. A missing sample
    (an empty CSV cell) has no point; a value Prometheus reported as `NaN` or `+Inf` is
    kept as that float. `name` is the column header, or the series as PromQL prints it
    (`http_requests_total{job="api", code="500"}`); `component` is the service or host
    the series is about, or None when nothing names one.
    """

    name: str
    labels: dict[str, str] = Field(default_factory=dict)
    component: str | None = None
    unit: str | None = None
    times: list[datetime]
    values: list[float]
    lines: list[int]

    @model_validator(mode="after")
    def _points_line_up(self) -> Self:
        if not len(self.times) == len(self.values) == len(self.lines):
            raise ValueError("times, values and lines must have one entry per point")
        return self

    @classmethod
    def of_points(
        cls,
        name: str,
        points: Iterable[tuple[datetime, float, int]],
        *,
        labels: dict[str, str] | None = None,
        component: str | None = None,
        unit: str | None = None,
    ) -> "MetricSeries":
        """Build a series from `(time, value, line)` points in any order."""
        ordered = sorted(points, key=lambda point: (point[0], point[2]))
        return cls(
            name=name,
            labels=labels or {},
            component=component,
            unit=unit,
            times=[point[0] for point in ordered],
            values=[point[1] for point in ordered],
            lines=[point[2] for point in ordered],
        )

    def interval_seconds(self) -> float | None:
        """Return the typical spacing of the points (the median gap), None with under 2 points."""
        gaps = [
            (later - earlier).total_seconds()
            for earlier, later in zip(self.times, self.times[1:], strict=False)
        ]
        return float(median(gaps)) if gaps else None


class MetricSet(BaseModel):
    """Every series of one metrics evidence, and the columns or series that held no numbers."""

    format: MetricFormat
    series: list[MetricSeries]
    skipped: list[str] = Field(default_factory=list)


class ChangeKind(StrEnum):
    """How a series moved."""

    LEVEL_SHIFT = "level_shift"
    RAMP = "ramp"
    SPIKE = "spike"


class ChangeDirection(StrEnum):
    """Which way a series moved."""

    UP = "up"
    DOWN = "down"


class ChangePoint(BaseModel):
    """A significant move of one series.

    A `level_shift` is a sustained step at `time`; a `ramp` is a run of steps in one
    direction close together, from `time` to `end_time`; a `spike` is an excursion of one
    or two samples that returns to the previous level. `index` and `end_index` are
    positions in the series' points. `before` and `after` are medians of the points around
    the change (for a spike: the local level and the spike's value); `relative_change` is
    `absolute_change / |before|`, None when `before` is 0. `score` is the change in units
    of its standard error under the series' robust noise (`noise`, a MAD-based standard
    deviation); larger is more certain. `line_start`..`line_end` are the evidence lines
    from the last point before the change to the point that shows it, to cite.
    """

    series: str
    component: str | None
    kind: ChangeKind
    direction: ChangeDirection
    time: datetime
    end_time: datetime
    index: int = Field(ge=0)
    end_index: int = Field(ge=0)
    before: float
    after: float
    absolute_change: float
    relative_change: float | None
    score: float = Field(ge=0.0)
    noise: float = Field(ge=0.0)
    line_start: int = Field(ge=1)
    line_end: int = Field(ge=1)


class RankedChange(ChangePoint):
    """A change placed among all changes of a metrics evidence, with log agreement.

    `corroborated` is true when a log anomaly falls within the tolerance of the change
    (the larger of two sampling intervals and 60 seconds); `log_anomaly_time` is the
    nearest such anomaly.
    """

    rank: int = Field(ge=1)
    corroborated: bool = False
    log_anomaly_time: datetime | None = None


class ComponentChange(BaseModel):
    """A component ranked by when its series first moved (earliest first: upstream first)."""

    name: str
    rank: int = Field(ge=1)
    first_change: datetime
    direction: ChangeDirection
    series: list[str]
    corroborated: bool
    reason: str


class MetricReport(BaseModel):
    """What moved, in which order, where, and whether the logs agree.

    `changes` holds sustained moves (level shifts and ramps) by time, then by size;
    `spikes` the short excursions, apart, because they rarely mark where an incident began.
    """

    series: int
    changes: list[RankedChange]
    spikes: list[RankedChange]
    components: list[ComponentChange]
    first_moved: str | None
    moved_most: str | None
    corroborated: int
    summary: str
