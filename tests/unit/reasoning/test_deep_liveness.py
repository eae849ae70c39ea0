"""A liveness probe on an endpoint that checks dependencies is the cause of mass restarts."""

from faultmaven.domain.diagnosis import Category
from faultmaven.domain.kubernetes import FindingSeverity, KubernetesFinding, LineSpan
from faultmaven.reasoning.deep_liveness import deep_liveness_placement

DEEP = "http-get http://:8080/actuator/health delay=0s timeout=2s period=10s #success=1 #failure=3"


def _unhealthy(definition: str, message: str, probe: str = "liveness") -> KubernetesFinding:
    return KubernetesFinding(
        kind="Pod",
        namespace="booking",
        name="booking-api-84f6d9c7b5-q7lzx",
        workload="booking-api",
        reason="Unhealthy",
        category=Category.SCHEDULING,
        severity=FindingSeverity.HIGH,
        message=message,
        details={"probe": probe, "probe definition": definition},
        lines=[LineSpan(line_start=3, line_end=3)],
    )


def test_a_liveness_probe_answering_503_from_the_aggregate_health_endpoint_is_the_cause() -> None:
    placed = deep_liveness_placement(
        _unhealthy(DEEP, "Liveness probe failed: HTTP probe failed with statuscode: 503")
    )
    assert placed is not None and placed.critical
    assert placed.component == "booking-api"
    assert "calls /actuator/health," in placed.note
    assert "/actuator/health/liveness" in placed.action
    assert placed.command.endswith(".livenessProbe}'")


def test_a_hung_app_a_process_only_probe_or_a_readiness_probe_are_not_it() -> None:
    timed_out = "Liveness probe failed: Get ...: context deadline exceeded"
    shallow = DEEP.replace("/actuator/health", "/actuator/health/liveness")
    failed_503 = "Liveness probe failed: HTTP probe failed with statuscode: 503"
    assert deep_liveness_placement(_unhealthy(DEEP, timed_out)) is None
    assert deep_liveness_placement(_unhealthy(shallow, failed_503)) is None
    assert deep_liveness_placement(_unhealthy(DEEP, failed_503, probe="readiness")) is None


def test_a_readiness_path_used_for_liveness_counts_as_checking_dependencies() -> None:
    ready = "http-get http://:9000/ready delay=5s timeout=1s period=10s #success=1 #failure=3"
    placed = deep_liveness_placement(
        _unhealthy(ready, "Liveness probe failed: HTTP probe failed with statuscode: 500")
    )
    assert placed is not None and "/ready" in placed.note
