"""Log-aware query text: the words that carry meaning, without ids, numbers and stamps.

A query may be a raw log line. Its request ids, hashes, addresses and timestamps match nothing
useful in a runbook, yet they dilute both the word query and the embedding, so they go.
"""

import re

MAX_QUERY_CHARS = 2000

_NOISE = [
    r"\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?(?:\s+UTC)?",
    r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\s+\d{1,2}\s+\d{2}:\d{2}:\d{2}\b",
    r"\b\d{1,2}/(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)/\d{4}:\d{2}:\d{2}:\d{2}"
    r"(?:\s+[+-]\d{4})?",
    r"\b\d{2}:\d{2}:\d{2}(?:[.,]\d+)?\b",
    r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b",
    r"\b(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?\b",
    r"\b(?:[0-9a-f]{1,4}:){3,7}[0-9a-f]{1,4}\b",
    r"\b0x[0-9a-f]+\b",
    r"\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{6,}\b",
    r"\b[\w.-]+-[a-z0-9]{8,10}-[a-z0-9]{5}\b",
    r"\b\d+(?:\.\d+)?(?:ms|s|m|h|d|b|kb|mb|gb|ki|mi|gi|%)?\b",
]
_NOISE_PATTERN = re.compile("|".join(f"(?:{pattern})" for pattern in _NOISE), re.IGNORECASE)
_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_]*(?:'[a-z]+)?")


def meaningful_text(query: str) -> str:
    """Return the query with variable tokens removed and the words kept in their order.

    CamelCase and dotted identifiers are also split into their words
    (`java.lang.OutOfMemoryError` -> `java lang OutOfMemoryError Out Of Memory Error`), so a
    runbook that says "out of memory" is found from the exception name.
    """
    text = _NOISE_PATTERN.sub(" ", query[:MAX_QUERY_CHARS])
    words: list[str] = []
    for word in _WORD.findall(text):
        words.append(word)
        parts = _CAMEL_BOUNDARY.split(word)
        if len(parts) > 1:
            words.extend(parts)
        elif "_" in word:
            words.extend(part for part in word.split("_") if part)
    return " ".join(words) if words else query[:MAX_QUERY_CHARS].strip()


def selective_lexemes(
    shares: dict[str, float], table_rows: float, max_matching_rows: int
) -> list[str]:
    """Keep the rarest lexemes whose chunks together stay under `max_matching_rows`.

    Ranking every chunk that holds a common word ("pod", "error") costs time in proportion to
    the index; on a large one the common words are dropped first, as they carry the least
    information anyway (the idea behind IDF). Small indexes keep every word; the rarest word
    always stays.
    """
    ordered = sorted(shares, key=lambda lexeme: (shares[lexeme], lexeme))
    kept: list[str] = []
    expected_rows = 0.0
    for lexeme in ordered:
        expected_rows += shares[lexeme] * table_rows
        if kept and expected_rows > max_matching_rows:
            break
        kept.append(lexeme)
    return kept
