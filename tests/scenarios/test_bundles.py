"""Every scenario bundle keeps the contract (CONTRACTS.md section 9), and one runs end to end.

The checks are about the bundles' shape and honesty, never about how well FaultMaven scores:
the expected answer is well formed, its proving lines exist, its decoys are really there, no
file name gives the answer away, and the held-out part is the one the README names.
"""

import json
import random
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from faultmaven.domain.cases import CaseCreate
from faultmaven.domain.diagnosis import Category
from faultmaven.services import cases, diagnose, evidence
from faultmaven.services.apikeys import tenant_principal

SCENARIOS = Path(__file__).parent
BUNDLES = SCENARIOS / "bundles"
README = SCENARIOS / "README.md"
EXPECT_KEYS = {
    "question": str,
    "category": str,
    "component": str,
    "statement": str,
    "proving_lines": list,
    "decoys": list,
    "source": str,
    "held_out": bool,
}
PROOF_KEYS = {"evidence_name": str, "line_start": int, "line_end": int}
BUNDLE_COUNT, HELD_OUT, MIN_CAPTURED = 650, 193, 15
# The second draw of written held-out bundles (README, write/build.py), made before any run.
SECOND_DRAW_SEED, SECOND_DRAW_COUNT = 20261126, 10
SECOND_DRAW_IDS = [f"w{number:02d}" for number in range(37, 57)]
# The third draw holds every bundle written after the second draw had been measured once.
THIRD_DRAW_IDS = [f"w{number:02d}" for number in range(57, 65)]
# Written after the third draw for tuning: never held out.
TUNING_IDS = [f"w{number:02d}" for number in range(65, 77)] + [
    f"w{number:02d}"
    for number in [
        *range(87, 107),
        *range(117, 147),
        *range(157, 187),
        *range(197, 227),
        *range(237, 267),
        *range(277, 307),
        *range(317, 337),
        *range(347, 367),
        *range(377, 397),
        *range(407, 427),
        *range(437, 457),
        *range(467, 491),
        *range(501, 521),
        *range(531, 553),
        *range(563, 593),
        *range(603, 633),
    ]
]
# The fourth draw holds every bundle written blind after the third draw had been measured once.
FOURTH_DRAW_IDS = [f"w{number:02d}" for number in range(77, 87)]
# The fifth draw holds every bundle written blind after the fourth draw had been measured.
FIFTH_DRAW_IDS = [f"w{number}" for number in range(107, 117)]
# The sixth draw holds every bundle written blind after the fifth draw had been measured.
SIXTH_DRAW_IDS = [f"w{number}" for number in range(147, 157)]
# The seventh draw holds every bundle written blind after the sixth draw had been measured.
SEVENTH_DRAW_IDS = [f"w{number}" for number in range(187, 197)]
# The eighth draw holds every bundle written blind after the seventh draw had been measured.
EIGHTH_DRAW_IDS = [f"w{number}" for number in range(227, 237)]
# The ninth draw holds every bundle written blind after the eighth draw had been measured.
NINTH_DRAW_IDS = [f"w{number}" for number in range(267, 277)]
# The tenth draw holds every bundle written blind after the ninth draw had been measured.
TENTH_DRAW_IDS = [f"w{number}" for number in range(307, 317)]
# The eleventh draw holds every bundle written blind after the tenth draw had been measured.
ELEVENTH_DRAW_IDS = [f"w{number}" for number in range(337, 347)]
# The twelfth draw holds every bundle written blind after the eleventh draw had been measured.
TWELFTH_DRAW_IDS = [f"w{number}" for number in range(367, 377)]
# The thirteenth draw holds every bundle written blind after the twelfth draw had been measured.
THIRTEENTH_DRAW_IDS = [f"w{number}" for number in range(397, 407)]
# The fourteenth draw holds every bundle written blind after the thirteenth draw had been measured.
FOURTEENTH_DRAW_IDS = [f"w{number}" for number in range(427, 437)]
FIFTEENTH_DRAW_IDS = [f"w{number}" for number in range(457, 467)]
SIXTEENTH_DRAW_IDS = [f"w{number}" for number in range(491, 501)]
SEVENTEENTH_DRAW_IDS = [f"w{number}" for number in range(521, 531)]
EIGHTEENTH_DRAW_IDS = [f"w{number}" for number in range(553, 563)]
NINETEENTH_DRAW_IDS = [f"w{number}" for number in range(593, 603)]
OWNER = re.compile(r"([a-z0-9][a-z0-9-]*)'(?:s\b|(?=\s))")
END_TO_END_BUNDLE = "w05"
# Words that name the kind of file, not the cause: fine in any evidence name.
FILE_KIND_WORDS = frozenset(
    {"log", "logs", "txt", "json", "jsonl", "yaml", "yml", "csv", "access", "error", "errors",
     "events", "describe", "pod", "pods", "node", "nodes", "metrics", "syslog", "host",
     "service", "server", "output", "stdout", "stderr", "get", "query", "range", "rollout",
     "top"}
)  # fmt: skip
# Words too common to leak anything when a name and a statement share them.
STOP_WORDS = frozenset(
    {"that", "this", "with", "from", "into", "were", "when", "then", "than", "they", "their",
     "after", "before", "every", "because", "which", "while", "about", "over", "under", "only",
     "also", "there", "have", "does", "since", "until", "each", "other"}
)  # fmt: skip


