# ruff: noqa: E501
# Hand-written log lines, pasted command output and series definitions are data, kept whole.
"""A members' portal on VMs (Django behind nginx, sessions in memcached on cache-01): a Puppet
run at 14:02 (Australia/Sydney, +11:00) applied a refactored `profile::memcached` whose
`memory_mb` default is 64, so /etc/memcached.conf gets `-m 64` instead of `-m 3072` and
memcached restarts with a 64 MB cache. The session and CSRF-token items it holds are evicted
within minutes of being written (evictions climb, hit ratio falls): members are logged out at
random and forms fail CSRF checks, and the per-user API rate-limit counters reset. Decoys:
a Postgres `checkpoints are occurring too frequently` hint, a Puppet warning about a deprecated
function in another class, and nginx `upstream response time` warnings from a report page."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from metrics import csv_text, shift
from records import NginxAccess, PythonLogging, Record
from scenes import at, fixed, loud
from traffic import http_access, traffic

AEDT = timezone(timedelta(hours=11))
START = datetime(2026, 1, 20, 1, 30, tzinfo=UTC)  # 12:30 AEDT
MINUTES = 150.0
PUPPET = 92.0  # 03:02 UTC, 14:02 AEDT


@dataclass
class JournalLocal:
    """`journalctl -o short-iso` on a host kept in local time (+11:00)."""

    host: str

    def render(self, record: Record) -> list[str]:
        stamp = record.time.astimezone(AEDT).strftime("%Y-%m-%dT%H:%M:%S%z")
        return [f"{stamp} {self.host} {record.logger}: {record.message}"]


def bundle() -> Bundle:
    rng = random.Random(627)
    journal = LogFile("cache-01-journal.txt", JournalLocal("cache-01"))

    def host_line(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
        return r.choice(
            [
                (
                    "INFO",
                    "pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)",
                    (),
                ),
                ("INFO", "(root) CMD (/usr/lib/sysstat/debian-sa1 1 1)", ()),
                (
                    "INFO",
                    f"Accepted publickey for ops from 10.20.{r.randrange(256)}.{r.randrange(1, 255)} port {r.randrange(30000, 60000)} ssh2: ED25519 SHA256:{r.getrandbits(120):030x}",
                    (),
                ),
                ("INFO", "Started sysstat-collect.service - system activity accounting tool.", ()),
            ]
        )

    for rec in traffic(rng, host_line, START, MINUTES, 520):
        program = {"pam": "CRON[%d]", "(ro": "CRON[%d]", "Acc": "sshd[%d]", "Sta": "systemd[1]"}[
            rec.message[:3]
        ]
        journal.add(
            [
                Record(
                    rec.time,
                    rec.level,
                    rec.message,
                    (),
                    program % rng.randrange(1000, 60000) if "%d" in program else program,
                )
            ]
        )
    p = "puppet-agent[40417]"
    journal.add(
        [
            at(
                START,
                PUPPET - 0.9,
                "INFO",
                "Requesting catalog from puppet.ops.example:8140 (10.20.0.5)",
                logger=p,
            ),
            at(
                START,
                PUPPET - 0.8,
                "WARN",
                "Warning: This function is deprecated, please use stdlib::merge instead. (location: /etc/puppetlabs/code/environments/production/modules/profile/manifests/base.pp:41)",
                logger=p,
            ),
            at(
                START,
                PUPPET - 0.6,
                "INFO",
                "Using environment 'production'; catalog version 1768874412-2f9c0ab (profile::memcached refactor)",
                logger=p,
            ),
            at(
                START,
                PUPPET - 0.5,
                "INFO",
                "/Stage[main]/Profile::Memcached/File[/etc/memcached.conf]/content: content changed '{sha256}4b0e1f96c2d8a7' to '{sha256}91c3a5e07f2b6d'",
                logger=p,
            ),
            at(
                START,
                PUPPET - 0.49,
                "INFO",
                "--- /etc/memcached.conf\t2025-08-03 10:14:22 +1000  +++ /tmp/puppet-file20260120-40417-1x9qz  @@ -23 +23 @@ -m 3072 +-m 64",
                logger=p,
            ),
            at(
                START,
                PUPPET - 0.45,
                "INFO",
                "/Stage[main]/Profile::Memcached/Service[memcached]: Triggered 'refresh' from 1 event",
                logger=p,
            ),
            at(
                START,
                PUPPET - 0.44,
                "INFO",
                "Stopping memcached.service - memcached daemon...",
                logger="systemd[1]",
            ),
            at(
                START,
                PUPPET - 0.43,
                "INFO",
                "memcached.service: Deactivated successfully.",
                logger="systemd[1]",
            ),
            at(
                START,
                PUPPET - 0.42,
                "INFO",
                "Started memcached.service - memcached daemon.",
                logger="systemd[1]",
            ),
            at(START, PUPPET - 0.41, "INFO", "Applied catalog in 3.88 seconds", logger=p),
        ]
    )
    stats = "\n".join(
        [
            "ops@cache-01:~$ ps -o args= -C memcached",
            "/usr/bin/memcached -m 64 -p 11211 -u memcache -l 10.20.4.11 -c 4096 -t 4 -P /var/run/memcached/memcached.pid",
            "ops@cache-01:~$ printf 'stats\\r\\nquit\\r\\n' | nc -q1 10.20.4.11 11211 | egrep 'uptime|limit_maxbytes|bytes |curr_items|evictions|get_hits|get_misses|curr_connections'",
            "STAT uptime 2711",
            "STAT curr_connections 148",
            "STAT get_hits 1180442",
            "STAT get_misses 903517",
            "STAT bytes 67084120",
            "STAT curr_items 101733",
            "STAT evictions 2216940",
            "STAT limit_maxbytes 67108864",
            "",
        ]
    )
    full = int(PUPPET) + 2
    series = {
        "memcached_limit_maxbytes": shift(rng, 3221225472, 67108864, int(PUPPET), 0.0),
        "memcached_bytes": lambda i: (
            (2.14e9 + rng.gauss(0, 1e7))
            if i < PUPPET
            else min(6.7e7 - rng.randrange(0, 40000), 2.2e7 * (i - PUPPET + 0.5))
        ),
        "memcached_curr_items": shift(rng, 3.31e6, 1.02e5, int(PUPPET), 0.02, ramp=2),
        "memcached_evictions_per_s": shift(rng, 0, 820, full, 0.1),
        "memcached_get_hit_ratio": shift(rng, 0.97, 0.55, full, 0.04),
        "memcached_cmd_set_per_s": shift(rng, 640, 1810, full, 0.06),
    }
    csv = csv_text(START, 60, int(MINUTES), series, decimals=2)

    app = LogFile(
        "portal-django.log",
        PythonLogging(
            (
                "django.request",
                "portal.auth",
                "portal.views",
                "portal.ratelimit",
                "django.db.backends",
            ),
            rng=rng,
        ),
    )

    def portal_line(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
        roll = r.random()
        if roll < 0.5:
            return (
                "INFO",
                f"member {r.randrange(10**6)} viewed {r.choice(['/bookings', '/classes', '/account', '/invoices'])} ({r.randrange(20, 240)}ms)",
                (),
            )
        if roll < 0.7:
            return (
                "INFO",
                f"login ok member={r.randrange(10**6)} session={r.getrandbits(64):016x}",
                (),
            )
        if roll < 0.9:
            return (
                "INFO",
                f"booking b-{r.getrandbits(32):08x} confirmed for class {r.randrange(100, 999)}",
                (),
            )
        return (
            "DEBUG",
            f'(0.00{r.randrange(1, 9)}) SELECT "portal_member"."id" FROM "portal_member" WHERE "portal_member"."id" = {r.randrange(10**6)} LIMIT 21',
            (),
        )

    app.add(traffic(rng, portal_line, START, MINUTES, 4200))
    app.add(
        loud(
            rng,
            START,
            PUPPET + 1.5,
            MINUTES - PUPPET - 2,
            520,
            fixed(
                "WARN",
                lambda r: (
                    f"session {r.getrandbits(64):016x} for member {r.randrange(10**6)} not found in cache backend (issued {r.randrange(1, 9)}m ago), redirecting to /accounts/login/"
                ),
            ),
        )
    )
    app.add(
        loud(
            rng,
            START,
            PUPPET + 1.6,
            MINUTES - PUPPET - 2,
            260,
            fixed(
                "WARN",
                lambda r: (
                    f"Forbidden (CSRF token from POST incorrect.): /bookings/{r.randrange(100, 999)}/confirm"
                ),
            ),
        )
    )
    app.add(
        loud(
            rng,
            START,
            PUPPET + 2,
            MINUTES - PUPPET - 3,
            90,
            fixed(
                "INFO",
                lambda r: (
                    f"rate limit window for key rl:api:{r.randrange(10**6)} missing, starting new window (limit 120/min)"
                ),
            ),
        )
    )
    app.add(
        [
            at(
                START,
                33.0,
                "WARN",
                'LOG:  checkpoints are occurring too frequently (19 seconds apart) HINT: Consider increasing the configuration parameter "max_wal_size". (relayed from db-01)',
                logger="django.db.backends",
            )
        ]
    )

    edge = LogFile("web-01-nginx-access.log", NginxAccess(rng=rng, zone=AEDT))
    edge.add(
        traffic(
            rng,
            http_access(
                [
                    "/bookings",
                    "/classes?week={id}",
                    "/account",
                    "/static/portal.{id}.css",
                    "/api/v1/slots/{id}",
                ]
            ),
            START,
            MINUTES,
            5200,
        )
    )
    edge.add(
        loud(
            rng,
            START,
            PUPPET + 1.5,
            MINUTES - PUPPET - 2,
            520,
            fixed(
                "INFO",
                lambda r: (
                    f'"GET /bookings HTTP/1.1" 302 0 "-" "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X)" 0.0{r.randrange(10, 60)}'
                ),
            ),
        )
    )
    edge.add(
        [
            at(
                START,
                48.0,
                "WARN",
                '"GET /reports/annual?year=2025 HTTP/1.1" 200 884120 "-" "Mozilla/5.0 (Windows NT 10.0; Win64; x64)" 9.412',
            )
        ]
    )
    return Bundle(
        question="Members keep getting logged out of the portal since early afternoon (around 14:00 Sydney time) and some form posts fail with 403. No code was deployed today. What is the root cause?",
        category="configuration",
        component="memcached",
        statement="A Puppet run at 14:02 AEDT rewrote /etc/memcached.conf with -m 64 instead of -m 3072 and restarted memcached, so its 64 MB store evicts session and CSRF token items within minutes; members are logged out, form posts fail CSRF checks and rate-limit windows reset.",
        files={
            "cache-01-journal.txt": journal.render(),
            "cache-01-stats.txt": stats,
            "cache-01-exporter.csv": csv,
            "portal-django.log": app.render(),
            "web-01-nginx-access.log": edge.render(),
        },
        proofs=[
            Proof("cache-01-journal.txt", "@@ -23 +23 @@ -m 3072 +-m 64"),
            Proof("cache-01-stats.txt", "STAT limit_maxbytes 67108864"),
            Proof("cache-01-stats.txt", "STAT evictions 2216940"),
        ],
        decoys=[
            "checkpoints are occurring too frequently",
            "This function is deprecated, please use stdlib::merge",
            "/reports/annual?year=2025",
        ],
    )
