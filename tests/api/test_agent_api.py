"""The agent through the real API: a loopback server speaking the OpenAI protocol stands in.

The server is a real HTTP server on 127.0.0.1 replaying the hand-written Chat Completions
responses of tests/agent/exchanges/openai; the API reaches it through the `openai` SDK.
"""

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, text

from agent.loopback import chat_completions
from faultmaven.config import LLMProvider, Settings
from faultmaven.gateway.app import create_app
from faultmaven.services.apikeys import create_api_key
from tests_support import serving

APP_LOG = "\n".join(
    [
        "2026-11-25T10:00:00Z INFO checkout started",
        "2026-11-25T10:01:00Z ERROR checkout pool exhausted: max_connections=20 reached",
        "2026-11-25T10:01:05Z ERROR checkout request failed: timeout acquiring connection",
        "2026-11-25T10:02:00Z INFO checkout retrying",
    ]
)


@contextmanager
def api_with_llm(
    engine: Engine, home: Path, database_url: str, base_url: str
) -> Iterator[Callable[[], httpx.Client]]:
    settings = Settings(
        home=home,
        database_url=database_url,
        llm_provider=LLMProvider.OPENAI_COMPATIBLE,
        llm_model="gpt-4o-mini",
        llm_base_url=base_url,
        llm_timeout_seconds=10,
        llm_max_retries=0,
        embeddings="none",
    )
    with serving(create_app(settings, engine)) as url:
        key = create_api_key(engine, "t-agent-api").key
        clients: list[httpx.Client] = []

        def client() -> httpx.Client:
            made = httpx.Client(
                base_url=url, headers={"Authorization": f"Bearer {key}"}, timeout=60
            )
            clients.append(made)
            return made

        yield client
        for made in clients:
            made.close()


def _ask_streaming(client: httpx.Client, case_id: str) -> list[tuple[str, dict[str, Any]]]:
    events: list[tuple[str, dict[str, Any]]] = []
    with client.stream(
        "POST",
        f"/v1/cases/{case_id}/messages",
        json={"content": "why does checkout fail?"},
        headers={"Accept": "text/event-stream"},
    ) as response:
        assert response.status_code == 200
        event = None
        for line in response.iter_lines():
            if line.startswith("event:"):
                event = line.split(":", 1)[1].strip()
            elif line.startswith("data:") and event:
                events.append((event, json.loads(line.split(":", 1)[1])))
    return events


def _new_case_with_log(client: httpx.Client) -> str:
    case_id = str(client.post("/v1/cases", json={"title": "checkout fails"}).json()["id"])
    added = client.post(
        f"/v1/cases/{case_id}/evidence", json={"name": "app.log", "content": APP_LOG}
    )
    assert added.status_code == 201, added.text
    return case_id


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path


def test_the_stream_shows_tool_calls_and_the_llm_diagnosis(
    engine: Engine, home: Path, database_url: str
) -> None:
    with (
        chat_completions(["tool_call", "text", "final"]) as (llm, base_url),
        api_with_llm(engine, home, database_url, base_url) as client_for,
    ):
        client = client_for()
        case_id = _new_case_with_log(client)
        events = _ask_streaming(client, case_id)
    names = [name for name, _ in events]
    assert names[0] == "plan" and names[-2:] == ["diagnosis", "done"]
    [tool] = [data for name, data in events if name == "tool"]
    assert tool["name"] == "search_logs" and tool["arguments"] == {"text": "pool"}
    assert "checkout pool exhausted" in tool["summary"]
    assert names.index("tool") < names.index("token") < names.index("diagnosis")
    diagnosis = events[-2][1]
    assert diagnosis["engine"] == {
        "name": "llm",
        "provider": "openai_compatible",
        "model": "gpt-4o-mini",
        "fallback_reason": None,
    }
    assert diagnosis["usage"]["input_tokens"] == 812 + 940 + 1010
    [hypothesis] = diagnosis["hypotheses"]
    assert hypothesis["citations"][0]["text"] == "\n".join(APP_LOG.splitlines()[1:3])
    assert len(llm.requests) == 3
    assert "app.log:2" in json.dumps(llm.requests[1]["messages"])
    with engine.connect() as connection:
        saved = connection.execute(
            text("SELECT count(*) FROM checkpoints WHERE thread_id = :case"), {"case": case_id}
        ).scalar()
    assert saved


def test_a_failing_provider_leaves_the_offline_answer_with_the_reason(
    engine: Engine, home: Path, database_url: str
) -> None:
    with (
        chat_completions(["server_error"]) as (_llm, base_url),
        api_with_llm(engine, home, database_url, base_url) as client_for,
    ):
        client = client_for()
        case_id = _new_case_with_log(client)
        answer = client.post(
            f"/v1/cases/{case_id}/messages", json={"content": "why does checkout fail?"}
        )
    assert answer.status_code == 200, answer.text
    engine_info = answer.json()["diagnosis"]["engine"]
    assert engine_info["name"] == "offline"
    assert engine_info["provider"] == "openai_compatible"
    assert "Error code: 500" in engine_info["fallback_reason"]
    assert answer.json()["diagnosis"]["hypotheses"]
