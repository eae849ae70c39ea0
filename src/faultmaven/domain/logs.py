"""What the log engine produces: events read from any log format, and their templates."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel

from faultmaven.domain.diagnosis import Citation
from faultmaven.domain.evidence import Level

WILDCARD = "<*>"


@dataclass(frozen=True, slots=True)
class LogEvent:
    """One event of a log: its first physical line and any continuation lines (a stack trace).

    `line_start`..`line_end` are the 1-based physical lines the event spans. `message` is
    the event's content with the header (time, level, host, program...) removed; for a
    multi-line event the continuation lines follow it, joined by a line feed. `format`
    names the layout the event was read as (`json`, `logfmt`, `syslog`, `access`, `cri`,
    `docker`, `journald`, `loghub`, `generic`, `plain`). `attributes` holds the header
    fields worth keeping (host, program, pid, service, pod, namespace, component, status...).
    """

    line_start: int
    line_end: int
    message: str
    time: datetime | None
    level: Level | None
    format: str
    attributes: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class TemplateAssignment:
    """A message's template (variables as `<*>`) and its group: a stable id derived from it."""

    template: str
    group: str


@dataclass(frozen=True, slots=True)
class TemplateOccurrence:
    """One event of a case's logs reduced to what anomaly detection needs.

    `text` is the event's first line (possibly shortened), for summaries and examples.
    """

    evidence_id: str
    evidence_name: str
    line_start: int
    line_end: int
    time: datetime | None
    level: Level | None
    group: str
    template: str
    text: str = ""


@dataclass(frozen=True, slots=True)
class TemplateStats:
    """How one template behaved over the evidence: how often, when, how bad, an example."""

    group: str
    template: str
    count: int
    first_seen: datetime | None
    last_seen: datetime | None
    worst_level: Level | None
    examples: tuple[TemplateOccurrence, ...]


class AnomalyKind(StrEnum):
    """The ways a template or the error rate can be abnormal."""

    NEW_TEMPLATE = "new_template"
    BURST = "burst"
    ERROR_RATE_CHANGE = "error_rate_change"
    CO_OCCURRENCE = "co_occurrence"


@dataclass(frozen=True, slots=True)
class Anomaly:
    """Something abnormal in the logs, with the events that show it.

    `score` orders anomalies (higher is more abnormal; comparable within one analysis).
    `groups` are the templates involved; `examples` are events to cite.
    """

    kind: AnomalyKind
    score: float
    description: str
    start: datetime | None
    end: datetime | None
    groups: tuple[str, ...]
    examples: tuple[TemplateOccurrence, ...]


class AbnormalItem(BaseModel):
    """One entry of "what is abnormal" as clients see it, with the lines that show it."""

    kind: AnomalyKind
    score: float
    description: str
    start: datetime | None
    end: datetime | None
    templates: list[str]
    citations: list[Citation]


class LogReport(BaseModel):
    """What the log engine says about a case's logs: what is abnormal, and a summary."""

    events: int
    templates: int
    abnormal: list[AbnormalItem]
    summary: str
