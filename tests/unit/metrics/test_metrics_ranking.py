from datetime import UTC, datetime, timedelta

import numpy as np
from metric_samples import sample_text, series_of

from faultmaven import metrics
from faultmaven.domain.metrics import ChangeDirection, MetricFormat, MetricSet
from faultmaven.metrics import rank_changes, read_metrics

DB_RISE = datetime(2024, 3, 12, 10, 2, tzinfo=UTC)
CHECKOUT_RISE = datetime(2024, 3, 12, 10, 4, tzinfo=UTC)


def test_db_connections_moved_first_and_checkout_latency_moved_most() -> None:
    report = rank_changes(read_metrics(sample_text("grafana_latency.csv")))

    assert [(change.rank, change.series, change.time) for change in report.changes] == [
        (1, "db connections", DB_RISE),
        (2, "checkout p99", CHECKOUT_RISE),
    ]
    assert report.first_moved == "db connections"
    assert report.moved_most == "checkout p99"
    assert [spike.series for spike in report.spikes] == ["search p99"]


def test_components_are_ranked_upstream_first_with_the_lead_in_the_reason() -> None:
    report = rank_changes(read_metrics(sample_text("grafana_latency.csv")))

    assert [(component.rank, component.name) for component in report.components] == [
        (1, "db"),
        (2, "checkout"),
    ]
    db = report.components[0]
    assert db.first_change == DB_RISE
    assert db.direction is ChangeDirection.UP
    assert db.series == ["db connections"]
    assert "2 min before checkout" in db.reason
    assert "db -> checkout" in report.summary


def test_change_near_a_log_anomaly_is_corroborated_and_a_distant_one_is_not() -> None:
    report = rank_changes(
        read_metrics(sample_text("grafana_latency.csv")),
        log_anomaly_times=[datetime(2024, 3, 12, 10, 2, 40), CHECKOUT_RISE + timedelta(minutes=5)],
    )

    db, checkout = report.changes
    assert db.corroborated and db.log_anomaly_time == datetime(2024, 3, 12, 10, 2, 40, tzinfo=UTC)
    assert not checkout.corroborated and checkout.log_anomaly_time is None
    assert report.corroborated == 1
    assert report.components[0].corroborated and not report.components[1].corroborated
    assert "log anomaly at 10:02:40 UTC" in report.components[0].reason


def test_tolerance_grows_to_two_sampling_intervals_for_slow_series() -> None:
    values = 50 + np.random.default_rng(4).normal(0, 2, size=40)
    values[20:] += 40
    slow = series_of(values, step_seconds=300, name="db_cpu_percent")
    shift_time = slow.times[20]
    metric_set = MetricSet(format=MetricFormat.CSV, series=[slow])

    near = rank_changes(metric_set, [shift_time - timedelta(minutes=9)])
    far = rank_changes(metric_set, [shift_time - timedelta(minutes=11)])

    assert near.changes[0].corroborated
    assert not far.changes[0].corroborated


def test_evidence_without_changes_says_so() -> None:
    flat = series_of(70 + np.random.default_rng(1).normal(0, 3, size=50))

    report = rank_changes(MetricSet(format=MetricFormat.CSV, series=[flat]))

    assert report.changes == [] and report.components == []
    assert report.first_moved is None and report.moved_most is None
    assert report.summary == "No significant change in 1 series."


def test_series_without_a_component_are_ranked_but_name_no_component() -> None:
    values = 10 + np.random.default_rng(8).normal(0, 1, size=60)
    values[30:] += 20
    anonymous = series_of(values, name="Value").model_copy(update={"component": None})

    report = rank_changes(MetricSet(format=MetricFormat.CSV, series=[anonymous]))

    assert [change.series for change in report.changes] == ["Value"]
    assert report.components == []


def test_public_surface_is_reading_detection_and_ranking() -> None:
    assert sorted(metrics.__all__) == [
        "Detected",
        "detect_all",
        "detect_changes",
        "is_metrics_text",
        "rank_changes",
        "rank_detected",
        "read_metrics",
    ]


def test_ranking_changes_found_once_equals_detecting_and_ranking_together() -> None:
    metric_set = read_metrics(sample_text("grafana_latency.csv"))
    detected = metrics.detect_all(metric_set)
    moment = rank_changes(metric_set).changes[0].time
    assert metrics.rank_detected(detected) == rank_changes(metric_set)
    assert metrics.rank_detected(detected, [moment]) == rank_changes(metric_set, [moment])
