"""Analyse the lines of one piece of evidence in order, keeping multi-line events together."""

import re
from datetime import UTC, datetime, tzinfo

from faultmaven.domain.evidence import LEVEL_RANK, AnalysedLine, Level
from faultmaven.logs.normalise import line_group
from faultmaven.logs.severity import find_level
from faultmaven.logs.timestamps import find_timestamp

# Lines that continue the event above them: stack frames, exception chains, Python
# traceback bodies and Go goroutine dumps.
_CONTINUATION = re.compile(
    r"\s+at\s"
    r"|\s*Caused by:"
    r"|\s*Suppressed:"
    r"|\s+\.\.\.(?:\s\d+\s(?:more|common frames omitted))?"
    r'|\s+File ".*", line \d+'
    r"|Traceback \(most recent call last\):"
    r"|During handling of the above exception"
    r"|The above exception was the direct cause"
    r"|goroutine \d+ \["
    r"|created by \S"
    r"|\t"
    r"|[\w.$]+(?:Exception|Error)(?::\s|$)"
)
# Inside a traceback or goroutine dump every line belongs to the event, indented or not
# (the final `ValueError: ...`, Go's `main.main()` frames).
_PYTHON_DUMP = re.compile(r"Traceback \(most recent call last\):")
_GO_DUMP = re.compile(r"goroutine \d+ \[|panic: ")
_PYTHON_CHAIN = re.compile(
    r"\s|Traceback \(|During handling of the above|The above exception was|$"
)


class LineAnalyser:
    """Turn the numbered lines of one evidence into AnalysedLines, in order.

    Continuation lines of a multi-line event take the time of the line that started
    the event, and its level when they declare none, so a stack trace stays with its
    error. Feed lines in ascending order of `n`.
    """

    def __init__(
        self,
        evidence_id: str,
        evidence_name: str,
        default_tz: tzinfo = UTC,
        now: datetime | None = None,
    ) -> None:
        self.evidence_id = evidence_id
        self.evidence_name = evidence_name
        self.default_tz = default_tz
        self.now = now
        self._event_time: datetime | None = None
        self._event_level: Level | None = None
        self._dump: str | None = None

    def _is_continuation(self, text: str, time: datetime | None) -> bool:
        """Tell whether a line continues the current event rather than starting one."""
        if time is not None:
            return False
        if self._dump is not None:
            return True
        return bool(text.strip()) and _CONTINUATION.match(text) is not None

    def _follow_dump(self, text: str, continuation: bool) -> None:
        """Track whether the next lines are inside a Python traceback or a Go dump."""
        if _PYTHON_DUMP.match(text):
            self._dump = "python"
        elif _GO_DUMP.match(text):
            self._dump = "go"
        elif not continuation:
            self._dump = None
        elif self._dump == "python" and not _PYTHON_CHAIN.match(text):
            # The unindented `ValueError: ...` line closes the traceback.
            self._dump = None

    def analyse(self, n: int, text: str, signature: str | None = None) -> AnalysedLine:
        """Analyse line `n`: its time, level and group; `signature` is passed through."""
        time = find_timestamp(text, self.default_tz, self.now)
        level = find_level(text)
        continuation = self._is_continuation(text, time)
        if continuation:
            time = self._event_time
            if level is None or (
                self._event_level is not None and LEVEL_RANK[level] < LEVEL_RANK[self._event_level]
            ):
                level = self._event_level
            else:
                self._event_level = level
        else:
            self._event_time = time
            self._event_level = level
        self._follow_dump(text, continuation)
        return AnalysedLine(
            evidence_id=self.evidence_id,
            evidence_name=self.evidence_name,
            n=n,
            text=text,
            time=time,
            level=level,
            group=line_group(text),
            signature=signature,
        )
