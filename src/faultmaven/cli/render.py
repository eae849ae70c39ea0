"""The diagnosis as a person reads it in a terminal."""

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from faultmaven.domain.diagnosis import Diagnosis, DiagnosisStatus, Hypothesis

MAX_CITED_LINES = 4


def print_diagnosis(console: Console, diagnosis: Diagnosis) -> None:
    """Print summary, ranked hypotheses with their evidence lines, next steps and timeline."""
    style = "green" if diagnosis.status is DiagnosisStatus.DIAGNOSED else "yellow"
    console.print(Panel(Text(diagnosis.summary), title="Diagnosis", border_style=style))
    for hypothesis in diagnosis.hypotheses:
        console.print(_hypothesis_panel(hypothesis))
    if diagnosis.missing_evidence:
        console.print("[bold]What to collect next[/bold]")
        for item in diagnosis.missing_evidence:
            console.print(f"  - {item}", markup=False)
    if diagnosis.next_steps:
        console.print("[bold]Next steps[/bold]")
        for number, step in enumerate(diagnosis.next_steps, start=1):
            console.print(f"  {number}. {step.action} ({step.why})", markup=False)
            if step.command:
                console.print(Text(f"     $ {step.command}", style="cyan"))
    if diagnosis.timeline:
        table = Table(title="Timeline", show_header=True, header_style="bold")
        table.add_column("time (UTC)")
        table.add_column("event")
        for entry in diagnosis.timeline:
            when = entry.time.strftime("%Y-%m-%d %H:%M:%S") if entry.time else "-"
            table.add_row(when, Text(entry.event))
        console.print(table)
    engine = diagnosis.engine.name + (
        f" ({diagnosis.engine.model})" if diagnosis.engine.model else ""
    )
    console.print(f"[dim]engine: {engine}, {diagnosis.elapsed_ms} ms[/dim]")


def _hypothesis_panel(hypothesis: Hypothesis) -> Panel:
    title = (
        f"#{hypothesis.rank} {hypothesis.title}  "
        f"[{hypothesis.category.value}, confidence {hypothesis.confidence:.0%}]"
    )
    parts: list[Text] = [Text(hypothesis.statement, style="bold"), Text(hypothesis.reasoning)]
    for citation in hypothesis.citations:
        span = (
            f"{citation.line_start}"
            if citation.line_start == citation.line_end
            else f"{citation.line_start}-{citation.line_end}"
        )
        quoted = "\n".join(citation.text.split("\n")[:MAX_CITED_LINES])
        parts.append(Text(f"{citation.evidence_name}:{span}  {quoted}", style="dim"))
    return Panel(Group(*parts), title=Text(title), title_align="left")
