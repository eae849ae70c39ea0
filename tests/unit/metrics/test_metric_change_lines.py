"""Which metric moves reach the reasoner as lines: material ones only."""

import math
from datetime import UTC, datetime

from faultmaven.domain.evidence import Evidence, EvidenceKind, EvidenceStatus
from faultmaven.metrics import detect_all, read_metrics
from faultmaven.reasoning.metric_signatures import MIN_MOVE_STRENGTH
from faultmaven.services.evidence_findings import MetricsEvidence
from faultmaven.services.metric_lines import metric_change_lines


def _series_csv(cpu_after: float) -> str:
    """Ten minutes of 10 s samples: CPU near 0.087 cores, then `cpu_after` for the rest."""
    rows = ["time,orders_cpu"]
    for step in range(60):
        wobble = 0.004 * math.sin(step)
        level = 0.087 if step < 30 else cpu_after
        rows.append(f"{1725333000 + 10 * step},{level + wobble:.4f}")
    return "\n".join(rows)


def _lines_for(text: str) -> list[str]:
    item = Evidence(
        id="ev-1", name="metrics.csv", kind=EvidenceKind.METRICS, status=EvidenceStatus.READY,
        size_bytes=len(text), line_count=text.count("\n") + 1, decode_errors=0, error=None,
        created_at=datetime(2024, 9, 3, tzinfo=UTC),
    )  # fmt: skip
    read = MetricsEvidence(item, text.split("\n"), detect_all(read_metrics(text)))
    return [line.signature or "" for line in metric_change_lines([read])]


def test_a_cpu_step_that_multiplies_use_reaches_the_reasoner() -> None:
    assert _lines_for(_series_csv(0.35)) == ["metric_cpu"]


def test_a_small_drift_is_no_cause_even_when_sustained() -> None:
    assert math.log(0.10 / 0.087) < MIN_MOVE_STRENGTH
    assert _lines_for(_series_csv(0.10)) == []


def test_a_climb_back_to_the_level_before_a_dip_is_a_recovery_not_a_step() -> None:
    rows = ["time,seat_cpu"]
    for step in range(90):
        wobble = 0.004 * math.sin(step)
        level = 0.003 if 30 <= step < 36 else 0.17  # a restart: a minute near zero
        rows.append(f"{1725333000 + 10 * step},{level + wobble:.4f}")
    assert "metric_cpu" not in _lines_for("\n".join(rows))


def _conntrack_csv(limit: int) -> str:
    """A node's conntrack entries doubling from 30,000 to 62,000 beside a constant limit."""
    name = 'node_nf_conntrack_entries{node="worker-3"}'
    rows = [f"time,{name},{name[:25]}_limit{name[25:]}"]
    for step in range(60):
        used = (30000 if step < 30 else 62000) + 300 * math.sin(step)
        rows.append(f"{1725333000 + 10 * step},{used:.0f},{limit}")
    return "\n".join(rows)


def test_a_climb_to_its_own_limit_reaches_the_reasoner() -> None:
    assert _lines_for(_conntrack_csv(65536)) == ["metric_sockets"]


def test_a_climb_far_below_its_own_limit_is_no_exhaustion() -> None:
    assert _lines_for(_conntrack_csv(262144)) == []


def _burst_csv(latency_from: int) -> str:
    """A one-minute CPU burst in ads at step 20; checkout's latency steps up at `latency_from`."""
    rows = ["time,ads_cpu,checkout_latency"]
    for step in range(90):
        wobble = 0.004 * math.sin(step)
        cpu = 0.45 if 20 <= step < 26 else 0.09
        latency = 0.9 if step >= latency_from else 0.12
        rows.append(f"{1725333000 + 10 * step},{cpu + wobble:.4f},{latency + wobble:.4f}")
    return "\n".join(rows)


def test_a_burst_over_before_anything_else_moved_is_no_cause_one_during_a_move_is() -> None:
    assert _lines_for(_burst_csv(latency_from=50)) == ["metric_latency"]
    assert sorted(_lines_for(_burst_csv(latency_from=22))) == ["metric_cpu", "metric_latency"]


def test_a_move_in_pretty_printed_prometheus_json_cites_its_first_samples_value() -> None:
    """Each sample spans four lines (`[`, time, value, `],`): the value's line is cited."""
    samples = []
    for step in range(60):
        level = 0.087 if step < 30 else 0.35
        samples.append(
            f"          [\n            {1725333000 + 10 * step}.0,\n"
            f'            "{level + 0.004 * math.sin(step):.4f}"\n          ]'
        )
    text = (
        '{\n  "status": "success",\n  "data": {\n    "resultType": "matrix",\n'
        '    "result": [\n      {\n        "metric": {"__name__": "orders_cpu"},\n'
        '        "values": [\n' + ",\n".join(samples) + "\n        ]\n      }\n    ]\n  }\n}"
    )
    item = Evidence(
        id="ev-1", name="query.json", kind=EvidenceKind.METRICS, status=EvidenceStatus.READY,
        size_bytes=len(text), line_count=text.count("\n") + 1, decode_errors=0, error=None,
        created_at=datetime(2024, 9, 3, tzinfo=UTC),
    )  # fmt: skip
    lines = text.split("\n")
    read = MetricsEvidence(item, lines, detect_all(read_metrics(text)))
    (found,) = metric_change_lines([read])
    assert found.text.strip().strip('"').startswith("0.3")
    assert found.text == lines[found.n - 1]
