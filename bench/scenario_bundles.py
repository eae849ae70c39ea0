"""The scenario bundles as bench/diagnosis.py reads them: evidence, expectation and part.

A bundle's part is `tuned`, or the held-out draw it belongs to: the README of
tests/scenarios lists the ids of each later draw after its marker; other held-out bundles
are the first draw.
"""

import json
from dataclasses import dataclass
from pathlib import Path

BUNDLES = Path(__file__).resolve().parent.parent / "tests" / "scenarios" / "bundles"
PARTS = (
    "tuned",
    "held-out-1",
    "held-out-2",
    "held-out-3",
    "held-out-4",
    "held-out-5",
    "held-out-6",
    "held-out-7",
    "held-out-8",
    "held-out-9",
    "held-out-10",
    "held-out-11",
    "held-out-12",
    "held-out-13",
    "held-out-14",
    "held-out-15",
    "held-out-16",
    "held-out-17",
    "held-out-18",
    "held-out-19",
)
"""held-out-1: the first draw (c05 c10 c12 c15 c16 and ten of w01..w36), looked at once;
held-out-2: the second draw over w37..w56, measured once at the end of the session that wrote it;
held-out-3: w57..w64, written after that, measured once at the end of the session that wrote it;
held-out-4: w77..w86, measured once blind at the end of the session that wrote it;
held-out-5: w107..w116, measured once blind at the end of the session that wrote it;
held-out-6: w147..w156, measured once blind at the end of the session that wrote it;
held-out-7: w187..w196, measured once blind at the end of the session that wrote it;
held-out-8: w227..w236, measured once blind at the end of the session that wrote it;
held-out-9: w267..w276, measured once blind at the end of the session that wrote it;
held-out-10: w307..w316, measured once blind at the end of the session that wrote it;
held-out-11: w337..w346, measured once blind at the end of the session that wrote it;
held-out-12: w367..w376, measured once blind at the end of the session that wrote it;
held-out-13: w397..w406, measured once blind at the end of the session that wrote it;
held-out-14: w427..w436, measured once blind at the end of the session that wrote it;
held-out-15: w457..w466, measured once blind at the end of the session that wrote it;
held-out-16: w491..w500, measured once blind at the end of the session that wrote it;
held-out-17: w521..w530, measured once blind at the end of the session that wrote it;
held-out-18: w553..w562, measured once blind at the end of the session that wrote it;
held-out-19: w593..w602 (tests/scenarios/README.md), blind until reported."""
SUMMARY_PARTS = (*PARTS, "held-out", "all")
# The README line after each marker lists that draw's ids; other held-out bundles are draw 1.
DRAW_MARKERS = {
    "<!-- held-out second draw -->": "held-out-2",
    "<!-- held-out third draw -->": "held-out-3",
    "<!-- held-out fourth draw -->": "held-out-4",
    "<!-- held-out fifth draw -->": "held-out-5",
    "<!-- held-out sixth draw -->": "held-out-6",
    "<!-- held-out seventh draw -->": "held-out-7",
    "<!-- held-out eighth draw -->": "held-out-8",
    "<!-- held-out ninth draw -->": "held-out-9",
    "<!-- held-out tenth draw -->": "held-out-10",
    "<!-- held-out eleventh draw -->": "held-out-11",
    "<!-- held-out twelfth draw -->": "held-out-12",
    "<!-- held-out thirteenth draw -->": "held-out-13",
    "<!-- held-out fourteenth draw -->": "held-out-14",
    "<!-- held-out fifteenth draw -->": "held-out-15",
    "<!-- held-out sixteenth draw -->": "held-out-16",
    "<!-- held-out seventeenth draw -->": "held-out-17",
    "<!-- held-out eighteenth draw -->": "held-out-18",
    "<!-- held-out nineteenth draw -->": "held-out-19",
}


@dataclass(frozen=True)
class Proof:
    """One proving range of a bundle."""

    evidence_name: str
    line_start: int
    line_end: int

    def holds(self, name: str, start: int, end: int) -> bool:
        """Say whether lines `start`..`end` of `name` overlap this range."""
        return name == self.evidence_name and start <= self.line_end and end >= self.line_start


@dataclass(frozen=True)
class Bundle:
    """A scenario bundle as read from its folder."""

    id: str
    folder: Path
    question: str
    category: str
    component: str
    proofs: list[Proof]
    decoys: list[str]
    source: str
    part: str

    @property
    def files(self) -> list[Path]:
        """The evidence files, in name order."""
        return sorted(p for p in self.folder.rglob("*") if p.is_file() and p.name != "expect.json")

    def name_of(self, path: Path) -> str:
        """Return the evidence name of one of its files."""
        return path.relative_to(self.folder).as_posix()


def load_bundles(pattern: str, part: str) -> list[Bundle]:
    """Read the bundles whose folder names match `pattern`, keeping the part asked for."""
    bundles = []
    for folder in sorted(BUNDLES.glob(pattern)):
        if not (folder / "expect.json").is_file():
            continue
        document = json.loads((folder / "expect.json").read_text())
        bundle = Bundle(
            id=folder.name,
            folder=folder,
            question=document["question"],
            category=document["category"],
            component=document["component"],
            proofs=[Proof(**proof) for proof in document["proving_lines"]],
            decoys=document["decoys"],
            source=document["source"],
            part=_part(folder.name, document["held_out"]),
        )
        if in_part(bundle.part, part):
            bundles.append(bundle)
    return bundles


def later_draws() -> dict[str, str]:
    """Map each bundle of a later held-out draw to its part, as the scenario README lists them."""
    lines = (BUNDLES.parent / "README.md").read_text().splitlines()
    parts: dict[str, str] = {}
    for marker, part in DRAW_MARKERS.items():
        if marker in lines:
            parts.update(dict.fromkeys(lines[lines.index(marker) + 1].split(), part))
    return parts


def _part(bundle_id: str, held_out: bool) -> str:
    if not held_out:
        return "tuned"
    return later_draws().get(bundle_id, "held-out-1")


def in_part(bundle_part: str, asked: str) -> bool:
    """Tell whether a bundle of `bundle_part` belongs to the part asked for."""
    return asked in ("all", bundle_part) or (asked == "held-out" and bundle_part != "tuned")
