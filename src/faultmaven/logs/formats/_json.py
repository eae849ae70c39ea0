"""JSON lines: application JSON logs, Docker's json-file records and `journalctl -o json`."""

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from faultmaven.domain.evidence import Level
from faultmaven.logs.formats._base import Clock, ParsedLine, attribute, text_time
from faultmaven.logs.severity import level_from_syslog_severity, level_from_word
from faultmaven.logs.timestamps import epoch_time

_TIME_KEYS = (
    "time", "timestamp", "ts", "@timestamp", "datetime", "date", "t", "eventTime",
    "timeMillis", "@t", "Timestamp", "asctime",
)  # fmt: skip
_LEVEL_KEYS = (
    "level", "severity", "lvl", "loglevel", "log.level", "levelname", "@l", "level_name",
    "log_level", "severity_text", "SeverityText", "Level", "s",
)  # fmt: skip
_MESSAGE_KEYS = ("msg", "message", "@m", "log", "text", "event", "@mt", "Message", "body")
# JSON key -> attribute name, for the header fields worth keeping.
_ATTRIBUTE_KEYS = {
    "service": "service", "service.name": "service", "service_name": "service",
    "app": "service", "application": "service",
    "logger": "logger", "logger_name": "logger", "loggerName": "logger", "name": "logger",
    "c": "component", "component": "component", "module": "module", "caller": "caller",
    "host": "host", "hostname": "host", "host.name": "host",
    "pod": "pod", "pod_name": "pod", "namespace": "namespace", "namespace_name": "namespace",
    "container": "container", "container_name": "container", "pid": "pid", "thread": "thread",
    "thread_name": "thread", "trace_id": "trace_id", "traceId": "trace_id",
    "request_id": "request_id", "requestId": "request_id", "status": "status",
    "status_code": "status", "method": "method", "path": "path", "error": "error", "err": "error",
    "stream": "stream",
}  # fmt: skip
_KUBERNETES_KEYS = {
    "pod_name": "pod", "namespace_name": "namespace", "container_name": "container",
    "host": "host",
}  # fmt: skip


def _time_of(value: object, clock: Clock) -> datetime | None:
    """Read a JSON time value: an ISO string, epoch number or string, or a `$date` wrapper."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return epoch_time(value)
    if isinstance(value, str):
        return text_time(value, clock)
    if isinstance(value, Mapping):
        if "$date" in value:
            return _time_of(value["$date"], clock)
        seconds = value.get("seconds", value.get("epochSecond"))
        if isinstance(seconds, int):
            nanos = value.get("nanos", value.get("nanoOfSecond", 0))
            return epoch_time(seconds + (nanos if isinstance(nanos, int) else 0) / 1e9)
    return None


def _level_of(value: object) -> Level | None:
    """Read a JSON level value: a word, a letter, or a bunyan/pino number."""
    if isinstance(value, str):
        return level_from_word(value.strip())
    if isinstance(value, int) and not isinstance(value, bool):
        return level_from_word(str(value))
    return None


def _roles() -> dict[str, tuple[str, int]]:
    """Map each known key to its role (time, level, message or an attribute) and rank."""
    roles: dict[str, tuple[str, int]] = {}
    for role, keys in (("time", _TIME_KEYS), ("level", _LEVEL_KEYS), ("message", _MESSAGE_KEYS)):
        for rank, key in enumerate(keys):
            roles[key] = (role, rank)
    for key, name in _ATTRIBUTE_KEYS.items():
        roles.setdefault(key, ("@" + name, 0))
    return roles


_ROLES = _roles()


def _message_text(value: object) -> str:
    """Render a message value as text (a structured message as compact JSON)."""
    if isinstance(value, str):
        return value.rstrip("\n")
    return json.dumps(value, separators=(",", ":"), default=str)


def _kubernetes(block: Mapping[str, Any], found: dict[str, str]) -> None:
    """Keep the pod, namespace and container of a log shipper's `kubernetes` block."""
    for key, name in _KUBERNETES_KEYS.items():
        value = block.get(key)
        if isinstance(value, str):
            found.setdefault(name, attribute(value))


