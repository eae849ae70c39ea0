# ruff: noqa: E501
# Stack frames are data, kept whole on one line.
"""Building blocks the specs share: hand-written records at a minute, stack traces, bursts."""

import random
import zlib
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from records import Record
from traffic import Line, traffic


def at(
    start: datetime,
    minute: float,
    level: str,
    message: str,
    trailer: Sequence[str] = (),
    logger: str | None = None,
) -> Record:
    """A hand-written record `minute` minutes after `start`, at a millisecond of its own.

    The milliseconds (under 500) come from the message's checksum, so hand-written lines do
    not stand out with round times among the generated ones, the bundle stays reproducible,
    and lines written 0.01 minute (600 ms) or more apart keep their order.
    """
    millis = zlib.crc32(message.encode()) % 500
    return Record(
        start + timedelta(minutes=minute, milliseconds=millis),
        level,
        message,
        tuple(trailer),
        logger,
    )


def java_trace(
    exception: str, frames: Sequence[str], caused_by: Sequence[str] = (), more: int = 0
) -> list[str]:
    """A Java stack trace: `exception` then `\\tat frame` lines, an optional `Caused by:` chain."""
    lines = [exception, *(f"\tat {frame}" for frame in frames)]
    if caused_by:
        lines.append(f"Caused by: {caused_by[0]}")
        lines.extend(f"\tat {frame}" for frame in caused_by[1:])
    if more:
        lines.append(f"\t... {more} more")
    return lines


def python_traceback(frames: Sequence[tuple[str, int, str, str]], exception: str) -> list[str]:
    """A Python traceback from (file, line, function, source) frames and the final exception line."""
    lines = ["Traceback (most recent call last):"]
    for path, number, function, source in frames:
        lines += [f'  File "{path}", line {number}, in {function}', f"    {source}"]
    return [*lines, exception]


def loud(
    rng: random.Random,
    start: datetime,
    from_minute: float,
    minutes: float,
    count: int,
    make: Callable[[random.Random], Line],
) -> list[Record]:
    """`count` symptom records from `make` between `from_minute` and `from_minute + minutes`."""
    return traffic(rng, make, start + timedelta(minutes=from_minute), minutes, count)


def fixed(
    level: str,
    message: Callable[[random.Random], str],
    trailer: Callable[[random.Random], Sequence[str]] | None = None,
) -> Callable[[random.Random], Line]:
    """A symptom maker: always `level`, message (and trailer) built with fresh values."""

    def make(rng: random.Random) -> Line:
        return level, message(rng), tuple(trailer(rng)) if trailer else ()

    return make
