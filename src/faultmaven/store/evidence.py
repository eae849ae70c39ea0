"""Evidence, its original bytes and its analysed lines in the database."""

import uuid
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO

from sqlalchemy import Connection, Row, delete, func, select, update

from faultmaven.domain.evidence import (
    AnalysedLine,
    Evidence,
    EvidenceKind,
    EvidenceStatus,
    EvidenceSummary,
    Level,
    NumberedLine,
)
from faultmaven.store.tables import evidence, evidence_blobs, evidence_groups, evidence_lines

BLOB_CHUNK_BYTES = 1024 * 1024
NOTABLE_LEVELS = (Level.WARN.value, Level.ERROR.value, Level.FATAL.value)


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


def read_original_bytes(connection: Connection, evidence_id: uuid.UUID) -> Iterator[bytes]:
    """Yield the original bytes of one piece of evidence, chunk by chunk."""
    seqs = connection.execute(
        select(evidence_blobs.c.seq)
        .where(evidence_blobs.c.evidence_id == evidence_id)
        .order_by(evidence_blobs.c.seq)
    ).scalars()
    for seq in list(seqs):
        yield connection.execute(
            select(evidence_blobs.c.data).where(
                evidence_blobs.c.evidence_id == evidence_id, evidence_blobs.c.seq == seq
            )
        ).scalar_one()


def copy_lines(connection: Connection, lines: Iterable[AnalysedLine]) -> None:
    """Bulk-load analysed lines with COPY; the group is kept only for notable lines."""
    driver_connection = connection.connection.driver_connection
    assert driver_connection is not None
    columns = "evidence_id, n, text, time, level, grp, signature"
    with (
        driver_connection.cursor() as cursor,
        cursor.copy(f"COPY evidence_lines ({columns}) FROM STDIN") as copy,
    ):
        for line in lines:
            level = line.level.value if line.level else None
            is_notable = level in NOTABLE_LEVELS or line.signature is not None
            copy.write_row(
                (
                    line.evidence_id,
                    line.n,
                    line.text,
                    line.time,
                    level,
                    line.group if is_notable else None,
                    line.signature,
                )
            )


def insert_groups(
    connection: Connection,
    evidence_id: uuid.UUID,
    groups: Iterable[tuple[str, int, int, int, str | None]],
) -> None:
    """Store `(group, count, notable count, first line, worst level)` for one evidence."""
    rows = [
        {
            "evidence_id": evidence_id,
            "grp": grp,
            "count": count,
            "notable_count": notable_count,
            "first_n": first_n,
            "level": level,
        }
        for grp, count, notable_count, first_n, level in groups
    ]
    if rows:
        connection.execute(evidence_groups.insert(), rows)


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


def notable_lines(
    connection: Connection, evidence_ids: dict[uuid.UUID, str], limit: int
) -> list[AnalysedLine]:
    """Return the warning-or-worse and signature-matched lines of the evidence given.

    `evidence_ids` maps each evidence id to its name; lines come in evidence order,
    then line order, at most `limit` of them per evidence.
    """
    found: list[AnalysedLine] = []
    for evidence_id, name in evidence_ids.items():
        rows = connection.execute(
            select(evidence_lines)
            .where(
                evidence_lines.c.evidence_id == evidence_id,
                evidence_lines.c.level.in_(NOTABLE_LEVELS)
                | evidence_lines.c.signature.is_not(None),
            )
            .order_by(evidence_lines.c.n)
            .limit(limit)
        )
        found.extend(
            AnalysedLine(
                evidence_id=str(evidence_id),
                evidence_name=name,
                n=row.n,
                text=row.text,
                time=row.time,
                level=Level(row.level) if row.level else None,
                group=row.grp or "",
                signature=row.signature,
            )
            for row in rows
        )
    return found


def summaries(
    connection: Connection, ready: list[Evidence], group_limit: int
) -> list[EvidenceSummary]:
    """Return what a reasoner needs to know about each ready piece of evidence."""
    result = []
    for item in ready:
        evidence_id = uuid.UUID(item.id)
        times = connection.execute(
            select(
                func.min(evidence_lines.c.time),
                func.max(evidence_lines.c.time),
                func.count().filter(
                    evidence_lines.c.level.in_(NOTABLE_LEVELS)
                    | evidence_lines.c.signature.is_not(None)
                ),
            ).where(evidence_lines.c.evidence_id == evidence_id)
        ).one()
        busiest_notable = (
            select(evidence_groups.c.grp, evidence_groups.c.notable_count)
            .where(
                evidence_groups.c.evidence_id == evidence_id, evidence_groups.c.notable_count > 0
            )
            .order_by(evidence_groups.c.notable_count.desc())
            .limit(group_limit)
        )
        group_counts = {grp: count for grp, count in connection.execute(busiest_notable)}
        result.append(
            EvidenceSummary(
                evidence_id=item.id,
                evidence_name=item.name,
                kind=item.kind,
                line_count=item.line_count,
                problem_line_count=times[2],
                first_time=times[0],
                last_time=times[1],
                group_counts=group_counts,
            )
        )
    return result
