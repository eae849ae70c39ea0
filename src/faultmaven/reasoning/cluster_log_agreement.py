"""One failure reported twice: by a workload's log and by Kubernetes about that workload.

claims-processor's log failing to resolve a short name and the cluster's DNSConfigForming
warning for claims-processor's pod (its search list cut short) are one DNS failure of one
workload: one hypothesis citing both sources, not two competing for the same place.
"""

from collections.abc import Sequence

from faultmaven.domain.diagnosis import Category, Hypothesis

# Categories that say only that something failed, not why: they agree with anything.
_GENERIC = frozenset({Category.CODE_ERROR, Category.UNKNOWN})
# Citations kept from each side: the staying hypothesis's lines first, then the other's.
_FIRST, _SECOND = 3, 2


def join_agreeing_findings(
    logged: Sequence[Hypothesis], cluster: Sequence[Hypothesis]
) -> tuple[list[Hypothesis], list[Hypothesis]]:
    """Join each cluster finding with the log hypothesis of its workload and category.

    The more confident of the two stays, citing its own lines first and then the other's.
    """
    joined: list[Hypothesis] = list(logged)
    kept: list[Hypothesis] = []
    for finding in cluster:
        index = next(
            (
                i
                for i, hypothesis in enumerate(joined)
                if finding.category not in _GENERIC
                and finding.component
                and hypothesis.component == finding.component
                and hypothesis.category is finding.category
            ),
            None,
        )
        if index is None:
            kept.append(finding)
            continue
        own = joined[index]
        if finding.confidence > own.confidence:
            kept.append(_citing_both(finding, own))
            del joined[index]
        else:
            joined[index] = _citing_both(own, finding)
    return joined, kept


def _citing_both(stays: Hypothesis, joins: Hypothesis) -> Hypothesis:
    citations = [*stays.citations[:_FIRST], *joins.citations[:_SECOND]]
    return stays.model_copy(
        update={
            "citations": citations,
            "reasoning": f"{stays.reasoning} Also reported as: {joins.title}.",
        }
    )
