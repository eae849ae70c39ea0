"""Lines of a case that state a known setting's value, read for the hypotheses they prove.

Settings are pasted beside the logs (`SHOW VARIABLES`, `redis-cli config get`, a config
file) or dumped by a program at start-up; notes are read whole, a long log only its head.
"""

import uuid
from collections.abc import Mapping, Sequence

from sqlalchemy import Connection

from faultmaven.domain.evidence import AnalysedLine, Evidence, Level
from faultmaven.reasoning.signature_settings import setting_group, stated_settings
from faultmaven.services.pasted_texts import PASTED_INTO, PASTED_MAX_LINES
from faultmaven.store import evidence as evidence_store

# A longer log's settings dump sits at its head.
HEAD_LINES = 300


def setting_lines(
    connection: Connection, ready: Sequence[Evidence], texts: Mapping[str, list[str]]
) -> list[AnalysedLine]:
    """Return every line of the case's evidence that states a known setting, untimed.

    `texts` are the short items read whole (`pasted_texts`); of a longer log only the head
    is read.
    """
    found: list[AnalysedLine] = []
    for item in ready:
        if item.id in texts:
            lines = texts[item.id]
        elif item.kind in PASTED_INTO and item.line_count > PASTED_MAX_LINES:
            rows = evidence_store.read_lines(connection, uuid.UUID(item.id), 1, HEAD_LINES)
            lines = [row.text for row in rows]
        else:
            continue
        for n, text in enumerate(lines, start=1):
            for name in sorted(stated_settings(text)):
                found.append(
                    AnalysedLine(
                        evidence_id=item.id,
                        evidence_name=item.name,
                        n=n,
                        text=text,
                        time=None,
                        level=Level.INFO,
                        group=setting_group(name),
                    )
                )
    return found
