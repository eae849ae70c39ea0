"""The engineer's verdicts on a case's hypotheses, respected by every later answer."""

from datetime import UTC, datetime

from sqlalchemy import Engine

from faultmaven.domain.diagnosis import HypothesisState
from faultmaven.domain.errors import NotFoundError
from faultmaven.domain.hypotheses import HypothesisVerdict, TrackedHypothesis, Verdict
from faultmaven.domain.tenants import Principal
from faultmaven.services.cases import require_case
from faultmaven.store import hypotheses as hypothesis_store


def list_hypotheses(engine: Engine, principal: Principal, case_id: str) -> list[TrackedHypothesis]:
    """Return every hypothesis the case has seen, with its state and any verdict."""
    with engine.connect() as connection:
        tenant_id, case_uuid = require_case(connection, principal, case_id)
        return hypothesis_store.list_hypotheses(connection, tenant_id, case_uuid)


def decide_hypothesis(
    engine: Engine,
    principal: Principal,
    case_id: str,
    hypothesis_id: str,
    verdict: HypothesisVerdict,
) -> TrackedHypothesis:
    """Confirm or refute a hypothesis the case has been shown."""
    state = (
        HypothesisState.CONFIRMED if verdict.state is Verdict.CONFIRMED else HypothesisState.REFUTED
    )
    with engine.begin() as connection:
        tenant_id, case_uuid = require_case(connection, principal, case_id)
        decided = hypothesis_store.record_verdict(
            connection, tenant_id, case_uuid, hypothesis_id, state, verdict.note, datetime.now(UTC)
        )
    if decided is None:
        raise NotFoundError(f"case {case_id!r} has no hypothesis {hypothesis_id!r}")
    return decided
