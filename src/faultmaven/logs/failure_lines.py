"""The line of a multi-line event that names its failure: a stack trace's exception.

A Java or .NET trace names its exception right after the head (and its root cause in the
last `Caused by:`); a Python traceback names it in its last unindented line; a Go panic
in its `panic:` line. Two heads that differ only in the logger or the request they name
are one failure when their traces end in the same exception.
"""

import re
from collections.abc import Sequence

from faultmaven.logs.templates.masking import mask

_EXCEPTION = re.compile(
    r"(?:Caused by: |Unhandled exception\. |Exception in thread \"[^\"]*\" )?"
    r"(?:[A-Za-z_$][\w$]*\.)*[A-Za-z_$][\w$]*"
    r"(?:Exception|Error|Throwable|Failure|Timeout|Panic|Fault)\b(?::\s|\s*$)"
)
_GO_PANIC = re.compile(r"panic: \S")
_PYTHON_TRACEBACK = "Traceback (most recent call last):"


def failure_line(event_lines: Sequence[str]) -> int | None:
    """Return the index of the continuation line naming the event's failure, if one does.

    The head (index 0) is never chosen: when the head names the failure itself, the
    template of the head already does.
    """
    found = [
        index
        for index, text in enumerate(event_lines[1:], start=1)
        if text[:1] not in (" ", "\t") and (_EXCEPTION.match(text) or _GO_PANIC.match(text))
    ]
    if not found:
        return None
    if any(line.startswith(_PYTHON_TRACEBACK) for line in event_lines):
        return found[-1]
    return found[0]


def failure_key(event_lines: Sequence[str]) -> str | None:
    """Return the masked failure line of an event, the same for every repeat of that failure."""
    index = failure_line(event_lines)
    return None if index is None else mask(event_lines[index].strip())
