"""The agent's checkpointer: LangGraph's PostgreSQL saver on the case database.

Its tables come from our migration 0004, never from the library's `setup()`.
"""

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from langgraph.checkpoint.postgres import PostgresSaver
from psycopg.rows import DictRow, dict_row
from sqlalchemy import Engine

from faultmaven.store.database import libpq_url


def checkpointer_url(engine: Engine) -> str:
    """Return the libpq URL of the engine's database (host or Unix-socket folder)."""
    return libpq_url(engine.url.render_as_string(hide_password=False))


@contextmanager
def open_checkpointer(engine: Engine) -> Iterator[PostgresSaver]:
    """Open a saver bound to the engine's database for one conversation turn.

    The saver wants an autocommit connection returning rows as dictionaries, without
    prepared statements (so it also works behind PgBouncer).
    """
    connection: psycopg.Connection[DictRow]
    with psycopg.Connection.connect(
        checkpointer_url(engine), autocommit=True, prepare_threshold=0, row_factory=dict_row
    ) as connection:
        yield PostgresSaver(connection)
