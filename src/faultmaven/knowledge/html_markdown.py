"""Read an HTML page's main text as Markdown: headings, paragraphs, lists, tables, fenced code.

Page chrome (navigation, headers, footers, scripts, forms) is dropped. The tree is walked with an
explicit stack, not recursion, because legacy pages with unclosed `<p>` or `<li>` tags nest
thousands of levels deep under Python's HTML parser.
"""

import re
from dataclasses import dataclass

from bs4 import BeautifulSoup, Tag
from bs4.element import NavigableString, PageElement, PreformattedString

__all__ = ["html_to_markdown"]

_DROPPED = [
    *("script", "style", "nav", "aside", "form", "noscript", "svg", "head", "title", "template"),
]
_BLOCKS = frozenset(
    {
        *("address", "article", "aside", "blockquote", "body", "caption", "dd", "details"),
        *("dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form"),
        *("header", "hr", "html", "main", "nav", "p", "section", "summary", "tbody", "tfoot"),
        *("thead",),
    }
)
_HEADINGS = {f"h{level}": level for level in range(1, 7)}
_CODE_LANGUAGE = re.compile(r"(?:language|lang)-(\w[\w+-]*)")
_WHITESPACE = re.compile(r"\s+")


def html_to_markdown(html: str) -> tuple[str | None, str]:
    """Return the page's title (from <title>, else the first <h1>) and its main text as Markdown.

    The main text is <main> or <article> when the page has one, else <body>.
    """
    soup = BeautifulSoup(html, "html.parser")
    title = _title(soup)
    for tag in soup.find_all(_DROPPED):
        if not tag.decomposed:
            tag.decompose()
    root = soup.find("main") or soup.find("article")
    # Inside main or article a header holds the article's own title, so only footers go.
    page_chrome = ["footer"] if isinstance(root, Tag) else ["header", "footer"]
    for tag in soup.find_all(page_chrome):
        if not tag.decomposed:
            tag.decompose()
    if not isinstance(root, Tag):
        root = soup.body or soup
    writer = _MarkdownWriter()
    stack: list[tuple[PageElement, bool]] = [(root, True)]
    while stack:
        node, entering = stack.pop()
        if not isinstance(node, Tag):
            writer.text(node)
        elif not entering:
            writer.leave(node)
        elif writer.enter(node):
            stack.append((node, False))
            stack.extend((child, True) for child in reversed(node.contents))
    writer.flush()
    return title, "\n\n".join(writer.blocks)


def _title(soup: BeautifulSoup) -> str | None:
    for tag_name in ("title", "h1"):
        tag = soup.find(tag_name)
        if isinstance(tag, Tag):
            title = " ".join(tag.get_text().split())
            if title:
                return title
    return None


@dataclass
class _Context:
    """An open element that decides how the inline text inside it is written."""

    tag: Tag
    kind: str
    level: int = 0  # a heading's level, or how deep a list item is nested
    written: bool = False


