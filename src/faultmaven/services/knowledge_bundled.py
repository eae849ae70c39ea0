"""The shipped playbooks in the index, and recomputing every vector after a provider change."""

import logging

from sqlalchemy import Engine

from faultmaven.domain.diagnosis import KnowledgeKind
from faultmaven.domain.errors import InvalidInputError
from faultmaven.knowledge.embeddings import Embedder, EmbeddingProviderError
from faultmaven.knowledge.indexing import embedding_text, text_hash
from faultmaven.knowledge.playbooks import (
    bundled_playbook_files,
    load_bundled,
    load_precomputed_vectors,
)
from faultmaven.services.knowledge import (
    BUNDLED_SOURCE_PREFIX,
    Progress,
    no_progress,
    settings_of,
    store_document,
    vectors_by_hash,
)
from faultmaven.store import knowledge as knowledge_store

logger = logging.getLogger(__name__)


def install_bundled_playbooks(
    engine: Engine, embedder: Embedder | None, progress: Progress = no_progress
) -> int:
    """Load the shipped playbooks into the index, shared by all tenants.

    Returns how many were added or changed; cheap when nothing changed (hashes compared).
    When the embedding provider cannot be reached they are loaded for word search alone, and
    their vectors are added by the first later call that reaches it.
    """
    try:
        return _install(engine, embedder, progress)
    except EmbeddingProviderError as error:
        logger.error("bundled playbooks loaded without vectors: %s", error.detail)
        return _install(engine, None, progress)


def _install(engine: Engine, embedder: Embedder | None, progress: Progress) -> int:
    files = bundled_playbook_files()
    known = load_precomputed_vectors(embedder.model) if embedder is not None else {}
    changed = 0
    with engine.begin() as connection:
        connection.exec_driver_sql("SELECT pg_advisory_xact_lock(7301)")
        stored = knowledge_store.bundled_sources(connection)
        without_vectors = (
            knowledge_store.bundled_sources_without_vectors(connection) if embedder else set()
        )
        wanted = {f"{BUNDLED_SOURCE_PREFIX}{path.stem}": path for path in files}
        for source, (document_id, _) in stored.items():
            if source not in wanted:
                knowledge_store.delete_document(connection, None, document_id)
        for done, (source, path) in enumerate(wanted.items(), start=1):
            document = load_bundled(path)
            _, was_changed = store_document(
                connection,
                embedder,
                None,
                source,
                document,
                KnowledgeKind.PLAYBOOK,
                [*document.tags, str(document.metadata.get("category", ""))],
                known,
                refresh=source in without_vectors,
            )
            changed += was_changed
            progress(done, len(wanted))
    return changed


def reindex(engine: Engine, embedder: Embedder | None, progress: Progress = no_progress) -> int:
    """Recompute every vector with the configured embedder; returns chunks embedded."""
    if embedder is None:
        raise InvalidInputError("embeddings are set to `none`: there is nothing to reindex")
    settings = settings_of(embedder)
    with engine.begin() as connection:
        knowledge_store.reset_vectors(connection, settings)
    known = load_precomputed_vectors(embedder.model)
    with engine.connect() as connection:
        total = knowledge_store.count_chunks(connection)[0]
    done = 0
    with engine.begin() as connection:
        for batch in knowledge_store.chunks_to_embed(connection, 64):
            texts = {row.id: embedding_text(row.title, row.heading, row.text) for row in batch}
            hashes = {chunk_id: text_hash(text) for chunk_id, text in texts.items()}
            by_hash = vectors_by_hash(
                embedder, {hashes[chunk_id]: text for chunk_id, text in texts.items()}, known
            )
            knowledge_store.store_vectors(
                connection, {chunk_id: by_hash[hashes[chunk_id]] for chunk_id in texts}
            )
            done += len(batch)
            progress(done, total)
    return done
