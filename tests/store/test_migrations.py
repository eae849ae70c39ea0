"""Migrations go forward on an existing database without losing data; readiness tracks them."""

import uuid
from pathlib import Path

import httpx
import psycopg
from psycopg import sql
from sqlalchemy import Engine, text

from faultmaven.config import Settings
from faultmaven.domain.cases import CaseCreate
from faultmaven.gateway.app import create_app
from faultmaven.services import cases
from faultmaven.services.apikeys import tenant_principal
from faultmaven.store import migrate
from faultmaven.store.database import create_database_engine, libpq_url
from tests_support import serving


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
        with serving(app) as base_url:
            not_ready = httpx.get(f"{base_url}/readyz")
            assert not_ready.status_code == 503
            assert not_ready.headers["content-type"] == "application/problem+json"
            assert f"needs {migrate.head_revision()}" in not_ready.json()["detail"]
            migrate.upgrade(engine)
            assert httpx.get(f"{base_url}/readyz").status_code == 200
    finally:
        engine.dispose()


def test_readiness_fails_when_the_database_is_unreachable(tmp_path: Path) -> None:
    url = "postgresql://nobody@127.0.0.1:1/nothing"
    engine = create_database_engine(url)
    app = create_app(Settings(home=tmp_path, database_url=url), engine)
    with serving(app) as base_url:
        assert httpx.get(f"{base_url}/healthz").status_code == 200
        response = httpx.get(f"{base_url}/readyz")
    assert response.status_code == 503
    assert "unreachable" in response.json()["detail"]
