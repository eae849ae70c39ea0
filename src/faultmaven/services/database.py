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
    """Return where the engine connects, without user or password, for people to read."""
    url = engine.url
    socket_folder = url.query.get("host")
    if url.host is None and socket_folder:
        return f"database {url.database!r} on the PostgreSQL socket in {socket_folder}"
    port = f":{url.port}" if url.port else ""
    return f"database {url.database!r} on {url.host}{port}"
