"""Knowledge base use cases: add, list, remove, search, bundled playbooks, reindex."""

import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine

from faultmaven.domain.diagnosis import KnowledgeKind
from faultmaven.domain.errors import (
    ConflictError,
    InvalidInputError,
    NotFoundError,
)
from faultmaven.domain.knowledge import KnowledgeDocument, LoadedDocument
from faultmaven.domain.tenants import Principal
from faultmaven.knowledge.embeddings import Embedder
from faultmaven.knowledge.indexing import (
    PreparedChunk,
    content_hash,
    prepare_chunks,
)
from faultmaven.knowledge.loaders import load_document
from faultmaven.services.apikeys import tenant_uuid
from faultmaven.services.ids import parse_id
from faultmaven.store import knowledge as knowledge_store
from faultmaven.store.knowledge import IndexSettings, StoredChunk

BUNDLED_SOURCE_PREFIX = "bundled:"

Progress = Callable[[int, int], None]


def no_progress(done: int, total: int) -> None:
    """Progress sink for callers that show none."""


def settings_of(embedder: Embedder) -> IndexSettings:
    """Describe the vectors an embedder makes, as the index records them."""
    return IndexSettings(embedder.provider, embedder.model, embedder.dimension)


def _check_index(connection: Connection, embedder: Embedder | None) -> bool:
    """Whether vectors can be stored and searched with this embedder.

    The first embedder to store a vector fixes the index's provider, model and size; another
    one afterwards is refused until `kb reindex` (mixing vector spaces returns nonsense).
    """
    if embedder is None:
        return False
    stored = knowledge_store.index_settings(connection)
    wanted = settings_of(embedder)
    if stored is None:
        if knowledge_store.column_dimension(connection) != wanted.dimension:
            knowledge_store.reset_vectors(connection, wanted)
        else:
            knowledge_store.record_index_settings(connection, wanted)
        return True
    refuse_other_embedder(stored, wanted)
    return True


def refuse_other_embedder(stored: IndexSettings, wanted: IndexSettings) -> None:
    """Refuse an embedder other than the one the stored vectors come from."""
    if stored != wanted:
        raise ConflictError(
            f"the knowledge base holds vectors from {stored.provider} {stored.model}"
            f" ({stored.dimension} numbers) but {wanted.provider} {wanted.model} is configured;"
            " run `faultmaven kb reindex`"
        )


def vectors_by_hash(
    embedder: Embedder, texts: dict[str, str], known: dict[str, list[float]]
) -> dict[str, list[float]]:
    """Map text hash -> vector: shipped ones where known, the rest embedded in one batch."""
    vectors = {text_hash: known[text_hash] for text_hash in texts if text_hash in known}
    missing = [text_hash for text_hash in texts if text_hash not in vectors]
    if missing:
        fresh = embedder.embed_documents([texts[text_hash] for text_hash in missing])
        vectors.update(zip(missing, fresh, strict=True))
    return vectors


def _embed(
    embedder: Embedder | None, chunks: Sequence[PreparedChunk], known: dict[str, list[float]]
) -> list[StoredChunk]:
    vectors: dict[str, list[float]] = {}
    if embedder is not None:
        texts = {chunk.chunk_hash: chunk.embedding_text for chunk in chunks}
        vectors = vectors_by_hash(embedder, texts, known)
    return [
        StoredChunk(
            chunk.ordinal,
            chunk.heading,
            chunk.text,
            chunk.chunk_hash,
            vectors.get(chunk.chunk_hash),
        )
        for chunk in chunks
    ]


def store_document(
    connection: Connection,
    embedder: Embedder | None,
    tenant_id: uuid.UUID | None,
    source: str,
    document: LoadedDocument,
    kind: KnowledgeKind,
    tags: Sequence[str],
    known_vectors: dict[str, list[float]] | None = None,
    *,
    refresh: bool = False,
) -> tuple[uuid.UUID, bool]:
    """Insert or update the document from `source`; (id, whether anything changed).

    An unchanged document is left alone unless `refresh` (its vectors are missing).
    """
    tags = sorted({tag.strip().lower() for tag in tags if tag.strip()})
    digest = content_hash(document, kind.value, tags)
    existing = knowledge_store.document_hash(connection, tenant_id, source)
    if existing is not None and existing[1] == digest and not refresh:
        return existing[0], False
    chunks = prepare_chunks(document)
    if not chunks:
        raise InvalidInputError(f"{source}: the document has no text to index")
    use_vectors = _check_index(connection, embedder)
    stored = _embed(embedder if use_vectors else None, chunks, known_vectors or {})
    now = datetime.now(UTC)
    document_id = existing[0] if existing else uuid.uuid4()
    values = {
        "tenant_id": tenant_id,
        "kind": kind.value,
        "title": document.title,
        "source": source,
        "url": document.url,
        "tags": tags,
        "metadata": document.metadata,
        "content_hash": digest,
        "created_at": now,
        "updated_at": now,
    }
    knowledge_store.save_document(
        connection, document_id, values, stored, replace=existing is not None
    )
    return document_id, True


