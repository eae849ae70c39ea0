"""A summary of any amount of log that fits a token budget, for the agent and for people.

Kept in order of what helps most: the overview, what is abnormal, the error templates,
then the busiest templates, each with its count and one example line, until the
budget is spent.
"""

import re
from collections.abc import Iterable, Sequence

from faultmaven.domain.evidence import is_problem_level
from faultmaven.domain.logs import Anomaly, TemplateOccurrence, TemplateStats

DEFAULT_TOKEN_BUDGET = 3_000
MAX_EXAMPLE_CHARS = 240
_TOKEN = re.compile(r"\w+|[^\w\s]")


def count_tokens(text: str) -> int:
    """Estimate LLM tokens: one per word or punctuation mark (errs on the high side)."""
    return len(_TOKEN.findall(text))


def summarise(
    stats: Sequence[TemplateStats],
    anomalies: Sequence[Anomaly],
    *,
    total_events: int,
    budget_tokens: int = DEFAULT_TOKEN_BUDGET,
) -> str:
    """Return a Markdown summary of the templates and anomalies within `budget_tokens`."""
    budget = _Budget(budget_tokens)
    budget.add(_overview(stats, total_events))
    if anomalies:
        budget.add("\n## Abnormal")
        for anomaly in anomalies:
            if not budget.add(_anomaly_line(anomaly)):
                break
    errors = [s for s in stats if s.worst_level is not None and is_problem_level(s.worst_level)]
    _add_templates(budget, "Warning and error templates", errors)
    seen = {s.group for s in errors}
    _add_templates(budget, "Busiest templates", [s for s in stats if s.group not in seen])
    return "\n".join(budget.parts)


class _Budget:
    """Collects lines while they fit."""

    def __init__(self, tokens: int) -> None:
        self.left = tokens
        self.parts: list[str] = []

    def add(self, text: str) -> bool:
        cost = count_tokens(text) + 1
        if cost > self.left:
            return False
        self.parts.append(text)
        self.left -= cost
        return True


def _overview(stats: Sequence[TemplateStats], total_events: int) -> str:
    times = [t for s in stats for t in (s.first_seen, s.last_seen) if t is not None]
    window = (
        f", {min(times):%Y-%m-%d %H:%M:%S} to {max(times):%Y-%m-%d %H:%M:%S} UTC" if times else ""
    )
    problems = sum(
        1 for s in stats if s.worst_level is not None and is_problem_level(s.worst_level)
    )
    return (
        f"# Log summary\n{total_events} events, {len(stats)} templates"
        f" ({problems} with warnings or errors){window}."
    )


def _anomaly_line(anomaly: Anomaly) -> str:
    when = f" at {anomaly.start:%Y-%m-%d %H:%M:%S}" if anomaly.start else ""
    return f"- [{anomaly.kind.value}]{when} {anomaly.description}{_examples(anomaly.examples[:1])}"


def _add_templates(budget: _Budget, title: str, stats: Iterable[TemplateStats]) -> None:
    heading_added = False
    for item in stats:
        level = item.worst_level.value if item.worst_level else "-"
        line = f"- {item.count}x [{level}] {item.template}{_examples(item.examples[:1])}"
        if not heading_added:
            if not budget.add(f"\n## {title}"):
                return
            heading_added = True
        if not budget.add(line):
            return


def _examples(examples: Sequence[TemplateOccurrence]) -> str:
    return "".join(
        f"\n  e.g. {example.evidence_name}:{example.line_start}: {example.text[:MAX_EXAMPLE_CHARS]}"
        for example in examples
        if example.text
    )
