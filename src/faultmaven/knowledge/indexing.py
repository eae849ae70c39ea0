"""From a loaded document to the chunks the index stores: what each embeds and its hash."""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from faultmaven.domain.knowledge import LoadedDocument
from faultmaven.knowledge.chunking import chunk_document


@dataclass(frozen=True)
class PreparedChunk:
    """A chunk plus the exact text given to the embedder and that text's hash."""

    ordinal: int
    heading: str | None
    text: str
    embedding_text: str
    chunk_hash: str


def embedding_text(title: str, heading: str | None, text: str) -> str:
    """Return the text embedded for a chunk: title and heading path, then the chunk.

    A section called "Verify" means nothing on its own; "Redis maxmemory > Verify" does.
    """
    place = f"{title} > {heading}" if heading else title
    return f"{place}\n{text}"


def text_hash(text: str) -> str:
    """SHA-256 of the text; identifies a chunk's vector across installations."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def prepare_chunks(document: LoadedDocument) -> list[PreparedChunk]:
    """Chunk the document and attach what each chunk embeds."""
    prepared = []
    for chunk in chunk_document(document.text):
        heading = chunk.heading_path
        embedded = embedding_text(document.title, heading, chunk.text)
        prepared.append(
            PreparedChunk(chunk.ordinal, heading, chunk.text, embedded, text_hash(embedded))
        )
    return prepared


def content_hash(document: LoadedDocument, kind: str, tags: Sequence[str]) -> str:
    """Hash what decides whether re-adding a document changes anything."""
    parts = [document.title, kind, ",".join(sorted(tags)), document.url or "", document.text]
    return text_hash("\x1f".join(parts))
