"""`faultmaven analyze`: files in, diagnosis out, through the same services as the API."""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from rich.text import Text
from sqlalchemy import Engine

from faultmaven.cli.render import print_diagnosis
from faultmaven.cli.runtime import console, llm_settings
from faultmaven.config import Settings
from faultmaven.domain.cases import CaseCreate
from faultmaven.domain.errors import FaultMavenError, InvalidInputError
from faultmaven.domain.evidence import Evidence, EvidenceBatch
from faultmaven.knowledge.embeddings import Embedder
from faultmaven.services import cases, diagnose, evidence
from faultmaven.services.apikeys import tenant_principal
from faultmaven.services.knowledge_bundled import install_bundled_playbooks
from faultmaven.services.log_ingest import ReadProgress

MAX_TITLE_NAMES = 3
PROGRESS_MIN_BYTES = 8 * 1024 * 1024


def analyze(
    engine: Engine,
    settings: Settings,
    paths: list[Path],
    question: str,
    *,
    as_json: bool,
    tenant: str,
    embedder: Embedder | None = None,
) -> None:
    """Create a case from the files under `paths`, diagnose it and print the result."""
    files = sorted(set(_files(paths)))
    if not files:
        raise InvalidInputError("no files found under the paths given")
    principal = tenant_principal(engine, tenant)
    case = cases.create_case(engine, principal, CaseCreate(title=_title(files)))
    options = evidence.ingest_options(None, None)
    for path in files:
        try:
            with _reading_progress(path, shown=not as_json) as progress:
                added = evidence.add_uploaded_evidence(
                    engine,
                    principal,
                    case.id,
                    path,
                    path.name,
                    replace(options, progress=progress),
                    spool=settings.upload_folder,
                    max_bytes=settings.max_upload_bytes,
                )
        except FaultMavenError as error:
            if len(files) == 1:
                raise
            if not as_json:
                console.print(f"[yellow]skipped {path}: {error.detail}[/yellow]")
            continue
        if not as_json:
            _report(path, added)
    install_bundled_playbooks(engine, embedder)
    _message, diagnosis = diagnose.ask(
        engine,
        principal,
        case.id,
        question,
        _ignore_progress if as_json else _show_progress,
        embedder=embedder,
        llm=llm_settings(settings),
    )
    if as_json:
        print(diagnosis.model_dump_json(indent=2))
    else:
        print_diagnosis(console, diagnosis)
        console.print(f"\n[dim]case {case.id} (tenant {tenant})[/dim]")


def _ignore_progress(event: str, data: dict[str, Any]) -> None:
    """Keep `--json` output to the document alone."""


def _show_progress(event: str, data: dict[str, Any]) -> None:
    """Print the plan, each tool the agent calls and its answer as they happen."""
    if event == "plan":
        console.print(Text(f"plan: {', '.join(data['steps'])}", style="dim"))
    elif event == "tool":
        arguments = json.dumps(data["arguments"], ensure_ascii=False, default=str)
        console.print(Text(f"tool {data['name']}({arguments}): {data['summary']}", style="dim"))
    elif event == "token":
        console.print(Text(data["text"]))


@contextmanager
def _reading_progress(path: Path, *, shown: bool) -> Iterator[ReadProgress | None]:
    """Show a progress bar while a large file is read; small files need none."""
    if not shown or path.stat().st_size < PROGRESS_MIN_BYTES:
        yield None
        return
    columns = (
        TextColumn("[dim]reading {task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(path.name, total=path.stat().st_size)

        def advance(name: str, done: int, total: int) -> None:
            bar.update(task, description=name, completed=done, total=total)

        yield advance


def _files(paths: list[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from (child for child in path.rglob("*") if child.is_file())
        elif path.is_file():
            yield path
        else:
            raise InvalidInputError(f"{path} does not exist")


def _title(files: list[Path]) -> str:
    names = ", ".join(path.name for path in files[:MAX_TITLE_NAMES])
    more = f" and {len(files) - MAX_TITLE_NAMES} more" if len(files) > MAX_TITLE_NAMES else ""
    return f"analyze {names}{more}"


def _report(path: Path, added: Evidence | EvidenceBatch) -> None:
    items = added.items if isinstance(added, EvidenceBatch) else [added]
    for item in items:
        note = (
            f", {item.decode_errors} undecodable sequences replaced" if item.decode_errors else ""
        )
        failure = f" [red]failed: {item.error}[/red]" if item.error else ""
        summary = f"read {item.name}: {item.kind.value}, {item.line_count} lines{note}"
        console.print(f"[dim]{summary}[/dim]{failure}")
