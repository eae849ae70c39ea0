from logged_cases import logged_hypothesis, logs_draft

from faultmaven.domain.diagnosis import (
    Category,
    Citation,
)
from faultmaven.domain.kubernetes import FindingSeverity, KubernetesFinding, LineSpan
from faultmaven.reasoning.cluster_and_metrics import CitedFinding, with_kubernetes

_HPA_LINE = (
    "ScalingActive  False  FailedGetResourceMetric  the HPA was unable to compute the replica"
    " count: failed to get cpu utilization: unable to fetch metrics from resource metrics API"
)


def _blind_hpa() -> CitedFinding:
    finding = KubernetesFinding(
        kind="HorizontalPodAutoscaler",
        namespace="shop",
        name="checkout",
        workload="checkout",
        reason="FailedGetResourceMetric",
        category=Category.CONFIGURATION,
        severity=FindingSeverity.LOW,
        message="unable to fetch metrics from resource metrics API",
        lines=[LineSpan(line_start=17, line_end=17)],
    )
    citation = Citation(
        evidence_id="e1", evidence_name="hpa.txt", line_start=17, line_end=17, text=_HPA_LINE
    )
    return CitedFinding(finding, (citation,))


def test_the_failing_metrics_provider_explains_a_blind_autoscaler_and_its_saturation() -> None:
    saturation = logged_hypothesis(
        "cpu", Category.CPU, "checkout", 0.62, "checkout_cpu_percent_of_request 201"
    )
    provider = logged_hypothesis(
        "tls",
        Category.TLS,
        "metrics-server",
        0.1,
        'E0402 08:52:18 scraper.go:149] "Failed to scrape node" err="x509: cannot validate'
        " certificate for 10.61.12.31 because it doesn't contain any IP SANs\"",
    )
    result = with_kubernetes(logs_draft(saturation, provider), [_blind_hpa()])
    top = result.hypotheses[0]
    assert (top.category, top.component) == (Category.TLS, "metrics-server")
    assert top.confidence == 0.77
    assert [c.evidence_name for c in top.citations] == ["metrics-server.log", "hpa.txt"]
    assert "cannot read its metrics" in top.statement
    checkout = next(h for h in result.hypotheses if h.id == "cpu")
    assert checkout.confidence == 0.372
    assert "could not scale out" in checkout.reasoning
    assert not any(h.id.startswith("k8s-") for h in result.hypotheses), "the HPA joined"


def test_a_blind_autoscaler_without_a_failing_provider_changes_nothing() -> None:
    saturation = logged_hypothesis("cpu", Category.CPU, "checkout", 0.62, "cpu 201")
    result = with_kubernetes(logs_draft(saturation), [_blind_hpa()])
    top = result.hypotheses[0]
    assert (top.id, top.confidence) == ("cpu", 0.62)
    assert any(h.id.startswith("k8s-") for h in result.hypotheses)


def test_a_metrics_provider_error_without_a_blind_autoscaler_keeps_its_confidence() -> None:
    provider = logged_hypothesis("tls", Category.TLS, "metrics-server", 0.1, "x509: expired")
    other = logged_hypothesis("db", Category.DATABASE, "orders", 0.5, "deadlock detected")
    oom = KubernetesFinding(
        kind="Pod",
        namespace="shop",
        name="orders-5c-x",
        workload="orders",
        reason="OOMKilled",
        category=Category.MEMORY,
        severity=FindingSeverity.CRITICAL,
        lines=[LineSpan(line_start=3, line_end=3)],
    )
    cited = CitedFinding(
        oom,
        (Citation(evidence_id="e1", evidence_name="p.txt", line_start=3, line_end=3, text="OOM"),),
    )
    result = with_kubernetes(logs_draft(other, provider), [cited])
    assert next(h for h in result.hypotheses if h.id == "tls").confidence == 0.1
