"""Reading one evidence into the database: lines, events with templates, the case's templates.

One pass over the file: every line is copied as it is read; every event goes to the case's
template miner. Events are settled a chunk at a time (the miner mines each chunk's new
shapes) and spooled to a temporary file, then loaded with COPY once the lines are in; a
template a later chunk generalised is updated at the end. Memory stays bounded whatever
the size of the file.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from typing import IO, BinaryIO

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
EVENTS_PER_CHUNK = 50_000
_NO_TIME = float("nan")
_LEVELS = list(Level)
LineRow = tuple[uuid.UUID, int, str]


@dataclass
class _Chunk:
    """The events of one chunk in compact columns, until the miner settles their templates."""

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

    def __len__(self) -> int:
        return len(self.starts)

    def time(self, index: int) -> datetime | None:
        value = self.times[index]
        return None if value != value else datetime.fromtimestamp(value, tz=UTC)


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
        self._widen(when)
        self.worst = max(self.worst, level_rank)

    def absorb(self, other: _Tally) -> None:
        self.count += other.count
        self._widen(other.first)
        self._widen(other.last)
        self.worst = max(self.worst, other.worst)

    def _widen(self, when: datetime | None) -> None:
        if when is not None:
            self.first = when if self.first is None or when < self.first else self.first
            self.last = when if self.last is None or when > self.last else self.last

    def row(self, group: str) -> TemplateTally:
        worst = _LEVELS[self.worst].value if self.worst >= 0 else None
        return group, self.template, self.count, self.first, self.last, worst


class _EventSpool:
    """Settled event rows in COPY text format on disk, and the templates they used."""

    def __init__(self, evidence_id: uuid.UUID) -> None:
        self.evidence_id = str(evidence_id)
        self.file: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - closed by __exit__
        self.tallies: dict[str, _Tally] = {}

    def __enter__(self) -> _EventSpool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.file.close()

    def settle(self, chunk: _Chunk, assignments: list[TemplateAssignment]) -> None:
        lines = []
        for index, assignment in enumerate(assignments):
            when = chunk.time(index)
            rank = chunk.levels[index]
            tally = self.tallies.get(assignment.group)
            if tally is None:
                tally = self.tallies[assignment.group] = _Tally(assignment.template)
            tally.add(when, rank)
            lines.append(
                "\t".join(
                    (
                        self.evidence_id,
                        str(chunk.starts[index]),
                        str(chunk.ends[index]),
                        when.isoformat() if when else r"\N",
                        _LEVELS[rank].value if rank >= 0 else r"\N",
                        assignment.group,
                        chunk.signatures[index] or r"\N",
                        chunk.formats[index],
                    )
                )
            )
        if lines:
            self.file.write(("\n".join(lines) + "\n").encode())

    def regrouped(self, miner: TemplateMiner) -> dict[str, str]:
        """Fold templates a later chunk generalised into their successors; return old -> new."""
        moved: dict[str, str] = {}
        for group, tally in list(self.tallies.items()):
            now = miner.current(tally.template)
            if now.group == group:
                continue
            moved[group] = now.group
            del self.tallies[group]
            successor = self.tallies.setdefault(now.group, _Tally(now.template))
            successor.absorb(tally)
        return moved


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
    recent = _RecentLines()
    lines = _numbered(decoded, evidence_id, recent, _progress_of(progress, name, content))
    with _EventSpool(evidence_id) as spool:
        line_rows = _line_rows_while_reading(
            read_events(lines, default_tz=default_tz), recent, spool, miner
        )
        log_store.copy_rows(connection, "evidence_lines", log_store.LINE_COLUMNS, line_rows)
        spool.file.seek(0)
        log_store.copy_text(connection, "log_events", log_store.EVENT_COLUMNS, spool.file)
    for old, new in spool.regrouped(miner).items():
        log_store.regroup_events(connection, evidence_id, old, new)
    log_store.merge_templates(connection, case_id, [t.row(g) for g, t in spool.tallies.items()])
    log_store.save_miner_state(connection, case_id, miner.export_state())
    log_store.refresh_statistics(connection)
    return decoded


class _RecentLines:
    """The line rows read but not yet copied, and the raw text of lines still needed."""

    def __init__(self) -> None:
        self.pending: list[LineRow] = []
        self._text: dict[int, str] = {}

    def take(self) -> list[LineRow]:
        rows = self.pending
        self.pending = []
        self._text.update((number, text) for _, number, text in rows)
        return rows

    def first_line_of(self, event: LogEvent) -> str:
        """Return an event's raw first line, forgetting the lines before it."""
        for number in [n for n in self._text if n < event.line_start]:
            del self._text[number]
        return self._text.get(event.line_start, "")


def _numbered(
    decoded: DecodedLines,
    evidence_id: uuid.UUID,
    recent: _RecentLines,
    on_progress: Callable[[int], None],
) -> Iterator[str]:
    """Yield the decoded lines, keeping each as a row to copy."""
    for number, text in enumerate(decoded, start=1):
        recent.pending.append((evidence_id, number, text))
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


def _line_rows_while_reading(
    events: Iterable[LogEvent], recent: _RecentLines, spool: _EventSpool, miner: TemplateMiner
) -> Iterator[LineRow]:
    """Feed each event to the miner, settle events a chunk at a time, yield the line rows."""
    chunk = _Chunk()
    for event in events:
        yield from recent.take()
        chunk.append(event, _signature(event, recent.first_line_of(event)))
        miner.add(_first_line(event.message))
        if len(chunk) >= EVENTS_PER_CHUNK:
            spool.settle(chunk, miner.take_final_assignments())
            chunk = _Chunk()
    yield from recent.take()
    spool.settle(chunk, miner.take_final_assignments())


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
