"""A workload's log and Kubernetes reporting one failure make one hypothesis citing both."""

from faultmaven.domain.diagnosis import Category, Citation, Hypothesis
from faultmaven.reasoning.cluster_log_agreement import join_agreeing_findings


def _hypothesis(id: str, category: Category, component: str, cited: str) -> Hypothesis:
    return Hypothesis(
        id=id,
        rank=1,
        title=f"{category.value} in {component}",
        statement="s",
        category=category,
        component=component,
        confidence=0.6,
        reasoning="r",
        citations=[
            Citation(evidence_id="ev", evidence_name=cited, line_start=1, line_end=1, text="x")
        ],
    )


def test_a_cluster_finding_of_the_logs_workload_and_category_joins_it() -> None:
    logged = [_hypothesis("log-dns", Category.DNS, "claims-processor", "claims-processor.log")]
    cluster = [_hypothesis("k8s-dns", Category.DNS, "claims-processor", "events.txt")]
    joined, kept = join_agreeing_findings(logged, cluster)
    assert kept == []
    assert [c.evidence_name for c in joined[0].citations] == [
        "claims-processor.log",
        "events.txt",
    ]


def test_findings_of_another_category_or_workload_stay_apart() -> None:
    logged = [_hypothesis("log-dns", Category.DNS, "claims-processor", "claims-processor.log")]
    cluster = [
        _hypothesis("k8s-mem", Category.MEMORY, "claims-processor", "events.txt"),
        _hypothesis("k8s-dns", Category.DNS, "claims-api", "events.txt"),
        _hypothesis("k8s-crash", Category.CODE_ERROR, "claims-processor", "events.txt"),
    ]
    joined, kept = join_agreeing_findings(logged, cluster)
    assert [h.id for h in kept] == ["k8s-mem", "k8s-dns", "k8s-crash"]
    assert len(joined[0].citations) == 1


def test_the_more_confident_of_the_two_stays() -> None:
    logged = [_hypothesis("log-net", Category.NETWORK, "ledger-api", "refunds.log")]
    policy = _hypothesis("k8s-net", Category.NETWORK, "ledger-api", "np.txt")
    policy = policy.model_copy(update={"confidence": 0.75})
    joined, kept = join_agreeing_findings(logged, [policy])
    assert joined == []
    assert [h.id for h in kept] == ["k8s-net"]
    assert [c.evidence_name for c in kept[0].citations] == ["np.txt", "refunds.log"]
