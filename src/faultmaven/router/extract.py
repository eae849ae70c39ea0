"""Pieces a question carries besides its intent: a time, a hypothesis, pasted log lines."""

import re
from dataclasses import dataclass

from faultmaven.router.context import PreviousHypothesis

_CLOCK = (
    r"\d{1,2}(?::\d{2}){1,2}(?:\s*(?:am|pm)\b)?(?:\s*(?:utc|z|gmt|[a-z]{3,4}t)\b)?"
    r"|\d{1,2}\s*(?:am|pm)\b"
)
_DAY_PART = r"midnight|noon|this morning|this afternoon|this evening|tonight|last night|yesterday"
_UNIT = r"seconds?|secs?|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?"
_TIME_EXPRESSION = re.compile(
    rf"\b(?:since|after|before|around|about|at|from|until|till|by|between)\s+"
    rf"(?:{_CLOCK}|{_DAY_PART})(?:\s+(?:and|to|-)\s+(?:{_CLOCK}))?"
    rf"|\b(?:in\s+)?(?:the\s+)?(?:last|past)\s+(?:\d+\s*(?:{_UNIT})\b|hour|day|week|night)"
    rf"|\b(?:{_DAY_PART}|today)\b"
    rf"|\b\d+\s*(?:{_UNIT})\s+ago\b"
    rf"|(?<![\d:.T-])\b(?:{_CLOCK})\b",
    re.IGNORECASE,
)

_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "top": 1, "last": 0}
_HYPOTHESIS_NUMBER = re.compile(
    r"(?:#|\b(?:hypothes[ie]s|hyp|h|option|theory|number|no\.?)\s*#?)\s*([1-5])\b"
    r"|^\s*([1-5])\s+(?:is|was|looks|seems|confirmed|refuted)\b",
    re.IGNORECASE,
)
_HYPOTHESIS_ORDINAL = re.compile(
    r"\bthe\s+(first|second|third|fourth|fifth|top|last)\s+"
    r"(?:one|hypothes[ie]s|theory|option|guess|cause)\b",
    re.IGNORECASE,
)
_HYPOTHESIS_ID = re.compile(r"\b(hyp-[0-9a-f]{3,}|[0-9a-f]{8}-[0-9a-f-]{27})\b", re.IGNORECASE)

_BACKTICKED = re.compile(r"`{1,3}([^`]+?)`{1,3}", re.DOTALL)
_LOG_LINE = re.compile(
    r"^\s*(?:\[?\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}"
    r"|[A-Z][a-z]{2}\s+\d{1,2}\s+\d{2}:\d{2}:\d{2}"
    r"|[IWEF]\d{4}\s+\d{2}:\d{2}:\d{2}"
    r"|\[(?:error|warn|crit|alert|emerg)\]"
    r"|(?:FATAL|ERROR|WARN(?:ING)?|PANIC|CRITICAL|DETAIL|HINT):"
    r"|Traceback \(most recent call last\)"
    r"|\S+(?:Error|Exception):\s)",
)

# A topic only counts as a reference in these shapes ("is it the pool?", "the redis one").
_TOPIC_CUE = re.compile(
    r"\b(?:is it|could it be|what about|the [\w-]+ (?:one|theory|hypothesis|idea)"
    r"|(?:theory|hypothesis)\b|then\?|really)",
    re.IGNORECASE,
)
# Words of a hypothesis title too common to say which hypothesis is meant.
_TOPIC_STOPWORDS = frozenset(
    {"the", "and", "for", "its", "this", "that", "with", "from", "out", "bad"}
    | {"reached", "failing", "exhausted", "timing", "service", "container"}
)
_CATEGORY_WORDS = {
    "connection_pool": ("pool", "connections"),
    "memory": ("memory", "oom", "heap"),
    "dns": ("dns", "resolve", "lookup"),
    "tls": ("tls", "cert", "certificate", "ssl"),
    "network": ("network", "networkpolicy", "policy"),
    "database": ("database", "db", "postgres"),
    "deployment": ("release", "deploy", "rollout"),
}


@dataclass(frozen=True)
class HypothesisReference:
    """A hypothesis the question points at; `rank` 0 means "the last one"."""

    text: str
    rank: int | None = None
    id: str | None = None


def time_expression(question: str) -> str | None:
    """Return the first time expression in the question as written ("since 10:40").

    Quoted and pasted log lines are skipped: their timestamps date a line, not the question.
    """
    prose = "\n".join(
        line for line in _BACKTICKED.sub(" ", question).splitlines() if not _LOG_LINE.match(line)
    )
    found = _TIME_EXPRESSION.search(prose)
    return found.group(0).strip() if found else None


def log_lines(question: str) -> tuple[str, ...]:
    """Return the log lines the question quotes: backticked text or lines shaped like logs."""
    quoted = [match.strip() for match in _BACKTICKED.findall(question) if match.strip()]
    if quoted:
        return tuple(quoted)
    return tuple(line.strip() for line in question.splitlines() if _LOG_LINE.match(line))


def hypothesis_reference(
    question: str, previous: tuple[PreviousHypothesis, ...] = ()
) -> HypothesisReference | None:
    """Find a hypothesis the question refers to by number, ordinal, id or topic."""
    reference = _explicit_reference(question)
    if reference is None:
        return _topic_reference(question, previous)
    return _resolved(reference, previous)


def _explicit_reference(question: str) -> HypothesisReference | None:
    if found := _HYPOTHESIS_ID.search(question):
        return HypothesisReference(text=found.group(0), id=found.group(1).lower())
    if found := _HYPOTHESIS_NUMBER.search(question):
        number = found.group(1) or found.group(2)
        return HypothesisReference(text=found.group(0).strip(), rank=int(number))
    if found := _HYPOTHESIS_ORDINAL.search(question):
        return HypothesisReference(text=found.group(0), rank=_ORDINALS[found.group(1).lower()])
    return None


def _resolved(
    reference: HypothesisReference, previous: tuple[PreviousHypothesis, ...]
) -> HypothesisReference:
    """Fill in the id for a rank (and the rank for an id) from the hypotheses already shown."""
    if not previous:
        return reference
    if reference.rank == 0:
        last = max(previous, key=lambda hypothesis: hypothesis.rank)
        return HypothesisReference(text=reference.text, rank=last.rank, id=last.id)
    for hypothesis in previous:
        if hypothesis.rank == reference.rank or hypothesis.id.lower() == reference.id:
            return HypothesisReference(text=reference.text, rank=hypothesis.rank, id=hypothesis.id)
    return reference


def _topic_reference(
    question: str, previous: tuple[PreviousHypothesis, ...]
) -> HypothesisReference | None:
    """Match the question's words against each shown hypothesis's title and category."""
    if not _TOPIC_CUE.search(question):
        return None
    words = set(re.findall(r"[a-z0-9_]+", question.lower()))
    for hypothesis in sorted(previous, key=lambda item: item.rank):
        shared = sorted(words & _topic_words(hypothesis))
        if shared:
            return HypothesisReference(text=shared[0], rank=hypothesis.rank, id=hypothesis.id)
    return None


def _topic_words(hypothesis: PreviousHypothesis) -> set[str]:
    title_words = {
        word
        for word in re.findall(r"[a-z0-9_]+", hypothesis.title.lower())
        if len(word) > 2 and word not in _TOPIC_STOPWORDS
    }
    return title_words | set(_CATEGORY_WORDS.get(hypothesis.category or "", ()))
