"""Log records and the formats real software writes them in.

A record is one event (time, level, message, optional trailer such as a stack trace);
a format turns it into the physical lines a service would have written.
"""

import json
import random
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Protocol

LEVEL_NUMBERS = {"DEBUG": 20, "INFO": 30, "WARN": 40, "ERROR": 50, "FATAL": 60}
SYSLOG_SEVERITY = {"DEBUG": 7, "INFO": 6, "WARN": 4, "ERROR": 3, "FATAL": 2}


@dataclass(frozen=True)
class Record:
    """One event a service logs; `trailer` holds the extra physical lines (a stack trace)."""

    time: datetime
    level: str
    message: str
    trailer: tuple[str, ...] = ()
    logger: str | None = None


class LogFormat(Protocol):
    """Turns records into the physical lines of one kind of log."""

    def render(self, record: Record) -> list[str]: ...


def iso_millis(time: datetime) -> str:
    """`2024-05-01T10:00:00.123Z`."""
    return time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{time.microsecond // 1000:03d}Z"


def iso_offset(time: datetime, zone: tzinfo) -> str:
    """`2024-05-01T12:00:00.123+02:00`: the local time of `zone` with its offset."""
    return time.astimezone(zone).isoformat(timespec="milliseconds")


def space_millis(time: datetime, separator: str = ".") -> str:
    """`2024-05-01 10:00:00.123` (or with a comma, as logback and Python write it)."""
    return time.strftime("%Y-%m-%d %H:%M:%S") + f"{separator}{time.microsecond // 1000:03d}"


@dataclass
class JsonLines:
    """One JSON object per line; `keys` names the time, level and message keys."""

    service: str
    keys: tuple[str, str, str] = ("ts", "level", "msg")
    service_key: str = "service"
    lower_level: bool = True
    rng: random.Random = field(default_factory=lambda: random.Random(0))
    zone: tzinfo | None = None

    def render(self, record: Record) -> list[str]:
        time_key, level_key, message_key = self.keys
        level = record.level.lower() if self.lower_level else record.level
        stamp = iso_offset(record.time, self.zone) if self.zone else iso_millis(record.time)
        body: dict[str, object] = {
            time_key: stamp,
            level_key: level,
            self.service_key: self.service,
            message_key: record.message,
        }
        if self.rng.random() < 0.3:
            body["trace_id"] = f"{self.rng.getrandbits(64):016x}"
        if record.trailer:
            body["stack"] = "\n".join(record.trailer)
        return [json.dumps(body)]


@dataclass
class Logfmt:
    """`time=... level=info msg="..."` as Go and Heroku-style services write it."""

    service: str
    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def render(self, record: Record) -> list[str]:
        message = record.message.replace('"', '\\"')
        line = (
            f"time={iso_millis(record.time)} level={record.level.lower()}"
            f' app={self.service} msg="{message}"'
        )
        if self.rng.random() < 0.5:
            line += f" request_id={self.rng.getrandbits(40):010x}"
        return [line, *record.trailer]


@dataclass
class SpringBoot:
    """Spring Boot's logback console pattern, stack traces on the lines after."""

    loggers: tuple[str, ...]
    pid: int = 1
    rng: random.Random = field(default_factory=lambda: random.Random(0))
    zone: tzinfo | None = None
    """When set, Spring Boot 3's layout: ISO-8601 local time with its offset."""

    def render(self, record: Record) -> list[str]:
        thread = f"nio-8080-exec-{self.rng.randrange(1, 200)}"
        logger = record.logger or self.rng.choice(self.loggers)
        level = record.level.replace("WARN", "WARN ").replace("INFO", "INFO ")
        stamp = iso_offset(record.time, self.zone) if self.zone else space_millis(record.time)
        head = f"{stamp} {level:5} {self.pid} --- [{thread:>15}] {logger:<40} : "
        return [head + record.message, *record.trailer]


@dataclass
class Log4j:
    """Log4j's `%d [%t] %-5p %c - %m%n` pattern."""

    loggers: tuple[str, ...]
    threads: str = "pool-2-thread"
    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def render(self, record: Record) -> list[str]:
        thread = f"{self.threads}-{self.rng.randrange(1, 64)}"
        logger = record.logger or self.rng.choice(self.loggers)
        stamp = space_millis(record.time, ",")
        return [
            f"{stamp} [{thread}] {record.level:<5} {logger} - {record.message}",
            *record.trailer,
        ]


@dataclass
class PythonLogging:
    """Python's `%(asctime)s %(levelname)s [%(name)s] %(message)s`, tracebacks after."""

    loggers: tuple[str, ...]
    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def render(self, record: Record) -> list[str]:
        level = {"WARN": "WARNING", "FATAL": "CRITICAL"}.get(record.level, record.level)
        logger = record.logger or self.rng.choice(self.loggers)
        stamp = space_millis(record.time, ",")
        return [f"{stamp} {level} [{logger}] {record.message}", *record.trailer]


@dataclass
class Zap:
    """Uber zap's production JSON encoder (epoch seconds, caller)."""

    callers: tuple[str, ...]
    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def render(self, record: Record) -> list[str]:
        body: dict[str, object] = {
            "level": record.level.lower(),
            "ts": round(record.time.timestamp(), 3),
            "caller": record.logger or self.rng.choice(self.callers),
            "msg": record.message,
        }
        if record.trailer:
            body["stacktrace"] = "\n".join(record.trailer)
        return [json.dumps(body)]


@dataclass
class Pino:
    """Node's pino: numeric levels, epoch milliseconds."""

    hostname: str
    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def render(self, record: Record) -> list[str]:
        body: dict[str, object] = {
            "level": LEVEL_NUMBERS[record.level],
            "time": int(record.time.timestamp() * 1000),
            "pid": 17,
            "hostname": self.hostname,
            "reqId": f"req-{self.rng.randrange(1, 10**6):x}",
            "msg": record.message,
        }
        if record.trailer:
            body["err"] = {"type": "Error", "stack": "\n".join(record.trailer)}
        return [json.dumps(body)]


@dataclass
class Syslog3164:
    """BSD syslog `May  1 10:00:00 host program[pid]: message`; a record's logger is its program."""

    host: str
    program: str
    pid: int

    def render(self, record: Record) -> list[str]:
        stamp = record.time.strftime("%b ") + f"{record.time.day:2d}" + record.time.strftime(" %T")
        program = record.logger or (f"{self.program}[{self.pid}]" if self.pid else self.program)
        return [f"{stamp} {self.host} {program}: {record.message}"]


@dataclass
class Syslog5424:
    """RFC 5424 syslog with priority, ISO time, host, app and process id."""

    host: str
    app: str
    pid: int
    facility: int = 16

    def render(self, record: Record) -> list[str]:
        priority = self.facility * 8 + SYSLOG_SEVERITY[record.level]
        stamp = iso_millis(record.time)
        return [f"<{priority}>1 {stamp} {self.host} {self.app} {self.pid} - - {record.message}"]


@dataclass
class Journal:
    """`journalctl -o short-iso`: `2024-05-01T10:00:00+0000 host program[pid]: message`."""

    host: str
    program: str
    pid: int

    def render(self, record: Record) -> list[str]:
        stamp = record.time.strftime("%Y-%m-%dT%H:%M:%S+0000")
        return [
            f"{stamp} {self.host} {self.program}[{self.pid}]: {record.message}",
            *record.trailer,
        ]


@dataclass
class NginxError:
    """nginx error_log: `2024/05/01 10:00:00 [error] 31#31: *4021 message`."""

    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def render(self, record: Record) -> list[str]:
        level = {"WARN": "warn", "INFO": "notice", "FATAL": "crit"}.get(record.level, "error")
        connection = self.rng.randrange(1000, 99999)
        stamp = record.time.strftime("%Y/%m/%d %H:%M:%S")
        return [f"{stamp} [{level}] 31#31: *{connection} {record.message}"]


@dataclass
class NginxAccess:
    """nginx combined access log; the record's message is the request part after the time."""

    rng: random.Random = field(default_factory=lambda: random.Random(0))
    zone: tzinfo | None = None

    def render(self, record: Record) -> list[str]:
        client = f"10.{self.rng.randrange(256)}.{self.rng.randrange(256)}.{self.rng.randrange(256)}"
        local = record.time.astimezone(self.zone) if self.zone else record.time
        stamp = local.strftime("%d/%b/%Y:%H:%M:%S ") + (
            local.strftime("%z") if self.zone else "+0000"
        )
        return [f"{client} - - [{stamp}] {record.message}"]


@dataclass
class Postgres:
    """PostgreSQL's stderr log with `log_line_prefix = '%m [%p] '`."""

    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def render(self, record: Record) -> list[str]:
        level = {"INFO": "LOG", "WARN": "WARNING", "DEBUG": "DEBUG", "FATAL": "FATAL"}.get(
            record.level, "ERROR"
        )
        stamp = space_millis(record.time) + " UTC"
        return [f"{stamp} [{self.rng.randrange(100, 60000)}] {level}:  {record.message}"]


@dataclass
class KubectlTimestamps:
    """`kubectl logs --timestamps`: the container's own line after an RFC 3339 nanosecond stamp."""

    def render(self, record: Record) -> list[str]:
        stamp = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.")
            + f"{record.time.microsecond:06d}{record.time.microsecond % 1000:03d}Z"
        )
        return [f"{stamp} {record.message}", *(f"{stamp} {line}" for line in record.trailer)]
