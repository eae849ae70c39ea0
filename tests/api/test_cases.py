"""Cases through the HTTP API, on the real database."""

from collections.abc import Callable

import httpx

PROBLEM = "application/problem+json"


def test_case_is_created_read_listed_and_updated(client: httpx.Client) -> None:
    created = client.post(
        "/v1/cases", json={"title": "  payments 502s  ", "severity": "high", "description": "p1"}
    )
    assert created.status_code == 201
    case = created.json()
    assert case["title"] == "payments 502s"
    assert case["status"] == "open" and case["severity"] == "high"
    assert set(case) >= {
        "id",
        "title",
        "description",
        "status",
        "severity",
        "created_at",
        "updated_at",
    }

    assert client.get(f"/v1/cases/{case['id']}").json()["title"] == "payments 502s"
    listed = client.get("/v1/cases").json()
    assert [item["id"] for item in listed["items"]] == [case["id"]]

    patched = client.patch(
        f"/v1/cases/{case['id']}", json={"title": "payments down", "severity": "critical"}
    )
    assert patched.status_code == 200
    assert patched.json()["title"] == "payments down"
    assert patched.json()["severity"] == "critical"
    assert patched.json()["updated_at"] > case["updated_at"]


def test_cases_are_listed_newest_first_in_pages(client: httpx.Client) -> None:
    ids = [client.post("/v1/cases", json={"title": f"case {n}"}).json()["id"] for n in range(5)]
    first = client.get("/v1/cases", params={"limit": 2}).json()
    second = client.get("/v1/cases", params={"limit": 2, "cursor": first["next_cursor"]}).json()
    third = client.get("/v1/cases", params={"limit": 2, "cursor": second["next_cursor"]}).json()
    seen = [item["id"] for page in (first, second, third) for item in page["items"]]
    assert seen == list(reversed(ids))
    assert third["next_cursor"] is None


def test_case_list_filters_by_status(client: httpx.Client) -> None:
    open_id = client.post("/v1/cases", json={"title": "still open"}).json()["id"]
    closed_id = client.post("/v1/cases", json={"title": "false alarm"}).json()["id"]
    assert (
        client.patch(f"/v1/cases/{closed_id}", json={"status": "closed"}).json()["status"]
        == "closed"
    )
    open_items = client.get("/v1/cases", params={"status": "open"}).json()["items"]
    closed_items = client.get("/v1/cases", params={"status": "closed"}).json()["items"]
    assert [item["id"] for item in open_items] == [open_id]
    assert [item["id"] for item in closed_items] == [closed_id]


def test_closing_with_a_resolution_records_root_cause_and_fix(
    client: httpx.Client, case_id: str
) -> None:
    response = client.post(
        f"/v1/cases/{case_id}/close",
        json={"root_cause": "disk full on db-1", "fix": "grew the volume to 200 GiB"},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "resolved"
    assert body["root_cause"] == "disk full on db-1" and body["fix"] == "grew the volume to 200 GiB"


def test_status_resolved_cannot_be_set_without_a_resolution(
    client: httpx.Client, case_id: str
) -> None:
    response = client.patch(f"/v1/cases/{case_id}", json={"status": "resolved"})
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    assert client.get(f"/v1/cases/{case_id}").json()["status"] == "open"


def test_invalid_case_fields_are_refused_as_problems(client: httpx.Client) -> None:
    for body in ({"title": ""}, {"title": "x", "severity": "apocalyptic"}, {}):
        response = client.post("/v1/cases", json=body)
        assert response.status_code == 422, body
        problem = response.json()
        assert response.headers["content-type"] == PROBLEM
        assert problem["status"] == 422 and problem["title"] and problem["detail"]
    assert client.get("/v1/cases").json()["items"] == []


def test_malformed_json_body_is_a_problem(client: httpx.Client) -> None:
    response = client.post(
        "/v1/cases", content=b"{title: oops", headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM


def test_unknown_and_malformed_case_ids_are_not_found(client: httpx.Client) -> None:
    for case_id in ("00000000-0000-0000-0000-000000000000", "not-a-uuid"):
        response = client.get(f"/v1/cases/{case_id}")
        assert response.status_code == 404
        assert response.headers["content-type"] == PROBLEM


def test_bad_cursor_is_refused(client: httpx.Client) -> None:
    response = client.get("/v1/cases", params={"cursor": "garbage!!"})
    assert response.status_code == 422


def test_whoami_names_the_tenant_of_the_key(
    client_for: Callable[[str | None], httpx.Client], new_key: Callable[[], str]
) -> None:
    key = new_key()
    body = client_for(key).get("/v1/whoami").json()
    assert key.split("_")[1] == body["key_id"]
    assert body["tenant"].startswith("t-")
