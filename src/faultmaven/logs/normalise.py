"""Reduce a log line to its shape so that repeats of one message fall into one group."""

import re

WILDCARD = "<*>"

_MONTH_NAMES = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
_LEVEL_WORDS = (
    "TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|ERR|SEVERE|CRIT|CRITICAL|FATAL|PANIC|EMERG|ALERT"
    "|LOG"
)

# One header element: a timestamp, a level token, a bracketed field (pid, thread, level),
# a syslog priority or a pid-like number; the header is a run of them at the line start.
_HEADER_ELEMENT = (
    r"<\d{1,3}>"
    r"|\d{4}[-/]\d{2}[-/]\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:\s?(?:Z|[+-]\d{2}:?\d{2}|UTC))?"
    rf"|(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\s+)?(?:{_MONTH_NAMES})\s+\d{{1,2}}\s+"
    r"\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:\s+\d{4}(?!\S))?"
    r"|\d{6}\s+\d{6}"
    r"|[IWEF]\d{4}\s+\d{2}:\d{2}:\d{2}\.\d+"
    r"|\[[^\]\s]{1,40}(?:\s[^\]\s]{1,40}){0,5}\]"
    rf"|(?:{_LEVEL_WORDS})(?![\w-])"
    r"|\d+(?=\s)"
)
_HEADER = re.compile(rf"(?:(?:{_HEADER_ELEMENT})[\s:|-]*)+")

_UUID = re.compile(
    r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b"
)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_TIMESTAMP = re.compile(
    r"\d{4}[-/]\d{2}[-/]\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?"
    rf"|\d{{2}}/(?:{_MONTH_NAMES})/\d{{4}}:\d{{2}}:\d{{2}}:\d{{2}}(?:\s[+-]\d{{4}})?"
    r"|\b\d{2}:\d{2}:\d{2}(?:[.,]\d+)?\b"
)
_IPV6 = re.compile(
    r"\[?(?<![\w:])(?=[0-9a-fA-F:]*\d)(?:[0-9a-fA-F]{0,4}:){2,7}[0-9a-fA-F]{0,4}(?![\w:])"
    r"(?:\]:\d{1,5}|%\w+)?"
)
_IPV4 = re.compile(r"(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?(?![\d.])")
_HEX = re.compile(
    r"\b0[xX][0-9a-fA-F]+\b|\b(?=[0-9a-fA-F]*\d)(?=[0-9a-fA-F]*[a-fA-F])[0-9a-fA-F]{8,}\b"
)
_QUANTITY = re.compile(
    r"(?<![\w.])[-+]?\d+(?:\.\d+)?\s?(?:ns|us|µs|ms|s|sec|secs|seconds|m|min|mins|minutes|h|hours"
    r"|[kKMGTP]i?[bB]|bytes|B|%)(?![\w])"
)
_QUOTED_ID = re.compile(r"(?<![\w\"'])([\"'])(?=[^\"'\s,]*\d)[^\"'\s,]{1,200}\1")
_KEY_VALUE = re.compile(r"\b([\w.-]+)=(?=[^\s,;&]*\d)[^\s,;&\"']+")
_NUMBER = re.compile(r"[-+]?\d+(?:[.,]\d+)*")
_WILDCARD_RUNS = re.compile(r"<\*>(?:[.:/,_-]?<\*>)+")
_SPACE = re.compile(r"\s+")
_HAS_DIGIT = re.compile(r"\d")


def strip_header(text: str) -> str:
    """Remove the leading timestamp, level, pid and bracketed fields of a log line."""
    match = _HEADER.match(text.lstrip())
    rest = text.lstrip()[match.end() :] if match else text.lstrip()
    return rest if rest.strip() else text.strip()


def _mask(text: str) -> str:
    """Replace the variable parts of a message with the wildcard."""
    if "@" in text:
        text = _EMAIL.sub(WILDCARD, text)
    if not _HAS_DIGIT.search(text):
        return text
    if "-" in text:
        text = _UUID.sub(WILDCARD, text)
    if ":" in text:
        text = _TIMESTAMP.sub(WILDCARD, text)
        if text.count(":") >= 2:
            text = _IPV6.sub(WILDCARD, text)
    if "." in text:
        text = _IPV4.sub(WILDCARD, text)
    text = _HEX.sub(WILDCARD, text)
    text = _QUANTITY.sub(WILDCARD, text)
    if '"' in text or "'" in text:
        text = _QUOTED_ID.sub(rf"\1{WILDCARD}\1", text)
    if "=" in text:
        text = _KEY_VALUE.sub(rf"\1={WILDCARD}", text)
    text = _NUMBER.sub(WILDCARD, text)
    return _WILDCARD_RUNS.sub(WILDCARD, text)


def line_group(text: str) -> str:
    """Return the shape of a log line: header stripped, variables masked as `<*>`.

    Two lines that differ only in numbers, ids, addresses, durations or timestamps
    share a group; lines that differ in their words do not.
    """
    return _SPACE.sub(" ", _mask(strip_header(text))).strip()
