"""Ingest settles events a chunk at a time; a template generalised later regroups earlier events."""

import uuid
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from faultmaven.domain.cases import CaseCreate
from faultmaven.domain.evidence import Evidence, PastedEvidence
from faultmaven.services import cases, evidence, log_ingest
from faultmaven.services.apikeys import tenant_principal
from faultmaven.store.tables import case_templates, log_events

USERS = ["bob", "carol", "dave", "erin", "frank", "gina", "hank", "ivan", "judy", "kim"]


def test_events_of_an_early_chunk_follow_the_template_a_later_chunk_generalised(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(log_ingest, "EVENTS_PER_CHUNK", 20)
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
