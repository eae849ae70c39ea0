"""The agent over each provider's real client library, with HTTP exchanges replayed by respx.

The responses are hand-written from the vendors' API references (see exchanges/README.md);
the requests are the ones the real SDKs build, so they are asserted on too.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import httpx
import httpx2
import pytest
import respx

from agent import httpx2_mocking
from agent.replay import exchange, response
from agent.twins import APP_LOG, MemoryContext, offline_draft
from faultmaven.agent.answer import refine_with_llm
from faultmaven.agent.graph import MAX_TOOL_ROUNDS
from faultmaven.agent.providers import cost_usd
from faultmaven.agent.settings import LlmSettings


@dataclass(frozen=True)
class Provider:
    settings: LlmSettings
    url: str
    transport: str

    @property
    def name(self) -> str:
        return self.settings.provider


OPENAI = Provider(
    LlmSettings("openai", "gpt-4o-mini", api_key="sk-test-0123456789abcdef", timeout_seconds=5),
    "https://api.openai.com/v1/chat/completions",
    httpx2_mocking.NAME,
)
ANTHROPIC = Provider(
    LlmSettings("anthropic", "claude-haiku-4-5", api_key="test-anthropic-key", timeout_seconds=5),
    "https://api.anthropic.com/v1/messages",
    httpx2_mocking.NAME,
)
OLLAMA = Provider(
    LlmSettings("ollama", "llama3.1", base_url="http://127.0.0.1:11434", timeout_seconds=5),
    "http://127.0.0.1:11434/api/chat",
    "httpx",
)
ALL = [OPENAI, ANTHROPIC, OLLAMA]
WITH_RETRIES = [OPENAI, ANTHROPIC]


class Events:
    def __init__(self) -> None:
        self.seen: list[tuple[str, dict[str, Any]]] = []

    def __call__(self, event: str, data: dict[str, Any]) -> None:
        self.seen.append((event, data))

    def of(self, kind: str) -> list[dict[str, Any]]:
        return [data for event, data in self.seen if event == kind]


@pytest.fixture
def router(request: pytest.FixtureRequest) -> Iterator[respx.MockRouter]:
    """Replays under the transport the provider's SDK really uses (httpx2 or httpx)."""
    callspec = getattr(request.node, "callspec", None)
    provider = callspec.params["provider"] if callspec else OPENAI
    with respx.mock(assert_all_called=False, using=provider.transport) as mocked:
        yield mocked


def _bodies(route: respx.Route) -> list[dict[str, Any]]:
    return [json.loads(call.request.content) for call in route.calls]


def _tokens(provider: str, name: str) -> tuple[int, int]:
    recorded = exchange(provider, name)
    if provider == "openai":
        usage = recorded["body"]["usage"]
        return usage["prompt_tokens"], usage["completion_tokens"]
    if provider == "anthropic":
        usage = recorded["body"]["usage"]
        return usage["input_tokens"], usage["output_tokens"]
    last = recorded["ndjson"][-1]
    return last["prompt_eval_count"], last["eval_count"]


def _run(provider: Provider, context: MemoryContext, events: Events | None = None) -> Any:
    return refine_with_llm(
        context,
        offline_draft(context),
        "why does checkout fail?",
        provider.settings,
        events or Events(),
    )


def _tool_names(provider: str, body: dict[str, Any]) -> list[str]:
    if provider == "anthropic":
        return [tool["name"] for tool in body["tools"]]
    return [tool["function"]["name"] for tool in body["tools"]]


