"""The agent as a LangGraph graph: model and tools in a bounded loop, then a typed answer.

The agent node calls tools until it stops asking or the rounds are spent; the answer node
then asks the model for the diagnosis as structured output.
"""

import json
import logging
import re
from collections.abc import Callable, Sequence
from typing import Annotated, Any, TypedDict

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import (
    AIMessage,
    AnyMessage,
    BaseMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
)
from langchain_core.tools import BaseTool, ToolException
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.message import add_messages
from langgraph.graph.state import CompiledStateGraph
from pydantic import ValidationError

from faultmaven.agent.output import FinalAnswer
from faultmaven.agent.prompts import FINAL_INSTRUCTION, SYSTEM_PROMPT
from faultmaven.agent.providers import StructuredOutputMethod
from faultmaven.domain.errors import FaultMavenError

logger = logging.getLogger(__name__)

MAX_TOOL_ROUNDS = 6
SUMMARY_CHARS = 160

Progress = Callable[[str, dict[str, Any]], None]


class InvalidAnswerError(Exception):
    """The model's final answer was missing or did not fit the answer schema."""


class AgentState(TypedDict):
    """The conversation (kept per case by the checkpointer) and this turn's progress."""

    messages: Annotated[list[AnyMessage], add_messages]
    tool_rounds: int
    answer: dict[str, Any] | None


def recursion_limit(max_tool_rounds: int) -> int:
    """Return the graph-step limit that lets `max_tool_rounds` rounds and the answer run."""
    return 2 * max_tool_rounds + 4


def _prompt(messages: Sequence[BaseMessage]) -> list[BaseMessage]:
    return [SystemMessage(SYSTEM_PROMPT), *messages]


def _summary_of(content: str) -> str:
    body = [line for line in content.splitlines() if line and not line.startswith("<")]
    first = body[0] if body else ""
    shown = first if len(first) <= SUMMARY_CHARS else first[:SUMMARY_CHARS] + "..."
    return f"{len(body)} lines: {shown}" if len(body) > 1 else shown


def _malformed_call(raw: object) -> str | None:
    """Say why a reply's tool call could not be read (arguments that are not JSON)."""
    if isinstance(raw, AIMessage) and raw.invalid_tool_calls:
        return raw.invalid_tool_calls[0].get("error") or "malformed tool call arguments"
    return None


class _ToolRunner:
    """Runs one round of tool calls; every call gets an answer, errors included."""

    def __init__(self, tools: Sequence[BaseTool], progress: Progress) -> None:
        self._tools = {tool.name: tool for tool in tools}
        self._progress = progress

    def __call__(self, state: AgentState) -> dict[str, Any]:
        last = state["messages"][-1]
        assert isinstance(last, AIMessage)
        replies = [self._run(call["name"], call["args"], call["id"]) for call in last.tool_calls]
        replies += [
            self._refuse(call["name"] or "?", call["args"], call["id"], call["error"])
            for call in last.invalid_tool_calls
        ]
        return {"messages": replies, "tool_rounds": state["tool_rounds"] + 1}

    def _run(self, name: str, arguments: dict[str, Any], call_id: str | None) -> ToolMessage:
        tool = self._tools.get(name)
        if tool is None:
            known = ", ".join(sorted(self._tools))
            return self._refuse(name, arguments, call_id, f"no tool named {name!r}; use {known}")
        try:
            content = str(tool.invoke(arguments))
        except (ValidationError, ValueError, TypeError, re.error, ToolException) as error:
            return self._refuse(name, arguments, call_id, f"{type(error).__name__}: {error}")
        except FaultMavenError as error:
            return self._refuse(name, arguments, call_id, error.detail)
        except Exception as error:
            # Every call must get a reply, or the case's stored conversation would end in an
            # unanswered tool call that providers refuse on every later turn.
            logger.exception("agent tool %s failed", name)
            return self._refuse(
                name, arguments, call_id, f"the tool failed ({type(error).__name__})"
            )
        self._progress(
            "tool", {"name": name, "arguments": arguments, "summary": _summary_of(content)}
        )
        return ToolMessage(content=content, tool_call_id=call_id or name, name=name)

    def _refuse(
        self, name: str, arguments: Any, call_id: str | None, reason: str | None
    ) -> ToolMessage:
        reason = (reason or "malformed call").splitlines()[0]
        logger.info("agent tool call %s refused: %s", name, reason)
        self._progress(
            "tool", {"name": name, "arguments": arguments, "summary": f"error: {reason}"}
        )
        return ToolMessage(
            content=f"error: {reason}", tool_call_id=call_id or name, name=name, status="error"
        )


def build_graph(
    model: BaseChatModel,
    tools: Sequence[BaseTool],
    progress: Progress,
    *,
    checkpointer: BaseCheckpointSaver[str] | None = None,
    max_tool_rounds: int = MAX_TOOL_ROUNDS,
    structured_method: StructuredOutputMethod = "function_calling",
) -> CompiledStateGraph[AgentState, None, AgentState, AgentState]:
    """Declare the agent: the model with tools bound, the tool runner and the final answer."""
    with_tools = model.bind_tools(list(tools))
    structured = model.with_structured_output(
        FinalAnswer, method=structured_method, include_raw=True
    )

    def agent(state: AgentState) -> dict[str, Any]:
        response = with_tools.invoke(_prompt(state["messages"]))
        if response.text:
            progress("token", {"text": response.text})
        return {"messages": [response]}

    def answer(state: AgentState) -> dict[str, Any]:
        instruction = HumanMessage(FINAL_INSTRUCTION)
        result = structured.invoke(_prompt([*state["messages"], instruction]))
        assert isinstance(result, dict), "include_raw=True answers with a dictionary"
        parsed = result.get("parsed")
        if not isinstance(parsed, FinalAnswer):
            error = result.get("parsing_error") or _malformed_call(result.get("raw"))
            raise InvalidAnswerError(
                f"invalid structured output: {error}" if error else "no structured answer given"
            )
        progress("token", {"text": parsed.summary})
        record = AIMessage(json.dumps(parsed.model_dump(mode="json")))
        return {"messages": [instruction, record], "answer": parsed.model_dump(mode="json")}

    def after_agent(state: AgentState) -> str:
        last = state["messages"][-1]
        calls = isinstance(last, AIMessage) and (last.tool_calls or last.invalid_tool_calls)
        return "tools" if calls else "answer"

    def after_tools(state: AgentState) -> str:
        return "agent" if state["tool_rounds"] < max_tool_rounds else "answer"

    graph = StateGraph(AgentState)
    graph.add_node("agent", agent)
    graph.add_node("tools", _ToolRunner(tools, progress))
    graph.add_node("answer", answer)
    graph.add_edge(START, "agent")
    graph.add_conditional_edges("agent", after_agent, ["tools", "answer"])
    graph.add_conditional_edges("tools", after_tools, ["agent", "answer"])
    graph.add_edge("answer", END)
    return graph.compile(checkpointer=checkpointer)
