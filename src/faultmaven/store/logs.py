"""Lines, log events, templates and the template miner's state of a case, in the database.

Lines and events are bulk-loaded with COPY; everything a question needs later is read
back from here, so no evidence is ever parsed twice.
"""

import struct
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from psycopg import Copy, Cursor
from sqlalchemy import Connection, Row, func, select, text, update
from sqlalchemy.dialects.postgresql import insert

from faultmaven.domain.evidence import AnalysedLine, Evidence, EvidenceSummary, Level
from faultmaven.domain.logs import TemplateOccurrence
from faultmaven.store.tables import (
    case_miner_states,
    case_templates,
    evidence,
    evidence_lines,
    log_events,
)

NOTABLE_LEVELS = (Level.WARN.value, Level.ERROR.value, Level.FATAL.value)
# An undated event takes the time of a dated one at most this many lines above it.
HEADER_LOOKBACK_LINES = 8
LINE_COLUMNS = "evidence_id, n, text"
EVENT_COLUMNS = "evidence_id, line_start, line_end, time, level, grp, signature, format"

_COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + bytes(8)  # signature, flags, no header extension
_COPY_TRAILER = b"\xff\xff"
_NULL_FIELD = b"\xff\xff\xff\xff"
_POSTGRES_EPOCH_MICROS = 946_684_800_000_000  # 2000-01-01 UTC, in Unix microseconds
_EVENT_FIELDS = 8
_MAX_CACHED_TAILS = 100_000
_LINES_PER_BLOCK = 2_000

TemplateTally = tuple[str, str, int, datetime | None, datetime | None, str | None]
"""`(group, template, count, first seen, last seen, worst level)` of one evidence."""

_MERGE_TEMPLATES = text(
    """
    INSERT INTO case_templates AS known
        (case_id, grp, template, count, first_seen, last_seen, worst_level)
    VALUES (:case_id, :grp, :template, :count, :first_seen, :last_seen, :worst_level)
    ON CONFLICT (case_id, grp) DO UPDATE SET
        count = known.count + excluded.count,
        first_seen = LEAST(known.first_seen, excluded.first_seen),
        last_seen = GREATEST(known.last_seen, excluded.last_seen),
        worst_level = CASE
            WHEN array_position(:levels, excluded.worst_level)
                 > coalesce(array_position(:levels, known.worst_level), 0)
            THEN excluded.worst_level ELSE known.worst_level END
    """
)


def copy_lines(connection: Connection, evidence_id: uuid.UUID, lines: Iterable[str]) -> int:
    """Bulk-load an evidence's lines, numbered from 1; return how many were written.

    `lines` may be a generator that does other work between lines (reading the file). The
    rows are encoded here in COPY binary format, a block at a time: the same bytes the
    driver writes for each row, for a third of its work.
    """
    written = 0
    head = struct.pack(">hi", 3, 16) + evidence_id.bytes + struct.pack(">i", 4)
    number_and_size = struct.Struct(">ii").pack
    with _copying(connection, evidence_id, "evidence_lines", LINE_COLUMNS, binary=True) as copy:
        copy.write(_COPY_HEADER)
        block: list[bytes] = []
        add = block.append
        for written, text in enumerate(lines, start=1):
            data = text.encode()
            add(head + number_and_size(written, len(data)) + data)
            if len(block) >= _LINES_PER_BLOCK:
                copy.write(b"".join(block))
                block.clear()
        copy.write(b"".join(block))
        copy.write(_COPY_TRAILER)
    return written


def copy_events(connection: Connection, evidence_id: uuid.UUID, blocks: Iterable[bytes]) -> None:
    """Bulk-load an evidence's events, given as blocks of rows an `EventRowEncoder` encoded.

    `blocks` may be a generator that does other work between blocks (mining templates).
    """
    with _copying(connection, evidence_id, "log_events", EVENT_COLUMNS, binary=True) as copy:
        copy.write(_COPY_HEADER)
        for block in blocks:
            copy.write(block)
        copy.write(_COPY_TRAILER)


