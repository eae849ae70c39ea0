"""The events of one log file: read (formats, signatures), then settled (templates mined).

Reading is pure of the database and may run in a worker process: `read_event_chunks`
yields the events in chunks of compact columns with the first lines of their messages,
and `spool_event_chunks` writes those chunks to numbered files as it goes. Settling
(`EventSettler`) mines each chunk's templates and turns it into event rows in COPY text
format, in the process that copies them, while the reader is already on later chunks.
"""

from __future__ import annotations

import pickle
from array import array
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

from faultmaven.domain.evidence import LEVEL_RANK, Level, is_problem_level
from faultmaven.domain.logs import LogEvent, TemplateAssignment
from faultmaven.logs.formats import read_events
from faultmaven.logs.templates import TemplateMiner
from faultmaven.logs.text import DecodedLines
from faultmaven.reasoning.signatures import match_signature

if TYPE_CHECKING:  # the reading worker has no use for the database layer
    from faultmaven.store.logs import TemplateTally

SIGNATURE_TEXT_CHARS = 4_000
EVENTS_PER_CHUNK = 50_000
ROWS_PER_BLOCK = 5_000
_NO_TIME = -(2**63)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_LEVELS = list(Level)
_NULL = r"\N"
_LEVEL_TEXT = [level.value for level in _LEVELS] + [_NULL]  # rank -1 (no level) is the last


@dataclass(frozen=True)
class SettledEvents:
    """What settling a file's events produced beside its event rows."""

    tallies: list[TemplateTally]
    regrouped: dict[str, str]
    miner_state: dict[str, Any]
    events: int


@dataclass
class EventChunk:
    """Consecutive events of a file, in columns, with the first line of each one's message."""

    columns: EventColumns
    messages: list[str]


def read_event_chunks(content: Path, default_tz: tzinfo) -> Iterator[EventChunk]:
    """Read the events of `content` with their signatures, `EVENTS_PER_CHUNK` at a time."""
    recent = _RecentLines()
    with content.open("rb") as handle:
        lines = recent.remembering(DecodedLines(handle))
        chunk = EventChunk(EventColumns(), [])
        for event in read_events(lines, default_tz=default_tz):
            chunk.columns.append(event, _signature(event, recent.first_line_of(event)))
            chunk.messages.append(_first_line(event.message))
            if len(chunk.messages) >= EVENTS_PER_CHUNK:
                yield chunk
                chunk = EventChunk(EventColumns(), [])
        if chunk.messages:
            yield chunk


def chunk_path(folder: Path, index: int) -> Path:
    """Return where `spool_event_chunks` puts chunk number `index` once it is complete."""
    return folder / f"{index:06d}.chunk"


def spool_event_chunks(content: Path, default_tz: tzinfo, folder: Path) -> int:
    """Write the event chunks of `content` to `folder`, each whole when it appears; count them."""
    count = 0
    for index, chunk in enumerate(read_event_chunks(content, default_tz)):
        partial = folder / f"{index:06d}.partial"
        with partial.open("wb") as file:
            pickle.dump(chunk, file, protocol=pickle.HIGHEST_PROTOCOL)
        partial.replace(chunk_path(folder, index))
        count += 1
    return count


def load_chunk(path: Path) -> EventChunk:
    """Read back a chunk `spool_event_chunks` wrote (a private file of this ingest)."""
    with path.open("rb") as file:
        chunk: EventChunk = pickle.load(file)
    return chunk


class EventSettler:
    """Give each chunk's events their templates, as COPY rows, and keep the template tallies."""

    def __init__(self, evidence_id: str, miner_state: dict[str, Any] | None) -> None:
        self.miner = TemplateMiner.from_state(miner_state) if miner_state else TemplateMiner()
        self.events = 0
        self._prefix = evidence_id + "\t"
        self._tallies: dict[str, _Tally] = {}
        self._time_text = _TimeText()

    def settle(self, chunk: EventChunk) -> Iterator[bytes]:
        """Mine a chunk's messages together; yield its event rows (`EVENT_COLUMNS` order)."""
        self.miner.extend(chunk.messages)
        assignments = self.miner.take_final_assignments()
        for start in range(0, len(assignments), ROWS_PER_BLOCK):
            yield self._rows(chunk.columns, assignments, start)

    def _rows(
        self, columns: EventColumns, assignments: list[TemplateAssignment], start: int
    ) -> bytes:
        tallies, time_text = self._tallies, self._time_text
        rows = []
        for index in range(start, min(start + ROWS_PER_BLOCK, len(assignments))):
            assignment = assignments[index]
            when, rank, group = columns.times[index], columns.levels[index], assignment.group
            tally = tallies.get(group)
            if tally is None:
                tally = tallies[group] = _Tally(assignment.template)
            tally.count += 1
            tally.widen(when)
            if rank > tally.worst:
                tally.worst = rank
            rows.append(
                f"{self._prefix}{columns.starts[index]}\t{columns.ends[index]}"
                f"\t{time_text(when)}\t{_LEVEL_TEXT[rank]}\t{group}"
                f"\t{columns.signatures[index] or _NULL}\t{columns.formats[index]}\n"
            )
        self.events += len(rows)
        return "".join(rows).encode()

    def finish(self) -> SettledEvents:
        """Fold templates a later chunk generalised into their successors; return the outcome."""
        moved: dict[str, str] = {}
        for group, tally in list(self._tallies.items()):
            now = self.miner.current(tally.template)
            if now.group == group:
                continue
            moved[group] = now.group
            del self._tallies[group]
            successor = self._tallies.setdefault(now.group, _Tally(now.template))
            successor.absorb(tally)
        tallies = [tally.row(group) for group, tally in self._tallies.items()]
        return SettledEvents(tallies, moved, self.miner.export_state(), self.events)


