"""Next steps come from the matched playbooks, their commands filled with names from evidence."""

from pathlib import Path

import httpx

from tests_support import ask_diagnosis, upload_evidence

OOM_DESCRIBE = (
    Path(__file__).parents[1]
    / "unit"
    / "integrations"
    / "kubernetes"
    / "samples"
    / "describe-pod-oomkilled.txt"
)
POSTGRES_SYSLOG = (
    "Nov 20 09:14:01 db-1 postgres[4411]: [3-1] LOG:  connection received: host=10.0.4.17\n"
    "Nov 20 09:14:01 db-1 postgres[4411]: [4-1] FATAL:  sorry, too many clients already\n"
    "Nov 20 09:14:01 db-1 postgres[4412]: [4-1] FATAL:  sorry, too many clients already\n"
    "Nov 20 09:14:02 db-1 postgres[4413]: [4-1] FATAL:  remaining connection slots are"
    " reserved for non-replication superuser connections\n"
)


def _ask(client: httpx.Client, case_id: str, name: str, content: bytes) -> dict[str, object]:
    upload_evidence(client, case_id, name, content)
    return ask_diagnosis(client, case_id, "what is wrong?")


def _steps(diagnosis: dict[str, object]) -> list[dict[str, str | None]]:
    steps = diagnosis["next_steps"]
    assert isinstance(steps, list)
    return steps


def test_too_many_clients_log_gets_the_connection_playbook_commands_with_its_host(
    client: httpx.Client, case_id: str
) -> None:
    diagnosis = _ask(client, case_id, "postgresql.log", POSTGRES_SYSLOG.encode())
    steps = _steps(diagnosis)
    from_playbook = [
        step for step in steps if str(step["why"]).startswith("From the playbook 'Database")
    ]
    assert from_playbook, steps
    assert from_playbook[0]["command"] == (
        'psql -h db-1 -U postgres -c "SELECT count(*) AS in_use,'
        " current_setting('max_connections') AS max FROM pg_stat_activity;\""
    )
    assert from_playbook[0]["action"] == "PostgreSQL: sessions in use vs the limit"
    assert all("{" not in str(step["command"]) for step in steps if step["command"])
    assert len(steps) <= 8


def test_oom_killed_pod_gets_the_oom_playbook_commands_for_its_namespace_and_pod(
    client: httpx.Client, case_id: str
) -> None:
    diagnosis = _ask(client, case_id, OOM_DESCRIBE.name, OOM_DESCRIBE.read_bytes())
    steps = _steps(diagnosis)
    commands = [str(step["command"]) for step in steps if step["command"]]
    assert "kubectl -n shop top pod checkout-7d9f8c6b5d-x2k4q --containers" in commands
    assert commands[0].startswith("kubectl -n shop get pod checkout-7d9f8c6b5d-x2k4q -o json")
    assert steps[0]["why"] == "From the playbook 'Container killed at its memory limit (OOMKilled)'"
    assert "kubectl -n shop describe pod checkout-7d9f8c6b5d-x2k4q" in commands
    assert all("{" not in command for command in commands)