def _fields(record: Mapping[str, Any]) -> tuple[dict[str, tuple[int, Any]], dict[str, str]]:
    """Sort a record's keys into time, level and message candidates and header attributes."""
    best: dict[str, tuple[int, Any]] = {}
    found: dict[str, str] = {}
    for key, value in record.items():
        role = _ROLES.get(key)
        if role is None or value is None or value == "" or isinstance(value, bool):
            if key == "kubernetes" and isinstance(value, Mapping):
                _kubernetes(value, found)
            continue
        name, rank = role
        if name[0] == "@":
            if name[1:] not in found and isinstance(value, str | int):
                found[name[1:]] = attribute(value)
            continue
        previous = best.get(name)
        if previous is None or rank < previous[0]:
            best[name] = (rank, value)
    return best, found


def _application(record: Mapping[str, Any], line: str, clock: Clock) -> ParsedLine:
    """Read an application's JSON log record."""
    best, attributes = _fields(record)
    level_value = best["level"][1] if "level" in best else None
    nested_log = record.get("log")
    if level_value is None and isinstance(nested_log, Mapping):
        level_value = nested_log.get("level")
    message = _message_text(best["message"][1]) if "message" in best else line
    if isinstance(best.get("message", (0, ""))[1], Mapping):
        message = line
    return ParsedLine(
        format="json",
        message=message,
        time=_time_of(best["time"][1], clock) if "time" in best else None,
        level=_level_of(level_value),
        attributes=attributes,
    )


def _docker(record: Mapping[str, Any], clock: Clock) -> ParsedLine:
    """Read a Docker json-file record; its `log` is the container's raw output."""
    output = str(record["log"])
    attributes = {"stream": attribute(record["stream"])} if record.get("stream") else {}
    return ParsedLine(
        format="docker",
        message=output[:-1] if output.endswith("\n") else output,
        time=_time_of(record.get("time"), clock),
        attributes=attributes,
        wrapped=True,
        partial=not output.endswith("\n"),
    )


def _journald_message(value: object) -> str:
    """Read journald's MESSAGE: a string, or a list of byte values for non-UTF-8 text."""
    if isinstance(value, list) and all(isinstance(item, int) for item in value):
        return bytes(item & 0xFF for item in value).decode("utf-8", "replace").rstrip("\n")
    return _message_text(value) if value is not None else ""


def _journald(record: Mapping[str, Any]) -> ParsedLine:
    """Read a `journalctl -o json` record."""
    micros = record.get("__REALTIME_TIMESTAMP")
    priority = record.get("PRIORITY")
    attributes: dict[str, str] = {}
    for key, name in (
        ("_SYSTEMD_UNIT", "unit"),
        ("SYSLOG_IDENTIFIER", "program"),
        ("_COMM", "program"),
        ("_HOSTNAME", "host"),
        ("_PID", "pid"),
        ("CONTAINER_NAME", "container"),
    ):
        value = record.get(key)
        if isinstance(value, str) and name not in attributes:
            attributes[name] = attribute(value)
    level = None
    if isinstance(priority, str | int) and str(priority).isascii() and str(priority).isdigit():
        level = level_from_syslog_severity(int(priority))
    time = None
    if isinstance(micros, str | int) and str(micros).isascii() and str(micros).isdigit():
        time = epoch_time(int(micros) / 1e6)
    return ParsedLine(
        format="journald",
        message=_journald_message(record.get("MESSAGE")),
        time=time,
        level=level,
        attributes=attributes,
    )


class JsonParser:
    """JSON objects, one a line; Docker and journald records are told apart by their keys."""

    name = "json"

    def parse(self, line: str, clock: Clock) -> ParsedLine | None:
        """Read a JSON log record, or return None when the line is not one JSON object."""
        if not line.startswith("{") or not line.rstrip().endswith("}"):
            return None
        try:
            record = json.loads(line)
        except (ValueError, RecursionError):
            return None
        if not isinstance(record, dict):
            return None
        if isinstance(record.get("log"), str) and "stream" in record:
            return _docker(record, clock)
        if "__REALTIME_TIMESTAMP" in record or ("MESSAGE" in record and "PRIORITY" in record):
            return _journald(record)
        return _application(record, line, clock)
