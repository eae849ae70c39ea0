"""Nearest-prototype intent scores from sentence embeddings."""

import threading

import numpy as np
from numpy.typing import NDArray

from faultmaven.knowledge.embeddings import Embedder
from faultmaven.router.outcome import Intent
from faultmaven.router.prototypes import PROTOTYPES

NEAREST_PER_INTENT = 2

_prototype_vectors: dict[tuple[str, str], tuple[list[Intent], NDArray[np.float64]]] = {}
_prototype_lock = threading.Lock()


def _prototypes(embedder: Embedder) -> tuple[list[Intent], NDArray[np.float64]]:
    """Embed the prototype questions once per process and embedding model."""
    key = (embedder.provider, embedder.model)
    with _prototype_lock:
        if key not in _prototype_vectors:
            labels = [intent for intent, texts in PROTOTYPES.items() for _ in texts]
            texts = [text for group in PROTOTYPES.values() for text in group]
            vectors = _unit_rows(np.asarray(embedder.embed_documents(texts), dtype=np.float64))
            _prototype_vectors[key] = (labels, vectors)
        return _prototype_vectors[key]


def _unit_rows(matrix: NDArray[np.float64]) -> NDArray[np.float64]:
    norms = np.linalg.norm(matrix, axis=-1, keepdims=True)
    return matrix / np.where(norms == 0, 1.0, norms)


def similarity_scores(question: str, embedder: Embedder) -> dict[Intent, float]:
    """Return, per intent, the mean cosine similarity of its nearest prototype questions.

    Raises whatever the embedder raises; the caller decides what to fall back to.
    """
    labels, vectors = _prototypes(embedder)
    query = _unit_rows(np.asarray(embedder.embed_query(question), dtype=np.float64))
    similarities = vectors @ query
    scores: dict[Intent, float] = {}
    for intent in PROTOTYPES:
        own = np.sort(similarities[[label is intent for label in labels]])[::-1]
        scores[intent] = float(np.mean(own[:NEAREST_PER_INTENT]))
    return scores
