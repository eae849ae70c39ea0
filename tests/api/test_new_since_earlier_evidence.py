"""Templates new since earlier evidence of the same service, through the API."""

from datetime import UTC, datetime, timedelta

import httpx

from tests_support import upload_evidence

START = datetime(2024, 5, 1, 10, 0, tzinfo=UTC)


def _stamp(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%SZ")


def _cart_log(start: datetime, minutes: int, failing: bool) -> tuple[str, list[int]]:
    """Cart requests each 6 s; when failing, disk errors from the first minute on."""
    lines: list[str] = []
    error_lines: list[int] = []
    for minute in range(minutes):
        at = start + timedelta(minutes=minute)
        for second in range(0, 60, 6):
            moment = _stamp(at + timedelta(seconds=second))
            lines.append(f"{moment} INFO served GET /cart/{minute * 60 + second} in {second} ms")
        lines.append(f"{_stamp(at)} INFO cache hit ratio {minute % 7}.{minute % 10}")
        if failing:
            lines.append(f"{_stamp(at)} ERROR cache write failed: disk quota exceeded ({minute})")
            error_lines.append(len(lines))
            lines.append(f"{_stamp(at)} WARN retrying write to shard {minute % 4} in 5 s")
            error_lines.append(len(lines))
    return "\n".join(lines) + "\n", error_lines


def _billing_log(start: datetime, minutes: int) -> str:
    lines = []
    for minute in range(minutes):
        at = _stamp(start + timedelta(minutes=minute))
        lines.append(f"{at} INFO charged invoice inv-{minute} amount {minute * 3}.50 EUR")
        lines.append(f"{at} INFO refund queue depth {minute % 5} pending")
        lines.append(f"{at} DEBUG ledger sync token t{minute:04d} committed")
    return "\n".join(lines) + "\n"


def _new_items(client: httpx.Client, case_id: str) -> list[dict[str, object]]:
    report = client.get(f"/v1/cases/{case_id}/logs/report").json()
    return [item for item in report["abnormal"] if item["kind"] == "new_template"]


def test_error_templates_of_a_failing_log_are_new_since_the_healthy_log_of_its_service(
    client: httpx.Client, case_id: str
) -> None:
    healthy, _ = _cart_log(START, 60, failing=False)
    failing, error_lines = _cart_log(START + timedelta(hours=1), 10, failing=True)
    upload_evidence(client, case_id, "cart-healthy.log", healthy.encode())
    failing_id = str(upload_evidence(client, case_id, "cart-failing.log", failing.encode())["id"])
    new = _new_items(client, case_id)
    assert sorted(str(item["templates"]) for item in new) == [
        "['cache write failed: disk quota exceeded (<*>)']",
        "['retrying write to shard <*> in <*> s']",
    ]
    for item in new:
        assert "absent from cart-healthy.log" in str(item["description"])
        [citation] = item["citations"]  # type: ignore[misc]
        assert citation["evidence_id"] == failing_id
        assert citation["line_start"] in error_lines[:2]
        line = client.get(
            f"/v1/cases/{case_id}/evidence/{failing_id}/lines",
            params={"start": citation["line_start"], "end": citation["line_start"]},
        ).json()["lines"][0]
        assert line["text"] == citation["text"]


def test_logs_of_an_unrelated_service_are_not_new_since_the_first(
    client: httpx.Client, case_id: str
) -> None:
    healthy, _ = _cart_log(START, 60, failing=False)
    upload_evidence(client, case_id, "cart.log", healthy.encode())
    upload_evidence(
        client, case_id, "billing.log", _billing_log(START + timedelta(hours=1), 30).encode()
    )
    new = _new_items(client, case_id)
    assert not any("absent from" in str(item["description"]) for item in new)
