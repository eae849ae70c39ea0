"""A team's history of templates: an error every earlier case had is chronic, not the cause."""

from collections.abc import Callable

import httpx

CHRONIC = "2024-05-01T10:{m:02d}:{s:02d}Z ERROR billing export retried: remote closed connection"


def _log(with_cause: bool) -> str:
    lines = [
        f"2024-05-01T10:{n // 60:02d}:{n % 60:02d}Z INFO served request {n} in {n % 90} ms"
        for n in range(0, 1800, 3)
    ]
    lines += [CHRONIC.format(m=m, s=7) for m in range(30)]
    if with_cause:
        lines.append("2024-05-01T10:20:00Z ERROR invoice worker crashed: KeyError 'currency'")
    return "\n".join(sorted(lines))


def _case_with(client: httpx.Client, title: str, text: str) -> str:
    case_id = str(client.post("/v1/cases", json={"title": title}).json()["id"])
    response = client.post(
        f"/v1/cases/{case_id}/evidence", files={"file": ("billing.log", text.encode())}
    )
    assert response.status_code == 201, response.text
    return case_id


def test_error_seen_in_earlier_cases_ranks_below_the_new_one(client: httpx.Client) -> None:
    for number in range(2):
        _case_with(client, f"earlier incident {number}", _log(with_cause=False))
    case_id = _case_with(client, "billing is failing", _log(with_cause=True))
    answer = client.post(f"/v1/cases/{case_id}/messages", json={"content": "why?"})
    assert answer.status_code == 200, answer.text
    hypotheses = answer.json()["diagnosis"]["hypotheses"]
    assert "KeyError" in hypotheses[0]["title"] or "KeyError" in hypotheses[0]["statement"]
    chronic = next(h for h in hypotheses if "retried" in h["title"])
    assert "appeared in 2 earlier case(s)" in chronic["reasoning"]


def test_another_tenants_cases_do_not_count_as_history(
    client: httpx.Client,
    client_for: Callable[[str | None], httpx.Client],
    new_key: Callable[[], str],
) -> None:
    stranger = client_for(new_key())
    for number in range(2):
        _case_with(stranger, f"their incident {number}", _log(with_cause=False))
    case_id = _case_with(client, "billing is failing", _log(with_cause=True))
    answer = client.post(f"/v1/cases/{case_id}/messages", json={"content": "why?"})
    hypotheses = answer.json()["diagnosis"]["hypotheses"]
    assert all("earlier case" not in h["reasoning"] for h in hypotheses)
