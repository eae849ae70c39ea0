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
