"""Recognise the severity of a log line."""

import re

from faultmaven.domain.evidence import Level

_WORDS: dict[str, Level] = {
    "trace": Level.TRACE,
    "finest": Level.TRACE,
    "debug": Level.DEBUG,
    "dbg": Level.DEBUG,
    "fine": Level.DEBUG,
    "verbose": Level.DEBUG,
    "info": Level.INFO,
    "information": Level.INFO,
    "informational": Level.INFO,
    "notice": Level.INFO,
    "log": Level.INFO,
    "warn": Level.WARN,
    "warning": Level.WARN,
    "err": Level.ERROR,
    "error": Level.ERROR,
    "severe": Level.ERROR,
    "crit": Level.FATAL,
    "critical": Level.FATAL,
    "fatal": Level.FATAL,
    "panic": Level.FATAL,
    "emerg": Level.FATAL,
    "emergency": Level.FATAL,
    "alert": Level.FATAL,
}
# bunyan/pino numeric levels
_NUMERIC: dict[str, Level] = {
    "10": Level.TRACE,
    "20": Level.DEBUG,
    "30": Level.INFO,
    "40": Level.WARN,
    "50": Level.ERROR,
    "60": Level.FATAL,
}
_GLOG: dict[str, Level] = {"I": Level.INFO, "W": Level.WARN, "E": Level.ERROR, "F": Level.FATAL}
# Redis: `1:M 01 Jan 2024 12:00:00.123 # message`, the marker is the level.
_REDIS: dict[str, Level] = {".": Level.DEBUG, "-": Level.DEBUG, "*": Level.INFO, "#": Level.WARN}

_ALTERNATIVES = "|".join(sorted(_WORDS, key=len, reverse=True))

_JSON_LEVEL = re.compile(
    r'"(?:level|severity|lvl|loglevel|log\.level|levelname)"\s*:\s*(?:"(\w+)"|(\d{2})\b)',
    re.IGNORECASE,
)
_LOGFMT_LEVEL = re.compile(r"\b(?:level|lvl|severity)=[\"']?(\w+)", re.IGNORECASE)
_GLOG_HEADER = re.compile(r"([IWEF])\d{4} \d{2}:\d{2}:\d{2}")
_REDIS_HEADER = re.compile(r"\d+:[XCSM] \d{1,2} \w{3} \d{4} [\d:.]+ ([.\-*#]) ")
_ACCESS_LOG = re.compile(
    r'"(?:GET|POST|PUT|DELETE|HEAD|OPTIONS|PATCH|CONNECT|TRACE|PROPFIND)\s+\S+'
    r'(?:\s+HTTP/[\d.]+)?"\s+(\d{3})\s'
)
# `[ERROR]`, `<warn>`, `(INFO)`, apache's `[core:error]` / `[:error]`
_BRACKETED = re.compile(rf"[\[<(](?:[\w-]*:)?({_ALTERNATIVES})[\]>)]", re.IGNORECASE)
# A bare upper-case token; `LOG` only counts in PostgreSQL's `LOG:` form.
_BARE_UPPER = re.compile(r"(?<![\w-])([A-Z]{3,13})(?![\w=-])")
# `error: ...` at line start, or a tab-separated level column (zap, logrus text)
_LEADING_WORD = re.compile(rf"({_ALTERNATIVES})(?::\s|\t)", re.IGNORECASE)
_TAB_COLUMN = re.compile(rf"\t({_ALTERNATIVES})\t", re.IGNORECASE)
# Plain literals on purpose: the regex engine scans for them much faster than for `\b` forms.
_FAILURE_WORDS = re.compile(
    "|".join(
        re.escape(word)
        for word in (
            "Traceback (most recent call last)", "Exception", "Error:", "panic:", "FATAL",
            "Out of memory", "out of memory", "Killed process", "oom-kill", "segfault at",
            "Segmentation fault", "OOMKilled",
        )
    )
)  # fmt: skip


def _word_level(word: str) -> Level | None:
    """Map a level word such as `warning` or `CRIT` to a Level."""
    return _WORDS.get(word.lower())


def _status_level(status: str) -> Level:
    """Map an HTTP status code to the severity of its access-log line."""
    if status.startswith("5"):
        return Level.ERROR
    if status.startswith("4"):
        return Level.WARN
    return Level.INFO


def _structured_level(text: str) -> Level | None:
    """Read the level field of a JSON or logfmt line."""
    if text.lstrip().startswith("{"):
        match = _JSON_LEVEL.search(text)
        if match:
            word, number = match.groups()
            return _word_level(word) if word else _NUMERIC.get(number)
    if "=" in text:
        logfmt = _LOGFMT_LEVEL.search(text)
        if logfmt:
            return _word_level(logfmt.group(1))
    return None


