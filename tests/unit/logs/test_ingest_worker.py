"""The event-reading worker of a large file: its failures surface, and it stops with its block."""

import time
from datetime import UTC
from pathlib import Path

import pytest

from faultmaven.services.log_ingest import EventReading

LINE = b"2024-05-01 10:00:00,001 INFO  [main] com.shop.Api - served a request in 12 ms\n"


def test_what_the_worker_raises_is_raised_where_the_chunks_are_read(tmp_path: Path) -> None:
    missing = tmp_path / "gone.log"
    with (
        EventReading(missing, UTC, tmp_path, parallel=True) as reading,
        pytest.raises(FileNotFoundError),
    ):
        next(reading.chunks())


def test_a_failure_while_storing_stops_the_worker_without_waiting_for_the_rest(
    tmp_path: Path,
) -> None:
    log = tmp_path / "big.log"
    log.write_bytes(LINE * 400_000)  # several seconds of reading for the worker
    folder = tmp_path / "chunks"
    folder.mkdir()
    with (
        pytest.raises(RuntimeError, match="storing failed"),
        EventReading(log, UTC, folder, parallel=True) as reading,
    ):
        first = next(reading.chunks())
        started_leaving = time.perf_counter()
        raise RuntimeError("storing failed")
    left_after = time.perf_counter() - started_leaving
    assert len(first.messages) > 0
    assert left_after < 1.0
    written = sorted(path.name for path in folder.iterdir())
    assert len(written) < 7  # 400,000 events make 8 chunks; the worker was stopped before
