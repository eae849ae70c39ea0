import math
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from metric_samples import series_of

from faultmaven.domain.errors import InvalidInputError
from faultmaven.domain.metrics import ChangeKind, MetricFormat, MetricSet
from faultmaven.metrics import detect_changes, is_metrics_text, rank_changes, read_metrics

_CSV_LIKE = st.text(
    alphabet=st.sampled_from(list('0123456789,;"\n\r\t .:-+TZe%msKiB#sep=nameunitNaInf/')),
    max_size=400,
)
_JSON_WORDS = ["status", "success", "data", "resultType", "matrix", "vector", "scalar",
               "result", "metric", "values", "value", "error"]  # fmt: skip
_JSON_LIKE = st.lists(
    st.sampled_from([*'{}[]",: 0123456789.e-+\nNaInf', *(f'"{word}"' for word in _JSON_WORDS)]),
    max_size=120,
).map("".join)
_ANY_FLOAT = st.floats(allow_nan=True, allow_infinity=True)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=400), _CSV_LIKE, _JSON_LIKE))
def test_readers_refuse_arbitrary_text_only_with_the_domain_error(text: str) -> None:
    recognised = is_metrics_text(text)
    assert isinstance(recognised, bool)
    try:
        metric_set = read_metrics(text)
    except InvalidInputError as error:
        assert error.detail
        return
    for series in metric_set.series:
        assert all(time.tzinfo is not None for time in series.times)
        assert all(line >= 1 for line in series.lines)


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_deeply_nested_json_is_refused_with_the_domain_error(depth: int) -> None:
    with pytest.raises(InvalidInputError):
        read_metrics("[" * depth + "]" * depth)


@settings(max_examples=300, deadline=None)
@given(st.lists(_ANY_FLOAT, max_size=300))
def test_detection_never_fails_on_arbitrary_floats(values: list[float]) -> None:
    series = series_of(values)

    changes = detect_changes(series)

    for change in changes:
        assert 0 <= change.index <= change.end_index < len(values)
        assert math.isfinite(values[change.index])
        assert change.line_start <= change.line_end
        assert change.score >= 0 and math.isfinite(change.score)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.lists(_ANY_FLOAT, min_size=8, max_size=80), max_size=4),
    st.lists(
        st.datetimes(min_value=datetime(2024, 3, 12, 9), max_value=datetime(2024, 3, 12, 11)),
        max_size=5,
    ),
)
def test_ranking_never_fails_and_keeps_its_orders(
    columns: list[list[float]], anomalies: list[datetime]
) -> None:
    metric_set = MetricSet(
        format=MetricFormat.CSV,
        series=[series_of(values, name=f"svc{index}_x") for index, values in enumerate(columns)],
    )

    report = rank_changes(metric_set, anomalies)

    times = [change.time for change in report.changes]
    assert times == sorted(times)
    assert all(change.kind is not ChangeKind.SPIKE for change in report.changes)
    firsts = [component.first_change for component in report.components]
    assert firsts == sorted(firsts)
    tolerance = timedelta(seconds=60)
    for change in report.changes:
        if change.corroborated:
            assert change.log_anomaly_time is not None
            assert abs(change.log_anomaly_time - change.time) <= tolerance
            assert change.log_anomaly_time.tzinfo == UTC
