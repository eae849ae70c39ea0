"""One failure reported twice: by a workload's log and by Kubernetes about that workload.

claims-processor's log failing to resolve a short name and the cluster's DNSConfigForming
warning for claims-processor's pod (its search list cut short) are one DNS failure of one
workload: one hypothesis citing both sources, not two competing for the same place.
"""

from collections.abc import Sequence

from faultmaven.domain.diagnosis import Category, Hypothesis

# Categories that say only that something failed, not why: they agree with anything.
_GENERIC = frozenset({Category.CODE_ERROR, Category.UNKNOWN})
# Citations kept from each side: the log's lines first, then the cluster's.
_FROM_LOG, _FROM_CLUSTER = 3, 2


def join_agreeing_findings(
    logged: Sequence[Hypothesis], cluster: Sequence[Hypothesis]
) -> tuple[list[Hypothesis], list[Hypothesis]]:
    """Fold each cluster finding into the log hypothesis of its workload and category."""
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
        citations = [*own.citations[:_FROM_LOG], *finding.citations[:_FROM_CLUSTER]]
        joined[index] = own.model_copy(
            update={
                "citations": citations,
                "reasoning": f"{own.reasoning} Kubernetes reports it too: {finding.title}.",
            }
        )
    return joined, kept