class EventRowEncoder:
    """Encode one evidence's event rows in COPY binary format, for `copy_events`.

    Binary rows spare PostgreSQL parsing each number and timestamp from text, which cost it
    about as much as storing the row. The text fields of a row repeat (a few levels,
    formats and signatures, a file's templates), so their encoding is kept per combination.
    """

    def __init__(self, evidence_id: uuid.UUID) -> None:
        self._head = struct.pack(">hi", _EVENT_FIELDS, 16) + evidence_id.bytes
        self._timed = struct.Struct(">iiiiiq").pack
        self._untimed = struct.Struct(">iiiii").pack
        self._tails: dict[tuple[str | None, str, str | None, str], bytes] = {}

    def row(
        self,
        line_start: int,
        line_end: int,
        time: int | None,
        level: str | None,
        group: str,
        signature: str | None,
        log_format: str,
    ) -> bytes:
        """Encode one event; `time` is in microseconds since the Unix epoch (UTC), or None."""
        key = (level, group, signature, log_format)
        tail = self._tails.get(key)
        if tail is None:
            tail = self._tail(key)
        if time is None:
            span = self._untimed(4, line_start, 4, line_end, -1)
        else:
            span = self._timed(4, line_start, 4, line_end, 8, time - _POSTGRES_EPOCH_MICROS)
        return self._head + span + tail

    def _tail(self, key: tuple[str | None, str, str | None, str]) -> bytes:
        if len(self._tails) >= _MAX_CACHED_TAILS:
            self._tails.clear()
        tail = self._tails[key] = b"".join(map(_text_field, key))
        return tail


def _text_field(value: str | None) -> bytes:
    if value is None:
        return _NULL_FIELD
    data = value.encode()
    return struct.pack(">i", len(data)) + data


@contextmanager
def _copying(
    connection: Connection, evidence_id: uuid.UUID, table: str, columns: str, *, binary: bool
) -> Iterator[Copy]:
    """Run one COPY of rows that belong to `evidence_id`.

    Checking the foreign key of every row costs PostgreSQL about as much as storing it. When
    the role may, the check is made once instead: the evidence row is locked as each row's
    check would lock it (so it cannot go away before this transaction ends) and the per-row
    checks are off for this COPY alone (`session_replication_role`, as pg_restore does). These
    tables have no other triggers. Without the evidence row the rows are checked, and refused.
    """
    driver_connection = connection.connection.driver_connection
    assert driver_connection is not None
    statement = f"COPY {table} ({columns}) FROM STDIN" + (" (FORMAT BINARY)" if binary else "")
    with driver_connection.cursor() as cursor:
        role = _checks_off(cursor, evidence_id)
        with cursor.copy(statement) as copy:
            yield copy
        if role is not None:
            cursor.execute("SELECT set_config('session_replication_role', %s, true)", (role,))


def _checks_off(cursor: Cursor[Any], evidence_id: uuid.UUID) -> str | None:
    """Lock the evidence row and turn row triggers off; return the role to restore, or None."""
    cursor.execute(
        "SELECT current_setting('is_superuser') = 'on', current_setting('session_replication_role')"
    )
    allowed, role = cursor.fetchone() or (False, "")
    if not allowed:
        return None
    cursor.execute("SELECT FROM evidence WHERE id = %s FOR KEY SHARE", (evidence_id,))
    if cursor.fetchone() is None:
        return None
    cursor.execute("SET LOCAL session_replication_role = replica")
    return str(role)


def regroup_events(
    connection: Connection, evidence_id: uuid.UUID, old_group: str, new_group: str
) -> None:
    """Move one evidence's events from a template to the one that generalised it."""
    connection.execute(
        update(log_events)
        .where(log_events.c.evidence_id == evidence_id, log_events.c.grp == old_group)
        .values(grp=new_group)
    )


def load_miner_state(connection: Connection, case_id: uuid.UUID) -> dict[str, Any] | None:
    """Return the case's template miner state, or None before its first log."""
    state: dict[str, Any] | None = connection.execute(
        select(case_miner_states.c.state).where(case_miner_states.c.case_id == case_id)
    ).scalar_one_or_none()
    return state


def save_miner_state(connection: Connection, case_id: uuid.UUID, state: dict[str, Any]) -> None:
    """Keep the case's template miner state for the next evidence."""
    statement = insert(case_miner_states).values(
        case_id=case_id, state=state, updated_at=datetime.now(UTC)
    )
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=["case_id"],
            set_={"state": statement.excluded.state, "updated_at": statement.excluded.updated_at},
        )
    )


def merge_templates(
    connection: Connection, case_id: uuid.UUID, tallies: Iterable[TemplateTally]
) -> None:
    """Add one evidence's template counts and time spans to the case's templates."""
    levels = [level.value for level in Level]
    rows = [
        {
            "case_id": case_id,
            "grp": grp,
            "template": template,
            "count": count,
            "first_seen": first_seen,
            "last_seen": last_seen,
            "worst_level": worst_level,
            "levels": levels,
        }
        for grp, template, count, first_seen, last_seen, worst_level in tallies
    ]
    if rows:
        connection.execute(_MERGE_TEMPLATES, rows)


