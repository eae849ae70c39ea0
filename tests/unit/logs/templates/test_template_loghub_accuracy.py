"""Regression guard: grouping accuracy on Loghub-2k systems stays above a floor near measured.

The true groups are the lines of one true template, as Loghub-2.0's evaluation forms them (the
corrected Linux file gives one template three event ids, split by a user name).
"""

import csv
import json
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import pytest

from faultmaven.logs.headers import HeaderFormat
from faultmaven.logs.templates import TemplateMiner

_DATA = Path(__file__).parents[4] / ".." / "shared" / "data" / "loghub_2k"


def _grouping_accuracy(truth: Sequence[str], parsed: Sequence[str]) -> float:
    def clusters(labels: Sequence[str]) -> set[frozenset[int]]:
        members: dict[str, set[int]] = defaultdict(set)
        for index, label in enumerate(labels):
            members[label].add(index)
        return {frozenset(indices) for indices in members.values()}

    true_sets = clusters(truth)
    return sum(len(group) for group in clusters(parsed) if group in true_sets) / len(truth)


@pytest.mark.skipif(not _DATA.is_dir(), reason="shared Loghub-2k data not present")
@pytest.mark.parametrize(
    ("system", "floor"),
    [
        ("Android", 0.97),
        ("Apache", 0.99),
        ("BGL", 0.965),
        ("HDFS", 0.99),
        ("HPC", 0.98),
        ("HealthApp", 0.99),
        ("Linux", 0.98),
        ("OpenStack", 0.99),
        ("Spark", 0.99),
        ("Zookeeper", 0.98),
    ],
)
def test_grouping_accuracy_on_loghub_system_stays_above_floor(system: str, floor: float) -> None:
    log_format = json.loads((_DATA / "formats.json").read_text(encoding="utf-8"))[system]
    layout = HeaderFormat.parse(log_format["log_format"])
    lines = (_DATA / system / f"{system}_2k.log").read_text(encoding="utf-8").splitlines()
    with (_DATA / system / f"{system}_2k.log_structured_corrected.csv").open(encoding="utf-8") as f:
        truth = [" ".join(row["EventTemplate"].split()) for row in csv.DictReader(f)]
    miner = TemplateMiner()
    miner.add_batch(layout.content(line) for line in lines)
    groups = [entry.group for entry in miner.final_assignments()]
    assert _grouping_accuracy(truth, groups) >= floor
