"""Bundled playbooks are installed once, kept current, and survive an unreachable provider."""

from sqlalchemy import Engine

from faultmaven.knowledge.embeddings import Embedder, OllamaEmbedder
from faultmaven.knowledge.playbooks import bundled_playbook_files
from faultmaven.services import knowledge_bundled, knowledge_search
from faultmaven.services.apikeys import tenant_principal
from faultmaven.store import knowledge as knowledge_store
from tests_support import free_port


def _counts(engine: Engine) -> tuple[int, int]:
    with engine.connect() as connection:
        return knowledge_store.count_chunks(connection)


def test_unreachable_provider_installs_for_words_and_a_later_start_adds_vectors(
    spare_engine: Engine, local_embedder: Embedder
) -> None:
    down = OllamaEmbedder(model="all-minilm", base_url=f"http://127.0.0.1:{free_port()}")
    installed = knowledge_bundled.install_bundled_playbooks(spare_engine, down)
    assert installed == len(bundled_playbook_files())
    chunks, with_vectors = _counts(spare_engine)
    assert chunks > 0 and with_vectors == 0
    principal = tenant_principal(spare_engine, "solo")
    hits = knowledge_search.search(spare_engine, None, principal, "too many clients already")
    assert hits and hits[0].source == "bundled:postgres-too-many-connections"

    refreshed = knowledge_bundled.install_bundled_playbooks(spare_engine, local_embedder)
    assert refreshed == installed
    assert _counts(spare_engine) == (chunks, chunks)
    assert knowledge_bundled.install_bundled_playbooks(spare_engine, local_embedder) == 0