def _is_notable() -> Any:
    return log_events.c.level.in_(NOTABLE_LEVELS) | log_events.c.signature.is_not(None)


def dated_event_columns(events: Any = log_events) -> list[Any]:
    """Return the columns of `events`, its time being the event's or its header's.

    `events` is `log_events` or a selection of its rows that keeps `evidence_id`,
    `line_start` and `time`. An undated event takes the time of the closest dated event
    shortly above it. A MySQL slow-log entry dates itself in a `# Time:` line and reports
    the slow query in the `# Query_time:` line after it: that line was written at the
    header's time. Select these only for the rows wanted: the look-up runs once per row.
    """
    header = log_events.alias("header")
    above = (
        select(header.c.time)
        .where(
            header.c.evidence_id == events.c.evidence_id,
            header.c.line_start < events.c.line_start,
            header.c.line_start >= events.c.line_start - HEADER_LOOKBACK_LINES,
            header.c.time.is_not(None),
        )
        .order_by(header.c.line_start.desc())
        .limit(1)
        .scalar_subquery()
    )
    time = func.coalesce(events.c.time, above).label("time")
    return [*(column for column in events.c if column.name != "time"), time]


def notable_events(
    connection: Connection, case_id: uuid.UUID, names: dict[uuid.UUID, str], limit: int
) -> list[AnalysedLine]:
    """Return the warning-or-worse and signature-matched events of the evidence given.

    Each comes as its first line, with its template as the group; at most `limit` per
    evidence, in evidence then line order.
    """
    found: list[AnalysedLine] = []
    for evidence_id, name in names.items():
        rows = connection.execute(
            select(*dated_event_columns(), evidence_lines.c.text, case_templates.c.template)
            .join(
                evidence_lines,
                (evidence_lines.c.evidence_id == log_events.c.evidence_id)
                & (evidence_lines.c.n == log_events.c.line_start),
            )
            .join(
                case_templates,
                (case_templates.c.case_id == case_id) & (case_templates.c.grp == log_events.c.grp),
                isouter=True,
            )
            .where(log_events.c.evidence_id == evidence_id, _is_notable())
            .order_by(log_events.c.line_start)
            .limit(limit)
        )
        found.extend(analysed_line(row, evidence_id, name) for row in rows)
    return found


def analysed_line(row: Row[*tuple[Any, ...]], evidence_id: uuid.UUID, name: str) -> AnalysedLine:
    """Turn a row of an event joined with its first line and template into an AnalysedLine."""
    return AnalysedLine(
        evidence_id=str(evidence_id),
        evidence_name=name,
        n=row.line_start,
        text=row.text,
        time=row.time,
        level=Level(row.level) if row.level else None,
        group=row.template or row.grp,
        signature=row.signature,
    )


def latest_event_time(connection: Connection, case_id: uuid.UUID) -> datetime | None:
    """Return the time of the case's latest dated event, or None before any."""
    return connection.execute(
        select(func.max(log_events.c.time))
        .select_from(log_events.join(evidence, evidence.c.id == log_events.c.evidence_id))
        .where(evidence.c.case_id == case_id)
    ).scalar()


def event_spans(
    connection: Connection, case_id: uuid.UUID
) -> dict[uuid.UUID, tuple[datetime, datetime]]:
    """Return the first and last event time of each of the case's dated evidence items."""
    rows = connection.execute(
        select(log_events.c.evidence_id, func.min(log_events.c.time), func.max(log_events.c.time))
        .select_from(log_events.join(evidence, evidence.c.id == log_events.c.evidence_id))
        .where(evidence.c.case_id == case_id, log_events.c.time.is_not(None))
        .group_by(log_events.c.evidence_id)
    )
    return {evidence_id: (first, last) for evidence_id, first, last in rows}


_SHIFT_YEARS = text(
    "UPDATE log_events SET time = time - make_interval(years => :years)"
    " WHERE evidence_id = :evidence_id AND time IS NOT NULL"
)
_RESPAN_TEMPLATES = text(
    """
    UPDATE case_templates SET first_seen = spans.first, last_seen = spans.last
    FROM (
        SELECT events.grp, min(events.time) AS first, max(events.time) AS last
        FROM log_events AS events JOIN evidence ON evidence.id = events.evidence_id
        WHERE evidence.case_id = :case_id
        GROUP BY events.grp
    ) AS spans
    WHERE case_templates.case_id = :case_id AND case_templates.grp = spans.grp
    """
)


