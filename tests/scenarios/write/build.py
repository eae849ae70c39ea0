"""Regenerate every written scenario bundle (`tests/scenarios/bundles/w*`) byte for byte.

    python tests/scenarios/write/build.py [--only w05] [--out DIR]

Each `specs/wNN.py` module returns a `Bundle`; this script writes its files, locates the
proving lines in the rendered text, and writes `expect.json`. Which bundles are held out was
decided by two seeded draws (`draw_held_out`), each made when its bundles were written and
before FaultMaven was run on any of them: 10 of w01..w36 (seed 20261125), then 10 of the
fresh w37..w56 (seed 20261126). With no random choice,
the third draw holds every bundle w57..w64, written after the second draw had been measured once
(`THIRD_DRAW`), and the fourth every bundle w77..w86, written after the third had been measured
once (`FOURTH_DRAW`), and the fifth every bundle w107..w116, written after the fourth had been
measured (`FIFTH_DRAW`), and the sixth every bundle w147..w156, written after the fifth had
been measured (`SIXTH_DRAW`), and the seventh every bundle w187..w196, written after the sixth
had been measured (`SEVENTH_DRAW`), and the eighth every bundle w227..w236, written after the
seventh had been measured (`EIGHTH_DRAW`), and the ninth every bundle w267..w276, written
after the eighth had been measured (`NINTH_DRAW`), and the tenth every bundle w307..w316,
written after the ninth had been measured (`TENTH_DRAW`), and the eleventh every bundle
w337..w346, written after the tenth had been measured (`ELEVENTH_DRAW`), and the twelfth every
bundle w367..w376, written after the eleventh had been measured (`TWELFTH_DRAW`), the
thirteenth, w397..w406, written after the twelfth had been measured (`THIRTEENTH_DRAW`), the
fourteenth, w427..w436, written after the thirteenth had been measured (`FOURTEENTH_DRAW`), the
fifteenth, w457..w466, written after the fourteenth had been measured (`FIFTEENTH_DRAW`), the
sixteenth, w491..w500, written after the fifteenth had been measured (`SIXTEENTH_DRAW`), the
seventeenth, w521..w530, written after the sixteenth had been measured (`SEVENTEENTH_DRAW`), the
eighteenth, w553..w562, written after the seventeenth had been measured (`EIGHTEENTH_DRAW`), and a
nineteenth, w593..w602, written after the eighteenth had been measured (`NINETEENTH_DRAW`); see
tests/scenarios/README.md.
"""

import argparse
import importlib
import json
import random
import shutil
import sys
from pathlib import Path

from bundle import Bundle, locate

HERE = Path(__file__).parent
BUNDLES = HERE.parent / "bundles"
HELD_OUT_SEED = 20261125
HELD_OUT_COUNT = 10
DRAWN_OVER = [f"w{number:02d}" for number in range(1, 37)]
# The second draw, over the bundles written after the first draw had been looked at.
SECOND_SEED = 20261126
SECOND_COUNT = 10
SECOND_DRAWN_OVER = [f"w{number:02d}" for number in range(37, 57)]
# The third draw holds every bundle written after the second draw had been measured once.
THIRD_DRAW = [f"w{number:02d}" for number in range(57, 65)]
# Every bundle written blind after the third draw had been measured once and the tuning set
# w65..w76 had been tuned on.
FOURTH_DRAW = [f"w{number:02d}" for number in range(77, 87)]
# Every bundle written blind after the fourth draw had been measured and w87..w106 tuned on;
# registered before any of them was written.
FIFTH_DRAW = [f"w{number}" for number in range(107, 117)]
# Every bundle written blind after the fifth draw had been measured and w117..w146 tuned on;
# registered before any of them was written.
SIXTH_DRAW = [f"w{number}" for number in range(147, 157)]
# Every bundle written blind after the sixth draw had been measured and w157..w186 tuned on;
# registered before any of them was written.
SEVENTH_DRAW = [f"w{number}" for number in range(187, 197)]
# Every bundle written blind after the seventh draw had been measured and w197..w226 tuned on;
# registered before any of them was written.
EIGHTH_DRAW = [f"w{number}" for number in range(227, 237)]
# Every bundle written blind after the eighth draw had been measured and w237..w266 tuned on;
# registered before any of them was written.
NINTH_DRAW = [f"w{number}" for number in range(267, 277)]
# Every bundle written blind after the ninth draw had been measured and w277..w306 tuned on;
# registered before any of them was written.
TENTH_DRAW = [f"w{number}" for number in range(307, 317)]
# Every bundle written blind after the tenth draw had been measured and w317..w336 tuned on;
# registered before any of them was written.
ELEVENTH_DRAW = [f"w{number}" for number in range(337, 347)]
TWELFTH_DRAW = [f"w{number}" for number in range(367, 377)]
THIRTEENTH_DRAW = [f"w{number}" for number in range(397, 407)]
FOURTEENTH_DRAW = [f"w{number}" for number in range(427, 437)]
FIFTEENTH_DRAW = [f"w{number}" for number in range(457, 467)]
SIXTEENTH_DRAW = [f"w{number}" for number in range(491, 501)]
SEVENTEENTH_DRAW = [f"w{number}" for number in range(521, 531)]
EIGHTEENTH_DRAW = [f"w{number}" for number in range(553, 563)]
NINETEENTH_DRAW = [f"w{number}" for number in range(593, 603)]


