"""Cases in the database, always scoped to one tenant."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, select, tuple_, update

from faultmaven.domain.cases import Case, CaseStatus, Severity
from faultmaven.store.tables import cases


def _case(row: Row[Any]) -> Case:
    return Case(
        id=str(row.id),
        title=row.title,
        description=row.description,
        status=CaseStatus(row.status),
        severity=Severity(row.severity) if row.severity else None,
        created_at=row.created_at,
        updated_at=row.updated_at,
        root_cause=row.root_cause,
        fix=row.fix,
    )


def insert_case(connection: Connection, tenant_id: uuid.UUID, values: dict[str, Any]) -> Case:
    """Store a new case and return it."""
    row = connection.execute(
        cases.insert().values(tenant_id=tenant_id, **values).returning(*cases.c)
    ).one()
    return _case(row)


def get_case(connection: Connection, tenant_id: uuid.UUID, case_id: uuid.UUID) -> Case | None:
    """Return the tenant's case, or None when it does not exist or is another tenant's."""
    row = connection.execute(
        select(cases).where(cases.c.id == case_id, cases.c.tenant_id == tenant_id)
    ).first()
    return _case(row) if row else None


def lock_case(connection: Connection, tenant_id: uuid.UUID, case_id: uuid.UUID) -> Case | None:
    """Like `get_case`, holding a row lock until the transaction ends."""
    row = connection.execute(
        select(cases).where(cases.c.id == case_id, cases.c.tenant_id == tenant_id).with_for_update()
    ).first()
    return _case(row) if row else None


def update_case(
    connection: Connection, tenant_id: uuid.UUID, case_id: uuid.UUID, values: dict[str, Any]
) -> Case | None:
    """Change a case's fields; None when it is not the tenant's."""
    row = connection.execute(
        update(cases)
        .where(cases.c.id == case_id, cases.c.tenant_id == tenant_id)
        .values(**values)
        .returning(*cases.c)
    ).first()
    return _case(row) if row else None


def list_cases(
    connection: Connection,
    tenant_id: uuid.UUID,
    *,
    status: CaseStatus | None,
    limit: int,
    after: tuple[datetime, uuid.UUID] | None,
) -> list[Case]:
    """Return up to `limit` cases, newest first, starting after the `(created_at, id)` given."""
    query = select(cases).where(cases.c.tenant_id == tenant_id)
    if status is not None:
        query = query.where(cases.c.status == status.value)
    if after is not None:
        query = query.where(tuple_(cases.c.created_at, cases.c.id) < tuple_(*after))
    query = query.order_by(cases.c.created_at.desc(), cases.c.id.desc()).limit(limit)
    return [_case(row) for row in connection.execute(query)]