def bundle_folders() -> list[Path]:
    """Every bundle folder, in id order."""
    return sorted(path for path in BUNDLES.iterdir() if (path / "expect.json").is_file())


def expectation(folder: Path) -> dict[str, object]:
    document: dict[str, object] = json.loads((folder / "expect.json").read_text())
    return document


def evidence_files(folder: Path) -> dict[str, Path]:
    """The bundle's evidence by evidence name (its path inside the bundle folder)."""
    return {
        path.relative_to(folder).as_posix(): path
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != "expect.json"
    }


def decoded(path: Path) -> str:
    """Decode as FaultMaven does: UTF-8 with BOM, UTF-16 by BOM, else UTF-8 with replacement."""
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", errors="replace")
    return raw.decode("utf-8", errors="replace")


def physical_lines(text: str) -> list[str]:
    """Lines split on \\n, \\r\\n or a lone \\r; a last line without a terminator counts."""
    lines = re.split(r"\r\n|\n|\r", text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text.lower()))


def mentioned_as_word(word: str, texts: list[str]) -> bool:
    pattern = re.compile(rf"(?<![a-z0-9]){re.escape(word)}(?![a-z0-9])", re.IGNORECASE)
    return any(pattern.search(text) for text in texts)


def leaking_words(folder: Path) -> list[str]:
    """Words of evidence names that name the category, or the cause rather than a component.

    A statement word in a file name is allowed when it names a component: part of the expected
    component, a name the statement uses as an owner (`nginx's connections`) or writes as a
    proper name (`PostgreSQL`), or a name the question or another file of the bundle mentions
    (callers name the services they call: `upstream inventory timed out` beside
    `inventory.log`), or the name of a service whose logs and metrics are both given
    (`logs/ts-travel2-service.log` beside `metrics/ts-travel2-service.csv`), or a hyphenated
    name a file's own lines give themselves (`auth-api.log` logging `"service": "auth-api"`). A
    cause word
    (`heap.log`) is rarely written in the other services' lines, so it is caught.
    """
    document = expectation(folder)
    category = str(document["category"])
    component_words = words(str(document["component"]))
    statement_words = {
        word
        for word in words(str(document["statement"]))
        if len(word) >= 4 and not word.isdigit() and word not in STOP_WORDS
    }
    statement = str(document["statement"])
    owners = set(OWNER.findall(statement.lower()))
    first, *rest = re.findall(r"[A-Za-z0-9]+", statement)
    # The first word is capitalised anyway: it is a proper name only with capitals inside it.
    proper_names = {word.lower() for word in rest if word != word.lower()}
    if first[1:] != first[1:].lower():
        proper_names.add(first.lower())
    component_words |= {word for owner in owners for word in words(owner)} | proper_names
    files = evidence_files(folder)
    texts = {name: decoded(path) for name, path in files.items()}
    leaks = []
    stems = [Path(name).stem for name in files]
    for name in files:
        if stems.count(Path(name).stem) > 1:
            continue  # a service's own logs and metrics
        elsewhere = [str(document["question"])] + [t for n, t in texts.items() if n != name]
        compact = re.sub(r"[^a-z0-9]", "", name.lower())
        if "_" in category and category.replace("_", "") in compact:
            leaks.append(f"{name}: category {category}")
        stem = Path(name).stem
        own_name = (
            words(stem)
            if re.search(r"[a-z0-9][-_][a-z0-9]", stem.lower())
            and (mentioned_as_word(stem, [texts[name]]))
            else set()
        )
        for word in words(name) - FILE_KIND_WORDS - component_words - own_name:
            if word == category:
                leaks.append(f"{name}: category {category}")
            elif word in statement_words and not mentioned_as_word(word, elsewhere):
                leaks.append(f"{name}: statement word {word!r}")
    return leaks


