"""Turning ids from requests into database keys without leaking whether they exist."""

import uuid

from faultmaven.domain.errors import NotFoundError


def parse_id(value: str, what: str) -> uuid.UUID:
    """Return `value` as a UUID; anything else is simply not found."""
    try:
        return uuid.UUID(value)
    except (ValueError, AttributeError, TypeError):
        raise NotFoundError(f"{what} {value!r} not found") from None
