"""A written scenario bundle: evidence files, the expected answer, and where its proof lies.

Proving lines are never numbered by hand: a spec names a unique piece of the hand-written
cause line (and optionally of the last line of the proof), and `locate` finds them in the
rendered file.
"""

import re
from dataclasses import dataclass, field

from records import LogFormat, Record


@dataclass(frozen=True)
class Proof:
    """Proving lines: the unique line holding `first`, through the next one holding `last`."""

    evidence_name: str
    first: str
    last: str | None = None


@dataclass
class LogFile:
    """A log file under construction: records in any order, rendered in time order."""

    name: str
    format: LogFormat
    records: list[Record] = field(default_factory=list)

    def add(self, records: list[Record]) -> None:
        """Add records (ordinary traffic, a burst of symptoms, a hand-written signal)."""
        self.records.extend(records)

    def render(self) -> str:
        """The file's text: every record rendered, ordered by time (stable for equal times)."""
        lines: list[str] = []
        for record in sorted(self.records, key=lambda record: record.time):
            lines.extend(self.format.render(record))
        return "\n".join(lines) + "\n"


@dataclass
class Bundle:
    """Everything one scenario folder holds except `held_out`, which the draw decides."""

    question: str
    category: str
    component: str
    statement: str
    files: dict[str, str]
    proofs: list[Proof]
    decoys: list[str]


def physical_lines(text: str) -> list[str]:
    """Split text into lines the way FaultMaven numbers them (\\n, \\r\\n or a lone \\r)."""
    lines = re.split(r"\r\n|\n|\r", text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def locate(text: str, proof: Proof) -> tuple[int, int]:
    """Return the 1-based inclusive line range of `proof` in `text` (`first` must be unique)."""
    lines = physical_lines(text)
    starts = [index for index, line in enumerate(lines) if proof.first in line]
    if len(starts) != 1:
        raise ValueError(f"{proof.first!r} is on {len(starts)} lines of {proof.evidence_name}")
    start = starts[0]
    if proof.last is None:
        return start + 1, start + 1
    for index in range(start, len(lines)):
        if proof.last in lines[index]:
            return start + 1, index + 1
    raise ValueError(f"{proof.last!r} not found after {proof.first!r} in {proof.evidence_name}")
