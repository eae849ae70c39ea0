"""The benchmark's labelled questions: well formed, stratified, and split as documented."""

import json
import math
import random
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from faultmaven.router import Intent
from faultmaven.router.prototypes import PROTOTYPES

QUESTIONS = Path(__file__).parents[3] / "bench" / "data" / "router_questions.json"
KINDS = {"log", "metrics", "kubernetes", "text", "image"}


@pytest.fixture(scope="module")
def labelled() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(QUESTIONS.read_text())
    return data


def test_every_item_is_well_formed(labelled: dict[str, Any]) -> None:
    items = labelled["items"]
    assert len(items) >= 150
    for item in items:
        assert set(item) <= {
            "id",
            "question",
            "intent",
            "split",
            "evidence_kinds",
            "context",
            "mentions_hypothesis",
        }
        assert isinstance(item["question"], str) and item["question"].strip()
        assert Intent(item["intent"])
        assert item["split"] in {"dev", "held_out"}
        assert set(item["evidence_kinds"]) <= KINDS
        assert isinstance(item.get("mentions_hypothesis", False), bool)
        assert item.get("context") is None or item["context"] in labelled["contexts"]
    assert len({item["id"] for item in items}) == len(items)
    assert len({item["question"].lower() for item in items}) == len(items)


def test_every_intent_is_present_and_roughly_balanced(labelled: dict[str, Any]) -> None:
    counts = Counter(item["intent"] for item in labelled["items"])
    assert set(counts) == {intent.value for intent in Intent}
    assert max(counts.values()) <= 1.5 * min(counts.values())


def test_held_out_is_a_third_of_every_intent(labelled: dict[str, Any]) -> None:
    items = labelled["items"]
    held_out = [item for item in items if item["split"] == "held_out"]
    assert 0.30 <= len(held_out) / len(items) <= 0.36
    totals = Counter(item["intent"] for item in items)
    held = Counter(item["intent"] for item in held_out)
    for intent, total in totals.items():
        assert held[intent] == math.ceil(total / 3)


def test_the_split_is_the_documented_seeded_draw(labelled: dict[str, Any]) -> None:
    items = labelled["items"]
    rng = random.Random(labelled["split"]["seed"])
    drawn: set[str] = set()
    for intent in sorted({item["intent"] for item in items}):
        ids = [item["id"] for item in items if item["intent"] == intent]
        rng.shuffle(ids)
        drawn.update(ids[: math.ceil(len(ids) / 3)])
    assert drawn == {item["id"] for item in items if item["split"] == "held_out"}


def test_contexts_hold_ranked_hypotheses(labelled: dict[str, Any]) -> None:
    for hypotheses in labelled["contexts"].values():
        assert [entry["rank"] for entry in hypotheses] == list(range(1, len(hypotheses) + 1))
        assert all(entry["id"] and entry["title"] and entry["category"] for entry in hypotheses)


def test_prototype_questions_share_nothing_with_the_labelled_set(
    labelled: dict[str, Any],
) -> None:
    labelled_questions = {item["question"].strip().lower() for item in labelled["items"]}
    prototypes = {text.strip().lower() for texts in PROTOTYPES.values() for text in texts}
    assert not labelled_questions & prototypes
