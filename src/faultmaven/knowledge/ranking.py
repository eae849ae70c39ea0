"""Fusing ranked lists from different retrievers (reciprocal rank fusion)."""

from collections.abc import Hashable, Sequence
from typing import TypeVar

Key = TypeVar("Key", bound=Hashable)

RRF_K = 60


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[Key]], *, k: int = RRF_K, weights: Sequence[float] | None = None
) -> list[tuple[Key, float]]:
    """Merge rankings; an item's score is the sum of weight / (k + rank) over the lists.

    Scores are scaled so an item ranked first by every list scores 1.0. RRF needs no score
    calibration between retrievers, which is why it suits words-vs-vectors fusion.
    """
    weights = list(weights) if weights is not None else [1.0] * len(rankings)
    scores: dict[Key, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, key in enumerate(ranking, start=1):
            scores[key] = scores.get(key, 0.0) + weight / (k + rank)
    best_possible = sum(weight / (k + 1) for weight in weights) or 1.0
    fused = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    return [(key, score / best_possible) for key, score in fused]
