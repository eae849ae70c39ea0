"""Templates of one log file, line by line: the `faultmaven templates` use case.

Two passes: every event's message goes to the miner first, so each line can then be
given its event's FINAL template, the one it has after the whole file was seen.
"""

from __future__ import annotations

import gzip
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import BinaryIO

from faultmaven.domain.errors import InvalidInputError
from faultmaven.domain.evidence import Level
from faultmaven.domain.logs import LogEvent
from faultmaven.logs.formats import read_events
from faultmaven.logs.headers import HeaderFormat
from faultmaven.logs.severity import find_level
from faultmaven.logs.templates import TemplateCount, TemplateMiner
from faultmaven.logs.text import DecodedLines
from faultmaven.logs.timestamps import find_timestamp
from faultmaven.services.log_events import EventColumns

MINING_CHUNK = 50_000


@dataclass(frozen=True, slots=True)
class LineTemplate:
    """One physical line with its event's final template, time and level."""

    line: int
    template: str
    group: str
    time: datetime | None
    level: Level | None


def template_file(
    path: Path,
    *,
    log_format: str | None = None,
    per_line: bool = False,
    default_tz: tzinfo = UTC,
) -> tuple[Iterator[LineTemplate], list[TemplateCount]]:
    """Mine the templates of `path`; return each line's final template and the template counts.

    `log_format` is a Loghub `<Field>` layout whose `<Content>` is the message; `per_line`
    makes every physical line its own event (benchmark mode).
    """
    header = _header_format(log_format)
    miner = TemplateMiner()
    spans = EventColumns()
    with _open(path) as handle:
        events = _events(DecodedLines(handle), header, per_line, default_tz)
        for chunk in _chunks(events, spans):
            miner.add_batch(chunk)
    miner.flush()
    return _line_templates(miner, spans), miner.templates()


def _header_format(log_format: str | None) -> HeaderFormat | None:
    if not log_format:
        return None
    try:
        return HeaderFormat.parse(log_format)
    except (ValueError, re.error) as error:
        raise InvalidInputError(f"unusable --log-format {log_format!r}: {error}") from None


def _open(path: Path) -> BinaryIO:
    """Open a log, a gzip of one, or a zip holding exactly one file, as a byte stream."""
    if not path.is_file():
        raise InvalidInputError(f"{path} is not a file")
    with path.open("rb") as probe:
        magic = probe.read(4)
    if magic[:2] == b"\x1f\x8b":
        return gzip.open(path, "rb")  # type: ignore[return-value]
    if magic == b"PK\x03\x04":
        return _only_member(path)
    return path.open("rb")


def _only_member(path: Path) -> BinaryIO:
    """Stream the single file inside a zip; several would make line numbers ambiguous."""
    try:
        archive = zipfile.ZipFile(path)
        members = [info for info in archive.infolist() if not info.is_dir()]
    except (zipfile.BadZipFile, OSError) as error:
        raise InvalidInputError(f"{path} is not a readable zip: {error}") from None
    if len(members) != 1:
        names = ", ".join(info.filename for info in members[:5]) or "nothing"
        raise InvalidInputError(
            f"{path} holds {len(members)} files ({names}); give one log (unzip it first)"
        )
    try:
        return archive.open(members[0])  # type: ignore[return-value]
    except (RuntimeError, NotImplementedError, zipfile.BadZipFile) as error:
        raise InvalidInputError(f"{path}: cannot read {members[0].filename}: {error}") from None


def _events(
    lines: Iterable[str], header: HeaderFormat | None, per_line: bool, default_tz: tzinfo
) -> Iterator[LogEvent]:
    if header is not None:
        return _events_by_format(lines, header, per_line, default_tz)
    return read_events(lines, default_tz=default_tz, max_event_lines=1 if per_line else 500)


def _events_by_format(
    lines: Iterable[str], header: HeaderFormat, per_line: bool, default_tz: tzinfo
) -> Iterator[LogEvent]:
    """Read events with a given header layout; a line it does not fit continues the event above."""
    current: LogEvent | None = None
    for number, text in enumerate(lines, start=1):
        split = header.split(text)
        if split is None and current is not None and not per_line:
            current = LogEvent(
                current.line_start, number, current.message, current.time, current.level, "loghub"
            )
            continue
        if current is not None:
            yield current
        fields, content = split if split is not None else ({}, text.strip())
        level_field = fields.get("Level", "")
        current = LogEvent(
            line_start=number,
            line_end=number,
            message=content,
            time=find_timestamp(text, default_tz),
            level=find_level(level_field) if level_field else find_level(text),
            format="loghub",
        )
    if current is not None:
        yield current


def _chunks(events: Iterable[LogEvent], spans: EventColumns) -> Iterator[list[str]]:
    chunk: list[str] = []
    for event in events:
        spans.append(event, None)
        chunk.append(event.message)
        if len(chunk) >= MINING_CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _line_templates(miner: TemplateMiner, spans: EventColumns) -> Iterator[LineTemplate]:
    line = 1
    for index, assignment in enumerate(miner.final_assignments()):
        time, level = spans.time(index), spans.level(index)
        while line <= spans.ends[index]:
            yield LineTemplate(line, assignment.template, assignment.group, time, level)
            line += 1
