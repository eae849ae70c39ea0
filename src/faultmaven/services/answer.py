"""The Markdown answer a person reads, written from the diagnosis document."""

from faultmaven.domain.diagnosis import Citation, Diagnosis, DiagnosisStatus

MAX_QUOTED_LINES = 6


def render_answer(diagnosis: Diagnosis) -> str:
    """Return the diagnosis as Markdown: summary, hypotheses with proof, next steps, timeline."""
    parts = [diagnosis.summary]
    if diagnosis.status is DiagnosisStatus.INSUFFICIENT_EVIDENCE and diagnosis.missing_evidence:
        parts.append("**What to collect next**\n" + _bullets(diagnosis.missing_evidence))
    for hypothesis in diagnosis.hypotheses:
        lines = [
            f"### {hypothesis.rank}. {hypothesis.title}"
            f" ({hypothesis.category.value}, confidence {hypothesis.confidence:.0%})",
            hypothesis.statement,
            "",
            hypothesis.reasoning,
        ]
        lines += [_quote(citation) for citation in hypothesis.citations]
        parts.append("\n".join(lines))
    if diagnosis.next_steps:
        steps = [
            f"{number}. {step.action} ({step.why})"
            + (f"\n   `{step.command}`" if step.command else "")
            for number, step in enumerate(diagnosis.next_steps, start=1)
        ]
        parts.append("**Next steps**\n" + "\n".join(steps))
    if diagnosis.timeline:
        entries = [
            f"- {entry.time.isoformat() if entry.time else 'time unknown'}: {entry.event}"
            for entry in diagnosis.timeline
        ]
        parts.append("**Timeline**\n" + "\n".join(entries))
    return "\n\n".join(parts)


def _bullets(items: list[str]) -> str:
    return "\n".join(f"- {item}" for item in items)


def _quote(citation: Citation) -> str:
    text_lines = citation.text.split("\n")[:MAX_QUOTED_LINES]
    span = (
        f"line {citation.line_start}"
        if citation.line_start == citation.line_end
        else f"lines {citation.line_start}-{citation.line_end}"
    )
    body = "\n".join(text_lines).replace("```", "``\u200b`")
    return f"\n`{citation.evidence_name}` {span}:\n```\n{body}\n```"
