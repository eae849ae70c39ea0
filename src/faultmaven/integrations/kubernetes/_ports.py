"""A Service's target port against its pods' container ports.

`kubectl describe service catalog-api` printing `TargetPort: 8080/TCP` with endpoints,
while every pod it selects declares only `Port: 8000/TCP`, means the Service sends each
connection to a port nothing listens on: callers and the ingress see connection refused
and 502s, though every pod is Running and Ready. The Service's port is the cause.
"""

from collections.abc import Iterable, Sequence

from pydantic import BaseModel, Field

from faultmaven.domain.kubernetes import KubernetesFinding, LineSpan
from faultmaven.integrations.kubernetes._facts import Facts, PodFacts, ServicePortFacts
from faultmaven.integrations.kubernetes._reasons import profile

TARGET_PORT_MISMATCH = "TargetPortMismatch"
_NAMED_PODS = 3


class ServicePort(BaseModel):
    """A numbered target port of a Service that has endpoints, and what it selects."""

    namespace: str | None = None
    service: str
    workload: str | None = None
    selector: dict[str, str]
    target_port: int
    lines: list[LineSpan] = Field(min_length=1)


class PodPorts(BaseModel):
    """The ports a described pod's containers declare, with its labels."""

    namespace: str | None = None
    pod: str
    labels: dict[str, str]
    ports: list[int] = Field(min_length=1)
    lines: list[LineSpan] = Field(min_length=1)


def service_ports(facts: Iterable[Facts]) -> list[ServicePort]:
    """Every numbered target port of the described Services that have endpoints."""
    return [
        ServicePort(
            namespace=fact.identity.namespace,
            service=fact.identity.name,
            workload=fact.identity.workload,
            selector=fact.selector,
            target_port=fact.target_port,
            lines=fact.lines,
        )
        for fact in facts
        if isinstance(fact, ServicePortFacts)
    ]


def pod_ports(facts: Iterable[Facts]) -> list[PodPorts]:
    """Every described pod with labels whose containers declare at least one port."""
    found: list[PodPorts] = []
    for fact in facts:
        if not isinstance(fact, PodFacts) or not fact.labels:
            continue
        running = [container for container in fact.containers if not container.init]
        ports = sorted({port for container in running for port in container.ports})
        lines = [line for container in running for line in container.port_lines]
        if ports and lines:
            found.append(
                PodPorts(
                    namespace=fact.identity.namespace, pod=fact.identity.name,
                    labels=fact.labels, ports=ports, lines=lines,
                )
            )  # fmt: skip
    return found


def port_mismatches(
    services: Sequence[ServicePort], pods: Sequence[PodPorts]
) -> list[tuple[KubernetesFinding, KubernetesFinding]]:
    """Report each Service port that none of the pods it selects declares.

    Each report is a pair about the same Service: one finding citing its `TargetPort:`
    line, one citing the pods' `Port:` lines, so that a case read as a whole folds them
    into one finding citing both items. A pod that declares no port says nothing (a
    container need not declare the port it listens on), so it is not counted.
    """
    reports: list[tuple[KubernetesFinding, KubernetesFinding]] = []
    for service in services:
        selected = [pod for pod in pods if _selects(service, pod)]
        if not selected or any(service.target_port in pod.ports for pod in selected):
            continue
        declared = sorted({port for pod in selected for port in pod.ports})
        names = ", ".join(pod.pod for pod in selected[:_NAMED_PODS])
        message = (
            f"Service {service.service} sends its traffic to port {service.target_port}, but "
            f"the pods it selects ({names}) declare only port(s) "
            f"{', '.join(map(str, declared))}: connections to its endpoints are refused"
        )
        details = {
            "target port": str(service.target_port),
            "pod ports": ",".join(map(str, declared)),
            "pods": names,
        }
        pod_lines = [line for pod in selected[:_NAMED_PODS] for line in pod.lines]
        reports.append(
            (
                _finding(service, message, details, service.lines),
                _finding(service, message, details, pod_lines),
            )
        )
    return reports


def _selects(service: ServicePort, pod: PodPorts) -> bool:
    if service.namespace and pod.namespace and service.namespace != pod.namespace:
        return False
    return all(pod.labels.get(key) == value for key, value in service.selector.items())


def _finding(
    service: ServicePort, message: str, details: dict[str, str], lines: list[LineSpan]
) -> KubernetesFinding:
    return KubernetesFinding(
        kind="Service",
        namespace=service.namespace,
        name=service.service,
        workload=service.workload,
        reason=TARGET_PORT_MISMATCH,
        category=profile(TARGET_PORT_MISMATCH).category,
        severity=profile(TARGET_PORT_MISMATCH).severity,
        message=message,
        details=details,
        lines=lines,
    )
