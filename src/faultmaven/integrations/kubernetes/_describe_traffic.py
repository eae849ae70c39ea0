"""Facts from `kubectl describe service`, `describe networkpolicy` and `describe ingress`.

A Service prints `Selector: app=web,tier=api` and `Endpoints: <none>` when no ready pod
matches; a NetworkPolicy prints its `PodSelector:` under `Spec:` and, for a direction it
allows nothing, `<none> (Selected pods are isolated for ingress connectivity)`. A
Service with endpoints prints `TargetPort: 8080/TCP`, the port each selected pod must
listen on. An Ingress prints each backend as `service:port (endpoints)`, and `(<error:
endpoints "x" not found>)` when the Service it names does not exist.
"""

import re

from faultmaven.domain.kubernetes import LineSpan
from faultmaven.integrations.kubernetes._describe_tree import Entry
from faultmaven.integrations.kubernetes._facts import (
    BackendFacts,
    ObjectFacts,
    PolicyFacts,
    ServiceFacts,
    ServicePortFacts,
)
from faultmaven.integrations.kubernetes._text import port_numbers, selector_pairs, span

_MISSING_BACKEND = re.compile(
    r'(?P<service>[\w.-]+):(?P<port>[\w-]+) \(<error: (?:endpoints|services) "[^"]+" not found>\)'
)
_DEFAULT_BACKEND = re.compile(r"^Default backend:")
_DIRECTIONS = (("Allowing ingress traffic", "ingress"), ("Allowing egress traffic", "egress"))


def service_facts(root: Entry, identity: ObjectFacts) -> list[ServiceFacts | ServicePortFacts]:
    """Report a Service whose `Endpoints:` is `<none>` although it has a selector.

    A Service that has endpoints reports each numbered `TargetPort:` instead, with the
    `Endpoints:` line after it: whether a selected pod listens there is told once its
    containers' ports are known (`_ports.py`).
    """
    selector, endpoints = root.child("Selector"), root.child("Endpoints")
    pairs = selector_pairs(selector.value if selector else None)
    if selector is None or endpoints is None or not pairs:
        return []
    if endpoints.value == "<none>":
        return [ServiceFacts(identity, pairs, [span(selector.line), span(endpoints.line)])]
    return _target_ports(root, identity, pairs)


def _target_ports(
    root: Entry, identity: ObjectFacts, selector: dict[str, str]
) -> list[ServiceFacts | ServicePortFacts]:
    found: list[ServiceFacts | ServicePortFacts] = []
    for index, entry in enumerate(root.children):
        numbers = port_numbers(entry.value) if entry.key == "TargetPort" else []
        if len(numbers) != 1:
            continue
        lines = [span(entry.line)]
        following = root.children[index + 1 : index + 2]
        if following and following[0].key == "Endpoints":
            lines.append(span(following[0].line))
        found.append(ServicePortFacts(identity, selector, numbers[0], lines))
    return found


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


def ingress_facts(
    lines: list[str], start: int, end: int, identity: ObjectFacts
) -> list[BackendFacts]:
    """Report each backend of an Ingress whose Service kubectl found missing."""
    found: list[BackendFacts] = []
    for index in range(start, end):
        text = lines[index]
        match = _MISSING_BACKEND.search(text)
        if match is None:
            continue
        path = next((word for word in text[: match.start()].split() if word.startswith("/")), None)
        found.append(
            BackendFacts(
                identity, match.group("service"), match.group("port"), path,
                default=_DEFAULT_BACKEND.match(text) is not None, lines=[span(index + 1)],
            )
        )  # fmt: skip
    return found
