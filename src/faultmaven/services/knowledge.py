"""Knowledge base use cases: add, list, remove, search, bundled playbooks, reindex."""

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, Engine

from faultmaven.domain.diagnosis import KnowledgeKind
from faultmaven.domain.errors import (
    ConflictError,
    FaultMavenError,
    InvalidInputError,
    NotFoundError,
)
from faultmaven.domain.knowledge import KnowledgeDocument, KnowledgeHit, LoadedDocument
from faultmaven.domain.tenants import Principal
from faultmaven.knowledge.embeddings import Embedder
from faultmaven.knowledge.indexing import (
    PreparedChunk,
    content_hash,
    embedding_text,
    prepare_chunks,
    text_hash,
)
from faultmaven.knowledge.loaders import load_document
from faultmaven.knowledge.playbooks import (
    bundled_playbook_files,
    load_bundled,
    load_precomputed_vectors,
)
from faultmaven.knowledge.query import meaningful_text, selective_lexemes
from faultmaven.knowledge.ranking import reciprocal_rank_fusion
from faultmaven.services.apikeys import tenant_uuid
from faultmaven.services.ids import parse_id
from faultmaven.store import knowledge as knowledge_store
from faultmaven.store.knowledge import ChunkFilter, IndexSettings, StoredChunk

# How many candidates each retriever hands to the fusion.
CANDIDATES = 50
# Fusion settings chosen on the dev part of bench/data/kb_queries.json (never the held-out
# part): a small k trusts each list's top ranks; words count half as much as meaning,
# because a log line shares many words with unrelated playbooks.
FUSION_K = 10
# Chunks the word search may rank per query; beyond it the commonest query words are dropped.
MAX_WORD_MATCHES = 1000
WORDS_WEIGHT = 0.5
MAX_RESULTS = 50
BUNDLED_SOURCE_PREFIX = "bundled:"

Progress = Callable[[int, int], None]


def _no_progress(done: int, total: int) -> None:
    """Progress sink for callers that show none."""


def _settings_of(embedder: Embedder) -> IndexSettings:
    return IndexSettings(embedder.provider, embedder.model, embedder.dimension)


def _check_index(connection: Connection, embedder: Embedder | None) -> bool:
    """Whether vectors can be stored and searched with this embedder.

    The first embedder to store a vector fixes the index's provider, model and size; another
    one afterwards is refused until `kb reindex` (mixing vector spaces returns nonsense).
    """
    if embedder is None:
        return False
    stored = knowledge_store.index_settings(connection)
    wanted = _settings_of(embedder)
    if stored is None:
        if knowledge_store.column_dimension(connection) != wanted.dimension:
            knowledge_store.reset_vectors(connection, wanted)
        else:
            knowledge_store.record_index_settings(connection, wanted)
        return True
    if stored != wanted:
        raise ConflictError(
            f"the knowledge base holds vectors from {stored.provider} {stored.model}"
            f" ({stored.dimension} numbers) but {wanted.provider} {wanted.model} is configured;"
            " run `faultmaven kb reindex`"
        )
    return True


def _embed(
    embedder: Embedder | None, chunks: Sequence[PreparedChunk], known: dict[str, list[float]]
) -> list[StoredChunk]:
    missing = [chunk for chunk in chunks if chunk.chunk_hash not in known]
    vectors = dict(known)
    if embedder is not None and missing:
        fresh = embedder.embed_documents([chunk.embedding_text for chunk in missing])
        vectors.update(zip((chunk.chunk_hash for chunk in missing), fresh, strict=True))
    return [
        StoredChunk(
            chunk.ordinal,
            chunk.heading,
            chunk.text,
            chunk.chunk_hash,
            vectors.get(chunk.chunk_hash) if embedder is not None else None,
        )
        for chunk in chunks
    ]


