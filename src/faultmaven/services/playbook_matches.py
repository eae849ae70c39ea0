"""Playbook signatures over a case's templates and lines, so playbooks can name causes.

Built-in signatures are matched while evidence is read; the playbooks' many more are
matched at question time against the case's templates (few, however long the logs) and
the first notable line of each, then the matched templates' lines join the reasoner's
input. The whole first event of each notable template is read too, since a stack trace
names its exception only in a continuation line. A line keeps a built-in signature it
already has.
"""

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import replace
from functools import cache

from sqlalchemy import Connection

from faultmaven.domain.evidence import AnalysedLine, EvidenceSummary, Level
from faultmaven.knowledge.playbooks import bundled_playbooks
from faultmaven.logs.failure_lines import failure_key
from faultmaven.reasoning.certificates import CERTIFICATE_SIGNATURE
from faultmaven.reasoning.changes import CHANGE_SIGNATURES
from faultmaven.reasoning.metric_signatures import METRIC_SIGNATURES_BY_ID
from faultmaven.reasoning.playbook_signatures import match_texts, playbook_signatures
from faultmaven.reasoning.quiet_signatures import QUIET_SIGNATURES
from faultmaven.reasoning.signatures import SIGNATURES_BY_ID, Signature
from faultmaven.reasoning.snapshot_signatures import SNAPSHOT_SIGNATURES_BY_ID
from faultmaven.reasoning.trace_signatures import TRACE_SIGNATURES_BY_ID
from faultmaven.store import log_groups

NOTABLE = frozenset({Level.WARN, Level.ERROR, Level.FATAL})
TEMPLATES_TO_MATCH = 2_000
LINES_PER_MATCHED_GROUP = 20
# A stack trace's exception line names the failure; read this much of a multi-line event.
EVENT_LINES_TO_MATCH = 60
# At most this many templates' first events are read per evidence (the earliest notable ones).
EVENTS_TO_READ_PER_EVIDENCE = 500


@cache
def bundled_signatures() -> tuple[Signature, ...]:
    """Return the bundled playbooks' line signatures, compiled once per process."""
    return playbook_signatures(bundled_playbooks())


def question_time_signatures() -> tuple[Signature, ...]:
    """Return the signatures matched when a question is asked.

    Playbooks, changes, certificates and trouble reported at INFO.
    """
    return bundled_signatures() + CHANGE_SIGNATURES + QUIET_SIGNATURES + (CERTIFICATE_SIGNATURE,)


def all_signatures() -> dict[str, Signature]:
    """Return every signature by id (built-in, metric, snapshot, trace, playbook, change)."""
    return {
        **SIGNATURES_BY_ID,
        **METRIC_SIGNATURES_BY_ID,
        **SNAPSHOT_SIGNATURES_BY_ID,
        **TRACE_SIGNATURES_BY_ID,
        **{s.id: s for s in question_time_signatures()},
    }


def case_templates(connection: Connection, case_id: uuid.UUID) -> dict[str, str]:
    """Return the case's templates by group, notable ones first, as many as are matched."""
    return log_groups.case_template_texts(connection, case_id, TEMPLATES_TO_MATCH)


def first_events(
    connection: Connection, templates: Mapping[str, str], lines: Sequence[AnalysedLine]
) -> dict[str, list[str]]:
    """Return the whole first event of the notable multi-line templates in each evidence.

    Per evidence, only the earliest `EVENTS_TO_READ_PER_EVIDENCE` notable templates are read.
    """
    group_of_template = {template: group for group, template in templates.items()}
    notable_groups: dict[str, set[str]] = {}
    for line in lines:
        group = group_of_template.get(line.group)
        seen = notable_groups.setdefault(line.evidence_id, set())
        if group is not None and len(seen) < EVENTS_TO_READ_PER_EVIDENCE:
            seen.add(group)
    events: dict[str, list[str]] = {}
    for evidence_id, groups in notable_groups.items():
        whole = log_groups.first_event_texts(
            connection, uuid.UUID(evidence_id), groups, EVENT_LINES_TO_MATCH
        )
        for group, event_text in whole.items():
            events.setdefault(group, []).append(event_text)
    return events


