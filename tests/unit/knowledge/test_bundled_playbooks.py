"""The shipped playbooks: well formed, signatures that fire on real lines, vectors shipped."""

import json
import re
from pathlib import Path

import pytest

from faultmaven.domain.diagnosis import Category
from faultmaven.domain.knowledge import Playbook
from faultmaven.knowledge.embeddings import LOCAL_MODEL
from faultmaven.knowledge.indexing import prepare_chunks
from faultmaven.knowledge.playbooks import (
    bundled_playbook_files,
    load_bundled,
    load_precomputed_vectors,
    parse_playbook,
)

EXAMPLES = Path(__file__).parent / "signature_examples"
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
ALLOWED_PLACEHOLDERS = {"namespace", "pod", "service", "host", "table"}
FILES = bundled_playbook_files()


def _playbook(path: Path) -> Playbook:
    return parse_playbook(load_bundled(path))


def test_at_least_forty_playbooks_cover_the_failure_areas() -> None:
    playbooks = [_playbook(path) for path in FILES]
    assert len(playbooks) >= 40
    categories = {playbook.category for playbook in playbooks}
    assert categories >= {
        Category.MEMORY,
        Category.DISK,
        Category.FILE_DESCRIPTORS,
        Category.CONNECTION_POOL,
        Category.DATABASE,
        Category.DNS,
        Category.TLS,
        Category.CLOCK,
        Category.SCHEDULING,
        Category.RATE_LIMIT,
        Category.PERMISSION,
        Category.DEPLOYMENT,
        Category.CONFIGURATION,
        Category.CODE_ERROR,
        Category.DEPENDENCY,
        Category.NETWORK,
        Category.DATA,
    }
    assert len({playbook.id for playbook in playbooks}) == len(playbooks)


@pytest.mark.parametrize("path", FILES, ids=[path.stem for path in FILES])
def test_playbook_is_complete(path: Path) -> None:
    playbook = _playbook(path)
    assert playbook.id == path.stem
    assert playbook.severity in {"critical", "high", "medium", "low"}
    assert 2 <= len(playbook.signatures) <= 6
    for section in (playbook.symptoms, playbook.diagnosis, playbook.remediation, playbook.verify):
        assert len(section) > 40
    assert playbook.commands, "the Diagnosis section has no shell commands"
    for command in playbook.commands:
        assert set(PLACEHOLDER.findall(command)) <= ALLOWED_PLACEHOLDERS, command
    for signature in playbook.signatures:
        if signature.regex is not None:
            re.compile(signature.regex)
        if signature.template is not None:
            assert "<*>" in signature.template or len(signature.template.split()) >= 3


@pytest.mark.parametrize("path", FILES, ids=[path.stem for path in FILES])
def test_regex_signatures_fire_on_real_lines_and_stay_quiet_on_others(path: Path) -> None:
    examples_file = EXAMPLES / f"{path.stem}.json"
    assert examples_file.exists(), f"no signature examples for {path.stem}"
    examples = json.loads(examples_file.read_text())
    patterns = [re.compile(s.regex) for s in _playbook(path).signatures if s.regex is not None]
    assert patterns, "a playbook needs at least one line signature"
    assert len(examples["match"]) >= 3 and len(examples["no_match"]) >= 3
    for line in examples["match"]:
        assert any(pattern.search(line) for pattern in patterns), line
    for line in examples["no_match"]:
        assert not any(pattern.search(line) for pattern in patterns), line


def test_every_bundled_chunk_has_its_vector_shipped() -> None:
    shipped = load_precomputed_vectors(LOCAL_MODEL)
    missing = [
        f"{path.stem} #{chunk.ordinal}"
        for path in FILES
        for chunk in prepare_chunks(load_bundled(path))
        if chunk.chunk_hash not in shipped
    ]
    assert not missing, (
        f"{len(missing)} chunks lack shipped vectors (first: {missing[:3]}); "
        "run .venv/bin/python tools/precompute_playbook_vectors.py"
    )
    assert all(len(vector) == 384 for vector in shipped.values())
