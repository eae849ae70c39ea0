"""The FastAPI application: routes, error handling and the state it serves from."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool

from faultmaven import __version__
from faultmaven.config import Settings
from faultmaven.domain.errors import FaultMavenError
from faultmaven.gateway.deps import GatewayState
from faultmaven.gateway.metrics import install_metrics
from faultmaven.gateway.problems import install_problem_handlers
from faultmaven.gateway.routes import (
    cases,
    conversation,
    evidence,
    health,
    hypotheses,
    knowledge,
    logs,
    meta,
)
from faultmaven.knowledge.embeddings import Embedder, make_embedder
from faultmaven.services.knowledge_bundled import install_bundled_playbooks

logger = logging.getLogger(__name__)


def embedder_for(settings: Settings) -> Embedder | None:
    """Build the embedder the settings name (nothing is loaded until first use)."""
    return make_embedder(
        settings.embeddings.value,
        settings.embeddings_model,
        settings.embeddings_base_url,
        settings.embeddings_api_key,
    )


def create_app(settings: Settings, engine: Engine) -> FastAPI:
    """Build the app over an engine whose database is already migrated."""
    embedder = embedder_for(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            await run_in_threadpool(install_bundled_playbooks, engine, embedder)
        except FaultMavenError as error:
            logger.error("bundled playbooks not loaded: %s", error.detail)
        except SQLAlchemyError as error:
            # /readyz reports an unreachable or unmigrated database; the app still starts.
            logger.error("bundled playbooks not loaded: %s", str(error).splitlines()[0])
        yield

    app = FastAPI(
        lifespan=lifespan,
        title="FaultMaven",
        version=__version__,
        description="Troubleshooting copilot: ranked root causes backed by the exact lines.",
    )
    app.state.gateway = GatewayState(engine=engine, settings=settings, embedder=embedder)
    install_problem_handlers(app)
    if settings.metrics_enabled:
        install_metrics(app)
    for module in (health, meta, cases, evidence, conversation, hypotheses, logs, knowledge):
        app.include_router(module.router)
    return app