def draw_held_out(
    ids: list[str], seed: int = HELD_OUT_SEED, count: int = HELD_OUT_COUNT
) -> list[str]:
    """The held-out ids: `count` drawn from the sorted `ids` by a `random.Random(seed)`."""
    return sorted(random.Random(seed).sample(sorted(ids), count))


def spec_ids() -> list[str]:
    """Every spec module's id, in order."""
    stems = (path.stem for path in (HERE / "specs").glob("w[0-9]*.py"))
    return sorted((stem for stem in stems if stem[1:].isdigit()), key=lambda stem: int(stem[1:]))


def expectation(bundle: Bundle, held_out: bool) -> dict[str, object]:
    """The `expect.json` document of a bundle, proving lines located in its rendered files."""
    proving_lines = []
    for proof in bundle.proofs:
        start, end = locate(bundle.files[proof.evidence_name], proof)
        proving_lines.append(
            {"evidence_name": proof.evidence_name, "line_start": start, "line_end": end}
        )
    for decoy in bundle.decoys:
        if not any(decoy in text for text in bundle.files.values()):
            raise ValueError(f"decoy {decoy!r} is in no file")
    return {
        "question": bundle.question,
        "category": bundle.category,
        "component": bundle.component,
        "statement": bundle.statement,
        "proving_lines": proving_lines,
        "decoys": bundle.decoys,
        "source": "written",
        "held_out": held_out,
    }


def write_bundle(bundle_id: str, out: Path, held_out: bool) -> None:
    """Render one spec into `out/<id>/`, replacing what was there."""
    module = importlib.import_module(f"specs.{bundle_id}")
    bundle: Bundle = module.bundle()
    folder = out / bundle_id
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    document = expectation(bundle, held_out)
    for name, text in bundle.files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode())
    (folder / "expect.json").write_text(json.dumps(document, indent=2) + "\n")


def main(argv: list[str] | None = None) -> None:
    """Write the bundles asked for (all by default)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", help="bundle id to write (repeatable)")
    parser.add_argument("--out", type=Path, default=BUNDLES)
    arguments = parser.parse_args(argv)
    held_out = (
        set(draw_held_out(DRAWN_OVER))
        | set(draw_held_out(SECOND_DRAWN_OVER, SECOND_SEED, SECOND_COUNT))
        | set(THIRD_DRAW)
        | set(FOURTH_DRAW)
        | set(FIFTH_DRAW)
        | set(SIXTH_DRAW)
        | set(SEVENTH_DRAW)
        | set(EIGHTH_DRAW)
        | set(NINTH_DRAW)
        | set(TENTH_DRAW)
        | set(ELEVENTH_DRAW)
        | set(TWELFTH_DRAW)
        | set(THIRTEENTH_DRAW)
        | set(FOURTEENTH_DRAW)
        | set(FIFTEENTH_DRAW)
        | set(SIXTEENTH_DRAW)
        | set(SEVENTEENTH_DRAW)
        | set(EIGHTEENTH_DRAW)
        | set(NINETEENTH_DRAW)
    )
    for bundle_id in arguments.only or spec_ids():
        write_bundle(bundle_id, arguments.out, bundle_id in held_out)
        print(f"wrote {arguments.out / bundle_id}", file=sys.stderr)


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    main()
