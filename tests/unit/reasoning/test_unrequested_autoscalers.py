"""An autoscaler over containers without a request never scales: the workload spec is why."""

from faultmaven.domain.diagnosis import (
    Category,
    Citation,
    DiagnosisDraft,
    DiagnosisStatus,
    Hypothesis,
)
from faultmaven.domain.kubernetes import FindingSeverity, KubernetesFinding, LineSpan
from faultmaven.reasoning.cluster_and_metrics import CitedFinding, with_kubernetes

_HPA_LINE = (
    "ScalingActive   False    FailedGetResourceMetric   the HPA was unable to compute the replica"
    " count: failed to get cpu utilization: missing request for cpu in container search-api of"
    " Pod search-api-7b9d5c6f48-2xkqp"
)


def _unrequested(workload: str) -> CitedFinding:
    finding = KubernetesFinding(
        kind="HorizontalPodAutoscaler",
        namespace="discovery",
        name=workload,
        workload=workload,
        reason="MissingResourceRequest",
        category=Category.CONFIGURATION,
        severity=FindingSeverity.MEDIUM,
        message=f"missing request for cpu in container {workload}",
        lines=[LineSpan(line_start=20, line_end=20)],
    )
    citation = Citation(
        evidence_id="e1", evidence_name="hpa.txt", line_start=20, line_end=20, text=_HPA_LINE
    )
    return CitedFinding(finding, (citation,))


def _logged(identity: str, category: Category, component: str, confidence: float) -> Hypothesis:
    return Hypothesis(
        id=identity,
        rank=1,
        title=f"{category.value} in {component}",
        statement=f"{component} shows {category.value} trouble.",
        category=category,
        component=component,
        confidence=confidence,
        reasoning="seen in the evidence.",
        citations=[
            Citation(
                evidence_id="e2",
                evidence_name=f"{component}.log",
                line_start=5,
                line_end=5,
                text="upstream timed out (110: Connection timed out)",
            )
        ],
    )


def _draft(*hypotheses: Hypothesis) -> DiagnosisDraft:
    return DiagnosisDraft(summary="logs", status=DiagnosisStatus.DIAGNOSED, hypotheses=hypotheses)


def test_the_missing_request_outranks_the_timeouts_of_the_workload_it_cannot_scale() -> None:
    callers = _logged("edge", Category.NETWORK, "ingress-nginx", 0.65)
    own = _logged("own", Category.NETWORK, "search-api", 0.62)
    result = with_kubernetes(_draft(callers, own), [_unrequested("search-api")])
    top = result.hypotheses[0]
    assert (top.category, top.component) == (Category.CONFIGURATION, "search-api")
    assert top.confidence == 0.77
    assert [c.evidence_name for c in top.citations] == ["hpa.txt", "search-api.log"]
    deferred = next(h for h in result.hypotheses if h.id == "own")
    assert deferred.confidence == 0.372
    assert "cannot scale it out" in deferred.reasoning


def test_a_missing_request_on_a_workload_doing_fine_stays_below_the_real_failure() -> None:
    elsewhere = _logged("db", Category.NETWORK, "orders-api", 0.62)
    result = with_kubernetes(_draft(elsewhere), [_unrequested("storefront")])
    assert result.hypotheses[0].id == "db"
    storefront = next(h for h in result.hypotheses if h.component == "storefront")
    assert storefront.confidence < 0.62
