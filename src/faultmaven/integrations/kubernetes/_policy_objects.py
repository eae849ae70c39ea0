"""Facts from NetworkPolicy objects (`kubectl get networkpolicy -o yaml|json`).

A policy isolates the pods its `podSelector` selects for each of its `policyTypes`
(`Ingress` when unset, `Egress` too when it has egress rules); a direction whose rule
list is empty or absent allows those pods no traffic at all. `ingress: [{}]` allows all.
"""

from collections.abc import Mapping

from faultmaven.integrations.kubernetes._documents import key_lines
from faultmaven.integrations.kubernetes._facts import Facts, ObjectFacts, PolicyFacts
from faultmaven.integrations.kubernetes._object_parts import Part

_DIRECTIONS = (("Ingress", "ingress"), ("Egress", "egress"))


def policy_object_facts(part: Part, identity: ObjectFacts) -> list[Facts]:
    """Report the directions a NetworkPolicy object allows its pods nothing in."""
    spec = part.data.get("spec")
    if not isinstance(spec, Mapping):
        return []
    types = spec.get("policyTypes")
    if not isinstance(types, list):
        types = ["Ingress", *(["Egress"] if spec.get("egress") else [])]
    isolated = [key for kind, key in _DIRECTIONS if kind in types and not spec.get(key)]
    if not isolated:
        return []
    selector = spec.get("podSelector")
    labels = selector.get("matchLabels") if isinstance(selector, Mapping) else None
    pairs = {str(k): str(v) for k, v in labels.items()} if isinstance(labels, Mapping) else {}
    lines = key_lines(
        part.document, (*part.path, "spec"), ("podSelector", "policyTypes", *isolated)
    )
    if not lines:
        return []
    return [PolicyFacts(identity, pairs, isolated, lines)]