@pytest.mark.parametrize("provider", ALL, ids=lambda p: p.name)
def test_a_tool_call_then_a_final_answer_refines_the_diagnosis(
    provider: Provider, router: respx.MockRouter
) -> None:
    turns = ["tool_call", "text", "final"]
    route = router.post(provider.url).mock(
        side_effect=[response(provider.name, turn) for turn in turns]
    )
    context = MemoryContext({"app.log": APP_LOG})
    events = Events()
    draft, engine, usage = _run(provider, context, events)
    assert (engine.name, engine.provider, engine.fallback_reason) == ("llm", provider.name, None)
    [hypothesis] = draft.hypotheses
    assert (hypothesis.id, hypothesis.category.value) == ("h-offline-pool", "connection_pool")
    assert hypothesis.citations[0].text == "\n".join(APP_LOG[1:3])
    assert events.of("tool")[0]["name"] == "search_logs"
    assert events.of("tool")[0]["arguments"] == {"text": "pool"}
    spent = [_tokens(provider.name, turn) for turn in turns]
    assert usage.input_tokens == sum(i for i, _ in spent)
    assert usage.output_tokens == sum(o for _, o in spent)
    assert usage.cost_usd == cost_usd(
        provider.name, provider.settings.model, usage.input_tokens, usage.output_tokens
    )
    first, second, third = _bodies(route)
    assert "search_logs" in _tool_names(provider.name, first)
    assert "app.log:2" in json.dumps(second)
    if provider.name == "ollama":
        assert third["format"]["title"] == "FinalAnswer" and not third.get("tools")
    else:
        assert _tool_names(provider.name, third) == ["FinalAnswer"]
    assert first["model"] == provider.settings.model


def test_openai_requests_force_the_structured_answer(router: respx.MockRouter) -> None:
    route = router.post(OPENAI.url).mock(
        side_effect=[response("openai", turn) for turn in ["text", "final"]]
    )
    _run(OPENAI, MemoryContext({"app.log": APP_LOG}))
    final = _bodies(route)[-1]
    assert final["tool_choice"] == {"type": "function", "function": {"name": "FinalAnswer"}}
    assert final["messages"][0]["role"] == "system"


def test_anthropic_requests_force_the_structured_answer(router: respx.MockRouter) -> None:
    route = router.post(ANTHROPIC.url).mock(
        side_effect=[response("anthropic", turn) for turn in ["text", "final"]]
    )
    _run(ANTHROPIC, MemoryContext({"app.log": APP_LOG}))
    final = _bodies(route)[-1]
    assert final["tool_choice"]["name"] == "FinalAnswer"
    assert "DATA" in json.dumps(final["system"])


@pytest.mark.parametrize("provider", WITH_RETRIES, ids=lambda p: p.name)
def test_a_rate_limited_request_is_retried_and_then_succeeds(
    provider: Provider, router: respx.MockRouter
) -> None:
    route = router.post(provider.url).mock(
        side_effect=[response(provider.name, name) for name in ["rate_limited", "text", "final"]]
    )
    _draft, engine, _usage = _run(provider, MemoryContext({"app.log": APP_LOG}))
    assert engine.name == "llm"
    assert route.call_count == 3


@pytest.mark.parametrize("provider", ALL, ids=lambda p: p.name)
def test_a_failing_server_gives_the_offline_answer_with_the_reason(
    provider: Provider, router: respx.MockRouter
) -> None:
    router.post(provider.url).mock(return_value=response(provider.name, "server_error"))
    fast = replace(provider, settings=replace(provider.settings, max_retries=0))
    context = MemoryContext({"app.log": APP_LOG})
    draft, engine, usage = _run(fast, context)
    assert draft == offline_draft(context).model_copy(update={"hypotheses": draft.hypotheses})
    assert draft.hypotheses[0].id == "h-offline-pool"
    assert engine.name == "offline" and usage is None
    status = exchange(provider.name, "server_error")["status"]
    assert engine.fallback_reason and (
        str(status) in engine.fallback_reason or "Error" in engine.fallback_reason
    )


@pytest.mark.parametrize("provider", ALL, ids=lambda p: p.name)
def test_a_timeout_gives_the_offline_answer_with_the_reason(
    provider: Provider, router: respx.MockRouter
) -> None:
    timeout = httpx2.ReadTimeout if provider.transport == httpx2_mocking.NAME else httpx.ReadTimeout
    router.post(provider.url).mock(side_effect=timeout("timed out"))
    fast = replace(provider, settings=replace(provider.settings, max_retries=0))
    _draft, engine, _usage = _run(fast, MemoryContext({"app.log": APP_LOG}))
    assert engine.name == "offline"
    assert engine.fallback_reason and "timeout" in engine.fallback_reason.lower().replace(
        "timed out", "timeout"
    )


