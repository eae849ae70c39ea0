# ruff: noqa: E501
# Hand-written Patroni, application and haproxy lines and pasted shell output are data, kept whole on one line.
"""Name resolution, a stale /etc/hosts pin: during a DNS outage last November someone pinned
`pg-main.db.internal` to the then-primary 10.20.1.31 in web-04's /etc/hosts and never removed it.
At 14:06 AEDT (+11:00) Patroni fails over to pgdb-2 (10.20.1.32) and the DNS record follows, but
web-04 still connects to 10.20.1.31, now a read-only replica: its writes fail with "read-only
transaction" while web-01..03 are fine. Loud: 500s at the balancer, psycopg errors. Decoys: the
failover itself (pgdb-1's slow disk), a pgbouncer warning, a slow-request warning."""

import random
from datetime import datetime
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from records import PythonLogging, Syslog3164
from scenes import at, fixed, loud, python_traceback
from traffic import traffic, web_api

SYD = ZoneInfo("Australia/Sydney")
START = datetime(2026, 2, 3, 12, 40, tzinfo=SYD)
MINUTES = 170.0
FAILOVER = 86.0


def haproxy_line(r: random.Random, server: str, status: int) -> str:
    tr = r.randrange(8, 90)
    return f'10.9.{r.randrange(256)}.{r.randrange(1, 255)}:{r.randrange(30000, 60000)} [{{stamp}}] www-https~ shop_web/{server} 0/0/1/{tr}/{tr + r.randrange(1, 6)} {status} {r.randrange(300, 9000)} - - ---- {r.randrange(40, 200)}/{r.randrange(40, 200)}/{r.randrange(3, 30)}/{r.randrange(1, 10)}/0 0/0 "{r.choice(["POST /cart/add", "POST /checkout/confirm", "GET /product/" + str(r.randrange(10**5)), "PUT /account/address"])} HTTP/1.1"'


