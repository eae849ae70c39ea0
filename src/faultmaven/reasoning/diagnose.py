"""The offline reasoner: from a case's notable lines to a ranked, cited diagnosis."""

from collections.abc import Mapping, Sequence

from faultmaven.domain.diagnosis import (
    Category,
    Citation,
    ComponentRank,
    DiagnosisDraft,
    DiagnosisStatus,
    Hypothesis,
    NextStep,
    TimelineEntry,
    TimelineKind,
)
from faultmaven.domain.evidence import AnalysedLine, EvidenceSummary, Level
from faultmaven.reasoning.asked_names import name_as_asked, name_servers_as_asked
from faultmaven.reasoning.candidates import Candidate, CaseFacts, ComponentFinder, OrderKey
from faultmaven.reasoning.changes import ADOPTED_STATEMENTS
from faultmaven.reasoning.cluster_node_names import place_at_nodes
from faultmaven.reasoning.instance_names import name_instances
from faultmaven.reasoning.loopback_listeners import keep_refused_listeners
from faultmaven.reasoning.ranking import (
    build_candidates,
    component_from_evidence_name,
    order_keys,
    rank_candidates,
)
from faultmaven.reasoning.signature_settings import (
    attach_settings,
    blame_changed_settings,
    place_where_settings_stated,
)
from faultmaven.reasoning.signatures import SIGNATURES_BY_ID, Signature

MAX_CITATIONS = 4
# Lines stating a failure's settings cited at most; the rest go to the failure's own lines.
MAX_SETTING_CITATIONS = 2
MAX_NEXT_STEPS = 8
_STEP_HYPOTHESES = 3
_TEXT_LIMIT = 160
_CODE_WORDS = ("Exception", "Error", "Traceback", "panic", "FATAL", "fatal")
MISSING_WHEN_EMPTY = (
    "Logs from the failing service around the time of the incident",
    "Output of `kubectl describe pod` and `kubectl get events` for the affected workload",
    "The exact error or alert that users or monitors saw, and when it started",
)


def _when(line: AnalysedLine) -> str:
    """Say when a line happened, or where it is when it has no time."""
    where = f"{line.evidence_name} line {line.n}"
    if line.time is None:
        return f"at {where}"
    return f"at {line.time.strftime('%Y-%m-%d %H:%M:%S')} UTC ({where})"


def _short(text: str) -> str:
    """Trim a line for use in prose."""
    text = text.strip()
    return text if len(text) <= _TEXT_LIMIT else text[: _TEXT_LIMIT - 1] + "…"


def _fill(template: str, component: str | None) -> str:
    """Put the component's name into a signature's template."""
    return template.replace("{component}", component or "the service")


def _cite(line: AnalysedLine) -> Citation:
    """Cite one line exactly as the evidence holds it, with the lines that continue its finding."""
    return Citation.of_line(
        line.evidence_id, line.evidence_name, line.n, line.text, line.continuation
    )


def _citations(candidate: Candidate) -> list[Citation]:
    """Cite the first occurrence, the onset after any trickle, other shapes, then the last.

    Lines of other shapes include the first line of each shape of each report folded into
    this one (the database's own line for a deadlock a client reported; a session table's
    row and the pool setting of the service holding them), since those often say most
    about the cause; a change also cites the first trouble that followed it. A remote
    failure placed at its peer cites lines from other items first: the peer's own log.
    Lines stating the settings that govern the failure come right after its first lines.
    """
    chosen = [candidate.first]
    if candidate.onset > 0:
        chosen.append(candidate.onset_line)
    chosen += candidate.settings[:MAX_SETTING_CITATIONS]
    groups = {(line.evidence_id, line.group) for line in chosen}
    others = [line for folded in candidate.folded for line in _first_of_each_shape(folded)]
    if candidate.signature is not None and candidate.signature.is_change:
        others += [effect.first for effect in sorted(candidate.explains, key=_began)]
    others += candidate.lines[1:]
    remote = candidate.signature is not None and candidate.signature.remote
    if remote and candidate.placed_elsewhere:
        # Placed at a peer: lines from other items (the peer's own log) say most; cite them first.
        others.sort(key=lambda line: line.evidence_id == candidate.first.evidence_id)
    for line in others:
        if len(chosen) >= MAX_CITATIONS - 1:
            break
        if (line.evidence_id, line.group) not in groups:
            chosen.append(line)
            groups.add((line.evidence_id, line.group))
    last = candidate.lines[-1]
    if all((last.evidence_id, last.n) != (line.evidence_id, line.n) for line in chosen):
        chosen.append(last)
    return [_cite(line) for line in chosen]


