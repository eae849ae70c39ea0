"""The agent's tools: typed functions whose docstrings tell the model what each one does.

Each is a thin wrapper over the case context; results are redacted, quoted as data and
capped in size before the model sees them.
"""

from collections.abc import Callable
from datetime import datetime

from langchain_core.tools import BaseTool, StructuredTool

from faultmaven.agent.context import AgentContext, LogQuery
from faultmaven.agent.prompts import block
from faultmaven.agent.redaction import Redactor

MAX_RESULT_CHARS = 6_000
MAX_LINES_PER_SEARCH = 50


def _capped(text: str) -> str:
    if len(text) <= MAX_RESULT_CHARS:
        return text
    return text[:MAX_RESULT_CHARS] + f"\n... ({len(text) - MAX_RESULT_CHARS} characters cut)"


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


class CaseTools:
    """The tools over one case, sharing the request's redactor."""

    def __init__(self, context: AgentContext, redactor: Redactor) -> None:
        self._context = context
        self._redactor = redactor

    def _result(self, name: str, content: str) -> str:
        return block("tool_result", _capped(self._redactor.redact(content)), name=name)

    def search_logs(
        self,
        text: str | None = None,
        regex: str | None = None,
        template: str | None = None,
        since: str | None = None,
        until: str | None = None,
        evidence_name: str | None = None,
        limit: int = 20,
    ) -> str:
        """Search the case's log events by text, regular expression, template and time range.

        `since`/`until` are ISO-8601 times (UTC if no zone). Returns matching lines with
        their evidence name and line number, to cite.
        """
        query = LogQuery(
            text=text,
            regex=regex,
            template=template,
            since=_time(since),
            until=_time(until),
            evidence_name=evidence_name,
            limit=max(1, min(limit, MAX_LINES_PER_SEARCH)),
        )
        found = self._context.search_logs(query)
        shown = "\n".join(
            f"{line.evidence_name}:{line.n} [{line.time.isoformat() if line.time else '-'}"
            f" {line.level or '-'}] {line.text}"
            for line in found
        )
        return self._result("search_logs", shown or "no matching lines")

    def log_summary(self) -> str:
        """Summarise the case's logs: templates, counts, errors and what is abnormal."""
        return self._result("log_summary", self._context.log_report().summary)

    def template_timeline(self, template: str, bucket_minutes: int = 1) -> str:
        """Show how often one log template occurred over time, per bucket of minutes."""
        buckets = self._context.template_timeline(template, max(1, bucket_minutes))
        shown = "\n".join(f"{bucket.start.isoformat()} {bucket.count}" for bucket in buckets)
        return self._result("template_timeline", shown or "no timed occurrences")

    def anomalies(self) -> str:
        """List what is abnormal in the logs (bursts, new templates, rate changes) with lines."""
        items = self._context.log_report().abnormal
        shown = "\n".join(
            f"- {item.kind.value} (score {item.score:.2f}): {item.description}"
            + "".join(
                f"\n  {c.evidence_name}:{c.line_start}-{c.line_end} {c.text}"
                for c in item.citations[:3]
            )
            for item in items
        )
        return self._result("anomalies", shown or "nothing abnormal found")

    def kubernetes_findings(self) -> str:
        """List what the case's Kubernetes evidence shows (OOMKilled, CrashLoopBackOff...)."""
        found = self._context.kubernetes_findings()
        shown = "\n".join(
            f"- {cited.finding.reason} on {cited.finding.kind} {cited.finding.name}"
            f" ({cited.finding.category.value}, {cited.finding.severity.value}):"
            f" {cited.finding.message or ''}"
            + "".join(
                f"\n  {c.evidence_name}:{c.line_start}-{c.line_end}" for c in cited.citations[:2]
            )
            for cited in found
        )
        return self._result("kubernetes_findings", shown or "no Kubernetes findings")

    def metric_changes(self) -> str:
        """List the metric change points, most important first, with their lines."""
        found = self._context.metric_changes()
        shown = "\n".join(
            f"- {cited.change.series} {cited.change.direction.value} {cited.change.kind.value}"
            f" at {cited.change.time.isoformat()}: {cited.change.before:g} ->"
            f" {cited.change.after:g} ({cited.citation.evidence_name}:"
            f"{cited.citation.line_start}-{cited.citation.line_end})"
            for cited in found
        )
        return self._result("metric_changes", shown or "no metric changes")

    def search_knowledge(self, query: str, limit: int = 3) -> str:
        """Search runbooks, playbooks, postmortems and past cases for the query."""
        hits = self._context.search_knowledge(query, max(1, min(limit, 5)))
        shown = "\n\n".join(
            f"## {hit.title} ({hit.kind.value}{', ' + hit.heading if hit.heading else ''})\n"
            f"{hit.text[:1_500]}"
            for hit in hits
        )
        return self._result("search_knowledge", shown or "no documents found")

    def all(self) -> list[BaseTool]:
        """Return every tool, named as the model calls it."""
        functions: list[Callable[..., str]] = [
            self.search_logs,
            self.log_summary,
            self.template_timeline,
            self.anomalies,
            self.kubernetes_findings,
            self.metric_changes,
            self.search_knowledge,
        ]
        return [StructuredTool.from_function(function) for function in functions]


def case_tools(context: AgentContext, redactor: Redactor) -> list[BaseTool]:
    """Return the tools over the case in `context`."""
    return CaseTools(context, redactor).all()
