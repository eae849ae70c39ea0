from faultmaven.domain.diagnosis import (
    Category,
    Citation,
    ComponentRank,
    DiagnosisDraft,
    DiagnosisStatus,
    Hypothesis,
)
from faultmaven.reasoning.pod_nodes import on_their_nodes

PLACED = {
    "media-upload-6d7f8c9b45-2hjwk": "k8s-media-w01",
    "media-upload-6d7f8c9b45-8rmxv": "k8s-media-w03",
    "media-upload-6d7f8c9b45-qn4bz": "k8s-media-w03",
}
SKEWED = (
    '{"level": "error", "msg": "upload f4acdbbe71ec failed: api error RequestTimeTooSkewed:'
    " The difference between the request time and the server's time is too large.\"}"
)


def _cited(*logs: str) -> list[Citation]:
    return [
        Citation(evidence_id=f"e{n}", evidence_name=log, line_start=260, line_end=260, text=SKEWED)
        for n, log in enumerate(logs)
    ]


def _draft(category: Category, *logs: str) -> DiagnosisDraft:
    hypothesis = Hypothesis(
        id="h1",
        rank=1,
        title="Clock skew in media-upload",
        statement="Requests are signed with a time the server rejects.",
        category=category,
        component="media-upload",
        confidence=0.7,
        reasoning="RequestTimeTooSkewed",
        citations=_cited(*logs),
    )
    return DiagnosisDraft(
        summary="s",
        status=DiagnosisStatus.DIAGNOSED,
        hypotheses=[hypothesis],
        components=[ComponentRank(name="media-upload", rank=1, score=0.7, reason="h1")],
    )


def test_a_clock_seen_only_in_pods_of_one_node_is_that_nodes_clock() -> None:
    draft = _draft(
        Category.CLOCK,
        "logs/media-upload-6d7f8c9b45-8rmxv.log",
        "logs/media-upload-6d7f8c9b45-qn4bz.log",
    )
    placed = on_their_nodes(draft, PLACED)
    top = placed.hypotheses[0]
    assert (top.component, top.title) == ("k8s-media-w03", "Clock skew in k8s-media-w03")
    assert "pods on node k8s-media-w03" in top.statement
    assert [c.name for c in placed.components] == ["k8s-media-w03", "media-upload"]


def test_pods_on_two_nodes_or_an_unplaced_log_leave_the_workload_named() -> None:
    spread = _draft(
        Category.CLOCK,
        "logs/media-upload-6d7f8c9b45-8rmxv.log",
        "logs/media-upload-6d7f8c9b45-2hjwk.log",
    )
    assert on_their_nodes(spread, PLACED) == spread
    unplaced = _draft(Category.CLOCK, "logs/media-upload-6d7f8c9b45-8rmxv.log", "logs/app.log")
    assert on_their_nodes(unplaced, PLACED) == unplaced


def test_a_programs_own_failure_stays_with_the_program() -> None:
    draft = _draft(Category.CODE_ERROR, "logs/media-upload-6d7f8c9b45-8rmxv.log")
    assert on_their_nodes(draft, PLACED) == draft
    assert on_their_nodes(_draft(Category.CLOCK, "logs/x.log"), {}).hypotheses[0].component == (
        "media-upload"
    )
