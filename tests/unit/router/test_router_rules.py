import pytest

from faultmaven.domain.diagnosis import Category, Hypothesis
from faultmaven.router import (
    CaseContext,
    Intent,
    Method,
    PreviousHypothesis,
    route_question,
)

AFTER_POOL_DIAGNOSIS = CaseContext(
    evidence_kinds=("log",),
    has_previous_diagnosis=True,
    previous_hypotheses=(
        PreviousHypothesis("hyp-1", 1, "Connection pool exhausted in checkout", "connection_pool"),
        PreviousHypothesis("hyp-2", 2, "PostgreSQL max_connections reached", "database"),
    ),
)
FRESH_CASE = CaseContext(evidence_kinds=("log",))


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("whats going on with the orders api", Intent.WHAT_IS_WRONG),
        ("[FIRING:2] KubeJobFailed nightly-report", Intent.WHAT_IS_WRONG),
        ("why are the workers restarting since 10:40", Intent.WHY),
        ("when did the 504s start", Intent.WHEN_STARTED),
        ("was there a deploy before this", Intent.WHAT_CHANGED),
        ("the 503 errors keep coming, how do we fix them", Intent.HOW_TO_FIX),
        ("rollback?", Intent.HOW_TO_FIX),
        (
            "explain: `ERROR: could not serialize access due to concurrent update`",
            Intent.EXPLAIN_LINE,
        ),
        ("what is a SIGKILL", Intent.GENERAL),
        ("thanks!", Intent.GENERAL),
    ],
)
def test_clear_wording_is_routed_by_rules(question: str, intent: Intent) -> None:
    route = route_question(question, FRESH_CASE)
    assert route.intent is intent
    assert route.method is Method.RULES
    assert 0.0 < route.confidence <= 1.0


def test_a_cause_guess_is_a_why_question_before_any_diagnosis() -> None:
    assert route_question("is it the db?", FRESH_CASE).intent is Intent.WHY


def test_the_same_guess_naming_a_shown_hypothesis_is_a_follow_up() -> None:
    route = route_question("is it the pool?", AFTER_POOL_DIAGNOSIS)
    assert route.intent is Intent.FOLLOW_UP
    assert route.hypothesis is not None
    assert route.hypothesis.id == "hyp-1"


def test_a_why_question_about_the_diagnosis_is_a_follow_up() -> None:
    question = "why do you think it's the connection pool"
    assert route_question(question, FRESH_CASE).intent is Intent.WHY
    assert route_question(question, AFTER_POOL_DIAGNOSIS).intent is Intent.FOLLOW_UP


def test_a_numbered_challenge_is_a_follow_up_with_its_hypothesis() -> None:
    route = route_question("hypothesis 2 looks wrong, the pool is fine", AFTER_POOL_DIAGNOSIS)
    assert route.intent is Intent.FOLLOW_UP
    assert route.hypothesis is not None
    assert (route.hypothesis.rank, route.hypothesis.id) == (2, "hyp-2")


def test_asking_how_to_fix_a_named_hypothesis_is_a_fix_question() -> None:
    route = route_question("how do I fix #2", AFTER_POOL_DIAGNOSIS)
    assert route.intent is Intent.HOW_TO_FIX
    assert route.hypothesis is not None
    assert route.hypothesis.rank == 2


def test_the_route_carries_the_time_and_the_quoted_line() -> None:
    route = route_question("why is checkout 502ing since 10:40", FRESH_CASE)
    assert route.time_expression == "since 10:40"
    explained = route_question("`x509: certificate signed by unknown authority` ?", FRESH_CASE)
    assert explained.intent is Intent.EXPLAIN_LINE
    assert explained.log_lines == ("x509: certificate signed by unknown authority",)


def test_no_question_means_what_is_wrong() -> None:
    route = route_question("   ", FRESH_CASE)
    assert (route.intent, route.method, route.confidence) == (
        Intent.WHAT_IS_WRONG,
        Method.DEFAULT,
        1.0,
    )


def test_no_cue_falls_back_by_evidence_with_low_confidence() -> None:
    with_evidence = route_question("the checkout pods", FRESH_CASE)
    without = route_question("the checkout pods", CaseContext())
    assert (with_evidence.intent, without.intent) == (Intent.WHAT_IS_WRONG, Intent.GENERAL)
    assert with_evidence.confidence < 0.5
    assert with_evidence.method is Method.DEFAULT


def test_intent_without_and_with_the_cases_earlier_hypotheses() -> None:
    assert route_question(None).intent is Intent.WHAT_IS_WRONG
    assert route_question("when did the errors start").intent is Intent.WHEN_STARTED
    assert route_question("is it the pool?").intent is Intent.WHY
    assert route_question("is it the pool?", AFTER_POOL_DIAGNOSIS).intent is Intent.FOLLOW_UP


def test_context_is_built_from_the_diagnosis_hypotheses() -> None:
    hypothesis = Hypothesis(
        id="h-42",
        rank=1,
        title="Redis maxmemory reached",
        statement="Redis refuses writes at maxmemory.",
        category=Category.MEMORY,
        component="redis",
        confidence=0.7,
        reasoning="OOM command not allowed",
        citations=[],
    )
    context = CaseContext.after([hypothesis], evidence_kinds=["log"])
    assert context.has_previous_diagnosis
    assert context.previous_hypotheses == (
        PreviousHypothesis("h-42", 1, "Redis maxmemory reached", "memory"),
    )
    route = route_question("what about the redis one?", context)
    assert route.intent is Intent.FOLLOW_UP
    assert route.hypothesis is not None and route.hypothesis.id == "h-42"
