"""Citations of a multi-line event cover the event: the stack trace proves the failure.

The reasoner cites an event by its first line; a traceback's exception, which names
the failure, sits in a later line. A long event is cited up to the line naming its
failure or its first `CITED_EVENT_LINES` lines, whichever reaches further.
"""

import uuid
from collections import defaultdict

from sqlalchemy import Connection

from faultmaven.domain.diagnosis import Citation, DiagnosisDraft
from faultmaven.logs.failure_lines import failure_line
from faultmaven.store import evidence as evidence_store
from faultmaven.store import log_groups

CITED_EVENT_LINES = 30
# How far into a long event the line naming its failure is looked for.
FAILURE_SEARCH_LINES = 60


def cite_whole_events(connection: Connection, draft: DiagnosisDraft) -> DiagnosisDraft:
    """Widen every one-line citation of an event's first line to the event."""
    single: dict[str, set[int]] = defaultdict(set)
    for citation in _citations(draft):
        if citation.line_start == citation.line_end:
            single[citation.evidence_id].add(citation.line_start)
    ends = {
        (evidence_id, start): end
        for evidence_id, starts in single.items()
        for start, end in log_groups.event_ends(connection, uuid.UUID(evidence_id), starts).items()
    }
    if not ends:
        return draft
    widened = {key: _event_citation(connection, key, end) for key, end in ends.items()}

    def wide(citation: Citation) -> Citation:
        if citation.line_start != citation.line_end:
            return citation
        found = widened.get((citation.evidence_id, citation.line_start))
        if found is None or found.text.split("\n", 1)[0] != citation.text:
            return citation
        return found.model_copy(update={"evidence_name": citation.evidence_name})

    hypotheses = [
        hypothesis.model_copy(
            update={
                "citations": [wide(c) for c in hypothesis.citations],
                "counter_evidence": [wide(c) for c in hypothesis.counter_evidence],
            }
        )
        for hypothesis in draft.hypotheses
    ]
    return draft.model_copy(update={"hypotheses": hypotheses})


def _citations(draft: DiagnosisDraft) -> list[Citation]:
    return [
        citation
        for hypothesis in draft.hypotheses
        for citation in [*hypothesis.citations, *hypothesis.counter_evidence]
    ]


def _event_citation(connection: Connection, key: tuple[str, int], end: int) -> Citation:
    """Cite the event from its first line to its end, or to where its failure is named."""
    evidence_id, start = key
    last = min(end, start + FAILURE_SEARCH_LINES - 1)
    rows = evidence_store.read_lines(connection, uuid.UUID(evidence_id), start, last)
    texts = [row.text for row in rows]
    named = failure_line(texts) or 0
    shown = texts[: max(min(len(texts), CITED_EVENT_LINES), named + 1)]
    return Citation(
        evidence_id=evidence_id,
        evidence_name="",
        line_start=start,
        line_end=start + len(shown) - 1,
        text="\n".join(shown),
    )
