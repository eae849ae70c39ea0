"""Metric moves as causes: which series moving which way is harm, and where it ranks."""

from datetime import UTC, datetime, timedelta

import pytest

from faultmaven.domain.diagnosis import Category
from faultmaven.domain.evidence import AnalysedLine, EvidenceKind, EvidenceSummary, Level
from faultmaven.reasoning import SIGNATURES_BY_ID, match_signature, reason
from faultmaven.reasoning.metric_signatures import (
    METRIC_SIGNATURES_BY_ID,
    metric_signature,
    move_strength,
)

START = datetime(2025, 6, 3, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("series", "went_up", "signature"),
    [
        ("cpu_usage_percent", True, "metric_cpu"),
        ("container_memory_working_set_bytes", True, "metric_memory"),
        ("node_memory_MemAvailable_bytes", False, "metric_memory"),
        ("node_filesystem_avail_bytes", False, "metric_disk"),
        ("disk_used_percent", True, "metric_disk"),
        ("process_open_fds", True, "metric_file_descriptors"),
        ("tcp_retransmits_per_s", True, "metric_packet_loss"),
        ("hikaricp_connections_active", True, "metric_connections"),
        ("ts-travel-service_socket", True, "metric_sockets"),
        ("socket_connections_open", True, "metric_connections"),
        ('node_nf_conntrack_entries{node="worker-3"}', True, "metric_sockets"),
        ("latency_p99_ms", True, "metric_latency"),
        ("diskio", True, "metric_disk_io"),
        ("node_disk_io_time_seconds", True, "metric_disk_io"),
        ("cpu_usage_percent", False, None),
        ("node_filesystem_avail_bytes", True, None),
        ("requests_per_s", True, None),
        ("error_rate_percent", True, None),
    ],
)
def test_a_series_moving_the_harmful_way_has_a_signature(
    series: str, went_up: bool, signature: str | None
) -> None:
    assert metric_signature(series, went_up) == signature


def _summary(name: str, kind: EvidenceKind) -> EvidenceSummary:
    return EvidenceSummary(
        evidence_id=f"ev-{name}",
        evidence_name=name,
        kind=kind,
        line_count=120,
        problem_line_count=40,
        first_time=START,
        last_time=START + timedelta(hours=1),
        group_counts={},
    )


def test_the_first_resource_to_saturate_leads_and_the_callers_timeouts_follow_it() -> None:
    cpu = AnalysedLine(
        evidence_id="ev-catalog.csv",
        evidence_name="metrics/catalog.csv",
        n=46,
        text="2025-06-03T10:22:00Z,99.2,38.0,418.0",
        time=START + timedelta(minutes=22),
        level=Level.WARN,
        group="metric cpu_usage_percent",
        signature="metric_cpu",
        component="catalog",
    )
    timeout = "rpc error: code = DeadlineExceeded desc = context deadline exceeded"
    callers = [
        AnalysedLine(
            evidence_id="ev-frontend.log",
            evidence_name="frontend.log",
            n=800 + i,
            text=f"10:22:{10 + i} ERROR could not retrieve product: {timeout}",
            time=START + timedelta(minutes=22, seconds=10 + i),
            level=Level.ERROR,
            group="could not retrieve product: <*>",
            signature=match_signature(timeout),
        )
        for i in range(40)
    ]
    draft = reason(
        [cpu, *callers],
        [
            _summary("metrics/catalog.csv", EvidenceKind.METRICS),
            _summary("frontend.log", EvidenceKind.LOG),
        ],
        signatures={**SIGNATURES_BY_ID, **METRIC_SIGNATURES_BY_ID},
    )
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.CPU, "catalog")
    assert top.citations[0].evidence_name == "metrics/catalog.csv"
    frontend = next(h for h in draft.hypotheses if h.component == "frontend")
    assert "consequence" in frontend.reasoning