def shift_event_years(
    connection: Connection, case_id: uuid.UUID, corrections: dict[uuid.UUID, int]
) -> None:
    """Move each item's event times back by its number of years; re-span the templates."""
    for evidence_id, years in corrections.items():
        connection.execute(_SHIFT_YEARS, {"years": years, "evidence_id": evidence_id})
    if corrections:
        connection.execute(_RESPAN_TEMPLATES, {"case_id": case_id})


def evidence_summaries(
    connection: Connection, case_id: uuid.UUID, ready: list[Evidence], group_limit: int
) -> list[EvidenceSummary]:
    """Return what a reasoner needs to know about each ready piece of evidence."""
    result = []
    for item in ready:
        evidence_id = uuid.UUID(item.id)
        first, last, notable = connection.execute(
            select(
                func.min(log_events.c.time),
                func.max(log_events.c.time),
                func.count().filter(_is_notable()),
            ).where(log_events.c.evidence_id == evidence_id)
        ).one()
        template = func.coalesce(case_templates.c.template, log_events.c.grp)
        counts = connection.execute(
            select(template, func.count())
            .select_from(log_events)
            .join(
                case_templates,
                (case_templates.c.case_id == case_id) & (case_templates.c.grp == log_events.c.grp),
                isouter=True,
            )
            .where(log_events.c.evidence_id == evidence_id, _is_notable())
            .group_by(template)
            .order_by(func.count().desc(), template)
            .limit(group_limit)
        )
        result.append(
            EvidenceSummary(
                evidence_id=item.id,
                evidence_name=item.name,
                kind=item.kind,
                line_count=item.line_count,
                problem_line_count=notable,
                first_time=first,
                last_time=last,
                group_counts={template: count for template, count in counts},
            )
        )
    return result


def occurrences(
    connection: Connection, case_id: uuid.UUID, names: dict[uuid.UUID, str]
) -> Iterator[TemplateOccurrence]:
    """Stream every event of the evidence given, in evidence then line order (no text)."""
    for evidence_id, name in names.items():
        rows = connection.execution_options(stream_results=True, yield_per=10_000).execute(
            select(
                log_events.c.line_start,
                log_events.c.line_end,
                log_events.c.time,
                log_events.c.level,
                log_events.c.grp,
                case_templates.c.template,
            )
            .join(
                case_templates,
                (case_templates.c.case_id == case_id) & (case_templates.c.grp == log_events.c.grp),
                isouter=True,
            )
            .where(log_events.c.evidence_id == evidence_id)
            .order_by(log_events.c.line_start)
        )
        evidence_key = str(evidence_id)
        for start, end, time, level, group, template in rows:
            yield TemplateOccurrence(
                evidence_key,
                name,
                start,
                end,
                time,
                Level(level) if level else None,
                group,
                template or group,
            )


def groups_by_evidence(connection: Connection, case_id: uuid.UUID) -> dict[uuid.UUID, set[str]]:
    """Return the distinct templates (groups) of each of the case's evidence items with events."""
    rows = connection.execute(
        select(log_events.c.evidence_id, log_events.c.grp)
        .distinct()
        .join(evidence, evidence.c.id == log_events.c.evidence_id)
        .where(evidence.c.case_id == case_id)
    )
    found: dict[uuid.UUID, set[str]] = {}
    for evidence_id, group in rows:
        found.setdefault(evidence_id, set()).add(group)
    return found


def first_lines(
    connection: Connection, wanted: Iterable[tuple[str, int]]
) -> dict[tuple[str, int], str]:
    """Return the text of the `(evidence id, line number)` lines asked for."""
    keys = sorted(set(wanted))
    found: dict[tuple[str, int], str] = {}
    for evidence_key in {key[0] for key in keys}:
        numbers = [number for key, number in keys if key == evidence_key]
        rows = connection.execute(
            select(evidence_lines.c.n, evidence_lines.c.text).where(
                evidence_lines.c.evidence_id == uuid.UUID(evidence_key),
                evidence_lines.c.n.in_(numbers),
            )
        )
        found.update(((evidence_key, number), text) for number, text in rows)
    return found


def refresh_statistics(connection: Connection) -> None:
    """Let the planner see freshly bulk-loaded rows (autovacuum may come much later).

    Without it the first question after a large upload can pick nested loops over
    millions of rows that look, to the planner, like empty tables.
    """
    connection.execute(text("ANALYZE evidence_lines, log_events, case_templates"))
