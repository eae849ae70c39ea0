"""Split Markdown-shaped text into heading-aware chunks that keep code blocks whole.

Every loader turns its format into Markdown headings and fenced code blocks, so this one chunker
serves them all. Chunks are deterministic: the index hashes them to reuse stored embeddings.
"""

import re
from dataclasses import dataclass, field

from faultmaven.domain.knowledge import Chunk

__all__ = ["chunk_document", "markdown_headings"]

_HEADING = re.compile(r" {0,3}(#{1,6})[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*")
_FENCE_OPENING = re.compile(r" {0,3}(`{3,}|~{3,})(.*)")
_FENCE_CLOSING = re.compile(r" {0,3}(`{3,}|~{3,})[ \t]*")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])[ \t]+(?=\S)")
_WORD = re.compile(r"\S+")
# Indented code and shell prompts are commands: a sentence break inside one is not a place to cut.
_COMMAND_LINE = re.compile(r"(?: {4}|\t|[ \t]*\$ )")

# How strong the boundary before an atom is; pieces prefer to end at the strongest one.
_BLOCK, _LINE, _SENTENCE, _WORD_BREAK = 0, 1, 2, 3


@dataclass(frozen=True)
class _Line:
    text: str
    fence: int | None = None
    heading: tuple[int, str] | None = None


@dataclass
class _Section:
    path: list[str]
    lines: list[_Line] = field(default_factory=list)


@dataclass
class _Atom:
    """A span of a section body that is never cut: a fence, a command line, a sentence, a word."""

    start: int
    end: int
    level: int


def chunk_document(text: str, *, max_chars: int = 1500, overlap_chars: int = 200) -> list[Chunk]:
    """Split `text` into chunks of about `max_chars`, each under its Markdown heading path.

    Sections (between ATX headings outside fenced code) are split at blank lines first, then at
    line and sentence ends. Consecutive pieces of one section share up to `overlap_chars` of
    whole lines or sentences. A fenced code block or a command line is never cut: one longer
    than `max_chars` becomes a chunk of its own. Headings are not repeated inside chunk text.
    """
    if max_chars < 1:
        raise ValueError("max_chars must be positive")
    if not 0 <= overlap_chars < max_chars:
        raise ValueError("overlap_chars must be at least 0 and less than max_chars")
    chunks: list[Chunk] = []
    for section in _sections(_scan(text)):
        body = "\n".join(line.text for line in section.lines)
        atoms = _atoms(section.lines, max_chars)
        for piece in _pieces(body, atoms, max_chars, overlap_chars):
            chunks.append(Chunk(ordinal=len(chunks), heading=list(section.path), text=piece))
    return chunks


def markdown_headings(text: str) -> list[tuple[int, str]]:
    """Return the ATX headings of `text` outside fenced code, as (level, text) in order."""
    return [line.heading for line in _scan(text) if line.heading is not None]


def _scan(text: str) -> list[_Line]:
    """Mark each line as part of a fenced block, a heading, or ordinary content."""
    lines: list[_Line] = []
    fences = 0
    open_fence: tuple[str, int] | None = None
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if open_fence is not None:
            lines.append(_Line(raw, fence=fences))
            closing = _FENCE_CLOSING.fullmatch(raw)
            if closing and closing.group(1)[0] == open_fence[0]:
                open_fence = None if len(closing.group(1)) >= open_fence[1] else open_fence
            continue
        opening = _FENCE_OPENING.fullmatch(raw)
        if opening and not (opening.group(1)[0] == "`" and "`" in opening.group(2)):
            fences += 1
            open_fence = (opening.group(1)[0], len(opening.group(1)))
            lines.append(_Line(raw, fence=fences))
            continue
        heading = _HEADING.fullmatch(raw)
        if heading:
            lines.append(_Line(raw, heading=(len(heading.group(1)), heading.group(2))))
        else:
            lines.append(_Line(raw))
    return lines


