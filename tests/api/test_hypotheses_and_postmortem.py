"""Verdicts on hypotheses shape the next answer; closing a case yields a postmortem draft."""

from collections.abc import Callable

import httpx

from tests_support import ask_diagnosis

ORDERS_LOG = "\n".join(
    [
        "2024-05-01T10:00:00Z INFO orders request served path=/orders status=200",
        "2024-05-01T10:00:05Z ERROR orders writing spool file failed: [Errno 28] No space left"
        " on device",
        *[
            f"2024-05-01T10:01:{n:02d}Z ERROR orders upstream request failed: 504 Gateway Timeout"
            for n in range(30)
        ],
        "2024-05-01T10:02:00Z ERROR orders java.lang.OutOfMemoryError: Java heap space",
    ]
)


def add_text_evidence(client: httpx.Client, case_id: str, name: str, text: str) -> None:
    response = client.post(f"/v1/cases/{case_id}/evidence", files={"file": (name, text.encode())})
    assert response.status_code == 201, response.text


def _decide(client: httpx.Client, case_id: str, hypothesis_id: str, state: str) -> httpx.Response:
    return client.patch(
        f"/v1/cases/{case_id}/hypotheses/{hypothesis_id}",
        json={"state": state, "note": "checked by hand"},
    )


def test_refuted_hypothesis_never_leads_the_next_answer(client: httpx.Client, case_id: str) -> None:
    add_text_evidence(client, case_id, "orders.log", ORDERS_LOG)
    first = ask_diagnosis(client, case_id, "why are orders failing?")
    leading = first["hypotheses"][0]
    assert leading["state"] == "active"

    decided = _decide(client, case_id, leading["id"], "refuted")
    assert decided.status_code == 200, decided.text
    assert decided.json()["hypothesis"]["state"] == "refuted"
    assert decided.json()["decided_by_user"] is True

    second = ask_diagnosis(client, case_id, "what else could it be?")
    states = {h["id"]: h["state"] for h in second["hypotheses"]}
    assert second["hypotheses"][0]["id"] != leading["id"]
    assert states.get(leading["id"], "refuted") == "refuted"
    assert all(step["hypothesis_id"] != leading["id"] for step in second["next_steps"])
    assert "Ruled out by the engineer" in second["summary"] or leading["id"] not in states

    listed = client.get(f"/v1/cases/{case_id}/hypotheses").json()
    by_id = {item["hypothesis"]["id"]: item for item in listed}
    assert by_id[leading["id"]]["hypothesis"]["state"] == "refuted"
    assert by_id[leading["id"]]["note"] == "checked by hand"


def test_confirmed_hypothesis_leads_later_answers(client: httpx.Client, case_id: str) -> None:
    add_text_evidence(client, case_id, "orders.log", ORDERS_LOG)
    first = ask_diagnosis(client, case_id, "why are orders failing?")
    second_ranked = first["hypotheses"][1]
    assert _decide(client, case_id, second_ranked["id"], "confirmed").status_code == 200

    later = ask_diagnosis(client, case_id, "ok, what do I do now?")
    assert later["hypotheses"][0]["id"] == second_ranked["id"]
    assert later["hypotheses"][0]["state"] == "confirmed"
    assert later["summary"].startswith("Confirmed root cause:")


def test_verdict_on_unknown_hypothesis_or_other_tenants_case_is_not_found(
    client: httpx.Client,
    case_id: str,
    client_for: Callable[[str | None], httpx.Client],
    new_key: Callable[[], str],
) -> None:
    add_text_evidence(client, case_id, "orders.log", ORDERS_LOG)
    leading = ask_diagnosis(client, case_id, "why?")["hypotheses"][0]
    assert _decide(client, case_id, "no-such-hypothesis", "confirmed").status_code == 404
    stranger = client_for(new_key())
    assert _decide(stranger, case_id, leading["id"], "confirmed").status_code == 404
    assert stranger.get(f"/v1/cases/{case_id}/hypotheses").status_code == 404
    assert stranger.get(f"/v1/cases/{case_id}/postmortem").status_code == 404
    wrong = client.patch(
        f"/v1/cases/{case_id}/hypotheses/{leading['id']}", json={"state": "active"}
    )
    assert wrong.status_code == 422


def test_resolved_case_gives_a_postmortem_with_cause_evidence_and_timeline(
    client: httpx.Client, case_id: str
) -> None:
    add_text_evidence(client, case_id, "orders.log", ORDERS_LOG)
    leading = ask_diagnosis(client, case_id, "why are orders failing?")["hypotheses"][0]
    closed = client.post(
        f"/v1/cases/{case_id}/close",
        json={
            "root_cause": "The spool volume filled up.",
            "fix": "Grew the volume and rotated spool files.",
            "hypothesis_id": leading["id"],
        },
    )
    assert closed.status_code == 200, closed.text
    listed = client.get(f"/v1/cases/{case_id}/hypotheses").json()
    assert {item["hypothesis"]["id"]: item["hypothesis"]["state"] for item in listed}[
        leading["id"]
    ] == "confirmed"

    response = client.get(f"/v1/cases/{case_id}/postmortem")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/markdown")
    text = response.text
    for heading in (
        "## Summary",
        "## Impact window",
        "## Timeline",
        "## Root cause",
        "## Evidence",
        "## Remediation",
        "## Follow-ups",
    ):
        assert heading in text
    assert "The spool volume filled up." in text
    assert "Grew the volume and rotated spool files." in text
    assert "confirmed by the engineer" in text
    assert leading["citations"][0]["text"] in text
    assert "2024-05-01 10:00:05 UTC" in text


def test_postmortem_before_any_question_says_what_is_unknown(
    client: httpx.Client, case_id: str
) -> None:
    response = client.get(f"/v1/cases/{case_id}/postmortem")
    assert response.status_code == 200
    assert "No diagnosis has been made in this case yet." in response.text
    assert "Unknown: no timestamped event" in response.text


def test_follow_up_about_a_hypothesis_opens_with_where_it_stands(
    client: httpx.Client, case_id: str
) -> None:
    add_text_evidence(client, case_id, "orders.log", ORDERS_LOG)
    first = ask_diagnosis(client, case_id, "why are orders failing?")
    second_title = first["hypotheses"][1]["title"]
    follow_up = client.post(
        f"/v1/cases/{case_id}/messages", json={"content": "are you sure about hypothesis 2?"}
    )
    assert follow_up.status_code == 200, follow_up.text
    diagnosis = follow_up.json()["diagnosis"]
    assert diagnosis["intent"] == "follow_up"
    assert diagnosis["summary"].startswith(f"On “{second_title}”: it is now hypothesis")
