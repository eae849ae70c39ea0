"""Tenants and API keys in the database."""

import uuid
from datetime import UTC, datetime

from sqlalchemy import Connection, select, update
from sqlalchemy.dialects.postgresql import insert

from faultmaven.domain.tenants import ApiKeyInfo
from faultmaven.store.tables import api_keys, tenants


def ensure_tenant(connection: Connection, name: str) -> uuid.UUID:
    """Return the id of the tenant called `name`, creating it if it does not exist."""
    statement = (
        insert(tenants)
        .values(id=uuid.uuid4(), name=name, created_at=datetime.now(UTC))
        .on_conflict_do_nothing(index_elements=["name"])
    )
    connection.execute(statement)
    tenant_id: uuid.UUID = connection.execute(
        select(tenants.c.id).where(tenants.c.name == name)
    ).scalar_one()
    return tenant_id


def add_api_key(
    connection: Connection, *, key_id: str, tenant_id: uuid.UUID, secret_sha256: str
) -> None:
    """Store a new key's id and the hash of its secret."""
    connection.execute(
        api_keys.insert().values(
            id=key_id,
            tenant_id=tenant_id,
            secret_sha256=secret_sha256,
            created_at=datetime.now(UTC),
        )
    )


def find_active_key(connection: Connection, key_id: str) -> tuple[str, uuid.UUID, str] | None:
    """Return `(secret_sha256, tenant_id, tenant_name)` of an unrevoked key, or None."""
    row = connection.execute(
        select(api_keys.c.secret_sha256, tenants.c.id, tenants.c.name)
        .join(tenants, tenants.c.id == api_keys.c.tenant_id)
        .where(api_keys.c.id == key_id, api_keys.c.revoked_at.is_(None))
    ).first()
    return (row[0], row[1], row[2]) if row else None


def list_api_keys(connection: Connection, tenant: str | None = None) -> list[ApiKeyInfo]:
    """List keys (of one tenant, or all), oldest first."""
    query = (
        select(api_keys.c.id, tenants.c.name, api_keys.c.created_at, api_keys.c.revoked_at)
        .join(tenants, tenants.c.id == api_keys.c.tenant_id)
        .order_by(api_keys.c.created_at)
    )
    if tenant is not None:
        query = query.where(tenants.c.name == tenant)
    return [
        ApiKeyInfo(key_id=row[0], tenant=row[1], created_at=row[2], revoked_at=row[3])
        for row in connection.execute(query)
    ]


def revoke_api_key(connection: Connection, key_id: str) -> bool:
    """Revoke a key; return False if no active key has that id."""
    result = connection.execute(
        update(api_keys)
        .where(api_keys.c.id == key_id, api_keys.c.revoked_at.is_(None))
        .values(revoked_at=datetime.now(UTC))
    )
    return result.rowcount > 0
