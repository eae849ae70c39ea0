"""Read a log's physical lines as events, in order, in bounded memory, losing no line."""

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime, tzinfo
from itertools import chain, starmap

from faultmaven.domain.evidence import Level
from faultmaven.domain.logs import LogEvent
from faultmaven.logs.formats._base import Clock, FormatParser, ParsedLine
from faultmaven.logs.formats._generic import PlainParser
from faultmaven.logs.formats._multiline import Trace, continuation, starting_trace
from faultmaven.logs.formats._registry import FormatDetector, default_parsers

SAMPLE_LINES = 200
MAX_EVENT_LINES = 500
# The sample stops here even if most lines are blank, so memory stays bounded.
_MAX_SAMPLE_PHYSICAL_LINES = 2_000
_PLAIN = PlainParser()

EventFields = tuple[int, int, str, datetime | None, Level | None, str, Mapping[str, str]]
"""The fields of a `LogEvent`, in its order: a tuple costs a fraction of the object."""


class _Draft:
    """An event being assembled: its head and the physical lines that continue it."""

    __slots__ = ("end", "has_header", "head", "parts", "start", "trace", "traced")

    def __init__(self, start: int, end: int, head: ParsedLine) -> None:
        self.start = start
        self.end = end
        self.head = head
        self.parts = [head.message]
        self.has_header = head.format != "plain"
        self.trace = starting_trace(head.message)
        self.traced = self.trace is not Trace.NONE

    def fields(self) -> EventFields:
        """Return the finished event; trailing blank lines stay in its span, not its message."""
        parts = self.parts
        while len(parts) > 1 and (not parts[-1] or parts[-1].isspace()):
            parts.pop()
        head = self.head
        level = head.level
        if level is None and self.traced:
            level = Level.ERROR
        if head.message_follows and len(parts) > 1:
            parts = [parts[1].lstrip(), *parts[2:]]
        message = parts[0] if len(parts) == 1 else "\n".join(parts)
        return self.start, self.end, message, head.time, level, head.format, head.attributes


def _one_line_fields(number: int, head: ParsedLine) -> EventFields:
    """Return the event of line `number` alone, as `_Draft(number, number, head)` would."""
    level = head.level
    if level is None and starting_trace(head.message) is not Trace.NONE:
        level = Level.ERROR
    return number, number, head.message, head.time, level, head.format, head.attributes


class _Split:
    """A container runtime record split in parts (`P` ... `F`), waiting for its last part."""

    __slots__ = ("end", "parsed", "start")

    def __init__(self, start: int, parsed: ParsedLine) -> None:
        self.start = start
        self.end = start
        self.parsed = parsed

    def takes(self, parsed: ParsedLine) -> bool:
        """Tell whether `parsed` is the next part of this record (same runtime and stream)."""
        return parsed.format == self.parsed.format and parsed.attributes.get(
            "stream"
        ) == self.parsed.attributes.get("stream")


