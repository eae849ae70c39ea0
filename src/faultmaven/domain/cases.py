"""Cases: one investigation, from the first question to the resolution."""

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

CaseTitle = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]


class CaseStatus(StrEnum):
    """Where a case is in its life."""

    OPEN = "open"
    RESOLVED = "resolved"
    CLOSED = "closed"


class Severity(StrEnum):
    """How bad the incident behind a case is."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class CaseCreate(BaseModel):
    """What a client gives to open a case."""

    title: CaseTitle
    severity: Severity | None = None
    description: str | None = Field(default=None, max_length=20_000)


class CaseUpdate(BaseModel):
    """Fields a client may change; unset fields stay as they are."""

    title: CaseTitle | None = None
    status: CaseStatus | None = None
    severity: Severity | None = None
    description: str | None = Field(default=None, max_length=20_000)


class CaseResolution(BaseModel):
    """What closing a case with a resolution records."""

    root_cause: str = Field(min_length=1, max_length=20_000)
    fix: str = Field(min_length=1, max_length=20_000)
    hypothesis_id: str | None = None


class Case(BaseModel):
    """A case as clients see it."""

    id: str
    title: str
    description: str | None
    status: CaseStatus
    severity: Severity | None
    created_at: datetime
    updated_at: datetime
    root_cause: str | None = None
    fix: str | None = None


class CasePage(BaseModel):
    """One page of cases, newest first; pass `next_cursor` back to get the next one."""

    items: list[Case]
    next_cursor: str | None
