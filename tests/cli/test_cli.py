"""The real `faultmaven` command, run as a process against the test database."""

import json
import subprocess
import sys
from pathlib import Path

import httpx

from faultmaven.store.migrate import head_revision

FAULTMAVEN = [sys.executable, "-m", "faultmaven"]
DISK_LOG = (
    "2024-05-01T10:00:00Z INFO worker started\n"
    "2024-05-01T10:00:03Z ERROR flush failed: [Errno 28] No space left on device\n"
    "2024-05-01T10:00:09Z ERROR request failed: upstream timed out after 30s\n"
)


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*FAULTMAVEN, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_analyze_json_prints_the_diagnosis_document_alone(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    log = tmp_path / "worker.log"
    log.write_text(DISK_LOG)
    result = run(cli_env, "analyze", str(log), "--json", "--question", "why did the worker fail?")
    assert result.returncode == 0, result.stderr
    diagnosis = json.loads(result.stdout)
    assert diagnosis["question"] == "why did the worker fail?"
    top = diagnosis["hypotheses"][0]
    assert top["category"] == "disk"
    assert top["citations"][0]["evidence_name"] == "worker.log"
    assert top["citations"][0]["line_start"] == 2
    assert top["citations"][0]["text"] == DISK_LOG.splitlines()[1]


def test_analyze_prints_a_readable_diagnosis(cli_env: dict[str, str], tmp_path: Path) -> None:
    log = tmp_path / "worker.log"
    log.write_text(DISK_LOG)
    result = run(cli_env, "analyze", str(log))
    assert result.returncode == 0, result.stderr
    assert "Diagnosis" in result.stdout
    assert "No space left on device" in result.stdout
    assert "worker.log:2" in result.stdout


def test_analyze_reads_every_file_of_a_folder_recursively(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "b").mkdir()
    (tmp_path / "a" / "api.log").write_text("2024-05-01T10:00:09Z ERROR upstream timed out\n")
    (tmp_path / "a" / "b" / "db.log").write_text(
        "2024-05-01 10:00:01 UTC [77] FATAL:  sorry, too many clients already\n"
    )
    result = run(cli_env, "analyze", str(tmp_path / "a"), "--json")
    assert result.returncode == 0, result.stderr
    diagnosis = json.loads(result.stdout)
    cited = {c["evidence_name"] for h in diagnosis["hypotheses"] for c in h["citations"]}
    assert cited == {"api.log", "db.log"}


def test_analyze_of_a_missing_path_fails_with_one_line(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    result = run(cli_env, "analyze", str(tmp_path / "nope.log"))
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0
    assert "does not exist" in result.stderr


def test_analyze_of_a_binary_file_fails_with_one_line(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    binary = tmp_path / "core"
    binary.write_bytes(b"\x00\x01\x02\x03" * 512)
    result = run(cli_env, "analyze", str(binary))
    assert result.returncode == 1
    assert result.stderr.startswith("error: ") and "binary" in result.stderr
    assert result.stderr.strip().count("\n") == 0


def test_apikey_create_prints_the_key_alone_on_the_last_line_and_it_works(
    cli_env: dict[str, str], server_url: str
) -> None:
    result = run(cli_env, "apikey", "create", "--tenant", "team-payments")
    assert result.returncode == 0, result.stderr
    key = result.stdout.strip().splitlines()[-1]
    assert key.startswith("fmk_") and " " not in key
    whoami = httpx.get(f"{server_url}/v1/whoami", headers={"Authorization": f"Bearer {key}"})
    assert whoami.json()["tenant"] == "team-payments"

    listed = run(cli_env, "apikey", "list", "--tenant", "team-payments")
    key_id = key.split("_")[1]
    assert key_id in listed.stdout and key not in listed.stdout
    assert run(cli_env, "apikey", "revoke", key_id).returncode == 0
    refused = httpx.get(f"{server_url}/v1/whoami", headers={"Authorization": f"Bearer {key}"})
    assert refused.status_code == 401


def test_apikey_create_refuses_a_bad_tenant_name(cli_env: dict[str, str]) -> None:
    result = run(cli_env, "apikey", "create", "--tenant", "Bad Name!")
    assert result.returncode == 1
    assert "tenant name" in result.stderr


def test_db_upgrade_reports_the_current_migration(cli_env: dict[str, str]) -> None:
    result = run(cli_env, "db", "upgrade")
    assert result.returncode == 0, result.stderr
    assert f"is at migration {head_revision()}" in result.stdout


def test_unreachable_database_is_one_line_error(cli_env: dict[str, str]) -> None:
    env = {**cli_env, "FAULTMAVEN_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"}
    result = run(env, "db", "upgrade")
    assert result.returncode == 1
    assert result.stderr.startswith("error: ")
    assert result.stderr.strip().count("\n") == 0


def test_analyze_of_a_large_file_settles_events_in_a_worker_process(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    log = tmp_path / "big.log"
    line = "2024-05-01T10:00:{second:02d}Z INFO request {n} served in {ms} ms\n"
    with log.open("w") as handle:
        for n in range(300_000):
            handle.write(line.format(second=n % 60, n=n, ms=n % 997))
        handle.write("2024-05-01T10:01:00Z ERROR flush failed: No space left on device\n")
    assert log.stat().st_size > 16 * 1024 * 1024
    result = run(cli_env, "analyze", str(log), "--json")
    assert result.returncode == 0, result.stderr
    diagnosis = json.loads(result.stdout)
    assert diagnosis["hypotheses"][0]["category"] == "disk"
    assert diagnosis["hypotheses"][0]["citations"][0]["line_start"] == 300_001


def test_postmortem_prints_the_draft_of_an_analysed_case(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    log = tmp_path / "worker.log"
    log.write_text(DISK_LOG)
    analysed = run(cli_env, "analyze", str(log), "--json")
    assert analysed.returncode == 0, analysed.stderr
    case_id = json.loads(analysed.stdout)["case_id"]
    result = run(cli_env, "postmortem", case_id)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# Postmortem: ")
    assert "## Root cause" in result.stdout
    assert "No space left on device" in result.stdout
    missing = run(cli_env, "postmortem", "00000000-0000-0000-0000-000000000000")
    assert missing.returncode == 1
    assert len(missing.stderr.strip().splitlines()) == 1