def _first_of_each_shape(candidate: Candidate) -> list[AnalysedLine]:
    """Return the first line of each group among a candidate's lines, first one first."""
    firsts: dict[tuple[str, str], AnalysedLine] = {}
    for line in candidate.lines:
        firsts.setdefault((line.evidence_id, line.group), line)
    return list(firsts.values())


def _began(candidate: Candidate) -> OrderKey:
    return candidate.first_key


def _title(candidate: Candidate) -> str:
    """Title a hypothesis after its signature, or after its error group."""
    where = f" in {candidate.component}" if candidate.component else ""
    if candidate.signature is not None:
        return f"{candidate.signature.title}{where}"
    return f"Repeated error{where}: {_short(candidate.group)}"


def _statement(candidate: Candidate) -> str:
    """State the root cause in one sentence."""
    signature = candidate.signature
    if signature is not None:
        reporter = candidate.reporter
        if signature.placed_statement and reporter is not None and candidate.placed_elsewhere:
            statement = signature.placed_statement.replace("{reporter}", reporter)
            return _fill(statement, candidate.component)
        adopted = ADOPTED_STATEMENTS.get((signature.id, candidate.category or signature.category))
        return _fill(adopted or signature.statement, candidate.component)
    who = candidate.component or "The service"
    return f"{who} fails with the error “{_short(candidate.group)}”."


def _category(candidate: Candidate) -> Category:
    """Categorise a hypothesis: its signature's category, else code error or unknown.

    An error the service logs itself, or an exception it raises, counts as a code
    error; a group of mere warnings stays unknown.
    """
    if candidate.cause_category is not None:
        return candidate.cause_category
    first = candidate.first
    if first.level in (Level.ERROR, Level.FATAL) or any(w in first.text for w in _CODE_WORDS):
        return Category.CODE_ERROR
    return Category.UNKNOWN


def _reasoning(candidate: Candidate) -> str:
    """Explain why the hypothesis is ranked where it is."""
    times = "once" if candidate.count == 1 else f"{candidate.count} times"
    parts = [f"First seen {_when(candidate.first)}; seen {times}."]
    if candidate.signature is not None:
        nature = "usually a symptom" if candidate.signature.is_symptom else "a likely root cause"
        parts.append(f"Matches the known '{candidate.signature.title}' failure, {nature}.")
    else:
        parts.append("No known failure signature matched; this is a significant error group.")
    if candidate.onset > 0:
        parts.append(f"It trickled before and began in earnest {_when(candidate.onset_line)}.")
    if candidate.background:
        parts.append(
            "It appears at a steady rate across the whole evidence, so it is likely"
            " background noise rather than the cause."
        )
    if candidate.earlier_cases:
        parts.append(
            f"The same error appeared in {candidate.earlier_cases} earlier case(s) of this"
            " team, so it is chronic rather than new."
        )
    if candidate.also_in:
        parts.append(f"Also reported at the same time by {', '.join(candidate.also_in)}.")
    cause = candidate.consequence_of
    if cause is not None:
        parts.append(
            f"It began after {_title(cause)} (first seen {_when(cause.first)}), "
            "so it is likely a consequence of it rather than the root cause."
        )
    if candidate.explains:
        later = ", ".join(_title(item) for item in candidate.explains[:3])
        parts.append(f"It began before, and plausibly explains, later problems: {later}.")
    return " ".join(parts)