def _document_out(
    connection: Connection, tenant_id: uuid.UUID, document_id: uuid.UUID
) -> KnowledgeDocument:
    for document in _documents(connection, tenant_id):
        if document.id == str(document_id):
            return document
    raise NotFoundError(f"knowledge document {document_id} not found")


def _documents(connection: Connection, tenant_id: uuid.UUID) -> list[KnowledgeDocument]:
    return [
        KnowledgeDocument(
            id=str(row.id),
            title=row.title,
            kind=KnowledgeKind(row.kind),
            source=row.source,
            url=row.url,
            tags=list(row.tags),
            chunks=row.chunks,
            bundled=row.tenant_id is None,
            content_hash=row.content_hash,
            updated_at=row.updated_at.isoformat(),
        )
        for row in knowledge_store.list_documents(connection, tenant_id)
    ]


def add_file(
    engine: Engine,
    embedder: Embedder | None,
    principal: Principal,
    name: str,
    data: bytes,
    *,
    kind: KnowledgeKind | None = None,
    tags: Sequence[str] = (),
    source: str | None = None,
    url: str | None = None,
) -> KnowledgeDocument:
    """Add (or update, when `source` was added before) a document from a file's bytes."""
    document = load_document(name, data)
    if url is not None:
        document = document.model_copy(update={"url": url})
    return add_loaded(
        engine,
        embedder,
        principal,
        document,
        kind=kind or document.kind or KnowledgeKind.DOC,
        tags=[*document.tags, *tags],
        source=source or name,
    )


def add_text(
    engine: Engine,
    embedder: Embedder | None,
    principal: Principal,
    *,
    title: str,
    content: str,
    kind: KnowledgeKind = KnowledgeKind.DOC,
    tags: Sequence[str] = (),
    url: str | None = None,
) -> KnowledgeDocument:
    """Add a document given as Markdown text (the JSON form of the API)."""
    if not content.strip():
        raise InvalidInputError("the document has no content")
    if not title.strip():
        raise InvalidInputError("the document needs a title")
    document = LoadedDocument(
        title=title.strip(), text=content, media_type="text/markdown", url=url
    )
    return add_loaded(
        engine, embedder, principal, document, kind=kind, tags=tags, source=url or f"text:{title}"
    )


def add_loaded(
    engine: Engine,
    embedder: Embedder | None,
    principal: Principal,
    document: LoadedDocument,
    *,
    kind: KnowledgeKind,
    tags: Sequence[str],
    source: str,
) -> KnowledgeDocument:
    """Store a loaded document for the principal's tenant."""
    if kind == KnowledgeKind.PLAYBOOK and source.startswith(BUNDLED_SOURCE_PREFIX):
        raise InvalidInputError("the `bundled:` source prefix is reserved for bundled playbooks")
    tenant_id = tenant_uuid(principal)
    with engine.begin() as connection:
        document_id, _ = store_document(
            connection, embedder, tenant_id, source, document, kind, tags
        )
        return _document_out(connection, tenant_id, document_id)


def list_documents(engine: Engine, principal: Principal) -> list[KnowledgeDocument]:
    """List the tenant's documents and the bundled playbooks."""
    with engine.connect() as connection:
        return _documents(connection, tenant_uuid(principal))


def remove_document(engine: Engine, principal: Principal, document_id: str) -> None:
    """Delete one of the tenant's documents with its chunks; bundled ones are read-only."""
    tenant_id = tenant_uuid(principal)
    identifier = parse_id(document_id, "knowledge document")
    with engine.begin() as connection:
        if knowledge_store.delete_document(connection, tenant_id, identifier):
            return
        if knowledge_store.is_visible(connection, tenant_id, identifier):
            raise ConflictError("bundled playbooks are read-only")
    raise NotFoundError(f"knowledge document {document_id} not found")
