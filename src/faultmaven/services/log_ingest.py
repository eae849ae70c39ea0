"""Reading one evidence into the database: lines, events with templates, the case's templates.

Two passes over the file run side by side for large files: this process copies the lines
into PostgreSQL while a worker process settles the events (formats, templates, signatures)
into a spool file; then the events are loaded with COPY and the case's templates and miner
state are updated. Memory stays bounded whatever the size of the file.
"""

import multiprocessing
import os
import tempfile
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import tzinfo
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import Connection

from faultmaven.logs.text import DecodedLines
from faultmaven.services.log_events import SettledEvents, settle_events
from faultmaven.store import logs as log_store

ReadProgress = Callable[[str, int, int], None]
"""Told `(evidence name, bytes read, total bytes)` now and then while a file is read."""

PROGRESS_EVERY_LINES = 20_000
WORKER_MIN_BYTES = 16 * 1024 * 1024
LineRow = tuple[uuid.UUID, int, str]


def store_log(
    connection: Connection,
    case_id: uuid.UUID,
    evidence_id: uuid.UUID,
    name: str,
    content: Path,
    default_tz: tzinfo,
    progress: ReadProgress | None = None,
) -> DecodedLines:
    """Store the lines and events of one evidence; return the line decoder with its counts.

    The caller holds the case's row lock, so two uploads to one case take turns with
    the case's miner state.
    """
    state = log_store.load_miner_state(connection, case_id)
    with tempfile.TemporaryDirectory(prefix="faultmaven-events-") as folder:
        spool = Path(folder) / "events.copy"
        arguments = (content, str(evidence_id), state, default_tz, spool)
        with _EventSettling(
            arguments, parallel=content.stat().st_size >= WORKER_MIN_BYTES
        ) as pending:
            with content.open("rb") as handle:
                decoded = DecodedLines(handle)
                rows = _line_rows(decoded, evidence_id, _progress_of(progress, name, handle))
                log_store.copy_rows(connection, "evidence_lines", log_store.LINE_COLUMNS, rows)
            settled = pending()
        with spool.open("rb") as events:
            log_store.copy_text(connection, "log_events", log_store.EVENT_COLUMNS, events)
    for old, new in settled.regrouped.items():
        log_store.regroup_events(connection, evidence_id, old, new)
    log_store.merge_templates(connection, case_id, settled.tallies)
    log_store.save_miner_state(connection, case_id, settled.miner_state)
    log_store.refresh_statistics(connection)
    return decoded


class _EventSettling:
    """Settle events in a worker process (large files) or right here (small ones)."""

    def __init__(self, arguments: tuple[Any, ...], *, parallel: bool) -> None:
        self._arguments = arguments
        self._pool: ProcessPoolExecutor | None = None
        self._future: Future[SettledEvents] | None = None
        if parallel:
            context = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=context)
            self._future = self._pool.submit(settle_events, *arguments)

    def __enter__(self) -> Callable[[], SettledEvents]:
        return self._result

    def __exit__(self, *exc_info: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)

    def _result(self) -> SettledEvents:
        if self._future is not None:
            return self._future.result()
        return settle_events(*self._arguments)


def _line_rows(
    decoded: DecodedLines, evidence_id: uuid.UUID, on_progress: Callable[[int], None]
) -> Iterator[LineRow]:
    for number, text in enumerate(decoded, start=1):
        if number % PROGRESS_EVERY_LINES == 0:
            on_progress(number)
        yield evidence_id, number, text
    on_progress(-1)


def _progress_of(
    progress: ReadProgress | None, name: str, content: BinaryIO
) -> Callable[[int], None]:
    if progress is None:
        return lambda _: None
    total = os.fstat(content.fileno()).st_size

    def report(line_number: int) -> None:
        progress(name, total if line_number < 0 else content.tell(), total)

    return report
