"""The `faultmaven` command: serve, analyze, postmortems, API keys and the database."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from faultmaven.cli import apikey, db, kb
from faultmaven.cli.runtime import embedder, fail, open_engine, settings

app = typer.Typer(
    name="faultmaven",
    help="Troubleshooting copilot: ranked root causes backed by the exact evidence lines.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(apikey.app, name="apikey")
app.add_typer(db.app, name="db")
app.add_typer(kb.app, name="kb")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Run the API (and the embedded database unless FAULTMAVEN_DATABASE_URL is set)."""
    from faultmaven.cli.serve import serve as run_server

    run_server(host, port)


@app.command()
def analyze(
    paths: Annotated[list[Path], typer.Argument(help="Log files or folders (read recursively).")],
    question: Annotated[
        str, typer.Option("--question", "-q", help="What you want to know.")
    ] = "What is wrong?",
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the diagnosis document alone, as JSON.")
    ] = False,
    tenant: Annotated[str, typer.Option(help="Tenant that owns the case.")] = "local",
) -> None:
    """Diagnose log files without a server; the result is kept as a case."""
    from faultmaven.cli.analyze import analyze as run_analysis

    run_analysis(
        open_engine(),
        settings(),
        paths,
        question,
        as_json=as_json,
        tenant=tenant,
        embedder=embedder(),
    )


@app.command()
def templates(
    path: Annotated[Path, typer.Argument(help="A log file (gzip accepted).")],
    log_format: Annotated[
        str | None,
        typer.Option(help="Loghub layout, e.g. '<Date> <Time> <Level> <Component>: <Content>'."),
    ] = None,
    per_line: Annotated[
        bool, typer.Option("--per-line", help="Every physical line is its own event.")
    ] = False,
    jsonl: Annotated[
        bool, typer.Option("--jsonl", help="One JSON object per input line, in order.")
    ] = False,
) -> None:
    """Mine the templates of a log file (no database needed)."""
    from faultmaven.cli.templates import templates as run_templates

    run_templates(path, log_format=log_format, per_line=per_line, jsonl=jsonl)


@app.command()
def postmortem(
    case_id: Annotated[str, typer.Argument(help="The case to write up.")],
    tenant: Annotated[str, typer.Option(help="Tenant that owns the case.")] = "local",
) -> None:
    """Print the case's postmortem draft (Markdown), as `GET /v1/cases/{id}/postmortem` does."""
    from faultmaven.services.apikeys import tenant_principal
    from faultmaven.services.postmortem import postmortem as draft_postmortem

    engine = open_engine()
    print(draft_postmortem(engine, tenant_principal(engine, tenant), case_id), end="")


def run() -> None:
    """Entry point: run the command; errors print one line and exit 1."""
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as error:
        fail(error)


__all__ = ["app", "run"]