def event_failures(
    templates: Mapping[str, str], events: Mapping[str, Sequence[str]]
) -> dict[str, str]:
    """Map each template whose first event is a stack trace to the failure the trace names."""
    failures: dict[str, str] = {}
    for group, event_texts in events.items():
        key = failure_key(event_texts[0].split("\n"))
        if key is not None and group in templates:
            failures[templates[group]] = key
    return failures


def with_playbook_matches(
    connection: Connection,
    case_id: uuid.UUID,
    names: Mapping[uuid.UUID, str],
    lines: Sequence[AnalysedLine],
    templates: Mapping[str, str],
    events: Mapping[str, Sequence[str]],
) -> list[AnalysedLine]:
    """Mark lines whose template a playbook recognises, adding such templates' quiet lines.

    `templates` are the case's templates by group and `events` their first multi-line events.
    A template with no notable line is matched with one of its lines as well, since a
    pattern may need the values its `<*>` stands for, or the fields a structured line
    carries beside its message (`msg="catalogue build" version=0.3.6 commit=7be2c1f`),
    which its template leaves out.
    """
    group_of_template = {template: group for group, template in templates.items()}
    texts: dict[str, list[str]] = {group: [template] for group, template in templates.items()}
    for line in lines:
        group = group_of_template.get(line.group)
        if group is not None and len(texts[group]) == 1:
            texts[group].append(line.text)
    for group, event_texts in events.items():
        if group in texts:
            texts[group].extend(event_texts)
    unseen = [group for group, found in texts.items() if len(found) == 1]
    for group, example in log_groups.example_lines(connection, names, unseen).items():
        texts[group].append(example)
    matched = match_texts(question_time_signatures(), texts)
    if not matched:
        return list(lines)
    by_template = {templates[group]: signature for group, signature in matched.items()}
    marked = [_marked(line, by_template.get(line.group)) for line in lines]
    seen_templates = {line.group for line in lines}
    quiet_groups = [group for group in matched if templates[group] not in seen_templates]
    quiet = log_groups.group_lines(
        connection, case_id, names, quiet_groups, LINES_PER_MATCHED_GROUP
    )
    return marked + [_marked(line, by_template.get(line.group)) for line in quiet]


def with_quiet_counts(
    connection: Connection,
    summaries: Sequence[EvidenceSummary],
    lines: Sequence[AnalysedLine],
    templates: Mapping[str, str],
) -> list[EvidenceSummary]:
    """Add to each summary how often the recognised templates without a warning occur.

    A summary counts notable lines only; a playbook can recognise a template logged at
    no level (`# Query_time: ...` in a slow-query log), whose lines the reasoner got
    only the first of: without the count, a flood looks like the few lines it was shown.
    """
    group_of_template = {template: group for group, template in templates.items()}
    counted = {summary.evidence_id: summary.group_counts for summary in summaries}
    quiet = {
        group_of_template[line.group]
        for line in lines
        if line.signature is not None
        and line.level not in NOTABLE
        and line.group in group_of_template
        and line.group not in counted.get(line.evidence_id, {})
    }
    ids = [uuid.UUID(summary.evidence_id) for summary in summaries]
    counts = log_groups.group_counts(connection, ids, quiet)
    return [
        replace(
            summary,
            group_counts={
                **{
                    templates[group]: count
                    for group, count in counts.get(summary.evidence_id, {}).items()
                },
                **summary.group_counts,
            },
        )
        for summary in summaries
    ]


def _marked(line: AnalysedLine, signature_id: str | None) -> AnalysedLine:
    """Give a line a playbook's signature unless it already has a built-in one."""
    if signature_id is None or line.signature is not None:
        return line
    return replace(line, signature=signature_id)