class _MarkdownWriter:
    """Collects Markdown blocks while the HTML tree is walked in document order."""

    def __init__(self) -> None:
        self.blocks: list[str] = []
        self._inline: list[str] = []
        self._contexts: list[_Context] = []
        self._code_starts: list[int] = []
        self._cells: list[str] = []
        self._lines_group: str | None = None
        self._list_depth = 0

    def enter(self, tag: Tag) -> bool:
        """Open `tag`; return whether its children should be visited."""
        name = tag.name
        if name == "br":
            self._inline.append("\n")
        elif name == "code":
            self._code_starts.append(len(self._inline))
        elif name == "pre":
            self.flush()
            self._emit(_fenced(tag), group=None)
            return False
        elif name in _HEADINGS:
            self.flush()
            self._contexts.append(_Context(tag, "heading", _HEADINGS[name]))
        elif name in ("ul", "ol"):
            self.flush()
            self._list_depth += 1
        elif name in ("li", "blockquote"):
            self.flush()
            kind = "item" if name == "li" else "quote"
            self._contexts.append(_Context(tag, kind, max(self._list_depth - 1, 0)))
        elif name in ("td", "th"):
            self._close_cell()
            self._contexts.append(_Context(tag, "cell"))
        elif name == "tr":
            self._close_cell()
            self._end_row()
        elif name == "table" or name in _BLOCKS:
            self.flush()
        return True

    def leave(self, tag: Tag) -> None:
        """Close `tag`, writing what it held."""
        name = tag.name
        if name == "code" and self._code_starts:
            start = self._code_starts.pop()
            code = "".join(self._inline[start:]).strip()
            self._inline[start:] = [f"`{code}`"] if code else []
        elif name in ("ul", "ol"):
            self.flush()
            self._list_depth = max(self._list_depth - 1, 0)
        elif name in ("td", "th"):
            self._close_cell()
        elif name == "tr":
            self._end_row()
        elif name in _BLOCKS or name in ("table", "li", "blockquote") or name in _HEADINGS:
            self.flush()
        if self._contexts and self._contexts[-1].tag is tag:
            self._contexts.pop()

    def text(self, node: PageElement) -> None:
        """Add a text node, its source whitespace collapsed; comments and doctypes are skipped."""
        if isinstance(node, NavigableString) and not isinstance(node, PreformattedString):
            self._inline.append(_WHITESPACE.sub(" ", str(node)))

    def flush(self) -> None:
        """Write the pending inline text as the block its innermost context calls for."""
        context = self._contexts[-1] if self._contexts else None
        if context is not None and context.kind == "cell":
            self._inline.append(" ")  # a table cell's paragraphs stay in that cell
            return
        text = self._take_inline()
        if not text:
            return
        if context is None:
            self._emit(text, group=None)
            return
        if context.kind == "heading":
            self._emit(f"{'#' * context.level} {' '.join(text.split())}", group=None)
        elif context.kind == "item":
            marker = "  " if context.written else "- "
            self._emit(f"{'  ' * context.level}{marker}{' '.join(text.split())}", group="list")
        else:
            self._emit("\n".join(f"> {line}" for line in text.split("\n")), group=None)
        context.written = True

    def _close_cell(self) -> None:
        """End the open table cell, also when a new cell starts inside an unclosed one."""
        context = self._contexts[-1] if self._contexts else None
        if context is not None and context.kind == "cell" and not context.written:
            self._cells.append(" ".join(self._take_inline().split()))
            context.written = True
        else:
            self.flush()

    def _end_row(self) -> None:
        if any(self._cells):
            self._emit(" | ".join(self._cells).rstrip(), group="table")
        self._cells = []

    def _take_inline(self) -> str:
        """Return the pending inline text, one line per <br>, and start a new run."""
        lines = (" ".join(line.split()) for line in "".join(self._inline).split("\n"))
        self._inline = []
        self._code_starts = []
        return "\n".join(line for line in lines if line)

    def _emit(self, block: str, *, group: str | None) -> None:
        """Add a block; lines of one list or one table are kept together in one block."""
        if not block:
            return
        if group is not None and group == self._lines_group and self.blocks:
            self.blocks[-1] += "\n" + block
        else:
            self.blocks.append(block)
        self._lines_group = group


def _fenced(pre: Tag) -> str:
    """Render a <pre> block as a fenced code block, its text untouched."""
    code = pre.get_text().removeprefix("\n").rstrip()
    if not code.strip():
        return ""
    language = ""
    for tag in (pre, pre.find("code")):
        classes = tag.get("class") if isinstance(tag, Tag) else None
        for class_name in classes or []:
            match = _CODE_LANGUAGE.fullmatch(class_name)
            if match and not language:
                language = match.group(1)
    longest_run = max((len(run) for run in re.findall(r"`+", code)), default=0)
    fence = "`" * max(3, longest_run + 1)
    return f"{fence}{language}\n{code}\n{fence}"
