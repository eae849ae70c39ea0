"""Logs without zones are read in the case's local time for reasoning; stored times stay UTC."""

from typing import Any

import httpx

from tests_support import ask_diagnosis, upload_evidence


def _zone_free_log() -> str:
    """A worker's log in its host's local time, with no zone: ordinary lines, then refusals."""
    lines = [
        f"2026-11-25 09:{n // 60:02d}:{n % 60:02d},000 INFO request {n} served" for n in range(300)
    ]
    lines += [
        f"2026-11-25 09:05:{n:02d},000 ERROR connect to db-1:5432 failed: Connection refused"
        for n in range(10)
    ]
    return "\n".join(lines) + "\n"


def _cause_time(diagnosis: dict[str, Any]) -> str:
    causes = [entry for entry in diagnosis["timeline"] if entry["time"] is not None]
    assert causes, diagnosis["timeline"]
    return str(min(entry["time"] for entry in causes))


def test_a_zone_free_log_is_read_in_the_zone_the_question_names_but_stored_as_utc(
    client: httpx.Client, case_id: str
) -> None:
    upload_evidence(client, case_id, "worker.log", _zone_free_log().encode())
    diagnosis = ask_diagnosis(client, case_id, "Why do jobs fail since 09:05 JST?")
    assert _cause_time(diagnosis).startswith("2026-11-25T00:0")
    report = client.get(f"/v1/cases/{case_id}/logs/report").json()
    starts = [item["start"] for item in report["abnormal"] if item["start"]]
    assert starts and all(start.startswith("2026-11-25T09:0") for start in starts)


def test_without_a_named_zone_a_zone_free_log_stays_utc(client: httpx.Client, case_id: str) -> None:
    upload_evidence(client, case_id, "worker.log", _zone_free_log().encode())
    diagnosis = ask_diagnosis(client, case_id, "Why do jobs fail since 09:05?")
    assert _cause_time(diagnosis).startswith("2026-11-25T09:0")
