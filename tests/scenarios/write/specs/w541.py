# ruff: noqa: E501
# Hand-written MySQL, application lines and pasted client output are data, kept whole on one line.
"""MySQL, a signed INT primary key used up: `payment_events.id` was created years ago as
`int NOT NULL AUTO_INCREMENT`; a new retry feature roughly tripled inserts, and at 14:07
(Europe/Berlin) the counter reaches 2147483647. Every insert after that fails with
`Duplicate entry '2147483647' for key 'payment_events.PRIMARY'`, so payments-api cannot record
events and its card captures roll back. The quiet early sign: a schema-check cron warned about
the column's auto-increment ratio days before. Decoys: a replica lag warning, a slow query on
`refund_requests`, and an expiring client certificate notice."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from records import Record, SpringBoot
from scenes import at, fixed, java_trace, loud
from traffic import traffic, web_api

BERLIN = ZoneInfo("Europe/Berlin")
START = datetime(2026, 6, 9, 10, 20, tzinfo=UTC)
MINUTES = 150.0
FULL = 107.0


@dataclass
class MysqlError:
    """MySQL 8 error log: `2026-06-09T10:20:00.123456Z 0 [Warning] [MY-010055] [Server] ...`."""

    rng: random.Random

    def render(self, record: Record) -> list[str]:
        level = {"WARN": "Warning", "ERROR": "ERROR", "INFO": "System"}.get(record.level, "Note")
        stamp = record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond:06d}Z"
        thread = record.logger or str(self.rng.randrange(10, 90000))
        return [f"{stamp} {thread} [{level}] {record.message}"]


def bundle() -> Bundle:
    rng = random.Random(54101)
    api = LogFile(
        "logs/payments-api.log",
        SpringBoot(
            (
                "c.k.payments.web.CaptureController",
                "c.k.payments.events.EventRecorder",
                "c.k.payments.psp.PspClient",
                "o.s.web.servlet.DispatcherServlet",
            ),
            pid=2291,
            rng=rng,
            zone=BERLIN,
        ),
    )
    api.add(
        traffic(
            rng, web_api("payments-api", ["payments", "captures", "refunds"]), START, MINUTES, 4200
        )
    )
    trace = java_trace(
        "org.springframework.dao.DuplicateKeyException: PreparedStatementCallback; SQL [insert into payment_events (payment_id, kind, payload, created_at) values (?, ?, ?, ?)]; Duplicate entry '2147483647' for key 'payment_events.PRIMARY'",
        [
            "org.springframework.jdbc.support.SQLErrorCodeSQLExceptionTranslator.doTranslate(SQLErrorCodeSQLExceptionTranslator.java:247)",
            "org.springframework.jdbc.core.JdbcTemplate.update(JdbcTemplate.java:1003)",
            "c.k.payments.events.EventRecorder.record(EventRecorder.java:58)",
            "c.k.payments.capture.CaptureService.capture(CaptureService.java:131)",
        ],
        [
            "java.sql.SQLIntegrityConstraintViolationException: Duplicate entry '2147483647' for key 'payment_events.PRIMARY'",
            "com.mysql.cj.jdbc.exceptions.SQLError.createSQLException(SQLError.java:118)",
            "com.mysql.cj.jdbc.ClientPreparedStatement.executeUpdateInternal(ClientPreparedStatement.java:1098)",
        ],
        more=41,
    )
    api.add(
        loud(
            rng,
            START,
            FULL + 0.2,
            MINUTES - FULL - 1,
            520,
            fixed(
                "ERROR",
                lambda r: (
                    f"capture {r.getrandbits(48):012x} rolled back: could not record event CAPTURE_REQUESTED"
                ),
                lambda r: trace,
            ),
        )
    )
    api.add(
        loud(
            rng,
            START,
            FULL + 0.5,
            MINUTES - FULL - 1,
            400,
            fixed(
                "WARN",
                lambda r: (
                    f"POST /api/v1/captures 500 {r.randrange(20, 90)}ms client=10.31.{r.randrange(256)}.{r.randrange(1, 255)}"
                ),
            ),
        )
    )
    api.add(
        [
            at(
                START,
                33.0,
                "WARN",
                "client certificate for psp-gateway expires in 27 days (CN=payments-api.kestrel.internal), renewal ticket SEC-4412 open",
                logger="c.k.payments.psp.PspClient",
            ),
        ]
    )
    mysql = LogFile("logs/mysql-pay-01-error.log", MysqlError(rng))
    mysql.add(
        traffic(
            rng,
            lambda r: r.choice(
                [
                    (
                        "INFO",
                        f"[MY-010914] [Server] Aborted connection {r.randrange(10**5, 10**6)} to db: 'payments' user: 'report' host: '10.31.{r.randrange(256)}.{r.randrange(1, 255)}' (Got timeout reading communication packets).",
                        (),
                    ),
                    (
                        "INFO",
                        "[MY-013360] [Server] Plugin mysql_native_password reported: ''mysql_native_password' is deprecated and will be removed in a future release. Please use caching_sha2_password instead'",
                        (),
                    ),
                    (
                        "INFO",
                        f"[MY-010055] [Server] IP address '10.31.{r.randrange(256)}.{r.randrange(1, 255)}' could not be resolved: Name or service not known",
                        (),
                    ),
                ]
            ),
            START,
            MINUTES,
            900,
        )
    )
    mysql.add(
        [
            at(
                START,
                61.0,
                "WARN",
                "[MY-010584] [Repl] Replica SQL for channel '': Worker 3 waited 1.8 s for a commit order, Seconds_Behind_Source: 41",
                logger="14",
            ),
        ]
    )
    slow = "\n".join(
        [
            "# Time: 2026-06-09T11:42:18.204118Z",
            "# User@Host: report[report] @  [10.31.8.77]  Id: 881204",
            "# Query_time: 14.902231  Lock_time: 0.000118 Rows_sent: 18211  Rows_examined: 4102917",
            "SET timestamp=1780918923;",
            "SELECT r.* FROM refund_requests r LEFT JOIN payment_events e ON e.payment_id = r.payment_id WHERE r.created_at > '2026-05-01' ORDER BY r.amount DESC;",
            "",
        ]
    )
    cron = "\n".join(
        [
            "From: cron@dbtools-01 (Cron Daemon)",
            "Subject: Cron <dbcheck@dbtools-01> /opt/dbcheck/autoinc_ratio.sh mysql-pay-01",
            "Date: Mon, 8 Jun 2026 06:00:02 +0200",
            "",
            "schema         table                 column   data_type  max_value    auto_increment  ratio",
            "payments       payments              id       bigint     9.22e18      48211093        0.00",
            "payments       refund_requests       id       bigint     9.22e18      1203117         0.00",
            "payments       payment_events        id       int        2147483647   2071904402      0.9648",
            "payments       psp_callbacks         id       bigint     9.22e18      301118227       0.00",
            "WARNING: payments.payment_events.id above 0.95 of its type's range",
            "",
        ]
    )
    session = "\n".join(
        [
            "mysql> SHOW CREATE TABLE payment_events\\G",
            "*************************** 1. row ***************************",
            "       Table: payment_events",
            "Create Table: CREATE TABLE `payment_events` (",
            "  `id` int NOT NULL AUTO_INCREMENT,",
            "  `payment_id` bigint NOT NULL,",
            "  `kind` varchar(40) NOT NULL,",
            "  `payload` json DEFAULT NULL,",
            "  `created_at` datetime(3) NOT NULL,",
            "  PRIMARY KEY (`id`),",
            "  KEY `idx_payment` (`payment_id`)",
            ") ENGINE=InnoDB AUTO_INCREMENT=2147483647 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci",
            "1 row in set (0.00 sec)",
            "",
            "mysql> SELECT COUNT(*) FROM payment_events WHERE created_at > NOW() - INTERVAL 1 DAY;",
            "+----------+",
            "| COUNT(*) |",
            "+----------+",
            "| 56712931 |",
            "+----------+",
            "1 row in set (9.41 sec)",
            "",
            "mysql> SHOW REPLICA STATUS\\G",
            "...",
            "        Seconds_Behind_Source: 0",
            "",
        ]
    )
    notes = "\n".join(
        [
            "Incident PAY-771, 9 June 2026 (all times Berlin)",
            "",
            "* 14:07 alert: capture success rate 31%, payments-api 5xx.",
            "* 13:21 replica of mysql-pay-01 briefly 41 s behind, recovered by itself.",
            "* Retry feature (payments-api 7.3.0) live since 2 June: each PSP retry now writes its own payment_events row.",
            "* psp-gateway client certificate expires 6 July (SEC-4412).",
            "",
        ]
    )
    return Bundle(
        question="Card captures started failing at about 14:07 Berlin time with 500s from payments-api. What is the root cause?",
        category="data",
        component="mysql-pay-01",
        statement="payment_events.id on mysql-pay-01 is a signed INT auto-increment that reached its maximum 2147483647, so every new event insert fails with a duplicate key on PRIMARY and captures roll back.",
        files={
            "PAY-771-notes.txt": notes,
            "dbcheck-cron-mail.txt": cron,
            "mysql-pay-01-session.txt": session,
            "mysql-pay-01-slow.log": slow,
            "logs/mysql-pay-01-error.log": mysql.render(),
            "logs/payments-api.log": api.render(),
        },
        proofs=[
            Proof("mysql-pay-01-session.txt", "`id` int NOT NULL AUTO_INCREMENT"),
            Proof("mysql-pay-01-session.txt", "AUTO_INCREMENT=2147483647"),
            Proof("dbcheck-cron-mail.txt", "payment_events        id       int"),
        ],
        decoys=["Seconds_Behind_Source: 41", "refund_requests r LEFT JOIN", "SEC-4412"],
    )
