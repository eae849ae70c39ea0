"""Storing one evidence item: its original bytes, then its lines and log events.

Everything for one item happens in one transaction, so a failure leaves no half-stored
lines behind; the failure itself is then recorded as `failed` evidence with its error.
"""

import logging
import uuid
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo

from sqlalchemy import Connection, Engine

from faultmaven.domain.evidence import Evidence, EvidenceKind, EvidenceStatus
from faultmaven.logs.text import sniff_encoding
from faultmaven.logs.yearless import year_corrections
from faultmaven.services.evidence_kinds import SNIFF_BYTES, detect_kind, is_image, refuse_binary
from faultmaven.services.evidence_unpack import UnpackedItem
from faultmaven.services.log_ingest import EventReading, ReadProgress, reading_events, store_log
from faultmaven.store import cases as case_store
from faultmaven.store import evidence as evidence_store
from faultmaven.store import logs as log_store

_logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class IngestOptions:
    """What the client said about the evidence beside its bytes."""

    kind: EvidenceKind | None = None
    timezone: tzinfo = UTC
    timezone_name: str | None = None
    source_url: str | None = None
    progress: ReadProgress | None = None


MAX_ERROR_CHARS = 300
# Year-less times (syslog) may fall this long after the case's other evidence and keep its year.
YEARLESS_REACH = timedelta(days=30)


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
    events: AbstractContextManager[EventReading | None] = (
        nullcontext(None)
        if kind is EvidenceKind.IMAGE
        else reading_events(item.content, options.timezone, _yearless_reference(engine, case_id))
    )
    try:
        # The events start being read (by a worker, for large files) before the original
        # bytes are stored, so the two overlap.
        with events as reading, engine.begin() as connection:
            evidence_store.insert_evidence(
                connection,
                {**record, "kind": kind.value, "status": EvidenceStatus.PROCESSING.value},
            )
            with item.original.open("rb") as original:
                evidence_store.write_original_bytes(connection, evidence_id, original)
            if reading is None:
                return evidence_store.finish_evidence(
                    connection, evidence_id, status=EvidenceStatus.READY
                )
            case_store.lock_case(connection, tenant_id, case_id)
            return _store_text(connection, case_id, evidence_id, item, options, reading)
    except Exception as error:
        reason = _one_line(error)
        _logger.error("processing evidence %r failed: %s", item.name, reason)
        _logger.debug("processing evidence %r failed", item.name, exc_info=True)
        return _store_failure(engine, record, kind, item, f"processing failed: {reason}")


def _yearless_reference(engine: Engine, case_id: uuid.UUID) -> datetime | None:
    """Return the moment year-less times of a new item are dated against, None for the clock.

    A syslog says "Nov  4 02:02:25" without a year. Read beside a case whose other logs
    are dated November 2025, it is from 2025, even when read a year later: year-less
    times take the most recent year that is not after the case's latest dated event
    (plus `YEARLESS_REACH`), and never one in the future.
    """
    with engine.connect() as connection:
        latest = log_store.latest_event_time(connection, case_id)
    if latest is None:
        return None
    return min(datetime.now(UTC), latest + YEARLESS_REACH)


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


def _store_text(
    connection: Connection,
    case_id: uuid.UUID,
    evidence_id: uuid.UUID,
    item: UnpackedItem,
    options: IngestOptions,
    reading: EventReading,
) -> Evidence:
    decoded = store_log(
        connection,
        case_id,
        evidence_id,
        item.name,
        item.content,
        options.timezone,
        options.progress,
        reading,
    )
    # A year-less log read before the case's dated ones took this year; now it can be placed.
    corrections = year_corrections(log_store.event_spans(connection, case_id))
    log_store.shift_event_years(connection, case_id, corrections)
    return evidence_store.finish_evidence(
        connection,
        evidence_id,
        status=EvidenceStatus.READY,
        line_count=decoded.line_count,
        decode_errors=decoded.decode_errors,
        encoding=decoded.encoding,
    )


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
