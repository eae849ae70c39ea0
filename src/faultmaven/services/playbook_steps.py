"""Next steps from the playbooks that match each hypothesis, filled with names from the evidence.

The knowledge engine knows the playbooks and how to fill a command; the reasoning engine
knows how to read names from evidence. Engines do not import each other, so they meet here.
"""

from collections.abc import Sequence

from faultmaven.domain.diagnosis import DiagnosisDraft, Hypothesis, NextStep
from faultmaven.knowledge.playbook_commands import playbook_steps, playbooks_for
from faultmaven.reasoning.cluster_and_metrics import CitedFinding
from faultmaven.reasoning.evidence_names import names_from_evidence

HYPOTHESES_WITH_PLAYBOOKS = 3
STEPS_PER_HYPOTHESIS = 3
MAX_NEXT_STEPS = 8


def add_playbook_steps(draft: DiagnosisDraft, findings: Sequence[CitedFinding]) -> DiagnosisDraft:
    """Order next steps by hypothesis: each one's playbook steps, then its earlier steps.

    Steps of hypotheses past the top three, and steps for no hypothesis, follow. Duplicates
    (same command, or same action without a command) are dropped; at most eight remain.
    """
    top = draft.hypotheses[:HYPOTHESES_WITH_PLAYBOOKS]
    ordered: list[NextStep] = []
    for hypothesis in top:
        ordered += _steps_for(hypothesis, findings)
        ordered += [step for step in draft.next_steps if step.hypothesis_id == hypothesis.id]
    shown = {hypothesis.id for hypothesis in top}
    ordered += [step for step in draft.next_steps if step.hypothesis_id not in shown]
    unique: dict[str, NextStep] = {}
    for step in ordered:
        unique.setdefault(step.command or step.action, step)
    return draft.model_copy(update={"next_steps": list(unique.values())[:MAX_NEXT_STEPS]})


def _steps_for(hypothesis: Hypothesis, findings: Sequence[CitedFinding]) -> list[NextStep]:
    cited = {(c.evidence_id, c.line_start, c.line_end) for c in hypothesis.citations}
    proving = [
        item.finding
        for item in findings
        if any((c.evidence_id, c.line_start, c.line_end) in cited for c in item.citations)
    ]
    about = proving or [
        item.finding for item in findings if item.finding.component == hypothesis.component
    ]
    texts = [citation.text for citation in hypothesis.citations]
    values = names_from_evidence(
        texts,
        evidence_names=[citation.evidence_name for citation in hypothesis.citations],
        findings=about,
        component=hypothesis.component,
    )
    reason = proving[0].reason if proving else None
    filled: list[NextStep] = []
    unfilled: list[NextStep] = []
    for playbook in playbooks_for(texts, kubernetes_reason=reason):
        wanted = STEPS_PER_HYPOTHESIS - len(filled)
        found = playbook_steps(playbook, values, hypothesis.id, limit=wanted)
        if any(step.command is not None for step in found):
            filled += found
        elif not unfilled:
            unfilled = found
        if len(filled) >= STEPS_PER_HYPOTHESIS:
            break
    return filled or unfilled
