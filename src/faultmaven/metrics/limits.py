"""A usage series beside its own limit: a climb far below the limit exhausts nothing.

`node_nf_conntrack_entries{node="a"}` rising to 60,000 against its 262,144
`node_nf_conntrack_entries_limit` is a busy evening; the node whose entries reach their
65,536 limit is the one dropping packets. When the evidence holds a series' limit, only a
climb that comes near it can be the cause of running out.
"""

from collections.abc import Sequence

from faultmaven.domain.metrics import ChangePoint, MetricSeries

# `X_limit` is X's limit; `X_max` is not (it is as often the maximum over instances).
_LIMIT_SUFFIXES = ("_limit", "_limits", "_capacity", "_hard")
# A usage under this share of its limit after the climb still has room.
NEAR_LIMIT = 0.8


def far_below_its_limit(change: ChangePoint, all_series: Sequence[MetricSeries]) -> bool:
    """Tell whether a rise stays far below its series' own limit, when the evidence has it."""
    if change.after <= change.before:
        return False
    series = next((each for each in all_series if each.name == change.series), None)
    limit = _limit_of(series, all_series) if series is not None else None
    return limit is not None and series is not None and _stays_below(change, series, limit)


def _limit_of(series: MetricSeries, all_series: Sequence[MetricSeries]) -> MetricSeries | None:
    """Return the series that is `series`'s limit (same labels, `_limit` name), if any."""
    name = series.labels.get("__name__")
    for other in all_series:
        if other is series:
            continue
        if name is not None:
            other_name = other.labels.get("__name__", "")
            same_labels = _without_name(other.labels) == _without_name(series.labels)
            if same_labels and other_name in {name + suffix for suffix in _LIMIT_SUFFIXES}:
                return other
        elif other.name in {series.name + suffix for suffix in _LIMIT_SUFFIXES}:
            return other
    return None


def _stays_below(change: ChangePoint, series: MetricSeries, limit: MetricSeries) -> bool:
    """Tell whether the series, from its climb on, never comes near its limit."""
    after = range(change.index, len(series.values))
    if not after or not limit.values:
        return False
    peak_index = max(after, key=lambda index: series.values[index])
    moment = series.times[peak_index]
    nearest = min(range(len(limit.times)), key=lambda index: abs(limit.times[index] - moment))
    ceiling = limit.values[nearest]
    return ceiling > 0 and series.values[peak_index] < NEAR_LIMIT * ceiling


def _without_name(labels: dict[str, str]) -> dict[str, str]:
    return {key: value for key, value in labels.items() if key != "__name__"}
