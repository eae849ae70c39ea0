"""Ingest settles events a chunk at a time; a template generalised later regroups earlier events."""

import uuid
from pathlib import Path

import pytest
from psycopg.errors import ForeignKeyViolation
from sqlalchemy import Engine, delete, func, select, text

from faultmaven.domain.cases import CaseCreate
from faultmaven.domain.evidence import Evidence, PastedEvidence
from faultmaven.services import cases, evidence, log_ingest
from faultmaven.services import log_events as event_settling
from faultmaven.services.apikeys import tenant_principal
from faultmaven.store import logs as log_store
from faultmaven.store.tables import case_templates, evidence_lines, log_events

USERS = ["bob", "carol", "dave", "erin", "frank", "gina", "hank", "ivan", "judy", "kim"]


def test_events_of_an_early_chunk_follow_the_template_a_later_chunk_generalised(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(event_settling, "EVENTS_PER_CHUNK", 20)
    lines = [f"2024-05-01T10:00:{n:02d}Z INFO user alice logged in" for n in range(20)]
    lines += [f"2024-05-01T10:01:{n:02d}Z INFO user {USERS[n % 10]} logged in" for n in range(20)]
    principal = tenant_principal(engine, f"t-{uuid.uuid4().hex[:8]}")
    case = cases.create_case(engine, principal, CaseCreate(title="chunks"))
    stored = evidence.add_pasted_evidence(
        engine,
        principal,
        case.id,
        PastedEvidence(name="auth.log", content="\n".join(lines)),
        spool=tmp_path,
        max_bytes=1 << 20,
    )
    assert isinstance(stored, Evidence) and stored.line_count == 40
    with engine.connect() as connection:
        groups = connection.execute(
            select(log_events.c.grp).where(log_events.c.evidence_id == uuid.UUID(stored.id))
        ).scalars()
        templates = connection.execute(
            select(case_templates.c.template, case_templates.c.count).where(
                case_templates.c.case_id == uuid.UUID(case.id)
            )
        ).all()
    assert len(set(groups)) == 1
    assert [tuple(row) for row in templates] == [("user <*> logged in", 40)]


def _ingest(engine: Engine, tmp_path: Path, text: str) -> tuple[str, str]:
    principal = tenant_principal(engine, f"t-{uuid.uuid4().hex[:8]}")
    case = cases.create_case(engine, principal, CaseCreate(title="worker"))
    stored = evidence.add_pasted_evidence(
        engine,
        principal,
        case.id,
        PastedEvidence(name="app.log", content=text),
        spool=tmp_path,
        max_bytes=1 << 24,
    )
    assert isinstance(stored, Evidence)
    return case.id, stored.id


def _stored_events(engine: Engine, evidence_id: str) -> list[tuple[object, ...]]:
    with engine.connect() as connection:
        rows = connection.execute(
            select(
                log_events.c.line_start,
                log_events.c.line_end,
                log_events.c.time,
                log_events.c.level,
                log_events.c.grp,
                log_events.c.signature,
                log_events.c.format,
            )
            .where(log_events.c.evidence_id == uuid.UUID(evidence_id))
            .order_by(log_events.c.line_start)
        )
        return [tuple(row) for row in rows]


def test_a_worker_process_settles_the_same_events_as_the_inline_path(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = []
    for n in range(300):
        lines.append(f"2024-05-01 10:{n // 60:02d}:{n % 60:02d},001 INFO  [main] Api - served {n}")
        if n % 50 == 0:
            lines.append(f"2024-05-01 10:{n // 60:02d}:{n % 60:02d},002 ERROR [main] Api - disk")
            lines.append("java.io.IOException: No space left on device")
            lines.append("\tat com.shop.Store.write(Store.java:42)")
    text = "\n".join(lines)
    _, inline_id = _ingest(engine, tmp_path, text)
    monkeypatch.setattr(log_ingest, "WORKER_MIN_BYTES", 0)
    _, worker_id = _ingest(engine, tmp_path, text)
    inline, worker = _stored_events(engine, inline_id), _stored_events(engine, worker_id)
    assert worker == inline
    assert len(inline) == 306
    assert any(row[5] == "disk_full" for row in inline)


def test_lines_of_evidence_that_does_not_exist_are_refused(engine: Engine) -> None:
    with engine.connect() as connection, pytest.raises(ForeignKeyViolation):
        log_store.copy_lines(connection, uuid.uuid4(), ["orphan line"])


def test_a_copy_checks_its_evidence_once_and_leaves_row_checks_on_after_it(
    engine: Engine, tmp_path: Path
) -> None:
    _, evidence_id = _ingest(engine, tmp_path, "first\nsecond")
    with engine.connect() as connection:
        connection.execute(
            delete(evidence_lines).where(evidence_lines.c.evidence_id == uuid.UUID(evidence_id))
        )
        written = log_store.copy_lines(connection, uuid.UUID(evidence_id), ["a", "b", "c"])
        role = connection.execute(text("SHOW session_replication_role")).scalar_one()
        count = connection.execute(
            select(func.count()).where(evidence_lines.c.evidence_id == uuid.UUID(evidence_id))
        ).scalar_one()
        connection.rollback()
    assert (written, count, role) == (3, 3, "origin")


def test_events_read_by_a_worker_in_several_chunks_are_all_stored_in_order(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    count = event_settling.EVENTS_PER_CHUNK + 7
    text = "\n".join(
        f"2024-05-01 10:{n // 60 % 60:02d}:{n % 60:02d},001 WARN [main] Api - slow {n:x} {n}"
        for n in range(count)
    )
    _, inline_id = _ingest(engine, tmp_path, text)
    monkeypatch.setattr(log_ingest, "WORKER_MIN_BYTES", 0)
    _, worker_id = _ingest(engine, tmp_path, text)
    inline, worker = _stored_events(engine, inline_id), _stored_events(engine, worker_id)
    assert worker == inline
    assert [row[0] for row in worker] == list(range(1, count + 1))
