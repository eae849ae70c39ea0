r"""Bytes to numbered lines, as CONTRACTS.md section 1 defines them.

Decoding: UTF-8 with BOM, UTF-16 by BOM, else UTF-8; undecodable sequences become
U+FFFD and are counted. Lines split on `\\n`, `\\r\\n` or a lone `\\r`; a last line
without a terminator counts. NUL characters, which PostgreSQL text cannot hold, are
replaced by U+FFFD and counted too.
"""

import codecs
import contextlib
import io
from collections.abc import Generator, Iterator
from contextvars import ContextVar
from typing import BinaryIO, cast

_REPLACEMENT = "\ufffd"
_BLOCK_BYTES = 1024 * 1024
_ERROR_HANDLER = "faultmaven-counting-replace"
_replaced: ContextVar[list[int]] = ContextVar("faultmaven_replaced_sequences")


def _counting_replace(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    counter = _replaced.get(None)
    if counter is not None:
        counter[0] += 1
    return _REPLACEMENT, error.end


codecs.register_error(_ERROR_HANDLER, _counting_replace)


def sniff_encoding(head: bytes) -> str:
    """Return the codec to read text starting with `head`, chosen by its byte-order mark."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return "utf-8"


class DecodedLines:
    """Iterate the lines of a binary stream, counting what had to be replaced.

    `decode_errors` is final once iteration has finished.
    """

    def __init__(self, binary: BinaryIO, encoding: str | None = None) -> None:
        self._binary = binary
        self._encoding = encoding
        self.encoding = encoding or "utf-8"
        self.decode_errors = 0
        self.line_count = 0

    def __iter__(self) -> Iterator[str]:
        source = self._binary if _is_buffered(self._binary) else _buffered(self._binary)
        if self._encoding is None:
            self.encoding = sniff_encoding(_peek(source))
        if self.encoding == "utf-8":
            rest = yield from self._plain_lines(source)
            if not rest:
                return
            source = io.BufferedReader(_Prefixed(rest, source))
        yield from self._decoded_lines(source)

    def _plain_lines(self, source: BinaryIO) -> Generator[str, None, bytes]:
        r"""Yield the lines of plain UTF-8 blocks; return the bytes from the first other one on.

        A block of whole lines holding no `\r`, no NUL and only valid UTF-8 splits on `\n`
        into exactly the lines `_decoded_lines` reads from it, at a fraction of the cost.
        Blocks end after a `\n`, so the rest starts a line, as a fresh decoder expects.
        """
        carry = b""
        while block := source.read(_BLOCK_BYTES):
            data = carry + block if carry else block
            cut = data.rfind(b"\n") + 1
            whole, carry = data[:cut], data[cut:]
            if len(carry) > _BLOCK_BYTES:  # a very long line: read as it comes
                return data
            lines = _plain_text(whole)
            if lines is None:
                return data
            lines.pop()  # after the last line feed
            self.line_count += len(lines)
            yield from lines
        last = _plain_text(carry)
        if last is None:
            return carry
        if carry:
            self.line_count += 1
            yield last[0]
        return b""

    def _decoded_lines(self, source: BinaryIO) -> Iterator[str]:
        counter = [0]
        token = _replaced.set(counter)
        try:
            reader = io.TextIOWrapper(
                source, encoding=self.encoding, errors=_ERROR_HANDLER, newline=None
            )
            try:
                for raw_line in reader:
                    line = raw_line[:-1] if raw_line.endswith("\n") else raw_line
                    if "\x00" in line:
                        counter[0] += line.count("\x00")
                        line = line.replace("\x00", _REPLACEMENT)
                    self.line_count += 1
                    self.decode_errors = counter[0]
                    yield line
            finally:
                reader.detach()
        finally:
            self.decode_errors = counter[0]
            with contextlib.suppress(ValueError):  # closed from another context
                _replaced.reset(token)


def _plain_text(data: bytes) -> list[str] | None:
    r"""Split bytes with no `\r` nor NUL that are valid UTF-8 on `\n`; None for other bytes."""
    if b"\r" in data or b"\x00" in data:
        return None
    try:
        return data.decode("utf-8").split("\n")
    except UnicodeDecodeError:
        return None


class _Prefixed(io.RawIOBase):
    """A stream of `head`, then the rest of `rest`: a stream partly read, given back."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head = memoryview(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self._head:
            size = min(len(buffer), len(self._head))
            buffer[:size] = self._head[:size]
            self._head = self._head[size:]
            return size
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _buffered(binary: BinaryIO) -> BinaryIO:
    """Wrap a raw stream so it can be peeked at (a BOM check) and read by TextIOWrapper."""
    return cast(BinaryIO, io.BufferedReader(cast(io.RawIOBase, binary)))


def _is_buffered(binary: BinaryIO) -> bool:
    return hasattr(binary, "peek")


def _peek(binary: BinaryIO) -> bytes:
    peek = getattr(binary, "peek", None)
    return bytes(peek(4)[:4]) if peek is not None else b""


def split_lines(text: str) -> list[str]:
    """Split already-decoded text into lines by the same rules as `DecodedLines`."""
    return list(DecodedLines(io.BytesIO(text.encode("utf-8")), encoding="utf-8"))
