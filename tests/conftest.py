"""Shared fixtures: one real embedded PostgreSQL per test session, the API on loopback."""

import atexit
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine

from faultmaven.config import Settings
from faultmaven.gateway.app import create_app
from faultmaven.services.apikeys import create_api_key
from faultmaven.services.database import open_database
from faultmaven.store.embedded import start_embedded_server
from tests_support import serving

TEST_UPLOAD_LIMIT = 8 * 1024 * 1024


@pytest.fixture(scope="session")
def faultmaven_home() -> Path:
    """A data folder of this session's own, outside pytest's rotating temp folders.

    pytest deletes all but its three newest temp folders when a run starts; a run started
    beside this one would delete the live database's data folder and PostgreSQL stops.
    """
    home = Path(tempfile.mkdtemp(prefix="faultmaven-test-home-"))
    # Registered before the database starts, so it runs after the database has stopped.
    atexit.register(shutil.rmtree, home, ignore_errors=True)
    return home


@pytest.fixture(scope="session")
def database_url(faultmaven_home: Path) -> str:
    """A fresh embedded PostgreSQL for this test session, deleted when the session ends."""
    return start_embedded_server(faultmaven_home, delete_on_exit=True)


@pytest.fixture(scope="session")
def engine(database_url: str, faultmaven_home: Path) -> Iterator[Engine]:
    engine = open_database(database_url, faultmaven_home)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def settings(faultmaven_home: Path, database_url: str) -> Settings:
    return Settings(
        home=faultmaven_home, database_url=database_url, max_upload_bytes=TEST_UPLOAD_LIMIT
    )


@pytest.fixture(scope="session")
def server_url(settings: Settings, engine: Engine) -> Iterator[str]:
    """The API served by uvicorn on a loopback port, for the whole session."""
    with serving(create_app(settings, engine)) as url:
        yield url


@pytest.fixture
def new_key(engine: Engine) -> Callable[[], str]:
    """Make a key for a brand-new tenant, so every test starts with an empty tenant."""

    def make() -> str:
        return create_api_key(engine, f"t-{uuid.uuid4().hex[:12]}").key

    return make


@pytest.fixture
def client_for(server_url: str) -> Iterator[Callable[[str | None], httpx.Client]]:
    """Open an HTTP client on the live API acting with the key given (or none)."""
    clients: list[httpx.Client] = []

    def make(key: str | None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        client = httpx.Client(base_url=server_url, headers=headers, timeout=60)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def client(
    client_for: Callable[[str | None], httpx.Client], new_key: Callable[[], str]
) -> httpx.Client:
    """A client acting for a fresh tenant."""
    return client_for(new_key())


@pytest.fixture
def case_id(client: httpx.Client) -> str:
    response = client.post("/v1/cases", json={"title": "checkout is failing"})
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


@pytest.fixture(scope="session")
def cli_env(faultmaven_home: Path, database_url: str) -> dict[str, str]:
    """Environment for running the real `faultmaven` command against the test database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAULTMAVEN_")}
    env.update(
        FAULTMAVEN_HOME=str(faultmaven_home / "cli-home"),
        FAULTMAVEN_DATABASE_URL=database_url,
        NO_COLOR="1",
        COLUMNS="200",
    )
    return env
