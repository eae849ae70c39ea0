"""A node's comings and goings in events: removed on purpose, or NotReady and back.

A node the autoscaler scales down (`ScaleDown` "marked the node as toBeDeleted", Karpenter's
disruption) goes NotReady and loses its pods as planned: those are no findings. A node
whose NotReady event is followed by a NodeReady event came back: that episode ended, and
stays as a low-severity finding with when it was ready again.
"""

from faultmaven.domain.kubernetes import FindingSeverity, KubernetesFinding
from faultmaven.integrations.kubernetes._facts import EventFacts, Facts
from faultmaven.integrations.kubernetes._stale_events import event_age

# The detail a node's NotReady episode carries once a later NodeReady event ended it.
READY_AGAIN = "ready again"
# The autoscaler's own events when it removes a node on purpose.
_RETIRING_REASONS = frozenset({"ScaleDown", "DisruptionTerminating", "Disrupting"})
# What a node removed on purpose shows on its way out: it stops reporting and its pods go.
_LEAVING_NODE_REASONS = frozenset(
    {"NodeNotReady", "NetworkNotReady", "NodeNotSchedulable", "TaintManagerEviction",
     "ContainerStatusUnknown"}
)  # fmt: skip


def _retired_nodes(facts: list[Facts]) -> set[str]:
    """Return the nodes an autoscaler's events say it is removing on purpose."""
    return {
        fact.identity.name
        for fact in facts
        if isinstance(fact, EventFacts)
        and fact.identity.kind == "Node"
        and fact.reason in _RETIRING_REASONS
    }


def _ready_again(facts: list[Facts]) -> dict[str, str]:
    """Map each node a `NodeReady` event reports to the age of its latest such event."""
    ready: dict[str, str] = {}
    for fact in facts:
        if not isinstance(fact, EventFacts) or fact.identity.kind != "Node":
            continue
        age = fact.last_seen_age or fact.first_seen_age
        seen, known = event_age(age), event_age(ready.get(fact.identity.name))
        if fact.reason == "NodeReady" and age and seen and (known is None or seen < known):
            ready[fact.identity.name] = age
    return ready


def _back_since(finding: KubernetesFinding, ready_again: dict[str, str]) -> bool:
    """Tell whether a node's NotReady event is older than a NodeReady event of that node."""
    if finding.kind != "Node" or finding.reason != "NodeNotReady":
        return False
    down, up = event_age(finding.last_seen_age), event_age(ready_again.get(finding.name))
    return down is not None and up is not None and up < down


def _recovered(finding: KubernetesFinding, ready_again: dict[str, str]) -> KubernetesFinding:
    """Lower a node's NotReady episode that a later NodeReady ended."""
    return finding.model_copy(
        update={
            "severity": FindingSeverity.LOW,
            "details": {**finding.details, READY_AGAIN: f"{ready_again[finding.name]} ago"},
        }
    )


def _gone_with_retired_node(finding: KubernetesFinding, retired: set[str]) -> bool:
    """Tell whether a finding is only a retired node leaving (NotReady, its pods evicted)."""
    if finding.reason not in _LEAVING_NODE_REASONS:
        return False
    node = finding.name if finding.kind == "Node" else finding.node
    return node is not None and node in retired


def with_node_episodes(
    findings: list[KubernetesFinding], facts: list[Facts]
) -> list[KubernetesFinding]:
    """Drop what a node removed on purpose shows; lower a NotReady the node came back from."""
    retired = _retired_nodes(facts)
    kept = [finding for finding in findings if not _gone_with_retired_node(finding, retired)]
    ready_again = _ready_again(facts)
    return [_recovered(f, ready_again) if _back_since(f, ready_again) else f for f in kept]
