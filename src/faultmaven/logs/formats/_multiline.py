"""Which lines continue the event above them: stack traces, dumps, validation error bodies."""

import re
from enum import Enum


class Trace(Enum):
    """What kind of multi-line dump an event is inside, which decides what may follow it."""

    NONE = "none"
    JAVA = "java"  # also .NET, Node and Ruby frames, which share the `at ...` shape
    PYTHON = "python"  # inside a traceback, before its final `XxxError: msg` line
    PYTHON_DONE = "python_done"
    GO = "go"
    PYDANTIC = "pydantic"  # after `N validation errors for Model`: bare locations, indented details


_PYTHON_START = "Traceback (most recent call last)"
_PYTHON_CHAIN = (
    "During handling of the above exception",
    "The above exception was the direct cause",
)
_FRAME = re.compile(
    r"\s+(?:at |\.\.\. \d+ (?:more|common frames omitted)|--- End of |(File \")|from \S)"
)
_CHAIN = re.compile(r"(?:Caused by|Suppressed|Wrapped by): |--- End of ")
_EXCEPTION = re.compile(
    r"(?:[A-Za-z_$][\w$]*\.)*[A-Z][\w$]*(?:Exception|Error|Throwable|Fault)(?::|$| --->)"
)
_PYTHON_FINAL = re.compile(r"[A-Za-z_][\w.]*(?::|$)")
_GO_START = re.compile(r"panic: |fatal error: |goroutine \d+ \[|SIGQUIT: ")
_TRACE_INITIALS = frozenset("TpfgSE")
_VALIDATION_HEADER = re.compile(r"\b\d+ validation errors? for [\w.]+\s*$")
_VALIDATION_LOCATION = re.compile(r"[A-Za-z_][\w.\[\]-]*")
_GOROUTINE = re.compile(r"goroutine \d+ \[")
_GO_LINE = re.compile(
    r"goroutine \d+ \[|created by |\[signal |exit status \d+|\[recovered\]|panic: "
    r"|[\w./*()\[\]{}-]+\(.*\)$"
)


def starting_trace(message: str) -> Trace:
    """Return the dump an event's first line opens, if any."""
    if "validation error" in message and _VALIDATION_HEADER.search(message):
        return Trace.PYDANTIC
    if message[:1] not in _TRACE_INITIALS:
        return Trace.NONE
    if message.startswith(_PYTHON_START):
        return Trace.PYTHON
    if _GO_START.match(message):
        return Trace.GO
    if message.startswith("Exception in thread "):
        return Trace.JAVA
    return Trace.NONE


def _indented(text: str, trace: Trace, has_header: bool) -> Trace | None:
    """Decide whether an indented line continues the event."""
    frame = _FRAME.match(text)
    if frame is not None:
        if trace is Trace.GO:
            return Trace.GO
        return Trace.PYTHON if frame.group(1) else Trace.JAVA
    if has_header or trace is not Trace.NONE:
        return trace
    return None


def continuation(text: str, trace: Trace, has_header: bool) -> Trace | None:
    """Return the event's trace state after `text` if `text` continues it, else None.

    `has_header` tells whether the event opened with a recognised header (a time,
    a level, a structured record): only then may generic indented lines, exception
    lines and chained causes join it.
    """
    if not text or text.isspace():
        return trace
    indented = text[0] in " \t"
    if trace is Trace.PYTHON:
        if indented or text.startswith(_PYTHON_CHAIN) or text.startswith(_PYTHON_START):
            return Trace.PYTHON
        if not _PYTHON_FINAL.match(text):
            return None
        return Trace.PYDANTIC if _VALIDATION_HEADER.search(text) else Trace.PYTHON_DONE
    if trace is Trace.PYDANTIC:
        return trace if indented or _VALIDATION_LOCATION.fullmatch(text) else None
    if trace is Trace.GO and (indented or _GO_LINE.match(text)):
        return Trace.GO
    if indented:
        return _indented(text, trace, has_header)
    joinable = has_header or trace is not Trace.NONE
    if not joinable:
        return None
    if text.startswith(_PYTHON_CHAIN):
        return Trace.PYTHON
    if text.startswith(_PYTHON_START):
        return Trace.PYTHON if trace is Trace.NONE else None
    if _CHAIN.match(text) or _EXCEPTION.match(text):
        return Trace.JAVA
    if _GOROUTINE.match(text):
        return Trace.GO
    return None
