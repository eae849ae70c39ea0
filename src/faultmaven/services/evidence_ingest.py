"""Storing one evidence item: original bytes, analysed lines and line-shape counts.

Everything for one item happens in one transaction, so a failure leaves no half-stored
lines behind; the failure itself is then recorded as `failed` evidence with its error.
"""

import logging
import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import BinaryIO

from sqlalchemy import Connection, Engine

from faultmaven.domain.evidence import (
    LEVEL_RANK,
    AnalysedLine,
    Evidence,
    EvidenceKind,
    EvidenceStatus,
    is_problem_level,
)
from faultmaven.logs.analyse import LineAnalyser
from faultmaven.logs.text import DecodedLines, sniff_encoding
from faultmaven.reasoning.signatures import match_signature
from faultmaven.services.evidence_kinds import SNIFF_BYTES, detect_kind, is_image, refuse_binary
from faultmaven.services.evidence_unpack import UnpackedItem
from faultmaven.store import evidence as evidence_store

MAX_TRACKED_GROUPS = 200_000
OVERFLOW_GROUP = "<other line shapes>"

_logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class IngestOptions:
    """What the client said about the evidence beside its bytes."""

    kind: EvidenceKind | None = None
    timezone: tzinfo = UTC
    timezone_name: str | None = None
    source_url: str | None = None
    progress: "ReadProgress | None" = None


ReadProgress = Callable[[str, int, int], None]
"""Told `(evidence name, bytes read, total bytes)` now and then while a file is read."""

PROGRESS_EVERY_LINES = 20_000
MAX_ERROR_CHARS = 300


def sniff(item: UnpackedItem) -> bytes:
    """Return the first bytes of an item's content, for kind detection."""
    with item.content.open("rb") as handle:
        return handle.read(SNIFF_BYTES)


def check_acceptable(item: UnpackedItem) -> None:
    """Refuse an item that is binary and not a picture (nothing gets stored)."""
    head = sniff(item)
    if not is_image(head):
        refuse_binary(head, item.name)


def ingest_item(
    engine: Engine,
    tenant_id: uuid.UUID,
    case_id: uuid.UUID,
    item: UnpackedItem,
    options: IngestOptions,
) -> Evidence:
    """Store one item as evidence of the case and return it (`ready` or `failed`)."""
    evidence_id = uuid.uuid4()
    record = {
        "id": evidence_id,
        "tenant_id": tenant_id,
        "case_id": case_id,
        "name": item.name,
        "size_bytes": item.original.stat().st_size,
        "line_count": 0,
        "decode_errors": 0,
        "source_url": options.source_url,
        "timezone": options.timezone_name,
        "created_at": datetime.now(UTC),
    }
    if item.failure is not None:
        return _store_failure(engine, record, options.kind or EvidenceKind.TEXT, item, item.failure)
    head = sniff(item)
    kind = EvidenceKind.IMAGE if is_image(head) else _kind_of(head, item.name, options.kind)
    try:
        with engine.begin() as connection:
            evidence_store.insert_evidence(
                connection,
                {**record, "kind": kind.value, "status": EvidenceStatus.PROCESSING.value},
            )
            with item.original.open("rb") as original:
                evidence_store.write_original_bytes(connection, evidence_id, original)
            if kind is EvidenceKind.IMAGE:
                return evidence_store.finish_evidence(
                    connection, evidence_id, status=EvidenceStatus.READY
                )
            return _store_lines(connection, evidence_id, item, options)
    except Exception as error:
        reason = _one_line(error)
        _logger.error("processing evidence %r failed: %s", item.name, reason)
        _logger.debug("processing evidence %r failed", item.name, exc_info=True)
        return _store_failure(engine, record, kind, item, f"processing failed: {reason}")


def _one_line(error: Exception) -> str:
    """Return the first line of an error's message, shortened, for the evidence record."""
    lines = str(error).strip().splitlines()
    first = lines[0] if lines else ""
    message = f"{error.__class__.__name__}: {first}" if first else error.__class__.__name__
    return message[:MAX_ERROR_CHARS]


def _kind_of(head: bytes, name: str, declared: EvidenceKind | None) -> EvidenceKind:
    if declared is not None and declared is not EvidenceKind.IMAGE:
        return declared
    return detect_kind(head.decode(sniff_encoding(head), errors="replace"), name)


def _store_lines(
    connection: Connection, evidence_id: uuid.UUID, item: UnpackedItem, options: IngestOptions
) -> Evidence:
    analyser = LineAnalyser(str(evidence_id), item.name, default_tz=options.timezone)
    counts = _GroupCounts()
    with item.content.open("rb") as content:
        decoded = DecodedLines(content)
        lines = _analysed(decoded, analyser, counts)
        if options.progress is not None:
            lines = _reporting(lines, options.progress, item.name, content)
        evidence_store.copy_lines(connection, lines)
    evidence_store.insert_groups(connection, evidence_id, counts.rows())
    return evidence_store.finish_evidence(
        connection,
        evidence_id,
        status=EvidenceStatus.READY,
        line_count=decoded.line_count,
        decode_errors=decoded.decode_errors,
        encoding=decoded.encoding,
    )


def _analysed(
    decoded: DecodedLines, analyser: LineAnalyser, counts: "_GroupCounts"
) -> Iterator[AnalysedLine]:
    for n, text in enumerate(decoded, start=1):
        line = analyser.analyse(n, text, match_signature(text))
        counts.add(line)
        yield line


def _reporting(
    lines: Iterator[AnalysedLine], progress: ReadProgress, name: str, content: BinaryIO
) -> Iterator[AnalysedLine]:
    total = os.fstat(content.fileno()).st_size
    for line in lines:
        if line.n % PROGRESS_EVERY_LINES == 0:
            progress(name, content.tell(), total)
        yield line
    progress(name, total, total)


class _GroupCounts:
    """Per line shape: how often, first line, worst level (bounded number of shapes)."""

    def __init__(self) -> None:
        self._groups: dict[str, list[int]] = {}

    def add(self, line: AnalysedLine) -> None:
        level_rank = LEVEL_RANK[line.level] if line.level else -1
        entry = self._groups.get(line.group)
        if entry is None:
            if len(self._groups) >= MAX_TRACKED_GROUPS:
                entry = self._groups.setdefault(OVERFLOW_GROUP, [0, 0, line.n, -1])
            else:
                entry = self._groups[line.group] = [0, 0, line.n, -1]
        entry[0] += 1
        if line.signature is not None or is_problem_level(line.level):
            entry[1] += 1
        entry[3] = max(entry[3], level_rank)

    def rows(self) -> Iterator[tuple[str, int, int, int, str | None]]:
        """Yield `(group, count, notable count, first line, worst level)` per line shape."""
        levels = list(LEVEL_RANK)
        for group, (count, notable, first_n, level_rank) in self._groups.items():
            worst = levels[level_rank].value if level_rank >= 0 else None
            yield group, count, notable, first_n, worst


def _store_failure(
    engine: Engine,
    record: dict[str, object],
    kind: EvidenceKind,
    item: UnpackedItem,
    error: str,
) -> Evidence:
    with engine.begin() as connection:
        evidence_store.insert_evidence(
            connection,
            {**record, "kind": kind.value, "status": EvidenceStatus.FAILED.value, "error": error},
        )
        with item.original.open("rb") as original:
            evidence_store.write_original_bytes(connection, uuid.UUID(str(record["id"])), original)
        return evidence_store.finish_evidence(
            connection, uuid.UUID(str(record["id"])), status=EvidenceStatus.FAILED, error=error
        )
