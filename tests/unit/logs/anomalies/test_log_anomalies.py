"""Anomaly detection on profiles of synthetic incidents with a known onset."""

import random
from datetime import UTC, datetime, timedelta

from faultmaven.domain.evidence import Level
from faultmaven.domain.logs import AnomalyKind, TemplateOccurrence
from faultmaven.logs.anomalies import TemplateProfile, detect_anomalies, error_rate_step

START = datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
ONSET = START + timedelta(minutes=90)
NORMAL = [
    ("g-request", "GET <*> took <*>ms", Level.INFO),
    ("g-cache", "cache hit ratio <*>", Level.INFO),
    ("g-slow", "slow query <*>", Level.WARN),
]


def _occurrence(
    n: int, time: datetime, group: str, template: str, level: Level
) -> TemplateOccurrence:
    return TemplateOccurrence(
        "e1", "api.log", n, n, time, level, group, template, f"{level} {template}"
    )


def _incident_profile(seed: int = 7) -> TemplateProfile:
    """Two hours of steady traffic; at ONSET a disk error appears and timeouts flood."""
    rng = random.Random(seed)
    profile = TemplateProfile(bucket_seconds=60)
    n = 0
    for minute in range(120):
        at = START + timedelta(minutes=minute)
        for _ in range(20):
            n += 1
            group, template, level = rng.choice(NORMAL)
            profile.add(
                _occurrence(n, at + timedelta(seconds=rng.randrange(60)), group, template, level)
            )
        if at >= ONSET:
            n += 1
            profile.add(
                _occurrence(n, at, "g-disk", "write failed: No space left on device", Level.ERROR)
            )
            for second in range(30 if minute == 95 else 2):
                n += 1
                profile.add(
                    _occurrence(
                        n,
                        at + timedelta(seconds=second),
                        "g-timeout",
                        "upstream timed out",
                        Level.ERROR,
                    )
                )
    return profile


def test_a_message_first_seen_after_the_baseline_is_new_and_ranked_high() -> None:
    anomalies = detect_anomalies(_incident_profile())
    news = [a for a in anomalies if a.kind is AnomalyKind.NEW_TEMPLATE]
    assert {a.groups[0] for a in news} == {"g-disk", "g-timeout"}
    disk = next(a for a in news if a.groups[0] == "g-disk")
    assert disk.start == ONSET
    assert disk.examples[0].line_start > 1
    assert anomalies[0].kind in (AnomalyKind.NEW_TEMPLATE, AnomalyKind.ERROR_RATE_CHANGE)


def test_templates_of_the_baseline_and_of_earlier_evidence_are_not_new() -> None:
    anomalies = detect_anomalies(_incident_profile(), known_groups={"g-disk"})
    new_groups = {a.groups[0] for a in anomalies if a.kind is AnomalyKind.NEW_TEMPLATE}
    assert new_groups == {"g-timeout"}


def test_a_flood_in_one_minute_is_a_burst_at_that_minute() -> None:
    bursts = [a for a in detect_anomalies(_incident_profile()) if a.kind is AnomalyKind.BURST]
    assert [a.groups for a in bursts] == [("g-timeout",)]
    assert bursts[0].start == START + timedelta(minutes=95)


def test_error_rate_step_is_found_at_the_onset() -> None:
    steps = [
        a for a in detect_anomalies(_incident_profile()) if a.kind is AnomalyKind.ERROR_RATE_CHANGE
    ]
    assert len(steps) == 1
    assert steps[0].start == ONSET
    assert steps[0].examples[0].group in {"g-disk", "g-timeout"}


def test_messages_that_start_together_are_reported_together() -> None:
    together = [
        a for a in detect_anomalies(_incident_profile()) if a.kind is AnomalyKind.CO_OCCURRENCE
    ]
    assert len(together) == 1 and set(together[0].groups) == {"g-disk", "g-timeout"}


def test_steady_traffic_has_no_anomalies() -> None:
    rng = random.Random(3)
    profile = TemplateProfile()
    for n in range(3000):
        group, template, level = rng.choice(NORMAL)
        profile.add(_occurrence(n + 1, START + timedelta(seconds=2 * n), group, template, level))
    assert detect_anomalies(profile) == []


def test_logs_without_timestamps_are_profiled_by_position() -> None:
    profile = TemplateProfile()
    for n in range(1, 2001):
        profile.add(TemplateOccurrence("e", "x.log", n, n, None, Level.INFO, "g-ok", "ok <*>"))
    for n in range(2001, 2101):
        profile.add(TemplateOccurrence("e", "x.log", n, n, None, Level.ERROR, "g-bad", "crash <*>"))
    anomalies = detect_anomalies(profile)
    assert not profile.uses_time
    assert any(a.kind is AnomalyKind.NEW_TEMPLATE and a.groups == ("g-bad",) for a in anomalies)
    assert all(a.start is None for a in anomalies)


def test_error_rate_step_needs_a_clear_rise() -> None:
    assert error_rate_step([1, 1, 1, 1], [100, 100, 100, 100]) is None
    step = error_rate_step([0, 1, 0, 40, 50], [100, 100, 100, 100, 100])
    assert step is not None and step.index == 3
    assert step.rate_before < 0.01 < 0.4 < step.rate_after


def test_only_errors_in_abnormal_templates_are_flagged() -> None:
    from faultmaven.logs.anomalies import abnormal_groups, is_flagged

    anomalies = detect_anomalies(_incident_profile())
    abnormal = abnormal_groups(anomalies)
    assert "g-disk" in abnormal and "g-request" not in abnormal
    assert is_flagged(Level.ERROR, "g-disk", abnormal)
    assert not is_flagged(Level.INFO, "g-disk", abnormal)
    assert not is_flagged(Level.ERROR, "g-request", abnormal)


def test_a_service_whose_log_starts_later_is_judged_against_its_own_baseline() -> None:
    profile = TemplateProfile()
    for minute in range(120):
        when = START + timedelta(minutes=minute)
        profile.add(_occurrence(minute, when, "g-api", "GET /cart 200", Level.INFO))
    for minute in range(90, 120):
        when = START + timedelta(minutes=minute, seconds=30)
        late = TemplateOccurrence(
            "e2", "worker.log", minute, minute, when, Level.INFO, "g-job", "job <*> done", "job"
        )
        profile.add(late)
    worker_error = TemplateOccurrence(
        "e2", "worker.log", 200, 200, START + timedelta(minutes=115), Level.ERROR,
        "g-fail", "job <*> failed: disk full", "job failed",
    )  # fmt: skip
    profile.add(worker_error)
    new = {
        anomaly.groups[0]
        for anomaly in detect_anomalies(profile)
        if anomaly.kind is AnomalyKind.NEW_TEMPLATE
    }
    assert new == {"g-fail"}


def test_an_untimed_template_in_a_timed_log_is_never_new() -> None:
    profile = _incident_profile()
    profile.add(
        TemplateOccurrence("e1", "api.log", 9999, 9999, None, Level.ERROR, "g-x", "no time", "x")
    )
    assert all("g-x" not in anomaly.groups for anomaly in detect_anomalies(profile))
