"""Evidence use cases: add (upload or paste), list, read lines, delete."""

import tempfile
import uuid
import zoneinfo
from dataclasses import replace
from datetime import UTC
from pathlib import Path

from sqlalchemy import Connection, Engine

from faultmaven.domain.errors import (
    EvidenceTooLargeError,
    InvalidInputError,
    NotFoundError,
    UnsupportedEvidenceError,
)
from faultmaven.domain.evidence import (
    Evidence,
    EvidenceBatch,
    EvidenceKind,
    EvidenceStatus,
    LineWindow,
    PastedEvidence,
)
from faultmaven.domain.tenants import Principal
from faultmaven.services.cases import require_case
from faultmaven.services.evidence_ingest import IngestOptions, check_acceptable, ingest_item
from faultmaven.services.evidence_unpack import UnpackedItem, spool_bytes, unpack_upload
from faultmaven.services.ids import parse_id
from faultmaven.store import evidence as evidence_store

MAX_LINES_PER_READ = 5_000


def ingest_options(
    kind: EvidenceKind | None, timezone: str | None, source_url: str | None = None
) -> IngestOptions:
    """Check what the client said about the evidence and turn it into ingest options."""
    zone = UTC if not timezone else _zone(timezone)
    return IngestOptions(kind=kind, timezone=zone, timezone_name=timezone, source_url=source_url)


def _zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise InvalidInputError(
            f"unknown time zone {name!r}: use an IANA name like Europe/Berlin"
        ) from None


def add_uploaded_evidence(
    engine: Engine,
    principal: Principal,
    case_id: str,
    upload: Path,
    name: str,
    options: IngestOptions,
    *,
    spool: Path,
    max_bytes: int,
) -> Evidence | EvidenceBatch:
    """Add an uploaded file (already spooled to `upload`) to the case.

    An archive answers with one item per member. Refused uploads store nothing.
    The file at `upload` is left where it is.
    """
    tenant_id, case_uuid = _require_case(engine, principal, case_id)
    spool.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=spool, prefix="unpack-") as work:
        items, is_archive = unpack_upload(upload, name, Path(work), max_bytes)
        if not is_archive:
            check_acceptable(items[0])
        elif not items:
            raise InvalidInputError(f"archive {name!r} holds no files")
        else:
            items = [_refused_member_as_failure(item) for item in items]
        stored = [ingest_item(engine, tenant_id, case_uuid, item, options) for item in items]
    return EvidenceBatch(items=stored) if is_archive else stored[0]


def _refused_member_as_failure(item: UnpackedItem) -> UnpackedItem:
    """Keep an archive member FaultMaven cannot read as failed evidence instead of dropping it."""
    if item.failure is not None:
        return item
    try:
        check_acceptable(item)
    except UnsupportedEvidenceError as error:
        return replace(item, failure=error.detail)
    return item


def add_pasted_evidence(
    engine: Engine,
    principal: Principal,
    case_id: str,
    pasted: PastedEvidence,
    *,
    spool: Path,
    max_bytes: int,
) -> Evidence | EvidenceBatch:
    """Add text pasted by the client (e.g. an error message, a captured page) to the case."""
    data = pasted.content.encode("utf-8")
    if not data.strip():
        raise InvalidInputError("content is empty: there is nothing to analyse")
    if len(data) > max_bytes:
        raise EvidenceTooLargeError(f"content is {len(data)} bytes, over the limit of {max_bytes}")
    options = ingest_options(pasted.kind, pasted.timezone, pasted.source_url)
    _require_case(engine, principal, case_id)
    spool.mkdir(parents=True, exist_ok=True)
    path = spool_bytes(data, spool)
    try:
        return add_uploaded_evidence(
            engine, principal, case_id, path, pasted.name, options, spool=spool, max_bytes=max_bytes
        )
    finally:
        path.unlink(missing_ok=True)


def list_evidence(engine: Engine, principal: Principal, case_id: str) -> list[Evidence]:
    """Return the case's evidence, oldest first."""
    tenant_id, case_uuid = _require_case(engine, principal, case_id)
    with engine.connect() as connection:
        return evidence_store.list_evidence(connection, tenant_id, case_uuid)


def get_evidence(engine: Engine, principal: Principal, case_id: str, evidence_id: str) -> Evidence:
    """Return one piece of the case's evidence."""
    tenant_id, case_uuid = _require_case(engine, principal, case_id)
    with engine.connect() as connection:
        found = evidence_store.get_evidence(
            connection, tenant_id, case_uuid, parse_id(evidence_id, "evidence")
        )
    if found is None:
        raise NotFoundError(f"evidence {evidence_id!r} not found in case {case_id!r}")
    return found


def read_lines(
    engine: Engine,
    principal: Principal,
    case_id: str,
    evidence_id: str,
    start: int = 1,
    end: int | None = None,
) -> LineWindow:
    """Return lines `start`..`end` (inclusive, 1-based) of one piece of evidence."""
    found = get_evidence(engine, principal, case_id, evidence_id)
    last = min(end if end is not None else found.line_count, start + MAX_LINES_PER_READ - 1)
    if start < 1 or last < start:
        raise InvalidInputError(f"line range {start}..{end} is empty or starts before line 1")
    with engine.connect() as connection:
        lines = evidence_store.read_lines(connection, uuid.UUID(found.id), start, last)
    return LineWindow(lines=lines)


def delete_evidence(engine: Engine, principal: Principal, case_id: str, evidence_id: str) -> None:
    """Remove one piece of evidence with its bytes and lines."""
    tenant_id, case_uuid = _require_case(engine, principal, case_id)
    with engine.begin() as connection:
        deleted = evidence_store.delete_evidence(
            connection, tenant_id, case_uuid, parse_id(evidence_id, "evidence")
        )
    if not deleted:
        raise NotFoundError(f"evidence {evidence_id!r} not found in case {case_id!r}")


def _require_case(
    engine: Engine, principal: Principal, case_id: str
) -> tuple[uuid.UUID, uuid.UUID]:
    with engine.connect() as connection:
        return require_case(connection, principal, case_id)


def ready_evidence(
    connection: Connection, tenant_id: uuid.UUID, case_id: uuid.UUID
) -> list[Evidence]:
    """Return the case's evidence that finished processing, oldest first."""
    return [
        item
        for item in evidence_store.list_evidence(connection, tenant_id, case_id)
        if item.status is EvidenceStatus.READY
    ]
