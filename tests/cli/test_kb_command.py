"""`faultmaven kb`: the real command against the test database."""

import json
import subprocess
import sys
import uuid
from pathlib import Path

FAULTMAVEN = [sys.executable, "-m", "faultmaven"]


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*FAULTMAVEN, *args], env=env, capture_output=True, text=True, timeout=180, check=False
    )


def _runbooks(folder: Path) -> Path:
    folder.mkdir()
    (folder / "rabbit.md").write_text(
        "---\ntitle: RabbitMQ queue backlog\nkind: runbook\ntags: [rabbitmq]\n---\n"
        "## Symptoms\nThe orders queue holds 2 million ready messages and consumers idle.\n"
    )
    (folder / "notes.txt").write_text("Vault seal\n\nVault sealed itself after the HSM reboot.\n")
    (folder / "diagram.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    (folder / ".git").mkdir()
    (folder / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    return folder


def test_add_folder_then_search_list_and_remove(cli_env: dict[str, str], tmp_path: Path) -> None:
    tenant = f"kbcli-{uuid.uuid4().hex[:8]}"
    folder = _runbooks(tmp_path / "runbooks")
    added = run(cli_env, "kb", "add", str(folder), "--tenant", tenant)
    assert added.returncode == 0, added.stderr
    assert "RabbitMQ queue backlog" in added.stdout and "Vault seal" in added.stdout
    assert "diagram" not in added.stdout and "HEAD" not in added.stdout

    found = run(
        cli_env,
        "kb",
        "search",
        "messages piling up in rabbit",
        "--json",
        "--kind",
        "runbook",
        "--tenant",
        tenant,
    )
    assert found.returncode == 0, found.stderr
    results = json.loads(found.stdout)["results"]
    assert results[0]["title"] == "RabbitMQ queue backlog"
    assert results[0]["source"] == str((folder / "rabbit.md").resolve())

    listed = run(cli_env, "kb", "list", "--tenant", tenant)
    own = [line for line in listed.stdout.splitlines() if tenant in line]
    assert len(own) == 2
    assert "bundled" in listed.stdout

    document_id = own[0].split()[0]
    removed = run(cli_env, "kb", "remove", document_id, "--tenant", tenant)
    assert removed.returncode == 0, removed.stderr
    again = run(cli_env, "kb", "remove", document_id, "--tenant", tenant)
    assert again.returncode == 1 and again.stderr.startswith("error: ")


def test_a_bad_file_is_reported_the_others_are_added_and_the_exit_code_says_so(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    tenant = f"kbcli-{uuid.uuid4().hex[:8]}"
    good = tmp_path / "good.md"
    good.write_text("# Memcached evictions\n\nEvictions rose after the slab rebalance.\n")
    empty = tmp_path / "empty.md"
    empty.write_text("\n")
    result = run(cli_env, "kb", "add", str(good), str(empty), "--tenant", tenant)
    assert result.returncode == 1
    assert "Memcached evictions" in result.stdout
    assert "skipped" in result.stdout and "empty.md" in result.stdout
    assert "1 of 2 files could not be added" in result.stderr


def test_missing_path_and_unknown_kind_fail_in_one_line(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    missing = run(cli_env, "kb", "add", str(tmp_path / "nope"))
    assert missing.returncode == 1 and "no such file" in missing.stderr
    assert len(missing.stderr.strip().splitlines()) == 1
    wrong = run(cli_env, "kb", "search", "disk", "--kind", "novel")
    assert wrong.returncode == 1 and "unknown kind" in wrong.stderr


def test_search_shows_bundled_playbooks_to_a_new_tenant(cli_env: dict[str, str]) -> None:
    result = run(
        cli_env,
        "kb",
        "search",
        "FATAL:  sorry, too many clients already",
        "--json",
        "--tenant",
        f"kbcli-{uuid.uuid4().hex[:8]}",
    )
    assert result.returncode == 0, result.stderr
    hits = json.loads(result.stdout)["results"]
    assert hits and hits[0]["kind"] == "playbook"
    assert hits[0]["source"] == "bundled:postgres-too-many-connections"


def test_url_list_adds_downloaded_pages_known_by_their_url(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    tenant = f"kbcli-{uuid.uuid4().hex[:8]}"
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "etcd.html").write_text(
        "<html><head><title>etcd disk latency</title></head><body><main>"
        "<h1>etcd slow fsync</h1><p>wal fsync durations above 10ms make the leader flap.</p>"
        "</main></body></html>"
    )
    listing = tmp_path / "urls.txt"
    listing.write_text("# saved with wget\nhttps://wiki.example.com/etcd pages/etcd.html\n")
    added = run(cli_env, "kb", "add", "--urls", str(listing), "--tenant", tenant)
    assert added.returncode == 0, added.stderr
    found = run(
        cli_env,
        "kb",
        "search",
        "etcd wal fsync leader",
        "--json",
        "--kind",
        "doc",
        "--tenant",
        tenant,
    )
    hit = json.loads(found.stdout)["results"][0]
    assert hit["source"] == hit["url"] == "https://wiki.example.com/etcd"
    assert hit["title"] == "etcd disk latency"

    listing.write_text("wiki.example.com/etcd pages/etcd.html\n")
    broken = run(cli_env, "kb", "add", "--urls", str(listing), "--tenant", tenant)
    assert broken.returncode == 1 and "expected `URL PATH`" in broken.stderr
