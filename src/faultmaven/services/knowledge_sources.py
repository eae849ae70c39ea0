"""Adding documents from files, folders (a git checkout of runbooks) and URL lists."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from faultmaven.domain.diagnosis import KnowledgeKind
from faultmaven.domain.errors import FaultMavenError, InvalidInputError, NotFoundError
from faultmaven.domain.knowledge import KnowledgeDocument
from faultmaven.domain.tenants import Principal
from faultmaven.knowledge.embeddings import Embedder
from faultmaven.services.knowledge import add_file

FOLDER_SUFFIXES = {".md", ".markdown", ".txt", ".text", ".rst", ".html", ".htm", ".pdf"}


@dataclass(frozen=True)
class FileOutcome:
    """What adding one file did: the stored document, or why it was refused."""

    path: Path
    document: KnowledgeDocument | None
    error: str | None


def files_to_add(paths: Sequence[Path]) -> list[Path]:
    """Files named directly, plus the documents inside folders (hidden ones skipped)."""
    files: list[Path] = []
    for path in paths:
        if not path.exists():
            raise NotFoundError(f"{path}: no such file or folder")
        if not path.is_dir():
            files.append(path)
            continue
        for file in sorted(path.rglob("*")):
            inside = file.relative_to(path).parts
            if (
                file.is_file()
                and file.suffix.lower() in FOLDER_SUFFIXES
                and not any(part.startswith(".") for part in inside)
            ):
                files.append(file)
    return files


def add_files(
    engine: Engine,
    embedder: Embedder | None,
    principal: Principal,
    files: Sequence[Path],
    *,
    kind: KnowledgeKind | None = None,
    tags: Sequence[str] = (),
    progress: Callable[[FileOutcome], None] = lambda outcome: None,
) -> list[FileOutcome]:
    """Add each file; one bad file is reported and does not stop the others.

    The resolved path is the document's source, so adding the same file again updates it.
    """
    pages = [(file, str(file.resolve()), None) for file in files]
    return _add_pages(engine, embedder, principal, pages, kind, tags, progress)


def read_url_list(list_file: Path) -> list[tuple[Path, str]]:
    """Read a list of already-downloaded pages: one `URL PATH` per line.

    PATH is relative to the list's folder; blank lines and `#` comments are skipped. The
    URL becomes the document's source and link, so adding the list again updates each page.
    """
    try:
        lines = list_file.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidInputError(f"{list_file}: cannot read the URL list: {error}") from None
    pages = []
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        parts = stripped.split(maxsplit=1)
        if len(parts) != 2 or "://" not in parts[0]:
            raise InvalidInputError(f"{list_file}:{number}: expected `URL PATH`, got {line!r}")
        pages.append((list_file.parent / parts[1], parts[0]))
    if not pages:
        raise InvalidInputError(f"{list_file}: the URL list names no pages")
    return pages


def add_url_list(
    engine: Engine,
    embedder: Embedder | None,
    principal: Principal,
    list_file: Path,
    *,
    kind: KnowledgeKind | None = None,
    tags: Sequence[str] = (),
    progress: Callable[[FileOutcome], None] = lambda outcome: None,
) -> list[FileOutcome]:
    """Add every page of a URL list (see `read_url_list`), each known by its URL."""
    pages = [(path, url, url) for path, url in read_url_list(list_file)]
    return _add_pages(engine, embedder, principal, pages, kind, tags, progress)


def _add_pages(
    engine: Engine,
    embedder: Embedder | None,
    principal: Principal,
    pages: Sequence[tuple[Path, str, str | None]],
    kind: KnowledgeKind | None,
    tags: Sequence[str],
    progress: Callable[[FileOutcome], None],
) -> list[FileOutcome]:
    outcomes = []
    for file, source, url in pages:
        try:
            document = add_file(
                engine,
                embedder,
                principal,
                file.name,
                file.read_bytes(),
                kind=kind,
                tags=tags,
                source=source,
                url=url,
            )
        except (FaultMavenError, OSError) as error:
            detail = error.detail if isinstance(error, FaultMavenError) else str(error)
            outcome = FileOutcome(file, None, detail)
        else:
            outcome = FileOutcome(file, document, None)
        outcomes.append(outcome)
        progress(outcome)
    return outcomes
