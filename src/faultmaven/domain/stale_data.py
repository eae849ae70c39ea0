"""Lines complaining that data is stale: what a scheduled loader that stopped leaves behind."""

import re

_STALE_DATA = re.compile(
    r"\b(?:stale|freshness|out[ -]of[ -]date|outdated|no new (?:data|rows|records)"
    r"|data (?:is|are) \d+\s*(?:h|hours?|m|min(?:utes?)?) old"
    r"|is \d+(?:\.\d+)?\s*(?:h|hours?|d|days?) old)\b",
    re.IGNORECASE,
)


def reports_stale_data(text: str) -> bool:
    """Tell whether a line says data is stale, out of date or hours old."""
    return _STALE_DATA.search(text) is not None
