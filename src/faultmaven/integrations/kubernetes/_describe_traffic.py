"""Facts from `kubectl describe service` and `kubectl describe networkpolicy`.

A Service prints `Selector: app=web,tier=api` and `Endpoints: <none>` when no ready pod
matches; a NetworkPolicy prints its `PodSelector:` under `Spec:` and, for a direction it
allows nothing, `<none> (Selected pods are isolated for ingress connectivity)`.
"""

from faultmaven.domain.kubernetes import LineSpan
from faultmaven.integrations.kubernetes._describe_tree import Entry
from faultmaven.integrations.kubernetes._facts import ObjectFacts, PolicyFacts, ServiceFacts
from faultmaven.integrations.kubernetes._text import span

_DIRECTIONS = (("Allowing ingress traffic", "ingress"), ("Allowing egress traffic", "egress"))


def selector_pairs(text: str | None) -> dict[str, str]:
    """Read `app=web,tier=api` into its pairs; `<none>` and set-based terms give nothing."""
    if not text or text.startswith("<"):
        return {}
    pairs = (item.split("=", 1) for item in text.split(",") if "=" in item and "!" not in item)
    return {key.strip(): value.strip() for key, value in pairs}


def service_facts(root: Entry, identity: ObjectFacts) -> list[ServiceFacts]:
    """Report a Service whose `Endpoints:` is `<none>` although it has a selector."""
    selector, endpoints = root.child("Selector"), root.child("Endpoints")
    pairs = selector_pairs(selector.value if selector else None)
    if selector is None or endpoints is None or not pairs or endpoints.value != "<none>":
        return []
    return [ServiceFacts(identity, pairs, [span(selector.line), span(endpoints.line)])]


def policy_facts(root: Entry, identity: ObjectFacts) -> list[PolicyFacts]:
    """Report a NetworkPolicy that isolates its pods: no ingress (or egress) peer allowed."""
    spec = root.child("Spec")
    selector = spec.child("PodSelector") if spec else None
    if spec is None or selector is None:
        return []
    isolated: list[str] = []
    lines: list[LineSpan] = [span(selector.line)]
    for key, direction in _DIRECTIONS:
        entry = spec.child(key)
        if entry is not None and any("are isolated for" in text for text in entry.values()):
            isolated.append(direction)
            lines.append(span(entry.line, entry.last_line))
    if not isolated:
        return []
    return [PolicyFacts(identity, selector_pairs(selector.value), isolated, lines)]
