"""Knowledge documents and chunks: storage, vector search (HNSW) and word search (GIN)."""

import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Float, Row, and_, delete, func, or_, select, text, update
from sqlalchemy.sql.elements import ColumnElement

from faultmaven.store.tables import knowledge_chunks, knowledge_documents, knowledge_index

# Candidates the HNSW graph walk keeps. At 100k chunks (bench/kb_latency.py) 100 found 77% of
# the exact top 10 and 400 found 89%, for about 3 ms more per search.
EF_SEARCH = 400


@dataclass(frozen=True)
class IndexSettings:
    """Which embedder built the stored vectors; queries must use the same one."""

    provider: str
    model: str
    dimension: int


@dataclass(frozen=True)
class StoredChunk:
    """A chunk ready to store: its place, words, hash and (optional) vector."""

    ordinal: int
    heading: str | None
    text: str
    chunk_hash: str
    embedding: Sequence[float] | None


@dataclass(frozen=True)
class ChunkFilter:
    """Who may see a chunk and which ones a search wants."""

    tenant_id: uuid.UUID | None
    kind: str | None = None
    tags: Sequence[str] = ()


def _vector_literal(vector: Sequence[float]) -> str:
    return "[" + ",".join(f"{number:.7g}" for number in vector) + "]"


def index_settings(connection: Connection) -> IndexSettings | None:
    """Return the embedder the stored vectors come from, or None before the first vector."""
    row = connection.execute(select(knowledge_index)).first()
    return IndexSettings(row.provider, row.model, row.dimension) if row else None


def column_dimension(connection: Connection) -> int | None:
    """Return the declared size of the embedding column (None when unsized)."""
    size: int | None = connection.execute(
        text(
            "SELECT NULLIF(atttypmod, -1) FROM pg_attribute"
            " WHERE attrelid = 'knowledge_chunks'::regclass AND attname = 'embedding'"
        )
    ).scalar_one()
    return size


def reset_vectors(connection: Connection, settings: IndexSettings) -> None:
    """Forget every vector and size the column for a new embedder (`kb reindex`)."""
    connection.execute(text("DROP INDEX IF EXISTS knowledge_chunks_embedding"))
    connection.execute(
        text(
            "ALTER TABLE knowledge_chunks ALTER COLUMN embedding"
            f" TYPE vector({int(settings.dimension)}) USING NULL"
        )
    )
    connection.execute(
        text(
            "CREATE INDEX knowledge_chunks_embedding ON knowledge_chunks"
            " USING hnsw (embedding vector_cosine_ops)"
        )
    )
    record_index_settings(connection, settings)


def record_index_settings(connection: Connection, settings: IndexSettings) -> None:
    """Remember which embedder the vectors come from."""
    connection.execute(
        text(
            "INSERT INTO knowledge_index (id, provider, model, dimension, updated_at)"
            " VALUES (1, :provider, :model, :dimension, now())"
            " ON CONFLICT (id) DO UPDATE SET provider = :provider, model = :model,"
            " dimension = :dimension, updated_at = now()"
        ),
        {"provider": settings.provider, "model": settings.model, "dimension": settings.dimension},
    )


def _owned_by(tenant_id: uuid.UUID | None) -> ColumnElement[bool]:
    """Documents of exactly this tenant (None: the bundled ones)."""
    if tenant_id is None:
        return knowledge_documents.c.tenant_id.is_(None)
    return knowledge_documents.c.tenant_id == tenant_id


def document_hash(
    connection: Connection, tenant_id: uuid.UUID | None, source: str
) -> tuple[uuid.UUID, str] | None:
    """Return the id and content hash of the document stored from `source`, if any."""
    owner = _owned_by(tenant_id)
    row = connection.execute(
        select(knowledge_documents.c.id, knowledge_documents.c.content_hash).where(
            owner, knowledge_documents.c.source == source
        )
    ).first()
    return (row.id, row.content_hash) if row else None


def save_document(
    connection: Connection,
    document_id: uuid.UUID,
    values: dict[str, Any],
    chunks: Sequence[StoredChunk],
    *,
    replace: bool,
) -> None:
    """Insert or replace a document and all of its chunks in the caller's transaction."""
    if replace:
        connection.execute(
            delete(knowledge_chunks).where(knowledge_chunks.c.document_id == document_id)
        )
        connection.execute(
            update(knowledge_documents)
            .where(knowledge_documents.c.id == document_id)
            .values(**{k: v for k, v in values.items() if k != "created_at"})
        )
    else:
        connection.execute(knowledge_documents.insert().values(id=document_id, **values))
    if chunks:
        connection.execute(
            knowledge_chunks.insert(),
            [
                {
                    "document_id": document_id,
                    "tenant_id": values["tenant_id"],
                    "kind": values["kind"],
                    "tags": values["tags"],
                    "title": values["title"],
                    "ordinal": chunk.ordinal,
                    "heading": chunk.heading,
                    "text": chunk.text,
                    "chunk_hash": chunk.chunk_hash,
                    "embedding": list(chunk.embedding) if chunk.embedding is not None else None,
                }
                for chunk in chunks
            ],
        )


