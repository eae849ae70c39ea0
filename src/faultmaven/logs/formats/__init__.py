"""Log format readers: physical lines in, `LogEvent`s out, whatever the layout.

`read_events` detects each file's layout (JSON lines, logfmt, syslog, web server
access and error logs, CRI and Docker container logs, journald, Loghub headers,
generic timestamped lines, plain text), joins multi-line events, and accounts for
every line. Adding a layout is one parser module plus one line in `PARSER_FACTORIES`.
"""

from faultmaven.logs.formats._accounting import LineAccountingError, check_line_accounting
from faultmaven.logs.formats._base import Clock, FormatParser, ParsedLine
from faultmaven.logs.formats._reader import (
    MAX_EVENT_LINES,
    EventFields,
    EventReader,
    read_events,
)
from faultmaven.logs.formats._registry import PARSER_FACTORIES, FormatDetector, default_parsers

__all__ = [
    "MAX_EVENT_LINES",
    "PARSER_FACTORIES",
    "Clock",
    "EventFields",
    "EventReader",
    "FormatDetector",
    "FormatParser",
    "LineAccountingError",
    "ParsedLine",
    "check_line_accounting",
    "default_parsers",
    "read_events",
]
