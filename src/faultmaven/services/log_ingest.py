"""Reading one evidence into the database: lines, events with templates, the case's templates.

For large files two processes share the work: a worker reads the events (formats,
multi-line joins, signatures) and spools them in chunks, while this process copies the
lines into PostgreSQL, then mines each chunk's templates and copies its events as soon as
the worker has written it. Then the case's templates and miner state are updated. Memory
stays bounded whatever the size of the file.
"""

import multiprocessing
import os
import tempfile
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, tzinfo
from itertools import chain, islice
from multiprocessing.connection import Connection as MessageConnection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import Connection

from faultmaven.logs.text import DecodedLines
from faultmaven.services.log_events import (
    EventChunk,
    EventSettler,
    chunk_path,
    load_chunk,
    read_event_chunks,
    spool_and_report,
)
from faultmaven.store import logs as log_store
from faultmaven.store import tenant_templates

ReadProgress = Callable[[str, int, int], None]
"""Told `(evidence name, bytes read, total bytes)` now and then while a file is read."""

PROGRESS_EVERY_LINES = 20_000
WORKER_MIN_BYTES = 16 * 1024 * 1024
CHUNK_POLL_SECONDS = 0.02


@contextmanager
def reading_events(
    content: Path, default_tz: tzinfo, now: datetime | None = None
) -> Iterator["EventReading"]:
    """Start reading a file's events (in a worker for large files) until the block ends.

    Starting it before other slow work (storing the original bytes) lets both proceed.
    `now` is the moment year-less times are dated against (the wall clock by default).
    """
    parallel = content.stat().st_size >= WORKER_MIN_BYTES
    with (
        tempfile.TemporaryDirectory(prefix="faultmaven-events-") as folder,
        EventReading(content, default_tz, Path(folder), parallel=parallel, now=now) as reading,
    ):
        yield reading


def store_log(
    connection: Connection,
    case_id: uuid.UUID,
    evidence_id: uuid.UUID,
    name: str,
    content: Path,
    default_tz: tzinfo,
    progress: ReadProgress | None = None,
    reading: "EventReading | None" = None,
) -> DecodedLines:
    """Store the lines and events of one evidence; return the line decoder with its counts.

    The caller holds the case's row lock, so two uploads to one case take turns with
    the case's miner state. `reading` is an event reading the caller started earlier with
    `reading_events`; without it one is started here.
    """
    if reading is None:
        with reading_events(content, default_tz) as own_reading:
            return store_log(
                connection, case_id, evidence_id, name, content, default_tz, progress, own_reading
            )
    encoder = log_store.EventRowEncoder(evidence_id)
    settler = EventSettler(encoder, log_store.load_miner_state(connection, case_id))
    with content.open("rb") as handle:
        decoded = DecodedLines(handle)
        lines = _reporting(decoded, _progress_of(progress, name, handle))
        log_store.copy_lines(connection, evidence_id, lines)
    rows = chain.from_iterable(map(settler.settle, reading.chunks()))
    log_store.copy_events(connection, evidence_id, rows)
    settled = settler.finish()
    for old, new in settled.regrouped.items():
        log_store.regroup_events(connection, evidence_id, old, new)
    new_to_case = tenant_templates.groups_new_to_case(
        connection, case_id, [tally[0] for tally in settled.tallies]
    )
    tenant_templates.merge_tenant_templates(connection, case_id, settled.tallies, new_to_case)
    log_store.merge_templates(connection, case_id, settled.tallies)
    log_store.save_miner_state(connection, case_id, settled.miner_state)
    log_store.refresh_statistics(connection)
    return decoded


class EventReading:
    """Read the events in a worker process (large files) or right here (small ones).

    The worker is stopped as soon as the block ends: when storing failed, waiting for it to
    read the rest of a large file would only delay the failure.
    """

    def __init__(
        self,
        content: Path,
        default_tz: tzinfo,
        folder: Path,
        *,
        parallel: bool,
        now: datetime | None = None,
    ) -> None:
        self._content = content
        self._default_tz = default_tz
        self._now = now
        self._folder = folder
        self._worker: BaseProcess | None = None
        self._outcome: MessageConnection | None = None
        if parallel:
            context = multiprocessing.get_context("spawn")
            self._outcome, sending = context.Pipe(duplex=False)
            self._worker = context.Process(
                target=spool_and_report,
                args=(content, default_tz, folder, sending, now),
                daemon=True,
            )
            self._worker.start()
            sending.close()

    def __enter__(self) -> "EventReading":
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._worker is not None and self._outcome is not None:
            if self._worker.is_alive():
                self._worker.terminate()
            self._worker.join()
            self._outcome.close()

    def chunks(self) -> Iterator[EventChunk]:
        """Yield the event chunks in order, each as soon as it is read."""
        if self._worker is None or self._outcome is None:
            yield from read_event_chunks(self._content, self._default_tz, self._now)
            return
        index, count = 0, None
        while True:
            path = chunk_path(self._folder, index)
            if path.exists():
                chunk = load_chunk(path)
                path.unlink()
                index += 1
                yield chunk
            elif count is None:
                if self._outcome.poll(CHUNK_POLL_SECONDS):
                    count = self._reported_count()
            elif index >= count:
                return
            else:
                raise RuntimeError(f"the event reader's chunk {path.name} went missing")

    def _reported_count(self) -> int:
        """Return how many chunks the worker wrote, or raise what it raised."""
        assert self._outcome is not None and self._worker is not None
        try:
            count, error = self._outcome.recv()
        except EOFError:
            self._worker.join()
            raise RuntimeError(
                f"the event reader stopped unexpectedly (exit code {self._worker.exitcode})"
            ) from None
        if error is not None:
            raise error
        return int(count)


def _reporting(lines: Iterable[str], on_progress: Callable[[int], None]) -> Iterator[str]:
    """Pass `lines` on, telling `on_progress` the count every `PROGRESS_EVERY_LINES` lines."""
    iterator, number = iter(lines), 0
    while batch := list(islice(iterator, PROGRESS_EVERY_LINES)):
        number += len(batch)
        if len(batch) == PROGRESS_EVERY_LINES:
            on_progress(number)
        yield from batch
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
