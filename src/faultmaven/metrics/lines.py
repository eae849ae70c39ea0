r"""Line numbering of evidence text as CONTRACTS.md section 1 defines it.

Lines split on `\\n`, `\\r\\n` or a lone `\\r`; a last line without a terminator counts;
numbers are 1-based.
"""

import re
from bisect import bisect_right

_BREAK = re.compile(r"\r\n|\r|\n")


def split_lines(text: str) -> list[str]:
    """Return the lines of `text` without their terminators."""
    if not text:
        return []
    lines = _BREAK.split(text)
    if lines[-1] == "":
        lines.pop()
    return lines


class LineIndex:
    """Tell which line a character offset of a text falls on."""

    def __init__(self, text: str) -> None:
        self._starts = [0, *(match.end() for match in _BREAK.finditer(text))]

    def line_of(self, offset: int) -> int:
        """Return the 1-based line holding the character at `offset`."""
        return bisect_right(self._starts, offset)
