"""Streaming a multipart upload to a spool file, never holding it in memory.

Starlette's form parsing has no byte limit for files; this reader enforces
`max_bytes` while the body arrives and keeps only the small text fields in memory.
"""

import json
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, TypeVar

from pydantic import BaseModel, ValidationError
from python_multipart.multipart import MultipartParser, parse_options_header

from faultmaven.domain.errors import EvidenceTooLargeError, InvalidInputError

MAX_FIELD_BYTES = 4096


Model = TypeVar("Model", bound=BaseModel)


async def read_json_body(
    body: AsyncIterator[bytes], model: type[Model], limit: int, too_large: str, what: str
) -> Model:
    """Read a JSON body of at most `limit` bytes into `model`; clear errors for the rest."""
    received = bytearray()
    async for chunk in body:
        received += chunk
        if len(received) > limit:
            raise EvidenceTooLargeError(too_large)
    try:
        return model.model_validate(json.loads(received))
    except (ValueError, ValidationError) as error:
        raise InvalidInputError(f"malformed {what} JSON: {error}") from None


def file_or_json_body(fields: dict[str, Any], json_model: type[BaseModel]) -> dict[str, Any]:
    """OpenAPI for a body that is either a multipart `file` (with text fields) or JSON.

    The routes read the body themselves (streaming, size-limited), so FastAPI cannot derive it.
    """
    return {
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["file"],
                        "properties": {"file": {"type": "string", "format": "binary"}, **fields},
                    }
                },
                "application/json": {
                    "schema": json_model.model_json_schema(
                        ref_template="#/components/schemas/{model}"
                    )
                },
            },
        }
    }


FILE_FIELD = "file"


@dataclass
class SpooledUpload:
    """A parsed upload: the file's spool path and original name, plus the text fields."""

    path: Path | None = None
    filename: str | None = None
    size: int = 0
    fields: dict[str, str] = field(default_factory=dict)


class _PartCollector:
    """Receives the parser's callbacks and routes each part to the spool or to a field."""

    def __init__(self, spool: Path, max_bytes: int) -> None:
        self.result = SpooledUpload()
        self._spool = spool
        self._max_bytes = max_bytes
        self._header_field = b""
        self._header_value = b""
        self._headers: dict[bytes, bytes] = {}
        self._name: str | None = None
        self._file: IO[bytes] | None = None
        self._value = bytearray()

    def callbacks(self) -> dict[str, object]:
        return {
            "on_part_begin": self._part_begin,
            "on_header_field": self._header_field_data,
            "on_header_value": self._header_value_data,
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
            "on_part_data": self._part_data,
            "on_part_end": self._part_end,
        }

    def _part_begin(self) -> None:
        self._headers, self._name, self._value = {}, None, bytearray()

    def _header_field_data(self, data: bytes, start: int, end: int) -> None:
        self._header_field += data[start:end]

    def _header_value_data(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def _header_end(self) -> None:
        self._headers[self._header_field.lower()] = self._header_value
        self._header_field, self._header_value = b"", b""

    def _headers_finished(self) -> None:
        _, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        self._name = options.get(b"name", b"").decode("utf-8", "replace")
        if self._name == FILE_FIELD:
            if self._file is not None:
                raise InvalidInputError("send one file per upload (one 'file' field)")
            filename = options.get(b"filename", b"upload").decode("utf-8", "replace")
            self.result.filename = Path(filename.replace("\\", "/")).name or "upload"
            spooled = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed in close()
                dir=self._spool, prefix="upload-", delete=False
            )
            self._file = spooled
            self.result.path = Path(spooled.name)

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        chunk = data[start:end]
        if self._name == FILE_FIELD and self._file is not None:
            self.result.size += len(chunk)
            if self.result.size > self._max_bytes:
                raise EvidenceTooLargeError(f"upload is over the limit of {self._max_bytes} bytes")
            self._file.write(chunk)
        else:
            self._value += chunk
            if len(self._value) > MAX_FIELD_BYTES:
                raise InvalidInputError(f"form field {self._name!r} is too long")

    def _part_end(self) -> None:
        if self._name == FILE_FIELD and self._file is not None:
            self._file.flush()
        elif self._name:
            self.result.fields[self._name] = self._value.decode("utf-8", "replace")

    def close(self) -> None:
        if self._file is not None:
            self._file.close()

    def discard(self) -> None:
        self.close()
        if self.result.path is not None:
            self.result.path.unlink(missing_ok=True)


async def spool_multipart(
    content_type: str, body: AsyncIterator[bytes], spool: Path, max_bytes: int
) -> SpooledUpload:
    """Read a `multipart/form-data` body into a spool file and the form's text fields."""
    _, params = parse_options_header(content_type)
    boundary = params.get(b"boundary")
    if not boundary:
        raise InvalidInputError("multipart upload without a boundary")
    spool.mkdir(parents=True, exist_ok=True)
    collector = _PartCollector(spool, max_bytes)
    parser = MultipartParser(boundary, collector.callbacks())  # type: ignore[arg-type]
    try:
        async for chunk in body:
            parser.write(chunk)
        parser.finalize()
    except Exception as error:
        collector.discard()
        if isinstance(error, InvalidInputError | EvidenceTooLargeError):
            raise
        raise InvalidInputError(f"malformed multipart body: {error}") from None
    collector.close()
    if collector.result.path is None:
        raise InvalidInputError("multipart upload has no 'file' field")
    return collector.result
