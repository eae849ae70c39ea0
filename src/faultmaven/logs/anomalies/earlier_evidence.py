"""Templates new since earlier evidence of the same source, judged by shared templates.

Evidence items are taken in upload order. An earlier item is a *baseline* of a later one
when the two share at least `SHARED_FRACTION` of the smaller item's distinct templates. The
smaller item is the measure because a failing log adds templates (errors, retries) that would
dilute the later item's share, and a short healthy sample holds fewer templates than a long
one; logs of one service share most of their routine templates, while logs of unrelated
services share at most a few generic lines (start-up banners, health checks).
"""

from collections.abc import Sequence
from dataclasses import dataclass

SHARED_FRACTION = 0.3


@dataclass(frozen=True, slots=True)
class EvidenceTemplates:
    """The distinct templates (groups) of one evidence item."""

    evidence_id: str
    evidence_name: str
    groups: frozenset[str]


@dataclass(frozen=True, slots=True)
class NewSinceEarlier:
    """Templates that first appear in one evidence item and in none of its baselines.

    `baselines` are the names of the earlier items of the same source, oldest first.
    """

    evidence_id: str
    evidence_name: str
    baselines: tuple[str, ...]
    groups: frozenset[str]


@dataclass(frozen=True, slots=True)
class EarlierEvidenceVerdict:
    """What earlier evidence says about templates: which are new, which are already known.

    `known` are templates of an item also seen in one of its baselines: never "new".
    """

    new: tuple[NewSinceEarlier, ...]
    known: frozenset[str]

    @property
    def new_groups(self) -> frozenset[str]:
        """Return every template reported as new since earlier evidence."""
        return frozenset(group for item in self.new for group in item.groups)


def shares_source(earlier: frozenset[str], later: frozenset[str]) -> bool:
    """Tell whether two items' templates overlap enough to come from the same source."""
    smaller = min(len(earlier), len(later))
    if smaller == 0:
        return False
    return len(earlier & later) >= SHARED_FRACTION * smaller


def baselines_of(
    item: EvidenceTemplates, earlier: Sequence[EvidenceTemplates]
) -> list[EvidenceTemplates]:
    """Return the items of `earlier` (uploaded before `item`) that are its baselines."""
    return [other for other in earlier if shares_source(other.groups, item.groups)]


def judge_earlier_evidence(items: Sequence[EvidenceTemplates]) -> EarlierEvidenceVerdict:
    """Find, for items in upload order, the templates new since their baselines.

    A template counts as new in the first item that holds it, and only when that item has
    a baseline; a template an earlier item of another source already showed is left to the
    other rules, as is everything in an item without baselines.
    """
    new: list[NewSinceEarlier] = []
    known: set[str] = set()
    seen: set[str] = set()
    for index, item in enumerate(items):
        baselines = baselines_of(item, items[:index])
        if baselines:
            in_baselines = frozenset().union(*(other.groups for other in baselines))
            known |= item.groups & in_baselines
            first_here = item.groups - seen
            if first_here:
                new.append(
                    NewSinceEarlier(
                        evidence_id=item.evidence_id,
                        evidence_name=item.evidence_name,
                        baselines=tuple(other.evidence_name for other in baselines),
                        groups=frozenset(first_here),
                    )
                )
        seen |= item.groups
    return EarlierEvidenceVerdict(new=tuple(new), known=frozenset(known))
