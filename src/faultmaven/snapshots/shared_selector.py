"""Pods of two workloads behind one label selector (`kubectl get pods -l app=checkout`).

A Service sends traffic to every ready pod its selector matches. A second Deployment
(a canary, a debug copy, a half-migrated chart) whose pods carry the same labels takes a
share of the Service's requests: when its pods are configured differently, that share
fails while the rest succeeds. The reader flags the rows of the workload with the fewest
pods in such a listing; it is the one that joined.
"""

import re
from collections import defaultdict
from collections.abc import Sequence

from faultmaven.snapshots.finding import SnapshotFinding

# An equality selector (`app=checkout`, `app=checkout,tier=web`); a set-based one (`app in
# (a,b)`) asks for several workloads on purpose.
_COMMAND = re.compile(
    r"\bkubectl\b.*\bget\s+pods?\b.*(?:-l|--selector)[= ]\s*['\"]?"
    r"(?P<selector>[\w./-]+=[\w./-]+(?:,[\w./-]+=[\w./-]+)*)(?:['\"]|\s|$)"
)
_HEADER = re.compile(r"^NAME\s+READY\s+STATUS\b")
# A Deployment's pod (`<name>-<template hash>-<suffix>`) or another generated one; looser
# than the generator's alphabet, so two ReplicaSets of one rollout read as one workload.
_GENERATED = re.compile(r"^(?P<workload>.+?)(?:-[a-z0-9]{6,10})?-[a-z0-9]{5}$")
_ROW = re.compile(r"^(?P<pod>[a-z0-9][a-z0-9.-]*)\s+\d+/\d+\s+(?P<status>\w+)")


def shared_selector_findings(lines: Sequence[str]) -> list[SnapshotFinding]:
    """Return the minority workload's pods in each pod listing by selector spanning two."""
    found: list[SnapshotFinding] = []
    selector: str | None = None
    rows: dict[str, list[int]] = defaultdict(list)
    for number, line in enumerate([*lines, ""], start=1):
        command = _COMMAND.search(line)
        if command is not None or not line.strip():
            found += _minority(selector, rows)
            selector = command.group("selector") if command is not None else None
            rows = defaultdict(list)
            continue
        row = _ROW.match(line) if selector and not _HEADER.match(line) else None
        if row is not None and row.group("status") == "Running":
            rows[_workload(row.group("pod"))].append(number)
    return found


def _workload(pod: str) -> str:
    generated = _GENERATED.match(pod)
    return generated.group("workload") if generated is not None else pod


def _minority(selector: str | None, rows: dict[str, list[int]]) -> list[SnapshotFinding]:
    """Flag the workload with the fewest pods when one selector matched several."""
    if selector is None or len(rows) < 2:
        return []
    counts = sorted(rows.items(), key=lambda item: (len(item[1]), item[0]))
    joined, numbers = counts[0]
    main, main_numbers = counts[-1]
    if len(numbers) >= len(main_numbers):
        return []  # two equal halves: a migration in progress, not one that slipped in
    return [
        SnapshotFinding(
            kind="selector_shared",
            subject=joined,
            line_start=number,
            line_end=number,
            detail=(
                f"{joined}'s pods match the selector {selector} beside {main}'s"
                f" {len(main_numbers)}, so they take a share of its traffic"
            ),
            scope=main,
        )
        for number in numbers
    ]
