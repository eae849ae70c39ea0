"""Settling the events of one log file: formats read, templates mined, signatures matched.

Pure of the database: it reads the decoded file and writes the event rows, in COPY text
format, to a spool file, so it can run in a worker process beside the one that copies the
lines. What it returns (template tallies, regrouped templates, the miner's new state) is
plain, picklable data.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import IO, Any

from faultmaven.domain.evidence import LEVEL_RANK, Level, is_problem_level
from faultmaven.domain.logs import LogEvent, TemplateAssignment
from faultmaven.logs.formats import read_events
from faultmaven.logs.templates import TemplateMiner
from faultmaven.logs.text import DecodedLines
from faultmaven.reasoning.signatures import match_signature
from faultmaven.store.logs import TemplateTally

SIGNATURE_TEXT_CHARS = 4_000
EVENTS_PER_CHUNK = 50_000
_NO_TIME = float("nan")
_LEVELS = list(Level)


@dataclass(frozen=True)
class SettledEvents:
    """What settling a file's events produced beside the spool file of event rows."""

    tallies: list[TemplateTally]
    regrouped: dict[str, str]
    miner_state: dict[str, Any]
    events: int


def settle_events(
    content: Path,
    evidence_id: str,
    miner_state: dict[str, Any] | None,
    default_tz: tzinfo,
    spool: Path,
) -> SettledEvents:
    """Read the events of `content`, give each its final template, write their rows to `spool`."""
    miner = TemplateMiner.from_state(miner_state) if miner_state else TemplateMiner()
    recent = _RecentLines()
    count = 0
    with content.open("rb") as handle, _EventSpool(evidence_id, spool) as rows:
        lines = recent.remembering(DecodedLines(handle))
        chunk = EventColumns()
        for event in read_events(lines, default_tz=default_tz):
            count += 1
            chunk.append(event, _signature(event, recent.first_line_of(event)))
            miner.add(_first_line(event.message))
            if len(chunk) >= EVENTS_PER_CHUNK:
                rows.settle(chunk, miner.take_final_assignments())
                chunk = EventColumns()
        rows.settle(chunk, miner.take_final_assignments())
        regrouped = rows.regrouped(miner)
        tallies = [tally.row(group) for group, tally in rows.tallies.items()]
    return SettledEvents(tallies, regrouped, miner.export_state(), count)


class _RecentLines:
    """The raw text of the lines an event may still need (its first line)."""

    def __init__(self) -> None:
        self._text: dict[int, str] = {}

    def remembering(self, lines: Iterable[str]) -> Iterator[str]:
        for number, text in enumerate(lines, start=1):
            self._text[number] = text
            yield text

    def first_line_of(self, event: LogEvent) -> str:
        """Return an event's raw first line, forgetting the lines before it."""
        for number in [n for n in self._text if n < event.line_start]:
            del self._text[number]
        return self._text.get(event.line_start, "")


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
    times: array[float] = field(default_factory=lambda: array("d"))
    levels: array[int] = field(default_factory=lambda: array("b"))
    signatures: list[str | None] = field(default_factory=list)
    formats: list[str] = field(default_factory=list)

    def append(self, event: LogEvent, signature: str | None) -> None:
        """Add one event with the failure signature it matched, if any."""
        self.starts.append(event.line_start)
        self.ends.append(event.line_end)
        self.times.append(event.time.timestamp() if event.time else _NO_TIME)
        self.levels.append(LEVEL_RANK[event.level] if event.level else -1)
        self.signatures.append(signature)
        self.formats.append(event.format)

    def __len__(self) -> int:
        return len(self.starts)

    def time(self, index: int) -> datetime | None:
        """Return an event's time (UTC), or None."""
        value = self.times[index]
        return None if value != value else datetime.fromtimestamp(value, tz=UTC)

    def level(self, index: int) -> Level | None:
        """Return an event's level, or None."""
        rank = self.levels[index]
        return _LEVELS[rank] if rank >= 0 else None


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

    def __init__(self, evidence_id: str, path: Path) -> None:
        self.evidence_id = evidence_id
        self.file: IO[bytes] = path.open("wb")
        self.tallies: dict[str, _Tally] = {}

    def __enter__(self) -> _EventSpool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.file.close()

    def settle(self, chunk: EventColumns, assignments: list[TemplateAssignment]) -> None:
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
