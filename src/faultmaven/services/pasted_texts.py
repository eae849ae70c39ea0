"""The case's short text evidence, read once per question for the readers of pasted output.

Pasted command output and settings sit in notes, short logs and beside kubectl output;
the snapshot readers and the settings reader both read these items whole, from one read.
"""

from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace

from sqlalchemy import Connection

from faultmaven.domain.evidence import AnalysedLine, Evidence, EvidenceKind
from faultmaven.services.evidence_findings import evidence_text
from faultmaven.snapshots.prompt import prompt_host

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


def with_prompt_hosts(
    lines: Sequence[AnalysedLine], texts: Mapping[str, list[str]], signatures: Collection[str]
) -> list[AnalysedLine]:
    """Give pasted lines of the given signatures the host their shell prompt names.

    `openssl x509 -dates` run at `ops@wh-k8s-w07:~$` shows that host's certificate, though
    the file it was pasted into is called `node-checks.txt`.
    """
    placed: list[AnalysedLine] = []
    for line in lines:
        text = texts.get(line.evidence_id)
        if text is not None and line.host is None and line.signature in signatures:
            host = prompt_host(text, line.n)
            line = replace(line, host=host) if host else line
        placed.append(line)
    return placed