def _hypothesis(rank: int, candidate: Candidate) -> Hypothesis:
    """Turn a ranked candidate into a hypothesis."""
    return Hypothesis(
        id=candidate.id,
        rank=rank,
        title=_title(candidate),
        statement=_statement(candidate),
        category=_category(candidate),
        component=candidate.component,
        confidence=candidate.confidence,
        reasoning=_reasoning(candidate),
        citations=_citations(candidate),
    )


def _next_steps(ranked: list[Candidate]) -> list[NextStep]:
    """Collect the top hypotheses' next steps, commands filled with their component."""
    steps: list[NextStep] = []
    seen: set[tuple[str, str | None]] = set()
    for candidate in ranked[:_STEP_HYPOTHESES]:
        if candidate.signature is not None:
            templates = candidate.signature.next_steps
        else:
            first = candidate.first
            templates = (
                (
                    f"Read the lines around {first.evidence_name} line {first.n}",
                    "The first occurrence and the stack trace after it show where the error"
                    " comes from",
                    None,
                ),
            )
        for action, why, command in templates:
            step = NextStep(
                action=_fill(action, candidate.component),
                why=why,
                command=_fill(command, candidate.component) if command else None,
                hypothesis_id=candidate.id,
            )
            if (step.action, step.command) not in seen:
                seen.add((step.action, step.command))
                steps.append(step)
    return steps[:MAX_NEXT_STEPS]


def _first_error(
    lines: Sequence[AnalysedLine], evidence: Sequence[EvidenceSummary]
) -> AnalysedLine | None:
    """Find the case's earliest ERROR or FATAL line (else its earliest notable line)."""
    if not lines:
        return None
    keys = order_keys(lines, evidence)
    ordered = [lines[i] for i in sorted(range(len(lines)), key=lambda i: keys[i])]
    errors = [line for line in ordered if line.level in (Level.ERROR, Level.FATAL)]
    return (errors or ordered)[0]


def _timeline(first_error: AnalysedLine | None, ranked: list[Candidate]) -> list[TimelineEntry]:
    """Order the first error and each hypothesis's first occurrence in time.

    When a hypothesis starts at the first error, the two make one entry.
    """
    entries: list[TimelineEntry] = []
    first_error_title: str | None = None
    for candidate in ranked:
        if first_error is not None and _same_line(candidate.first, first_error):
            first_error_title = first_error_title or _title(candidate)
            continue
        kind = TimelineKind.SYMPTOM if candidate.is_symptom_like else TimelineKind.ANOMALY
        entries.append(
            TimelineEntry(
                time=candidate.first.time,
                event=f"{_title(candidate)} first seen",
                kind=kind,
                citation=_cite(candidate.first),
            )
        )
    if first_error is not None:
        label = f"First error ({first_error_title})" if first_error_title else "First error"
        entries.insert(
            0,
            TimelineEntry(
                time=first_error.time,
                event=f"{label}: {_short(first_error.text)}",
                kind=TimelineKind.FIRST_ERROR,
                citation=_cite(first_error),
            ),
        )
    timed = sorted(
        (entry for entry in entries if entry.time is not None),
        key=lambda entry: entry.time.timestamp() if entry.time else 0.0,
    )
    return timed + [entry for entry in entries if entry.time is None]


def _same_line(one: AnalysedLine, other: AnalysedLine) -> bool:
    return one.evidence_id == other.evidence_id and one.n == other.n


def _components(ranked: list[Candidate], hypotheses: list[Hypothesis]) -> list[ComponentRank]:
    """Rank components by the best hypothesis that lives in them."""
    best: dict[str, tuple[Candidate, Hypothesis]] = {}
    for candidate, hypothesis in zip(ranked, hypotheses, strict=True):
        if candidate.component and candidate.component not in best:
            best[candidate.component] = (candidate, hypothesis)
    return [
        ComponentRank(
            name=name,
            rank=rank,
            score=candidate.score,
            reason=f"Hypothesis {hypothesis.rank}: {hypothesis.title} "
            f"(first seen {_when(candidate.first)}).",
        )
        for rank, (name, (candidate, hypothesis)) in enumerate(best.items(), start=1)
    ]


