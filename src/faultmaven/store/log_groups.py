"""A case's templates and the events of chosen templates, for matching playbook signatures."""

import uuid
from collections.abc import Collection, Mapping

from sqlalchemy import Connection, func, select, text

from faultmaven.domain.evidence import AnalysedLine
from faultmaven.store.logs import NOTABLE_LEVELS, analysed_line, dated_event_columns
from faultmaven.store.tables import case_templates, evidence_lines, log_events


def case_template_texts(connection: Connection, case_id: uuid.UUID, limit: int) -> dict[str, str]:
    """Return up to `limit` of the case's templates by group: warnings and worse first."""
    notable_first = case_templates.c.worst_level.in_(NOTABLE_LEVELS).desc()
    rows = connection.execute(
        select(case_templates.c.grp, case_templates.c.template)
        .where(case_templates.c.case_id == case_id)
        .order_by(notable_first, case_templates.c.count.desc(), case_templates.c.grp)
        .limit(limit)
    )
    return {group: template for group, template in rows}


def group_lines(
    connection: Connection,
    case_id: uuid.UUID,
    names: Mapping[uuid.UUID, str],
    groups: Collection[str],
    per_group: int,
) -> list[AnalysedLine]:
    """Return the first `per_group` events of each group in each evidence, as their first lines."""
    if not groups:
        return []
    found: list[AnalysedLine] = []
    for evidence_id, name in names.items():
        numbered = (
            select(
                log_events,
                func.row_number()
                .over(partition_by=log_events.c.grp, order_by=log_events.c.line_start)
                .label("nth"),
            )
            .where(log_events.c.evidence_id == evidence_id, log_events.c.grp.in_(list(groups)))
            .subquery()
        )
        rows = connection.execute(
            select(*dated_event_columns(numbered), evidence_lines.c.text, case_templates.c.template)
            .join(
                evidence_lines,
                (evidence_lines.c.evidence_id == numbered.c.evidence_id)
                & (evidence_lines.c.n == numbered.c.line_start),
            )
            .join(
                case_templates,
                (case_templates.c.case_id == case_id) & (case_templates.c.grp == numbered.c.grp),
                isouter=True,
            )
            .where(numbered.c.nth <= per_group)
            .order_by(numbered.c.line_start)
        )
        found.extend(analysed_line(row, evidence_id, name) for row in rows)
    return found


def group_counts(
    connection: Connection, evidence_ids: Collection[uuid.UUID], groups: Collection[str]
) -> dict[str, dict[str, int]]:
    """Return how many events of each group each evidence holds, by evidence id and group."""
    if not groups or not evidence_ids:
        return {}
    rows = connection.execute(
        select(log_events.c.evidence_id, log_events.c.grp, func.count())
        .where(
            log_events.c.evidence_id.in_(list(evidence_ids)),
            log_events.c.grp.in_(list(groups)),
        )
        .group_by(log_events.c.evidence_id, log_events.c.grp)
    )
    counts: dict[str, dict[str, int]] = {}
    for evidence_id, group, count in rows:
        counts.setdefault(str(evidence_id), {})[group] = count
    return counts


_FIRST_MULTILINE_EVENTS = text(
    """
    SELECT DISTINCT ON (grp) grp, line_start, least(line_end, line_start + :max_lines - 1)
    FROM log_events
    WHERE evidence_id = :evidence_id AND grp = ANY(:groups) AND line_end > line_start
    ORDER BY grp, line_start
    """
)
_EVENT_LINES = text(
    """
    SELECT spans.grp, lines.text
    FROM unnest(CAST(:groups AS text[]), CAST(:starts AS int[]), CAST(:ends AS int[]))
         AS spans(grp, first_line, last_line)
    JOIN evidence_lines AS lines
      ON lines.evidence_id = :evidence_id AND lines.n BETWEEN spans.first_line AND spans.last_line
    ORDER BY spans.grp, lines.n
    """
)


def first_event_texts(
    connection: Connection, evidence_id: uuid.UUID, groups: Collection[str], max_lines: int
) -> dict[str, str]:
    """Return the whole text (up to `max_lines`) of each group's first multi-line event.

    A stack trace's exception often names the failure only in a continuation line.
    """
    if not groups:
        return {}
    spans = connection.execute(
        _FIRST_MULTILINE_EVENTS,
        {"evidence_id": evidence_id, "groups": list(groups), "max_lines": max_lines},
    ).all()
    if not spans:
        return {}
    rows = connection.execute(
        _EVENT_LINES,
        {
            "evidence_id": evidence_id,
            "groups": [span[0] for span in spans],
            "starts": [span[1] for span in spans],
            "ends": [span[2] for span in spans],
        },
    )
    texts: dict[str, list[str]] = {}
    for group, line in rows:
        texts.setdefault(group, []).append(line)
    return {group: "\n".join(lines) for group, lines in texts.items()}


def event_ends(
    connection: Connection, evidence_id: uuid.UUID, starts: Collection[int]
) -> dict[int, int]:
    """Return the last line of each multi-line event starting at one of `starts`."""
    if not starts:
        return {}
    rows = connection.execute(
        select(log_events.c.line_start, log_events.c.line_end).where(
            log_events.c.evidence_id == evidence_id,
            log_events.c.line_start.in_(list(starts)),
            log_events.c.line_end > log_events.c.line_start,
        )
    )
    return {start: end for start, end in rows}


_EXAMPLE_LINES = text(
    """
    SELECT wanted.grp, lines.text
    FROM unnest(CAST(:groups AS text[])) AS wanted(grp)
    CROSS JOIN LATERAL (
        SELECT events.evidence_id, events.line_start FROM log_events AS events
        WHERE events.evidence_id = ANY(CAST(:evidence_ids AS uuid[])) AND events.grp = wanted.grp
        ORDER BY events.evidence_id, events.line_start
        LIMIT 1
    ) AS one
    JOIN evidence_lines AS lines ON lines.evidence_id = one.evidence_id AND lines.n = one.line_start
    """
)


def example_lines(
    connection: Connection, evidence_ids: Collection[uuid.UUID], groups: Collection[str]
) -> dict[str, str]:
    """Return each group's first line (the same on every run), to match what `<*>` hides."""
    if not groups or not evidence_ids:
        return {}
    rows = connection.execute(
        _EXAMPLE_LINES, {"groups": list(groups), "evidence_ids": list(evidence_ids)}
    )
    return {group: line for group, line in rows}


def templates_matching(
    connection: Connection, case_id: uuid.UUID, pattern: str, limit: int
) -> list[str]:
    """Return the groups of up to `limit` case templates matching a POSIX regex, any case."""
    rows = connection.execute(
        select(case_templates.c.grp)
        .where(case_templates.c.case_id == case_id, case_templates.c.template.op("~*")(pattern))
        .order_by(case_templates.c.grp)
        .limit(limit)
    )
    return [group for (group,) in rows]
