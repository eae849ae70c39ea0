"""Pods Pending on the cloud provider's uninitialised taint: the cloud controller's failure."""

from logged_cases import logs_draft

from faultmaven.domain.diagnosis import (
    Category,
    Citation,
    Hypothesis,
)
from faultmaven.domain.kubernetes import FindingSeverity, KubernetesFinding, LineSpan
from faultmaven.reasoning.cluster_and_metrics import CitedFinding, with_kubernetes

_PENDING = (
    "0/9 nodes are available: 3 node(s) had untolerated taint"
    " {node.cloudprovider.kubernetes.io/uninitialized: true}, 6 Insufficient cpu."
)


def _pending(message: str) -> CitedFinding:
    finding = KubernetesFinding(
        kind="Pod",
        namespace="routing",
        name="route-planner-7d8c5f6b94-x8tfk",
        workload="route-planner",
        reason="FailedScheduling",
        category=Category.SCHEDULING,
        severity=FindingSeverity.HIGH,
        message=message,
        lines=[LineSpan(line_start=46, line_end=46)],
    )
    citation = Citation(
        evidence_id="e1", evidence_name="pod.txt", line_start=46, line_end=46, text=message
    )
    return CitedFinding(finding, (citation,))


def _controller(confidence: float) -> Hypothesis:
    return Hypothesis(
        id="ccm",
        rank=1,
        title="Permission denied in openstack-cloud-controller-manager",
        statement="openstack-cloud-controller-manager is denied access.",
        category=Category.PERMISSION,
        component="openstack-cloud-controller-manager",
        confidence=confidence,
        reasoning="seen in its log.",
        citations=[
            Citation(
                evidence_id="e2",
                evidence_name="ccm.log",
                line_start=83,
                line_end=83,
                text='"Error getting instance metadata" err="Authentication failed: (HTTP 401)"',
            )
        ],
    )


def test_the_cloud_controllers_failure_explains_pods_pending_on_its_taint() -> None:
    result = with_kubernetes(logs_draft(_controller(0.2)), [_pending(_PENDING)])
    top = result.hypotheses[0]
    assert (top.category, top.component) == (
        Category.PERMISSION,
        "openstack-cloud-controller-manager",
    )
    assert [c.evidence_name for c in top.citations] == ["ccm.log", "pod.txt"]
    pending = next(h for h in result.hypotheses if h.component == "route-planner")
    assert pending.confidence < top.confidence
    assert "has not initialised" in pending.reasoning


def test_pods_pending_for_lack_of_cpu_owe_nothing_to_the_cloud_controller() -> None:
    result = with_kubernetes(
        logs_draft(_controller(0.2)), [_pending("0/9 nodes are available: 9 Insufficient cpu.")]
    )
    assert result.hypotheses[0].component == "route-planner"
