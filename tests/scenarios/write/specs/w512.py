# ruff: noqa: E501
# Hand-written HAProxy, Spring and MySQL lines and pasted output are data, kept whole on one line.
"""MySQL, a proxy's address blocked by max_connect_errors: dbproxy-02 replaced the old MySQL
proxy on 9 April with a new haproxy.cfg whose backend check is a bare `option tcp-check` (connect,
then close) every 2 s instead of `option mysql-check`. Each check is a handshake error to
db-billing-01. While billing traffic is busy the counter keeps being reset; in the quiet hours it
reaches max_connect_errors (100) and MySQL blocks 10.44.0.12, the address every proxied
connection comes from. At 06:30 -05:00 billing-api cannot connect at all. Decoys: a deadlock, a
slow query, dbproxy-01's shutdown notice."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from records import SpringBoot, Syslog3164
from scenes import at, fixed, java_trace, loud
from traffic import traffic, web_api

EST = timezone(timedelta(hours=-5))
START = datetime(2025, 4, 10, 6, 0, tzinfo=UTC)
MINUTES = 420.0
FAIL = 330.0  # 06:30 -05:00
BLOCK = 268.0  # 03:28 -05:00


def bundle() -> Bundle:
    rng = random.Random(51202)
    proxy = LogFile("logs/dbproxy-02-haproxy.log", Syslog3164("dbproxy-02", "haproxy", 2281))

    def session(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
        return (
            "INFO",
            f"10.44.{r.randrange(2, 9)}.{r.randrange(2, 250)}:{r.randrange(30000, 60000)} [ACCEPT] mysql-rw mysql-rw/db-billing-01 1/0/{r.randrange(200, 900000)} {r.randrange(400, 90000)} -- {r.randrange(8, 40)}/{r.randrange(8, 40)}/{r.randrange(4, 30)}/{r.randrange(4, 30)}/0 0/0",
            (),
        )

    proxy.add(traffic(rng, session, START, BLOCK - 150, 1500))
    proxy.add(traffic(rng, session, START + timedelta(minutes=BLOCK - 150), 140, 30))
    proxy.add(
        loud(
            rng,
            START,
            FAIL,
            MINUTES - FAIL - 1,
            700,
            fixed(
                "INFO",
                lambda r: (
                    f"10.44.{r.randrange(2, 9)}.{r.randrange(2, 250)}:{r.randrange(30000, 60000)} [ACCEPT] mysql-rw mysql-rw/db-billing-01 1/0/3 108 SD 21/21/20/20/0 0/0"
                ),
            ),
        )
    )
    billing = LogFile(
        "logs/billing-api.log",
        SpringBoot(
            (
                "c.k.billing.InvoiceController",
                "c.k.billing.LedgerSync",
                "o.s.w.s.DispatcherServlet",
            ),
            1,
            rng,
            EST,
        ),
    )
    billing.add(
        traffic(
            rng, web_api("billing-api", ["invoices", "accounts", "payments"]), START, MINUTES, 3200
        )
    )
    billing.add(
        loud(
            rng,
            START,
            FAIL,
            MINUTES - FAIL - 1,
            260,
            fixed(
                "ERROR",
                lambda r: "HikariPool-1 - Exception during pool initialization.",
                lambda r: java_trace(
                    "java.sql.SQLException: null,  message from server: \"Host '10.44.0.12' is blocked because of many connection errors; unblock with 'mysqladmin flush-hosts'\"",
                    [
                        "com.mysql.cj.jdbc.exceptions.SQLError.createSQLException(SQLError.java:130)",
                        "com.mysql.cj.jdbc.ConnectionImpl.createNewIO(ConnectionImpl.java:828)",
                        "com.zaxxer.hikari.pool.PoolBase.newConnection(PoolBase.java:359)",
                    ],
                    more=23,
                ),
            ),
        )
    )
    billing.add(
        [
            at(
                START,
                80.0,
                "ERROR",
                "Deadlock found when trying to get lock; try restarting transaction (invoice 88172, retried OK)",
                logger="c.k.billing.LedgerSync",
            ),
            at(
                START,
                150.0,
                "WARN",
                "slow query 4812 ms: SELECT * FROM payments WHERE account_id = ? ORDER BY created_at",
                logger="c.k.billing.LedgerSync",
            ),
        ]
    )
    billing.records = [
        r.__class__(r.time.astimezone(EST), r.level, r.message, r.trailer, r.logger)
        for r in billing.records
    ]
    proxy.add([at(START, 1.0, "INFO", "Proxy mysql-rw started.", logger="haproxy[2281]")])
    for index, record in enumerate(proxy.records):
        accepted = record.time - timedelta(milliseconds=rng.randrange(5, 900))
        stamp = accepted.strftime("%d/%b/%Y:%H:%M:%S.") + f"{accepted.microsecond // 1000:03d}"
        proxy.records[index] = record.__class__(
            record.time,
            record.level,
            record.message.replace("ACCEPT", stamp),
            record.trailer,
            record.logger,
        )
    cfg = "\n".join(
        [
            "# /etc/haproxy/haproxy.cfg on dbproxy-02 (rendered by role haproxy-db v3, 2025-04-09)",
            "global",
            "    log /dev/log local0",
            "    maxconn 4000",
            "defaults",
            "    mode tcp",
            "    log global",
            "    option tcplog",
            "    timeout connect 5s",
            "    timeout client 8h",
            "    timeout server 8h",
            "listen mysql-rw",
            "    bind 10.44.0.12:3306",
            "    option tcp-check",
            "    default-server inter 2s fall 3 rise 2",
            "    server db-billing-01 10.44.1.21:3306 check",
            "    server db-billing-02 10.44.1.22:3306 check backup",
            "",
        ]
    )
    pasted = "\n".join(
        [
            "mysql> SELECT IP, HOST, SUM_CONNECT_ERRORS, COUNT_HANDSHAKE_ERRORS, FIRST_ERROR_SEEN, LAST_ERROR_SEEN FROM performance_schema.host_cache;",
            "+------------+------------------------+--------------------+------------------------+---------------------+---------------------+",
            "| IP         | HOST                   | SUM_CONNECT_ERRORS | COUNT_HANDSHAKE_ERRORS | FIRST_ERROR_SEEN    | LAST_ERROR_SEEN     |",
            "+------------+------------------------+--------------------+------------------------+---------------------+---------------------+",
            "| 10.44.0.11 | dbproxy-01.billing.lan |                  0 |                      0 | NULL                | NULL                |",
            "| 10.44.0.12 | dbproxy-02.billing.lan |                100 |                  41873 | 2025-04-09 17:02:11 | 2025-04-10 11:21:40 |",
            "| 10.44.3.40 | etl-02.billing.lan     |                  0 |                      2 | 2025-04-08 01:10:03 | 2025-04-08 01:10:03 |",
            "+------------+------------------------+--------------------+------------------------+---------------------+---------------------+",
            "3 rows in set (0.00 sec)",
            "",
            "mysql> SHOW GLOBAL VARIABLES LIKE 'max_connect_errors';",
            "+--------------------+-------+",
            "| Variable_name      | Value |",
            "+--------------------+-------+",
            "| max_connect_errors | 100   |",
            "+--------------------+-------+",
            "",
        ]
    )
    notes = "\n".join(
        [
            "INC-6120 billing-api down, 06:34 EST",
            "- all billing-api pods fail to open DB connections; proxied through dbproxy-02 (VIP 10.44.0.12) since CHG-3310 yesterday",
            "- dbproxy-01 was shut down after the cut-over",
            "- direct `mysql -h 10.44.1.21` from a bastion works",
            "",
        ]
    )
    return Bundle(
        question="billing-api cannot get database connections since about 06:30 EST. What is the root cause?",
        category="configuration",
        component="dbproxy-02",
        statement="dbproxy-02's new haproxy.cfg health-checks db-billing-01 with a bare `option tcp-check` every 2 s; each check is a handshake error, and in the quiet night hours the errors reached max_connect_errors, so MySQL blocked 10.44.0.12, the proxy's address, and every proxied connection is refused.",
        files={
            "notes.md": notes,
            "dbproxy-02/haproxy.cfg": cfg,
            "db-billing-01/host_cache.txt": pasted,
            "logs/dbproxy-02-haproxy.log": proxy.render(),
            "logs/billing-api.log": billing.render(),
        },
        proofs=[
            Proof("dbproxy-02/haproxy.cfg", "option tcp-check"),
            Proof("db-billing-01/host_cache.txt", "| 10.44.0.12 | dbproxy-02"),
        ],
        decoys=[
            "Deadlock found when trying to get lock",
            "slow query 4812 ms",
            "dbproxy-01 was shut down",
        ],
    )
