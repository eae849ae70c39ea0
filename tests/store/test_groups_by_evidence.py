"""The distinct templates of each evidence item of a case, read back in one query."""

import uuid
from pathlib import Path

from sqlalchemy import Engine

from faultmaven.domain.cases import CaseCreate
from faultmaven.domain.evidence import Evidence, PastedEvidence
from faultmaven.domain.tenants import Principal
from faultmaven.services import cases, evidence
from faultmaven.services.apikeys import tenant_principal
from faultmaven.store import logs as log_store


def _paste(
    engine: Engine, principal: Principal, case_id: str, name: str, text: str, spool: Path
) -> str:
    stored = evidence.add_pasted_evidence(
        engine,
        principal,
        case_id,
        PastedEvidence(name=name, content=text),
        spool=spool,
        max_bytes=1 << 20,
    )
    assert isinstance(stored, Evidence)
    return stored.id


def test_each_evidence_item_lists_its_own_templates_and_no_other_cases(
    engine: Engine, tmp_path: Path
) -> None:
    principal = tenant_principal(engine, f"t-{uuid.uuid4().hex[:8]}")
    case = cases.create_case(engine, principal, CaseCreate(title="two logs"))
    other = cases.create_case(engine, principal, CaseCreate(title="elsewhere"))
    served = "\n".join(f"2024-05-01T10:00:{n:02d}Z INFO served request {n}" for n in range(10))
    failed = "\n".join(f"2024-05-01T10:01:{n:02d}Z ERROR disk {n} is full" for n in range(10))
    healthy_id = _paste(engine, principal, case.id, "healthy.log", served, tmp_path)
    failing_id = _paste(engine, principal, case.id, "failing.log", served + "\n" + failed, tmp_path)
    _paste(engine, principal, other.id, "other.log", failed, tmp_path)
    with engine.connect() as connection:
        groups = log_store.groups_by_evidence(connection, uuid.UUID(case.id))
    assert set(groups) == {uuid.UUID(healthy_id), uuid.UUID(failing_id)}
    assert len(groups[uuid.UUID(healthy_id)]) == 1
    assert len(groups[uuid.UUID(failing_id)]) == 2
    assert groups[uuid.UUID(healthy_id)] < groups[uuid.UUID(failing_id)]
