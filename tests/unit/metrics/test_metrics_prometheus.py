import json
import math
from datetime import UTC, datetime

import pytest
from metric_samples import sample_text

from faultmaven.domain.errors import InvalidInputError
from faultmaven.domain.metrics import MetricFormat
from faultmaven.metrics import is_metrics_text, read_metrics

CHECKOUT_MEMORY = (
    'container_memory_working_set_bytes{container="checkout", instance="10.0.3.17:10250",'
    ' job="kubelet", metrics_path="/metrics/cadvisor", namespace="shop",'
    ' pod="checkout-7d9f8c6b5d-x2k4q"}'
)


def test_matrix_series_are_named_as_promql_prints_them_with_workload_components() -> None:
    metrics = read_metrics(sample_text("prometheus_memory_matrix.json"))

    assert metrics.format is MetricFormat.PROMETHEUS
    assert metrics.series[0].name == CHECKOUT_MEMORY
    assert metrics.series[0].labels["pod"] == "checkout-7d9f8c6b5d-x2k4q"
    assert [series.component for series in metrics.series] == ["checkout", "cart"]


def test_each_matrix_point_cites_the_line_where_its_value_sits() -> None:
    text = sample_text("prometheus_memory_matrix.json")
    lines = text.split("\n")
    memory = read_metrics(text).series[0]

    for value, line in zip(memory.values, memory.lines, strict=True):
        assert lines[line - 1].strip() == json.dumps(str(int(value)))
    assert memory.lines[:3] == [19, 23, 27]


def test_matrix_times_are_utc_and_a_restart_gap_leaves_no_points() -> None:
    memory = read_metrics(sample_text("prometheus_memory_matrix.json")).series[0]

    assert memory.times[0] == datetime(2024, 3, 12, 10, 0, tzinfo=UTC)
    assert len(memory.values) == 58
    gap = (memory.times[41] - memory.times[40]).total_seconds()
    assert gap == 90


def test_one_line_vector_reads_nan_and_inf_and_cites_line_one() -> None:
    metrics = read_metrics(sample_text("prometheus_error_rate_vector.json"))

    assert [series.name for series in metrics.series] == [
        '{service="checkout"}',
        '{service="payments"}',
        '{service="search"}',
        'up{instance="db-1.internal:9187", job="postgres-exporter-db"}',
    ]
    assert [series.component for series in metrics.series] == [
        "checkout",
        "payments",
        "search",
        "postgres-exporter-db",
    ]
    assert metrics.series[0].values == [pytest.approx(4.533333333333333)]
    assert math.isnan(metrics.series[2].values[0])
    assert metrics.series[3].values == [math.inf]
    assert all(series.lines == [1] for series in metrics.series)
    assert metrics.series[0].times == [datetime(2024, 3, 12, 10, 10, 0, 781000, tzinfo=UTC)]


def test_scalar_result_is_one_series_named_scalar() -> None:
    metrics = read_metrics(
        '{"status":"success","data":{"resultType":"scalar","result":[1710238200,"3"]}}'
    )

    assert [(series.name, series.values) for series in metrics.series] == [("scalar", [3.0])]


def test_bare_list_of_series_from_promtool_is_read() -> None:
    metrics = read_metrics(
        '[{"metric":{"__name__":"up","job":"api"},"values":[[1710238200,"1"],[1710238215,"0"]]}]'
    )

    assert metrics.series[0].values == [1.0, 0.0]
    assert metrics.series[0].component == "api"


def test_instance_host_names_the_component_when_nothing_else_does() -> None:
    metrics = read_metrics(
        '{"status":"success","data":{"resultType":"vector","result":['
        '{"metric":{"__name__":"node_load1","instance":"web-3.example.com:9100","job":"node"},'
        '"value":[1710238200,"0.5"]}]}}'
    )

    assert metrics.series[0].component == "web-3.example.com"


def test_prometheus_error_answer_is_a_domain_error_with_its_message() -> None:
    with pytest.raises(InvalidInputError, match="bad_data: invalid parameter"):
        read_metrics(
            '{"status":"error","errorType":"bad_data","error":"invalid parameter \\"query\\""}'
        )


def test_malformed_json_is_a_domain_error_naming_where() -> None:
    with pytest.raises(InvalidInputError, match="line 3 column"):
        read_metrics('{\n  "status": "success",\n  "data": {"resultType": "matrix", "result": [}\n')


@pytest.mark.parametrize(
    "text",
    [
        '{"status":"success","data":{"resultType":"string","result":[1710238200,"hello"]}}',
        '{"status":"success","data":{"resultType":"matrix","result":[]}}',
        '{"status":"success","data":{"resultType":"matrix","result":'
        '[{"metric":{},"values":[[1710238200,"fast"]]}]}}',
        '{"status":"success","data":{"resultType":"matrix","result":'
        '[{"metric":{},"values":[[1e300,"1"]]}]}}',
        '{"kind":"Pod","apiVersion":"v1"}',
    ],
)
def test_json_that_holds_no_usable_samples_is_refused(text: str) -> None:
    with pytest.raises(InvalidInputError):
        read_metrics(text)


def test_prometheus_results_are_recognised_and_other_json_is_not() -> None:
    assert is_metrics_text(sample_text("prometheus_memory_matrix.json"))
    assert is_metrics_text(sample_text("prometheus_error_rate_vector.json"))
    assert not is_metrics_text('{"kind":"Pod","apiVersion":"v1","metadata":{"name":"x"}}')
