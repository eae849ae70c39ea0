"""Per-CPU utilisation (`mpstat -P ALL`): one CPU pinned by interrupts while the rest idle.

A network card whose every queue interrupts the same CPU (irqbalance missing after a
rebuild, a bad `smp_affinity`) saturates that CPU in softirq at peak while the others stay
idle: the host's average CPU looks fine, the kernel drops packets it cannot process, and
clients see retransmits, slowness and timeouts through that host only.
"""

import re
from collections.abc import Sequence

from faultmaven.snapshots.finding import SnapshotFinding

# mpstat's header names the columns; a row starts with a time or `Average:` and a CPU number.
_HEADER = re.compile(r"\bCPU\s+%usr\b.*%soft\b.*%idle\s*$")
_ROW = re.compile(
    r"^\s*(?:Average:|\d{1,2}:\d{2}:\d{2}(?:\s*[AP]M)?)\s+(?P<cpu>\d+)\s+(?P<rest>.*)$"
)
# A CPU this busy in interrupt handling is saturated by it...
SATURATED_PERCENT = 80.0
# ...while another CPU this idle shows the load is not spread.
IDLE_PERCENT = 50.0


def softirq_findings(lines: Sequence[str]) -> list[SnapshotFinding]:
    """Return each mpstat table in which one CPU is saturated by interrupts and another idles."""
    found: list[SnapshotFinding] = []
    columns: list[str] | None = None
    rows: list[tuple[int, dict[str, float]]] = []
    for number, line in enumerate(lines, start=1):
        if _HEADER.search(line):
            found += _finding(rows)
            columns, rows = _columns(line), []
            continue
        row = _ROW.match(line)
        if columns is None or row is None:
            continue
        values = _values(columns, row.group("cpu"), row.group("rest"))
        if values is not None:
            rows.append((number, values))
    return found + _finding(rows)


def _columns(header: str) -> list[str]:
    """Return the column names after `CPU` (`%usr`, `%nice`, ..., `%idle`)."""
    words = header.split()
    return words[words.index("CPU") + 1 :]


def _values(columns: list[str], cpu: str, rest: str) -> dict[str, float] | None:
    words = rest.split()
    if len(words) != len(columns):
        return None
    try:
        values = {name: float(word) for name, word in zip(columns, words, strict=True)}
    except ValueError:
        return None
    values["cpu"] = float(cpu)
    return values


def _finding(rows: list[tuple[int, dict[str, float]]]) -> list[SnapshotFinding]:
    """Return the finding of one table: its busiest interrupt CPU, when another one idles.

    mpstat repeats each CPU per interval and in its averages: idle CPUs are counted once.
    """
    busy = [(number, values) for number, values in rows if _interrupts(values) >= SATURATED_PERCENT]
    idle = {int(values["cpu"]) for _, values in rows if values.get("%idle", 0.0) >= IDLE_PERCENT}
    if not busy or not idle:
        return []
    number, values = max(busy, key=lambda row: (_interrupts(row[1]), -row[0]))
    cpu = int(values["cpu"])
    return [
        SnapshotFinding(
            kind="softirq_one_cpu",
            subject=f"CPU{cpu}",
            line_start=number,
            line_end=number,
            detail=f"CPU{cpu} spends {_interrupts(values):.0f}% in interrupts while"
            f" {len(idle)} other CPUs idle",
        )
    ]


def _interrupts(values: dict[str, float]) -> float:
    """Return the share of time a CPU spent handling interrupts (hard and soft)."""
    return values.get("%soft", 0.0) + values.get("%irq", 0.0)
