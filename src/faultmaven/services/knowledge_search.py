"""Knowledge search: words (full text) and meaning (vectors), fused by rank."""

import uuid
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import Connection, Engine

from faultmaven.domain.diagnosis import KnowledgeKind
from faultmaven.domain.errors import InvalidInputError
from faultmaven.domain.knowledge import KnowledgeHit
from faultmaven.domain.tenants import Principal
from faultmaven.knowledge.embeddings import Embedder
from faultmaven.knowledge.playbooks import playbooks_matching
from faultmaven.knowledge.query import meaningful_text, selective_lexemes
from faultmaven.knowledge.ranking import reciprocal_rank_fusion
from faultmaven.services.apikeys import tenant_uuid
from faultmaven.services.knowledge import (
    BUNDLED_SOURCE_PREFIX,
    refuse_other_embedder,
    settings_of,
)
from faultmaven.store import knowledge as knowledge_store
from faultmaven.store.knowledge import ChunkFilter

# How many candidates each retriever hands to the fusion.
CANDIDATES = 50
# Fusion settings chosen on the dev part of bench/data/kb_queries.json (never the held-out
# part): a small k trusts each list's top ranks; words count half as much as meaning,
# because a log line shares many words with unrelated playbooks.
FUSION_K = 10
# Chunks the word search may rank per query; beyond it the commonest query words are dropped.
MAX_WORD_MATCHES = 500
WORDS_WEIGHT = 0.5
# A bundled playbook whose log signature matches the query counts like one more retriever.
SIGNATURE_WEIGHT = 1.0
MAX_RESULTS = 50

_query_embedder = ThreadPoolExecutor(max_workers=2, thread_name_prefix="query-embedding")


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
    """Search as `search` does; `mode` exists for the benchmark.

    `hybrid` (the product) fuses words, vectors and playbook signatures; `words`, `vectors`
    and `words+vectors` leave parts out.
    """
    if not query.strip():
        raise InvalidInputError("the search query is empty")
    if not 1 <= limit <= MAX_RESULTS:
        raise InvalidInputError(f"limit must be between 1 and {MAX_RESULTS}")
    chunk_filter = ChunkFilter(tenant_id, kind.value if kind else None, [t.lower() for t in tags])
    meaning = meaningful_text(query)
    candidates = max(CANDIDATES, limit)
    with engine.begin() as connection:
        use_vectors = mode in ("hybrid", "vectors", "words+vectors") and _has_vectors(
            connection, embedder
        )
        # The query is embedded on another thread while PostgreSQL runs the word search:
        # the model computes in torch (no GIL), so the two overlap on two cores.
        embedding = (
            _query_embedder.submit(embedder.embed_query, meaning)
            if use_vectors and embedder is not None
            else None
        )
        rankings: list[list[int]] = []
        weights: list[float] = []
        if mode in ("hybrid", "words", "words+vectors"):
            shares, table_rows = knowledge_store.lexeme_statistics(connection, meaning)
            lexemes = selective_lexemes(shares, table_rows, MAX_WORD_MATCHES)
            words = knowledge_store.matching_chunks(
                connection, lexemes, chunk_filter, candidates, scanned=MAX_WORD_MATCHES
            )
            rankings.append([chunk_id for chunk_id, _ in words])
            weights.append(WORDS_WEIGHT)
        if mode == "hybrid":
            sources = [f"{BUNDLED_SOURCE_PREFIX}{pid}" for pid in playbooks_matching(query)]
            matched = knowledge_store.lead_chunks(connection, sources, chunk_filter)
            if matched:
                rankings.append(matched)
                weights.append(SIGNATURE_WEIGHT)
        if embedding is not None:
            vector = embedding.result()
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
    refuse_other_embedder(stored, settings_of(embedder))
    return True
