"""The events of one log file: read (formats, signatures), then settled (templates mined).

Reading is pure of the database and may run in a worker process: `read_event_chunks`
yields the events in chunks of compact columns with the first lines of their messages,
and `spool_event_chunks` writes those chunks to numbered files as it goes. Settling
(`EventSettler`) mines each chunk's templates and turns it into event rows encoded for
COPY, in the process that copies them, while the reader is already on later chunks.
"""

from __future__ import annotations

import pickle
import re
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from itertools import islice
from multiprocessing.connection import Connection as MessageConnection
from pathlib import Path
from typing import TYPE_CHECKING, Any

from faultmaven.domain.evidence import LEVEL_RANK, Level, is_problem_level
from faultmaven.domain.logs import LogEvent, TemplateAssignment
from faultmaven.logs.formats import EventFields, EventReader
from faultmaven.logs.templates import TemplateMiner
from faultmaven.logs.text import DecodedLines
from faultmaven.reasoning.signatures import BUILTIN_SIGNATURES, Signature, match_signature

if TYPE_CHECKING:  # the reading worker has no use for the database layer
    from faultmaven.store.logs import EventRowEncoder, TemplateTally

SIGNATURE_TEXT_CHARS = 4_000
EVENTS_PER_CHUNK = 50_000
ROWS_PER_BLOCK = 5_000
_NO_TIME = -(2**63)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_LEVELS = list(Level)
_QUIET_LEVELS = frozenset(level for level in Level if not is_problem_level(level))
_KEPT_LINES = 20_000
_REMEMBERED_AT_ONCE = 1_000
_LEVEL_VALUES: list[str | None] = [level.value for level in _LEVELS] + [None]  # rank -1 is last


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


def read_event_chunks(
    content: Path, default_tz: tzinfo, now: datetime | None = None
) -> Iterator[EventChunk]:
    """Read the events of `content` with their signatures, `EVENTS_PER_CHUNK` at a time.

    `now` is the moment year-less times are dated against (the wall clock by default).
    """
    recent = _RecentLines()
    with content.open("rb") as handle:
        reader = EventReader(default_tz=default_tz, now=now)
        events = reader.read_fields(recent.remembering(DecodedLines(handle)))
        while True:
            chunk = _read_chunk(events, recent)
            if not chunk.messages:
                return
            yield chunk


