"""An autoscaler over containers without a request never scales: the workload spec is why."""

from logged_cases import logged_hypothesis, logs_draft

from faultmaven.domain.diagnosis import (
    Category,
    Citation,
)
from faultmaven.domain.kubernetes import FindingSeverity, KubernetesFinding, LineSpan
from faultmaven.reasoning.cluster_and_metrics import CitedFinding, with_kubernetes

_HPA_LINE = (
    "ScalingActive   False    FailedGetResourceMetric   the HPA was unable to compute the replica"
    " count: failed to get cpu utilization: missing request for cpu in container search-api of"
    " Pod search-api-7b9d5c6f48-2xkqp"
)

_TIMED_OUT = "upstream timed out (110: Connection timed out)"


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


def test_the_missing_request_outranks_the_timeouts_of_the_workload_it_cannot_scale() -> None:
    callers = logged_hypothesis("edge", Category.NETWORK, "ingress-nginx", 0.65, _TIMED_OUT)
    own = logged_hypothesis("own", Category.NETWORK, "search-api", 0.62, _TIMED_OUT)
    result = with_kubernetes(logs_draft(callers, own), [_unrequested("search-api")])
    top = result.hypotheses[0]
    assert (top.category, top.component) == (Category.CONFIGURATION, "search-api")
    assert top.confidence == 0.77
    assert [c.evidence_name for c in top.citations] == ["hpa.txt", "search-api.log"]
    deferred = next(h for h in result.hypotheses if h.id == "own")
    assert deferred.confidence == 0.372
    assert "cannot scale it out" in deferred.reasoning


def test_a_missing_request_on_a_workload_doing_fine_stays_below_the_real_failure() -> None:
    elsewhere = logged_hypothesis("db", Category.NETWORK, "orders-api", 0.62, _TIMED_OUT)
    result = with_kubernetes(logs_draft(elsewhere), [_unrequested("storefront")])
    assert result.hypotheses[0].id == "db"
    storefront = next(h for h in result.hypotheses if h.component == "storefront")
    assert storefront.confidence < 0.62