@pytest.mark.parametrize(
    ("before", "after", "strength"),
    [(10.0, 20.0, 0.693), (20.0, 10.0, 0.693), (0.0, 5.0, 10.0), (0.0, 0.0, 0.0), (1.0, 1.0, 0.0)],
)
def test_move_strength_is_the_log_ratio_either_way(
    before: float, after: float, strength: float
) -> None:
    assert move_strength(before, after) == pytest.approx(strength, abs=1e-3)


def _move(
    service: str, series: str, signature: str, minute: float, strength: float
) -> AnalysedLine:
    return AnalysedLine(
        evidence_id=f"ev-{service}.csv",
        evidence_name=f"metrics/{service}.csv",
        n=int(minute * 4) + 2,
        text=f"sample of {series}",
        time=START + timedelta(minutes=minute),
        level=Level.WARN,
        group=f"metric {series}",
        signature=signature,
        component=service,
        strength=strength,
    )


def _reason_over_moves(moves: list[AnalysedLine]) -> list[tuple[Category, str | None]]:
    evidence = [_summary(line.evidence_name, EvidenceKind.METRICS) for line in moves]
    draft = reason(moves, evidence, signatures={**SIGNATURES_BY_ID, **METRIC_SIGNATURES_BY_ID})
    return [(h.category, h.component) for h in draft.hypotheses]


def test_the_service_whose_latency_multiplied_first_and_most_outranks_a_callers_cpu() -> None:
    ranked = _reason_over_moves(
        [
            _move("catalogue", "latency-90", "metric_latency", 26.25, 4.9),
            _move("front-end", "latency-90", "metric_latency", 26.4, 3.3),
            _move("front-end", "cpu", "metric_cpu", 26.5, 0.55),
        ]
    )
    assert ranked[0] == (Category.NETWORK, "catalogue")
    assert (Category.CPU, "front-end") in ranked[1:]


def test_within_the_first_service_a_resource_move_explains_its_own_latency() -> None:
    ranked = _reason_over_moves(
        [
            _move("ts-seat-service", "cpu", "metric_cpu", 10.0, 1.2),
            _move("ts-seat-service", "latency", "metric_latency", 10.25, 2.3),
            _move("ts-travel-service", "latency", "metric_latency", 10.5, 1.5),
        ]
    )
    assert ranked[0] == (Category.CPU, "ts-seat-service")


def test_a_resource_move_its_own_service_felt_outranks_an_earlier_one_nobody_felt() -> None:
    ranked = _reason_over_moves(
        [
            _move("recommendationservice", "mem", "metric_memory", 4.0, 0.66),
            _move("currencyservice", "cpu", "metric_cpu", 7.2, 1.6),
            _move("currencyservice", "latency-90", "metric_latency", 7.25, 2.9),
        ]
    )
    assert ranked[0] == (Category.CPU, "currencyservice")
    assert ranked[1] == (Category.MEMORY, "recommendationservice")


def test_the_strongest_resource_move_of_the_service_is_its_cause() -> None:
    ranked = _reason_over_moves(
        [
            _move("orders", "cpu", "metric_cpu", 21.5, 0.3),
            _move("orders", "diskio", "metric_disk_io", 21.5, 7.8),
        ]
    )
    assert ranked[0] == (Category.DISK, "orders")


def test_a_slow_service_and_its_callers_timeouts_are_one_hypothesis_citing_both() -> None:
    latency = _move("catalogue", "latency-90", "metric_latency", 26.25, 4.9)
    timeout = "GET http://catalogue/catalogue failed: Error: connect ETIMEDOUT 10.0.3.7:80"
    callers = [
        AnalysedLine(
            evidence_id="ev-front-end.log",
            evidence_name="front-end.log",
            n=100 + i,
            text=timeout,
            time=START + timedelta(minutes=26, seconds=30 + i),
            level=Level.ERROR,
            group="GET <*> failed: Error: connect ETIMEDOUT <*>",
            signature=match_signature(timeout),
        )
        for i in range(20)
    ]
    assert callers[0].signature is not None
    evidence = [
        _summary("metrics/catalogue.csv", EvidenceKind.METRICS),
        _summary("front-end.log", EvidenceKind.LOG),
    ]
    draft = reason(
        [latency, *callers], evidence, signatures={**SIGNATURES_BY_ID, **METRIC_SIGNATURES_BY_ID}
    )
    at_catalogue = [h for h in draft.hypotheses if h.component == "catalogue"]
    assert len(at_catalogue) == 1
    cited = {c.evidence_name for c in at_catalogue[0].citations}
    assert cited == {"metrics/catalogue.csv", "front-end.log"}


