"""Tenants and the API keys that act for them."""

from datetime import datetime

from pydantic import BaseModel


class Principal(BaseModel):
    """Who a request acts for: the tenant and the key that proved it."""

    tenant_id: str
    tenant: str
    key_id: str


class ApiKeyInfo(BaseModel):
    """An API key's public facts; the secret itself is never stored."""

    key_id: str
    tenant: str
    created_at: datetime
    revoked_at: datetime | None


class NewApiKey(BaseModel):
    """A freshly created key: `key` is shown once and then only its hash exists."""

    key_id: str
    tenant: str
    key: str
