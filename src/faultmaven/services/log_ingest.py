"""Reading one evidence into the database: lines, events with templates, the case's templates.

One pass over the file: every line is copied as it is read, every event goes to the
case's template miner; the events are written once the miner has settled their final
templates, so each row carries the template its event ends up with.
"""

from __future__ import annotations

import os
import uuid
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from typing import BinaryIO

from sqlalchemy import Connection

from faultmaven.domain.evidence import LEVEL_RANK, Level, is_problem_level
from faultmaven.domain.logs import LogEvent, TemplateAssignment
from faultmaven.logs.formats import read_events
from faultmaven.logs.templates import TemplateMiner
from faultmaven.logs.text import DecodedLines
from faultmaven.reasoning.signatures import match_signature
from faultmaven.store import logs as log_store
from faultmaven.store.logs import TemplateTally

ReadProgress = Callable[[str, int, int], None]
"""Told `(evidence name, bytes read, total bytes)` now and then while a file is read."""

PROGRESS_EVERY_LINES = 20_000
SIGNATURE_TEXT_CHARS = 4_000
_NO_TIME = float("nan")
_LEVELS = list(Level)


@dataclass
class _Events:
    """The events of one evidence in compact columns, until their templates are final."""

    starts: array[int] = field(default_factory=lambda: array("q"))
    ends: array[int] = field(default_factory=lambda: array("q"))
    times: array[float] = field(default_factory=lambda: array("d"))
    levels: array[int] = field(default_factory=lambda: array("b"))
    signatures: list[str | None] = field(default_factory=list)
    formats: list[str] = field(default_factory=list)

    def append(self, event: LogEvent, signature: str | None) -> None:
        self.starts.append(event.line_start)
        self.ends.append(event.line_end)
        self.times.append(event.time.timestamp() if event.time else _NO_TIME)
        self.levels.append(LEVEL_RANK[event.level] if event.level else -1)
        self.signatures.append(signature)
        self.formats.append(event.format)

    def time(self, index: int) -> datetime | None:
        value = self.times[index]
        return None if value != value else datetime.fromtimestamp(value, tz=UTC)

    def level(self, index: int) -> Level | None:
        rank = self.levels[index]
        return _LEVELS[rank] if rank >= 0 else None


def store_log(
    connection: Connection,
    case_id: uuid.UUID,
    evidence_id: uuid.UUID,
    name: str,
    content: BinaryIO,
    default_tz: tzinfo,
    progress: ReadProgress | None = None,
) -> DecodedLines:
    """Store the lines and events of one evidence; return the decoder with its counts.

    The caller holds the case's row lock, so two uploads to one case take turns with
    the case's miner state.
    """
    state = log_store.load_miner_state(connection, case_id)
    miner = TemplateMiner.from_state(state) if state else TemplateMiner()
    decoded = DecodedLines(content)
    events = _Events()
    pending: list[tuple[uuid.UUID, int, str]] = []
    lines = _numbered(decoded, evidence_id, pending, _progress_of(progress, name, content))
    line_rows = _line_rows_while_reading(
        read_events(lines, default_tz=default_tz), _RecentLines(pending), events, miner
    )
    log_store.copy_rows(connection, "evidence_lines", log_store.LINE_COLUMNS, line_rows)
    miner.flush()
    finals = miner.final_assignments()
    log_store.copy_rows(
        connection, "log_events", log_store.EVENT_COLUMNS, _event_rows(evidence_id, events, finals)
    )
    log_store.merge_templates(connection, case_id, _tallies(events, finals))
    log_store.save_miner_state(connection, case_id, miner.export_state())
    return decoded


def _numbered(
    decoded: DecodedLines,
    evidence_id: uuid.UUID,
    pending: list[tuple[uuid.UUID, int, str]],
    on_progress: Callable[[int], None],
) -> Iterator[str]:
    """Yield the decoded lines, keeping each as a row to copy."""
    for number, text in enumerate(decoded, start=1):
        pending.append((evidence_id, number, text))
        if number % PROGRESS_EVERY_LINES == 0:
            on_progress(number)
        yield text
    on_progress(-1)


def _progress_of(
    progress: ReadProgress | None, name: str, content: BinaryIO
) -> Callable[[int], None]:
    if progress is None:
        return lambda _: None
    total = os.fstat(content.fileno()).st_size

    def report(line_number: int) -> None:
        progress(name, total if line_number < 0 else content.tell(), total)

    return report


class _RecentLines:
    """The line rows read but not yet copied, and the raw text of lines still needed."""

    def __init__(self, pending: list[tuple[uuid.UUID, int, str]]) -> None:
        self.pending = pending
        self._text: dict[int, str] = {}

    def take(self) -> list[tuple[uuid.UUID, int, str]]:
        rows = list(self.pending)
        self.pending.clear()
        self._text.update((number, text) for _, number, text in rows)
        return rows

    def first_line_of(self, event: LogEvent) -> str:
        """Return an event's raw first line, forgetting the lines before it."""
        for number in [n for n in self._text if n < event.line_start]:
            del self._text[number]
        return self._text.get(event.line_start, "")


def _line_rows_while_reading(
    events: Iterable[LogEvent], recent: _RecentLines, columns: _Events, miner: TemplateMiner
) -> Iterator[tuple[uuid.UUID, int, str]]:
    """Feed each event to the miner and yield the line rows read meanwhile."""
    for event in events:
        yield from recent.take()
        columns.append(event, _signature(event, recent.first_line_of(event)))
        miner.add(_first_line(event.message))
    yield from recent.take()


def _first_line(message: str) -> str:
    end = message.find("\n")
    return message if end < 0 else message[:end]


def _signature(event: LogEvent, first_line: str) -> str | None:
    """Match failure signatures on events that may be problems (not on plain INFO chatter).

    The raw first line is matched too: a header parse may move words into attributes.
    """
    if event.level is not None and not is_problem_level(event.level):
        return None
    rest = event.message.partition("\n")[2]
    return match_signature(f"{first_line}\n{rest}"[:SIGNATURE_TEXT_CHARS])


def _event_rows(
    evidence_id: uuid.UUID, events: _Events, finals: list[TemplateAssignment]
) -> Iterator[tuple[object, ...]]:
    for index, assignment in enumerate(finals):
        level = events.level(index)
        yield (
            evidence_id,
            events.starts[index],
            events.ends[index],
            events.time(index),
            level.value if level else None,
            assignment.group,
            events.signatures[index],
            events.formats[index],
        )


@dataclass
class _Tally:
    """One template's count, time span and worst level within one evidence."""

    template: str
    count: int = 0
    first: datetime | None = None
    last: datetime | None = None
    worst: int = -1

    def add(self, when: datetime | None, level_rank: int) -> None:
        self.count += 1
        if when is not None:
            self.first = when if self.first is None or when < self.first else self.first
            self.last = when if self.last is None or when > self.last else self.last
        self.worst = max(self.worst, level_rank)


def _tallies(events: _Events, finals: list[TemplateAssignment]) -> list[TemplateTally]:
    """Count each template's events, time span and worst level in this evidence."""
    tallies: dict[str, _Tally] = {}
    for index, assignment in enumerate(finals):
        tally = tallies.get(assignment.group)
        if tally is None:
            tally = tallies[assignment.group] = _Tally(assignment.template)
        tally.add(events.time(index), events.levels[index])
    return [
        (
            group,
            tally.template,
            tally.count,
            tally.first,
            tally.last,
            _LEVELS[tally.worst].value if tally.worst >= 0 else None,
        )
        for group, tally in tallies.items()
    ]
