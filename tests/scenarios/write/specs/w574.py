# ruff: noqa: E501
# MySQL error-log lines, Python log lines and pasted query output are data, kept whole on one line.
"""MySQL, wait_timeout cut to 60 s: at 14:41 UTC a DBA ran `SET PERSIST wait_timeout = 60` on
db-inv-01 to get rid of idle connections that a connection-count alert had flagged. The
inventory-sync workers keep SQLAlchemy pools with `pool_recycle=3600` and no pre-ping; between
their 2-5 minute batches the idle connections are now closed by the server, and the first
query of each batch fails with 2013/2006. Loud: the workers' lost-connection tracebacks and
the storefront's stale stock counts. Decoys: a reverse-DNS warning in the MySQL error log, a
retried deadlock in the workers, and a replica's lag spike notice."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import PythonLogging, Record
from scenes import at, fixed, loud, python_traceback
from traffic import traffic, worker

START = datetime(2026, 4, 8, 13, 10, tzinfo=UTC)
MINUTES = 200.0
SET_AT = 91.0  # 14:41 UTC


@dataclass
class MysqlError:
    """MySQL 8's error log: microsecond UTC time, thread, [Level] [code] [subsystem] message."""

    rng: random.Random

    def render(self, record: Record) -> list[str]:
        stamp = record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond:06d}Z"
        level = {"INFO": "Note", "WARN": "Warning", "ERROR": "ERROR"}.get(record.level, "System")
        thread = record.logger or str(self.rng.randrange(100, 90000))
        return [f"{stamp} {thread} [{level}] {record.message}"]


