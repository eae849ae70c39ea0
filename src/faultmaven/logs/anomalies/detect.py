"""What is abnormal in a profile: new templates, bursts, error-rate steps, co-starts."""

import math
from collections import Counter
from collections.abc import Collection
from datetime import datetime

from faultmaven.domain.evidence import Level
from faultmaven.domain.logs import Anomaly, AnomalyKind, TemplateOccurrence
from faultmaven.logs.anomalies.changepoint import error_rate_step
from faultmaven.logs.anomalies.earlier_evidence import EarlierEvidenceVerdict
from faultmaven.logs.anomalies.profile import TemplateProfile

BASELINE_FRACTION = 0.2
BURST_MIN_COUNT = 5
BURST_SCALE_FACTOR = 5.0
MAX_DENSE_BUCKETS = 2_000
LEVEL_BONUS = {Level.WARN: 0.5, Level.ERROR: 1.0, Level.FATAL: 1.5}


def detect_anomalies(
    profile: TemplateProfile,
    known_groups: Collection[str] = (),
    limit: int = 20,
    earlier: EarlierEvidenceVerdict | None = None,
) -> list[Anomaly]:
    """Return what is abnormal in the profiled events, most abnormal first.

    `known_groups` are templates seen in earlier evidence of the case: never "new".
    `earlier` says which templates are new since earlier evidence of the same source (the
    profile must then have been filled in upload order). Those are reported once, as new since
    that evidence; templates a baseline also holds are still judged by the time window over
    the whole case, so an error that began late in a rotated `app.log.1` and goes on in
    `app.log` stays new.
    """
    if profile.total == 0:
        return []
    news: list[Anomaly] = []
    if earlier is not None:
        news = _new_since_earlier(profile, earlier)
        known_groups = {*known_groups, *earlier.new_groups}
    news += _new_templates(profile, known_groups)
    found = [
        *news,
        *_bursts(profile),
        *_error_rate_steps(profile),
        *_started_together(profile, news),
    ]
    found.sort(key=lambda anomaly: (-anomaly.score, anomaly.description))
    return found[:limit]


def _span(profile: TemplateProfile) -> tuple[int, int]:
    buckets = profile.all_events()
    return min(buckets), max(buckets)


def _new_templates(profile: TemplateProfile, known_groups: Collection[str]) -> list[Anomaly]:
    """Report templates that first appear after the baseline part of every source they are in.

    Each evidence item has its own baseline (the first part of its own span): a service
    whose log starts later than the others' is not all "new".
    """
    found = []
    for stats in profile.stats():
        if stats.group in known_groups:
            continue
        if not _late_in_every_source(profile, stats.group):
            continue
        bonus = LEVEL_BONUS.get(stats.worst_level, 0.0) if stats.worst_level else 0.0
        first = profile.first_occurrence(stats.group)
        found.append(
            Anomaly(
                kind=AnomalyKind.NEW_TEMPLATE,
                score=round(1.0 + bonus + (0.3 if stats.count <= 3 else 0.0), 3),
                description=(
                    f"New message after the baseline: “{stats.template}” ({stats.count} times)"
                ),
                start=_first_time(profile, stats.group),
                end=_last_time(profile, stats.group),
                groups=(stats.group,),
                examples=(first,),
            )
        )
    return found


def _late_in_every_source(profile: TemplateProfile, group: str) -> bool:
    """Tell whether a template first appears after the baseline part of each source it is in.

    A template with no position on the profile's axis (no timestamps on a time axis) is
    never judged new.
    """
    firsts = profile.first_position_by_source(group)
    if not firsts:
        return False
    for source, first_bucket in firsts.items():
        low, high = profile.source_span(source)
        if high == low or first_bucket <= low + BASELINE_FRACTION * (high - low):
            return False
    return True


def _new_since_earlier(profile: TemplateProfile, earlier: EarlierEvidenceVerdict) -> list[Anomaly]:
    stats_by_group = {stats.group: stats for stats in profile.stats()}
    found = []
    for item in earlier.new:
        absent_from = ", ".join(item.baselines)
        for group in sorted(item.groups & stats_by_group.keys()):
            stats = stats_by_group[group]
            bonus = LEVEL_BONUS.get(stats.worst_level, 0.0) if stats.worst_level else 0.0
            found.append(
                Anomaly(
                    kind=AnomalyKind.NEW_TEMPLATE,
                    score=round(1.2 + bonus + (0.3 if stats.count <= 3 else 0.0), 3),
                    description=(
                        f"New since earlier evidence: “{stats.template}” first in "
                        f"{item.evidence_name} ({stats.count} times), absent from {absent_from}"
                    ),
                    start=_first_time(profile, group),
                    end=_last_time(profile, group),
                    groups=(group,),
                    examples=(profile.first_occurrence(group),),
                )
            )
    return found


def _first_time(profile: TemplateProfile, group: str) -> datetime | None:
    """Return when a template first appeared; None when none of its lines has a place in time."""
    series = profile.series(group)
    return profile.bucket_start(min(series)) if series else None


