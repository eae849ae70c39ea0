import pytest

from faultmaven.domain.workloads import workload_name
from faultmaven.metrics.components import (
    component_of_column,
    component_of_labels,
    parse_series_name,
    promql_name,
)


def test_series_are_printed_as_promql_does_with_sorted_labels_and_escaped_values() -> None:
    labels = {"__name__": "http_requests_total", "path": 'a"b\\c', "code": "500"}

    assert promql_name(labels) == 'http_requests_total{code="500", path="a\\"b\\\\c"}'
    assert promql_name({"__name__": "up"}) == "up"
    assert promql_name({}) == "{}"
    assert parse_series_name(promql_name(labels)) == labels


@pytest.mark.parametrize(
    ("pod", "workload"),
    [
        ("checkout-7d9f8c6b5d-x2k4q", "checkout"),
        ("node-exporter-x2k4q", "node-exporter"),
        ("postgres-0", "postgres"),
        ("checkout", "checkout"),
    ],
)
def test_pod_names_lose_their_generated_suffix(pod: str, workload: str) -> None:
    assert workload_name(pod) == workload


@pytest.mark.parametrize(
    ("labels", "component"),
    [
        ({"service": "checkout", "app": "shop", "job": "api"}, "checkout"),
        ({"app": "cart", "job": "kubernetes-pods", "pod": "x-7d9f8c6b5d-x2k4q"}, "cart"),
        ({"job": "kubelet", "container": "checkout", "pod": "x"}, "checkout"),
        ({"job": "kubernetes-pods", "pod": "payments-7d9f8c6b5d-x2k4q"}, "payments"),
        ({"job": "node", "instance": "10.0.0.5:9100"}, "10.0.0.5"),
        ({"instance": "[2001:db8::1]:9100"}, "2001:db8::1"),
        ({"container": "POD", "instance": "db-1:9187"}, "db-1"),
        (
            {"node": "ip-10-12-7-91.ec2.internal", "instance": "10.12.7.91:9100"},
            "ip-10-12-7-91.ec2.internal",
        ),
        ({"pod": "cart-7f8d6c5b9-pz4lw", "node": "worker-3"}, "cart"),
        ({"__name__": "up"}, None),
    ],
)
def test_component_comes_from_the_most_specific_label(
    labels: dict[str, str], component: str | None
) -> None:
    assert component_of_labels(labels) == component


@pytest.mark.parametrize(
    ("column", "component"),
    [
        ("checkout_p99_latency_ms", "checkout"),
        ("db.connections", "db"),
        ("api-gateway p99", "api-gateway"),
        ("payments-7d9f8c6b5d-x2k4q cpu", "payments"),
        ('{service="search"}', "search"),
        ("p99_latency", None),
        ("Value", None),
        ("node_memory_MemAvailable_bytes", None),
        ("5xx rate", None),
        ("tcp_retransmits_per_s", None),
        ("open_fds", None),
        ("gc_pause_ms", None),
        ("diskio", None),
        ("workload", None),
        ("pct_iowait", None),
        ("pgscan_direct_per_s", None),
        ("paymentservice_latency-90", "paymentservice"),
        ("ts-seat-service_cpu", "ts-seat-service"),
    ],
)
def test_csv_column_names_give_their_leading_service_token(
    column: str, component: str | None
) -> None:
    assert component_of_column(column) == component
