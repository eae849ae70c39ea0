"""Every diagnosis cites the knowledge that fits its causes: playbooks and past cases."""

import httpx

from tests_support import upload_evidence

POSTGRES_LOG = (
    "2026-11-20 09:14:01.220 UTC [4411] LOG:  connection received: host=10.0.4.17 port=51544\n"
    "2026-11-20 09:14:01.221 UTC [4411] FATAL:  sorry, too many clients already\n"
    "2026-11-20 09:14:01.486 UTC [4412] FATAL:  sorry, too many clients already\n"
    "2026-11-20 09:14:02.003 UTC [4413] FATAL:  remaining connection slots are reserved for"
    " non-replication superuser connections\n"
)


def test_diagnosis_lists_the_matching_playbook_under_related_knowledge(
    client: httpx.Client, case_id: str
) -> None:
    upload_evidence(client, case_id, "postgresql.log", POSTGRES_LOG.encode())
    answer = client.post(f"/v1/cases/{case_id}/messages", json={"content": "what is wrong?"})
    assert answer.status_code == 200, answer.text
    related = answer.json()["diagnosis"]["related_knowledge"]
    assert related, "no related knowledge"
    sources = [item["source"] for item in related]
    assert "bundled:postgres-too-many-connections" in sources[:3]
    first = related[0]
    assert first["kind"] == "playbook" and len(first["snippet"]) <= 300
    assert first["document_id"] and first["score"] > 0


def test_a_resolved_case_is_found_by_the_next_similar_incident(
    client: httpx.Client,
) -> None:
    earlier = client.post("/v1/cases", json={"title": "orders API refusing database logins"}).json()
    upload_evidence(client, earlier["id"], "postgresql.log", POSTGRES_LOG.encode())
    client.post(f"/v1/cases/{earlier['id']}/messages", json={"content": "what is wrong?"})
    closed = client.post(
        f"/v1/cases/{earlier['id']}/close",
        json={
            "root_cause": "the reporting cron opened 300 connections without a pool",
            "fix": "route the reporting cron through pgbouncer with pool_size 20",
        },
    )
    assert closed.status_code == 200, closed.text

    later = client.post("/v1/cases", json={"title": "logins failing again"}).json()
    upload_evidence(
        client, later["id"], "postgresql.log", POSTGRES_LOG.replace("4411", "5511").encode()
    )
    answer = client.post(
        f"/v1/cases/{later['id']}/messages",
        json={"content": "postgres says too many clients, what do we do?"},
    )
    related = answer.json()["diagnosis"]["related_knowledge"]
    cases = [item for item in related if item["kind"] == "case"]
    assert cases and cases[0]["source"] == f"case:{earlier['id']}"
    assert cases[0]["title"] == "Resolved case: orders API refusing database logins"
