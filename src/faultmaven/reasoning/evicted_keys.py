"""Keys a Redis at its memory limit evicted, as their owners report them: "not found".

An evicting Redis logs nothing per key. What shows the loss is the service that stored
them: a session, cart, token or lock it wrote minutes ago is "not found" or "expired".
"""

import re

from faultmaven.reasoning.candidates import Candidate
from faultmaven.reasoning.snapshot_blame import dated_failures, most_reported

# A stored item its owner no longer finds: `session sid:68ab not found in store`,
# `cart 8812 lost its session`, `lock key ... missing`, `cache miss for token ...`.
_LOST_KEY = re.compile(
    r"(?i)\b(?:session|sess|sid|key|token|cart|lock|entry)\b[^\n]{0,60}?"
    r"\b(?:not found|missing|lost|gone|expired|does not exist|no longer exists)\b"
)


def keys_reported_lost(_snapshot: Candidate, candidates: list[Candidate]) -> Candidate | None:
    """Return the dated failure reported most whose lines say a stored item is gone."""
    return most_reported(
        candidate
        for candidate in dated_failures(candidates)
        if any(_LOST_KEY.search(line.text) for line in candidate.lines)
    )