def _read_chunk(events: Iterator[EventFields], recent: _RecentLines) -> EventChunk:
    """Take up to `EVENTS_PER_CHUNK` events into one chunk (this loop runs per event)."""
    columns = EventColumns()
    messages: list[str] = []
    add_start, add_end = columns.starts.append, columns.ends.append
    add_time, add_level = columns.times.append, columns.levels.append
    add_signature, add_format = columns.signatures.append, columns.formats.append
    add_message, first_line_of, ranks = messages.append, recent.first_line_of, LEVEL_RANK
    quiet_levels, kept = _QUIET_LEVELS, recent.lines
    for start, end, message, when, level, log_format, _ in islice(events, EVENTS_PER_CHUNK):
        if len(kept) > _KEPT_LINES:
            recent.forget_before(start)
        add_start(start)
        add_end(end)
        add_time(_NO_TIME if when is None else (when - _EPOCH) // _MICROSECOND)
        if level is None:
            add_level(-1)
            add_signature(_signature(message, first_line_of(start)))
        else:
            add_level(ranks[level])
            quiet = level in quiet_levels
            add_signature(None if quiet else _signature(message, first_line_of(start)))
        add_format(log_format)
        newline = message.find("\n")
        add_message(message if newline < 0 else message[:newline])
    return EventChunk(columns, messages)


def chunk_path(folder: Path, index: int) -> Path:
    """Return where `spool_event_chunks` puts chunk number `index` once it is complete."""
    return folder / f"{index:06d}.chunk"


def spool_event_chunks(
    content: Path, default_tz: tzinfo, folder: Path, now: datetime | None = None
) -> int:
    """Write the event chunks of `content` to `folder`, each whole when it appears; count them."""
    count = 0
    for index, chunk in enumerate(read_event_chunks(content, default_tz, now)):
        partial = folder / f"{index:06d}.partial"
        with partial.open("wb") as file:
            pickle.dump(chunk, file, protocol=pickle.HIGHEST_PROTOCOL)
        partial.replace(chunk_path(folder, index))
        count += 1
    return count


def spool_and_report(
    content: Path,
    default_tz: tzinfo,
    folder: Path,
    outcome: MessageConnection,
    now: datetime | None = None,
) -> None:
    """Spool the events of `content` (in a worker process); send `(chunk count, error)` once.

    The function lives here, apart from the database layer, so that the worker that runs it
    imports none of it (about 30 MB).
    """
    try:
        report: tuple[int, BaseException | None] = (
            spool_event_chunks(content, default_tz, folder, now),
            None,
        )
    except Exception as error:  # handed to the process that waits for the chunks
        report = (0, error)
    try:
        outcome.send(report)
    except Exception as error:  # an exception that cannot be pickled
        outcome.send((0, RuntimeError(f"{type(report[1]).__name__}: {report[1]}; {error}")))
    finally:
        outcome.close()


def load_chunk(path: Path) -> EventChunk:
    """Read back a chunk `spool_event_chunks` wrote (a private file of this ingest)."""
    with path.open("rb") as file:
        chunk: EventChunk = pickle.load(file)
    return chunk


class EventSettler:
    """Give each chunk's events their templates, as COPY rows, and keep the template tallies."""

    def __init__(self, encoder: EventRowEncoder, miner_state: dict[str, Any] | None) -> None:
        self.miner = TemplateMiner.from_state(miner_state) if miner_state else TemplateMiner()
        self.events = 0
        self._encode = encoder.row
        self._tallies: dict[str, _Tally] = {}

    def settle(self, chunk: EventChunk) -> Iterator[bytes]:
        """Mine a chunk's messages together; yield its event rows, encoded for `copy_events`."""
        self.miner.extend(chunk.messages)
        assignments = self.miner.take_final_assignments()
        for start in range(0, len(assignments), ROWS_PER_BLOCK):
            yield self._rows(chunk.columns, assignments, start)

    def _rows(
        self, columns: EventColumns, assignments: list[TemplateAssignment], start: int
    ) -> bytes:
        tallies, encode, levels = self._tallies, self._encode, _LEVEL_VALUES
        stop = min(start + ROWS_PER_BLOCK, len(assignments))
        rows = []
        for line_start, line_end, when, rank, assignment, signature, log_format in zip(
            columns.starts[start:stop],
            columns.ends[start:stop],
            columns.times[start:stop],
            columns.levels[start:stop],
            assignments[start:stop],
            columns.signatures[start:stop],
            columns.formats[start:stop],
            strict=True,
        ):
            group = assignment.group
            tally = tallies.get(group)
            if tally is None:
                tally = tallies[group] = _Tally(assignment.template)
            tally.count += 1
            if rank > tally.worst:
                tally.worst = rank
            if when == _NO_TIME:
                rows.append(
                    encode(line_start, line_end, None, levels[rank], group, signature, log_format)
                )
                continue
            if tally.first == _NO_TIME or when < tally.first:
                tally.first = when
            if when > tally.last:  # `_NO_TIME` is below every time
                tally.last = when
            rows.append(
                encode(line_start, line_end, when, levels[rank], group, signature, log_format)
            )
        self.events += len(rows)
        return b"".join(rows)

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
    """The raw text of the lines an event may still need (its first line, for signatures).

    Events come in line order, so the lines before an event's first are dropped now and
    then (not at every event, which cost more than the rest of the bookkeeping).
    """

    def __init__(self) -> None:
        self._text: list[str] = []
        self._first_number = 1

    def remembering(self, lines: Iterable[str]) -> Iterator[str]:
        """Pass `lines` on, keeping each from before it is passed on."""
        iterator, remember = iter(lines), self._text.extend
        while batch := list(islice(iterator, _REMEMBERED_AT_ONCE)):
            remember(batch)
            yield from batch

    @property
    def lines(self) -> list[str]:
        """The kept lines, from the oldest an event may still need (the list is never replaced)."""
        return self._text

    def first_line_of(self, line_start: int) -> str:
        """Return the raw text of line `line_start` (the first line of an event)."""
        return self._text[line_start - self._first_number]

    def forget_before(self, line_start: int) -> None:
        """Drop the lines before `line_start`: the events to come start at it or later."""
        del self._text[: line_start - self._first_number]
        self._first_number = line_start


_Trie = dict[str, "_Trie"]


def _keyword_search(signatures: Iterable[Signature]) -> re.Pattern[str]:
    """Compile the signatures' keywords into one search, shaped as a trie of them.

    Every line a signature matches holds one of its keywords (`Signature.keywords`), so a
    lower-cased line this finds nothing in matches no signature. One trie-shaped pattern
    finds a keyword about three times faster than trying each keyword in turn.
    """
    words = [word for signature in signatures for word in signature.keywords or ("",)]
    trie: _Trie = {}
    for word in words:
        node = trie
        for character in word:
            node = node.setdefault(character, {})
        node[""] = {}
    return re.compile(_trie_pattern(trie))


def _trie_pattern(node: _Trie) -> str:
    """Return the pattern of a keyword trie's node; "" once a keyword ends there."""
    if "" in node:  # a keyword ends here: whatever follows, the line holds it
        return ""
    branches = [re.escape(character) + _trie_pattern(child) for character, child in node.items()]
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


_KEYWORDS = _keyword_search(BUILTIN_SIGNATURES)


def _signature(message: str, first_line: str) -> str | None:
    """Match failure signatures on an event that may be a problem (not plain INFO chatter).

    The raw first line is matched too: a header parse may move words into attributes.
    """
    rest = message.partition("\n")[2]
    text = f"{first_line}\n{rest}"[:SIGNATURE_TEXT_CHARS]
    if _KEYWORDS.search(text.lower()) is None:
        return None
    return match_signature(text)


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
