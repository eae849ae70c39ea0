"""What the reasoner is told about stored evidence: notable events and their counts."""

import uuid
from pathlib import Path

from sqlalchemy import Engine

from faultmaven.domain.cases import CaseCreate
from faultmaven.domain.evidence import Evidence, Level, PastedEvidence
from faultmaven.services import cases, evidence
from faultmaven.services.apikeys import tenant_principal
from faultmaven.store import logs as log_store

LOG = "\n".join(
    [
        "2024-05-01T10:00:00Z INFO payment 17 settled in 40ms",
        "2024-05-01T10:00:01Z INFO payment 18 settled in 41ms",
        "2024-05-01T10:00:02Z ERROR payment 19 settled in 9000ms",
        "2024-05-01T10:00:03Z ERROR payment 20 settled in 9100ms",
        "2024-05-01T10:00:04Z web-1 kernel: Out of memory: Killed process 4242 (java)",
    ]
)


def _stored(engine: Engine, tmp_path: Path) -> tuple[uuid.UUID, Evidence]:
    principal = tenant_principal(engine, f"t-{uuid.uuid4().hex[:8]}")
    case = cases.create_case(engine, principal, CaseCreate(title="summaries"))
    added = evidence.add_pasted_evidence(
        engine,
        principal,
        case.id,
        PastedEvidence(name="payments.log", content=LOG),
        spool=tmp_path,
        max_bytes=1024 * 1024,
    )
    assert isinstance(added, Evidence)
    return uuid.UUID(case.id), added


def test_notable_lines_are_problems_and_signature_matches_only(
    engine: Engine, tmp_path: Path
) -> None:
    case_uuid, stored = _stored(engine, tmp_path)
    with engine.connect() as connection:
        lines = log_store.notable_events(
            connection, case_uuid, {uuid.UUID(stored.id): stored.name}, 100
        )
    assert [line.n for line in lines] == [3, 4, 5]
    assert [line.level for line in lines[:2]] == [Level.ERROR, Level.ERROR]
    assert lines[2].signature is not None
    assert lines[0].time is not None and lines[0].time.isoformat() == "2024-05-01T10:00:02+00:00"


def test_group_counts_count_notable_occurrences_not_every_line_of_that_shape(
    engine: Engine, tmp_path: Path
) -> None:
    case_uuid, stored = _stored(engine, tmp_path)
    with engine.connect() as connection:
        lines = log_store.notable_events(
            connection, case_uuid, {uuid.UUID(stored.id): stored.name}, 100
        )
        [summary] = log_store.evidence_summaries(connection, case_uuid, [stored], 100)
    assert lines[0].group == lines[1].group == "payment <*> settled in <*>"
    assert summary.group_counts[lines[0].group] == 2
    assert summary.problem_line_count == 3
    assert summary.line_count == 5
    assert summary.first_time is not None and summary.last_time is not None
    assert summary.first_time < summary.last_time
