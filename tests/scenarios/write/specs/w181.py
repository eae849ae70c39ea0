# ruff: noqa: E501
# Hand-written log lines, psql output and series definitions are data, kept whole on one line.
"""PostgreSQL 16 on orders-db-1: on Friday 16:20 UTC the data team deleted the Debezium
connector orders-cdc from Kafka Connect while moving to a new pipeline; Debezium does not drop
its logical replication slot on delete, so `debezium_orders` stays, inactive, and
max_slot_wal_keep_size is -1. From then on every WAL segment is retained: pg_wal grows about
3 GB an hour on its 200 GB volume until, on Monday 04:17:33 UTC, the WAL writer cannot create a
segment (`PANIC: could not write to file "pg_wal/xlogtemp.2841": No space left on device`),
the postmaster aborts and crash recovery fails the same way. orders-api and fulfilment-worker
fail loudly. Decoys: an archive_command failure on Saturday that healed (pg_stat_archiver), the
Hikari pool errors in orders-api, and the data volume's 71% usage warning."""

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from metrics import csv_text, shift
from records import Record, SpringBoot
from scenes import at, fixed, java_trace, loud
from traffic import database_server, traffic, web_api

START = datetime(2025, 5, 12, 3, 30, tzinfo=UTC)
PANIC = datetime(2025, 5, 12, 4, 17, 33, 604000, tzinfo=UTC)
END = datetime(2025, 5, 12, 5, 0, tzinfo=UTC)
DELETE = datetime(2025, 5, 9, 16, 20, 11, 210000, tzinfo=UTC)
METRICS_START = datetime(2025, 5, 8, 5, 0, tzinfo=UTC)


@dataclass
class PgLog:
    """PostgreSQL stderr log, `log_line_prefix = '%m [%p] '`, with the real severity names."""

    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def render(self, record: Record) -> list[str]:
        level = {"INFO": "LOG", "WARN": "WARNING", "DEBUG": "DEBUG"}.get(record.level, record.level)
        stamp = (
            record.time.strftime("%Y-%m-%d %H:%M:%S.")
            + f"{record.time.microsecond // 1000:03d} UTC"
        )
        pid = record.logger or str(self.rng.randrange(3000, 90000))
        return [f"{stamp} [{pid}] {level}:  {record.message}"]


@dataclass
class ConnectLog:
    """Kafka Connect worker log: `[2025-05-09 16:20:11,210] INFO message (class:line)`."""

    def render(self, record: Record) -> list[str]:
        stamp = (
            record.time.strftime("%Y-%m-%d %H:%M:%S,") + f"{record.time.microsecond // 1000:03d}"
        )
        return [f"[{stamp}] {record.level} {record.message} ({record.logger})"]