def _store_document(
    connection: Connection,
    embedder: Embedder | None,
    tenant_id: uuid.UUID | None,
    source: str,
    document: LoadedDocument,
    kind: KnowledgeKind,
    tags: Sequence[str],
    known_vectors: dict[str, list[float]] | None = None,
) -> tuple[uuid.UUID, bool]:
    """Insert or update the document from `source`; (id, whether anything changed)."""
    tags = sorted({tag.strip().lower() for tag in tags if tag.strip()})
    digest = content_hash(document, kind.value, tags)
    existing = knowledge_store.document_hash(connection, tenant_id, source)
    if existing is not None and existing[1] == digest:
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
) -> KnowledgeDocument:
    """Add (or update, when `source` was added before) a document from a file's bytes."""
    document = load_document(name, data)
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
        document_id, _ = _store_document(
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


def search(
    engine: Engine,
    embedder: Embedder | None,
    principal: Principal,
    query: str,
    *,
    limit: int = 5,
    kind: KnowledgeKind | None = None,
    tags: Sequence[str] = (),
) -> list[KnowledgeHit]:
    """Hybrid search: words (full text) and meaning (vectors), fused by rank."""
    return search_for_tenant(
        engine, embedder, tenant_uuid(principal), query, limit=limit, kind=kind, tags=tags
    )


def search_for_tenant(
    engine: Engine,
    embedder: Embedder | None,
    tenant_id: uuid.UUID | None,
    query: str,
    *,
    limit: int = 5,
    kind: KnowledgeKind | None = None,
    tags: Sequence[str] = (),
    mode: str = "hybrid",
) -> list[KnowledgeHit]:
    """Search as `search` does; `mode` words|vectors|hybrid exists for the benchmark."""
    if not query.strip():
        raise InvalidInputError("the search query is empty")
    if not 1 <= limit <= MAX_RESULTS:
        raise InvalidInputError(f"limit must be between 1 and {MAX_RESULTS}")
    chunk_filter = ChunkFilter(tenant_id, kind.value if kind else None, [t.lower() for t in tags])
    meaning = meaningful_text(query)
    candidates = max(CANDIDATES, limit)
    with engine.begin() as connection:
        rankings: list[list[int]] = []
        weights: list[float] = []
        if mode in ("hybrid", "words"):
            shares, table_rows = knowledge_store.lexeme_statistics(connection, meaning)
            lexemes = selective_lexemes(shares, table_rows, MAX_WORD_MATCHES)
            words = knowledge_store.matching_chunks(connection, lexemes, chunk_filter, candidates)
            rankings.append([chunk_id for chunk_id, _ in words])
            weights.append(WORDS_WEIGHT)
        if mode in ("hybrid", "vectors") and _has_vectors(connection, embedder):
            assert embedder is not None
            vector = embedder.embed_query(meaning)
            nearest = knowledge_store.nearest_chunks(connection, vector, chunk_filter, candidates)
            rankings.append([chunk_id for chunk_id, _ in nearest])
            weights.append(1.0)
        fused = reciprocal_rank_fusion(rankings, k=FUSION_K, weights=weights)[:limit]
        rows = knowledge_store.chunks_with_documents(connection, [key for key, _ in fused])
    return [
        KnowledgeHit(
            document_id=str(rows[chunk_id].document_id),
            title=rows[chunk_id].title,
            kind=KnowledgeKind(rows[chunk_id].kind),
            source=rows[chunk_id].source,
            url=rows[chunk_id].url,
            heading=rows[chunk_id].heading,
            text=rows[chunk_id].text,
            score=round(score, 4),
        )
        for chunk_id, score in fused
        if chunk_id in rows
    ]


def _has_vectors(connection: Connection, embedder: Embedder | None) -> bool:
    if embedder is None:
        return False
    stored = knowledge_store.index_settings(connection)
    if stored is None:
        return False
    if stored != _settings_of(embedder):
        raise ConflictError(
            f"the knowledge base holds vectors from {stored.provider} {stored.model};"
            f" {embedder.provider} {embedder.model} is configured: run `faultmaven kb reindex`"
        )
    return True


def install_bundled_playbooks(
    engine: Engine, embedder: Embedder | None, progress: Progress = _no_progress
) -> int:
    """Load the shipped playbooks into the index, shared by all tenants.

    Returns how many were added or changed; cheap when nothing changed (hashes compared).
    """
    files = bundled_playbook_files()
    known = load_precomputed_vectors(embedder.model) if embedder is not None else {}
    changed = 0
    with engine.begin() as connection:
        connection.exec_driver_sql("SELECT pg_advisory_xact_lock(7301)")
        stored = knowledge_store.bundled_sources(connection)
        wanted = {f"{BUNDLED_SOURCE_PREFIX}{path.stem}": path for path in files}
        for source, (document_id, _) in stored.items():
            if source not in wanted:
                knowledge_store.delete_document(connection, None, document_id)
        for done, (source, path) in enumerate(wanted.items(), start=1):
            document = load_bundled(path)
            _, was_changed = _store_document(
                connection,
                embedder,
                None,
                source,
                document,
                KnowledgeKind.PLAYBOOK,
                [*document.tags, str(document.metadata.get("category", ""))],
                known,
            )
            changed += was_changed
            progress(done, len(wanted))
    return changed


def reindex(engine: Engine, embedder: Embedder | None, progress: Progress = _no_progress) -> int:
    """Recompute every vector with the configured embedder; returns chunks embedded."""
    if embedder is None:
        raise InvalidInputError("embeddings are set to `none`: there is nothing to reindex")
    settings = _settings_of(embedder)
    with engine.begin() as connection:
        knowledge_store.reset_vectors(connection, settings)
    known = load_precomputed_vectors(embedder.model)
    with engine.connect() as connection:
        total = knowledge_store.count_chunks(connection)[0]
    done = 0
    with engine.begin() as connection:
        for batch in knowledge_store.chunks_to_embed(connection, 64):
            texts = {row.id: embedding_text(row.title, row.heading, row.text) for row in batch}
            vectors = _vectors_for(embedder, texts, known)
            knowledge_store.store_vectors(connection, vectors)
            done += len(batch)
            progress(done, total)
    return done


def _vectors_for(
    embedder: Embedder, texts: dict[int, str], known: dict[str, list[float]]
) -> dict[int, Sequence[float]]:
    vectors: dict[int, Sequence[float]] = {}
    missing = []
    for chunk_id, text in texts.items():
        shipped = known.get(text_hash(text))
        if shipped is not None:
            vectors[chunk_id] = shipped
        else:
            missing.append(chunk_id)
    fresh = embedder.embed_documents([texts[chunk_id] for chunk_id in missing])
    vectors.update(zip(missing, fresh, strict=True))
    return vectors


FOLDER_SUFFIXES = {".md", ".markdown", ".txt", ".text", ".rst", ".html", ".htm", ".pdf"}


@dataclass(frozen=True)
class FileOutcome:
    """What adding one file did: the stored document, or why it was refused."""

    path: Path
    document: KnowledgeDocument | None
    error: str | None


def files_to_add(paths: Sequence[Path]) -> list[Path]:
    """Files named directly, plus the documents inside folders (hidden ones skipped)."""
    files: list[Path] = []
    for path in paths:
        if not path.exists():
            raise NotFoundError(f"{path}: no such file or folder")
        if not path.is_dir():
            files.append(path)
            continue
        for file in sorted(path.rglob("*")):
            inside = file.relative_to(path).parts
            if (
                file.is_file()
                and file.suffix.lower() in FOLDER_SUFFIXES
                and not any(part.startswith(".") for part in inside)
            ):
                files.append(file)
    return files


def add_files(
    engine: Engine,
    embedder: Embedder | None,
    principal: Principal,
    files: Sequence[Path],
    *,
    kind: KnowledgeKind | None = None,
    tags: Sequence[str] = (),
    progress: Callable[[FileOutcome], None] = lambda outcome: None,
) -> list[FileOutcome]:
    """Add each file; one bad file is reported and does not stop the others.

    The resolved path is the document's source, so adding the same file again updates it.
    """
    outcomes = []
    for file in files:
        try:
            document = add_file(
                engine,
                embedder,
                principal,
                file.name,
                file.read_bytes(),
                kind=kind,
                tags=tags,
                source=str(file.resolve()),
            )
        except (FaultMavenError, OSError) as error:
            detail = error.detail if isinstance(error, FaultMavenError) else str(error)
            outcome = FileOutcome(file, None, detail)
        else:
            outcome = FileOutcome(file, document, None)
        outcomes.append(outcome)
        progress(outcome)
    return outcomes
