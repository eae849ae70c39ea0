"""What the engineer is asking for, recognised by rules (embeddings and an LLM come later)."""

import re
from enum import StrEnum


class Intent(StrEnum):
    """The kinds of question an on-call engineer asks (CONTRACTS.md: `Diagnosis.intent`)."""

    WHAT_IS_WRONG = "what_is_wrong"
    WHY = "why"
    WHEN_STARTED = "when_started"
    WHAT_CHANGED = "what_changed"
    HOW_TO_FIX = "how_to_fix"
    EXPLAIN_LINE = "explain_line"
    FOLLOW_UP = "follow_up"
    GENERAL = "general"


_RULES: tuple[tuple[Intent, re.Pattern[str]], ...] = (
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


def classify_intent(question: str | None) -> Intent:
    """Return the intent of a question; no question means "what is wrong?"."""
    if not question or not question.strip():
        return Intent.WHAT_IS_WRONG
    for intent, pattern in _RULES:
        if pattern.search(question):
            return intent
    return Intent.GENERAL


def plan_steps(intent: Intent, evidence_kinds: list[str]) -> list[str]:
    """Return the analyses to run for the intent over the case's evidence, in order."""
    steps = ["load evidence"]
    if any(kind in ("log", "text", "kubernetes", "metrics") for kind in evidence_kinds):
        steps += ["find notable lines", "match failure signatures"]
    steps += ["rank hypotheses", "find anomalies", "check citations"]
    if intent in (Intent.WHEN_STARTED, Intent.WHAT_CHANGED):
        steps.append("build timeline")
    return steps