def bundle() -> Bundle:
    rng = random.Random(1181)
    total = (END - START).total_seconds() / 60
    panic = (PANIC - START).total_seconds() / 60

    pg = LogFile("logs/postgresql-orders-db-1.log", PgLog(rng=rng))
    pg.add(traffic(rng, database_server(), START, panic - 0.05, 1400))
    pg.add(
        traffic(
            rng,
            lambda r: ("INFO", "checkpoint starting: time", ()),
            START,
            panic - 0.2,
            9,
            logger="1187",
        )
    )
    p = lambda seconds: PANIC + timedelta(seconds=seconds)  # noqa: E731
    pg.add(
        [
            Record(
                PANIC,
                "PANIC",
                'could not write to file "pg_wal/xlogtemp.2841": No space left on device',
                (),
                "2841",
            ),
            Record(
                p(0.21),
                "INFO",
                "WAL writer process (PID 2841) was terminated by signal 6: Aborted",
                (),
                "1181",
            ),
            Record(p(0.22), "INFO", "terminating any other active server processes", (), "1181"),
            Record(p(0.5), "INFO", "all server processes terminated; reinitializing", (), "1181"),
            Record(
                p(0.61),
                "INFO",
                "database system was interrupted; last known up at 2025-05-12 04:12:02 UTC",
                (),
                "6012",
            ),
            Record(
                p(0.7),
                "INFO",
                "database system was not properly shut down; automatic recovery in progress",
                (),
                "6012",
            ),
            Record(p(0.74), "INFO", "redo starts at 2F1/9E3A1C28", (), "6012"),
            Record(
                p(31.9),
                "FATAL",
                'could not write to file "pg_wal/xlogtemp.6012": No space left on device',
                (),
                "6012",
            ),
            Record(
                p(32.0), "INFO", "startup process (PID 6012) exited with exit code 1", (), "1181"
            ),
            Record(p(32.01), "INFO", "aborting startup due to startup process failure", (), "1181"),
            Record(p(32.2), "INFO", "database system is shut down", (), "1181"),
        ]
    )
    pg.add(
        loud(
            rng,
            START,
            panic + 0.01,
            0.5,
            60,
            fixed("FATAL", lambda r: "the database system is in recovery mode"),
        )
    )
    pg.add(
        [
            at(
                START,
                11.2,
                "WARN",
                'could not open statistics file "pg_stat_tmp/global.tmp": Permission denied',
                logger="2219",
            ),
        ]
    )

    api = LogFile(
        "logs/orders-api.log",
        SpringBoot(("c.a.orders.web.OrderController", "c.a.orders.service.OrderService"), rng=rng),
    )
    api.add(
        traffic(
            rng, web_api("orders-api", ["orders", "order-lines", "returns"]), START, total, 2600
        )
    )
    api.add(
        loud(
            rng,
            START,
            panic + 0.02,
            total - panic - 0.5,
            420,
            fixed(
                "ERROR",
                lambda r: (
                    f"HikariPool-1 - Connection is not available, request timed out after 30000ms (total={r.randrange(0, 3)}, active=0, idle=0, waiting={r.randrange(20, 90)})"
                ),
                lambda r: java_trace(
                    "java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms",
                    [
                        "com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:686)",
                        "com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:179)",
                        "com.zaxxer.hikari.HikariDataSource.getConnection(HikariDataSource.java:100)",
                    ],
                    [
                        "org.postgresql.util.PSQLException: Connection to orders-db-1.db.internal:5432 refused. Check that the hostname and port are correct and that the postmaster is accepting TCP/IP connections.",
                        "org.postgresql.core.v3.ConnectionFactoryImpl.openConnectionImpl(ConnectionFactoryImpl.java:346)",
                        "org.postgresql.core.ConnectionFactory.openConnection(ConnectionFactory.java:54)",
                    ],
                    more=14,
                ),
            ),
        )
    )
    api.add(
        loud(
            rng,
            START,
            panic + 0.02,
            total - panic - 0.5,
            300,
            fixed(
                "ERROR",
                lambda r: (
                    f"POST /api/v1/orders 503 {r.randrange(30000, 30100)}ms client=10.{r.randrange(256)}.{r.randrange(256)}.{r.randrange(1, 255)}"
                ),
            ),
        )
    )

    connect = LogFile("logs/kafka-connect-worker-1.log", ConnectLog())
    connect.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"[orders-cdc|task-0] {r.randrange(200, 4000)} records sent during previous 00:01:00.{r.randrange(100, 999)}, last recorded offset of {{server=orders}} partition is {{lsn_proc={r.randrange(10**11, 10**12)}, messageType=UPDATE, lsn_commit={r.randrange(10**11, 10**12)}, lsn={r.randrange(10**11, 10**12)}, txId={r.randrange(10**7, 10**8)}, ts_usec={r.randrange(10**15, 2 * 10**15)}}}",
                (),
            ),
            DELETE - timedelta(hours=2),
            119,
            110,
            logger="io.debezium.connector.common.BaseSourceTask:215",
        )
    )
    connect.add(
        [
            Record(
                DELETE - timedelta(milliseconds=820),
                "INFO",
                "[Worker clientId=connect-1, groupId=connect-cluster] Handling connector-only config update by stopping connector orders-cdc",
                (),
                "org.apache.kafka.connect.runtime.distributed.DistributedHerder:784",
            ),
            Record(
                DELETE - timedelta(milliseconds=610),
                "INFO",
                "[orders-cdc|task-0] Stopping down connector",
                (),
                "io.debezium.connector.common.BaseSourceTask:278",
            ),
            Record(
                DELETE - timedelta(milliseconds=402),
                "INFO",
                "[orders-cdc|task-0] Connection gracefully closed",
                (),
                "io.debezium.jdbc.JdbcConnection:947",
            ),
            Record(
                DELETE,
                "INFO",
                "Successfully processed removal of connector 'orders-cdc'",
                (),
                "org.apache.kafka.connect.storage.KafkaConfigBackingStore:1087",
            ),
            Record(
                DELETE + timedelta(seconds=40),
                "INFO",
                "[Worker clientId=connect-1, groupId=connect-cluster] Connector orders-v2-sink config updated",
                (),
                "org.apache.kafka.connect.runtime.distributed.DistributedHerder:2321",
            ),
        ]
    )
    connect.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"[orders-v2-sink|task-{r.randrange(3)}] Committing offsets for {r.randrange(1, 6)} acknowledged messages",
                (),
            ),
            DELETE + timedelta(minutes=1),
            90,
            90,
            logger="org.apache.kafka.connect.runtime.WorkerSourceTask:525",
        )
    )

    points = 96
    deleted_at = int((DELETE - METRICS_START).total_seconds() // 3600) + 1
    hours_after = points - deleted_at
    metrics = csv_text(
        METRICS_START,
        3600,
        points,
        {
            "pg_wal_dir_size_gb": shift(rng, 2.9, 196.5, deleted_at, 0.01, ramp=hours_after - 1),
            "pg_wal_volume_used_percent": shift(
                rng, 1.6, 99.9, deleted_at, 0.005, ramp=hours_after - 1
            ),
            "pg_data_volume_used_percent": shift(rng, 70.4, 71.3, 0, 0.004),
            "pg_replication_slot_retained_gb_debezium_orders": shift(
                rng, 0.02, 193.2, deleted_at, 0.01, ramp=hours_after - 1
            ),
            "pg_replication_slot_retained_gb_standby_orders_db_2": shift(rng, 0.03, 0.03, 0, 0.3),
            "pg_xact_commit_per_s": shift(rng, 410, 410, 0, 0.15),
            "pg_archiver_failed_total": shift(rng, 0, 3, 55, 0.0),
        },
        decimals=2,
    )
    notes = "\n".join(
        [
            "orders-db-1 is down - on-call (Mon 04:55 UTC)",
            "",
            "PagerDuty: PostgresDown orders-db-1 at 04:18. Also had 'DataVolumeUsage > 70%' warning on /var/lib/postgresql all weekend (it always sits around 70%).",
            "Saturday's archive_command failures (S3 creds rotation) were fixed Saturday afternoon.",
            "",
            "$ df -h /var/lib/postgresql /var/lib/postgresql/16/main/pg_wal",
            "Filesystem      Size  Used Avail Use% Mounted on",
            "/dev/nvme1n1    1.5T  1.1T  423G  71% /var/lib/postgresql",
            "/dev/nvme2n1    200G  200G     0 100% /var/lib/postgresql/16/main/pg_wal",
            "",
            "$ ls /var/lib/postgresql/16/main/pg_wal | wc -l",
            "12561",
            "",
            "Grew the pg_wal volume by 20G (aws ec2 modify-volume + resize2fs), postgres started at 04:49. Ran:",
            "",
            "orders=# SELECT last_archived_wal, last_archived_time, last_failed_wal, last_failed_time FROM pg_stat_archiver;",
            "    last_archived_wal     |      last_archived_time       |     last_failed_wal      |       last_failed_time",
            "--------------------------+-------------------------------+--------------------------+-------------------------------",
            " 00000001000002F1000000A4 | 2025-05-12 04:50:12.901223+00 | 00000001000002C40000001B | 2025-05-10 11:42:08.114907+00",
            "(1 row)",
            "",
            "orders=# SELECT slot_name, slot_type, active, restart_lsn, wal_status, pg_size_pretty(pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)) AS retained FROM pg_replication_slots;",
            "      slot_name      | slot_type | active | restart_lsn  | wal_status | retained",
            "---------------------+-----------+--------+--------------+------------+----------",
            " standby_orders_db_2 | physical  | t      | 2F1/A4012F88 | reserved   | 41 MB",
            " debezium_orders     | logical   | f      | 2BF/3C1A0E50 | extended   | 197 GB",
            "(2 rows)",
            "",
            "orders=# SHOW max_slot_wal_keep_size;",
            " max_slot_wal_keep_size",
            "------------------------",
            " -1",
            "(1 row)",
            "",
        ]
    )
    files = {
        "notes.md": notes,
        "metrics-hourly.csv": metrics,
        "logs/postgresql-orders-db-1.log": pg.render(),
        "logs/orders-api.log": api.render(),
        "logs/kafka-connect-worker-1.log": connect.render(),
    }
    return Bundle(
        question="orders-db-1 went down at 04:17 UTC and won't come back up; orders-api is returning 503. What happened?",
        category="disk",
        component="orders-db-1",
        statement="Since the orders-cdc Debezium connector was deleted on Friday 16:20 UTC its logical replication slot debezium_orders has stayed behind, inactive, with max_slot_wal_keep_size = -1, so orders-db-1 retained all WAL; pg_wal filled its 200 GB volume and at 04:17:33 UTC Monday PostgreSQL PANICked with `No space left on device` and could not finish recovery.",
        files=files,
        proofs=[
            Proof("notes.md", " debezium_orders     | logical   | f"),
            Proof(
                "logs/postgresql-orders-db-1.log",
                'PANIC:  could not write to file "pg_wal/xlogtemp.2841"',
            ),
        ],
        decoys=[
            "last_failed_time",
            "HikariPool-1 - Connection is not available",
            "DataVolumeUsage > 70%",
        ],
    )
