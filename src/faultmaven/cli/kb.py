"""`faultmaven kb`: add documents, search, list, remove, reindex the knowledge base."""

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from sqlalchemy import Engine

from faultmaven.cli.runtime import console, embedder, open_engine

app = typer.Typer(
    help="Knowledge base: runbooks, postmortems, docs and the bundled playbooks.",
    no_args_is_help=True,
)

TenantOption = Annotated[str, typer.Option(help="Tenant that owns the documents.")]


def _ready_engine() -> Engine:
    """Open the database with the bundled playbooks loaded (a no-op when they are current)."""
    from faultmaven.services.knowledge_bundled import install_bundled_playbooks

    engine = open_engine()
    install_bundled_playbooks(engine, embedder())
    return engine


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=console,
        transient=True,
    )


@app.command()
def add(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Files or folders (read recursively).")
    ] = None,
    urls: Annotated[
        Path | None,
        typer.Option(help="A list of downloaded pages: one `URL PATH` per line."),
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option(help="runbook, postmortem, case or doc (default: front matter, else doc)."),
    ] = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", help="A tag; repeat for more.")] = None,
    tenant: TenantOption = "local",
) -> None:
    """Add Markdown, text, HTML or PDF documents; adding a file again updates it."""
    from faultmaven.domain.errors import InvalidInputError
    from faultmaven.domain.knowledge import knowledge_kind
    from faultmaven.services import knowledge_sources
    from faultmaven.services.apikeys import tenant_principal

    wanted_kind = knowledge_kind(kind)
    files = knowledge_sources.files_to_add(paths or [])
    pages = knowledge_sources.read_url_list(urls) if urls else []
    if not files and not pages:
        raise InvalidInputError("no documents found under the paths given")
    engine = _ready_engine()
    principal = tenant_principal(engine, tenant)
    with _progress() as progress:
        task = progress.add_task("adding documents", total=len(files) + len(pages))

        def show(outcome: knowledge_sources.FileOutcome) -> None:
            progress.advance(task)
            document = outcome.document
            if document is not None:
                line = f"{document.id}  {document.kind.value:10} {document.chunks:4} chunks  "
                line += document.title
            else:
                line = f"skipped {outcome.path}: {outcome.error}"
            progress.console.print(line, markup=False, highlight=False, soft_wrap=True)

        outcomes = knowledge_sources.add_files(
            engine, embedder(), principal, files, kind=wanted_kind, tags=tag or [], progress=show
        )
        if urls:
            outcomes += knowledge_sources.add_url_list(
                engine, embedder(), principal, urls, kind=wanted_kind, tags=tag or [], progress=show
            )
    failed = sum(outcome.document is None for outcome in outcomes)
    if failed:
        raise InvalidInputError(f"{failed} of {len(outcomes)} files could not be added")


@app.command()
def search(
    text: Annotated[str, typer.Argument(help="A question, an alert text or a log line.")],
    limit: Annotated[int, typer.Option(help="How many results.")] = 5,
    kind: Annotated[str | None, typer.Option(help="Only this kind of document.")] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print {results: [...]} as JSON.")
    ] = False,
    tenant: TenantOption = "local",
) -> None:
    """Search the knowledge base by meaning and by words."""
    from faultmaven.domain.knowledge import knowledge_kind
    from faultmaven.services import knowledge_search
    from faultmaven.services.apikeys import tenant_principal

    wanted_kind = knowledge_kind(kind)
    engine = _ready_engine()
    principal = tenant_principal(engine, tenant)
    hits = knowledge_search.search(
        engine, embedder(), principal, text, limit=limit, kind=wanted_kind
    )
    if as_json:
        print(json.dumps({"results": [hit.model_dump(mode="json") for hit in hits]}, indent=2))
        return
    if not hits:
        console.print("no matches")
    for rank, hit in enumerate(hits, start=1):
        place = f"{hit.title} > {hit.heading}" if hit.heading else hit.title
        console.print(
            f"[bold]{rank}. {place}[/bold]  ({hit.kind.value}, score {hit.score:.2f})",
            highlight=False,
        )
        console.print(f"   {hit.source}", style="dim", markup=False, highlight=False)
        snippet = " ".join(hit.text.split())[:240]
        console.print(f"   {snippet}", markup=False, highlight=False)


@app.command("list")
def list_documents(tenant: TenantOption = "local") -> None:
    """List the tenant's documents and the bundled playbooks."""
    from faultmaven.services import knowledge
    from faultmaven.services.apikeys import tenant_principal

    engine = _ready_engine()
    for document in knowledge.list_documents(engine, tenant_principal(engine, tenant)):
        owner = "bundled" if document.bundled else tenant
        console.print(
            f"{document.id}  {document.kind.value:10} {document.chunks:4} chunks  {owner:8}  "
            f"{document.title}",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )


@app.command()
def remove(
    document_id: Annotated[str, typer.Argument(help="Id of the document (see `kb list`).")],
    tenant: TenantOption = "local",
) -> None:
    """Remove a document and its chunks."""
    from faultmaven.services import knowledge
    from faultmaven.services.apikeys import tenant_principal

    engine = open_engine()
    knowledge.remove_document(engine, tenant_principal(engine, tenant), document_id)
    console.print(f"removed {document_id}")


@app.command()
def reindex() -> None:
    """Recompute every vector with the configured embeddings provider (after changing it)."""
    from faultmaven.services import knowledge_bundled

    engine = open_engine()
    current = embedder()
    with _progress() as progress:
        task = progress.add_task("embedding chunks", total=None)
        count = knowledge_bundled.reindex(
            engine, current, lambda done, total: progress.update(task, completed=done, total=total)
        )
    knowledge_bundled.install_bundled_playbooks(engine, current)
    console.print(f"reindexed {count} chunks with {current.provider if current else 'none'}")
