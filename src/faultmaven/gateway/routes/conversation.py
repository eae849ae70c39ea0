"""The conversation: `/v1/cases/{case_id}/messages` (JSON or Server-Sent Events), diagnosis."""

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel
from sqlalchemy import Engine
from sse_starlette.sse import EventSourceResponse
from starlette.concurrency import run_in_threadpool

from faultmaven.agent.settings import LlmSettings
from faultmaven.domain.diagnosis import Diagnosis
from faultmaven.domain.errors import FaultMavenError
from faultmaven.domain.messages import Message, MessageCreate
from faultmaven.domain.tenants import Principal
from faultmaven.gateway.deps import EmbedderDep, EngineDep, LlmDep, PrincipalDep
from faultmaven.gateway.problems import problem, problem_of
from faultmaven.knowledge.embeddings import Embedder
from faultmaven.services import diagnose

router = APIRouter(prefix="/v1/cases/{case_id}", tags=["conversation"])

EVENT_STREAM = "text/event-stream"


class Answer(BaseModel):
    """The answer to a question: the assistant's Markdown message and the diagnosis behind it."""

    message: Message
    diagnosis: Diagnosis


@router.post(
    "/messages",
    response_model=Answer,
    responses={
        200: {
            "content": {
                EVENT_STREAM: {
                    "schema": {
                        "type": "string",
                        "description": "events: plan, step, tool, token, diagnosis, done, error",
                    }
                }
            }
        }
    },
)
async def ask(
    case_id: str,
    question: MessageCreate,
    request: Request,
    engine: EngineDep,
    embedder: EmbedderDep,
    principal: PrincipalDep,
    llm: LlmDep,
) -> Answer | EventSourceResponse:
    """Ask a question; send `Accept: text/event-stream` to watch the answer being built."""
    if EVENT_STREAM in request.headers.get("accept", ""):
        await run_in_threadpool(diagnose.list_messages, engine, principal, case_id)
        return EventSourceResponse(
            _answer_events(engine, embedder, principal, case_id, question.content, llm)
        )
    message, diagnosis = await run_in_threadpool(
        lambda: diagnose.ask(
            engine, principal, case_id, question.content, embedder=embedder, llm=llm
        )
    )
    return Answer(message=message, diagnosis=diagnosis)


async def _answer_events(
    engine: Engine,
    embedder: Embedder | None,
    principal: Principal,
    case_id: str,
    question: str,
    llm: LlmSettings | None,
) -> AsyncIterator[dict[str, str]]:
    loop = asyncio.get_running_loop()
    events: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()

    def progress(event: str, data: dict[str, Any]) -> None:
        loop.call_soon_threadsafe(events.put_nowait, (event, data))

    def answer() -> None:
        try:
            message, diagnosis = diagnose.ask(
                engine, principal, case_id, question, progress, embedder=embedder, llm=llm
            )
            progress("diagnosis", diagnosis.model_dump(mode="json"))
            progress("done", {"message_id": message.id})
        except FaultMavenError as error:
            progress("error", problem_of(error))
        except Exception:
            progress("error", problem(500, "Internal error", "the server failed; see its log"))

    worker = loop.run_in_executor(None, answer)
    while True:
        event, data = await events.get()
        yield {"event": event, "data": json.dumps(data)}
        if event in ("done", "error"):
            break
    await worker


@router.get("/messages")
def list_messages(case_id: str, engine: EngineDep, principal: PrincipalDep) -> list[Message]:
    """Read the case's conversation, oldest first."""
    return diagnose.list_messages(engine, principal, case_id)


@router.get("/diagnosis")
def latest_diagnosis(case_id: str, engine: EngineDep, principal: PrincipalDep) -> Diagnosis:
    """Read the case's latest diagnosis (404 before the first question)."""
    return diagnose.latest_diagnosis(engine, principal, case_id)