def _header_level(text: str) -> Level | None:
    """Read the level of glog, Redis and HTTP access-log lines from their fixed layouts."""
    glog = _GLOG_HEADER.match(text)
    if glog:
        return _GLOG[glog.group(1)]
    redis = _REDIS_HEADER.match(text)
    if redis:
        return _REDIS[redis.group(1)]
    if '"' in text:
        access = _ACCESS_LOG.search(text)
        if access:
            return _status_level(access.group(1))
    return None


def _token_level(text: str) -> Level | None:
    """Find a bracketed, upper-case or leading level token."""
    found: list[tuple[int, Level]] = []
    for match in _BARE_UPPER.finditer(text):
        word = match.group(1)
        level = _WORDS.get(word.lower())
        if level is None or (word == "LOG" and not text.startswith(":", match.end(1))):
            continue
        found.append((match.start(1), level))
        break
    patterns = [_LEADING_WORD.match(text)]
    if "[" in text or "<" in text or "(" in text:
        patterns.append(_BRACKETED.search(text))
    if "\t" in text:
        patterns.append(_TAB_COLUMN.search(text))
    found.extend((m.start(1), _WORDS[m.group(1).lower()]) for m in patterns if m is not None)
    return min(found, key=lambda item: item[0])[1] if found else None


# Every level word and failure word contains one of these (lower-cased); a line with none
# of them, no quote and no structured or fixed-layout start declares no level.
_HINTS = (
    "tra", "deb", "dbg", "fin", "verb", "inf", "noti", "log", "warn", "err", "sev", "crit",
    "fatal", "panic", "emerg", "alert", "exception", "out of memory", "killed process",
    "oom", "segfault", "segmentation", "lvl", "level",
)  # fmt: skip


def _may_declare_level(text: str) -> bool:
    """Tell cheaply whether `text` can declare a level at all."""
    first = text[:1]
    if first in ("{", " ", "\t") or first.isdigit() or first in "IWEF" or '"' in text:
        return True
    lowered = text.lower()
    return any(hint in lowered for hint in _HINTS)


def find_level(text: str) -> Level | None:
    """Return the severity a log line declares, or None when it declares none.

    Structured fields and fixed layouts win over tokens; the leftmost token wins over
    later ones. A line without any level token but with a strong failure word
    (a Python traceback, a Java exception, a Go panic, the kernel OOM killer) is ERROR.
    """
    if not _may_declare_level(text):
        return None
    level = _structured_level(text) or _header_level(text) or _token_level(text)
    if level is not None:
        return level
    if _FAILURE_WORDS.search(text):
        return Level.ERROR
    return None


# Single letters of glog, Android logcat and MongoDB (`D1`..`D5` are its debug levels).
_LETTERS: dict[str, Level] = {
    "T": Level.TRACE,
    "V": Level.TRACE,
    "D": Level.DEBUG,
    "I": Level.INFO,
    "N": Level.INFO,
    "W": Level.WARN,
    "E": Level.ERROR,
    "C": Level.FATAL,
    "F": Level.FATAL,
    "A": Level.FATAL,
}
# Serilog's and .NET's three-letter forms, only as the value of a level field.
_ABBREVIATIONS: dict[str, Level] = {
    "vrb": Level.TRACE,
    "inf": Level.INFO,
    "wrn": Level.WARN,
    "eror": Level.ERROR,
    "ftl": Level.FATAL,
    "crt": Level.FATAL,
}
# RFC 5424 severities 0 (emergency) .. 7 (debug).
_SYSLOG_SEVERITIES = (
    Level.FATAL, Level.FATAL, Level.FATAL, Level.ERROR, Level.WARN, Level.INFO, Level.INFO,
    Level.DEBUG,
)  # fmt: skip


def level_from_word(word: str) -> Level | None:
    """Map the value of a level field to a Level.

    Accepts level words in any case (`warning`, `ERR`, `Information`), single letters
    (glog, logcat, MongoDB: `E`, `W`, `D2`) and bunyan/pino numbers (`30`, `50`).
    """
    lowered = word.lower()
    level = _WORDS.get(lowered) or _ABBREVIATIONS.get(lowered)
    if level is not None:
        return level
    if word.isdigit():
        return _NUMERIC.get(word)
    if 1 <= len(word) <= 2 and (len(word) == 1 or word[1].isdigit()):
        return _LETTERS.get(word[0].upper())
    return None


def level_from_syslog_severity(severity: int) -> Level | None:
    """Map an RFC 5424 severity (0 emergency .. 7 debug), e.g. `PRI % 8`, to a Level."""
    if 0 <= severity < len(_SYSLOG_SEVERITIES):
        return _SYSLOG_SEVERITIES[severity]
    return None
