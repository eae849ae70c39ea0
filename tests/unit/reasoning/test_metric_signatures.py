"""Metric moves as causes: which series moving which way is harm, and where it ranks."""

from datetime import UTC, datetime, timedelta

import pytest

from faultmaven.domain.diagnosis import Category
from faultmaven.domain.evidence import AnalysedLine, EvidenceKind, EvidenceSummary, Level
from faultmaven.reasoning import SIGNATURES_BY_ID, match_signature, reason
from faultmaven.reasoning.metric_signatures import METRIC_SIGNATURES_BY_ID, metric_signature

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
        ("latency_p99_ms", True, "metric_latency"),
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
