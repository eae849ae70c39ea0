"""Which evidence of a case was dated in the wrong year, and by how many years.

A syslog or klog line says "Jan 21 13:40:08" with no year. Read before any dated evidence
of its case, it takes the most recent year that is not in the future; once the case's
other logs show the incident was in an earlier year, it sits a whole number of years after
them. Shifted back by those years it lines up with them: that is the year it was written.
"""

from collections.abc import Hashable, Mapping
from datetime import datetime, timedelta
from typing import TypeVar

# Evidence that starts this long after the case's earliest-ending evidence stands apart.
FAR_APART = timedelta(days=300)
# Once shifted, it must overlap the rest of the case, give or take this much.
REACH = timedelta(days=30)
MAX_YEARS = 7

Span = tuple[datetime, datetime]
K = TypeVar("K", bound=Hashable)


def year_corrections(spans: Mapping[K, Span]) -> dict[K, int]:
    """Return, for each item dated whole years too late, how many years to take off.

    An item counts only when it stands far after the rest and a shift of whole years
    makes it overlap an item that does not: a real log a year apart from the rest of its
    case would not land on the same days and hours by chance.
    """
    if len(spans) < 2:
        return {}
    earliest_end = min(last for _, last in spans.values())
    anchored = [span for span in spans.values() if span[0] - earliest_end < FAR_APART]
    corrections: dict[K, int] = {}
    for key, (first, last) in spans.items():
        if first - earliest_end < FAR_APART:
            continue
        for years in range(1, MAX_YEARS + 1):
            start, end = years_before(first, years), years_before(last, years)
            if any(start <= b + REACH and end >= a - REACH for a, b in anchored):
                corrections[key] = years
                break
    return corrections


def years_before(moment: datetime, years: int) -> datetime:
    """Return the same day and time `years` earlier (29 February becomes the 28th)."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)
