"""The log engine's view of a case: `/v1/cases/{case_id}/logs/report`."""

from typing import Annotated

from fastapi import APIRouter, Query

from faultmaven.domain.logs import LogReport
from faultmaven.gateway.deps import EngineDep, PrincipalDep
from faultmaven.logs.summary import DEFAULT_TOKEN_BUDGET
from faultmaven.services.log_analysis import case_log_report

router = APIRouter(prefix="/v1/cases/{case_id}/logs", tags=["logs"])


@router.get("/report")
def log_report(
    case_id: str,
    engine: EngineDep,
    principal: PrincipalDep,
    budget: Annotated[int, Query(ge=200, le=100_000)] = DEFAULT_TOKEN_BUDGET,
) -> LogReport:
    """Report what is abnormal in the logs, citing lines, and summarise them in `budget` tokens."""
    return case_log_report(engine, principal, case_id, budget)
