"""A case's span tables as lines the reasoner weighs: where failing calls start.

Each originating failed span (one whose children did not fail) becomes a line about its
service, at its time; the reasoner then orders them among log lines and metric moves.
"""

import uuid
from collections.abc import Sequence

from sqlalchemy import Connection

from faultmaven.domain.evidence import AnalysedLine, Evidence, EvidenceKind, Level
from faultmaven.reasoning.trace_signatures import TRACE_ERROR_ORIGIN
from faultmaven.services.evidence_findings import evidence_text
from faultmaven.store import evidence as evidence_store
from faultmaven.traces import error_origins, read_spans

# The first originating spans of a service are enough to date and count its failures.
LINES_PER_SERVICE = 200


def trace_lines(connection: Connection, ready: Sequence[Evidence]) -> list[AnalysedLine]:
    """Return one line per originating failed span, at most `LINES_PER_SERVICE` a service."""
    found: list[AnalysedLine] = []
    for item in ready:
        if item.kind not in (EvidenceKind.LOG, EvidenceKind.TEXT):
            continue
        if item.line_count < 2:
            continue
        head = evidence_store.read_lines(connection, uuid.UUID(item.id), 1, 1)
        if not head or read_spans([head[0].text]) is None:
            continue
        lines = evidence_text(connection, item) or []
        for origin in error_origins(read_spans(lines) or []):
            for span in origin.spans[:LINES_PER_SERVICE]:
                found.append(
                    AnalysedLine(
                        evidence_id=item.id,
                        evidence_name=item.name,
                        n=span.line,
                        text=lines[span.line - 1],
                        time=span.start,
                        level=Level.ERROR,
                        group=f"failed calls start in {origin.service}",
                        signature=TRACE_ERROR_ORIGIN.id,
                        component=origin.service,
                    )
                )
    return found
