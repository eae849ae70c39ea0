"""Evidence, its original bytes and its analysed lines in the database."""

import uuid
from typing import Any, BinaryIO

from sqlalchemy import Connection, Row, delete, select, update

from faultmaven.domain.evidence import (
    Evidence,
    EvidenceKind,
    EvidenceStatus,
    NumberedLine,
)
from faultmaven.store.tables import evidence, evidence_blobs, evidence_lines

BLOB_CHUNK_BYTES = 1024 * 1024


def _evidence(row: Row[Any]) -> Evidence:
    return Evidence(
        id=str(row.id),
        name=row.name,
        kind=EvidenceKind(row.kind),
        status=EvidenceStatus(row.status),
        size_bytes=row.size_bytes,
        line_count=row.line_count,
        decode_errors=row.decode_errors,
        error=row.error,
        created_at=row.created_at,
        source_url=row.source_url,
        timezone=row.timezone,
    )


def insert_evidence(connection: Connection, values: dict[str, Any]) -> Evidence:
    """Store a new evidence record and return it."""
    row = connection.execute(evidence.insert().values(**values).returning(*evidence.c)).one()
    return _evidence(row)


def finish_evidence(
    connection: Connection,
    evidence_id: uuid.UUID,
    *,
    status: EvidenceStatus,
    line_count: int = 0,
    decode_errors: int = 0,
    encoding: str | None = None,
    error: str | None = None,
) -> Evidence:
    """Record the outcome of processing one piece of evidence."""
    row = connection.execute(
        update(evidence)
        .where(evidence.c.id == evidence_id)
        .values(
            status=status.value,
            line_count=line_count,
            decode_errors=decode_errors,
            encoding=encoding,
            error=error,
        )
        .returning(*evidence.c)
    ).one()
    return _evidence(row)


def write_original_bytes(connection: Connection, evidence_id: uuid.UUID, source: BinaryIO) -> int:
    """Keep the bytes as sent, in chunks; return how many were stored."""
    total = 0
    for seq, chunk in enumerate(iter(lambda: source.read(BLOB_CHUNK_BYTES), b"")):
        connection.execute(
            evidence_blobs.insert().values(evidence_id=evidence_id, seq=seq, data=chunk)
        )
        total += len(chunk)
    return total


def get_evidence(
    connection: Connection, tenant_id: uuid.UUID, case_id: uuid.UUID, evidence_id: uuid.UUID
) -> Evidence | None:
    """Return one piece of the tenant's evidence in the case, or None."""
    row = connection.execute(
        select(evidence).where(
            evidence.c.id == evidence_id,
            evidence.c.case_id == case_id,
            evidence.c.tenant_id == tenant_id,
        )
    ).first()
    return _evidence(row) if row else None


def list_evidence(
    connection: Connection, tenant_id: uuid.UUID, case_id: uuid.UUID
) -> list[Evidence]:
    """Return a case's evidence, oldest first."""
    rows = connection.execute(
        select(evidence)
        .where(evidence.c.case_id == case_id, evidence.c.tenant_id == tenant_id)
        .order_by(evidence.c.created_at, evidence.c.id)
    )
    return [_evidence(row) for row in rows]


def delete_evidence(
    connection: Connection, tenant_id: uuid.UUID, case_id: uuid.UUID, evidence_id: uuid.UUID
) -> bool:
    """Delete one piece of evidence with its bytes and lines; False if it was not there."""
    result = connection.execute(
        delete(evidence).where(
            evidence.c.id == evidence_id,
            evidence.c.case_id == case_id,
            evidence.c.tenant_id == tenant_id,
        )
    )
    return result.rowcount > 0


def read_lines(
    connection: Connection, evidence_id: uuid.UUID, start: int, end: int
) -> list[NumberedLine]:
    """Return lines `start`..`end` (inclusive) of one piece of evidence."""
    rows = connection.execute(
        select(evidence_lines.c.n, evidence_lines.c.text)
        .where(
            evidence_lines.c.evidence_id == evidence_id,
            evidence_lines.c.n.between(start, end),
        )
        .order_by(evidence_lines.c.n)
    )
    return [NumberedLine(n=row.n, text=row.text) for row in rows]
