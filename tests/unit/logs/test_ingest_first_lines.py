"""Events read in chunks keep the signatures of their raw first lines, however long the file."""

from datetime import UTC
from pathlib import Path

import pytest

from faultmaven.reasoning.signatures import match_signature
from faultmaven.services import log_events


def _write_log(path: Path) -> list[str]:
    lines = []
    for n in range(400):
        stamp = f"2024-05-01 10:00:{n % 60:02d}"
        lines.append(f"{stamp},001 INFO  [main] Api - retried {n}: No space left on device")
        if n % 7 == 0:
            lines.append(f"{stamp},002 ERROR [pool-{n}] Db - Connection refused (port {n})")
            lines.append("\tat com.shop.Db.open(Db.java:42)")
    path.write_text("\n".join(lines) + "\n")
    return lines


def _columns(path: Path) -> tuple[list[int], list[str | None], list[str]]:
    starts: list[int] = []
    signatures: list[str | None] = []
    messages: list[str] = []
    for chunk in log_events.read_event_chunks(path, UTC):
        starts.extend(chunk.columns.starts)
        signatures.extend(chunk.columns.signatures)
        messages.extend(chunk.messages)
    return starts, signatures, messages


def test_signatures_use_each_events_raw_lines_when_old_lines_are_dropped_often(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "app.log"
    lines = _write_log(path)
    monkeypatch.setattr(log_events, "EVENTS_PER_CHUNK", 50)
    monkeypatch.setattr(log_events, "_KEPT_LINES", 3)
    starts, signatures, messages = _columns(path)
    assert len(starts) == len(signatures) == len(messages) == 400 + 58
    assert sum(signature is not None for signature in signatures) == 58
    for start, signature in zip(starts, signatures, strict=True):
        first = lines[start - 1]
        if " INFO " in first:
            assert signature is None
        else:
            expected = match_signature("\n".join(lines[start - 1 : start + 1]))
            assert expected == signature == "connection_refused"
    monkeypatch.setattr(log_events, "_KEPT_LINES", 1_000_000)
    assert _columns(path) == (starts, signatures, messages)
