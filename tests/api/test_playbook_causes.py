"""A cause only a playbook knows, written at INFO level, still becomes a cited hypothesis."""

import httpx

REPLICA_LOG = "\n".join(
    [
        *[
            f"2024-09-02 10:{n // 60:02d}:{n % 60:02d}.000 UTC [2{n:04d}] LOG:  duration: {n} ms"
            for n in range(200)
        ],
        "2024-09-02 10:04:00.000 UTC [24079] LOG:  invalidating obsolete replication slot"
        ' "analytics"',
        *[
            f"2024-09-02 10:05:{n:02d}.000 UTC [3{n:04d}] ERROR:  relation lookup took {n} ms"
            for n in range(40)
        ],
    ]
)


def test_info_line_matching_a_playbook_names_the_cause_with_its_line(
    client: httpx.Client, case_id: str
) -> None:
    response = client.post(
        f"/v1/cases/{case_id}/evidence",
        files={"file": ("orders-db-replica.log", REPLICA_LOG.encode())},
    )
    assert response.status_code == 201, response.text
    answer = client.post(f"/v1/cases/{case_id}/messages", json={"content": "why are reads stale?"})
    assert answer.status_code == 200, answer.text
    hypotheses = answer.json()["diagnosis"]["hypotheses"]
    replica = [h for h in hypotheses if h["category"] == "database"]
    assert replica, hypotheses
    assert replica[0]["component"] == "orders-db-replica"
    assert replica[0]["citations"][0]["line_start"] == 201
    assert "replication slot" in replica[0]["citations"][0]["text"]
    assert replica[0]["title"].startswith("Database replica lagging behind the primary")


def _dispatcher_log() -> str:
    lines = [
        f"2024-01-22 03:{n // 60:02d}:{n % 60:02d},000 [sender-{n % 9}] INFO "
        f"com.shop.notify.Dispatcher - sent notification batch {n}"
        for n in range(600)
    ]
    trace = [
        "2024-01-22 03:10:01,200 [sender-4] ERROR com.shop.notify.Dispatcher - could not dispatch"
        " notification batch",
        "java.util.concurrent.RejectedExecutionException: Task com.shop.notify.SendTask@4e1d3a2"
        " rejected from java.util.concurrent.ThreadPoolExecutor@7a81197d[Running, pool size = 200]",
        "\tat java.base/java.util.concurrent.ThreadPoolExecutor.reject(ThreadPoolExecutor.java:20)",
    ]
    return "\n".join(lines[:400] + trace * 3 + lines[400:])


def test_exception_named_only_in_a_stack_trace_line_is_recognised(
    client: httpx.Client, case_id: str
) -> None:
    response = client.post(
        f"/v1/cases/{case_id}/evidence",
        files={"file": ("notifications.log", _dispatcher_log().encode())},
    )
    assert response.status_code == 201, response.text
    answer = client.post(f"/v1/cases/{case_id}/messages", json={"content": "why?"})
    top = answer.json()["diagnosis"]["hypotheses"][0]
    assert top["category"] == "connection_pool"
    assert top["citations"][0]["line_start"] == 401


def _catalogue_log() -> str:
    requests = [
        f"ts=2024-10-03T10:{n // 60:02d}:{n % 60:02d}.000Z caller=logging.go:62 method=Get"
        f" id=item-{n} err=null took=1.2ms"
        for n in range(600)
    ]
    build = (
        'ts=2024-10-03T10:04:18.000Z caller=main.go:98 msg="catalogue build"'
        " version=0.3.6 commit=7be2c1f0 built=2024-10-03T09:41:12Z"
    )
    return "\n".join([*requests[:258], build, *requests[258:]])


def _orders_log() -> str:
    placed = [
        f"2024-10-03 10:{n // 60:02d}:{n % 60:02d}.500 INFO 1 --- [exec-{n}] OrdersController"
        f" : order {n} placed"
        for n in range(420)
    ]
    rejected = [
        f"2024-10-03 10:{7 + n // 60:02d}:{n % 60:02d}.000 ERROR 1 --- [exec-{n}] OrdersController"
        f" : order {n} rejected: Invalid payment amount 0.0"
        for n in range(120)
    ]
    return "\n".join([*placed, *rejected])


def test_a_release_named_only_in_a_structured_lines_fields_is_suspected(
    client: httpx.Client, case_id: str
) -> None:
    for name, text in (("catalogue.log", _catalogue_log()), ("orders.log", _orders_log())):
        response = client.post(
            f"/v1/cases/{case_id}/evidence", files={"file": (name, text.encode())}
        )
        assert response.status_code == 201, response.text
    answer = client.post(
        f"/v1/cases/{case_id}/messages", json={"content": "why are orders failing?"}
    )
    top = answer.json()["diagnosis"]["hypotheses"][0]
    assert (top["category"], top["component"]) == ("code_error", "catalogue")
    assert top["citations"][0]["text"].endswith("commit=7be2c1f0 built=2024-10-03T09:41:12Z")
    assert top["citations"][0]["line_start"] == 259
