"""Bytes to numbered lines: whole blocks of plain UTF-8 and the decoder read the same lines."""

import codecs
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from faultmaven.logs import text as text_module
from faultmaven.logs.text import DecodedLines

_PIECES = st.sampled_from(
    [
        b"a",
        b"line ",
        b"\n",
        b"\r",
        b"\r\n",
        b"\x00",
        "é€😀".encode(),
        b"\xff",
        b"\xe2\x82",
        b"\xef\xbb\xbf",
    ]
)


def _expected(data: bytes) -> tuple[list[str], int]:
    """Read `data` as CONTRACTS.md section 1 says, with the standard library alone."""
    errors = [0]

    def counting(error: UnicodeError) -> tuple[str, int]:
        assert isinstance(error, UnicodeDecodeError)
        errors[0] += 1
        return "\ufffd", error.end

    codecs.register_error("test-counting-replace", counting)
    encoding = "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
    reader = io.TextIOWrapper(
        io.BytesIO(data), encoding=encoding, errors="test-counting-replace", newline=None
    )
    lines = [line.removesuffix("\n") for line in reader]
    errors[0] += sum(line.count("\x00") for line in lines)
    return [line.replace("\x00", "\ufffd") for line in lines], errors[0]


@settings(max_examples=500, deadline=None)
@given(st.lists(_PIECES, max_size=60).map(b"".join), st.sampled_from([1, 7, 64, 1 << 20]))
def test_lines_are_the_same_whatever_the_size_of_the_blocks_read(
    data: bytes, block_bytes: int
) -> None:
    usual = text_module._BLOCK_BYTES
    text_module._BLOCK_BYTES = block_bytes
    try:
        decoded = DecodedLines(io.BytesIO(data))
        lines = list(decoded)
    finally:
        text_module._BLOCK_BYTES = usual
    expected_lines, expected_errors = _expected(data)
    assert lines == expected_lines
    assert decoded.line_count == len(expected_lines)
    assert decoded.decode_errors == expected_errors


def test_a_file_plain_at_first_then_not_keeps_counting_from_where_it_changed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(text_module, "_BLOCK_BYTES", 16)
    data = b"first line\nsecond line\n" * 4 + b"bad \xff byte\r\nnul \x00 here\rlast"
    decoded = DecodedLines(io.BytesIO(data))
    lines = list(decoded)
    assert lines[:8] == ["first line", "second line"] * 4
    assert lines[8:] == ["bad \ufffd byte", "nul \ufffd here", "last"]
    assert (decoded.line_count, decoded.decode_errors, decoded.encoding) == (11, 2, "utf-8")
