"""Telemetry and log-shipping sidecars: their failures do not stop the app beside them.

A pod's OpenTelemetry collector, Fluent Bit or metrics exporter running out of memory is
restarted on its own while the application container keeps serving; at worst some
telemetry is lost. Such a finding stays on record but ranks low, below what the
application itself reports. A proxy sidecar (Envoy, istio-proxy) is not one of these: its
failure cuts the pod's traffic.
"""

import re
from collections.abc import Sequence

from faultmaven.domain.kubernetes import FindingSeverity, KubernetesFinding

_TELEMETRY_SIDECAR = re.compile(
    r"^(?:otel-(?:collector|agent)|opentelemetry-collector|fluent-?bit|fluentd|filebeat"
    r"|promtail|vector|datadog-agent|jaeger-agent|log-?shipper|logrotate|[\w-]+-exporter)$"
)
# How a container's own failure shows; a pod-wide failure (eviction, scheduling) is the app's.
_CONTAINER_FAILURES = frozenset({"OOMKilled", "CrashLoopBackOff", "Error"})


def with_sidecars_lowered(findings: Sequence[KubernetesFinding]) -> list[KubernetesFinding]:
    """Lower a telemetry sidecar's own failures to LOW severity, noting why."""
    return [
        _lowered(finding) if _telemetry_sidecar_failed(finding) else finding for finding in findings
    ]


def _telemetry_sidecar_failed(finding: KubernetesFinding) -> bool:
    container, workload = finding.container, finding.workload or finding.name
    if finding.reason not in _CONTAINER_FAILURES or container is None:
        return False
    return bool(_TELEMETRY_SIDECAR.match(container)) and not workload.startswith(container)


def _lowered(finding: KubernetesFinding) -> KubernetesFinding:
    details = {**finding.details, "sidecar": f"{finding.container} (telemetry, not serving)"}
    return finding.model_copy(update={"severity": FindingSeverity.LOW, "details": details})
