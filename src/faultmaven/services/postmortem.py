"""A postmortem draft in Markdown, written from the case, its last diagnosis and its verdicts.

It is a draft for people to finish: every statement comes from what the case recorded
(resolution, confirmed or leading hypothesis, cited lines, timeline, next steps), and
what the case does not know is said plainly instead of being made up.
"""

from datetime import UTC, datetime

from sqlalchemy import Engine

from faultmaven.domain.cases import Case, CaseStatus
from faultmaven.domain.diagnosis import Citation, Diagnosis, Hypothesis, HypothesisState
from faultmaven.domain.errors import NotFoundError
from faultmaven.domain.hypotheses import TrackedHypothesis
from faultmaven.domain.tenants import Principal
from faultmaven.services.apikeys import tenant_uuid
from faultmaven.services.ids import parse_id
from faultmaven.store import cases as case_store
from faultmaven.store import conversation as conversation_store
from faultmaven.store import hypotheses as hypothesis_store

MAX_EVIDENCE_LINES = 12
UNKNOWN = "_Not recorded in the case._"


def postmortem(engine: Engine, principal: Principal, case_id: str) -> str:
    """Return the case's postmortem draft."""
    tenant_id, case_uuid = tenant_uuid(principal), parse_id(case_id, "case")
    with engine.connect() as connection:
        case = case_store.get_case(connection, tenant_id, case_uuid)
        if case is None:
            raise NotFoundError(f"case {case_id!r} not found")
        diagnosis = conversation_store.latest_diagnosis(connection, tenant_id, case_uuid)
        tracked = hypothesis_store.list_hypotheses(connection, tenant_id, case_uuid)
    return render_postmortem(case, diagnosis, tracked)


def render_postmortem(
    case: Case, diagnosis: Diagnosis | None, tracked: list[TrackedHypothesis]
) -> str:
    """Write the draft: summary, impact window, timeline, root cause, evidence, remediation."""
    cause = _root_cause_hypothesis(case, diagnosis, tracked)
    sections = [
        f"# Postmortem: {case.title}",
        _facts(case),
        "## Summary\n\n" + _summary(case, diagnosis, cause),
        "## Impact window\n\n" + _impact_window(diagnosis),
        "## Timeline\n\n" + _timeline(diagnosis),
        "## Root cause\n\n" + _root_cause(case, cause),
        "## Evidence\n\n" + _evidence(cause),
        "## Remediation\n\n" + _remediation(case, diagnosis, cause),
        "## Hypotheses considered\n\n" + _hypotheses(tracked),
        "## Follow-ups\n\n" + _follow_ups(case, diagnosis, cause),
    ]
    return "\n\n".join(sections) + "\n"


def _root_cause_hypothesis(
    case: Case, diagnosis: Diagnosis | None, tracked: list[TrackedHypothesis]
) -> Hypothesis | None:
    """Pick the confirmed hypothesis, else the leading one of the last answer, else none."""
    confirmed = [item.hypothesis for item in tracked if item.state is HypothesisState.CONFIRMED]
    if confirmed:
        return max(confirmed, key=lambda hypothesis: hypothesis.confidence)
    if diagnosis is None:
        return None
    open_ = [h for h in diagnosis.hypotheses if h.state is not HypothesisState.REFUTED]
    return open_[0] if open_ else None


def _facts(case: Case) -> str:
    lines = [
        f"- **Status**: {case.status.value}",
        f"- **Severity**: {case.severity.value if case.severity else 'not set'}",
        f"- **Opened**: {_time(case.created_at)}",
    ]
    if case.status is CaseStatus.RESOLVED:
        lines.append(f"- **Resolved**: {_time(case.updated_at)}")
    if case.description:
        lines.append(f"- **Description**: {case.description}")
    return "\n".join(lines)


def _summary(case: Case, diagnosis: Diagnosis | None, cause: Hypothesis | None) -> str:
    if case.root_cause:
        text = f"Root cause: {case.root_cause}"
        return text + (f" Fixed by: {case.fix}" if case.fix else "")
    if diagnosis is not None:
        return diagnosis.summary
    if cause is not None:
        return cause.statement
    return "No diagnosis has been made in this case yet."


