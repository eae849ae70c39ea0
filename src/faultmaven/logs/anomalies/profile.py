"""Streaming per-template profiles: counts over time, first and last seen, worst level.

Memory grows with the number of templates and of time buckets that saw events, never
with the number of events, so a profile of a multi-gigabyte log stays small.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

from faultmaven.domain.evidence import LEVEL_RANK, Level, is_problem_level
from faultmaven.domain.logs import TemplateOccurrence, TemplateStats

EXAMPLES_PER_TEMPLATE = 3
LINES_PER_BUCKET = 100


@dataclass
class _TemplateTrack:
    template: str
    count: int = 0
    first: TemplateOccurrence | None = None
    last: TemplateOccurrence | None = None
    first_time: datetime | None = None
    last_time: datetime | None = None
    worst: Level | None = None
    examples: list[TemplateOccurrence] = field(default_factory=list)
    by_time: Counter[int] = field(default_factory=Counter)
    by_line: Counter[int] = field(default_factory=Counter)
    first_time_by_source: dict[str, int] = field(default_factory=dict)
    first_line_by_source: dict[str, int] = field(default_factory=dict)


class TemplateProfile:
    """Accumulate template occurrences; then read statistics and bucketed series.

    Events are bucketed twice: by time (`bucket_seconds`) and by position (every
    `LINES_PER_BUCKET` lines), so logs without timestamps still have a shape.
    """

    def __init__(self, bucket_seconds: int = 60) -> None:
        self.bucket_seconds = bucket_seconds
        self._tracks: dict[str, _TemplateTrack] = {}
        self.total = 0
        self.timed = 0
        self.errors_by_time: Counter[int] = Counter()
        self.errors_by_line: Counter[int] = Counter()
        self.first_error_by_time: dict[int, TemplateOccurrence] = {}
        self.first_error_by_line: dict[int, TemplateOccurrence] = {}
        self._time_span_by_source: dict[str, tuple[int, int]] = {}
        self._line_span_by_source: dict[str, tuple[int, int]] = {}

    def add(self, occurrence: TemplateOccurrence) -> None:
        """Count one event."""
        track = self._tracks.get(occurrence.group)
        if track is None:
            track = self._tracks[occurrence.group] = _TemplateTrack(occurrence.template)
            track.first = occurrence
        track.count += 1
        track.last = occurrence
        if len(track.examples) < EXAMPLES_PER_TEMPLATE:
            track.examples.append(occurrence)
        if occurrence.level is not None and (
            track.worst is None or LEVEL_RANK[occurrence.level] > LEVEL_RANK[track.worst]
        ):
            track.worst = occurrence.level
        self.total += 1
        line_bucket = occurrence.line_start // LINES_PER_BUCKET
        track.by_line[line_bucket] += 1
        source = occurrence.evidence_id
        track.first_line_by_source.setdefault(source, line_bucket)
        _widen(self._line_span_by_source, source, line_bucket)
        is_error = is_problem_level(occurrence.level) and occurrence.level is not Level.WARN
        if is_error:
            self.errors_by_line[line_bucket] += 1
            self.first_error_by_line.setdefault(line_bucket, occurrence)
        if occurrence.time is not None:
            self.timed += 1
            if track.first_time is None or occurrence.time < track.first_time:
                track.first_time = occurrence.time
            if track.last_time is None or occurrence.time > track.last_time:
                track.last_time = occurrence.time
            time_bucket = int(occurrence.time.timestamp()) // self.bucket_seconds
            track.by_time[time_bucket] += 1
            known = track.first_time_by_source.get(source)
            if known is None or time_bucket < known:
                track.first_time_by_source[source] = time_bucket
            _widen(self._time_span_by_source, source, time_bucket)
            if is_error:
                self.errors_by_time[time_bucket] += 1
                self.first_error_by_time.setdefault(time_bucket, occurrence)

    @property
    def uses_time(self) -> bool:
        """Tell whether most events had a timestamp, so series are over time, not position."""
        return self.total > 0 and self.timed * 2 >= self.total

    def stats(self) -> list[TemplateStats]:
        """Return every template's statistics, most frequent first."""
        ordered = sorted(self._tracks.items(), key=lambda item: (-item[1].count, item[0]))
        return [
            TemplateStats(
                group=group,
                template=track.template,
                count=track.count,
                first_seen=track.first_time,
                last_seen=track.last_time,
                worst_level=track.worst,
                examples=tuple(track.examples),
            )
            for group, track in ordered
        ]

    def groups(self) -> list[str]:
        """Return the groups seen, in order of first appearance."""
        return list(self._tracks)

    def first_occurrence(self, group: str) -> TemplateOccurrence:
        """Return a template's first event."""
        first = self._tracks[group].first
        assert first is not None
        return first

    def first_position(self, group: str) -> int:
        """Return the bucket where a template first appeared, on the profile's axis."""
        series = self.series(group)
        return min(series) if series else 0

    def first_position_by_source(self, group: str) -> dict[str, int]:
        """Return, per evidence item, the bucket where a template first appeared in it."""
        track = self._tracks[group]
        return track.first_time_by_source if self.uses_time else track.first_line_by_source

    def source_span(self, source: str) -> tuple[int, int]:
        """Return the first and last bucket of one evidence item on the profile's axis."""
        spans = self._time_span_by_source if self.uses_time else self._line_span_by_source
        return spans[source]

    def series(self, group: str) -> Counter[int]:
        """Return a template's counts per bucket (sparse) on the profile's axis."""
        track = self._tracks[group]
        return track.by_time if self.uses_time else track.by_line

    def all_events(self) -> Counter[int]:
        """Return the counts of every event per bucket (sparse) on the profile's axis."""
        total: Counter[int] = Counter()
        for group in self._tracks:
            total.update(self.series(group))
        return total

    def errors(self) -> Counter[int]:
        """Return error and fatal events per bucket (sparse) on the profile's axis."""
        return self.errors_by_time if self.uses_time else self.errors_by_line

    def first_error_in(self, bucket: int) -> TemplateOccurrence | None:
        """Return the first error event of a bucket, if any."""
        first = self.first_error_by_time if self.uses_time else self.first_error_by_line
        return first.get(bucket)

    def bucket_start(self, bucket: int) -> datetime | None:
        """Return when a bucket starts (None when the axis is position, not time)."""
        if not self.uses_time:
            return None
        return datetime.fromtimestamp(bucket * self.bucket_seconds, tz=UTC)


def _widen(spans: dict[str, tuple[int, int]], source: str, bucket: int) -> None:
    """Stretch a source's first-to-last bucket span to cover `bucket`."""
    low, high = spans.get(source, (bucket, bucket))
    spans[source] = (min(low, bucket), max(high, bucket))
