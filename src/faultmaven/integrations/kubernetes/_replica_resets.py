"""A Deployment scaled down by something other than the autoscaler that manages it.

An HPA sets a Deployment's replicas; a pipeline's `kubectl apply` of a manifest that still
says `replicas: 3` (or a `kubectl scale`) sets them back, mid-peak, and the few pods left
saturate until the autoscaler catches up. The deployment controller's event shows the
drop (`Scaled down replica set web-6b8d to 3 from 14`): from a size the autoscaler had set
to one it never chose.
"""

import re

from faultmaven.domain.kubernetes import KubernetesFinding
from faultmaven.integrations.kubernetes._facts import EventFacts, Facts
from faultmaven.integrations.kubernetes._finding import event_timing, new_finding

REPLICAS_OVERRIDDEN = "ReplicasOverridden"
_RESCALED = re.compile(r"\bNew size: (\d+)")
_SCALED_DOWN = re.compile(r"\bScaled down replica set (\S+) to (\d+) from (\d+)")
_AUTOSCALER = "HorizontalPodAutoscaler"


def replica_resets(facts: list[Facts]) -> list[KubernetesFinding]:
    """Report each Deployment cut to at most half by something other than its autoscaler.

    The autoscaler is the HPA of the same name (the usual convention) whose rescale events
    show the size the Deployment had; the new size is one it never set, and not zero (a
    rollout scales the old replica set to zero).
    """
    events = [fact for fact in facts if isinstance(fact, EventFacts)]
    chosen: dict[tuple[str | None, str], set[int]] = {}
    for event in events:
        rescaled = _RESCALED.search(event.message) if event.reason == "SuccessfulRescale" else None
        if rescaled and event.identity.kind == _AUTOSCALER:
            key = (event.identity.namespace, event.identity.name)
            chosen.setdefault(key, set()).add(int(rescaled.group(1)))
    found: list[KubernetesFinding] = []
    for event in events:
        scaled = _SCALED_DOWN.search(event.message) if event.reason == "ScalingReplicaSet" else None
        if scaled is None or event.identity.kind != "Deployment":
            continue
        sizes = chosen.get((event.identity.namespace, event.identity.name))
        if sizes is None:
            sizes = chosen.get((None, event.identity.name), set())
        to, before = int(scaled.group(2)), int(scaled.group(3))
        # A replica set scaled to 0 is a rollout retiring the old version, not a reset.
        if before in sizes and to not in sizes and 0 < 2 * to <= before:
            message = (
                f"replicas cut from {before} to {to} by something other than its"
                " HorizontalPodAutoscaler (an apply of a manifest that sets spec.replicas, or"
                " kubectl scale)"
            )
            found.append(
                new_finding(
                    event.identity, REPLICAS_OVERRIDDEN, list(event.lines), message=message,
                    **event_timing(event),
                )
            )  # fmt: skip
    return found
