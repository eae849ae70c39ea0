"""Stack traces are cited whole and grouped by their exception; a peer known only by its
address is the service its own log says listens there."""

import httpx


def _traceback(second: int, request: int) -> list[str]:
    return [
        f"2026-11-25 19:45:{second:02d},862 ERROR [inventory-api] unhandled error while serving"
        f" POST /api/reserve/{request}",
        "Traceback (most recent call last):",
        '  File "/srv/inventory/service.py", line 53, in dispatch',
        "    return 200, handler(path)",
        '  File "/srv/inventory/pool.py", line 136, in get',
        "    raise PoolTimeout(",
        "pool.PoolTimeout: couldn't get a connection after 3.0 sec (pool size 6, all in use)",
    ]


def _inventory_log() -> str:
    lines = [
        f"2026-11-25 19:4{n // 60}:{n % 60:02d},100 INFO [inventory-api] GET /api/stock/{n}"
        " -> 200 (0.4 ms)"
        for n in range(300)
    ]
    for index, second in enumerate((10, 20, 30)):
        lines[200 + index * 20 : 200 + index * 20] = _traceback(second, 40 + index)
    return "\n".join(lines) + "\n"


def test_a_pool_timeout_in_a_traceback_is_cited_down_to_its_exception_line(
    client: httpx.Client, case_id: str
) -> None:
    added = client.post(
        f"/v1/cases/{case_id}/evidence", files={"file": ("app.log", _inventory_log().encode())}
    )
    assert added.status_code == 201, added.text
    answer = client.post(
        f"/v1/cases/{case_id}/messages", json={"content": "why does inventory-api time out?"}
    )
    assert answer.status_code == 200, answer.text
    top = answer.json()["diagnosis"]["hypotheses"][0]
    assert (top["category"], top["component"]) == ("connection_pool", "inventory-api")
    first = top["citations"][0]
    assert (first["line_start"], first["line_end"]) == (201, 207)
    assert first["text"].splitlines()[-1].startswith("pool.PoolTimeout: couldn't get a connection")


def _catalog_log() -> str:
    lines = [
        "2026-11-25 19:31:18,758 INFO [catalog-api] catalog-api 1.8.3 starting (pid 15152)",
        "2026-11-25 19:31:18,762 INFO [catalog-api] catalog-api listening on 127.0.0.1:50281",
    ]
    lines += [
        f"2026-11-25 19:31:{20 + n // 10:02d},{n:03d} INFO [catalog-api] GET /api/products/{n}"
        " -> 200 (0.1 ms)"
        for n in range(100)
    ]
    return "\n".join(lines) + "\n"


def _nginx_error_log() -> str:
    return "".join(
        f"2026/11/25 19:31:{31 + n // 20:02d} [error] 15156#15156: *{4461 + n} connect() failed"
        " (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server:"
        f' shop.example.internal, request: "GET /api/products/{n} HTTP/1.1", upstream:'
        f' "http://127.0.0.1:50281/api/products/{n}", host: "shop.example.internal"\n'
        for n in range(60)
    )


def test_refused_upstream_known_by_address_is_the_service_listening_there(
    client: httpx.Client, case_id: str
) -> None:
    for name, text in (("app.log", _catalog_log()), ("nginx-error.log", _nginx_error_log())):
        added = client.post(f"/v1/cases/{case_id}/evidence", files={"file": (name, text.encode())})
        assert added.status_code == 201, added.text
    answer = client.post(
        f"/v1/cases/{case_id}/messages", json={"content": "the storefront shows 502s, why?"}
    )
    assert answer.status_code == 200, answer.text
    diagnosis = answer.json()["diagnosis"]
    top = diagnosis["hypotheses"][0]
    assert (top["category"], top["component"]) == ("dependency", "catalog-api")
    assert top["statement"].startswith("catalog-api is down or not listening")
    assert top["citations"][0]["evidence_name"] == "nginx-error.log"
    assert diagnosis["components"][0]["name"] == "catalog-api"
