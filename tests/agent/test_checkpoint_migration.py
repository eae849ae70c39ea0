"""The checkpointer's tables come from our migration, exactly as the pinned library makes them."""

import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from langgraph.checkpoint.base import empty_checkpoint
from langgraph.checkpoint.postgres import PostgresSaver
from langgraph.checkpoint.postgres.base import MIGRATIONS
from psycopg import sql
from psycopg.rows import dict_row
from sqlalchemy import Engine

from faultmaven.store import migrate
from faultmaven.store.checkpoints import checkpointer_url, open_checkpointer
from faultmaven.store.database import create_database_engine, libpq_url

CHECKPOINT_TABLES = (
    "checkpoint_blobs",
    "checkpoint_migrations",
    "checkpoint_writes",
    "checkpoints",
)


def _new_database(database_url: str) -> str:
    name = f"checkpoints_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(libpq_url(database_url), autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return libpq_url(database_url).replace("/faultmaven?", f"/{name}?")


@pytest.fixture
def fresh_database(database_url: str) -> Iterator[str]:
    yield _new_database(database_url)


def _schema(url: str) -> dict[str, Any]:
    """Columns, indexes and recorded versions of the checkpointer's tables."""
    with psycopg.connect(url) as connection:
        columns = connection.execute(
            "SELECT table_name, column_name, data_type, is_nullable, column_default"
            " FROM information_schema.columns WHERE table_name = ANY(%s)"
            " ORDER BY table_name, column_name",
            (list(CHECKPOINT_TABLES),),
        ).fetchall()
        indexes = connection.execute(
            "SELECT tablename, indexname, indexdef FROM pg_indexes"
            " WHERE tablename = ANY(%s) ORDER BY indexname",
            (list(CHECKPOINT_TABLES),),
        ).fetchall()
        versions = connection.execute("SELECT v FROM checkpoint_migrations ORDER BY v").fetchall()
    return {"columns": columns, "indexes": indexes, "versions": versions}


def _library_setup(url: str) -> None:
    with psycopg.connect(url, autocommit=True, prepare_threshold=0, row_factory=dict_row) as conn:
        PostgresSaver(conn).setup()


def test_db_upgrade_leaves_the_library_setup_nothing_to_do(fresh_database: str) -> None:
    engine = create_database_engine(fresh_database)
    try:
        migrate.upgrade(engine)
        migrated = _schema(fresh_database)
        _library_setup(fresh_database)
        assert _schema(fresh_database) == migrated
        assert [row[0] for row in migrated["versions"]] == list(range(len(MIGRATIONS)))
        assert migrate.is_current(engine)
    finally:
        engine.dispose()


def test_migrated_tables_equal_those_the_library_creates_itself(
    fresh_database: str, database_url: str
) -> None:
    library_made = _new_database(database_url)
    _library_setup(library_made)
    engine = create_database_engine(fresh_database)
    try:
        migrate.upgrade(engine)
    finally:
        engine.dispose()
    assert _schema(fresh_database) == _schema(library_made)


def test_a_checkpoint_round_trips_through_the_migrated_tables(engine: Engine) -> None:
    thread = str(uuid.uuid4())
    config: Any = {"configurable": {"thread_id": thread, "checkpoint_ns": ""}}
    checkpoint = empty_checkpoint()
    checkpoint["channel_values"] = {"messages": ["the pool is exhausted"]}
    checkpoint["channel_versions"] = {"messages": "1"}
    with open_checkpointer(engine) as saver:
        saved = saver.put(config, checkpoint, {"source": "input", "step": 1}, {"messages": "1"})
    with open_checkpointer(engine) as saver:
        found = saver.get_tuple(saved)
    assert found is not None
    assert found.checkpoint["id"] == checkpoint["id"]
    assert found.checkpoint["channel_values"] == {"messages": ["the pool is exhausted"]}
    assert found.metadata["step"] == 1


def test_the_saver_reaches_the_embedded_server_over_its_unix_socket(engine: Engine) -> None:
    url = checkpointer_url(engine)
    assert "host=/" in url or "host=%2F" in url
    with psycopg.connect(url) as connection:
        assert connection.execute("SELECT count(*) FROM checkpoint_migrations").fetchone() == (
            len(MIGRATIONS),
        )
