"""`faultmaven analyze` with an LLM configured: the plan, tool calls and answer as they happen."""

import json
import subprocess
import sys
from pathlib import Path

from agent.loopback import chat_completions

FAULTMAVEN = [sys.executable, "-m", "faultmaven"]
APP_LOG = "\n".join(
    [
        "2026-11-25T10:00:00Z INFO checkout started",
        "2026-11-25T10:01:00Z ERROR checkout pool exhausted: max_connections=20 reached",
        "2026-11-25T10:01:05Z ERROR checkout request failed: timeout acquiring connection",
        "2026-11-25T10:02:00Z INFO checkout retrying",
    ]
)


def _analyze(env: dict[str, str], base_url: str, path: Path, *options: str) -> str:
    llm_env = {
        **env,
        "FAULTMAVEN_LLM_PROVIDER": "openai_compatible",
        "FAULTMAVEN_LLM_MODEL": "gpt-4o-mini",
        "FAULTMAVEN_LLM_BASE_URL": base_url,
        "FAULTMAVEN_LLM_MAX_RETRIES": "0",
        "FAULTMAVEN_EMBEDDINGS": "none",
    }
    result = subprocess.run(
        [*FAULTMAVEN, "analyze", str(path), *options],
        env=llm_env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_analyze_shows_the_plan_the_tool_calls_and_the_llm_answer(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    log = tmp_path / "app.log"
    log.write_text(APP_LOG)
    with chat_completions(["tool_call", "text", "final"]) as (llm, base_url):
        shown = _analyze(cli_env, base_url, log, "--question", "why does checkout fail?")
    plan = shown.index("plan:")
    tool = shown.index('tool search_logs({"text": "pool"})')
    token = shown.index("The pool limit on line 2 explains the timeouts on line 3.")
    assert plan < tool < token
    assert "Database connection pool exhausted" in shown
    assert len(llm.requests) == 3


def test_analyze_json_reports_the_llm_engine_and_its_usage(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    log = tmp_path / "app.log"
    log.write_text(APP_LOG)
    with chat_completions(["tool_call", "text", "final"]) as (_llm, base_url):
        diagnosis = json.loads(_analyze(cli_env, base_url, log, "--json"))
    assert diagnosis["engine"]["name"] == "llm"
    assert diagnosis["usage"]["output_tokens"] == 21 + 18 + 160
    assert diagnosis["hypotheses"][0]["citations"][0]["line_start"] == 2
