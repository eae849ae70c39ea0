"""An autoscaler over containers that request none of its resource: the workload never scales.

`missing request for cpu in container search-api` means the autoscaler cannot compute
utilisation, so it holds the replica count whatever the load; the workload then saturates
and times out at the next peak. The workload's own spec (a chart that moved its requests)
is the cause, and its saturation a consequence. An autoscaler like this over a workload
that is doing fine is only a latent misconfiguration, and stays where its severity puts it.
"""

from collections.abc import Sequence

from faultmaven.domain.diagnosis import Category, Hypothesis
from faultmaven.domain.kubernetes import KubernetesFinding
from faultmaven.reasoning.deferral import deferred, promoted_over

UNREQUESTED_REASON = "MissingResourceRequest"
# What a workload that cannot scale out feels under load: saturation, or calls timing out.
_STRUGGLING = frozenset({Category.CPU, Category.MEMORY, Category.CONNECTION_POOL, Category.NETWORK})


def autoscalers_without_requests(
    logged: Sequence[Hypothesis],
    cluster: Sequence[Hypothesis],
    reported: dict[str, list[KubernetesFinding]],
) -> tuple[list[Hypothesis], list[Hypothesis]]:
    """Promote an autoscaler's missing request over the struggling of the workload it scales.

    The finding takes the confidence of the strongest struggling hypothesis of its
    workload plus `PROMOTION` and cites it after its own lines; those hypotheses are
    deferred to it.
    """
    kept_logged = list(logged)
    kept_cluster: list[Hypothesis] = []
    for finding in cluster:
        if not finding.component or not _is_unrequested(reported.get(finding.id, [])):
            kept_cluster.append(finding)
            continue
        struggling = [
            h for h in kept_logged if h.component == finding.component and h.category in _STRUGGLING
        ]
        if not struggling:
            kept_cluster.append(finding)
            continue
        strongest = max(struggling, key=lambda h: h.confidence)
        kept_cluster.append(promoted_over(finding, strongest.confidence, strongest))
        why = f"Its autoscaler cannot scale it out: {finding.title}."
        kept_logged = [
            deferred(h, why) if any(h is s for s in struggling) else h for h in kept_logged
        ]
    return kept_logged, kept_cluster


def _is_unrequested(findings: Sequence[KubernetesFinding]) -> bool:
    return any(f.reason == UNREQUESTED_REASON for f in findings)
