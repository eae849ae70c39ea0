"""A node's own trouble seen through the pods it runs: a pod's clock is its node's clock.

Containers share their node's kernel, clock and devices. Requests signed in the past from
one pod of four (`RequestTimeTooSkewed`) say that pod's node keeps the wrong time: a wide
pod listing names the node, and the node is where the fix goes (its time service), not the
workload whose log showed it.
"""

from collections.abc import Mapping

from faultmaven.domain.diagnosis import Category, DiagnosisDraft, Hypothesis
from faultmaven.reasoning.cluster_and_metrics import ranked_components

# Failures that belong to the machine under a container, not to the program in it.
NODE_WIDE = frozenset({Category.CLOCK, Category.HARDWARE})


def on_their_nodes(draft: DiagnosisDraft, pod_nodes: Mapping[str, str]) -> DiagnosisDraft:
    """Place node-wide failures seen only in the logs of pods of one node at that node."""
    if not pod_nodes:
        return draft
    placed = [_on_node(hypothesis, pod_nodes) for hypothesis in draft.hypotheses]
    if placed == list(draft.hypotheses):
        return draft
    return draft.model_copy(
        update={"hypotheses": placed, "components": ranked_components(placed, draft.components)}
    )


def _on_node(hypothesis: Hypothesis, pod_nodes: Mapping[str, str]) -> Hypothesis:
    if hypothesis.category not in NODE_WIDE or not hypothesis.citations:
        return hypothesis
    nodes = set()
    for citation in hypothesis.citations:
        pods = [pod for pod in pod_nodes if pod in citation.evidence_name]
        if len(pods) != 1:
            return hypothesis
        nodes.add(pod_nodes[pods[0]])
    if len(nodes) != 1:
        return hypothesis
    node = nodes.pop()
    if hypothesis.component == node:
        return hypothesis
    return hypothesis.model_copy(
        update={
            "component": node,
            "title": hypothesis.title.replace(f" in {hypothesis.component}", f" in {node}"),
            "statement": f"{hypothesis.statement} Every such line comes from pods on node"
            f" {node}, whose {hypothesis.category.value} they share.",
        }
    )
