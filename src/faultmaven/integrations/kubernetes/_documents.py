"""Load `kubectl get -o yaml|json` output with the line of every value.

JSON is read as YAML (its subset) so both keep node positions for citations. When
the text is cut short or broken, the complete part is kept: YAML up to the line the
parser stopped at, JSON up to its last whole line with the open brackets closed.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass

import yaml

from faultmaven.domain.kubernetes import LineSpan
from faultmaven.integrations.kubernetes._text import span

# Characters YAML refuses or counts as line breaks that CONTRACTS.md section 1 does not.
_UNREADABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
_FAILURES = (yaml.YAMLError, ValueError, TypeError, RecursionError, OverflowError)
_ATTEMPTS = 4
_JSON_CUTS = 4
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True, slots=True)
class Document:
    """One YAML/JSON document: its data and its node tree, lines offset into the evidence."""

    data: object
    node: yaml.Node
    offset: int


def load_documents(text: str, offset: int) -> list[Document]:
    """Every document of `text` (which starts at 0-based line `offset` of the evidence)."""
    clean = _UNREADABLE.sub(" ", text)
    best: list[Document] = []
    for candidate in _candidates(clean):
        documents, complete = _compose(candidate, offset)
        if len(documents) > len(best) or (complete and documents):
            best = documents
        if complete:
            break
    return best


def _compose(text: str, offset: int) -> tuple[list[Document], bool]:
    loader = _Loader(text)
    documents: list[Document] = []
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                break
            documents.append(Document(loader.construct_document(node), node, offset))
    except _FAILURES:
        return documents, False
    finally:
        loader.dispose()
    return documents, True


def _candidates(text: str) -> Iterator[str]:
    yield text
    if text.lstrip().startswith("{"):
        yield from _closed_json(text)
        return
    for _ in range(_ATTEMPTS):
        stop = _error_line(text)
        if stop is None or stop <= 0:
            return
        text = "\n".join(text.splitlines()[:stop])
        yield text


def _error_line(text: str) -> int | None:
    """Return the 0-based line where YAML parsing fails, None when it does not."""
    loader = _Loader(text)
    try:
        while loader.check_node():
            loader.get_node()
    except yaml.MarkedYAMLError as error:
        # An unclosed bracket or quote is reported where the text ends; it began earlier.
        marks = [mark.line for mark in (error.problem_mark, error.context_mark) if mark]
        return min(marks) if marks else None
    except _FAILURES:
        return None
    finally:
        loader.dispose()
    return None


def _closed_json(text: str) -> Iterator[str]:
    """Cut the text after each of its last few whole lines and close the open brackets."""
    stack: list[str] = []
    in_string = escaped = False
    cuts: list[tuple[int, str]] = []
    for index, char in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"' or char == "\n":
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "{[":
            stack.append("}" if char == "{" else "]")
        elif char in "}]" and stack:
            stack.pop()
        elif char == "\n":
            cuts.append((index, "".join(reversed(stack))))
    for index, closers in reversed(cuts[-_JSON_CUTS:]):
        head = text[:index].rstrip().rstrip(",")
        if head and not head.endswith(":"):
            yield head + closers


def node_at(document: Document, path: tuple[str | int, ...]) -> yaml.Node | None:
    """Find the node at `path` (mapping keys and sequence indexes) of a document."""
    node: yaml.Node | None = document.node
    for step in path:
        if isinstance(node, yaml.MappingNode) and isinstance(step, str):
            node = next((value for key, value in node.value if key.value == step), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
            node = node.value[step] if 0 <= step < len(node.value) else None
        else:
            return None
    return node


def key_lines(
    document: Document, path: tuple[str | int, ...], keys: tuple[str, ...]
) -> list[LineSpan]:
    """Find the 1-based lines holding `keys` of the mapping at `path`, key to value end."""
    node = node_at(document, path)
    if not isinstance(node, yaml.MappingNode):
        return []
    spans = []
    for key, value in node.value:
        if key.value in keys:
            spans.append(
                span(key.start_mark.line + 1 + document.offset, _last_line(value) + document.offset)
            )
    return spans


def _last_line(node: yaml.Node) -> int:
    """Return the 1-based last line of a value (a block scalar ends at the next line start)."""
    end = node.end_mark
    if end.column == 0 and end.line > node.start_mark.line:
        return end.line
    return end.line + 1
