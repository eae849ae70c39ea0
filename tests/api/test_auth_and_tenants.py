"""Every /v1 route needs a valid key and never shows one tenant another's data."""

from collections.abc import Callable

import httpx
import pytest
from sqlalchemy import Engine

from faultmaven.services.apikeys import revoke_api_key

PROBLEM = "application/problem+json"


def _routes(case_id: str, evidence_id: str) -> list[tuple[str, str, dict[str, object]]]:
    case = f"/v1/cases/{case_id}"
    evidence = f"{case}/evidence/{evidence_id}"
    return [
        ("GET", case, {}),
        ("PATCH", case, {"json": {"title": "stolen"}}),
        ("POST", f"{case}/close", {"json": {"root_cause": "x", "fix": "y"}}),
        ("GET", f"{case}/evidence", {}),
        ("POST", f"{case}/evidence", {"json": {"name": "x.log", "content": "ERROR boom"}}),
        ("POST", f"{case}/evidence", {"files": {"file": ("x.log", b"ERROR boom")}}),
        ("GET", evidence, {}),
        ("GET", f"{evidence}/lines", {}),
        ("DELETE", evidence, {}),
        ("POST", f"{case}/messages", {"json": {"content": "what is wrong?"}}),
        ("GET", f"{case}/messages", {}),
        ("GET", f"{case}/diagnosis", {}),
        ("GET", f"{case}/logs/report", {}),
    ]


@pytest.fixture
def owned_case(client: httpx.Client) -> tuple[str, str]:
    case_id = client.post("/v1/cases", json={"title": "owner's case"}).json()["id"]
    evidence = client.post(
        f"/v1/cases/{case_id}/evidence",
        json={"name": "app.log", "content": "2024-05-01T10:00:00Z ERROR out of memory\n"},
    )
    assert evidence.status_code == 201, evidence.text
    client.post(f"/v1/cases/{case_id}/messages", json={"content": "what is wrong?"})
    return case_id, evidence.json()["id"]


def test_other_tenant_gets_not_found_on_every_route_and_changes_nothing(
    client: httpx.Client,
    owned_case: tuple[str, str],
    client_for: Callable[[str | None], httpx.Client],
    new_key: Callable[[], str],
) -> None:
    case_id, evidence_id = owned_case
    before = client.get(f"/v1/cases/{case_id}").json()
    intruder = client_for(new_key())
    for method, path, kwargs in _routes(case_id, evidence_id):
        response = intruder.request(method, path, **kwargs)  # type: ignore[arg-type]
        assert response.status_code == 404, (method, path, response.text)
        assert response.headers["content-type"] == PROBLEM
    assert intruder.get("/v1/cases").json()["items"] == []
    assert client.get(f"/v1/cases/{case_id}").json() == before
    assert len(client.get(f"/v1/cases/{case_id}/evidence").json()) == 1
    assert len(client.get(f"/v1/cases/{case_id}/messages").json()) == 2


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer fmk_nope", "Basic dXNlcjpwYXNz"])
def test_requests_without_a_valid_key_are_unauthorized_everywhere(
    owned_case: tuple[str, str], server_url: str, header: str | None
) -> None:
    case_id, evidence_id = owned_case
    headers = {"Authorization": header} if header else {}
    with httpx.Client(base_url=server_url, headers=headers) as anonymous:
        routes = [
            *_routes(case_id, evidence_id),
            ("GET", "/v1/cases", {}),
            ("GET", "/v1/whoami", {}),
        ]
        for method, path, kwargs in routes:
            response = anonymous.request(method, path, **kwargs)  # type: ignore[arg-type]
            assert response.status_code == 401, (method, path)
            assert response.headers["content-type"] == PROBLEM


def test_revoked_key_is_refused(
    engine: Engine, client_for: Callable[[str | None], httpx.Client], new_key: Callable[[], str]
) -> None:
    key = new_key()
    client = client_for(key)
    assert client.get("/v1/whoami").status_code == 200
    revoke_api_key(engine, key.split("_")[1])
    assert client.get("/v1/whoami").status_code == 401


def test_key_with_right_id_and_wrong_secret_is_refused(
    client_for: Callable[[str | None], httpx.Client], new_key: Callable[[], str]
) -> None:
    prefix, key_id, secret = new_key().split("_", 2)
    forged = f"{prefix}_{key_id}_{'A' * len(secret)}"
    assert client_for(forged).get("/v1/whoami").status_code == 401


def test_health_checks_need_no_key(server_url: str) -> None:
    with httpx.Client(base_url=server_url) as anonymous:
        assert anonymous.get("/healthz").json() == {"status": "ok"}
        ready = anonymous.get("/readyz")
        assert ready.status_code == 200 and ready.json()["status"] == "ready"
        assert anonymous.get("/openapi.json").status_code == 200
        assert anonymous.get("/docs").status_code == 200


def test_metrics_count_requests_by_route_template(server_url: str, client: httpx.Client) -> None:
    client.get("/v1/cases/00000000-0000-0000-0000-000000000000")
    with httpx.Client(base_url=server_url) as anonymous:
        metrics = anonymous.get("/metrics")
    assert metrics.status_code == 200
    assert metrics.headers["content-type"].startswith("text/plain")
    assert 'route="/v1/cases/{case_id}",status="404"' in metrics.text
    assert "faultmaven_http_request_duration_seconds_bucket" in metrics.text
