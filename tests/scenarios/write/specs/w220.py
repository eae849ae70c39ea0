# ruff: noqa: E501
# Hand-written log lines, the resolv.conf diff and pasted shell output are data, kept whole on one line.
"""Single host, DNS: a new Puppet resolver profile reached web-04 at 13:02 UTC (the other web
hosts converge at night) and put `eu-west.corp.example.net` in front of `prod.internal` in
/etc/resolv.conf's search list. That corporate zone has a wildcard record
(`*.eu-west.corp.example.net` -> 198.51.100.24, the office proxy), so the short names the
shopfront uses (`sessions-redis`, `orders-db`) now resolve through the first search domain to
the proxy instead of falling through to prod.internal. shopfront on web-04 cannot reach Redis
(connect timeouts), one request in four behind the load balancer fails with 500. Loud: redis-py
timeouts and HAProxy 500s for web-04. Decoys: Redis's "Asynchronous AOF fsync is taking too
long" warning, yesterday's shopfront 5.12.0 release on all web hosts, and a health-check flap
of web-02 in the morning; the on-call's `dig sessions-redis.prod.internal` looks fine."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from records import PythonLogging, Record, Syslog3164
from scenes import at, fixed, loud
from traffic import host_traffic, traffic

START = datetime(2025, 6, 3, 11, 0, tzinfo=UTC)
END = datetime(2025, 6, 3, 14, 20, tzinfo=UTC)
CHANGE = datetime(2025, 6, 3, 13, 2, 11, tzinfo=UTC)
PATHS = ["/", "/login", "/cart", "/product/{id}", "/search?q=lamp", "/account/orders", "/checkout"]


@dataclass
class HaproxyHttp:
    """HAProxy's `option httplog` line through syslog; the record's message holds server, timers, status, bytes, flags and request."""

    rng: random.Random

    def render(self, record: Record) -> list[str]:
        stamp = record.time.strftime("%b ") + f"{record.time.day:2d}" + record.time.strftime(" %T")
        accept = (
            record.time.strftime("%d/%b/%Y:%H:%M:%S.") + f"{record.time.microsecond // 1000:03d}"
        )
        client = f"10.{self.rng.randrange(1, 250)}.{self.rng.randrange(256)}.{self.rng.randrange(1, 255)}:{self.rng.randrange(1024, 65535)}"
        return [f"{stamp} lb-01 haproxy[1822]: {client} [{accept}] fe_https~ {record.message}"]


@dataclass
class RedisLog:
    """Redis server log: `1:M 03 Jun 2025 13:10:02.118 * message`."""

    def render(self, record: Record) -> list[str]:
        mark = {"INFO": "*", "DEBUG": ".", "WARN": "#", "ERROR": "#"}[record.level]
        stamp = (
            record.time.strftime("%d %b %Y %H:%M:%S.") + f"{record.time.microsecond // 1000:03d}"
        )
        return [f"1:M {stamp} {mark} {record.message}"]


def request(rng: random.Random, server: str, failing: bool) -> str:
    path = rng.choice(PATHS).replace("{id}", str(rng.randrange(10**5)))
    method = "POST" if path in ("/login", "/checkout") else "GET"
    if failing and path != "/":
        wait = rng.randrange(2000, 2100)
        return f'be_shop/{server} 0/0/0/{wait}/{wait + 1} 500 {rng.randrange(300, 600)} - - ---- {rng.randrange(300, 900)}/{rng.randrange(300, 900)}/{rng.randrange(20, 80)}/{rng.randrange(5, 25)}/0 0/0 "{method} {path} HTTP/1.1"'
    took = rng.randrange(8, 120)
    return f'be_shop/{server} 0/0/1/{took}/{took + 1} {rng.choice([200, 200, 200, 302, 304])} {rng.randrange(400, 40000)} - - ---- {rng.randrange(300, 900)}/{rng.randrange(300, 900)}/{rng.randrange(20, 80)}/{rng.randrange(5, 25)}/0 0/0 "{method} {path} HTTP/1.1"'


def bundle() -> Bundle:
    rng = random.Random(2220)
    total = (END - START).total_seconds() / 60
    change = (CHANGE - START).total_seconds() / 60

    lb = LogFile("logs/lb-01-haproxy.log", HaproxyHttp(rng))
    for offset in sorted(rng.random() * total for _ in range(5200)):
        server = rng.choice(["web-01", "web-02", "web-03", "web-04"])
        failing = server == "web-04" and offset > change + 0.5
        lb.add([Record(START + timedelta(minutes=offset), "INFO", request(rng, server, failing))])
    lb.add(
        [
            at(
                START,
                14.0,
                "WARN",
                "Server be_shop/web-02 is DOWN, reason: Layer7 timeout, check duration: 2001ms. 3 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.",
                logger="haproxy[1822]",
            ),
            at(
                START,
                14.6,
                "INFO",
                "Server be_shop/web-02 is UP, reason: Layer7 check passed, code: 200, check duration: 3ms. 4 active and 0 backup servers online. 0 sessions requeued, 0 total in queue.",
                logger="haproxy[1822]",
            ),
        ]
    )

    class LbFormat(HaproxyHttp):
        def render(self, record: Record) -> list[str]:
            if record.logger:
                stamp = (
                    record.time.strftime("%b ")
                    + f"{record.time.day:2d}"
                    + record.time.strftime(" %T")
                )
                return [f"{stamp} lb-01 {record.logger}: {record.message}"]
            return super().render(record)

    lb.format = LbFormat(rng)

    app = LogFile(
        "logs/web-04-shopfront.log",
        PythonLogging(
            ("shopfront.views", "shopfront.session", "shopfront.orders", "gunicorn.access"), rng=rng
        ),
    )
    for offset in sorted(rng.random() * total for _ in range(2600)):
        path = rng.choice(PATHS).replace("{id}", str(rng.randrange(10**5)))
        app.add(
            [
                Record(
                    START + timedelta(minutes=offset),
                    "INFO",
                    f'10.1.0.4 - - "GET {path} HTTP/1.1" 200 {rng.randrange(400, 40000)} "-" "Mozilla/5.0" {rng.randrange(8, 120)}ms',
                    (),
                    "gunicorn.access",
                )
            ]
        )
    app.add(
        [
            at(
                START - timedelta(hours=20),
                0,
                "INFO",
                "Booting worker with pid: 31877 (shopfront 5.12.0)",
                logger="gunicorn.error",
            ),
        ]
    )
    app.add(
        loud(
            rng,
            START,
            change + 0.6,
            total - change - 1,
            640,
            fixed(
                "ERROR",
                lambda r: "session lookup failed: Timeout connecting to server",
                lambda r: [
                    "Traceback (most recent call last):",
                    '  File "/srv/shopfront/venv/lib/python3.11/site-packages/redis/connection.py", line 275, in connect',
                    "    sock = self.retry.call_with_retry(",
                    '  File "/srv/shopfront/venv/lib/python3.11/site-packages/redis/connection.py", line 651, in _connect',
                    "    raise err",
                    "TimeoutError: timed out",
                    "",
                    "During handling of the above exception, another exception occurred:",
                    "",
                    "redis.exceptions.TimeoutError: Timeout connecting to server",
                ],
            ),
        )
    )
    app.add(
        loud(
            rng,
            START,
            change + 0.8,
            total - change - 1,
            180,
            fixed(
                "ERROR",
                lambda r: (
                    f'order history unavailable for customer {r.randrange(10**6)}: (psycopg.OperationalError) connection to server at "orders-db" (198.51.100.24), port 5432 failed: timeout expired'
                ),
            ),
        )
    )
    app.records = [
        Record(
            r.time,
            r.level,
            r.message,
            r.trailer,
            r.logger
            or ("shopfront.session" if r.message.startswith("session") else "shopfront.orders"),
        )
        for r in app.records
    ]

    syslog = LogFile("logs/web-04-syslog.log", Syslog3164("web-04", "puppet-agent", 2211))
    syslog.add(host_traffic(rng, START - timedelta(hours=3), total + 180, 900))
    puppet = [
        "Applied catalog in 2.41 seconds",
        "(/Stage[main]/Profile::Base::Resolver/File[/etc/resolv.conf]/content) ",
        "--- /etc/resolv.conf\t2024-11-18 09:12:40.318220141 +0000",
        "+++ /tmp/puppet-file20250603-2211-1q8x3kd\t2025-06-03 13:02:11.402117830 +0000",
        "@@ -1,4 +1,4 @@",
        " # managed by puppet - do not edit",
        "-search prod.internal",
        "+search eu-west.corp.example.net prod.internal",
        " nameserver 10.60.0.2",
        " nameserver 10.60.0.3",
        "(/Stage[main]/Profile::Base::Resolver/File[/etc/resolv.conf]/content) content changed '{sha256}5f1c0a7e9d2b44f0b6c3a8e1d7f29b6ce40a18f3d955e2c1b7a4f08e6d3c2b19' to '{sha256}a93e07d1c4b5f2e8096d3a71b2c4e5f60718d9a2b3c4d5e6f708192a3b4c5d6e'",
        "(/Stage[main]/Profile::Base::Resolver/Service[nscd]) Triggered 'refresh' from 1 event",
        "Applied catalog in 14.87 seconds",
    ]
    syslog.add(
        [at(CHANGE - timedelta(minutes=30), 0.0, "INFO", puppet[0], logger="puppet-agent[2211]")]
    )
    for index, line in enumerate(puppet[1:-1]):
        syslog.add(
            [Record(CHANGE + timedelta(milliseconds=index), "INFO", line, (), "puppet-agent[2211]")]
        )
    syslog.add(
        [
            Record(
                CHANGE + timedelta(seconds=3, milliseconds=118),
                "INFO",
                puppet[-1],
                (),
                "puppet-agent[2211]",
            )
        ]
    )

    redis = LogFile("logs/sessions-redis.log", RedisLog())
    redis.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                r.choice(
                    [
                        "100 changes in 300 seconds. Saving...",
                        f"Background saving started by pid {r.randrange(20000, 40000)}",
                        "DB saved on disk",
                        f"Fork CoW for RDB: current {r.randrange(1, 9)} MB, peak {r.randrange(4, 12)} MB, average {r.randrange(1, 6)} MB",
                        "Background saving terminated with success",
                    ]
                ),
                (),
            ),
            START - timedelta(hours=2),
            total + 120,
            260,
        )
    )
    redis.add(
        [
            at(
                START,
                151.0,
                "WARN",
                "Asynchronous AOF fsync is taking too long (disk is busy?). Writing the AOF buffer without waiting for fsync to complete, this may slow down Redis.",
            )
        ]
    )

    notes = "\n".join(
        [
            "Shop incident 14:20 UTC - notes from on-call",
            "",
            "- ~25% of requests 500 since 13:02. Only web-04 in haproxy logs. Removed nothing yet.",
            "- shopfront 5.12.0 went out yesterday 17:00 on web-01..04 (session cookie changes).",
            "- sessions-redis shows an AOF fsync warning around 13:31, CPU/mem normal, connected_clients dropped from 96 to 72.",
            "- DNS check from my laptop:",
            "  $ dig +short sessions-redis.prod.internal",
            "  10.60.3.21",
            "  $ dig +short orders-db.prod.internal",
            "  10.60.3.40",
            "- web-04 can ping 10.60.3.21 fine.",
            "",
        ]
    )
    files = {
        "notes.md": notes,
        "logs/lb-01-haproxy.log": lb.render(),
        "logs/web-04-shopfront.log": app.render(),
        "logs/web-04-syslog.log": syslog.render(),
        "logs/sessions-redis.log": redis.render(),
    }
    return Bundle(
        question="About a quarter of shop requests fail with 500 since 13:02 UTC, all through web-04, whose app times out talking to Redis. What is the root cause?",
        category="dns",
        component="web-04",
        statement="At 13:02 UTC a Puppet run on web-04 put eu-west.corp.example.net first in /etc/resolv.conf's search list; that zone's wildcard record answers for every short name, so sessions-redis and orders-db resolve to 198.51.100.24 instead of their prod.internal addresses and shopfront on web-04 times out connecting to them.",
        files=files,
        proofs=[
            Proof(
                "logs/web-04-syslog.log",
                "-search prod.internal",
                "+search eu-west.corp.example.net prod.internal",
            ),
        ],
        decoys=[
            "Asynchronous AOF fsync is taking too long",
            "Booting worker with pid: 31877 (shopfront 5.12.0)",
            "Server be_shop/web-02 is DOWN",
        ],
    )