def _visible_documents(tenant_id: uuid.UUID | None) -> ColumnElement[bool]:
    if tenant_id is None:
        return knowledge_documents.c.tenant_id.is_(None)
    return or_(
        knowledge_documents.c.tenant_id == tenant_id, knowledge_documents.c.tenant_id.is_(None)
    )


def list_documents(connection: Connection, tenant_id: uuid.UUID | None) -> list[Row[Any]]:
    """List the tenant's documents and the bundled ones, with their chunk counts, newest first."""
    chunk_count = (
        select(func.count())
        .where(knowledge_chunks.c.document_id == knowledge_documents.c.id)
        .scalar_subquery()
    )
    return list(
        connection.execute(
            select(knowledge_documents, chunk_count.label("chunks"))
            .where(_visible_documents(tenant_id))
            .order_by(knowledge_documents.c.updated_at.desc(), knowledge_documents.c.title)
        ).all()
    )


def bundled_sources(connection: Connection) -> dict[str, tuple[uuid.UUID, str]]:
    """Map source -> (id, content hash) of every bundled document."""
    rows = connection.execute(
        select(
            knowledge_documents.c.source,
            knowledge_documents.c.id,
            knowledge_documents.c.content_hash,
        ).where(knowledge_documents.c.tenant_id.is_(None))
    )
    return {row.source: (row.id, row.content_hash) for row in rows}


def bundled_sources_without_vectors(connection: Connection) -> set[str]:
    """Return the sources of bundled documents having a chunk with no vector."""
    rows = connection.execute(
        select(knowledge_documents.c.source)
        .distinct()
        .join(knowledge_chunks, knowledge_chunks.c.document_id == knowledge_documents.c.id)
        .where(knowledge_documents.c.tenant_id.is_(None), knowledge_chunks.c.embedding.is_(None))
    )
    return {row.source for row in rows}


def delete_document(
    connection: Connection, tenant_id: uuid.UUID | None, document_id: uuid.UUID
) -> bool:
    """Remove a document (and its chunks) owned by exactly this tenant (None: bundled)."""
    owner = _owned_by(tenant_id)
    result = connection.execute(
        delete(knowledge_documents).where(knowledge_documents.c.id == document_id, owner)
    )
    return result.rowcount > 0


def is_visible(connection: Connection, tenant_id: uuid.UUID, document_id: uuid.UUID) -> bool:
    """Whether the tenant can see the document (its own or bundled)."""
    row = connection.execute(
        select(knowledge_documents.c.id).where(
            knowledge_documents.c.id == document_id, _visible_documents(tenant_id)
        )
    ).first()
    return row is not None


