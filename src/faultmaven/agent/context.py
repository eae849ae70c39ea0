"""What the agent may see of a case: the port its tools call, filled in by the diagnose service.

The agent never imports a service or a surface; the diagnose service hands it an object with
these methods, backed by the same service functions the API uses.
"""

from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from langgraph.checkpoint.base import BaseCheckpointSaver

from faultmaven.domain.evidence import Evidence
from faultmaven.domain.knowledge import KnowledgeHit
from faultmaven.domain.logs import LogReport
from faultmaven.reasoning.cluster_and_metrics import CitedChange, CitedFinding


@dataclass(frozen=True)
class LogQuery:
    """Which log lines to find; every criterion given must hold."""

    text: str | None = None
    regex: str | None = None
    template: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    evidence_name: str | None = None
    limit: int = 20


@dataclass(frozen=True)
class FoundLine:
    """A log event's first line, with where it is and what the log engine made of it."""

    evidence_name: str
    n: int
    text: str
    time: datetime | None
    level: str | None
    template: str


@dataclass(frozen=True)
class TimelineBucket:
    """How often a template occurred in one time bucket."""

    start: datetime
    count: int


class AgentContext(Protocol):
    """The case as the agent's tools reach it."""

    @property
    def case_id(self) -> str:
        """The case the conversation belongs to (the checkpointer's thread)."""
        ...

    def evidence(self) -> list[Evidence]:
        """Return the case's ready evidence."""
        ...

    def read_lines(self, evidence_id: str, start: int, end: int) -> list[tuple[int, str]]:
        """Return stored lines `start`..`end` of one evidence item as `(number, text)`."""
        ...

    def search_logs(self, query: LogQuery) -> list[FoundLine]:
        """Return log events matching the query, in evidence then line order."""
        ...

    def log_report(self) -> LogReport:
        """Return the abnormal items and the compact summary of the case's logs."""
        ...

    def template_timeline(self, template: str, bucket_minutes: int) -> list[TimelineBucket]:
        """Return how often the template occurred per time bucket."""
        ...

    def kubernetes_findings(self) -> list[CitedFinding]:
        """Return what the case's Kubernetes evidence shows."""
        ...

    def metric_changes(self) -> list[CitedChange]:
        """Return the ranked change points of the case's metrics."""
        ...

    def search_knowledge(self, query: str, limit: int) -> list[KnowledgeHit]:
        """Return runbooks, playbooks and past cases that match the query."""
        ...

    def checkpointer(self) -> AbstractContextManager[BaseCheckpointSaver[str] | None]:
        """Open where the conversation's state is kept between turns (None: not kept)."""
        ...