def mysql_line(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    roll = rng.random()
    if roll < 0.6:
        cid = rng.randrange(20000, 90000)
        return (
            "INFO",
            f"[MY-010914] [Server] Aborted connection {cid} to db: 'reporting' user: 'bi_reader' host: '10.20.{rng.randrange(1, 9)}.{rng.randrange(2, 250)}' (Got an error reading communication packets).",
            (),
        )
    if roll < 0.85:
        return (
            "INFO",
            "[MY-013360] [Server] Plugin sha256_password reported: ''sha256_password' is deprecated and will be removed in a future release. Please use caching_sha2_password instead'",
            (),
        )
    return (
        "INFO",
        f"[MY-010116] [Server] Binlog end position of binlog.{rng.randrange(1200, 1300):06d} is {rng.randrange(10**6, 10**9)}",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(57402)
    err = LogFile("db-inv-01/mysqld.err", MysqlError(rng))
    err.add(traffic(rng, mysql_line, START, MINUTES, 260))
    err.add(
        [
            at(
                START,
                22.0,
                "WARN",
                "[MY-010055] [Server] IP address '10.20.7.31' could not be resolved: Name or service not known",
            )
        ]
    )
    err.add(
        loud(
            rng,
            START,
            SET_AT + 1.2,
            MINUTES - SET_AT - 2,
            640,
            fixed(
                "INFO",
                lambda r: (
                    f"[MY-010914] [Server] Aborted connection {r.randrange(90000, 99999)} to db: 'inventory' user: 'inv_sync' host: '10.20.4.{r.randrange(11, 19)}' (Got timeout reading communication packets)."
                ),
            ),
        )
    )
    workers = LogFile(
        "inventory-sync/worker.log",
        PythonLogging(
            (
                "inventory_sync.batch",
                "inventory_sync.feed",
                "inventory_sync.db",
                "celery.worker.strategy",
            ),
            rng,
        ),
    )
    workers.add(
        traffic(
            rng,
            worker("inventory-sync", ["stock.adjusted", "stock.received", "warehouse.count"]),
            START,
            MINUTES,
            3600,
        )
    )
    workers.add(
        [
            at(
                START,
                64.0,
                "WARN",
                "batch 7f3a1c02 retry 1/3 after (1213, 'Deadlock found when trying to get lock; try restarting transaction'), succeeded",
                logger="inventory_sync.batch",
            )
        ]
    )

    def lost(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
        code, text = r.choice(
            [
                (2013, "Lost connection to MySQL server during query"),
                (2006, "MySQL server has gone away"),
                (2013, "Lost connection to MySQL server during query"),
            ]
        )
        return (
            "ERROR",
            f"batch {r.getrandbits(32):08x} failed, {r.randrange(40, 900)} stock rows not applied",
            tuple(
                python_traceback(
                    [
                        (
                            "/app/inventory_sync/batch.py",
                            141,
                            "apply",
                            "session.execute(UPSERT_STOCK, rows)",
                        ),
                        (
                            "/usr/local/lib/python3.12/site-packages/sqlalchemy/engine/base.py",
                            1967,
                            "_exec_single_context",
                            "self.dialect.do_execute(",
                        ),
                        (
                            "/usr/local/lib/python3.12/site-packages/pymysql/connections.py",
                            775,
                            "_read_packet",
                            "raise err.OperationalError(",
                        ),
                    ],
                    f"sqlalchemy.exc.OperationalError: (pymysql.err.OperationalError) ({code}, '{text}')",
                )
            ),
        )

    workers.add(loud(rng, START, SET_AT + 1.5, MINUTES - SET_AT - 2, 260, lost))
    store = LogFile(
        "storefront/app.log",
        PythonLogging(("storefront.views.product", "storefront.stock", "gunicorn.access"), rng),
    )
    store.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"GET /p/{r.randrange(10**5)} 200 {r.randrange(12, 90)}ms stock={r.randrange(0, 400)}",
                (),
            ),
            START,
            MINUTES,
            1800,
        )
    )
    store.add(
        loud(
            rng,
            START,
            SET_AT + 25,
            MINUTES - SET_AT - 26,
            150,
            fixed(
                "WARN",
                lambda r: (
                    f"stock for sku {r.randrange(10**6, 10**7)} last synced {r.randrange(25, 95)} min ago (threshold 15 min), showing cached count"
                ),
            ),
        )
    )
    paste = "\n".join(
        [
            "mysql> SELECT VARIABLE_NAME, VARIABLE_SOURCE, SET_TIME, SET_USER, SET_HOST FROM performance_schema.variables_info WHERE VARIABLE_SOURCE <> 'COMPILED';",
            "+----------------------------+-----------------+----------------------------+----------+-----------+",
            "| VARIABLE_NAME              | VARIABLE_SOURCE | SET_TIME                   | SET_USER | SET_HOST  |",
            "+----------------------------+-----------------+----------------------------+----------+-----------+",
            "| binlog_expire_logs_seconds | GLOBAL          | 2025-11-03 09:12:44.201113 | NULL     | NULL      |",
            "| innodb_buffer_pool_size    | GLOBAL          | 2025-11-03 09:12:44.201113 | NULL     | NULL      |",
            "| max_connections            | GLOBAL          | 2025-11-03 09:12:44.201113 | NULL     | NULL      |",
            "| interactive_timeout        | PERSISTED       | 2026-04-08 14:41:03.552190 | dba_oren | localhost |",
            "| wait_timeout               | PERSISTED       | 2026-04-08 14:41:03.551874 | dba_oren | localhost |",
            "+----------------------------+-----------------+----------------------------+----------+-----------+",
            "5 rows in set (0.00 sec)",
            "",
            "mysql> SHOW GLOBAL VARIABLES LIKE '%timeout';",
            "+-----------------------------+----------+",
            "| Variable_name               | Value    |",
            "+-----------------------------+----------+",
            "| connect_timeout             | 10       |",
            "| delayed_insert_timeout      | 300      |",
            "| have_statement_timeout      | YES      |",
            "| innodb_lock_wait_timeout    | 50       |",
            "| interactive_timeout         | 60       |",
            "| lock_wait_timeout           | 31536000 |",
            "| net_read_timeout            | 30       |",
            "| net_write_timeout           | 60       |",
            "| wait_timeout                | 60       |",
            "+-----------------------------+----------+",
            "9 rows in set (0.01 sec)",
            "",
            "mysql> SHOW REPLICA STATUS\\G  -- on db-inv-02",
            "...",
            "        Seconds_Behind_Source: 0",
            "   (lag peaked at 212 s at 13:58 UTC during the nightly ANALYZE, recovered)",
            "",
        ]
    )
    config = "\n".join(
        [
            "# inventory-sync/settings.py (excerpt)",
            'DATABASE_URL = "mysql+pymysql://inv_sync@db-inv-01.dc2.internal:3306/inventory"',
            "ENGINE_OPTIONS = {",
            '    "pool_size": 8,',
            '    "max_overflow": 4,',
            '    "pool_recycle": 3600,',
            '    "pool_pre_ping": False,',
            "}",
            "BATCH_INTERVAL_SECONDS = (120, 300)",
            "",
        ]
    )
    return Bundle(
        question="Stock counts on the storefront stopped updating reliably this morning (around 9:45 Central); inventory-sync logs lots of 'Lost connection' errors. What is the root cause?",
        category="configuration",
        component="db-inv-01",
        statement="At 14:41 UTC wait_timeout (and interactive_timeout) were set to 60 s with SET PERSIST on db-inv-01; inventory-sync's pooled connections sit idle 2-5 minutes between batches (pool_recycle 3600, no pre-ping), so the server closes them and each batch's first query fails with 2013/2006.",
        files={
            "db-inv-01/mysqld.err": err.render(),
            "db-inv-01/mysql-session.txt": paste,
            "inventory-sync/worker.log": workers.render(),
            "inventory-sync/settings.py": config,
            "storefront/app.log": store.render(),
        },
        proofs=[
            Proof("db-inv-01/mysql-session.txt", "| wait_timeout               | PERSISTED"),
            Proof("db-inv-01/mysql-session.txt", "| wait_timeout                | 60 "),
        ],
        decoys=[
            "could not be resolved: Name or service not known",
            "Deadlock found when trying to get lock",
            "lag peaked at 212 s",
        ],
    )
