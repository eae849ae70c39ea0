"""Event rows reach PostgreSQL in COPY binary format with every value as it was encoded."""

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, select

from faultmaven.domain.cases import CaseCreate
from faultmaven.domain.evidence import Evidence, PastedEvidence
from faultmaven.services import cases, evidence
from faultmaven.services.apikeys import tenant_principal
from faultmaven.store import logs as log_store
from faultmaven.store.tables import log_events

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _micros(moment: datetime) -> int:
    return (moment - EPOCH) // timedelta(microseconds=1)


def _evidence_id(engine: Engine, tmp_path: Path) -> uuid.UUID:
    principal = tenant_principal(engine, f"t-{uuid.uuid4().hex[:8]}")
    case = cases.create_case(engine, principal, CaseCreate(title="rows"))
    stored = evidence.add_pasted_evidence(
        engine,
        principal,
        case.id,
        PastedEvidence(name="one.log", content="a line"),
        spool=tmp_path,
        max_bytes=1 << 20,
    )
    assert isinstance(stored, Evidence)
    return uuid.UUID(stored.id)


def test_encoded_event_rows_are_stored_with_their_times_nulls_and_texts(
    engine: Engine, tmp_path: Path
) -> None:
    evidence_id = _evidence_id(engine, tmp_path)
    before_2000 = datetime(1999, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC)
    with_micros = datetime(2024, 5, 1, 10, 0, 1, 123_456, tzinfo=UTC)
    wanted: list[tuple[int, int, datetime | None, str | None, str, str | None, str]] = [
        (101, 101, before_2000, "INFO", "g" * 32, None, "generic"),
        (102, 140, with_micros, None, "grp-2", "disk_full", "plain"),
        (141, 141, None, "ERROR", "grp-2", None, "json"),
    ]
    encoder = log_store.EventRowEncoder(evidence_id)
    blocks = [
        b"".join(
            encoder.row(
                start,
                end,
                None if when is None else _micros(when),
                level,
                group,
                signature,
                log_format,
            )
            for start, end, when, level, group, signature, log_format in rows
        )
        for rows in (wanted[:2], wanted[2:])
    ]
    with engine.begin() as connection:
        log_store.copy_events(connection, evidence_id, blocks)
        stored = connection.execute(
            select(
                log_events.c.line_start,
                log_events.c.line_end,
                log_events.c.time,
                log_events.c.level,
                log_events.c.grp,
                log_events.c.signature,
                log_events.c.format,
            )
            .where(log_events.c.evidence_id == evidence_id, log_events.c.line_start > 100)
            .order_by(log_events.c.line_start)
        ).all()
    assert [tuple(row) for row in stored] == wanted
