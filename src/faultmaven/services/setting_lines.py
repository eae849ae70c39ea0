"""Lines of a case that state a known setting's value, read for the hypotheses they prove.

Settings are pasted beside the logs (`SHOW VARIABLES`, `redis-cli config get`, a config
file) or dumped by a program at start-up; notes are read whole, a long log only its head.
"""

import uuid
from collections.abc import Sequence

from sqlalchemy import Connection

from faultmaven.domain.evidence import AnalysedLine, Evidence, EvidenceKind, Level
from faultmaven.reasoning.signature_settings import setting_group, stated_settings
from faultmaven.store import evidence as evidence_store

_READ = frozenset({EvidenceKind.LOG, EvidenceKind.TEXT, EvidenceKind.KUBERNETES})
# Pasted notes and short logs are read whole; a longer log's settings dump sits at its head.
WHOLE_MAX_LINES = 5_000
HEAD_LINES = 300


def setting_lines(connection: Connection, ready: Sequence[Evidence]) -> list[AnalysedLine]:
    """Return every line of the case's evidence that states a known setting, untimed."""
    found: list[AnalysedLine] = []
    for item in ready:
        if item.kind not in _READ or item.line_count <= 0:
            continue
        last = item.line_count if item.line_count <= WHOLE_MAX_LINES else HEAD_LINES
        for row in evidence_store.read_lines(connection, uuid.UUID(item.id), 1, last):
            for name in sorted(stated_settings(row.text)):
                found.append(
                    AnalysedLine(
                        evidence_id=item.id,
                        evidence_name=item.name,
                        n=row.n,
                        text=row.text,
                        time=None,
                        level=Level.INFO,
                        group=setting_group(name),
                    )
                )
    return found
