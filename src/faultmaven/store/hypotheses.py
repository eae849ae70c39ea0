"""The case's hypotheses across turns, and the engineer's verdicts on them."""

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, case, select, update
from sqlalchemy.dialects.postgresql import insert

from faultmaven.domain.diagnosis import Hypothesis, HypothesisState
from faultmaven.domain.hypotheses import TrackedHypothesis
from faultmaven.store.tables import hypotheses


def _tracked(row: Row[Any]) -> TrackedHypothesis:
    document = Hypothesis.model_validate(row.document)
    return TrackedHypothesis(
        hypothesis=document.model_copy(
            update={"state": HypothesisState(row.state), "confidence": row.confidence}
        ),
        decided_by_user=row.decided_by_user,
        note=row.note,
        first_seen_at=row.first_seen_at,
        updated_at=row.updated_at,
    )


def list_hypotheses(
    connection: Connection, tenant_id: uuid.UUID, case_id: uuid.UUID
) -> list[TrackedHypothesis]:
    """Return every hypothesis the case has seen, in the order they were first proposed."""
    rows = connection.execute(
        select(hypotheses)
        .where(hypotheses.c.tenant_id == tenant_id, hypotheses.c.case_id == case_id)
        .order_by(hypotheses.c.first_seen_at, hypotheses.c.id)
    )
    return [_tracked(row) for row in rows]


def save_shown(
    connection: Connection,
    tenant_id: uuid.UUID,
    case_id: uuid.UUID,
    shown: Sequence[Hypothesis],
    at: datetime,
) -> None:
    """Remember the hypotheses of the latest answer; an engineer's verdict is never overwritten."""
    for hypothesis in shown:
        values = {
            "title": hypothesis.title,
            "statement": hypothesis.statement,
            "category": hypothesis.category.value,
            "component": hypothesis.component,
            "confidence": hypothesis.confidence,
            "state": hypothesis.state.value,
            "document": hypothesis.model_dump(mode="json"),
            "updated_at": at,
        }
        statement = insert(hypotheses).values(
            tenant_id=tenant_id,
            case_id=case_id,
            id=hypothesis.id,
            decided_by_user=False,
            first_seen_at=at,
            **values,
        )
        keep_verdict = {
            key: value for key, value in values.items() if key not in ("state", "confidence")
        }
        connection.execute(
            statement.on_conflict_do_update(
                index_elements=[hypotheses.c.case_id, hypotheses.c.id],
                set_={
                    **keep_verdict,
                    "state": _unless_decided(statement.excluded.state, hypotheses.c.state),
                    "confidence": _unless_decided(
                        statement.excluded.confidence, hypotheses.c.confidence
                    ),
                },
            )
        )


def _unless_decided(new: Any, old: Any) -> Any:
    """Take the new value unless the engineer decided this hypothesis."""
    return case((hypotheses.c.decided_by_user, old), else_=new)


def record_verdict(
    connection: Connection,
    tenant_id: uuid.UUID,
    case_id: uuid.UUID,
    hypothesis_id: str,
    state: HypothesisState,
    note: str | None,
    at: datetime,
) -> TrackedHypothesis | None:
    """Set the engineer's verdict; None when the case never had that hypothesis."""
    row = connection.execute(
        update(hypotheses)
        .where(
            hypotheses.c.tenant_id == tenant_id,
            hypotheses.c.case_id == case_id,
            hypotheses.c.id == hypothesis_id,
        )
        .values(state=state.value, decided_by_user=True, note=note, updated_at=at)
        .returning(*hypotheses.c)
    ).one_or_none()
    return _tracked(row) if row is not None else None
