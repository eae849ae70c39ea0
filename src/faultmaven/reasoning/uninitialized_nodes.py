"""Nodes the cloud controller never initialised: pods Pending on its taint are its failure.

A node joins with the taint `node.cloudprovider.kubernetes.io/uninitialized`; the cloud
controller manager removes it once it has read the instance from the cloud (addresses,
zone, type). Pods Pending on that taint say the controller cannot do so: its own log says
why (a credential the cloud refuses, an API it cannot reach), and that is the cause.
"""

import re
from collections.abc import Sequence

from faultmaven.domain.diagnosis import Hypothesis
from faultmaven.domain.kubernetes import KubernetesFinding
from faultmaven.reasoning.deferral import deferred, promoted_over

_UNINITIALIZED = re.compile(r"node\.cloudprovider\.kubernetes\.io/uninitialized")
_CLOUD_CONTROLLER = re.compile(r"cloud-controller-manager|cloud-provider|\bccm\b")


def cloud_controller_explains_taints(
    logged: Sequence[Hypothesis],
    cluster: Sequence[Hypothesis],
    reported: dict[str, list[KubernetesFinding]],
) -> tuple[list[Hypothesis], list[Hypothesis]]:
    """Promote the cloud controller's own failure over pods Pending on the uninitialised taint.

    Its most confident log hypothesis takes the strongest such finding's confidence plus
    `PROMOTION` and cites it; the findings are deferred to it. Without the controller's
    log nothing changes.
    """
    waiting = [h for h in cluster if _waits_for_cloud(reported.get(h.id, []))]
    controller = max(
        (h for h in logged if h.component and _CLOUD_CONTROLLER.search(h.component)),
        key=lambda h: h.confidence,
        default=None,
    )
    if not waiting or controller is None:
        return list(logged), list(cluster)
    strongest = max(waiting, key=lambda h: h.confidence)
    promoted = promoted_over(
        controller,
        strongest.confidence,
        strongest,
        "New nodes keep the node.cloudprovider.kubernetes.io/uninitialized taint, so pods stay"
        " Pending.",
    )
    why = f"It waits on nodes {controller.component} has not initialised."
    waiting_ids = {h.id for h in waiting}
    logged_kept = [promoted if h is controller else h for h in logged]
    cluster_kept = [deferred(h, why) if h.id in waiting_ids else h for h in cluster]
    return logged_kept, cluster_kept


def _waits_for_cloud(findings: Sequence[KubernetesFinding]) -> bool:
    return any(
        f.reason == "FailedScheduling" and _UNINITIALIZED.search(f.message or "") for f in findings
    )