class EventReader:
    """Turn the physical lines of one log into LogEvents (see `read_events`)."""

    def __init__(
        self,
        *,
        default_tz: tzinfo = UTC,
        now: datetime | None = None,
        parsers: Sequence[FormatParser] | None = None,
        max_event_lines: int = MAX_EVENT_LINES,
        sample_lines: int = SAMPLE_LINES,
    ) -> None:
        self.clock = Clock(default_tz=default_tz, now=now)
        self.parsers = list(parsers) if parsers is not None else default_parsers()
        self.max_event_lines = max(1, max_event_lines)
        self.sample_lines = sample_lines
        self._preferred: list[FormatParser] = []
        self._others: list[FormatParser] = list(self.parsers)
        self._inner: list[FormatParser] = [p for p in self.parsers if p.name != "cri"]
        self._draft: _Draft | None = None
        self._split: _Split | None = None
        self._ready: list[EventFields] = []

    def read(self, lines: Iterable[str]) -> Iterator[LogEvent]:
        """Yield the events of `lines` (physical lines, numbered from 1) in order."""
        return starmap(LogEvent, self.read_fields(lines))

    def read_fields(self, lines: Iterable[str]) -> Iterator[EventFields]:
        """Yield the events of `lines` like `read`, each as the tuple of its fields."""
        iterator = iter(lines)
        sample: list[str] = []
        non_blank = 0
        for line in iterator:
            sample.append(line)
            non_blank += bool(line.strip())
            if non_blank >= self.sample_lines or len(sample) >= _MAX_SAMPLE_PHYSICAL_LINES:
                break
        self._preferred = FormatDetector(self.parsers, self.clock).rank(sample)
        self._others = [parser for parser in self.parsers if parser not in self._preferred]
        ready, preferred, clock = self._ready, self._preferred, self.clock
        # The event opened by the line before, while it is one line long: most events stay
        # so, and need no `_Draft` (it is made as soon as anything else happens).
        head_number, head = 0, None
        for number, line in enumerate(chain(sample, iterator), start=1):
            parsed = None
            if line and not line.isspace():
                for parser in preferred:  # `_other_start` may add to this very list
                    parsed = parser.parse(line, clock)
                    if parsed is not None:
                        break
            if parsed is not None and not parsed.wrapped and self._split is None:
                # The common case, kept inline: a line of a known layout opens an event.
                if head is not None:
                    yield _one_line_fields(head_number, head)
                elif self._draft is not None:
                    yield self._draft.fields()
                    self._draft = None
                head_number, head = number, parsed
                continue
            if head is not None:
                self._draft, head = _Draft(head_number, head_number, head), None
            self._place(number, line, parsed)
            if ready:
                yield from ready
                ready.clear()
        if head is not None:
            self._draft = _Draft(head_number, head_number, head)
        self._flush_split()
        if self._draft is not None:
            ready.append(self._draft.fields())
            self._draft = None
        yield from ready
        ready.clear()

    def _place(self, number: int, line: str, parsed: ParsedLine | None) -> None:
        """Place one physical line: start an event, continue one, or extend a split record."""
        if parsed is not None and parsed.wrapped:
            self._wrapped(number, parsed)
            return
        if self._split is not None:
            self._flush_split()
        if parsed is not None:
            self._start(_Draft(number, number, parsed))
        else:
            self._unrecognised(number, line)

    def _unrecognised(self, number: int, line: str) -> None:
        """Place a line none of the file's layouts reads: a continuation, or another layout."""
        draft = self._draft
        if draft is not None:
            trace = continuation(line, draft.trace, draft.has_header)
            if trace is not None and (
                not line or line[0] in " \t" or line.isspace() or self._other_start(line) is None
            ):
                self._extend(number, line, trace)
                return
        parsed = self._other_start(line, promote=True) or _PLAIN.parse(line, self.clock)
        if parsed.wrapped:
            self._wrapped(number, parsed)
        else:
            self._start(_Draft(number, number, parsed))

    def _other_start(self, line: str, *, promote: bool = False) -> ParsedLine | None:
        """Read `line` with the layouts not seen in the sample; adopt the one that reads it."""
        if not line or line.isspace():
            return None
        for parser in self._others:
            parsed = parser.parse(line, self.clock)
            if parsed is not None:
                if promote:
                    self._others.remove(parser)
                    self._preferred.append(parser)
                return parsed
        return None

    def _wrapped(self, number: int, parsed: ParsedLine) -> None:
        """Take a container runtime record, joining split parts before reading the output."""
        split = self._split
        if split is not None and split.takes(parsed):
            split.parsed.message += parsed.message
            split.end = number
            split.parsed.partial = parsed.partial
        else:
            self._flush_split()
            split = self._split = _Split(number, parsed)
        if not split.parsed.partial or split.end - split.start + 1 >= self.max_event_lines:
            self._flush_split()

    def _flush_split(self) -> None:
        """Place the pending container record, whole or not: its output continues or starts."""
        split = self._split
        if split is None:
            return
        self._split = None
        record = split.parsed
        output = record.message
        draft = self._draft
        if draft is not None and draft.head.format == record.format:
            trace = continuation(output, draft.trace, True)
            if trace is not None and (
                not output or output[0] in " \t" or self._inner_start(output) is None
            ):
                self._extend(split.end, output, trace, first=split.start)
                return
        inner = self._inner_start(output) or _PLAIN.parse(output, self.clock)
        head = ParsedLine(
            format=record.format,
            message=inner.message,
            time=record.time or inner.time,
            level=inner.level,
            attributes={**record.attributes, **inner.attributes},
        )
        self._start(_Draft(split.start, split.end, head))

    def _inner_start(self, output: str) -> ParsedLine | None:
        """Read a container's output line with any non-container layout (last match first)."""
        if not output or output.isspace():
            return None
        inner = self._inner
        for index, parser in enumerate(inner):
            parsed = parser.parse(output, self.clock)
            if parsed is not None:
                if index:
                    inner.insert(0, inner.pop(index))
                return parsed
        return None

    def _start(self, draft: _Draft) -> None:
        """Finish the current event and make `draft` the current one."""
        if self._draft is not None:
            self._ready.append(self._draft.fields())
        self._draft = draft

    def _extend(self, number: int, text: str, trace: Trace, first: int | None = None) -> None:
        """Add lines `first`..`number` (one record) to the current event, within the cap."""
        draft = self._draft
        assert draft is not None
        start = first if first is not None else number
        if number - draft.start + 1 > self.max_event_lines:
            head = draft.head
            follow_on = ParsedLine(
                format=head.format,
                message=text,
                time=head.time,
                level=head.level or (Level.ERROR if draft.traced else None),
                attributes=head.attributes,
            )
            successor = _Draft(start, number, follow_on)
            successor.has_header, successor.trace = draft.has_header, trace
            self._start(successor)
            return
        draft.parts.append(text)
        draft.end = number
        draft.trace = trace
        if trace is not Trace.NONE:
            draft.traced = True


def read_events(
    lines: Iterable[str],
    *,
    default_tz: tzinfo = UTC,
    now: datetime | None = None,
    max_event_lines: int = MAX_EVENT_LINES,
) -> Iterator[LogEvent]:
    """Read the physical lines of one log (numbered from 1) as LogEvents, in order.

    The layout is detected from the first lines and again for any line it does not
    read, so mixed files work. Every line belongs to exactly one event: stack traces,
    tracebacks and goroutine dumps join the event that opened them (at most
    `max_event_lines` lines each), blank lines join the event above. Times are aware
    UTC datetimes (`default_tz` for zone-less stamps, `now` for year-less ones).
    """
    reader = EventReader(default_tz=default_tz, now=now, max_event_lines=max_event_lines)
    return reader.read(lines)
