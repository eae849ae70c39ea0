"""API keys: created once, shown once, stored as a hash, checked on every request."""

import hashlib
import hmac
import os
import re
import secrets
import uuid
from pathlib import Path

from sqlalchemy import Engine

from faultmaven.domain.errors import AuthenticationError, InvalidInputError, NotFoundError
from faultmaven.domain.tenants import ApiKeyInfo, NewApiKey, Principal
from faultmaven.store import tenants as tenant_store

KEY_PREFIX = "fmk"
LOCAL_TENANT = "local"
_KEY_PATTERN = re.compile(rf"^{KEY_PREFIX}_([0-9a-f]{{16}})_([A-Za-z0-9_-]{{43}})$")
_TENANT_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,99}$")


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


def validate_tenant_name(tenant: str) -> str:
    """Return the tenant name if usable (lower-case letters, digits, `.`, `_`, `-`)."""
    if not _TENANT_PATTERN.match(tenant):
        raise InvalidInputError(
            f"tenant name {tenant!r} must be 1-100 lower-case letters, digits, '.', '_' or '-'"
        )
    return tenant


def create_api_key(engine: Engine, tenant: str) -> NewApiKey:
    """Create a key for `tenant` (creating the tenant too); the secret is returned only here."""
    validate_tenant_name(tenant)
    key_id = secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    with engine.begin() as connection:
        tenant_id = tenant_store.ensure_tenant(connection, tenant)
        tenant_store.add_api_key(
            connection, key_id=key_id, tenant_id=tenant_id, secret_sha256=_hash(secret)
        )
    return NewApiKey(key_id=key_id, tenant=tenant, key=f"{KEY_PREFIX}_{key_id}_{secret}")


def authenticate(engine: Engine, key: str | None) -> Principal:
    """Return who `key` acts for, or refuse it."""
    match = _KEY_PATTERN.match(key or "")
    if match is None:
        raise AuthenticationError(
            "missing or malformed API key: send 'Authorization: Bearer <key>'"
        )
    key_id, secret = match.groups()
    with engine.connect() as connection:
        found = tenant_store.find_active_key(connection, key_id)
    if found is None or not hmac.compare_digest(found[0], _hash(secret)):
        raise AuthenticationError("unknown or revoked API key")
    return Principal(tenant_id=str(found[1]), tenant=found[2], key_id=key_id)


def tenant_principal(engine: Engine, tenant: str) -> Principal:
    """Act as `tenant` without a key: for the CLI, which runs with the database's own access."""
    validate_tenant_name(tenant)
    with engine.begin() as connection:
        tenant_id = tenant_store.ensure_tenant(connection, tenant)
    return Principal(tenant_id=str(tenant_id), tenant=tenant, key_id="cli")


def list_api_keys(engine: Engine, tenant: str | None = None) -> list[ApiKeyInfo]:
    """List keys, of one tenant or of all."""
    with engine.connect() as connection:
        return tenant_store.list_api_keys(connection, tenant)


def revoke_api_key(engine: Engine, key_id: str) -> None:
    """Revoke a key so it is refused from now on."""
    with engine.begin() as connection:
        if not tenant_store.revoke_api_key(connection, key_id):
            raise NotFoundError(f"no active API key with id {key_id!r}")


def ensure_local_api_key(engine: Engine, key_file: Path) -> str:
    """Return the `local` tenant's key kept in `key_file`, creating it on first start.

    The file is readable by the user alone. A key in the file that the database no
    longer accepts (revoked, or a fresh database) is replaced.
    """
    if key_file.exists():
        key = key_file.read_text().strip()
        try:
            authenticate(engine, key)
            return key
        except AuthenticationError:
            pass
    new_key = create_api_key(engine, LOCAL_TENANT)
    key_file.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(new_key.key + "\n")
    key_file.chmod(0o600)
    return new_key.key


def tenant_uuid(principal: Principal) -> uuid.UUID:
    """Return the principal's tenant id as the database keys it."""
    return uuid.UUID(principal.tenant_id)