def _sections(lines: list[_Line]) -> list[_Section]:
    """Group lines under the heading path they sit beneath."""
    sections = [_Section(path=[])]
    stack: list[tuple[int, str]] = []
    for line in lines:
        if line.heading is None:
            sections[-1].lines.append(line)
            continue
        level = line.heading[0]
        while stack and stack[-1][0] >= level:
            stack.pop()
        stack.append(line.heading)
        sections.append(_Section(path=[title for _, title in stack]))
    return sections


def _atoms(lines: list[_Line], max_chars: int) -> list[_Atom]:
    """Cut a section body into the smallest spans a chunk may start or end at."""
    atoms: list[_Atom] = []
    level = _BLOCK
    offset = 0
    for index, line in enumerate(lines):
        start, offset = offset, offset + len(line.text) + 1
        end = start + len(line.text)
        if line.fence is not None:
            same_fence = index > 0 and lines[index - 1].fence == line.fence
            if same_fence and atoms:
                atoms[-1].end = end
            else:
                atoms.append(_Atom(start, end, _BLOCK))
            level = _BLOCK
        elif not line.text.strip():
            level = _BLOCK
        elif _COMMAND_LINE.match(line.text):
            atoms.append(_Atom(start, end, level))
            level = _LINE
        else:
            atoms.extend(_prose_atoms(line.text, start, level, max_chars))
            level = _LINE
    return atoms


def _prose_atoms(text: str, offset: int, level: int, max_chars: int) -> list[_Atom]:
    """Sentences of one line; a sentence longer than `max_chars` is cut into words."""
    atoms: list[_Atom] = []
    starts = [0, *(match.end() for match in _SENTENCE_BREAK.finditer(text))]
    ends = [*(match.start() for match in _SENTENCE_BREAK.finditer(text)), len(text)]
    for start, end in zip(starts, ends, strict=True):
        if end - start <= max_chars:
            atoms.append(_Atom(offset + start, offset + end, level))
        else:
            for word in _WORD.finditer(text, start, end):
                atoms.append(_Atom(offset + word.start(), offset + word.end(), level))
                level = _WORD_BREAK
        level = _SENTENCE
    return atoms


def _pieces(body: str, atoms: list[_Atom], max_chars: int, overlap_chars: int) -> list[str]:
    """Pack atoms into pieces of at most `max_chars`, each overlapping the one before."""
    pieces: list[str] = []
    first = fresh = 0
    while first < len(atoms):
        last = _piece_end(atoms, first, fresh, max_chars)
        pieces.append(body[atoms[first].start : atoms[last].end].strip())
        fresh = last + 1
        first = _overlap_start(atoms, first, last, max_chars, overlap_chars)
    return pieces


def _piece_end(atoms: list[_Atom], first: int, fresh: int, max_chars: int) -> int:
    """Index of the last atom of the piece starting at `first` (it includes atom `fresh`).

    Among the ends that fit, prefer one at least half full, then the strongest boundary after
    it, then the farthest.
    """
    start = atoms[first].start
    fitting = fresh
    while fitting + 1 < len(atoms) and atoms[fitting + 1].end - start <= max_chars:
        fitting += 1
    if fitting == len(atoms) - 1:
        return fitting
    candidates = range(fresh, fitting + 1)
    half_full = [end for end in candidates if atoms[end].end - start >= max_chars // 2]
    return min(half_full or candidates, key=lambda end: (atoms[end + 1].level, -end))


def _overlap_start(
    atoms: list[_Atom], first: int, last: int, max_chars: int, overlap_chars: int
) -> int:
    """Where the next piece starts: the trailing atoms of this one that fit in the overlap."""
    following = last + 1
    start = following
    if following >= len(atoms):
        return start
    for candidate in range(last, first, -1):
        overlap = atoms[last].end - atoms[candidate].start
        if overlap > overlap_chars or atoms[following].end - atoms[candidate].start > max_chars:
            break
        start = candidate
    return start
