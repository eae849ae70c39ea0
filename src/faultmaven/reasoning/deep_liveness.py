"""A liveness probe that checks the pod's dependencies: one blip restarts every pod.

Spring Boot's `/actuator/health` (and a readiness endpoint used for liveness) answers 503
when the database, a cache or a broker is down. Used as the liveness probe, it makes the
kubelet restart every replica at once during a failover of a few seconds; their start-up
then turns the blip into an outage. The probe answering 503 (the app is alive and says a
dependency is down) rather than timing out is what tells it from a hung app.
"""

import re

from faultmaven.domain.kubernetes import KubernetesFinding
from faultmaven.reasoning.cluster_placements import Placement

# `http-get http://:8080/actuator/health delay=0s ...`: the aggregate endpoint, not its
# `/liveness` group; or a readiness path probing liveness.
_DEPENDENCY_HEALTH = re.compile(
    r"http-get \S*?:\d*(?P<path>/actuator/health/?|/\S*ready\S*)(?:\s|$)", re.IGNORECASE
)
_SERVER_ERROR = re.compile(r"statuscode: 5\d\d")


def deep_liveness_placement(finding: KubernetesFinding) -> Placement | None:
    """Return the workload's placement when its liveness probe fails on a dependency check."""
    if finding.reason != "Unhealthy" or finding.details.get("probe") != "liveness":
        return None
    probed = _DEPENDENCY_HEALTH.search(finding.details.get("probe definition", ""))
    if probed is None or not _SERVER_ERROR.search(finding.message or ""):
        return None
    workload = finding.component or finding.name
    path = probed.group("path")
    return Placement(
        component=workload,
        critical=True,
        note=(
            f" The liveness probe calls {path}, which reports the pod's dependencies (its"
            " database, caches, brokers): when one of them blips, every pod fails the probe"
            " together and the kubelet restarts them all at once, so the outage lasts as"
            " long as their start-up, not the dependency's blip."
        ),
        action=(
            f"Point {workload}'s liveness probe at a check of the process only (Spring Boot:"
            " /actuator/health/liveness) and keep dependency checks in readiness"
        ),
        why="A liveness probe should fail only when restarting the container would help",
        command=(
            f"kubectl get deploy {workload} -o jsonpath='{{.spec.template.spec.containers[*]"
            ".livenessProbe}'"
        ),
    )
