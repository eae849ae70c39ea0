"""Kubernetes and metrics evidence reach the diagnosis: hypotheses, citations, timeline."""

from datetime import datetime, timedelta
from pathlib import Path

import httpx

from tests_support import ask_diagnosis, upload_evidence

SAMPLES = Path(__file__).parents[1] / "unit"
OOM_DESCRIBE = SAMPLES / "integrations" / "kubernetes" / "samples" / "describe-pod-oomkilled.txt"
GRAFANA_CSV = SAMPLES / "metrics" / "samples" / "grafana_latency.csv"


def test_kubectl_describe_of_an_oom_killed_pod_names_memory_in_its_workload(
    client: httpx.Client, case_id: str
) -> None:
    evidence = upload_evidence(client, case_id, OOM_DESCRIBE.name, OOM_DESCRIBE.read_bytes())
    assert evidence["kind"] == "kubernetes"
    diagnosis = ask_diagnosis(client, case_id, "why does checkout keep restarting?")
    assert diagnosis["status"] == "diagnosed"
    top = diagnosis["hypotheses"][0]  # type: ignore[index]
    assert top["category"] == "memory" and top["component"] == "checkout"
    assert "OOMKilled" in top["title"]
    lines = OOM_DESCRIBE.read_text().splitlines()
    for citation in top["citations"]:
        assert citation["evidence_name"] == OOM_DESCRIBE.name
        cited = "\n".join(lines[citation["line_start"] - 1 : citation["line_end"]])
        assert citation["text"] == cited
    assert any("OOMKilled" in c["text"] for c in top["citations"])
    commands = [step["command"] for step in diagnosis["next_steps"]]  # type: ignore[attr-defined]
    assert "kubectl -n shop describe pod checkout-7d9f8c6b5d-x2k4q" in commands
    assert diagnosis["components"][0]["name"] == "checkout"  # type: ignore[index]


def test_grafana_export_puts_metric_changes_on_the_timeline_first_mover_first(
    client: httpx.Client, case_id: str
) -> None:
    evidence = upload_evidence(client, case_id, GRAFANA_CSV.name, GRAFANA_CSV.read_bytes())
    assert evidence["kind"] == "metrics"
    diagnosis = ask_diagnosis(client, case_id, "what changed?")
    changes = [e for e in diagnosis["timeline"] if e["kind"] == "change"]  # type: ignore[attr-defined]
    assert changes, diagnosis["timeline"]
    assert changes[0]["event"].startswith("db connections went up")
    assert changes[0]["citation"]["evidence_name"] == GRAFANA_CSV.name
    assert changes[0]["time"] < changes[-1]["time"] or len(changes) == 1
    components = [component["name"] for component in diagnosis["components"]]  # type: ignore[attr-defined]
    assert components and components[0] == "db"


def test_metric_times_without_a_zone_follow_the_uploads_timezone(
    client: httpx.Client,
) -> None:
    change_times = []
    for zone in (None, "Europe/Berlin"):
        case_id = client.post("/v1/cases", json={"title": f"latency, zone {zone}"}).json()["id"]
        response = client.post(
            f"/v1/cases/{case_id}/evidence",
            files={"file": (GRAFANA_CSV.name, GRAFANA_CSV.read_bytes())},
            data={"timezone": zone} if zone else {},
        )
        assert response.status_code == 201, response.text
        diagnosis = ask_diagnosis(client, case_id, "what changed?")
        timeline = diagnosis["timeline"]
        change_times.append(
            [datetime.fromisoformat(e["time"]) for e in timeline if e["kind"] == "change"]  # type: ignore[attr-defined]
        )
    as_utc, as_berlin = change_times
    assert as_utc and len(as_utc) == len(as_berlin)
    assert all(
        utc - berlin == timedelta(hours=1) for utc, berlin in zip(as_utc, as_berlin, strict=True)
    )


def _service_metrics(cpu_from_minute: int | None) -> str:
    """Half an hour of one service's samples every 30 s; CPU saturates from a minute if given."""
    start = datetime(2025, 6, 3, 10, 0)
    rows = ["timestamp,cpu_usage_percent,memory_usage_mb,latency_p99_ms,requests_per_s"]
    for sample in range(60):
        at = start + timedelta(seconds=30 * sample)
        hot = cpu_from_minute is not None and sample >= 2 * cpu_from_minute
        cpu = 99.0 + sample % 2 * 0.4 if hot else 14.0 + sample % 3 * 0.3
        latency = 2600.0 + sample % 4 * 30 if hot else 11.0 + sample % 3
        rows.append(f"{at:%Y-%m-%dT%H:%M:%SZ},{cpu:.1f},{38 + sample % 2},{latency:.1f},300")
    return "\n".join(rows) + "\n"


def _caller_log() -> str:
    start = datetime(2025, 6, 3, 10, 0)
    lines = []
    for second in range(0, 1800, 5):
        at = start + timedelta(seconds=second)
        if second >= 22 * 60 + 20:
            lines.append(
                f"{at:%Y-%m-%dT%H:%M:%S}.120Z ERROR frontend request failed: could not retrieve"
                " products: rpc error: code = DeadlineExceeded desc = context deadline exceeded"
            )
        else:
            lines.append(f"{at:%Y-%m-%dT%H:%M:%S}.120Z INFO frontend GET /product 200 12ms")
    return "\n".join(lines) + "\n"


def test_the_service_whose_cpu_saturated_first_is_the_cause_of_its_callers_deadlines(
    client: httpx.Client, case_id: str
) -> None:
    files = {
        "metrics/productcatalog.csv": _service_metrics(cpu_from_minute=22),
        "metrics/frontend.csv": _service_metrics(cpu_from_minute=None),
        "frontend.log": _caller_log(),
    }
    for name, text in files.items():
        response = client.post(
            f"/v1/cases/{case_id}/evidence", files={"file": (name, text.encode())}
        )
        assert response.status_code == 201, response.text
    diagnosis = ask_diagnosis(
        client, case_id, "p99 latency alert on frontend, which service is the cause?"
    )
    top = diagnosis["hypotheses"][0]  # type: ignore[index]
    assert (top["category"], top["component"]) == ("cpu", "productcatalog")
    assert top["citations"][0]["evidence_name"] == "productcatalog.csv"
    assert top["citations"][0]["text"].startswith("2025-06-03T10:2")
    frontend = [h for h in diagnosis["hypotheses"] if h["component"] == "frontend"]  # type: ignore[attr-defined]
    assert frontend and frontend[0]["rank"] > 1