def bundle() -> Bundle:
    rng = random.Random(33105)
    web = LogFile(
        "logs/web-04-app.log", PythonLogging(("shop.views", "shop.orders", "django.request"), rng)
    )
    web.add(traffic(rng, web_api("shop", ["cart", "orders", "account"]), START, MINUTES, 3300))
    trace = python_traceback(
        [
            (
                "/srv/shop/venv/lib/python3.12/site-packages/django/db/backends/utils.py",
                105,
                "_execute",
                "return self.cursor.execute(sql, params)",
            ),
            (
                "/srv/shop/venv/lib/python3.12/site-packages/psycopg/cursor.py",
                732,
                "execute",
                "raise ex.with_traceback(None)",
            ),
        ],
        "psycopg.errors.ReadOnlySqlTransaction: cannot execute UPDATE in a read-only transaction",
    )
    web.add(
        loud(
            rng,
            START,
            FAILOVER + 0.6,
            MINUTES - FAILOVER - 1,
            620,
            fixed(
                "ERROR",
                lambda r: (
                    f"Internal Server Error: /{r.choice(['cart/add', 'checkout/confirm', 'account/address'])}"
                ),
                lambda r: trace,
            ),
        )
    )
    web.add(
        [
            at(
                START,
                40.0,
                "WARN",
                "Slow request: GET /search?q=garden+hose took 3.412s (threshold 2s)",
                logger="shop.middleware",
            )
        ]
    )
    web.add(
        [
            at(
                START,
                FAILOVER + 0.5,
                "INFO",
                "db connection re-established host=pg-main.db.internal addr=10.20.1.31 port=5432 dbname=shop",
                logger="shop.db",
            )
        ]
    )
    web2 = LogFile(
        "logs/web-02-app.log", PythonLogging(("shop.views", "shop.orders", "django.request"), rng)
    )
    web2.add(traffic(rng, web_api("shop", ["cart", "orders", "account"]), START, MINUTES, 3300))
    web2.add(
        [
            at(
                START,
                FAILOVER + 0.5,
                "INFO",
                "db connection re-established host=pg-main.db.internal addr=10.20.1.32 port=5432 dbname=shop",
                logger="shop.db",
            )
        ]
    )
    patroni = LogFile("logs/pgdb-patroni.log", Syslog3164("pgdb-2", "patroni", 1207))
    patroni.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"INFO: no action. I am ({r.choice(['pgdb-2', 'pgdb-3'])}), a secondary, and following a leader (pgdb-1)",
                (),
            ),
            START,
            FAILOVER,
            500,
        )
    )
    patroni.add(
        traffic(
            rng,
            lambda r: ("INFO", "INFO: no action. I am (pgdb-2), the leader with the lock", ()),
            START.replace(hour=14, minute=7),
            MINUTES - FAILOVER - 1,
            480,
        )
    )
    patroni.add(
        [
            at(
                START,
                FAILOVER - 1.0,
                "WARN",
                "WARNING: Request failed to pgdb-1: GET http://10.20.1.31:8008/patroni (HTTPConnectionPool(host='10.20.1.31', port=8008): Read timed out. (read timeout=2))",
            ),
            at(START, FAILOVER, "INFO", "INFO: promoted self to leader by acquiring session lock"),
            at(
                START,
                FAILOVER + 0.05,
                "INFO",
                "INFO: updated DNS record pg-main.db.internal A 10.20.1.32 (ttl 30) via on_role_change callback",
            ),
            at(
                START,
                FAILOVER + 3.0,
                "INFO",
                "INFO: pgdb-1 rejoined as replica following pgdb-2 (pg_rewind not required)",
            ),
        ]
    )
    pgb = [
        at(
            START,
            20.0,
            "WARN",
            "pgbouncer[882]: WARNING C-0x55d1c2: shop/app@10.20.3.14:51822 pooler error: client_login_timeout (server down)",
            logger="pgbouncer[882]",
        )
    ]
    patroni.add(pgb)
    lb = LogFile("logs/haproxy.log", Syslog3164("lb-1", "haproxy", 2291))
    lines = []
    for rec in traffic(
        rng,
        lambda r: (
            "INFO",
            haproxy_line(
                r,
                r.choice(["web-01", "web-02", "web-03", "web-04"]),
                r.choices([200, 302, 304, 404], [85, 6, 6, 3])[0],
            ),
            (),
        ),
        START,
        MINUTES,
        4200,
    ):
        lines.append(rec)
    lines += loud(
        rng,
        START,
        FAILOVER + 0.6,
        MINUTES - FAILOVER - 1,
        600,
        lambda r: ("INFO", haproxy_line(r, "web-04", 500), ()),
    )
    lb.records = [
        rec.__class__(
            rec.time,
            rec.level,
            rec.message.replace(
                "{stamp}",
                rec.time.strftime("%d/%b/%Y:%H:%M:%S.") + f"{rec.time.microsecond // 1000:03d}",
            ),
            rec.trailer,
            rec.logger,
        )
        for rec in lines
    ]
    shell = "\n".join(
        [
            "deploy@web-04:~$ getent hosts pg-main.db.internal",
            "10.20.1.31      pg-main.db.internal",
            "deploy@web-04:~$ dig +short pg-main.db.internal",
            "10.20.1.32",
            "deploy@web-04:~$ grep -n pg-main /etc/hosts",
            "9:10.20.1.31   pg-main.db.internal   # temp during DNS outage OPS-1188 (2025-11-19), remove after",
            "deploy@web-04:~$ grep hosts /etc/nsswitch.conf",
            "hosts:          files dns",
            "deploy@web-02:~$ getent hosts pg-main.db.internal",
            "10.20.1.32      pg-main.db.internal",
            "",
        ]
    )
    notes = "\n".join(
        [
            "Sev2 14:30 AEDT — ~25% of cart/checkout requests 500 since 14:07.",
            "Patroni failed over pgdb-1 -> pgdb-2 at 14:06 (pgdb-1 disk latency, storage ticket raised). DNS updated by the callback, TTL 30s.",
            "web-02 healthy after reconnect. pgbouncer warning at 13:00 was the nightly restart.",
            "",
        ]
    )
    return Bundle(
        question="About a quarter of cart and checkout requests fail with 500 since the 14:06 AEDT database failover; the other web hosts are fine. What is the root cause?",
        category="dns",
        component="web-04",
        statement="web-04's /etc/hosts still pins pg-main.db.internal to 10.20.1.31 from a past DNS outage; after the failover the DNS record moved to pgdb-2 but web-04 keeps connecting to pgdb-1, now a read-only replica, so its writes fail.",
        files={
            "notes.md": notes,
            "web-shell.txt": shell,
            "logs/haproxy.log": lb.render(),
            "logs/web-04-app.log": web.render(),
            "logs/web-02-app.log": web2.render(),
            "logs/pgdb-patroni.log": patroni.render(),
        },
        proofs=[
            Proof("web-shell.txt", "9:10.20.1.31   pg-main.db.internal"),
            Proof("web-shell.txt", "deploy@web-04:~$ getent hosts", "10.20.1.31      pg-main"),
            Proof("logs/web-04-app.log", "addr=10.20.1.31 port=5432"),
        ],
        decoys=[
            "Request failed to pgdb-1",
            "client_login_timeout (server down)",
            "Slow request: GET /search",
        ],
    )
