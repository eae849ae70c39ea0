"""Liveness and readiness probes (no API key needed)."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from faultmaven.gateway.deps import EngineDep
from faultmaven.gateway.problems import problem_response
from faultmaven.store.migrate import current_revision, head_revision

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """Say the process is up."""
    return {"status": "ok"}


@router.get("/readyz", response_model=None)
def readyz(engine: EngineDep) -> dict[str, str] | JSONResponse:
    """Say whether the database answers and has every migration applied."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        revision = current_revision(engine)
    except Exception as error:
        return problem_response(
            503, "Not ready", f"database unreachable: {error.__class__.__name__}"
        )
    if revision != head_revision():
        return problem_response(
            503, "Not ready", f"database at migration {revision}, needs {head_revision()}"
        )
    return {"status": "ready", "migration": revision}
