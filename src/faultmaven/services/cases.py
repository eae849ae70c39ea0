"""Cases: open, list, read, change, resolve or close an investigation."""

import base64
import uuid
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine

from faultmaven.domain.cases import (
    Case,
    CaseCreate,
    CasePage,
    CaseResolution,
    CaseStatus,
    CaseUpdate,
)
from faultmaven.domain.diagnosis import HypothesisState
from faultmaven.domain.errors import InvalidInputError, NotFoundError
from faultmaven.domain.tenants import Principal
from faultmaven.knowledge.embeddings import Embedder
from faultmaven.services.apikeys import tenant_uuid
from faultmaven.services.case_knowledge import remember_resolved_case
from faultmaven.services.ids import parse_id
from faultmaven.store import cases as case_store
from faultmaven.store import hypotheses as hypothesis_store

MAX_PAGE = 200


def create_case(engine: Engine, principal: Principal, request: CaseCreate) -> Case:
    """Open a new case for the principal's tenant."""
    now = datetime.now(UTC)
    with engine.begin() as connection:
        return case_store.insert_case(
            connection,
            tenant_uuid(principal),
            {
                "id": uuid.uuid4(),
                "title": request.title,
                "description": request.description,
                "severity": request.severity.value if request.severity else None,
                "status": CaseStatus.OPEN.value,
                "created_at": now,
                "updated_at": now,
            },
        )


def require_case(
    connection: Connection, principal: Principal, case_id: str
) -> tuple[uuid.UUID, uuid.UUID]:
    """Return `(tenant id, case id)` of one of the tenant's cases; not found otherwise."""
    tenant_id = tenant_uuid(principal)
    case_uuid = parse_id(case_id, "case")
    if case_store.get_case(connection, tenant_id, case_uuid) is None:
        raise NotFoundError(f"case {case_id!r} not found")
    return tenant_id, case_uuid


def get_case(engine: Engine, principal: Principal, case_id: str) -> Case:
    """Return one of the tenant's cases."""
    with engine.connect() as connection:
        case = case_store.get_case(connection, tenant_uuid(principal), parse_id(case_id, "case"))
    if case is None:
        raise NotFoundError(f"case {case_id!r} not found")
    return case


def list_cases(
    engine: Engine,
    principal: Principal,
    *,
    status: CaseStatus | None = None,
    limit: int = 50,
    cursor: str | None = None,
) -> CasePage:
    """Return a page of the tenant's cases, newest first."""
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInputError(f"limit must be between 1 and {MAX_PAGE}")
    after = _decode_cursor(cursor) if cursor else None
    with engine.connect() as connection:
        items = case_store.list_cases(
            connection, tenant_uuid(principal), status=status, limit=limit + 1, after=after
        )
    next_cursor = _encode_cursor(items[limit - 1]) if len(items) > limit else None
    return CasePage(items=items[:limit], next_cursor=next_cursor)


def update_case(engine: Engine, principal: Principal, case_id: str, request: CaseUpdate) -> Case:
    """Change a case's title, description, severity or status.

    Setting `resolved` needs a resolution and goes through `resolve_case`.
    """
    changes = request.model_dump(exclude_unset=True)
    if changes.get("status") == CaseStatus.RESOLVED:
        raise InvalidInputError(
            "a case is resolved with POST /v1/cases/{id}/close and a root cause"
        )
    if "title" in changes and changes["title"] is None:
        raise InvalidInputError("title cannot be empty")
    values = {
        key: (value.value if hasattr(value, "value") else value) for key, value in changes.items()
    }
    values["updated_at"] = datetime.now(UTC)
    with engine.begin() as connection:
        case = case_store.update_case(
            connection, tenant_uuid(principal), parse_id(case_id, "case"), values
        )
    if case is None:
        raise NotFoundError(f"case {case_id!r} not found")
    return case


def resolve_case(
    engine: Engine,
    principal: Principal,
    case_id: str,
    resolution: CaseResolution,
    *,
    embedder: Embedder | None = None,
) -> Case:
    """Record the root cause and fix, mark the case resolved, and make it knowledge.

    The knowledge document is keyed by the case, so resolving again updates it.
    """
    resolved_at = datetime.now(UTC)
    values = {
        "status": CaseStatus.RESOLVED.value,
        "root_cause": resolution.root_cause,
        "fix": resolution.fix,
        "resolved_hypothesis_id": resolution.hypothesis_id,
        "updated_at": resolved_at,
    }
    with engine.begin() as connection:
        case = case_store.update_case(
            connection, tenant_uuid(principal), parse_id(case_id, "case"), values
        )
        if case is not None and resolution.hypothesis_id:
            hypothesis_store.record_verdict(
                connection,
                tenant_uuid(principal),
                uuid.UUID(case.id),
                resolution.hypothesis_id,
                HypothesisState.CONFIRMED,
                "Confirmed when the case was resolved.",
                resolved_at,
            )
    if case is None:
        raise NotFoundError(f"case {case_id!r} not found")
    remember_resolved_case(engine, embedder, principal, case, resolution.hypothesis_id)
    return case


def _encode_cursor(case: Case) -> str:
    raw = f"{case.created_at.isoformat()}|{case.id}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        created_at, case_id = base64.urlsafe_b64decode(padded).decode().split("|")
        return datetime.fromisoformat(created_at), uuid.UUID(case_id)
    except ValueError:
        raise InvalidInputError("cursor is not one this server handed out") from None