def _last_time(profile: TemplateProfile, group: str) -> datetime | None:
    """Return the start of the last bucket a template appeared in, if it has any."""
    series = profile.series(group)
    return profile.bucket_start(max(series)) if series else None


def _bursts(profile: TemplateProfile) -> list[Anomaly]:
    low, high = _span(profile)
    width = max(1, math.ceil((high - low + 1) / MAX_DENSE_BUCKETS))
    found = []
    for stats in profile.stats():
        if stats.count < BURST_MIN_COUNT:
            continue
        series = _dense(profile.series(stats.group), low, high, width)
        peak_index = max(range(len(series)), key=series.__getitem__)
        peak = series[peak_index]
        median, scale = _robust_center(series)
        if peak < BURST_MIN_COUNT or peak <= median + BURST_SCALE_FACTOR * scale:
            continue
        bonus = LEVEL_BONUS.get(stats.worst_level, 0.0) if stats.worst_level else 0.0
        ratio = peak / max(median, 0.5)
        start_bucket = low + peak_index * width
        found.append(
            Anomaly(
                kind=AnomalyKind.BURST,
                score=round(1.0 + min(2.0, math.log2(ratio) / 3) + bonus / 2, 3),
                description=(
                    f"Burst of “{stats.template}”: {peak} in one interval, typically {median:g}"
                ),
                start=profile.bucket_start(start_bucket),
                end=profile.bucket_start(start_bucket + width),
                groups=(stats.group,),
                examples=stats.examples[:1],
            )
        )
    return found


def _dense(sparse: Counter[int], low: int, high: int, width: int) -> list[int]:
    series = [0] * ((high - low) // width + 1)
    for bucket, count in sparse.items():
        series[(bucket - low) // width] += count
    return series


def _robust_center(series: list[int]) -> tuple[float, float]:
    """Return the median and a robust spread (scaled MAD, at least Poisson noise)."""
    ordered = sorted(series)
    median = float(ordered[len(ordered) // 2])
    deviations = sorted(abs(value - median) for value in series)
    mad = 1.4826 * deviations[len(deviations) // 2]
    return median, max(mad, math.sqrt(median + 1.0))


def _error_rate_steps(profile: TemplateProfile) -> list[Anomaly]:
    low, high = _span(profile)
    width = max(1, math.ceil((high - low + 1) / MAX_DENSE_BUCKETS))
    events = _dense(profile.all_events(), low, high, width)
    errors = _dense(profile.errors(), low, high, width)
    step = error_rate_step(errors, events)
    if step is None:
        return []
    start_bucket = low + step.index * width
    example = _first_error_from(profile, start_bucket, high)
    return [
        Anomaly(
            kind=AnomalyKind.ERROR_RATE_CHANGE,
            score=round(1.5 + min(2.0, step.log_likelihood_ratio / 50), 3),
            description=(
                f"Error rate rose from {step.rate_before:.1%} to {step.rate_after:.1%} of events"
            ),
            start=profile.bucket_start(start_bucket),
            end=profile.bucket_start(high),
            groups=(example.group,) if example else (),
            examples=(example,) if example else (),
        )
    ]


def _first_error_from(profile: TemplateProfile, start: int, high: int) -> TemplateOccurrence | None:
    for bucket in sorted(b for b in profile.errors() if start <= b <= high):
        found = profile.first_error_in(bucket)
        if found is not None:
            return found
    return None


def _started_together(profile: TemplateProfile, news: list[Anomaly]) -> list[Anomaly]:
    low, high = _span(profile)
    window = max(1, (high - low) // 100)
    by_start = sorted(news, key=lambda anomaly: profile.first_position(anomaly.groups[0]))
    clusters: list[list[Anomaly]] = []
    for anomaly in by_start:
        position = profile.first_position(anomaly.groups[0])
        if clusters and position - profile.first_position(clusters[-1][0].groups[0]) <= window:
            clusters[-1].append(anomaly)
        else:
            clusters.append([anomaly])
    return [
        Anomaly(
            kind=AnomalyKind.CO_OCCURRENCE,
            score=round(0.8 + 0.2 * len(cluster), 3),
            description=f"{len(cluster)} new messages started together",
            start=cluster[0].start,
            end=cluster[-1].start,
            groups=tuple(anomaly.groups[0] for anomaly in cluster),
            examples=tuple(anomaly.examples[0] for anomaly in cluster[:3]),
        )
        for cluster in clusters
        if len(cluster) >= 2
    ]


def abnormal_groups(anomalies: Collection[Anomaly]) -> set[str]:
    """Return the templates any anomaly involves."""
    return {group for anomaly in anomalies for group in anomaly.groups}


def is_flagged(level: Level | None, group: str, abnormal: Collection[str]) -> bool:
    """Tell whether an event is abnormal: an error or worse in a template that behaves abnormally.

    Errors alone over-flag (routine failures are logged at ERROR all day); abnormal templates
    alone over-flag (new INFO chatter); together they single out the events worth reading.
    """
    return level in (Level.ERROR, Level.FATAL) and group in abnormal