def _summary(top: Candidate) -> str:
    """Name the top cause, where and when it started, in 1-3 sentences."""
    if top.signature is None:
        where = f" in {top.component}" if top.component else ""
        text = (
            "No known failure signature matched. The most significant error"
            f"{where} is “{_short(top.group)}”, first seen {_when(top.first)}."
        )
    else:
        text = f"Most likely cause: {_statement(top)} It started {_when(top.first)}."
    if top.explains:
        text += f" It precedes {len(top.explains)} later problem(s), likely its consequences."
    return text


def _missing(ranked: list[Candidate]) -> list[str]:
    """Suggest what to collect next when the diagnosis rests on symptoms or generic errors."""
    top = ranked[0]
    missing: list[str] = []
    if top.signature is None or top.signature.is_symptom:
        who = top.component or "the failing service"
        missing.append(
            f"Logs from the services and datastores {who} depends on, "
            f"around {_when(top.first).removeprefix('at ')}"
        )
        missing.append("Host or pod metrics (CPU, memory, disk, restarts) for the incident window")
    return missing


def _insufficient(evidence: Sequence[EvidenceSummary]) -> DiagnosisDraft:
    """Answer when there is nothing notable to reason about."""
    if not evidence:
        summary = "Not enough evidence to name a cause: no evidence has been added yet."
        missing = list(MISSING_WHEN_EMPTY)
    else:
        names = ", ".join(item.evidence_name for item in evidence[:3])
        summary = (
            f"Not enough evidence to name a cause: {names} holds no errors, warnings "
            "or known failure messages."
        )
        missing = [
            "Logs from the failing service covering the time the incident started",
            *MISSING_WHEN_EMPTY[1:],
        ]
    return DiagnosisDraft(
        summary=summary,
        status=DiagnosisStatus.INSUFFICIENT_EVIDENCE,
        missing_evidence=missing,
    )


def reason(
    lines: Sequence[AnalysedLine],
    evidence: Sequence[EvidenceSummary],
    question: str | None = None,
    *,
    component_of: ComponentFinder | None = None,
    signatures: Mapping[str, Signature] | None = None,
    facts: CaseFacts | None = None,
) -> DiagnosisDraft:
    """Rank up to five root-cause hypotheses from a case's notable lines, with citations.

    `lines` are the problem-level or signature-matched lines, each with its `signature`
    set. A known cause that began early outranks later symptoms and floods. Components
    come from `component_of(evidence_name, text)`, by default the evidence file's stem;
    the diagnose service passes the log engine's `component_of`. `signatures` resolves the
    lines' signature ids (default: the built-in ones); `facts` are what else the case's
    logs and history say (earlier cases, stack-trace failures, listening addresses).
    Pure and deterministic.
    """
    candidates = build_candidates(
        lines,
        evidence,
        component_of or component_from_evidence_name,
        signatures if signatures is not None else SIGNATURES_BY_ID,
        facts,
        question,
    )
    if not candidates:
        return _insufficient(evidence)
    candidates = keep_refused_listeners(
        candidates, facts.refused_ports if facts is not None else frozenset()
    )
    if not candidates:
        return _insufficient(evidence)
    if facts is not None:
        blame_changed_settings(candidates, facts.settings)
        place_where_settings_stated(candidates, facts.settings)
    place_at_nodes(candidates)
    ranked = rank_candidates(candidates, question)
    name_instances(ranked, evidence)
    name_as_asked(ranked, question)
    name_servers_as_asked(ranked, question)
    if facts is not None:
        attach_settings(ranked, facts.settings)
    hypotheses = [_hypothesis(rank, c) for rank, c in enumerate(ranked, start=1)]
    return DiagnosisDraft(
        summary=_summary(ranked[0]),
        status=DiagnosisStatus.DIAGNOSED,
        components=_components(ranked, hypotheses),
        hypotheses=hypotheses,
        next_steps=_next_steps(ranked),
        timeline=_timeline(_first_error(lines, evidence), ranked),
        missing_evidence=_missing(ranked),
    )
