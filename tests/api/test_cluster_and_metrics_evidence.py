"""Kubernetes and metrics evidence reach the diagnosis: hypotheses, citations, timeline."""

from datetime import datetime, timedelta
from pathlib import Path

import httpx

SAMPLES = Path(__file__).parents[1] / "unit"
OOM_DESCRIBE = SAMPLES / "integrations" / "kubernetes" / "samples" / "describe-pod-oomkilled.txt"
GRAFANA_CSV = SAMPLES / "metrics" / "samples" / "grafana_latency.csv"


def _upload(client: httpx.Client, case_id: str, path: Path) -> dict[str, object]:
    response = client.post(
        f"/v1/cases/{case_id}/evidence", files={"file": (path.name, path.read_bytes())}
    )
    assert response.status_code == 201, response.text
    evidence: dict[str, object] = response.json()
    return evidence


def _ask(client: httpx.Client, case_id: str, question: str) -> dict[str, object]:
    answer = client.post(f"/v1/cases/{case_id}/messages", json={"content": question})
    assert answer.status_code == 200, answer.text
    diagnosis: dict[str, object] = answer.json()["diagnosis"]
    return diagnosis


def test_kubectl_describe_of_an_oom_killed_pod_names_memory_in_its_workload(
    client: httpx.Client, case_id: str
) -> None:
    evidence = _upload(client, case_id, OOM_DESCRIBE)
    assert evidence["kind"] == "kubernetes"
    diagnosis = _ask(client, case_id, "why does checkout keep restarting?")
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
    evidence = _upload(client, case_id, GRAFANA_CSV)
    assert evidence["kind"] == "metrics"
    diagnosis = _ask(client, case_id, "what changed?")
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
        diagnosis = _ask(client, case_id, "what changed?")
        timeline = diagnosis["timeline"]
        change_times.append(
            [datetime.fromisoformat(e["time"]) for e in timeline if e["kind"] == "change"]  # type: ignore[attr-defined]
        )
    as_utc, as_berlin = change_times
    assert as_utc and len(as_utc) == len(as_berlin)
    assert all(
        utc - berlin == timedelta(hours=1) for utc, berlin in zip(as_utc, as_berlin, strict=True)
    )
