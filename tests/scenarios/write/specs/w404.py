# ruff: noqa: E501
# Hand-written log lines are data, kept whole on one line.
"""PostgreSQL: configuration management pushed a hardened pg_hba.conf to pg-ledger-01 at 02:10
UTC turning the app subnet's `host` line into `hostssl`; the server reloaded quietly. The
ledger workers do not use TLS, so every new connection is rejected (`no pg_hba.conf entry ...
no encryption`) once their pooled connections recycle after 05:00. Decoys: a checkpoint
warning, a worker's Kafka rebalance, and an autovacuum cancel."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import Postgres, PythonLogging, Syslog3164
from scenes import at, fixed, loud
from traffic import database_server, host_traffic, traffic, worker

START = datetime(2026, 9, 3, 1, 30, tzinfo=UTC)
MINUTES = 230


def bundle() -> Bundle:
    rng = random.Random(40408)
    pg = LogFile("logs/postgresql.log", Postgres(rng=rng))
    pg.add(traffic(rng, database_server(), START, MINUTES, 2600))
    pg.add(
        [
            at(START, 40.0, "INFO", "received SIGHUP, reloading configuration files"),
            at(START, 88.0, "WARN", "checkpoints are occurring too frequently (24 seconds apart)"),
            at(START, 140.0, "ERROR", "canceling autovacuum task"),
        ]
    )
    pg.add(
        loud(
            rng,
            START,
            211.0,
            MINUTES - 211.1,
            420,
            fixed(
                "FATAL",
                lambda r: (
                    f'no pg_hba.conf entry for host "10.20.{r.randrange(4, 6)}.{r.randrange(10, 60)}", user "ledger_app", database "ledger", no encryption'
                ),
            ),
        )
    )
    app = LogFile("logs/ledger-worker.log", PythonLogging(("ledger.worker", "ledger.db"), rng=rng))
    app.add(
        traffic(
            rng,
            worker("ledger-worker", ["ledger.entries", "ledger.settlements"]),
            START,
            MINUTES,
            3200,
        )
    )
    app.add(
        [
            at(
                START,
                63.0,
                "WARN",
                "kafka: group ledger-worker rebalancing (member left), revoked partitions [3, 7]",
                logger="ledger.worker",
            )
        ]
    )
    app.add(
        loud(
            rng,
            START,
            211.2,
            MINUTES - 211.3,
            380,
            fixed(
                "ERROR",
                lambda r: (
                    'psycopg.OperationalError: connection failed: FATAL:  no pg_hba.conf entry for host "10.20.4.31", user "ledger_app", database "ledger", no encryption'
                ),
                lambda r: [],
            ),
        )
    )
    cm = LogFile("logs/pg-ledger-01-syslog.log", Syslog3164("pg-ledger-01", "ansible", 0))
    cm.add(host_traffic(rng, START, MINUTES, 700))
    cm.add(
        [
            at(
                START,
                39.7,
                "INFO",
                'Invoking "template" module with src=pg_hba.conf.j2 dest=/etc/postgresql/16/main/pg_hba.conf owner=postgres mode=0640 (changed)',
                logger="ansible-ansible.legacy.template[48112]",
            ),
            at(
                START,
                39.9,
                "INFO",
                'Invoking "systemd" module with name=postgresql@16-main state=reloaded',
                logger="ansible-ansible.legacy.systemd[48160]",
            ),
        ]
    )
    hba = "\n".join(
        [
            "$ sudo diff /var/backups/ansible/pg_hba.conf.2026-09-03@02:10:01~ /etc/postgresql/16/main/pg_hba.conf",
            "12c12",
            "< host    ledger          ledger_app      10.20.4.0/23            scram-sha-256",
            "---",
            "> hostssl ledger          ledger_app      10.20.4.0/23            scram-sha-256",
            "",
            "$ grep -E '^(ssl|ssl_cert_file)' /etc/postgresql/16/main/postgresql.conf",
            "ssl = on",
            "ssl_cert_file = '/etc/ssl/certs/pg-ledger-01.pem'",
            "",
            "$ grep -r sslmode /opt/ledger-worker/.env",
            "DATABASE_URL=postgresql://ledger_app@pg-ledger-01:5432/ledger?sslmode=disable",
            "",
        ]
    )
    return Bundle(
        question="The ledger workers started failing to connect to the database a little after 05:00 UTC; nothing was deployed to them. What's the root cause?",
        category="configuration",
        component="pg-ledger-01",
        statement="At 02:10 UTC configuration management changed pg_hba.conf on pg-ledger-01 so the app subnet is only accepted over `hostssl` and reloaded PostgreSQL; the ledger workers connect with sslmode=disable, so once their pooled connections recycled new ones were rejected with `no pg_hba.conf entry ... no encryption`.",
        files={
            "logs/postgresql.log": pg.render(),
            "logs/ledger-worker.log": app.render(),
            "logs/pg-ledger-01-syslog.log": cm.render(),
            "pg_hba-diff.txt": hba,
        },
        proofs=[
            Proof("logs/pg-ledger-01-syslog.log", "src=pg_hba.conf.j2"),
            Proof("pg_hba-diff.txt", "> hostssl ledger"),
        ],
        decoys=[
            "checkpoints are occurring too frequently",
            "kafka: group ledger-worker rebalancing",
            "canceling autovacuum task",
        ],
    )
