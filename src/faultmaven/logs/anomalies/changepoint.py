"""Where the error rate jumps: the split of a binomial series with the best likelihood ratio.

A single-change test is enough for "when did it start": incidents are usually one
step up in the share of failing events. Prefix sums keep it linear in the buckets.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

MIN_LOG_LIKELIHOOD_RATIO = 10.0
MIN_ERRORS_AFTER = 5
MIN_RATE_RATIO = 2.0


@dataclass(frozen=True)
class RateChange:
    """A step up in the error share at `index` (the first bucket of the new regime)."""

    index: int
    rate_before: float
    rate_after: float
    log_likelihood_ratio: float


def _log_likelihood(errors: int, events: int) -> float:
    if events == 0 or errors in (0, events):
        return 0.0
    rate = errors / events
    return errors * math.log(rate) + (events - errors) * math.log(1 - rate)


def error_rate_step(errors: Sequence[int], events: Sequence[int]) -> RateChange | None:
    """Return the strongest step up in `errors / events` over the buckets, if one is clear."""
    total_errors, total_events = sum(errors), sum(events)
    if len(events) < 2 or total_events == 0:
        return None
    whole = _log_likelihood(total_errors, total_events)
    best: RateChange | None = None
    errors_before = events_before = 0
    for index in range(1, len(events)):
        errors_before += errors[index - 1]
        events_before += events[index - 1]
        errors_after = total_errors - errors_before
        events_after = total_events - events_before
        if events_before == 0 or events_after == 0 or errors_after < MIN_ERRORS_AFTER:
            continue
        before, after = errors_before / events_before, errors_after / events_after
        if after < MIN_RATE_RATIO * before or after <= before:
            continue
        ratio = (
            _log_likelihood(errors_before, events_before)
            + _log_likelihood(errors_after, events_after)
            - whole
        )
        if ratio >= MIN_LOG_LIKELIHOOD_RATIO and (
            best is None or ratio > best.log_likelihood_ratio
        ):
            best = RateChange(index, before, after, ratio)
    return best
