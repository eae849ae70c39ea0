"""Which analyses to run for a routed question, in order, given the evidence and data sources."""

from collections.abc import Sequence
from dataclasses import dataclass

from faultmaven.router.outcome import Intent, Route

LINE_KINDS = frozenset({"log", "text", "kubernetes"})
# What a configured data source can add when the case lacks that kind of evidence.
SOURCE_SUPPLIES = {
    "prometheus": "metrics",
    "loki": "log",
    "splunk": "log",
    "kubernetes": "kubernetes",
}
NEEDS_CASE_DATA = frozenset(
    {
        Intent.WHAT_IS_WRONG,
        Intent.WHY,
        Intent.WHEN_STARTED,
        Intent.WHAT_CHANGED,
        Intent.HOW_TO_FIX,
        Intent.FOLLOW_UP,
    }
)
TOOLS = {
    "load evidence": "list_evidence",
    "review previous diagnosis": "previous_diagnosis",
    "query data source": "query_source",
    "search logs for the line": "search_lines",
    "find notable lines": "notable_lines",
    "match failure signatures": "match_signatures",
    "read Kubernetes state": "kubernetes_state",
    "find anomalies": "find_anomalies",
    "find metric changes": "metric_changes",
    "build timeline": "build_timeline",
    "rank hypotheses": "rank_hypotheses",
    "select playbook steps": "playbook_steps",
    "search knowledge": "search_knowledge",
    "check citations": "check_citations",
    "list missing evidence": "missing_evidence",
}


@dataclass(frozen=True)
class PlanStep:
    """One analysis: the name shown to the engineer, the agent tool that runs it, its target."""

    name: str
    tool: str
    target: str | None = None


def plan(
    route: Route, evidence_kinds: Sequence[str], sources: Sequence[str] = ()
) -> list[PlanStep]:
    """Return the ordered steps that answer the routed question over this case."""
    kinds = set(evidence_kinds)
    queried = _source_queries(route.intent, kinds, sources)
    kinds |= {SOURCE_SUPPLIES[source] for source in queried}
    names = _steps_for(route.intent, kinds)
    steps = [
        PlanStep("query data source", TOOLS["query data source"], source) for source in queried
    ]
    if queried and names and names[0] == "load evidence":
        steps = [PlanStep("load evidence", TOOLS["load evidence"]), *steps]
        names = names[1:]
    target = route.log_lines[0] if route.log_lines else None
    for name in names:
        steps.append(
            PlanStep(name, TOOLS[name], target if name == "search logs for the line" else None)
        )
    return steps


def _source_queries(intent: Intent, kinds: set[str], sources: Sequence[str]) -> list[str]:
    """Return the configured sources that supply a kind of evidence the case does not have yet."""
    if intent not in NEEDS_CASE_DATA:
        return []
    return [
        source
        for source in dict.fromkeys(sources)
        if source in SOURCE_SUPPLIES and SOURCE_SUPPLIES[source] not in kinds
    ]


def _steps_for(intent: Intent, kinds: set[str]) -> list[str]:
    if intent is Intent.GENERAL:
        return ["search knowledge"]
    if intent is Intent.EXPLAIN_LINE:
        if kinds & LINE_KINDS:
            return [
                "search logs for the line",
                "match failure signatures",
                "search knowledge",
                "check citations",
            ]
        return ["match failure signatures", "search knowledge"]
    if not kinds:
        return ["search knowledge", "list missing evidence"]
    analyses = _analyses(kinds)
    if intent is Intent.WHEN_STARTED:
        return [
            "load evidence",
            *_without(analyses, "match failure signatures"),
            "build timeline",
            "check citations",
        ]
    if intent is Intent.WHAT_CHANGED:
        return ["load evidence", *analyses, "build timeline", "rank hypotheses", "check citations"]
    if intent is Intent.HOW_TO_FIX:
        return [
            "load evidence",
            *analyses,
            "rank hypotheses",
            "select playbook steps",
            "search knowledge",
            "check citations",
        ]
    if intent is Intent.FOLLOW_UP:
        return [
            "review previous diagnosis",
            "load evidence",
            *analyses,
            "rank hypotheses",
            "check citations",
        ]
    return ["load evidence", *analyses, "rank hypotheses", "search knowledge", "check citations"]


def _analyses(kinds: set[str]) -> list[str]:
    """Return the engines that apply to the evidence at hand, cheapest and most telling first."""
    steps: list[str] = []
    if kinds & LINE_KINDS:
        steps += ["find notable lines", "match failure signatures"]
    if "kubernetes" in kinds:
        steps.append("read Kubernetes state")
    if kinds & {"log", "text"}:
        steps.append("find anomalies")
    if "metrics" in kinds:
        steps.append("find metric changes")
    return steps


def _without(steps: list[str], name: str) -> list[str]:
    return [step for step in steps if step != name]
