"""Turning the model's answer into a diagnosis draft whose every citation is a stored line.

A citation to lines that do not exist, or whose quoted text differs from what is stored, is
removed; a hypothesis left with none of its citations loses confidence and says why.
"""

import hashlib
from collections.abc import Sequence

from faultmaven.agent.context import AgentContext
from faultmaven.agent.output import CitedLines, FinalAnswer, ProposedHypothesis
from faultmaven.agent.redaction import Redactor
from faultmaven.domain.diagnosis import (
    Citation,
    DiagnosisDraft,
    DiagnosisStatus,
    Hypothesis,
    NextStep,
)
from faultmaven.domain.evidence import Evidence

MAX_CITED_LINES = 50
MAX_HYPOTHESES = 5
UNCITED_CONFIDENCE_FACTOR = 0.5
UNCITED_NOTE = (
    " (FaultMaven: none of the lines cited for this hypothesis exist in the evidence as"
    " quoted; they were removed and the confidence lowered.)"
)


def _same_text(quote: str, stored: str, redactor: Redactor) -> bool:
    said = " ".join(quote.split())
    return said in (" ".join(stored.split()), " ".join(redactor.redact(stored).split()))


class CitationChecker:
    """Resolves evidence names and line ranges the model cited against the stored lines."""

    def __init__(self, context: AgentContext, redactor: Redactor) -> None:
        self._context = context
        self._redactor = redactor
        evidence = context.evidence()
        self._by_name: dict[str, Evidence] = {item.name: item for item in evidence}
        self._by_name.update({redactor.redact(item.name): item for item in evidence})

    def resolve(self, cited: CitedLines) -> Citation | None:
        """Return the stored lines cited, or None when they do not exist as cited."""
        item = self._by_name.get(cited.evidence_name)
        span = cited.line_end - cited.line_start + 1
        if item is None or not 1 <= span <= MAX_CITED_LINES:
            return None
        lines = self._context.read_lines(item.id, cited.line_start, cited.line_end)
        if len(lines) != span:
            return None
        text = "\n".join(line for _, line in lines)
        if cited.quote is not None and not _same_text(cited.quote, text, self._redactor):
            return None
        return Citation(
            evidence_id=item.id,
            evidence_name=item.name,
            line_start=cited.line_start,
            line_end=cited.line_end,
            text=text,
        )


def _new_id(proposed: ProposedHypothesis) -> str:
    key = f"llm|{proposed.category.value}|{proposed.component}|{proposed.title.lower()}"
    return "llm-" + hashlib.blake2b(key.encode(), digest_size=6).hexdigest()


def _hypothesis(
    proposed: ProposedHypothesis, checker: CitationChecker, hypothesis_id: str
) -> Hypothesis:
    resolved = [checker.resolve(cited) for cited in proposed.citations]
    citations = [citation for citation in resolved if citation is not None]
    confidence, reasoning = proposed.confidence, proposed.reasoning
    if proposed.citations and not citations:
        confidence = round(confidence * UNCITED_CONFIDENCE_FACTOR, 3)
        reasoning += UNCITED_NOTE
    return Hypothesis(
        id=hypothesis_id,
        rank=1,
        title=proposed.title,
        statement=proposed.statement,
        category=proposed.category,
        component=proposed.component,
        confidence=confidence,
        reasoning=reasoning,
        citations=citations,
    )


def _ids(proposed: Sequence[ProposedHypothesis], offline: Sequence[Hypothesis]) -> list[str]:
    """Reuse the offline hypothesis id when category and component match, once each.

    The most confident of several matching proposals keeps the id, so it survives the cut.
    """
    known = {(h.category, (h.component or "").lower()): h.id for h in offline}
    ids = [""] * len(proposed)
    used: set[str] = set()
    for position in sorted(range(len(proposed)), key=lambda i: -proposed[i].confidence):
        hypothesis = proposed[position]
        reused = known.get((hypothesis.category, (hypothesis.component or "").lower()))
        chosen = reused if reused and reused not in used else _new_id(hypothesis)
        while chosen in used:
            chosen += "-again"
        ids[position] = chosen
        used.add(chosen)
    return ids


def refined_draft(
    answer: FinalAnswer, offline: DiagnosisDraft, checker: CitationChecker
) -> DiagnosisDraft:
    """Build the draft from the model's answer, keeping the offline components and timeline."""
    ids = _ids(answer.hypotheses, offline.hypotheses)
    built = [
        _hypothesis(proposed, checker, hypothesis_id)
        for proposed, hypothesis_id in zip(answer.hypotheses, ids, strict=True)
    ]
    ranked = sorted(built, key=lambda hypothesis: -hypothesis.confidence)[:MAX_HYPOTHESES]
    hypotheses = [h.model_copy(update={"rank": rank}) for rank, h in enumerate(ranked, start=1)]
    steps = [
        NextStep(
            action=step.action,
            why=step.why,
            command=step.command,
            hypothesis_id=(
                ids[step.hypothesis_number - 1]
                if step.hypothesis_number and step.hypothesis_number <= len(ids)
                else None
            ),
        )
        for step in answer.next_steps
    ]
    status = answer.status if hypotheses else DiagnosisStatus.INSUFFICIENT_EVIDENCE
    return offline.model_copy(
        update={
            "summary": answer.summary,
            "status": status,
            "hypotheses": hypotheses,
            "next_steps": steps or offline.next_steps,
            "missing_evidence": answer.missing_evidence or offline.missing_evidence,
        }
    )