def held_out_ids_in_readme(marker: str = "<!-- held-out -->") -> set[str]:
    """The ids on the line after `marker` (the held-out marker by default) in the README."""
    lines = README.read_text().splitlines()
    index = lines.index(marker)
    return set(re.findall(r"\b[cw]\d{2,3}\b", lines[index + 1]))


FOLDERS = bundle_folders()


@pytest.mark.parametrize("folder", FOLDERS, ids=[folder.name for folder in FOLDERS])
def test_bundle_expectation_has_the_contract_keys_with_their_types(folder: Path) -> None:
    document = expectation(folder)
    assert set(document) == set(EXPECT_KEYS)
    for key, kind in EXPECT_KEYS.items():
        assert isinstance(document[key], kind), key
    assert str(document["category"]) in {category.value for category in Category}
    assert document["source"] in {"captured", "written"}
    assert str(document["question"]).strip() and str(document["component"]).strip()
    assert str(document["statement"]).strip()
    assert all(isinstance(decoy, str) and decoy for decoy in document["decoys"])  # type: ignore[attr-defined]
    assert document["proving_lines"], "a bundle proves its answer with at least one range"
    for proof in document["proving_lines"]:  # type: ignore[attr-defined]
        assert set(proof) == set(PROOF_KEYS)
        for key, kind in PROOF_KEYS.items():
            assert isinstance(proof[key], kind) and not isinstance(proof[key], bool), key


@pytest.mark.parametrize("folder", FOLDERS, ids=[folder.name for folder in FOLDERS])
def test_bundle_proving_lines_exist_in_the_named_evidence(folder: Path) -> None:
    files = evidence_files(folder)
    for proof in expectation(folder)["proving_lines"]:  # type: ignore[attr-defined]
        name = proof["evidence_name"]
        assert name in files, f"{name} is not a file of {folder.name}"
        count = len(physical_lines(decoded(files[name])))
        assert 1 <= proof["line_start"] <= proof["line_end"] <= count, (name, count)


@pytest.mark.parametrize("folder", FOLDERS, ids=[folder.name for folder in FOLDERS])
def test_bundle_evidence_files_are_not_empty(folder: Path) -> None:
    files = evidence_files(folder)
    assert files, "a bundle holds evidence"
    assert [name for name, path in files.items() if path.stat().st_size == 0] == []


@pytest.mark.parametrize("folder", FOLDERS, ids=[folder.name for folder in FOLDERS])
def test_bundle_decoys_are_found_in_its_evidence(folder: Path) -> None:
    texts = [decoded(path) for path in evidence_files(folder).values()]
    for decoy in expectation(folder)["decoys"]:  # type: ignore[attr-defined]
        assert any(decoy in text for text in texts), decoy


@pytest.mark.parametrize("folder", FOLDERS, ids=[folder.name for folder in FOLDERS])
def test_bundle_file_names_do_not_give_the_answer_away(folder: Path) -> None:
    assert leaking_words(folder) == []


def test_suite_has_enough_bundles_and_the_frozen_held_out_part() -> None:
    documents = {folder.name: expectation(folder) for folder in FOLDERS}
    held_out = {name for name, document in documents.items() if document["held_out"]}
    captured = [name for name, document in documents.items() if document["source"] == "captured"]
    assert len(documents) == BUNDLE_COUNT
    assert len(held_out) == HELD_OUT
    assert len(captured) >= MIN_CAPTURED
    assert held_out_ids_in_readme() == held_out


def test_second_draw_of_written_bundles_is_the_seeded_draw_the_readme_and_files_name() -> None:
    drawn = set(random.Random(SECOND_DRAW_SEED).sample(sorted(SECOND_DRAW_IDS), SECOND_DRAW_COUNT))
    documents = {folder.name: expectation(folder) for folder in FOLDERS}
    assert set(SECOND_DRAW_IDS) <= set(documents), "every bundle of the second draw exists"
    held_out = {name for name in SECOND_DRAW_IDS if documents[name]["held_out"]}
    assert held_out_ids_in_readme("<!-- held-out second draw -->") == drawn
    assert held_out == drawn
    assert drawn <= held_out_ids_in_readme()


