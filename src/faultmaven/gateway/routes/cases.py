"""Cases: `/v1/cases`."""

from typing import Annotated

from fastapi import APIRouter, Query, status

from faultmaven.domain.cases import (
    Case,
    CaseCreate,
    CasePage,
    CaseResolution,
    CaseStatus,
    CaseUpdate,
)
from faultmaven.gateway.deps import EmbedderDep, EngineDep, PrincipalDep
from faultmaven.services import cases as case_service

router = APIRouter(prefix="/v1/cases", tags=["cases"])


@router.post("", status_code=status.HTTP_201_CREATED)
def create_case(request: CaseCreate, engine: EngineDep, principal: PrincipalDep) -> Case:
    """Open a case."""
    return case_service.create_case(engine, principal, request)


@router.get("")
def list_cases(
    engine: EngineDep,
    principal: PrincipalDep,
    status: CaseStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=case_service.MAX_PAGE)] = 50,
    cursor: str | None = None,
) -> CasePage:
    """List the tenant's cases, newest first."""
    return case_service.list_cases(engine, principal, status=status, limit=limit, cursor=cursor)


@router.get("/{case_id}")
def get_case(case_id: str, engine: EngineDep, principal: PrincipalDep) -> Case:
    """Read one case."""
    return case_service.get_case(engine, principal, case_id)


@router.patch("/{case_id}")
def update_case(
    case_id: str, request: CaseUpdate, engine: EngineDep, principal: PrincipalDep
) -> Case:
    """Change a case's title, description, severity or status (`closed` ends it unresolved)."""
    return case_service.update_case(engine, principal, case_id, request)


@router.post("/{case_id}/close")
def close_case(
    case_id: str,
    resolution: CaseResolution,
    engine: EngineDep,
    embedder: EmbedderDep,
    principal: PrincipalDep,
) -> Case:
    """Resolve a case: record its root cause and fix; the case becomes searchable knowledge."""
    return case_service.resolve_case(engine, principal, case_id, resolution, embedder=embedder)
