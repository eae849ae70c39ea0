from datetime import UTC, datetime

import pytest
from metric_samples import sample_text

from faultmaven.domain.errors import InvalidInputError
from faultmaven.domain.metrics import MetricFormat
from faultmaven.metrics import is_metrics_text, read_metrics


def test_grafana_export_gives_one_series_per_column_with_components_and_units() -> None:
    metrics = read_metrics(sample_text("grafana_latency.csv"))

    assert metrics.format is MetricFormat.CSV
    assert [series.name for series in metrics.series] == [
        "checkout p99",
        "payments p99",
        "search p99",
        "db connections",
    ]
    assert [series.component for series in metrics.series] == [
        "checkout",
        "payments",
        "search",
        "db",
    ]
    assert [series.unit for series in metrics.series] == ["ms", "ms", "ms", None]
    assert metrics.skipped == []


def test_grafana_rows_keep_their_lines_after_the_excel_separator_and_header() -> None:
    text = sample_text("grafana_latency.csv")
    lines = text.split("\r\n")
    db = read_metrics(text).series[3]

    assert db.times[0] == datetime(2024, 3, 12, 9, 50, tzinfo=UTC)
    assert db.lines[0] == 3
    assert lines[db.lines[48] - 1].startswith("2024-03-12 10:02:00,")
    assert lines[db.lines[48] - 1].endswith(f",{db.values[48]:.0f}")


def test_values_scaled_per_cell_are_brought_to_the_column_unit() -> None:
    checkout = read_metrics(sample_text("grafana_latency.csv")).series[0]
    text_lines = sample_text("grafana_latency.csv").split("\r\n")

    at_1004 = checkout.times.index(datetime(2024, 3, 12, 10, 4, tzinfo=UTC))
    assert text_lines[checkout.lines[at_1004] - 1].split(",")[1] == "1.24 s"
    assert checkout.values[at_1004] == pytest.approx(1240.0)
    assert checkout.values[0] == pytest.approx(121.3)


def test_empty_cells_are_missing_points_not_zeros() -> None:
    payments = read_metrics(sample_text("grafana_latency.csv")).series[1]

    assert len(payments.values) == 78
    assert 15 not in payments.lines and 16 not in payments.lines and 50 not in payments.lines
    assert all(value > 0 for value in payments.values)


def test_epoch_milliseconds_and_seconds_are_read_as_utc() -> None:
    milliseconds = read_metrics("timestamp,cpu_usage\n1710237600000,0.5\n1710237615000,0.75\n")
    seconds = read_metrics("ts,cpu_usage\n1710237600,0.5\n1710237615.5,0.75\n")

    assert milliseconds.series[0].times == [
        datetime(2024, 3, 12, 10, 0, tzinfo=UTC),
        datetime(2024, 3, 12, 10, 0, 15, tzinfo=UTC),
    ]
    assert seconds.series[0].times[1] == datetime(2024, 3, 12, 10, 0, 15, 500000, tzinfo=UTC)
    assert milliseconds.series[0].values == [0.5, 0.75]


def test_iso_times_with_offsets_become_utc_and_zoneless_ones_follow_the_upload_timezone() -> None:
    zoned = read_metrics("time,x\n2024-03-12T11:00:00+01:00,1\n2024-03-12T10:00:15Z,2\n")
    berlin = read_metrics("time,x\n2024-03-12 11:00:00,1\n", timezone="Europe/Berlin")

    assert zoned.series[0].times == [
        datetime(2024, 3, 12, 10, 0, tzinfo=UTC),
        datetime(2024, 3, 12, 10, 0, 15, tzinfo=UTC),
    ]
    assert berlin.series[0].times == [datetime(2024, 3, 12, 10, 0, tzinfo=UTC)]


def test_unknown_timezone_is_a_domain_error() -> None:
    with pytest.raises(InvalidInputError, match="time zone"):
        read_metrics("time,x\n2024-03-12 11:00:00,1\n", timezone="Mars/Olympus")


def test_text_columns_are_skipped_and_listed() -> None:
    metrics = read_metrics(
        "time,status,latency_ms,note\n"
        "2024-03-12T10:00:00Z,ok,12.5,deploy started\n"
        "2024-03-12T10:00:15Z,degraded,30,\n"
    )

    assert [series.name for series in metrics.series] == ["latency_ms"]
    assert metrics.skipped == ["status", "note"]


def test_csv_with_only_text_columns_is_refused_with_the_skipped_columns_named() -> None:
    with pytest.raises(InvalidInputError, match=r"no numeric column.*status"):
        read_metrics("time,status\n2024-03-12T10:00:00Z,ok\n2024-03-12T10:00:15Z,down\n")


def test_csv_whose_first_column_is_not_a_time_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="first column is a time"):
        read_metrics("host,cpu\nweb-1,0.5\nweb-2,0.7\n")


def test_semicolon_export_with_full_grafana_header_reads_units_and_names() -> None:
    text = (
        "#name#Time;api.requests;db.cpu\r\n"
        "#type#time;number;number\r\n"
        "#unit#;reqps;percent\r\n"
        "1710237600000;120;35\r\n"
        "1710237615000;;36\r\n"
    )
    metrics = read_metrics(text)

    assert [(series.name, series.unit, series.component) for series in metrics.series] == [
        ("api.requests", "reqps", "api"),
        ("db.cpu", "percent", "db"),
    ]
    assert metrics.series[0].lines == [4]
    assert metrics.series[1].lines == [4, 5]


def test_frames_separated_by_blank_lines_each_bring_their_header() -> None:
    text = (
        '"Time","checkout"\r\n2024-03-12 10:00:00,1\r\n2024-03-12 10:00:15,2\r\n\r\n'
        '"Time","payments"\r\n2024-03-12 10:00:00,3\r\n\r\n'
    )
    metrics = read_metrics(text)

    assert [(series.name, series.lines) for series in metrics.series] == [
        ("checkout", [2, 3]),
        ("payments", [6]),
    ]


def test_lone_carriage_returns_count_as_line_breaks() -> None:
    metrics = read_metrics("time,x\r2024-03-12T10:00:00Z,1\r2024-03-12T10:00:15Z,2")

    assert metrics.series[0].lines == [2, 3]


def test_column_named_like_a_promql_series_keeps_its_labels() -> None:
    metrics = read_metrics(
        'Time,"http_requests_total{job=""api"", pod=""cart-5b7c9d8f4-q8w2z""}"\n'
        "2024-03-12T10:00:00Z,5\n"
    )

    assert metrics.series[0].labels == {
        "__name__": "http_requests_total",
        "job": "api",
        "pod": "cart-5b7c9d8f4-q8w2z",
    }
    assert metrics.series[0].component == "api"


@pytest.mark.parametrize(
    "text",
    [
        "2024-03-12 10:00:00,123 INFO Started checkout\n2024-03-12 10:00:01,456 WARN slow\n",
        "NAME READY STATUS RESTARTS AGE\ncheckout-7d9f8c6b5d-x2k4q 1/1 Running 0 5m\n",
        '{"level":"error","msg":"timeout"}\n',
        "",
    ],
)
def test_logs_and_other_text_are_not_metrics(text: str) -> None:
    assert not is_metrics_text(text)


def test_exports_are_recognised_as_metrics() -> None:
    assert is_metrics_text(sample_text("grafana_latency.csv"))
    assert is_metrics_text("timestamp,cpu_usage\n1710237600000,0.5\n")
