"""The FastAPI application: routes, error handling and the state it serves from."""

from fastapi import FastAPI
from sqlalchemy import Engine

from faultmaven import __version__
from faultmaven.config import Settings
from faultmaven.gateway.deps import GatewayState
from faultmaven.gateway.metrics import install_metrics
from faultmaven.gateway.problems import install_problem_handlers
from faultmaven.gateway.routes import cases, conversation, evidence, health, logs, meta


def create_app(settings: Settings, engine: Engine) -> FastAPI:
    """Build the app over an engine whose database is already migrated."""
    app = FastAPI(
        title="FaultMaven",
        version=__version__,
        description="Troubleshooting copilot: ranked root causes backed by the exact lines.",
    )
    app.state.gateway = GatewayState(engine=engine, settings=settings)
    install_problem_handlers(app)
    if settings.metrics_enabled:
        install_metrics(app)
    for module in (health, meta, cases, evidence, conversation, logs):
        app.include_router(module.router)
    return app