def test_a_services_log_names_the_failure_its_series_only_measured() -> None:
    sockets = _move("shipping", "socket", "metric_sockets", 14.6, 6.5)
    text = "Failed to create connection to rabbitmq:5672: Cannot assign requested address"
    logged = AnalysedLine(
        evidence_id="ev-shipping.log",
        evidence_name="shipping.log",
        n=825,
        text=text,
        time=START + timedelta(minutes=16, seconds=18),
        level=Level.WARN,
        group=text,
        signature=match_signature(text),
        component="shipping",
    )
    assert logged.signature == "local_ports_exhausted"
    evidence = [
        _summary("metrics/shipping.csv", EvidenceKind.METRICS),
        _summary("shipping.log", EvidenceKind.LOG),
    ]
    signatures = {**SIGNATURES_BY_ID, **METRIC_SIGNATURES_BY_ID}
    [top] = reason([sockets, logged], evidence, signatures=signatures).hypotheses
    assert (top.category, top.component) == (Category.NETWORK, "shipping")
    assert {c.evidence_name for c in top.citations} == {"shipping.log", "metrics/shipping.csv"}


def test_memory_growing_with_cpu_in_one_service_is_the_memory_hog() -> None:
    ranked = _reason_over_moves(
        [
            _move("ts-seat-service", "cpu", "metric_cpu", 43.3, 1.5),
            _move("ts-seat-service", "mem", "metric_memory", 43.35, 1.1),
            _move("ts-seat-service", "latency-90", "metric_latency", 44.6, 4.5),
        ]
    )
    assert ranked[0] == (Category.MEMORY, "ts-seat-service")


def test_the_first_strongest_service_leads_however_many_series_its_callers_moved() -> None:
    ranked = _reason_over_moves(
        [
            _move("productcatalogservice", "latency-90", "metric_latency", 24.4, 3.2),
            _move("recommendationservice", "latency-90", "metric_latency", 24.5, 2.7),
            _move("recommendationservice", "latency-50", "metric_latency", 24.5, 1.6),
            _move("recommendationservice", "cpu", "metric_cpu", 24.5, 1.1),
        ]
    )
    assert ranked[0] == (Category.NETWORK, "productcatalogservice")


def _early_small_then_strong(question: str | None) -> list[tuple[Category, str | None]]:
    moves = [
        _move("ts-ui-dashboard", "cpu", "metric_cpu", 30, 0.7),
        _move("ts-config-service", "cpu", "metric_cpu", 40.1, 3.7),
        _move("ts-config-service", "latency-90", "metric_latency", 40.2, 4.2),
        _move("ts-ui-dashboard", "latency-90", "metric_latency", 40.3, 3.9),
    ]
    evidence = [_summary(line.evidence_name, EvidenceKind.METRICS) for line in moves]
    signatures = {**SIGNATURES_BY_ID, **METRIC_SIGNATURES_BY_ID}
    draft = reason(moves, evidence, question, signatures=signatures)
    return [(h.category, h.component) for h in draft.hypotheses]


def test_a_small_early_move_gives_way_to_a_far_stronger_one_at_the_stated_onset() -> None:
    assert _early_small_then_strong(None)[0] == (Category.CPU, "ts-ui-dashboard")
    stated = _early_small_then_strong("Searching got slow from about 10:40 UTC. Which service?")
    assert stated[0] == (Category.CPU, "ts-config-service")
