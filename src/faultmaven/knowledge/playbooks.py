"""The bundled playbooks: reading them and the vectors shipped for them."""

import re
from functools import cache
from pathlib import Path

import numpy as np
from pydantic import ValidationError

from faultmaven.domain.errors import InvalidInputError
from faultmaven.domain.knowledge import LoadedDocument, Playbook
from faultmaven.knowledge.loaders import load_document

BUNDLED_FOLDER = Path(__file__).parent / "playbooks"
PRECOMPUTED_VECTORS = BUNDLED_FOLDER / "vectors.npz"

_SECTION = re.compile(r"^##\s+(.+?)\s*$", re.MULTILINE)
_SHELL_FENCE = re.compile(r"^```(?:sh|bash|shell)\s*\n(.*?)^```", re.MULTILINE | re.DOTALL)


def bundled_playbook_files() -> list[Path]:
    """Every bundled playbook file, in a stable order."""
    return sorted(BUNDLED_FOLDER.glob("*.md"))


def load_bundled(path: Path) -> LoadedDocument:
    """Load one bundled playbook file."""
    return load_document(path.name, path.read_bytes())


def _sections(text: str) -> dict[str, str]:
    matches = list(_SECTION.finditer(text))
    sections = {}
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        sections[match.group(1).strip().lower()] = text[match.end() : end].strip()
    return sections


def _intro(text: str) -> str:
    """Return the first paragraph after the title, before any section."""
    first_section = _SECTION.search(text)
    head = text[: first_section.start()] if first_section else text
    paragraphs = [
        block.strip()
        for block in re.split(r"\n\s*\n", head)
        if block.strip() and not block.lstrip().startswith("#")
    ]
    return " ".join(paragraphs[0].split()) if paragraphs else ""


def shell_commands(markdown: str) -> list[str]:
    """Return the command lines inside shell code blocks (comments and blank lines left out)."""
    return [command for _, command in commented_commands(markdown)]


def commented_commands(markdown: str) -> list[tuple[str | None, str]]:
    """Return each command line of the shell code blocks with the comment line just above it.

    The comment is None when the line above is not a `#` comment (another command, a blank
    line, or the start of the block).
    """
    pairs: list[tuple[str | None, str]] = []
    for block in _SHELL_FENCE.findall(markdown):
        comment: str | None = None
        for line in block.splitlines():
            stripped = line.strip()
            if stripped.startswith("#"):
                comment = stripped.lstrip("#").strip() or None
            elif stripped:
                pairs.append((comment, stripped))
                comment = None
            else:
                comment = None
    return pairs


def parse_playbook(document: LoadedDocument) -> Playbook:
    """Read the playbook a loaded Markdown file describes; a clear error when it is not one."""
    sections = _sections(document.text)
    fields = dict(document.metadata)
    try:
        return Playbook(
            id=str(fields.get("id", "")),
            title=document.title,
            category=fields.get("category", "unknown"),
            tags=[str(tag) for tag in fields.get("tags", [])],
            severity=str(fields.get("severity", "medium")),
            signatures=fields.get("signatures", []),
            summary=_intro(document.text),
            symptoms=sections.get("symptoms", ""),
            diagnosis=sections.get("diagnosis", ""),
            remediation=sections.get("remediation", ""),
            verify=sections.get("verify", ""),
            commands=shell_commands(sections.get("diagnosis", "")),
        )
    except ValidationError as error:
        raise InvalidInputError(f"playbook {document.title!r} is malformed: {error}") from None


@cache
def bundled_playbooks() -> tuple[Playbook, ...]:
    """Every bundled playbook, parsed once per process, in file order."""
    return tuple(parse_playbook(load_bundled(path)) for path in bundled_playbook_files())


@cache
def _bundled_line_signatures() -> tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]:
    """Each bundled playbook's compiled line signatures, read once per process."""
    signatures = []
    for playbook in bundled_playbooks():
        patterns = tuple(re.compile(s.regex) for s in playbook.signatures if s.regex is not None)
        if patterns:
            signatures.append((playbook.id, patterns))
    return tuple(signatures)


def playbooks_matching(text: str) -> list[str]:
    """Return the ids of bundled playbooks whose line signatures match the text, most first.

    A pasted error line that a playbook names exactly is the strongest evidence a search can
    get, stronger than shared words or a nearby vector.
    """
    lines = text.splitlines() or [text]
    counts = []
    for playbook_id, patterns in _bundled_line_signatures():
        hits = sum(1 for pattern in patterns for line in lines if pattern.search(line))
        if hits:
            counts.append((hits, playbook_id))
    return [playbook_id for _, playbook_id in sorted(counts, key=lambda item: (-item[0], item[1]))]


def load_precomputed_vectors(model: str) -> dict[str, list[float]]:
    """Chunk hash -> vector shipped with the package, when made by `model`."""
    if not PRECOMPUTED_VECTORS.exists():
        return {}
    with np.load(PRECOMPUTED_VECTORS, allow_pickle=False) as shipped:
        if str(shipped["model"]) != model:
            return {}
        return {
            str(chunk_hash): [float(number) for number in vector]
            for chunk_hash, vector in zip(shipped["hashes"], shipped["vectors"], strict=True)
        }


def save_precomputed_vectors(model: str, vectors: dict[str, list[float]]) -> None:
    """Write the shipped vectors file (run by tools/precompute_playbook_vectors.py)."""
    hashes = sorted(vectors)
    np.savez_compressed(
        PRECOMPUTED_VECTORS,
        model=np.array(model),
        hashes=np.array(hashes),
        vectors=np.array([vectors[chunk_hash] for chunk_hash in hashes], dtype=np.float32),
    )
