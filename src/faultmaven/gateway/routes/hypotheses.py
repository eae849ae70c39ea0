"""A case's hypotheses and its postmortem draft: `/v1/cases/{case_id}/hypotheses`, `/postmortem`."""

from fastapi import APIRouter
from fastapi.responses import PlainTextResponse

from faultmaven.domain.hypotheses import HypothesisVerdict, TrackedHypothesis
from faultmaven.gateway.deps import EngineDep, PrincipalDep
from faultmaven.services import hypotheses as hypothesis_service
from faultmaven.services.postmortem import postmortem

router = APIRouter(prefix="/v1/cases/{case_id}", tags=["hypotheses"])

MARKDOWN = "text/markdown; charset=utf-8"


@router.get("/hypotheses")
def list_hypotheses(
    case_id: str, engine: EngineDep, principal: PrincipalDep
) -> list[TrackedHypothesis]:
    """List every hypothesis the case has been shown, with its state and any verdict."""
    return hypothesis_service.list_hypotheses(engine, principal, case_id)


@router.patch("/hypotheses/{hypothesis_id}")
def decide_hypothesis(
    case_id: str,
    hypothesis_id: str,
    verdict: HypothesisVerdict,
    engine: EngineDep,
    principal: PrincipalDep,
) -> TrackedHypothesis:
    """Confirm or refute a hypothesis; the next answer respects the verdict."""
    return hypothesis_service.decide_hypothesis(engine, principal, case_id, hypothesis_id, verdict)


@router.get(
    "/postmortem",
    response_class=PlainTextResponse,
    responses={200: {"content": {"text/markdown": {"schema": {"type": "string"}}}}},
)
def get_postmortem(case_id: str, engine: EngineDep, principal: PrincipalDep) -> PlainTextResponse:
    """Draft the case's postmortem in Markdown from its resolution, diagnosis and verdicts."""
    return PlainTextResponse(postmortem(engine, principal, case_id), media_type=MARKDOWN)