class _RecentLines:
    """The raw text of the lines an event may still need (its first line)."""

    def __init__(self) -> None:
        self._text: deque[str] = deque()
        self._first_number = 1

    def remembering(self, lines: Iterable[str]) -> Iterator[str]:
        remember = self._text.append
        for text in lines:
            remember(text)
            yield text

    def first_line_of(self, event: LogEvent) -> str:
        """Return an event's raw first line, forgetting the lines before it."""
        text = self._text
        while text and self._first_number < event.line_start:
            text.popleft()
            self._first_number += 1
        return text[0] if text and self._first_number == event.line_start else ""


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


@dataclass
class EventColumns:
    """Events in compact columns (no text), until the miner settles their templates."""

    starts: array[int] = field(default_factory=lambda: array("q"))
    ends: array[int] = field(default_factory=lambda: array("q"))
    times: array[int] = field(default_factory=lambda: array("q"))
    levels: array[int] = field(default_factory=lambda: array("b"))
    signatures: list[str | None] = field(default_factory=list)
    formats: list[str] = field(default_factory=list)

    def append(self, event: LogEvent, signature: str | None) -> None:
        """Add one event with the failure signature it matched, if any."""
        self.starts.append(event.line_start)
        self.ends.append(event.line_end)
        when = event.time
        self.times.append(_NO_TIME if when is None else (when - _EPOCH) // _MICROSECOND)
        self.levels.append(LEVEL_RANK[event.level] if event.level else -1)
        self.signatures.append(signature)
        self.formats.append(event.format)

    def __len__(self) -> int:
        return len(self.starts)

    def time(self, index: int) -> datetime | None:
        """Return an event's time (UTC), or None."""
        return _datetime(self.times[index])

    def level(self, index: int) -> Level | None:
        """Return an event's level, or None."""
        rank = self.levels[index]
        return _LEVELS[rank] if rank >= 0 else None


@dataclass
class _Tally:
    """One template's count, time span (microseconds) and worst level within one evidence."""

    template: str
    count: int = 0
    first: int = _NO_TIME
    last: int = _NO_TIME
    worst: int = -1

    def absorb(self, other: _Tally) -> None:
        self.count += other.count
        self.widen(other.first)
        self.widen(other.last)
        self.worst = max(self.worst, other.worst)

    def widen(self, when: int) -> None:
        if when != _NO_TIME:
            self.first = when if self.first == _NO_TIME or when < self.first else self.first
            self.last = when if self.last == _NO_TIME or when > self.last else self.last

    def row(self, group: str) -> TemplateTally:
        worst = _LEVELS[self.worst].value if self.worst >= 0 else None
        return group, self.template, self.count, _datetime(self.first), _datetime(self.last), worst


def _datetime(micros: int) -> datetime | None:
    return None if micros == _NO_TIME else _EPOCH + timedelta(microseconds=micros)


class _TimeText:
    """COPY text of event times, one `isoformat` per second rather than per event."""

    def __init__(self) -> None:
        self._seconds: dict[int, str] = {}

    def __call__(self, micros: int) -> str:
        if micros == _NO_TIME:
            return _NULL
        second, micro = divmod(micros, 1_000_000)
        stamp = self._seconds.get(second)
        if stamp is None:
            if len(self._seconds) >= 100_000:
                self._seconds.clear()
            stamp = (_EPOCH + timedelta(seconds=second)).isoformat()[:-6]  # without +00:00
            self._seconds[second] = stamp
        return f"{stamp}.{micro:06d}+00:00" if micro else f"{stamp}+00:00"
