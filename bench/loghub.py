"""Load the Loghub-2k samples and score a parser with the Loghub benchmark's metrics.

GA (grouping accuracy): a line is correct when the set of lines the parser grouped with it
equals exactly its ground-truth group: the lines of the same true template (`EventTemplate`), as
Loghub-2.0's evaluation groups them. Not `EventId`: the corrected Linux file keeps three ids
(E17, E18, E19) for one identical template, split only by the value of its `user=<*>` variable.
PA (parsing accuracy): a line is correct when its template equals the ground-truth template
after normalising whitespace. FGA: F1 over groups, where a parsed group is correct when its
lines are exactly one ground-truth group.
"""

import csv
import json
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "loghub_2k"
SYSTEMS = (
    "Android",
    "Apache",
    "BGL",
    "HDFS",
    "HPC",
    "HealthApp",
    "Linux",
    "OpenStack",
    "Spark",
    "Zookeeper",
)
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Sample:
    """One system's raw lines, header format and ground truth (one entry per line)."""

    system: str
    lines: list[str]
    log_format: str
    groups: list[str]
    templates: list[str]


@dataclass(frozen=True)
class Scores:
    """Loghub metrics for one parser on one system."""

    grouping_accuracy: float
    parsing_accuracy: float
    group_f1: float


def load(system: str, data: Path = DATA) -> Sample:
    """Read one system's raw lines, its `log_format` and its corrected ground truth."""
    folder = data / system
    lines = (folder / f"{system}_2k.log").read_text(encoding="utf-8").splitlines()
    formats = json.loads((data / "formats.json").read_text(encoding="utf-8"))
    with (folder / f"{system}_2k.log_structured_corrected.csv").open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    if len(rows) != len(lines):
        raise ValueError(f"{system}: {len(lines)} lines but {len(rows)} ground-truth rows")
    return Sample(
        system=system,
        lines=lines,
        log_format=formats[system]["log_format"],
        groups=[_SPACE.sub(" ", row["EventTemplate"]).strip() for row in rows],
        templates=[row["EventTemplate"] for row in rows],
    )


def _clusters(labels: Sequence[str]) -> dict[str, frozenset[int]]:
    members: dict[str, set[int]] = defaultdict(set)
    for index, label in enumerate(labels):
        members[label].add(index)
    return {label: frozenset(indices) for label, indices in members.items()}


def score(sample: Sample, groups: Sequence[str], templates: Sequence[str]) -> Scores:
    """Score one parser's per-line groups and templates against the ground truth."""
    truth = _clusters(sample.groups)
    parsed = _clusters(groups)
    true_sets = set(truth.values())
    correct_groups = [members for members in parsed.values() if members in true_sets]
    grouping_accuracy = sum(len(members) for members in correct_groups) / len(sample.lines)
    precision = len(correct_groups) / len(parsed)
    recall = len(correct_groups) / len(truth)
    group_f1 = 2 * precision * recall / (precision + recall) if correct_groups else 0.0
    exact = sum(
        _SPACE.sub(" ", mine).strip() == _SPACE.sub(" ", true).strip()
        for mine, true in zip(templates, sample.templates, strict=True)
    )
    return Scores(grouping_accuracy, exact / len(sample.lines), group_f1)


def template_errors(
    sample: Sample, templates: Sequence[str], limit: int = 20
) -> list[tuple[str, str, int]]:
    """Return the most frequent (ours, truth, lines) template mismatches, for diagnosis."""
    misses = Counter(
        (mine, true)
        for mine, true in zip(templates, sample.templates, strict=True)
        if _SPACE.sub(" ", mine).strip() != _SPACE.sub(" ", true).strip()
    )
    return [(mine, true, count) for (mine, true), count in misses.most_common(limit)]
