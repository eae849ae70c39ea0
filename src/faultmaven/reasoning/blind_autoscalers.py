"""An autoscaler that cannot read its metrics is blind: the metrics API is the cause.

`kubectl describe hpa` saying `FailedGetResourceMetric ... unable to fetch metrics from resource
metrics API` means the HPA holds its replica count whatever the load: the workload it scales
then saturates at the next peak, and that saturation is a consequence. Why the metrics API is
down shows in its provider (metrics-server for `metrics.k8s.io`, an adapter such as
prometheus-adapter or KEDA's for custom and external metrics): its own log or its own finding.
"""

import re
from collections.abc import Sequence

from faultmaven.domain.diagnosis import Category, Hypothesis
from faultmaven.domain.kubernetes import KubernetesFinding
from faultmaven.reasoning.deferral import deferred, promoted_over

# Kubernetes' reasons for an autoscaler that could not read a metric.
BLIND_REASONS = frozenset(
    {
        "FailedGetResourceMetric",
        "FailedGetPodsMetric",
        "FailedGetObjectMetric",
        "FailedGetExternalMetric",
        "FailedGetContainerResourceMetric",
        "FailedComputeMetricsReplicas",
    }
)
_AUTOSCALER = "HorizontalPodAutoscaler"
# Programs that serve the metrics APIs an autoscaler reads.
METRICS_PROVIDER = re.compile(
    r"metrics-server|prometheus-adapter|metrics-apiserver|custom-metrics|keda-operator",
    re.IGNORECASE,
)
# What a workload that cannot scale out feels under load.
_SATURATION = frozenset({Category.CPU, Category.MEMORY, Category.CONNECTION_POOL})


def blind_autoscalers(
    logged: Sequence[Hypothesis],
    cluster: Sequence[Hypothesis],
    reported: dict[str, list[KubernetesFinding]],
) -> tuple[list[Hypothesis], list[Hypothesis]]:
    """Give a blind autoscaler's failure to the metrics provider whose trouble explains it.

    The provider's hypothesis (from its log or its own finding) takes the confidence of the
    strongest failure it explains (the autoscaler's, the workload's saturation) plus
    `PROMOTION`, and the autoscaler's citations; the autoscaler's finding joins it, and
    saturation of the scaled workload is deferred to it. Without a failing provider in the
    evidence nothing changes: a blind autoscaler alone does not say why.
    """
    blind = [h for h in cluster if _is_blind(reported.get(h.id, []))]
    everything = [*logged, *cluster]
    provider = max(
        (h for h in everything if h.component and METRICS_PROVIDER.search(h.component)),
        key=lambda h: h.confidence,
        default=None,
    )
    if not blind or provider is None:
        return list(logged), list(cluster)
    targets = {h.component for h in blind if h.component}
    saturated = [h for h in everything if h.component in targets and h.category in _SATURATION]
    # The cause is at least as likely as the failures it explains.
    strongest = max(h.confidence for h in [*blind, *saturated])
    joined = promoted_over(
        provider,
        strongest,
        blind[0],
        f"The autoscaler of {', '.join(sorted(targets))} cannot read its metrics through it,"
        " so it cannot scale out.",
    )
    dropped = {h.id for h in blind} | {provider.id}
    why = f"It could not scale out: its autoscaler is blind while {provider.component} fails."

    def settled(hypotheses: Sequence[Hypothesis]) -> list[Hypothesis]:
        kept = []
        for hypothesis in hypotheses:
            if hypothesis.id in dropped:
                continue
            if hypothesis.component in targets and hypothesis.category in _SATURATION:
                hypothesis = deferred(hypothesis, why)
            kept.append(hypothesis)
        return kept

    logged_kept, cluster_kept = settled(logged), settled(cluster)
    if provider in logged:
        return [*logged_kept, joined], cluster_kept
    return logged_kept, [*cluster_kept, joined]


def _is_blind(findings: Sequence[KubernetesFinding]) -> bool:
    return any(f.kind == _AUTOSCALER and f.reason in BLIND_REASONS for f in findings)
