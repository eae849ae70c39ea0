"""What route handlers declare they need: the engine, the settings, the caller."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine

from faultmaven.agent.settings import LlmSettings
from faultmaven.config import Settings
from faultmaven.domain.tenants import Principal
from faultmaven.knowledge.embeddings import Embedder
from faultmaven.services.apikeys import authenticate


@dataclass(frozen=True)
class GatewayState:
    """What the app holds for its lifetime."""

    engine: Engine
    settings: Settings
    embedder: Embedder | None


def get_state(request: Request) -> GatewayState:
    """Return the app's state."""
    state: GatewayState = request.app.state.gateway
    return state


_bearer = HTTPBearer(auto_error=False, description="An API key: `faultmaven apikey create`")


def get_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """Return who the request acts for; 401 without a valid API key."""
    key = credentials.credentials if credentials is not None else None
    return authenticate(get_state(request).engine, key)


def get_engine(request: Request) -> Engine:
    """Return the database engine."""
    return get_state(request).engine


def get_settings(request: Request) -> Settings:
    """Return the settings the app was started with."""
    return get_state(request).settings


def get_embedder(request: Request) -> Embedder | None:
    """Return the configured embedder (None: words-only knowledge search)."""
    return get_state(request).embedder


def get_llm(request: Request) -> LlmSettings | None:
    """Return the model that refines diagnoses (None: the offline reasoner answers alone)."""
    return get_settings(request).llm()


EmbedderDep = Annotated[Embedder | None, Depends(get_embedder)]
EngineDep = Annotated[Engine, Depends(get_engine)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
PrincipalDep = Annotated[Principal, Depends(get_principal)]
LlmDep = Annotated[LlmSettings | None, Depends(get_llm)]
