# ruff: noqa: E501
# Hand-written mysqld, audit and application lines and pasted mysql output are data, kept whole on one line.
"""MySQL, replication stopped by a write on the replica: db-replica-02 was restarted last night
for a config change that left `read_only` and `super_read_only` off (set with SET GLOBAL, never
persisted). At 08:55 UTC a support engineer's data-fix script, pointed at the reporting host,
inserts contact rows directly on the replica. At 09:12 UTC the same ids arrive from the source;
the applier stops on error 1062 (duplicate key) and the replica stops applying, so the CRM
reports read from it freeze. Decoys: aborted connections on the primary, a slow report query,
the data volume at 78%."""

import json
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import PythonLogging, Record
from scenes import at, fixed, loud
from traffic import traffic

START = datetime(2026, 10, 14, 6, 30, tzinfo=UTC)
MINUTES = 260.0
FIX = 145.0
STOP = 162.0


@dataclass
class MysqlErrorLog:
    """MySQL 8's error log: `2026-10-14T09:12:44.118223Z 12 [ERROR] [MY-010584] [Repl] message`."""

    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def render(self, record: Record) -> list[str]:
        level = {"INFO": "System", "WARN": "Warning", "ERROR": "ERROR", "DEBUG": "Note"}[
            record.level
        ]
        code, subsystem = (record.logger or "MY-010914 Server").split(" ")
        stamp = record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond:06d}Z"
        return [
            f"{stamp} {self.rng.randrange(8, 900)} [{level}] [{code}] [{subsystem}] {record.message}"
        ]


