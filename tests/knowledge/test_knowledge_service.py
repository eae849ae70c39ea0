"""The knowledge base on the real embedded PostgreSQL with pgvector and the local model."""

import hashlib
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pytest
from sqlalchemy import Engine

from faultmaven.domain.diagnosis import KnowledgeKind
from faultmaven.domain.errors import ConflictError, InvalidInputError, NotFoundError
from faultmaven.domain.knowledge import KnowledgeHit
from faultmaven.domain.tenants import Principal
from faultmaven.knowledge.embeddings import Embedder
from faultmaven.services import knowledge, knowledge_bundled, knowledge_search
from faultmaven.services.apikeys import tenant_uuid

CORPUS = {
    "Kafka consumer group falling behind": """
## Symptoms
The consumer group's lag keeps growing and messages are processed minutes late.

## Diagnosis
```sh
kafka-consumer-groups.sh --bootstrap-server broker:9092 --describe --group orders
```
""",
    "Volume out of space": """
## Symptoms
Writes fail because the filesystem has no free blocks left; databases stop accepting writes.

## Remediation
Delete old files, rotate logs, grow the volume.
""",
    "Certificate renewal": """
## Symptoms
Clients refuse to connect because the server's certificate expired last night.

## Remediation
Renew the certificate with the ACME client and reload the proxy.
""",
    "Error ECONNRESET from the payments gateway": """
## Symptoms
Calls to the payments gateway die with ECONNRESET after exactly 60 seconds of idle keep-alive.

## Remediation
Lower the client keep-alive below the gateway's idle timeout.
""",
    "Lock contention on orders table": """
## Symptoms
Updates on orders wait on row locks held by a long batch job.
""",
}


def _add_corpus(engine: Engine, embedder: Embedder | None, principal: Principal) -> dict[str, str]:
    ids = {}
    for title, content in CORPUS.items():
        document = knowledge.add_text(
            engine, embedder, principal, title=title, content=content, kind=KnowledgeKind.RUNBOOK
        )
        ids[title] = document.id
    return ids


def _titles(hits: Sequence[KnowledgeHit]) -> list[str]:
    return [hit.title for hit in hits]


def test_hybrid_finds_by_meaning_and_by_rare_words_where_each_alone_fails_once(
    engine: Engine, local_embedder: Embedder, new_tenant: Callable[[], Principal]
) -> None:
    principal = new_tenant()
    _add_corpus(engine, local_embedder, principal)
    tenant = tenant_uuid(principal)

    def top(query: str, mode: str) -> str | None:
        hits = knowledge_search.search_for_tenant(
            engine, local_embedder, tenant, query, limit=3, mode=mode, kind=KnowledgeKind.RUNBOOK
        )
        own = [hit for hit in hits if hit.title in CORPUS]
        return own[0].title if own else None

    meaning = "disk is full"
    assert top(meaning, "words") != "Volume out of space"
    assert top(meaning, "vectors") == "Volume out of space"
    assert top(meaning, "hybrid") == "Volume out of space"
    rare_word = "read ECONNRESET"
    assert top(rare_word, "hybrid") == "Error ECONNRESET from the payments gateway"
    assert top(rare_word, "words") == "Error ECONNRESET from the payments gateway"


def test_hits_carry_chunk_heading_document_and_score(
    engine: Engine, local_embedder: Embedder, new_tenant: Callable[[], Principal]
) -> None:
    principal = new_tenant()
    ids = _add_corpus(engine, local_embedder, principal)
    hits = knowledge_search.search(
        engine, local_embedder, principal, "kafka consumer lag growing", limit=2
    )
    assert hits[0].document_id == ids["Kafka consumer group falling behind"]
    assert hits[0].heading in ("Symptoms", "Diagnosis")
    assert hits[0].kind == KnowledgeKind.RUNBOOK
    assert hits[0].source == "text:Kafka consumer group falling behind"
    assert 0 < hits[0].score <= 1
    assert "lag keeps growing" in hits[0].text


