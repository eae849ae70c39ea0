from faultmaven.domain.evidence import EvidenceKind
from faultmaven.router import CaseContext, Intent, Method, Route, plan, route_question
from faultmaven.router.plan import TOOLS


def _names(intent: Intent, kinds: list[str], sources: tuple[str, ...] = ()) -> list[str]:
    return [step.name for step in plan(Route(intent, 1.0, Method.RULES), kinds, sources)]


def test_explaining_a_line_searches_the_logs_for_it_and_the_knowledge() -> None:
    route = route_question("what's `OOMKilled` doing in here?", CaseContext(("log",)))
    steps = plan(route, ["log"])
    assert steps[0].name == "search logs for the line"
    assert steps[0].target == "OOMKilled"
    assert [step.name for step in steps] == [
        "search logs for the line",
        "match failure signatures",
        "search knowledge",
        "check citations",
    ]


def test_explaining_a_pasted_line_without_evidence_needs_no_log_search() -> None:
    assert _names(Intent.EXPLAIN_LINE, []) == ["match failure signatures", "search knowledge"]


def test_a_general_question_only_searches_knowledge() -> None:
    assert _names(Intent.GENERAL, []) == ["search knowledge"]
    assert _names(Intent.GENERAL, ["log", "metrics"]) == ["search knowledge"]


def test_when_started_builds_a_timeline_after_the_analyses() -> None:
    names = _names(Intent.WHEN_STARTED, ["log", "metrics"])
    assert names[-2:] == ["build timeline", "check citations"]
    assert "find anomalies" in names and "find metric changes" in names
    assert "match failure signatures" not in names


def test_how_to_fix_ranks_then_picks_playbook_steps() -> None:
    names = _names(Intent.HOW_TO_FIX, ["kubernetes"])
    assert names.index("read Kubernetes state") < names.index("rank hypotheses")
    assert names.index("rank hypotheses") < names.index("select playbook steps")
    assert names.index("select playbook steps") < names.index("search knowledge")
    assert "find metric changes" not in names


def test_a_follow_up_starts_from_the_previous_diagnosis() -> None:
    assert _names(Intent.FOLLOW_UP, ["log"])[0] == "review previous diagnosis"


def test_what_changed_reads_cluster_state_and_builds_a_timeline() -> None:
    names = _names(Intent.WHAT_CHANGED, ["kubernetes", "log"])
    assert "read Kubernetes state" in names and "build timeline" in names


def test_a_configured_source_fills_a_missing_kind_of_evidence() -> None:
    route = Route(Intent.WHY, 1.0, Method.RULES)
    steps = plan(route, ["log"], ["prometheus", "loki"])
    assert [(step.name, step.target) for step in steps[:2]] == [
        ("load evidence", None),
        ("query data source", "prometheus"),
    ]
    names = [step.name for step in steps]
    assert "find metric changes" in names
    assert ("query data source", "loki") not in [(step.name, step.target) for step in steps]


def test_no_evidence_and_no_source_asks_for_evidence() -> None:
    assert _names(Intent.WHAT_IS_WRONG, []) == ["search knowledge", "list missing evidence"]


def test_every_step_names_its_agent_tool() -> None:
    for intent in Intent:
        for step in plan(Route(intent, 1.0, Method.RULES), ["log", "metrics", "kubernetes"]):
            assert step.tool == TOOLS[step.name]
    assert len(set(TOOLS.values())) == len(TOOLS)


def test_plan_of_a_what_is_wrong_question_over_logs_and_kubernetes() -> None:
    kinds = [EvidenceKind.LOG, EvidenceKind.KUBERNETES]
    route = Route(intent=Intent.WHAT_IS_WRONG, confidence=1.0, method=Method.DEFAULT)
    assert [step.name for step in plan(route, kinds)] == [
        "load evidence",
        "find notable lines",
        "match failure signatures",
        "read Kubernetes state",
        "find anomalies",
        "rank hypotheses",
        "search knowledge",
        "check citations",
    ]