def bundle() -> Bundle:
    rng = random.Random(33509)
    mysqld = LogFile("logs/db-replica-02-mysqld.log", MysqlErrorLog(rng))
    mysqld.add(
        traffic(
            rng,
            lambda r: (
                "WARN",
                f"Aborted connection {r.randrange(10**5, 10**6)} to db: 'crm' user: 'report_ro' host: '10.12.{r.randrange(256)}.{r.randrange(1, 255)}' (Got timeout reading communication packets).",
                (),
            ),
            START,
            MINUTES,
            260,
            logger="MY-010055 Server",
        )
    )
    mysqld.add(
        [
            at(
                START,
                2.0,
                "INFO",
                "/usr/sbin/mysqld (mysqld 8.0.39) starting as process 1418",
                logger="MY-010116 Server",
            ),
            at(
                START,
                2.5,
                "INFO",
                "/usr/sbin/mysqld: ready for connections. Version: '8.0.39'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community Server - GPL.",
                logger="MY-010931 Server",
            ),
            at(
                START,
                2.6,
                "INFO",
                "Replica receiver thread for channel '': connected to source 'repl@db-primary-01:3306',replication started in log 'mysql-bin.004409' at position 51200318",
                logger="MY-010562 Repl",
            ),
            at(
                START,
                STOP,
                "ERROR",
                "Replica SQL for channel '': Worker 1 failed executing transaction 'ANONYMOUS' at source log mysql-bin.004411, end_log_pos 81223190; Could not execute Write_rows event on table crm.contacts; Duplicate entry '882113' for key 'contacts.PRIMARY', Error_code: 1062; handler error HA_ERR_FOUND_DUPP_KEY; the event's source log mysql-bin.004411, end_log_pos 81223190, Error_code: MY-001062",
                logger="MY-010584 Repl",
            ),
            at(
                START,
                STOP + 0.01,
                "WARN",
                "Replica SQL for channel '': ... The replica coordinator and worker threads are stopped, possibly leaving data in inconsistent state. A restart should restore consistency automatically, although using non-transactional storage for data or info tables or DDL queries could lead to problems. In such cases you have to examine your data (see documentation for details). Error_code: MY-001756",
                logger="MY-001756 Repl",
            ),
            at(
                START,
                STOP + 0.02,
                "ERROR",
                "Error running query, replica SQL thread aborted. Fix the problem, and restart the replica SQL thread with \"START REPLICA\". We stopped at log 'mysql-bin.004411' position 81222871",
                logger="MY-010586 Repl",
            ),
        ]
    )
    audit = LogFile("logs/db-replica-02-audit.log", _AuditJson(rng))

    def audit_line(r: random.Random):
        return (
            "INFO",
            json.dumps(
                {
                    "class": "general",
                    "event": "status",
                    "user": "report_ro",
                    "host": f"10.12.4.{r.randrange(20, 40)}",
                    "db": "crm",
                    "sql_command": "select",
                    "query": r.choice(
                        [
                            "SELECT count(*) FROM contacts WHERE owner_id = ?",
                            "SELECT * FROM deals WHERE stage = ? AND updated_at > ?",
                            "SELECT region, sum(amount) FROM deals GROUP BY region",
                        ]
                    ),
                    "status": 0,
                }
            ),
            (),
        )

    audit.add(traffic(rng, audit_line, START, MINUTES, 2400))
    audit.add(
        [
            at(
                START,
                FIX,
                "INFO",
                json.dumps(
                    {
                        "class": "connection",
                        "event": "connect",
                        "user": "support_fix",
                        "host": "10.12.9.41",
                        "db": "crm",
                        "status": 0,
                    }
                ),
            ),
            at(
                START,
                FIX + 0.1,
                "INFO",
                json.dumps(
                    {
                        "class": "general",
                        "event": "status",
                        "user": "support_fix",
                        "host": "10.12.9.41",
                        "db": "crm",
                        "sql_command": "insert",
                        "query": "INSERT INTO contacts (id, account_id, email, created_at) VALUES (882113, 40211, 'j.okafor@example.org', NOW()), (882114, 40211, 'a.lind@example.org', NOW())",
                        "status": 0,
                    }
                ),
            ),
            at(
                START,
                FIX + 0.2,
                "INFO",
                json.dumps(
                    {
                        "class": "connection",
                        "event": "disconnect",
                        "user": "support_fix",
                        "host": "10.12.9.41",
                        "db": "crm",
                        "status": 0,
                    }
                ),
            ),
        ]
    )
    reports = LogFile(
        "logs/crm-reports.log",
        PythonLogging(("reports.refresh", "reports.freshness", "reports.api"), rng),
    )

    def report_line(r: random.Random):
        if r.random() < 0.85:
            return (
                "INFO",
                f"refreshed {r.choice(['pipeline_by_region', 'contacts_weekly', 'deals_stage_funnel'])} rows={r.randrange(1000, 90000)} in {r.uniform(0.2, 9):.2f}s from db-replica-02",
                (),
            )
        return (
            "INFO",
            f"GET /reports/{r.choice(['pipeline', 'contacts', 'funnel'])} 200 {r.randrange(20, 900)}ms",
            (),
        )

    reports.add(traffic(rng, report_line, START, MINUTES, 2600))
    reports.add(
        loud(
            rng,
            START,
            STOP + 6,
            MINUTES - STOP - 7,
            90,
            fixed(
                "WARN",
                lambda r: (
                    f"freshness check failed: max(deals.updated_at) on db-replica-02 is 09:11:5{r.randrange(10)} UTC, {r.randrange(6, 95)} min behind wall clock (threshold 5 min)"
                ),
            ),
        )
    )
    reports.add(
        [
            at(
                START,
                60.0,
                "WARN",
                "slow query 14.2s: deals_stage_funnel full refresh (rows examined 18.4M)",
                logger="reports.refresh",
            )
        ]
    )
    status = "\n".join(
        [
            "mysql> SHOW REPLICA STATUS\\G",
            "*************************** 1. row ***************************",
            "             Replica_IO_State: Waiting for source to send event",
            "                  Source_Host: db-primary-01",
            "              Source_Log_File: mysql-bin.004412",
            "           Replica_IO_Running: Yes",
            "          Replica_SQL_Running: No",
            "                   Last_Errno: 1062",
            "                   Last_Error: Coordinator stopped because there were error(s) in the worker(s). The most recent failure being: Worker 1 failed executing transaction 'ANONYMOUS' at source log mysql-bin.004411, end_log_pos 81223190. See error log and/or performance_schema.replication_applier_status_by_worker table for more details about this failure or others, if any.",
            "        Seconds_Behind_Source: NULL",
            "mysql> SELECT @@hostname, @@read_only, @@super_read_only;",
            "+----------------+-------------+-------------------+",
            "| @@hostname     | @@read_only | @@super_read_only |",
            "+----------------+-------------+-------------------+",
            "| db-replica-02  |           0 |                 0 |",
            "+----------------+-------------+-------------------+",
            "mysql> SELECT VARIABLE_NAME, VARIABLE_VALUE FROM performance_schema.persisted_variables WHERE VARIABLE_NAME LIKE '%read_only';",
            "Empty set (0.00 sec)",
            "$ df -h /var/lib/mysql | tail -1",
            "/dev/nvme1n1    500G  389G  111G  78% /var/lib/mysql",
            "",
        ]
    )
    notes = "\n".join(
        [
            "Ticket CRM-3318 (11:05 BST): sales dashboards stuck since ~10:12 BST (09:12 UTC), numbers not moving.",
            "db-replica-02 restarted yesterday 22:40 for the innodb_buffer_pool change (CHG-8120).",
            "Support ran the contact-merge fix script this morning (SUP-7712).",
            "db-replica-02 logs lots of aborted connections from report_ro (idle timeouts, always there).",
            "",
        ]
    )
    return Bundle(
        question="Sales dashboards have been frozen since about 10:12 BST; numbers stopped moving. What is the root cause?",
        category="database",
        component="db-replica-02",
        statement="db-replica-02 came back from its restart with read_only and super_read_only off, so a support fix script inserted contacts 882113/882114 directly on it at 08:55 UTC; when the same rows arrived from the source at 09:12 UTC the applier stopped on error 1062 and replication halted, freezing everything that reads from the replica.",
        files={
            "notes.txt": notes,
            "db-replica-02-status.txt": status,
            "logs/db-replica-02-mysqld.log": mysqld.render(),
            "logs/db-replica-02-audit.log": audit.render(),
            "logs/crm-reports.log": reports.render(),
        },
        proofs=[
            Proof(
                "logs/db-replica-02-mysqld.log",
                "Duplicate entry '882113' for key 'contacts.PRIMARY'",
            ),
            Proof("logs/db-replica-02-audit.log", "VALUES (882113, 40211"),
            Proof("db-replica-02-status.txt", "| db-replica-02  |           0 |"),
            Proof("db-replica-02-status.txt", "Replica_SQL_Running: No"),
        ],
        decoys=["Got timeout reading communication packets", "slow query 14.2s", "389G  111G  78%"],
    )


@dataclass
class _AuditJson:
    """Percona-style JSON audit log: the record's message is the event body, a timestamp added."""

    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def render(self, record: Record) -> list[str]:
        body = json.loads(record.message)
        stamp = record.time.strftime("%Y-%m-%dT%H:%M:%S") + " UTC"
        return [
            json.dumps(
                {
                    "audit_record": {
                        "timestamp": stamp,
                        "connection_id": str(self.rng.randrange(100, 9000)),
                        **body,
                    }
                }
            )
        ]
