"""Read Kubernetes evidence offline: what kubectl printed, into objects and ranked findings."""

from faultmaven.domain.kubernetes import KubernetesObjectRef
from faultmaven.integrations.kubernetes._claims import with_claim_workloads
from faultmaven.integrations.kubernetes._cpu_limits import cpu_limits, cpu_uses
from faultmaven.integrations.kubernetes._describe import object_events, read_describe
from faultmaven.integrations.kubernetes._facts import Facts, ObjectFacts
from faultmaven.integrations.kubernetes._findings import findings_of
from faultmaven.integrations.kubernetes._listing import listed_pods, with_replaced_pods
from faultmaven.integrations.kubernetes._migrations import with_migrations
from faultmaven.integrations.kubernetes._ports import pod_ports, service_ports
from faultmaven.integrations.kubernetes._ranking import causal_order, rank
from faultmaven.integrations.kubernetes._sections import (
    SectionKind,
    object_section,
    text_sections,
)
from faultmaven.integrations.kubernetes._stale_events import newest_event_age, with_stale_events
from faultmaven.integrations.kubernetes._tables import (
    read_endpoints_table,
    read_events_table,
    read_nodes_table,
    read_pods_table,
    read_top_table,
)
from faultmaven.integrations.kubernetes._text import split_lines
from faultmaven.integrations.kubernetes._tls_secrets import (
    SecretListing,
    TlsReference,
    read_secret_listing,
    tls_references,
)
from faultmaven.integrations.kubernetes._traffic import (
    KubernetesReading,
    namespace_workloads,
    paired_findings,
    pod_labels,
    with_policy_workloads,
    with_selector_mismatches,
    with_unready_backends,
)

_HEAD_CHARS = 64 * 1024
_HEAD_LINES = 2000


def is_kubernetes_text(text: str) -> bool:
    """Whether the text is kubectl output this engine reads.

    True for `kubectl describe` of pods, nodes, controllers, claims and services, `kubectl
    get ... -o yaml|json` (single objects and lists), `kubectl get events`, `kubectl
    get pods` and `kubectl get endpoints` tables; False for logs, tracebacks, prose and
    YAML that is no API object. Only the beginning of a long text is examined.
    """
    lines = split_lines(text[:_HEAD_CHARS])[:_HEAD_LINES]
    return object_section(lines, text) is not None or bool(text_sections(lines))


def read_kubernetes(text: str) -> KubernetesReading:
    """Read kubectl output into the objects it shows and findings ranked most causal first.

    Each finding cites the 1-based lines (CONTRACTS.md section 1) that prove it. Text
    that is cut short or malformed yields what could be understood; text that is not
    kubectl output yields no objects and no findings. Never raises on any text.
    """
    lines = split_lines(text)
    identities: list[ObjectFacts] = []
    facts: list[Facts] = []
    references: list[TlsReference] = []
    listings: list[SecretListing] = []
    section = object_section(lines, text)
    if section is not None:
        # The client and YAML loader are slow to import; only object documents need them.
        from faultmaven.integrations.kubernetes._documents import load_documents
        from faultmaven.integrations.kubernetes._objects import read_objects

        region = "\n".join(lines[section.start :])
        for identity, found in read_objects(load_documents(region, section.start)):
            if identity is not None:
                identities.append(identity)
            facts += found
    else:
        for part in text_sections(lines):
            if part.kind is SectionKind.DESCRIBE:
                identity, found = read_describe(lines, part.start, part.end)
                identities.append(identity)
                facts += found
                if identity.kind == "Ingress":
                    references += tls_references(lines, part.start, part.end, identity)
            elif part.kind is SectionKind.EVENTS:
                events = read_events_table(lines, part.start, part.end)
                identities += [event.identity for event in events]
                facts += events
            elif part.kind is SectionKind.TOP:
                usage = read_top_table(lines, part.start, part.end)
                identities += [row.identity for row in usage]
                facts += usage
            elif part.kind is SectionKind.SECRETS:
                listing = read_secret_listing(lines, part.start, part.end)
                listings += [listing] if listing is not None else []
            elif part.kind is SectionKind.OBJECT_EVENTS:
                facts += object_events(lines, part.start, part.end)
            elif part.kind is SectionKind.NODES:
                nodes = read_nodes_table(lines, part.start, part.end)
                identities += [node.identity for node in nodes]
                facts += nodes
            elif part.kind is SectionKind.ENDPOINTS:
                seen, empty = read_endpoints_table(lines, part.start, part.end)
                identities += seen
                facts += empty
            else:
                rows = read_pods_table(lines, part.start, part.end)
                identities += [row.identity for row in rows]
                facts += rows
    pods = {
        (identity.namespace, identity.name): identity.workload
        for identity in identities
        if identity.kind == "Pod" and identity.name
    }
    labelled, listed = pod_labels(facts), listed_pods(facts)
    reading = KubernetesReading(
        objects=_objects(identities),
        findings=[],
        pods=labelled,
        listed=listed,
        cpu_uses=cpu_uses(facts),
        cpu_limits=cpu_limits(facts),
        service_ports=service_ports(facts),
        pod_ports=pod_ports(facts),
        tls_references=references,
        secret_listings=listings,
    )
    paired = paired_findings(reading, reading)
    reported = [*findings_of(facts), *(each for pair in paired for each in pair)]
    findings = with_migrations(with_claim_workloads(reported, pods))
    findings = with_stale_events(with_replaced_pods(findings, listed), newest_event_age(facts))
    findings = [
        finding
        for _, finding in with_selector_mismatches(
            [(0, finding) for finding in findings], [(0, pod) for pod in labelled]
        )
    ]
    findings = with_policy_workloads(findings, namespace_workloads(pods))
    ranked = sorted(with_unready_backends(rank(findings), labelled), key=causal_order)
    return reading.model_copy(update={"findings": ranked})


def _objects(identities: list[ObjectFacts]) -> list[KubernetesObjectRef]:
    """Each object once, in order of appearance; a namespace learnt later is filled in."""
    seen: list[KubernetesObjectRef] = []
    for identity in identities:
        if not identity.name or identity.kind == "Unknown":
            continue
        for index, known in enumerate(seen):
            same = known.kind == identity.kind and known.name == identity.name
            if same and (known.namespace is None or identity.namespace in (None, known.namespace)):
                if known.namespace is None and identity.namespace:
                    seen[index] = known.model_copy(update={"namespace": identity.namespace})
                break
        else:
            seen.append(
                KubernetesObjectRef(
                    kind=identity.kind, namespace=identity.namespace, name=identity.name
                )
            )
    return seen
