from collections.abc import Sequence
from dataclasses import dataclass, field

import pytest

from faultmaven.knowledge.embeddings import Embedder, EmbeddingProviderError, make_embedder
from faultmaven.router import CaseContext, Intent, Method, route_question
from faultmaven.router.embedding import similarity_scores
from faultmaven.router.prototypes import PROTOTYPES


@dataclass
class CountingEmbedder:
    """The real local embedder, counting how often the prototypes are embedded."""

    inner: Embedder
    provider: str = "local-counting"
    model: str = "all-MiniLM-L6-v2"
    document_batches: list[int] = field(default_factory=list)

    @property
    def dimension(self) -> int:
        return self.inner.dimension

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        self.document_batches.append(len(texts))
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)


@dataclass
class UnreachableEmbedder:
    """An embedding provider that is down, as a remote one can be."""

    provider: str = "unreachable"
    model: str = "none"
    dimension: int = 384

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        raise EmbeddingProviderError("cannot reach embedding provider at http://127.0.0.1:9")

    def embed_query(self, text: str) -> list[float]:
        raise EmbeddingProviderError("cannot reach embedding provider at http://127.0.0.1:9")


@pytest.fixture(scope="module")
def local_embedder() -> Embedder:
    embedder = make_embedder("local")
    assert embedder is not None
    return embedder


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("what time did the first crash happen", Intent.WHEN_STARTED),
        ("give me the steps to roll back", Intent.HOW_TO_FIX),
        ("we just shipped a new build, could that matter", Intent.WHAT_CHANGED),
        ("good morning", Intent.GENERAL),
    ],
)
def test_nearest_prototypes_recognise_paraphrases(
    local_embedder: Embedder, question: str, intent: Intent
) -> None:
    scores = similarity_scores(question, local_embedder)
    assert set(scores) == set(Intent)
    assert max(scores, key=lambda candidate: scores[candidate]) is intent


def test_prototypes_are_embedded_once_per_process(local_embedder: Embedder) -> None:
    counting = CountingEmbedder(local_embedder)
    similarity_scores("why is it slow", counting)
    similarity_scores("when did it start", counting)
    assert counting.document_batches == [sum(len(texts) for texts in PROTOTYPES.values())]


def test_embeddings_decide_what_the_rules_leave_open(local_embedder: Embedder) -> None:
    context = CaseContext(evidence_kinds=("log",))
    route = route_question("the checkout pods", context, embedder=local_embedder)
    assert route.method is Method.EMBEDDINGS
    assert route.intent is Intent.WHAT_IS_WRONG
    assert 0.0 < route.confidence < 1.0


def test_rules_and_embeddings_combine_when_cues_conflict(local_embedder: Embedder) -> None:
    question = "is it the network or the db"
    route = route_question(question, CaseContext(("log",)), embedder=local_embedder)
    assert route.method is Method.RULES_AND_EMBEDDINGS
    assert route.intent is Intent.WHY


def test_a_decisive_rule_does_not_need_the_embedder() -> None:
    route = route_question("rollback?", CaseContext(("log",)), embedder=UnreachableEmbedder())
    assert (route.intent, route.method, route.fallback_reason) == (
        Intent.HOW_TO_FIX,
        Method.RULES,
        None,
    )


def test_a_failing_embedder_leaves_rules_alone_and_says_why() -> None:
    context = CaseContext(evidence_kinds=("log",))
    route = route_question("the checkout pods", context, embedder=UnreachableEmbedder())
    assert (route.intent, route.method) == (Intent.WHAT_IS_WRONG, Method.DEFAULT)
    assert route.fallback_reason is not None
    assert route.fallback_reason.startswith("EmbeddingProviderError: cannot reach")
