"""Migrations go forward on an existing database without losing data; readiness tracks them."""

import uuid
from pathlib import Path

import psycopg
from fastapi.testclient import TestClient
from psycopg import sql
from sqlalchemy import Engine, text

from faultmaven.config import Settings
from faultmaven.domain.cases import CaseCreate
from faultmaven.gateway.app import create_app
from faultmaven.services import cases
from faultmaven.services.apikeys import tenant_principal
from faultmaven.store import migrate
from faultmaven.store.database import create_database_engine, libpq_url


def test_upgrading_again_keeps_existing_cases(engine: Engine) -> None:
    principal = tenant_principal(engine, f"t-{uuid.uuid4().hex[:8]}")
    created = cases.create_case(engine, principal, CaseCreate(title="survives upgrades"))
    migrate.upgrade(engine)
    migrate.upgrade(engine)
    assert cases.get_case(engine, principal, created.id).title == "survives upgrades"
    assert migrate.is_current(engine)


def test_first_migration_enables_pgvector(engine: Engine) -> None:
    with engine.connect() as connection:
        assert connection.execute(
            text("SELECT extname FROM pg_extension WHERE extname = 'vector'")
        ).scalar()


def test_readiness_fails_until_the_database_is_migrated(database_url: str, tmp_path: Path) -> None:
    name = f"unmigrated_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(libpq_url(database_url), autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = libpq_url(database_url).replace("/faultmaven?", f"/{name}?")
    engine = create_database_engine(url)
    try:
        app = create_app(Settings(home=tmp_path, database_url=url), engine)
        with TestClient(app) as client:
            assert client.get("/readyz").status_code == 503
            migrate.upgrade(engine)
            assert client.get("/readyz").status_code == 200
    finally:
        engine.dispose()