@pytest.mark.parametrize("provider", ALL, ids=lambda p: p.name)
def test_a_malformed_body_gives_the_offline_answer(
    provider: Provider, router: respx.MockRouter
) -> None:
    router.post(provider.url).mock(return_value=response(provider.name, "malformed_body"))
    fast = replace(provider, settings=replace(provider.settings, max_retries=0))
    _draft, engine, _usage = _run(fast, MemoryContext({"app.log": APP_LOG}))
    assert engine.name == "offline" and engine.fallback_reason


@pytest.mark.parametrize("provider", ALL, ids=lambda p: p.name)
def test_malformed_answer_arguments_give_the_offline_answer_with_the_reason(
    provider: Provider, router: respx.MockRouter
) -> None:
    router.post(provider.url).mock(
        side_effect=[response(provider.name, n) for n in ["text", "malformed_arguments"]]
    )
    _draft, engine, usage = _run(provider, MemoryContext({"app.log": APP_LOG}))
    assert engine.name == "offline"
    assert engine.fallback_reason.startswith("InvalidAnswerError: invalid structured output")
    assert usage is not None and usage.input_tokens > 0


SECRETS = {
    "api key": "AKIAIOSFODNN7EXAMPLE",
    "password": "Tr0ub4dor&3",
    "email": "jane.doe@example.com",
    "ip": "10.42.7.19",
    "bearer": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJqYW5lIn0.dGVzdHNpZ25hdHVyZQ",
}
# Every secret is on a line the request carries: line 2 is cited offline and found by the
# replayed search for "pool"; the question carries the rest.
LEAKY_LOG = [
    "2026-11-25T10:00:00Z INFO checkout started",
    "2026-11-25T10:01:00Z ERROR checkout pool exhausted: max_connections=20 reached"
    " (db password=Tr0ub4dor&3 host 10.42.7.19, caller jane.doe@example.com,"
    " Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJqYW5lIn0.dGVzdHNpZ25hdHVyZQ)",
    "2026-11-25T10:01:05Z ERROR checkout request failed: timeout acquiring connection",
    "2026-11-25T10:02:00Z INFO checkout retrying",
]


@pytest.mark.parametrize("provider", ALL, ids=lambda p: p.name)
def test_no_secret_or_personal_data_reaches_any_provider_request(
    provider: Provider, router: respx.MockRouter
) -> None:
    route = router.post(provider.url).mock(
        side_effect=[response(provider.name, turn) for turn in ["tool_call", "text", "final"]]
    )
    careful = replace(provider, settings=replace(provider.settings, redact_ips=True))
    context = MemoryContext({"app.log": LEAKY_LOG})
    draft, engine, _usage = refine_with_llm(
        context,
        offline_draft(context),
        "jane.doe@example.com says checkout fails; key AKIAIOSFODNN7EXAMPLE",
        careful.settings,
        Events(),
    )
    assert engine.name == "llm"
    sent = b"".join(call.request.content for call in route.calls).decode()
    assert len(route.calls) == 3
    for kind, secret in SECRETS.items():
        assert secret not in sent, f"the {kind} reached {provider.name}"
    for placeholder in ("aws_key", "secret", "email", "ip", "bearer_token"):
        assert f"[REDACTED:{placeholder}#1]" in sent
    assert draft.hypotheses[0].citations[0].text == "\n".join(LEAKY_LOG[1:3])


def test_the_tool_loop_is_bounded_over_a_real_client(router: respx.MockRouter) -> None:
    turns = [response("openai", "tool_call") for _ in range(MAX_TOOL_ROUNDS)]
    route = router.post(OPENAI.url).mock(side_effect=[*turns, response("openai", "final")])
    _draft, engine, _usage = _run(OPENAI, MemoryContext({"app.log": APP_LOG}))
    assert engine.name == "llm"
    assert route.call_count == MAX_TOOL_ROUNDS + 1
