"""Fixtures for knowledge tests: tenants acting through the service layer, a spare database."""

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, make_url, text

from faultmaven.domain.tenants import Principal
from faultmaven.knowledge.embeddings import Embedder, LocalEmbedder
from faultmaven.services.apikeys import tenant_principal
from faultmaven.services.database import open_database


@pytest.fixture(scope="session")
def local_embedder() -> Embedder:
    return LocalEmbedder()


@pytest.fixture
def new_tenant(engine: Engine) -> Callable[[], Principal]:
    def make() -> Principal:
        return tenant_principal(engine, f"kb-{uuid.uuid4().hex[:10]}")

    return make


@pytest.fixture
def spare_engine(database_url: str, faultmaven_home: Path) -> Iterator[Engine]:
    """A freshly migrated database of its own, for tests that change the whole index."""
    name = f"spare_{uuid.uuid4().hex[:10]}"
    admin = create_engine(
        make_url(database_url).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(database_url).set(database=name).render_as_string(hide_password=False)
    engine = open_database(url, faultmaven_home)
    yield engine
    engine.dispose()
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()
