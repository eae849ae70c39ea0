"""Opening FaultMaven's database: the embedded server or the configured one, migrated."""

from pathlib import Path

from sqlalchemy import Engine

from faultmaven.store import migrate
from faultmaven.store.database import create_database_engine, resolve_database_url


def open_database(database_url: str | None, home: Path, *, upgrade: bool = True) -> Engine:
    """Return an engine on the configured database (embedded when `database_url` is None).

    With `upgrade`, missing migrations are applied first; concurrent starts are safe.
    """
    engine = create_database_engine(resolve_database_url(database_url, home))
    if upgrade:
        migrate.upgrade(engine)
    return engine


def describe_database(engine: Engine) -> str:
    """Return where the engine connects, without its password, for people to read."""
    return engine.url.render_as_string(hide_password=True)