def _impact_window(diagnosis: Diagnosis | None) -> str:
    times = sorted(
        entry.time for entry in (diagnosis.timeline if diagnosis else []) if entry.time is not None
    )
    if not times:
        return "Unknown: no timestamped event was found in the evidence."
    start, end = times[0], times[-1]
    minutes = (end - start).total_seconds() / 60
    return (
        f"From {_time(start)} to {_time(end)} (about {minutes:.0f} minutes), "
        "judged from the first and last abnormal events in the evidence; the real user impact "
        "may have started earlier or lasted longer."
    )


def _timeline(diagnosis: Diagnosis | None) -> str:
    if diagnosis is None or not diagnosis.timeline:
        return UNKNOWN
    rows = ["| time (UTC) | kind | event | evidence |", "|---|---|---|---|"]
    for entry in diagnosis.timeline:
        where = _where(entry.citation) if entry.citation else ""
        rows.append(
            f"| {_time(entry.time) if entry.time else '?'} | {entry.kind.value}"
            f" | {_cell(entry.event)} | {where} |"
        )
    return "\n".join(rows)


def _root_cause(case: Case, cause: Hypothesis | None) -> str:
    if cause is None:
        return case.root_cause or UNKNOWN
    status = (
        "confirmed by the engineer"
        if cause.state is HypothesisState.CONFIRMED
        else f"not confirmed; confidence {cause.confidence:.0%}"
    )
    lines = [
        case.root_cause or cause.statement,
        "",
        f"- **Hypothesis**: {cause.title} ({status})",
        f"- **Category**: {cause.category.value}",
        f"- **Component**: {cause.component or 'unknown'}",
    ]
    return "\n".join(lines)


def _evidence(cause: Hypothesis | None) -> str:
    if cause is None or not cause.citations:
        return UNKNOWN
    blocks = []
    for citation in cause.citations:
        text = "\n".join(citation.text.split("\n")[:MAX_EVIDENCE_LINES]).replace("```", "``\u200b`")
        blocks.append(f"{_where(citation)}:\n\n```\n{text}\n```")
    return "\n\n".join(blocks)


def _remediation(case: Case, diagnosis: Diagnosis | None, cause: Hypothesis | None) -> str:
    parts = [f"Applied fix: {case.fix}"] if case.fix else ["No fix has been recorded yet."]
    steps = _steps_for(diagnosis, cause)
    if steps:
        parts.append("Suggested during the investigation:\n\n" + "\n".join(steps))
    return "\n\n".join(parts)


def _steps_for(diagnosis: Diagnosis | None, cause: Hypothesis | None) -> list[str]:
    if diagnosis is None:
        return []
    chosen = [
        step
        for step in diagnosis.next_steps
        if cause is None or step.hypothesis_id in (None, cause.id)
    ]
    return [
        f"- {step.action}" + (f" (`{step.command}`)" if step.command else "") for step in chosen
    ]


def _hypotheses(tracked: list[TrackedHypothesis]) -> str:
    if not tracked:
        return UNKNOWN
    rows = ["| hypothesis | category | component | state | note |", "|---|---|---|---|---|"]
    for item in tracked:
        hypothesis = item.hypothesis
        rows.append(
            f"| {_cell(hypothesis.title)} | {hypothesis.category.value}"
            f" | {hypothesis.component or ''} | {hypothesis.state.value}"
            f" | {_cell(item.note or '')} |"
        )
    return "\n".join(rows)


def _follow_ups(case: Case, diagnosis: Diagnosis | None, cause: Hypothesis | None) -> str:
    items = []
    if cause is None or cause.state is not HypothesisState.CONFIRMED:
        items.append("Confirm the root cause (the leading hypothesis is not confirmed yet).")
    if not case.fix:
        items.append("Record the fix that was applied and verify that it holds.")
    if cause is not None:
        where = f" in {cause.component}" if cause.component else ""
        items.append(
            f"Add an alert that catches {cause.category.value} problems{where} "
            "before users notice, using the evidence lines above as the signal."
        )
    if diagnosis is not None:
        items += [f"Collect next time: {item}" for item in diagnosis.missing_evidence]
        if not diagnosis.related_knowledge:
            items.append("Write a runbook for this failure: no playbook or runbook matched it.")
    return "\n".join(f"- [ ] {item}" for item in items) if items else "- [ ] None recorded."


def _where(citation: Citation) -> str:
    span = (
        f"line {citation.line_start}"
        if citation.line_start == citation.line_end
        else f"lines {citation.line_start}-{citation.line_end}"
    )
    return f"`{citation.evidence_name}` {span}"


def _time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _cell(text: str) -> str:
    """Keep a value inside one Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")
