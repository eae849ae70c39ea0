"""Naive baselines for root-cause ranking: the most frequent error line, the first error line.

Error lines are those a naive reader calls errors; see bench/diagnosis.py's docstring for
the exact rules and how the baselines are scored.
"""

import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from scenario_bundles import Bundle

from faultmaven.logs.timestamps import find_timestamp

# Each baseline proposes this many candidate lines, best first.
CANDIDATES = 3
UPPER_LEVEL = re.compile(r"\b(?:ERROR|FATAL|CRITICAL|SEVERE|PANIC|CRIT)\b")
OTHER_LEVEL = re.compile(
    r"\"(?:level|severity|lvl|log\.level)\"\s*:\s*\"(?:error|err|fatal|critical|crit)\""
    r"|\blevel=(?:error|err|fatal|critical|crit)\b"
    r"|\"level\"\s*:\s*(?:50|60)\b"
    r"|\[(?:error|crit|alert|emerg)\]"
    r"|^(?:[\w$]+\.)*\w*(?:Exception|Error)(?::|$)"
    r"|^Caused by: ",
    re.IGNORECASE,
)
SYSLOG_PRIORITY = re.compile(r"^<(\d{1,3})>")
VARIABLE = re.compile(r"0x[0-9a-f]+|[0-9a-f]*[0-9][0-9a-f]*")


@dataclass(frozen=True)
class ErrorLine:
    """An error line a baseline may pick: where it is and when it happened."""

    evidence_name: str
    number: int
    text: str
    time: datetime | None
    order: int


def is_error_line(text: str) -> bool:
    """Say whether a naive reader calls the line an error (see the module docstring)."""
    priority = SYSLOG_PRIORITY.match(text)
    if priority and int(priority.group(1)) % 8 <= 3:
        return True
    return bool(UPPER_LEVEL.search(text) or OTHER_LEVEL.search(text))


def error_lines(bundle: Bundle) -> list[ErrorLine]:
    """Every error line of the bundle, in file order, each with its (inherited) time."""
    found: list[ErrorLine] = []
    for path in bundle.files:
        last_time: datetime | None = None
        text = path.read_bytes().decode("utf-8", errors="replace")
        for number, line in enumerate(re.split(r"\r\n|\n|\r", text), 1):
            stamp = find_timestamp(line)
            last_time = stamp or last_time
            if is_error_line(line):
                found.append(ErrorLine(bundle.name_of(path), number, line, last_time, len(found)))
    return found


def most_frequent_error(lines: list[ErrorLine]) -> list[ErrorLine]:
    """Candidates: the first occurrence of each normalised text, most frequent first."""
    normalised = [VARIABLE.sub("#", line.text.lower()) for line in lines]
    counts = Counter(normalised)
    first: dict[str, ErrorLine] = {}
    for key, line in zip(normalised, lines, strict=True):
        first.setdefault(key, line)
    ranked = sorted(first, key=lambda key: (-counts[key], first[key].order))
    return [first[key] for key in ranked[:CANDIDATES]]


def first_error(lines: list[ErrorLine]) -> list[ErrorLine]:
    """Candidates: error lines by time (untimed ones last), then file order."""
    if not any(line.time for line in lines):
        return lines[:CANDIDATES]
    timed = sorted(
        lines,
        key=lambda line: (
            line.time is None,
            line.time.timestamp() if line.time else 0.0,
            line.order,
        ),
    )
    return timed[:CANDIDATES]
