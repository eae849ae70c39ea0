"""Turn an uploaded knowledge file (Markdown, plain text, HTML or PDF) into Markdown-shaped text.

Whatever the format, the result keeps headings as `#` lines and code as fenced blocks, so one
chunker serves every loader. Each refusal is a domain error whose message names the file.
"""

import codecs
import datetime
import io
import re
from pathlib import PurePosixPath
from typing import Any

import yaml
from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError, PyPdfError

from faultmaven.domain.errors import (
    EvidenceTooLargeError,
    InvalidInputError,
    UnsupportedEvidenceError,
)
from faultmaven.domain.knowledge import KnowledgeKind, LoadedDocument
from faultmaven.knowledge.chunking import markdown_headings
from faultmaven.knowledge.html_markdown import html_to_markdown

__all__ = ["load_document"]

MARKDOWN = "text/markdown"
PLAIN_TEXT = "text/plain"
HTML = "text/html"
PDF = "application/pdf"

_SUFFIX_MEDIA_TYPES = {
    ".md": MARKDOWN,
    ".markdown": MARKDOWN,
    ".txt": PLAIN_TEXT,
    ".text": PLAIN_TEXT,
    ".rst": PLAIN_TEXT,
    ".html": HTML,
    ".htm": HTML,
    ".pdf": PDF,
}
_MAX_TITLE_CHARS = 120
_SNIFF_BYTES = 8192
_CONTROL_BYTES = frozenset(range(32)) - {9, 10, 12, 13} | {127}
# A valid multi-byte UTF-8 sequence: text holding one is UTF-8 with a few bad bytes, not Latin-1.
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_HTML_START = re.compile(rb"\s*<(?:!doctype\s+html|html[\s>])", re.IGNORECASE)
_FRONT_MATTER = re.compile(r"---[ \t]*\n(.*?)^(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL | re.M)


def load_document(name: str, data: bytes, *, max_bytes: int = 20_000_000) -> LoadedDocument:
    """Read the file `name` holding `data` into a LoadedDocument, or refuse it with a clear error.

    The format comes from the suffix, then from the content (PDF magic, an HTML start tag);
    any other text is read as plain text.
    Too large: EvidenceTooLargeError; binary or not the format its name claims:
    UnsupportedEvidenceError; empty, encrypted, malformed or without text: InvalidInputError.
    """
    if len(data) > max_bytes:
        raise EvidenceTooLargeError(f"{name} is {len(data)} bytes, over the {max_bytes}-byte limit")
    if not data.strip():
        raise InvalidInputError(f"{name} is empty")
    media_type = _media_type(name, data)
    if media_type == PDF:
        return _load_pdf(name, data)
    text = _decode(name, data)
    if not text.strip():
        raise InvalidInputError(f"{name} is empty")
    if media_type == MARKDOWN:
        return _load_markdown(name, text)
    if media_type == HTML:
        return _load_html(name, text)
    return LoadedDocument(title=_first_line_title(name, text), text=text, media_type=PLAIN_TEXT)


def _media_type(name: str, data: bytes) -> str:
    suffix = PurePosixPath(name.replace("\\", "/")).suffix.lower()
    # PDF readers accept a header anywhere in the first KiB; a text file may merely quote it.
    if data.startswith(b"%PDF-") or (suffix == ".pdf" and b"%PDF-" in data[:1024]):
        return PDF
    if suffix == ".pdf":
        raise UnsupportedEvidenceError(f"{name} is named as a PDF but is not one (no %PDF- header)")
    if suffix in _SUFFIX_MEDIA_TYPES:
        return _SUFFIX_MEDIA_TYPES[suffix]
    if _HTML_START.match(data.removeprefix(codecs.BOM_UTF8)):
        return HTML
    return PLAIN_TEXT


def _decode(name: str, data: bytes) -> str:
    """Decode text bytes: UTF-8 or UTF-16 with a BOM, UTF-8, else Windows-1252 (Latin-1)."""
    if data.startswith(codecs.BOM_UTF8):
        text = data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", errors="replace")
    elif _looks_binary(data[:_SNIFF_BYTES]):
        raise UnsupportedEvidenceError(
            f"{name} is binary, not a Markdown, text, HTML or PDF document"
        )
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            encoding = "utf-8" if _UTF8_SEQUENCE.search(data) else "cp1252"
            text = data.decode(encoding, errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _looks_binary(sample: bytes) -> bool:
    if b"\x00" in sample:
        return True
    controls = sum(1 for byte in sample if byte in _CONTROL_BYTES)
    return controls > 0.3 * len(sample)


def _stem(name: str) -> str:
    return PurePosixPath(name.replace("\\", "/")).stem or name


def _first_line_title(name: str, text: str) -> str:
    first = next((line.strip() for line in text.split("\n") if line.strip()), "")
    return first if first and len(first) <= _MAX_TITLE_CHARS else _stem(name)


def _load_markdown(name: str, text: str) -> LoadedDocument:
    metadata, body = _front_matter(name, text)
    body = body.strip("\n")
    if not body.strip():
        raise InvalidInputError(f"{name} has front matter but no content")
    top_headings = [heading for level, heading in markdown_headings(body) if level == 1]
    title = _string_field(metadata, "title") or next(iter(top_headings), None) or _stem(name)
    return LoadedDocument(
        title=title,
        text=body,
        media_type=MARKDOWN,
        kind=_kind(metadata),
        tags=_tags(metadata.get("tags")),
        url=_string_field(metadata, "url") or _string_field(metadata, "source_url"),
        metadata=metadata,
    )


def _front_matter(name: str, text: str) -> tuple[dict[str, Any], str]:
    """Split YAML front matter (a leading `---` block) from the Markdown body."""
    if not re.match(r"---[ \t]*\n", text):
        return {}, text
    match = _FRONT_MATTER.match(text)
    if match is None:
        raise InvalidInputError(f"{name}: the front matter opened on line 1 is never closed by ---")
    try:
        loaded = yaml.safe_load(match.group(1))
    except yaml.YAMLError as error:
        problem = f"{name}: the front matter is not valid YAML ({_where(error)})"
        raise InvalidInputError(problem) from error
    if loaded is None:
        loaded = {}
    if not isinstance(loaded, dict):
        raise InvalidInputError(f"{name}: the front matter must be a mapping of keys to values")
    return _json_safe(loaded), text[match.end() :]


def _where(error: yaml.YAMLError) -> str:
    """Say what YAML found wrong and on which line of the file (front matter starts on line 2)."""
    if isinstance(error, yaml.MarkedYAMLError) and error.problem_mark is not None:
        return f"{error.problem} on line {error.problem_mark.line + 2}"
    return " ".join(str(error).split())


def _json_safe(value: Any) -> Any:
    """Dates become ISO strings and keys strings, so metadata can be stored as JSON."""
    if isinstance(value, dict):
        return {str(key): _json_safe(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json_safe(item) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _string_field(metadata: dict[str, Any], key: str) -> str | None:
    value = metadata.get(key)
    return value.strip() or None if isinstance(value, str) else None


def _kind(metadata: dict[str, Any]) -> KnowledgeKind | None:
    for key in ("kind", "type"):
        value = metadata.get(key)
        if isinstance(value, str) and value.strip().lower() in set(KnowledgeKind):
            return KnowledgeKind(value.strip().lower())
    return None


def _tags(value: Any) -> list[str]:
    """Tags from a YAML list or a comma-separated string: trimmed, lowercased, deduplicated."""
    if isinstance(value, str):
        items: list[Any] = value.split(",")
    elif isinstance(value, list):
        items = value
    else:
        return []
    tags = (str(item).strip().lower() for item in items if item is not None)
    return list(dict.fromkeys(tag for tag in tags if tag))


def _load_pdf(name: str, data: bytes) -> LoadedDocument:
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            _decrypt(name, reader)
        pages = [(page.extract_text() or "").strip() for page in reader.pages]
        information = reader.metadata
        stated_title = information.title if information is not None else None
    except (PyPdfError, ValueError, KeyError, IndexError, TypeError) as error:
        raise InvalidInputError(f"{name} is not a readable PDF: {error}") from error
    text = "\n\n".join(page for page in pages if page).replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InvalidInputError(
            f"{name} has no text layer (scanned pages?); run OCR on it and upload the result"
        )
    title = stated_title.strip() if isinstance(stated_title, str) else ""
    return LoadedDocument(title=title or _first_line_title(name, text), text=text, media_type=PDF)


def _decrypt(name: str, reader: PdfReader) -> None:
    """Open a PDF that is encrypted without a user password; refuse one that needs it."""
    try:
        result = reader.decrypt("")
    except DependencyError as error:
        raise InvalidInputError(
            f"{name} is encrypted with AES, which cannot be opened here; upload an unencrypted copy"
        ) from error
    if result == PasswordType.NOT_DECRYPTED:
        raise InvalidInputError(
            f"{name} is encrypted and needs a password; upload an unencrypted copy"
        )


def _load_html(name: str, text: str) -> LoadedDocument:
    title, body = html_to_markdown(text)
    if not body.strip():
        raise InvalidInputError(f"{name} has no readable text")
    return LoadedDocument(title=title or _stem(name), text=body, media_type=HTML)
