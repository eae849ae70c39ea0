"""Knowledge base: `/v1/knowledge`: add documents, list, remove, search."""

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from faultmaven.domain.diagnosis import KnowledgeKind
from faultmaven.domain.errors import InvalidInputError
from faultmaven.domain.knowledge import KnowledgeDocument, KnowledgeHit, knowledge_kind
from faultmaven.gateway.deps import EmbedderDep, EngineDep, PrincipalDep, SettingsDep
from faultmaven.gateway.upload import file_or_json_body, read_json_body, spool_multipart
from faultmaven.services import knowledge as knowledge_service
from faultmaven.services import knowledge_search

router = APIRouter(prefix="/v1/knowledge", tags=["knowledge"])

MAX_DOCUMENT_BYTES = 20_000_000


class DocumentText(BaseModel):
    """A document given as text (Markdown welcome)."""

    title: str = Field(min_length=1, max_length=500)
    content: str = Field(min_length=1)
    kind: KnowledgeKind = KnowledgeKind.DOC
    tags: list[str] = Field(default_factory=list, max_length=50)
    url: str | None = None


class SearchResults(BaseModel):
    """Search hits, best first."""

    results: list[KnowledgeHit]


_UPLOAD_BODY = file_or_json_body(
    {
        "kind": {"$ref": "#/components/schemas/KnowledgeKind"},
        "tags": {"type": "string", "description": "comma-separated"},
    },
    DocumentText,
)


@router.post(
    "/documents",
    status_code=status.HTTP_201_CREATED,
    openapi_extra=_UPLOAD_BODY,
    responses={
        413: {"description": "Over the document size limit"},
        415: {"description": "Binary content that is no document format"},
        422: {"description": "Empty, encrypted or unreadable document"},
    },
)
async def add_document(
    request: Request,
    engine: EngineDep,
    embedder: EmbedderDep,
    principal: PrincipalDep,
    settings: SettingsDep,
) -> KnowledgeDocument:
    """Add a runbook, postmortem or doc: Markdown, text, HTML or PDF file, or JSON text.

    Adding a file with the same name again replaces the earlier version.
    """
    content_type = request.headers.get("content-type", "")
    limit = min(MAX_DOCUMENT_BYTES, settings.max_upload_bytes)
    if content_type.startswith("multipart/form-data"):
        upload = await spool_multipart(
            content_type, request.stream(), settings.upload_folder, limit
        )
        assert upload.path is not None
        try:
            data = upload.path.read_bytes()
        finally:
            upload.path.unlink(missing_ok=True)
        kind = knowledge_kind(upload.fields.get("kind"))
        tags = [tag for tag in upload.fields.get("tags", "").split(",") if tag.strip()]
        name = upload.filename or "document"
        return await run_in_threadpool(
            knowledge_service.add_file,
            engine,
            embedder,
            principal,
            Path(name).name,
            data,
            kind=kind,
            tags=tags,
            source=f"upload:{Path(name).name}",
        )
    if content_type.startswith("application/json"):
        document = await read_json_body(
            request.stream(),
            DocumentText,
            limit,
            f"documents are limited to {limit} bytes",
            "document",
        )
        return await run_in_threadpool(
            lambda: knowledge_service.add_text(
                engine,
                embedder,
                principal,
                title=document.title,
                content=document.content,
                kind=document.kind,
                tags=document.tags,
                url=document.url,
            )
        )
    raise InvalidInputError(
        "send multipart/form-data with a 'file' field, or JSON {title, content}"
    )


@router.get("/documents")
def list_documents(engine: EngineDep, principal: PrincipalDep) -> list[KnowledgeDocument]:
    """List the tenant's documents and the bundled playbooks."""
    return knowledge_service.list_documents(engine, principal)


@router.delete("/documents/{document_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_document(document_id: str, engine: EngineDep, principal: PrincipalDep) -> Response:
    """Remove one of the tenant's documents and its chunks (bundled playbooks are read-only)."""
    knowledge_service.remove_document(engine, principal, document_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/search")
def search(
    engine: EngineDep,
    embedder: EmbedderDep,
    principal: PrincipalDep,
    q: Annotated[
        str, Query(min_length=1, max_length=4000, description="Question, alert or log line")
    ],
    limit: Annotated[int, Query(ge=1, le=50)] = 5,
    kind: KnowledgeKind | None = None,
    tags: Annotated[str | None, Query(description="Comma-separated; all must match")] = None,
) -> SearchResults:
    """Search by meaning and by words; results fused by rank, best first."""
    wanted_tags = [tag for tag in (tags or "").split(",") if tag.strip()]
    hits = knowledge_search.search(
        engine, embedder, principal, q, limit=limit, kind=kind, tags=wanted_tags
    )
    return SearchResults(results=hits)
