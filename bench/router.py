"""Query router accuracy: old regex rules, new rules, embeddings alone, rules + embeddings.

The labelled set (bench/data/router_questions.json, described in bench/data/ROUTER.md) holds
on-call questions with their intent, the case's evidence kinds and, for some, the hypotheses an
earlier diagnosis showed. Its `held_out` third was drawn and frozen before the classifier was
changed and is reported apart. Embeddings are the bundled MiniLM model on the CPU.
"""

import json
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from faultmaven.knowledge.embeddings import Embedder, make_embedder
from faultmaven.router import CaseContext, Intent, PreviousHypothesis, route_question
from faultmaven.router.embedding import similarity_scores

HERE = Path(__file__).parent
QUESTIONS = HERE / "data" / "router_questions.json"
SPLITS = ("dev", "held_out")

# The regex classifier as it stood before issue 11 (commit b34bb82), kept as the baseline.
_OLD_RULES: tuple[tuple[Intent, re.Pattern[str]], ...] = (
    (
        Intent.HOW_TO_FIX,
        re.compile(
            r"\b(how (do|can|should) (i|we) (fix|resolve|mitigate|recover)"
            r"|fix|remediat|workaround|mitigat)",
            re.I,
        ),
    ),
    (
        Intent.WHEN_STARTED,
        re.compile(
            r"\b(when (did|does|was)|what time|start(ed)? (at|when)|since when|how long)\b", re.I
        ),
    ),
    (
        Intent.WHAT_CHANGED,
        re.compile(
            r"\b(what changed|what('s| is) different|deploy(ed|ment)? (before|recently)"
            r"|changed recently|regression)\b",
            re.I,
        ),
    ),
    (
        Intent.EXPLAIN_LINE,
        re.compile(
            r"\b(what does (this|that|the) .{0,40}(mean|say)|explain (this|that|the))\b", re.I
        ),
    ),
    (
        Intent.FOLLOW_UP,
        re.compile(
            r"\b(hypothesis|are you sure|what about|could it be|is it really|rule out|instead)\b",
            re.I,
        ),
    ),
    (Intent.WHY, re.compile(r"\b(why|root cause|cause[sd]?|reason)\b", re.I)),
    (
        Intent.WHAT_IS_WRONG,
        re.compile(
            r"\b(what('s| is) (wrong|broken|happening|going on)"
            r"|fail|error|down|broken|outage|crash|slow|timeout|5\d\d)",
            re.I,
        ),
    ),
)


def old_rules(question: str) -> Intent:
    """Classify as the first regex classifier did: the first matching rule, else general."""
    if not question.strip():
        return Intent.WHAT_IS_WRONG
    return next(
        (intent for intent, pattern in _OLD_RULES if pattern.search(question)), Intent.GENERAL
    )


def nearest_prototype(question: str, embedder: Embedder) -> Intent:
    """Classify by embeddings alone: the intent whose prototype questions are closest."""
    scores = similarity_scores(question, embedder)
    return max(scores, key=lambda intent: scores[intent])


def case_context(item: dict[str, Any], contexts: dict[str, list[dict[str, Any]]]) -> CaseContext:
    """Rebuild the case a labelled question was asked in."""
    name: str | None = item.get("context")
    shown = contexts[name] if name else []
    return CaseContext(
        evidence_kinds=tuple(item["evidence_kinds"]),
        has_previous_diagnosis=name is not None,
        previous_hypotheses=tuple(
            PreviousHypothesis(
                id=entry["id"], rank=entry["rank"], title=entry["title"], category=entry["category"]
            )
            for entry in shown
        ),
    )


def main() -> None:
    """Classify every labelled question four ways and print accuracy and held-out confusions."""
    data = json.loads(QUESTIONS.read_text())
    items = data["items"]
    contexts = data["contexts"]
    embedder = make_embedder("local")
    assert embedder is not None
    started = time.perf_counter()
    embedder.embed_query("warm up")
    similarity_scores("warm up", embedder)
    warm_seconds = time.perf_counter() - started
    classifiers: dict[str, Callable[[dict[str, Any]], Intent]] = {
        "old regex rules (before issue 11)": lambda item: old_rules(str(item["question"])),
        "rules (new, with case context)": lambda item: (
            route_question(str(item["question"]), case_context(item, contexts)).intent
        ),
        "embeddings alone (nearest prototype)": lambda item: nearest_prototype(
            str(item["question"]), embedder
        ),
        "rules + embeddings (what the product runs)": lambda item: (
            route_question(
                str(item["question"]), case_context(item, contexts), embedder=embedder
            ).intent
        ),
    }
    majority = Counter(item["intent"] for item in items if item["split"] == "dev").most_common(1)[
        0
    ][0]
    predictions: dict[str, list[Intent]] = {}
    latencies: list[float] = []
    for name, classify in classifiers.items():
        answers = []
        for item in items:
            started = time.perf_counter()
            answers.append(classify(item))
            if name.startswith("rules + embeddings"):
                latencies.append((time.perf_counter() - started) * 1000)
        predictions[name] = answers
    counts = {split: sum(item["split"] == split for item in items) for split in SPLITS}
    print("## Query router: intent accuracy on labelled on-call questions\n")
    print(
        f"{len(items)} questions over 8 intents (dev {counts['dev']}, held-out"
        f" {counts['held_out']}, drawn by intent with seed {data['split']['seed']} and frozen"
        " before the classifier changed; bench/data/ROUTER.md). Rules use the case context"
        " (earlier hypotheses, evidence kinds); the old rules and embeddings alone see only the"
        f" question. Prototype questions embedded once per process ({warm_seconds:.1f} s"
        " including the model load); routing with rules + embeddings takes"
        f" {statistics.median(latencies):.1f} ms median, {max(latencies):.1f} ms max"
        " per question.\n"
    )
    print("| classifier | dev | held_out |")
    print("|---|---|---|")
    print(
        f"| majority intent of dev ({majority}) |"
        + "|".join(f" {_accuracy(items, [majority] * len(items), split)} " for split in SPLITS)
        + "|"
    )
    for name, answers in predictions.items():
        cells = "|".join(f" {_accuracy(items, answers, split)} " for split in SPLITS)
        print(f"| {name} |{cells}|")
    print("\nHeld-out per intent (rules + embeddings): recall, and what the misses became.\n")
    print("| intent | questions | right | recall | misses became |")
    print("|---|---|---|---|---|")
    final = predictions["rules + embeddings (what the product runs)"]
    for intent in Intent:
        rows = [
            (item, answer)
            for item, answer in zip(items, final, strict=True)
            if item["split"] == "held_out" and item["intent"] == intent.value
        ]
        right = sum(answer.value == item["intent"] for item, answer in rows)
        missed = Counter(answer.value for item, answer in rows if answer.value != item["intent"])
        became = ", ".join(f"{label} {count}" for label, count in missed.most_common()) or "-"
        print(f"| {intent.value} | {len(rows)} | {right} | {right / len(rows):.2f} | {became} |")


def _accuracy(items: list[dict[str, Any]], answers: list[Intent] | list[str], split: str) -> str:
    pairs = [
        (item, answer)
        for item, answer in zip(items, answers, strict=True)
        if item["split"] == split
    ]
    right = sum(str(answer) == item["intent"] for item, answer in pairs)
    return f"{right / len(pairs):.3f} ({right}/{len(pairs)})"


if __name__ == "__main__":
    main()
