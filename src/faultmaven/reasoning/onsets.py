"""When a problem really began: its onset, not the first stray occurrence; and background.

Real logs carry a trickle of timeouts, slow requests and client disconnects all day. A
message that trickled before the incident and then floods starts, for the incident, when
the flood starts; a message that trickles at the same rate from the first line to the
last is background, not a cause. Both judgements come from the occurrence times alone,
against the time span the evidence covers.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

# A rate this many times higher after a point than before it marks an onset.
ONSET_RATE_RATIO = 4.0
# An onset needs at least this many occurrences after it, and most of them.
MIN_AFTER = 3
MIN_AFTER_SHARE = 0.5
# Fewer occurrences than this are taken as they come (a one-off is its own onset).
MIN_FOR_RATES = 4
# A message seen in both the first and the last part of the span (this share each) is
# spread across the whole evidence.
EDGE_SHARE = 0.2


@dataclass(frozen=True)
class Onset:
    """Where a problem began among its occurrences, and whether it is mere background."""

    index: int
    background: bool


def find_onset(times: Sequence[datetime], start: datetime, end: datetime, count: int = 0) -> Onset:
    """Judge sorted occurrence times within the evidence's span `start`..`end`.

    `times` may be only the first of `count` occurrences: the others came after them.
    """
    span = (end - start).total_seconds()
    if len(times) < MIN_FOR_RATES or span <= 0:
        return Onset(0, background=False)
    split = _rate_jump(times, start, end, max(count, len(times)))
    if split is not None:
        return Onset(split, background=False)
    early = (times[0] - start).total_seconds() <= EDGE_SHARE * span
    late = (end - times[-1]).total_seconds() <= EDGE_SHARE * span
    return Onset(0, background=early and late)


def _rate_jump(times: Sequence[datetime], start: datetime, end: datetime, total: int) -> int | None:
    """Return the index where the occurrence rate jumps the most, if it jumps enough."""
    best: tuple[float, int] | None = None
    for index in range(1, min(len(times), total - MIN_AFTER + 1)):
        after = total - index
        if after < MIN_AFTER_SHARE * total:
            break
        before_seconds = max((times[index] - start).total_seconds(), 1.0)
        after_seconds = max((end - times[index]).total_seconds(), 1.0)
        ratio = (after / after_seconds) / (index / before_seconds)
        if ratio >= ONSET_RATE_RATIO and (best is None or ratio > best[0]):
            best = (ratio, index)
    return best[1] if best is not None else None
