# ruff: noqa: E501
# Log lines, kubectl rows and series definitions are data, kept whole on one line.
"""Ordinary traffic: the thousands of normal lines a service writes around an incident.

Every line carries fresh values (ids, latencies, addresses). A few harmless warnings and
errors (a retried call that then worked, a 404, a client that went away) are mixed in, as
in any real log, so that "an error exists" proves nothing.
"""

import random
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from records import Record

Line = tuple[str, str, tuple[str, ...]]
"""(level, message, trailer) of one ordinary event."""

Vocabulary = Callable[[random.Random], Line]


def _id(rng: random.Random, digits: int = 12) -> str:
    return f"{rng.getrandbits(digits * 4):0{digits}x}"


def _ip(rng: random.Random) -> str:
    return f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"


def _millis(rng: random.Random, typical: int = 40) -> int:
    return max(1, int(rng.lognormvariate(0, 0.6) * typical))


def web_api(service: str, nouns: Sequence[str]) -> Vocabulary:
    """Requests served by an HTTP API about `nouns` (orders, carts, ...)."""

    def line(rng: random.Random) -> Line:
        noun = rng.choice(nouns)
        roll = rng.random()
        if roll < 0.45:
            method, status = rng.choice([("GET", 200), ("GET", 200), ("POST", 201), ("PUT", 200)])
            return (
                "INFO",
                f"{method} /api/v1/{noun}/{rng.randrange(10**6)} {status}"
                f" {_millis(rng)}ms client={_ip(rng)}",
                (),
            )
        if roll < 0.6:
            return "INFO", f"{noun} {_id(rng, 8)} updated by user {rng.randrange(10**5)}", ()
        if roll < 0.7:
            return (
                "DEBUG",
                f"cache hit key={noun}:{rng.randrange(10**6)} ttl={rng.randrange(60, 600)}s",
                (),
            )
        if roll < 0.78:
            return (
                "INFO",
                f"published event {noun}.changed id={_id(rng)} partition={rng.randrange(12)}",
                (),
            )
        if roll < 0.85:
            return "INFO", f"session {_id(rng, 16)} refreshed for user {rng.randrange(10**5)}", ()
        if roll < 0.9:
            return (
                "INFO",
                f"health check ok uptime={rng.randrange(1000, 90000)}s goroutines={rng.randrange(40, 90)}",
                (),
            )
        if roll < 0.94:
            return (
                "WARN",
                f"slow request GET /api/v1/{noun}/search took {rng.randrange(1000, 2400)}ms"
                " (threshold 1000ms)",
                (),
            )
        if roll < 0.97:
            return "WARN", f"GET /api/v1/{noun}/{rng.randrange(10**6)} 404 not found", ()
        if roll < 0.985:
            return (
                "WARN",
                f"call to {rng.choice(['search', 'recommendations', 'geo'])} timed out after"
                f" {rng.randrange(800, 1500)}ms, retry 1 of 3 succeeded",
                (),
            )
        return (
            "ERROR",
            f"client {_ip(rng)} closed connection before response was written ({service})",
            (),
        )

    return line


def worker(service: str, topics: Sequence[str]) -> Vocabulary:
    """A queue consumer or batch worker handling messages from `topics`."""

    def line(rng: random.Random) -> Line:
        topic = rng.choice(topics)
        roll = rng.random()
        if roll < 0.5:
            return (
                "INFO",
                f"processed message topic={topic} partition={rng.randrange(24)}"
                f" offset={rng.randrange(10**7)} in {_millis(rng, 12)}ms",
                (),
            )
        if roll < 0.65:
            return "INFO", f"job {_id(rng, 8)} completed in {_millis(rng, 300)}ms ({service})", ()
        if roll < 0.78:
            return "DEBUG", f"committed offsets for {topic} lag={rng.randrange(0, 40)}", ()
        if roll < 0.88:
            return "INFO", f"batch of {rng.randrange(10, 500)} records flushed to store", ()
        if roll < 0.95:
            return (
                "INFO",
                f"heartbeat sent member={service}-{_id(rng, 6)} generation={rng.randrange(100, 200)}",
                (),
            )
        if roll < 0.985:
            return (
                "WARN",
                f"message {_id(rng)} on {topic} redelivered (attempt 2), handled",
                (),
            )
        return "ERROR", f"skipping message {_id(rng)}: unknown event type 'legacy.{topic}.v0'", ()

    return line


