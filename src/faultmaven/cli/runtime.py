"""What every command shares: settings, the database, and one-line errors."""

import logging
import sys
from functools import cache
from typing import TYPE_CHECKING, NoReturn

from rich.console import Console
from sqlalchemy import Engine

from faultmaven.config import Settings

if TYPE_CHECKING:
    from faultmaven.agent.settings import LlmSettings
    from faultmaven.knowledge.embeddings import Embedder

console = Console()
errors = Console(stderr=True)


@cache
def settings() -> Settings:
    """Return the settings from the environment (read once)."""
    current = Settings()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    logging.getLogger("faultmaven").setLevel(current.log_level.upper())
    return current


@cache
def embedder() -> "Embedder | None":
    """Return the configured embedding provider (its model loads on first use)."""
    from faultmaven.knowledge.embeddings import make_embedder

    current = settings()
    return make_embedder(
        current.embeddings.value,
        current.embeddings_model,
        current.embeddings_base_url,
        current.embeddings_api_key,
    )


def llm_settings(current: Settings) -> "LlmSettings | None":
    """Return the model that refines diagnoses (None: the offline reasoner answers alone)."""
    return current.llm()


def open_engine(*, upgrade: bool = True) -> Engine:
    """Open the configured database (starting the embedded one if needed), migrated."""
    from faultmaven.services.database import open_database

    current = settings()
    return open_database(current.database_url, current.home, upgrade=upgrade)


def fail(error: BaseException) -> NoReturn:
    """Print what went wrong in one line and exit 1."""
    from faultmaven.domain.errors import FaultMavenError

    if isinstance(error, FaultMavenError):
        message = error.detail
    else:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
        message = (
            f"{error.__class__.__name__}: {first_line}" if first_line else error.__class__.__name__
        )
    errors.print(f"error: {message}", markup=False, highlight=False, soft_wrap=True)
    sys.exit(1)
