"""The log engine through the API: what is abnormal, cited, and in the diagnosis timeline."""

from datetime import UTC, datetime, timedelta

import httpx

from tests_support import upload_evidence

START = datetime(2024, 5, 1, 10, 0, tzinfo=UTC)


def _incident_log() -> tuple[str, int]:
    """Two hours of healthy requests; at 11:30 the cache disk fills and errors begin."""
    lines = []
    onset_line = 0
    for minute in range(120):
        at = START + timedelta(minutes=minute)
        for second in range(0, 60, 6):
            stamp = (at + timedelta(seconds=second)).strftime("%Y-%m-%dT%H:%M:%SZ")
            lines.append(f"{stamp} INFO served GET /cart/{minute * 60 + second} in {second + 3} ms")
        if minute >= 90:
            stamp = at.strftime("%Y-%m-%dT%H:%M:%SZ")
            lines.append(
                f"{stamp} ERROR cache write failed: No space left on device (file {minute})"
            )
            onset_line = onset_line or len(lines)
    return "\n".join(lines) + "\n", onset_line


def test_report_ranks_the_new_error_and_cites_its_first_line(
    client: httpx.Client, case_id: str
) -> None:
    text, onset_line = _incident_log()
    evidence_id = str(upload_evidence(client, case_id, "cart.log", text.encode())["id"])
    report = client.get(f"/v1/cases/{case_id}/logs/report").json()
    assert report["events"] == len(text.splitlines())
    assert report["templates"] == 2
    new = [item for item in report["abnormal"] if item["kind"] == "new_template"]
    assert len(new) == 1
    assert new[0]["templates"] == ["cache write failed: No space left on device (file <*>)"]
    citation = new[0]["citations"][0]
    assert citation["evidence_id"] == evidence_id and citation["line_start"] == onset_line
    line = client.get(
        f"/v1/cases/{case_id}/evidence/{evidence_id}/lines",
        params={"start": onset_line, "end": onset_line},
    ).json()["lines"][0]
    assert line["text"] == citation["text"]
    assert new[0]["start"].startswith("2024-05-01T11:30")
    assert "No space left on device" in report["summary"]


def test_report_summary_respects_the_token_budget(client: httpx.Client, case_id: str) -> None:
    text, _ = _incident_log()
    upload_evidence(client, case_id, "cart.log", text.encode())
    small = client.get(f"/v1/cases/{case_id}/logs/report", params={"budget": 200}).json()
    assert len(small["summary"].split()) <= 200
    assert client.get(f"/v1/cases/{case_id}/logs/report", params={"budget": 10}).status_code == 422


def test_diagnosis_timeline_shows_when_the_abnormal_began(
    client: httpx.Client, case_id: str
) -> None:
    text, onset_line = _incident_log()
    upload_evidence(client, case_id, "cart.log", text.encode())
    diagnosis = client.post(
        f"/v1/cases/{case_id}/messages", json={"content": "when did it start?"}
    ).json()["diagnosis"]
    assert diagnosis["intent"] == "when_started"
    assert diagnosis["hypotheses"][0]["category"] == "disk"
    cited_lines = [
        entry["citation"]["line_start"] for entry in diagnosis["timeline"] if entry["citation"]
    ]
    assert onset_line in cited_lines
    times = [entry["time"] for entry in diagnosis["timeline"] if entry["time"]]
    assert times == sorted(times)


def test_report_of_another_tenants_case_is_not_found(
    client: httpx.Client,
    case_id: str,
    client_for,
    new_key,  # type: ignore[no-untyped-def]
) -> None:
    assert client_for(new_key()).get(f"/v1/cases/{case_id}/logs/report").status_code == 404
