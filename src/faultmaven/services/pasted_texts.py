"""The case's short text evidence, read once per question for the readers of pasted output.

Pasted command output and settings sit in notes, short logs and beside kubectl output;
the snapshot readers and the settings reader both read these items whole, from one read.
"""

from collections.abc import Sequence

from sqlalchemy import Connection

from faultmaven.domain.evidence import Evidence, EvidenceKind
from faultmaven.services.evidence_findings import evidence_text

# Commands are pasted into notes, logs, and beside kubectl output (`kubectl debug node/...`).
PASTED_INTO = frozenset({EvidenceKind.LOG, EvidenceKind.TEXT, EvidenceKind.KUBERNETES})
# Pasted notes are short; a long log is not read whole on every question.
PASTED_MAX_LINES = 5_000


def pasted_texts(connection: Connection, ready: Sequence[Evidence]) -> dict[str, list[str]]:
    """Return the lines of every short item pasted output may sit in, by evidence id."""
    texts: dict[str, list[str]] = {}
    for item in ready:
        if item.kind in PASTED_INTO and 0 < item.line_count <= PASTED_MAX_LINES:
            texts[item.id] = evidence_text(connection, item) or []
    return texts