def test_re_adding_the_same_document_changes_nothing_and_an_edit_replaces_its_chunks(
    engine: Engine, local_embedder: Embedder, new_tenant: Callable[[], Principal]
) -> None:
    principal = new_tenant()
    first = knowledge.add_text(
        engine, local_embedder, principal, title="Redis memory", content="## A\nmaxmemory reached"
    )
    again = knowledge.add_text(
        engine, local_embedder, principal, title="Redis memory", content="## A\nmaxmemory reached"
    )
    assert again.id == first.id and again.updated_at == first.updated_at
    edited = knowledge.add_text(
        engine,
        local_embedder,
        principal,
        title="Redis memory",
        content="## A\nmaxmemory reached\n\n## B\nevictions climbing fast",
    )
    assert edited.id == first.id and edited.chunks == 2
    own = [d for d in knowledge.list_documents(engine, principal) if not d.bundled]
    assert [d.title for d in own] == ["Redis memory"]


def test_removing_a_document_removes_its_chunks_from_search(
    engine: Engine, local_embedder: Embedder, new_tenant: Callable[[], Principal]
) -> None:
    principal = new_tenant()
    ids = _add_corpus(engine, local_embedder, principal)
    knowledge.remove_document(engine, principal, ids["Certificate renewal"])
    hits = knowledge_search.search(
        engine, local_embedder, principal, "certificate expired", limit=10
    )
    assert ids["Certificate renewal"] not in {hit.document_id for hit in hits}
    with pytest.raises(NotFoundError):
        knowledge.remove_document(engine, principal, ids["Certificate renewal"])


def test_tenants_never_see_or_remove_each_others_documents(
    engine: Engine, local_embedder: Embedder, new_tenant: Callable[[], Principal]
) -> None:
    owner, stranger = new_tenant(), new_tenant()
    ids = _add_corpus(engine, local_embedder, owner)
    hits = knowledge_search.search(engine, local_embedder, stranger, "kafka consumer lag", limit=20)
    assert not set(ids.values()) & {hit.document_id for hit in hits}
    assert not [d for d in knowledge.list_documents(engine, stranger) if not d.bundled]
    with pytest.raises(NotFoundError):
        knowledge.remove_document(engine, stranger, ids["Volume out of space"])


def test_words_only_search_works_without_any_embedder(
    engine: Engine, new_tenant: Callable[[], Principal]
) -> None:
    principal = new_tenant()
    _add_corpus(engine, None, principal)
    hits = knowledge_search.search(
        engine, None, principal, "ECONNRESET keep-alive", limit=1, kind=KnowledgeKind.RUNBOOK
    )
    assert hits[0].title == "Error ECONNRESET from the payments gateway"


def test_empty_query_document_and_bad_limits_are_refused(
    engine: Engine, new_tenant: Callable[[], Principal]
) -> None:
    principal = new_tenant()
    with pytest.raises(InvalidInputError):
        knowledge_search.search(engine, None, principal, "   ")
    with pytest.raises(InvalidInputError):
        knowledge_search.search(engine, None, principal, "disk", limit=0)
    with pytest.raises(InvalidInputError):
        knowledge.add_text(engine, None, principal, title="Empty", content="  \n ")


@dataclass
class HashingEmbedder:
    """A stand-in second provider with another vector size (words hashed into buckets)."""

    dimension: int = 16
    provider: str = "test-hashing"
    model: str = "buckets-16"

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        return [self.embed_query(text) for text in texts]

    def embed_query(self, text: str) -> list[float]:
        vector = [0.0] * self.dimension
        for word in text.lower().split():
            vector[hashlib.sha256(word.encode()).digest()[0] % self.dimension] += 1.0
        norm = math.sqrt(sum(x * x for x in vector)) or 1.0
        return [x / norm for x in vector]


def test_switching_provider_needs_a_reindex_which_resizes_the_vectors(
    spare_engine: Engine, local_embedder: Embedder, new_tenant: Callable[[], Principal]
) -> None:
    from faultmaven.services.apikeys import tenant_principal

    principal = tenant_principal(spare_engine, "solo")
    _add_corpus(spare_engine, local_embedder, principal)
    other = HashingEmbedder()
    with pytest.raises(ConflictError, match="kb reindex"):
        knowledge_search.search(spare_engine, other, principal, "kafka lag")
    with pytest.raises(ConflictError, match="kb reindex"):
        knowledge.add_text(spare_engine, other, principal, title="New", content="fresh words")
    embedded = knowledge_bundled.reindex(spare_engine, other)
    assert embedded >= len(CORPUS)
    hits = knowledge_search.search(spare_engine, other, principal, "consumer group lag", limit=1)
    assert hits[0].title == "Kafka consumer group falling behind"
    with pytest.raises(ConflictError):
        knowledge_search.search(spare_engine, local_embedder, principal, "kafka lag")