def _chunk_conditions(chunk_filter: ChunkFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if chunk_filter.tenant_id is None:
        conditions.append(knowledge_chunks.c.tenant_id.is_(None))
    else:
        conditions.append(
            or_(
                knowledge_chunks.c.tenant_id == chunk_filter.tenant_id,
                knowledge_chunks.c.tenant_id.is_(None),
            )
        )
    if chunk_filter.kind:
        conditions.append(knowledge_chunks.c.kind == chunk_filter.kind)
    if chunk_filter.tags:
        conditions.append(knowledge_chunks.c.tags.contains(list(chunk_filter.tags)))
    return conditions


def nearest_chunks(
    connection: Connection, vector: Sequence[float], chunk_filter: ChunkFilter, limit: int
) -> list[tuple[int, float]]:
    """Return chunk ids by cosine distance to the vector, nearest first (HNSW, filters applied)."""
    connection.execute(text(f"SET LOCAL hnsw.ef_search = {max(EF_SEARCH, limit)}"))
    connection.execute(text("SET LOCAL hnsw.iterative_scan = relaxed_order"))
    distance = knowledge_chunks.c.embedding.op("<=>", return_type=Float)(
        text(":query_vector ::vector").bindparams(query_vector=_vector_literal(vector))
    )
    rows = connection.execute(
        select(knowledge_chunks.c.id, distance.label("distance"))
        .where(knowledge_chunks.c.embedding.is_not(None), *_chunk_conditions(chunk_filter))
        .order_by(distance)
        .limit(limit)
    ).all()
    return sorted(((row.id, float(row.distance)) for row in rows), key=lambda item: item[1])


def lexeme_statistics(connection: Connection, words: str) -> tuple[dict[str, float], float]:
    """Return the words' lexemes with the share of chunks holding each, and the row estimate.

    Shares come from PostgreSQL's own statistics of the column (0.0: rarer than any listed);
    without statistics yet (a small or fresh table) every share is 0.0.
    """
    lexemes = connection.execute(
        text("SELECT tsvector_to_array(to_tsvector('english', :words))"), {"words": words}
    ).scalar_one()
    if not lexemes:
        return {}, 0.0
    shares = dict.fromkeys(lexemes, 0.0)
    rows = connection.execute(
        text(
            "SELECT element, share FROM pg_stats, unnest(most_common_elems::text::text[],"
            " most_common_elem_freqs) AS listed(element, share)"
            " WHERE schemaname = current_schema() AND tablename = 'knowledge_chunks'"
            " AND attname = 'search' AND element = ANY(:lexemes)"
        ),
        {"lexemes": list(lexemes)},
    )
    shares.update({row.element: float(row.share) for row in rows})
    estimate = connection.execute(
        text("SELECT reltuples FROM pg_class WHERE oid = 'knowledge_chunks'::regclass")
    ).scalar_one()
    return shares, max(float(estimate), 0.0)


def _tsquery_of(lexemes: Sequence[str]) -> str:
    """Build an any-of tsquery over normalised lexemes (quoted, so no syntax leaks in)."""
    quoted = ("'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'" for lexeme in lexemes)
    return " | ".join(quoted)


def matching_chunks(
    connection: Connection,
    lexemes: Sequence[str],
    chunk_filter: ChunkFilter,
    limit: int,
    *,
    scanned: int,
) -> list[tuple[int, float]]:
    """Return chunk ids holding any of the lexemes, best cover density first (GIN).

    At most `scanned` matching chunks are ranked: ranking reads each chunk's words from the
    table, so this bounds a query's cost however common its words are.
    """
    if not lexemes:
        return []
    query = func.to_tsquery(text("'simple'::regconfig"), _tsquery_of(lexemes))
    matching = (
        select(knowledge_chunks.c.id, knowledge_chunks.c.search)
        .where(knowledge_chunks.c.search.op("@@")(query), *_chunk_conditions(chunk_filter))
        .limit(scanned)
        .subquery()
    )
    rank = func.ts_rank_cd(matching.c.search, query, 1)
    rows = connection.execute(
        select(matching.c.id, rank.label("rank")).order_by(rank.desc(), matching.c.id).limit(limit)
    ).all()
    return [(row.id, float(row.rank)) for row in rows]


def lead_chunks(
    connection: Connection, sources: Sequence[str], chunk_filter: ChunkFilter
) -> list[int]:
    """Return the first chunk of each visible document with one of the sources, in order."""
    if not sources:
        return []
    rows = connection.execute(
        select(knowledge_documents.c.source, func.min(knowledge_chunks.c.id).label("chunk_id"))
        .join(knowledge_documents, knowledge_documents.c.id == knowledge_chunks.c.document_id)
        .where(
            knowledge_documents.c.source.in_(list(sources)),
            knowledge_chunks.c.ordinal == 0,
            *_chunk_conditions(chunk_filter),
        )
        .group_by(knowledge_documents.c.source)
    )
    by_source = {row.source: row.chunk_id for row in rows}
    return [by_source[source] for source in sources if source in by_source]


def chunks_with_documents(connection: Connection, chunk_ids: Sequence[int]) -> dict[int, Any]:
    """Map chunk id -> the chunk with its document's title, kind, source and url."""
    if not chunk_ids:
        return {}
    rows = connection.execute(
        select(
            knowledge_chunks.c.id,
            knowledge_chunks.c.document_id,
            knowledge_chunks.c.heading,
            knowledge_chunks.c.text,
            knowledge_documents.c.title,
            knowledge_documents.c.kind,
            knowledge_documents.c.source,
            knowledge_documents.c.url,
        )
        .join(knowledge_documents, knowledge_documents.c.id == knowledge_chunks.c.document_id)
        .where(knowledge_chunks.c.id.in_(list(chunk_ids)))
    )
    return {row.id: row for row in rows}


def chunks_to_embed(connection: Connection, batch: int) -> Iterator[list[Any]]:
    """Yield batches of chunks with no vector yet (id, title, heading, text), for reindexing."""
    last_id = 0
    while True:
        rows = connection.execute(
            select(
                knowledge_chunks.c.id,
                knowledge_chunks.c.title,
                knowledge_chunks.c.heading,
                knowledge_chunks.c.text,
            )
            .where(and_(knowledge_chunks.c.embedding.is_(None), knowledge_chunks.c.id > last_id))
            .order_by(knowledge_chunks.c.id)
            .limit(batch)
        ).all()
        if not rows:
            return
        yield list(rows)
        last_id = rows[-1].id


def store_vectors(connection: Connection, vectors: dict[int, Sequence[float]]) -> None:
    """Set the vectors of chunks by id."""
    for chunk_id, vector in vectors.items():
        connection.execute(
            update(knowledge_chunks)
            .where(knowledge_chunks.c.id == chunk_id)
            .values(embedding=list(vector))
        )


def count_chunks(connection: Connection) -> tuple[int, int]:
    """Count (all chunks, chunks with a vector)."""
    row = connection.execute(
        select(func.count(), func.count(knowledge_chunks.c.embedding)).select_from(knowledge_chunks)
    ).one()
    return int(row[0]), int(row[1])
