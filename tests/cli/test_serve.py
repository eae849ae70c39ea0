"""`faultmaven serve` from nothing: embedded database, local key, clean stop, data kept."""

import os
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests_support import free_port


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAULTMAVEN_")}
    env.update(FAULTMAVEN_HOME=str(home), NO_COLOR="1", FAULTMAVEN_LOG_LEVEL="warning")
    return env


@contextmanager
def serving(home: Path, port: int) -> Iterator[tuple[str, str]]:
    """Run `faultmaven serve` with its own home; yield the URL and the key it printed."""
    process = subprocess.Popen(
        [sys.executable, "-m", "faultmaven", "serve", "--port", str(port)],
        env=_env(home),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        output = _wait_until_ready(process, url)
        key = next(line for line in output.splitlines() if line.startswith("fmk_"))
        assert url in output
        yield url, key
    finally:
        process.send_signal(signal.SIGINT)
        try:
            assert process.wait(timeout=30) == 0
        finally:
            if process.poll() is None:
                process.kill()


def _wait_until_ready(process: subprocess.Popen[str], url: str) -> str:
    assert process.stdout is not None
    output = ""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"serve exited early:\n{output}{process.stdout.read()}")
        try:
            if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                os.set_blocking(process.stdout.fileno(), False)
                output += process.stdout.read() or ""
                return output
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError("serve did not become ready within 60 s")


def test_serve_runs_on_embedded_postgres_and_a_second_start_keeps_the_data(tmp_path: Path) -> None:
    home = tmp_path / "home"
    port = free_port()
    with serving(home, port) as (url, key):
        headers = {"Authorization": f"Bearer {key}"}
        assert httpx.get(f"{url}/v1/whoami", headers=headers).json()["tenant"] == "local"
        case = httpx.post(
            f"{url}/v1/cases", json={"title": "kept across restarts"}, headers=headers
        )
        assert case.status_code == 201
        key_file = home / "local-api-key"
        assert key_file.read_text().strip() == key
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert not (home / "pgdata" / "postmaster.pid").exists(), "the database was not stopped"

    with serving(home, port) as (url, second_key):
        assert second_key == key
        titles = [
            item["title"]
            for item in httpx.get(
                f"{url}/v1/cases", headers={"Authorization": f"Bearer {key}"}
            ).json()["items"]
        ]
        assert titles == ["kept across restarts"]
    assert not (home / "pgdata" / "postmaster.pid").exists()


def test_cli_shares_the_servers_embedded_database_and_leaves_it_running(tmp_path: Path) -> None:
    home = tmp_path / "home"
    log = tmp_path / "api.log"
    log.write_text("2024-05-01T10:00:00Z ERROR java.lang.OutOfMemoryError: Java heap space\n")
    with serving(home, free_port()) as (url, key):
        analyzed = subprocess.run(
            [sys.executable, "-m", "faultmaven", "analyze", str(log), "--json"],
            env=_env(home),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert analyzed.returncode == 0, analyzed.stderr
        headers = {"Authorization": f"Bearer {key}"}
        cases = httpx.get(f"{url}/v1/cases", headers=headers).json()["items"]
        assert [case["title"] for case in cases] == ["analyze api.log"]
        assert httpx.get(f"{url}/readyz").status_code == 200
    assert not (home / "pgdata" / "postmaster.pid").exists()
