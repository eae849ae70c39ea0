"""Connecting to PostgreSQL: the embedded server by default, any server by URL."""

from pathlib import Path

from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url

from faultmaven.store.embedded import start_embedded_server


def sqlalchemy_url(url: str) -> str:
    """Return `url` in the form SQLAlchemy needs to use the psycopg 3 driver.

    Accepts `postgresql://`, `postgres://` and `postgresql+psycopg://`, with a host
    or a Unix-socket folder (`?host=/path`).
    """
    parsed = make_url(url.replace("postgres://", "postgresql://", 1))
    if parsed.get_backend_name() != "postgresql":
        raise ValueError(f"not a PostgreSQL URL: {parsed.render_as_string(hide_password=True)}")
    return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)


def libpq_url(url: str) -> str:
    """Return `url` in the plain form libpq and psycopg understand."""
    parsed = make_url(sqlalchemy_url(url))
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


def resolve_database_url(database_url: str | None, home: Path) -> str:
    """Return the URL to use: the configured one, or the embedded server's (started if needed)."""
    if database_url:
        return sqlalchemy_url(database_url)
    return sqlalchemy_url(start_embedded_server(home))


def create_database_engine(url: str) -> Engine:
    """Create the SQLAlchemy engine for `url` with a pool sized for one API process."""
    return create_engine(
        sqlalchemy_url(url),
        pool_size=10,
        max_overflow=10,
        pool_pre_ping=True,
        pool_recycle=1800,
    )