@pytest.mark.parametrize(
    ("marker", "ids"),
    [
        ("third", THIRD_DRAW_IDS),
        ("fourth", FOURTH_DRAW_IDS),
        ("fifth", FIFTH_DRAW_IDS),
        ("sixth", SIXTH_DRAW_IDS),
        ("seventh", SEVENTH_DRAW_IDS),
        ("eighth", EIGHTH_DRAW_IDS),
        ("ninth", NINTH_DRAW_IDS),
        ("tenth", TENTH_DRAW_IDS),
        ("eleventh", ELEVENTH_DRAW_IDS),
        ("twelfth", TWELFTH_DRAW_IDS),
        ("thirteenth", THIRTEENTH_DRAW_IDS),
        ("fourteenth", FOURTEENTH_DRAW_IDS),
        ("fifteenth", FIFTEENTH_DRAW_IDS),
        ("sixteenth", SIXTEENTH_DRAW_IDS),
        ("seventeenth", SEVENTEENTH_DRAW_IDS),
        ("eighteenth", EIGHTEENTH_DRAW_IDS),
        ("nineteenth", NINETEENTH_DRAW_IDS),
    ],
)
def test_each_later_draw_holds_every_bundle_written_after_the_one_before_was_measured(
    marker: str, ids: list[str]
) -> None:
    documents = {folder.name: expectation(folder) for folder in FOLDERS}
    assert set(ids) <= set(documents), f"every bundle of the {marker} draw exists"
    assert all(documents[name]["held_out"] for name in ids)
    assert held_out_ids_in_readme(f"<!-- held-out {marker} draw -->") == set(ids)
    assert set(ids) <= held_out_ids_in_readme()


def test_bundles_written_for_tuning_after_the_third_draw_are_not_held_out() -> None:
    documents = {folder.name: expectation(folder) for folder in FOLDERS}
    assert set(TUNING_IDS) <= set(documents), "every tuning bundle exists"
    assert not any(documents[name]["held_out"] for name in TUNING_IDS)
    assert not set(TUNING_IDS) & held_out_ids_in_readme()


def test_written_bundles_are_what_their_generator_writes(tmp_path: Path) -> None:
    build = SCENARIOS / "write" / "build.py"
    command = [sys.executable, str(build), "--only", END_TO_END_BUNDLE, "--out", str(tmp_path)]
    subprocess.run(command, check=True, capture_output=True)
    fresh, stored = tmp_path / END_TO_END_BUNDLE, BUNDLES / END_TO_END_BUNDLE
    names = sorted(path.name for path in fresh.iterdir())
    assert names == sorted(path.name for path in stored.iterdir())
    for name in names:
        assert (fresh / name).read_bytes() == (stored / name).read_bytes(), name


@pytest.fixture
def bundle_case(engine: Engine, faultmaven_home: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """A fresh case holding the end-to-end bundle's evidence; yields its id and evidence ids."""
    principal = tenant_principal(engine, "scenario-e2e")
    case = cases.create_case(engine, principal, CaseCreate(title=f"scenario {END_TO_END_BUNDLE}"))
    ids = {}
    for name, path in evidence_files(BUNDLES / END_TO_END_BUNDLE).items():
        stored = evidence.add_uploaded_evidence(
            engine,
            principal,
            case.id,
            path,
            name,
            evidence.ingest_options(None, None),
            spool=faultmaven_home / "uploads",
            max_bytes=64 * 1024 * 1024,
        )
        ids[name] = stored.id  # type: ignore[union-attr]
    yield case.id, ids


def test_a_bundle_run_through_the_real_pipeline_cites_only_stored_lines(
    engine: Engine, bundle_case: tuple[str, dict[str, str]]
) -> None:
    case_id, evidence_ids = bundle_case
    principal = tenant_principal(engine, "scenario-e2e")
    question = str(expectation(BUNDLES / END_TO_END_BUNDLE)["question"])
    _message, diagnosis = diagnose.ask(engine, principal, case_id, question, embedder=None)
    assert diagnosis.hypotheses, "the diagnosis names at least one hypothesis"
    citations = [
        citation
        for hypothesis in diagnosis.hypotheses
        for citation in [*hypothesis.citations, *hypothesis.counter_evidence]
    ]
    assert citations, "the hypotheses cite evidence"
    files = evidence_files(BUNDLES / END_TO_END_BUNDLE)
    for citation in citations:
        assert evidence_ids[citation.evidence_name] == citation.evidence_id
        window = evidence.read_lines(
            engine, principal, case_id, citation.evidence_id, citation.line_start, citation.line_end
        )
        stored = "\n".join(line.text for line in window.lines)
        on_disk = physical_lines(decoded(files[citation.evidence_name]))
        assert citation.text == stored
        assert citation.text == "\n".join(on_disk[citation.line_start - 1 : citation.line_end])