def database_server() -> Vocabulary:
    """PostgreSQL's ordinary chatter: checkpoints, autovacuum, connections."""

    def line(rng: random.Random) -> Line:
        roll = rng.random()
        if roll < 0.3:
            return (
                "INFO",
                f"connection authorized: user=app database=shop application_name=svc-{rng.randrange(40)}",
                (),
            )
        if roll < 0.5:
            return (
                "INFO",
                f"connection received: host={_ip(rng)} port={rng.randrange(30000, 60000)}",
                (),
            )
        if roll < 0.65:
            return (
                "INFO",
                f"disconnection: session time: 0:{rng.randrange(60):02d}:{rng.randrange(60):02d}.{rng.randrange(1000):03d}"
                f" user=app database=shop host={_ip(rng)}",
                (),
            )
        if roll < 0.75:
            return (
                "INFO",
                f'automatic vacuum of table "shop.public.{rng.choice(["orders", "carts", "events", "sessions"])}":'
                f" index scans: {rng.randrange(3)} pages: 0 removed, {rng.randrange(100, 9000)} remain",
                (),
            )
        if roll < 0.85:
            return (
                "INFO",
                f"checkpoint complete: wrote {rng.randrange(50, 4000)} buffers ({rng.random() * 10:.1f}%);"
                f" write={rng.random() * 30:.3f} s, sync={rng.random():.3f} s",
                (),
            )
        if roll < 0.97:
            return "INFO", f"duration: {rng.random() * 40:.3f} ms  statement: SELECT 1", ()
        return (
            "ERROR",
            f'duplicate key value violates unique constraint "sessions_pkey" (retried by client {rng.randrange(40)})',
            (),
        )

    return line


def http_access(paths: Sequence[str], upstream_ms: int = 30) -> Vocabulary:
    """nginx access-log request parts: `"GET /x HTTP/1.1" 200 512 "-" "agent" 0.012`."""
    agents = [
        "Mozilla/5.0 (X11; Linux x86_64)",
        "okhttp/4.12.0",
        "python-requests/2.31",
        "curl/8.5.0",
    ]

    def line(rng: random.Random) -> Line:
        path = rng.choice(paths).replace("{id}", str(rng.randrange(10**6)))
        status = rng.choices([200, 201, 204, 301, 404, 499], [70, 8, 6, 2, 3, 1])[0]
        seconds = _millis(rng, upstream_ms) / 1000
        method = "POST" if status == 201 else "GET"
        return (
            "INFO",
            f'"{method} {path} HTTP/1.1" {status} {rng.randrange(80, 9000)} "-"'
            f' "{rng.choice(agents)}" {seconds:.3f}',
            (),
        )

    return line


def host_traffic(rng: random.Random, start: datetime, minutes: float, lines: int) -> list[Record]:
    """A Linux host's syslog chatter (cron, sshd, systemd, logrotate), each line with its program."""
    pids = {"CRON": rng.randrange(2000, 9000), "sshd": rng.randrange(900, 1900), "systemd": 1}

    def line(rng: random.Random) -> tuple[str, str, str]:
        roll = rng.random()
        if roll < 0.3:
            return (
                "CRON",
                "pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)",
                "",
            )
        if roll < 0.45:
            return (
                "CRON",
                f"(root) CMD (/usr/local/bin/collect-stats --interval {rng.choice([60, 300])})",
                "",
            )
        if roll < 0.6:
            return (
                "systemd",
                f"Started session-{rng.randrange(10**5)}.scope - Session {rng.randrange(10**5)} of User deploy.",
                "",
            )
        if roll < 0.8:
            return (
                "sshd",
                f"Accepted publickey for deploy from {_ip(rng)} port {rng.randrange(30000, 60000)} ssh2: ED25519 SHA256:{rng.getrandbits(128):032x}",
                "",
            )
        if roll < 0.9:
            return "systemd", "logrotate.service: Deactivated successfully.", ""
        return (
            "sshd",
            f"Received disconnect from {_ip(rng)} port {rng.randrange(30000, 60000)}:11: disconnected by user",
            "",
        )

    span = minutes * 60_000
    records = []
    for offset in sorted(rng.random() * span for _ in range(lines)):
        program, message, _ = line(rng)
        pid = pids[program] if program != "CRON" else rng.randrange(10000, 99999)
        records.append(
            Record(start + timedelta(milliseconds=offset), "INFO", message, (), f"{program}[{pid}]")
        )
    return records


def traffic(
    rng: random.Random,
    vocabulary: Vocabulary,
    start: datetime,
    minutes: float,
    lines: int,
    logger: str | None = None,
) -> list[Record]:
    """`lines` ordinary records spread at random over `minutes` from `start`, in time order."""
    span = minutes * 60_000
    offsets = sorted(rng.random() * span for _ in range(lines))
    records = []
    for offset in offsets:
        level, message, trailer = vocabulary(rng)
        records.append(
            Record(start + timedelta(milliseconds=offset), level, message, trailer, logger)
        )
    return records


def burst(
    rng: random.Random,
    start: datetime,
    minutes: float,
    count: int,
    make: Callable[[random.Random], Line],
) -> list[Record]:
    """`count` loud symptom records from `make` spread over `minutes` after `start`."""
    return traffic(rng, make, start, minutes, count)
