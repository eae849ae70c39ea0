# ruff: noqa: E501
# PostgreSQL, logback lines and pasted kubectl output are data, kept whole on one line.
"""Kubernetes: the billing database password is rotated by AWS Secrets Manager on schedule
(Sat 03:00 UTC); External Secrets Operator updates the Secret `billing-db-credentials` a minute
later, but billing-api reads it through `env.valueFrom.secretKeyRef`, so its running pods keep
the old password. Pooled connections survive until Hikari retires them (maxLifetime 30 min);
from then on every new connection fails `password authentication failed`. Only the pod started
after the rotation (rescheduled at 05:12 UTC) works. Loud: checkout errors and Postgres FATALs.
Decoys: Postgres checkpoint warnings, a SecretSyncedError on another ExternalSecret that
recovered, and a Kafka consumer rebalance."""

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events, table
from records import Record, SpringBoot, space_millis
from scenes import at, loud
from traffic import traffic, web_api

SP = ZoneInfo("America/Sao_Paulo")
START = datetime(2026, 8, 15, 2, 10, tzinfo=UTC)
NOW = datetime(2026, 8, 15, 6, 0, tzinfo=UTC)
SYNC = 51.0
EXPIRE = 83.0  # first pooled connections retired
OLD_IPS = ["10.31.4.17", "10.31.6.203"]
NEW_IP = "10.31.5.88"


@dataclass
class PgLog:
    """PostgreSQL stderr with `log_line_prefix = '%m [%p] %q%u@%d '`; the level is the record's."""

    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def render(self, record: Record) -> list[str]:
        pid = self.rng.randrange(20000, 90000)
        level = {"INFO": "LOG", "WARN": "WARNING"}.get(record.level, record.level)
        head = f"{space_millis(record.time)} UTC [{pid}] "
        return [head + f"{level}:  {record.message}", *(head + line for line in record.trailer)]


def pg_routine(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    ip = rng.choice([*OLD_IPS, "10.31.2.40", "10.31.3.9"])
    return rng.choice(
        [
            ("INFO", f"connection received: host={ip} port={rng.randrange(30000, 60000)}", ()),
            (
                "INFO",
                "connection authorized: user=billing_app database=billing application_name=PostgreSQL JDBC Driver SSL enabled (protocol=TLSv1.3, cipher=TLS_AES_256_GCM_SHA384, bits=256)",
                (),
            ),
            (
                "INFO",
                f"duration: {rng.uniform(200, 900):.3f} ms  statement: SELECT i.id, i.total_cents FROM invoices i WHERE i.customer_id = $1 AND i.status = 'open'",
                (),
            ),
            (
                "INFO",
                'automatic vacuum of table "billing.public.payment_attempts": index scans: 1',
                (),
            ),
            (
                "INFO",
                f"disconnection: session time: 0:{rng.randrange(10, 30)}:{rng.randrange(10, 60)}.{rng.randrange(1000):03d} user=billing_app database=billing host={ip} port={rng.randrange(30000, 60000)}",
                (),
            ),
        ]
    )


def bundle() -> Bundle:
    rng = random.Random(28206)
    total = (NOW - START).total_seconds() / 60
    pg = LogFile("logs/billing-db-postgresql.log", PgLog(rng))
    pg.add(traffic(rng, pg_routine, START, EXPIRE, 700))
    pg.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"connection authorized: user=billing_app database=billing application_name=PostgreSQL JDBC Driver host={NEW_IP}",
                (),
            ),
            START.replace(hour=5, minute=13),
            45,
            120,
        )
    )
    pg.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"connection received: host={r.choice(['10.31.2.40', '10.31.3.9'])} port={r.randrange(30000, 60000)}",
                (),
            ),
            START,
            total,
            500,
        )
    )
    pg.add(
        loud(
            rng,
            START,
            EXPIRE,
            total - EXPIRE - 0.5,
            480,
            lambda r: (
                "INFO",
                f"connection received: host={r.choice(OLD_IPS)} port={r.randrange(30000, 60000)}",
                (
                    'FATAL:  password authentication failed for user "billing_app"',
                    'DETAIL:  Connection matched file "/rdsdbdata/config/pg_hba.conf" line 13: "host all all 0.0.0.0/0 scram-sha-256"',
                ),
            ),
        )
    )
    pg.add(
        [
            at(
                START,
                12.0,
                "WARN",
                "checkpoints are occurring too frequently (24 seconds apart)",
                ('HINT:  Consider increasing the configuration parameter "max_wal_size".',),
            ),
            at(
                START,
                130.0,
                "WARN",
                "checkpoints are occurring too frequently (27 seconds apart)",
                ('HINT:  Consider increasing the configuration parameter "max_wal_size".',),
            ),
        ]
    )

    api = LogFile(
        "logs/billing-api.log",
        SpringBoot(
            (
                "b.c.billing.api.InvoiceController",
                "b.c.billing.api.ChargeService",
                "com.zaxxer.hikari.pool.HikariPool",
                "o.a.k.c.c.internals.ConsumerCoordinator",
            ),
            rng=rng,
            zone=SP,
        ),
    )
    api.add(
        traffic(rng, web_api("billing-api", ["invoices", "charges", "refunds"]), START, total, 3600)
    )
    api.add(
        loud(
            rng,
            START,
            EXPIRE + 0.1,
            total - EXPIRE - 0.6,
            380,
            lambda r: (
                "ERROR",
                f'HikariPool-1 - Exception during pool initialization of new connection [pod billing-api-7cd9f5b864-{r.choice(["4kq2x", "w9m7p"])}]: org.postgresql.util.PSQLException: FATAL: password authentication failed for user "billing_app"',
                (),
            ),
        )
    )
    api.add(
        loud(
            rng,
            START,
            EXPIRE + 4,
            total - EXPIRE - 5,
            420,
            lambda r: (
                "ERROR",
                f"POST /api/v1/charges failed: HikariPool-1 - Connection is not available, request timed out after 30000ms (total=3, active=3, idle=0, waiting={r.randrange(4, 40)}) customer={r.randrange(10**6)}",
                (),
            ),
        )
    )
    api.add(
        [
            at(
                START,
                140.5,
                "INFO",
                "[Consumer clientId=billing-api-1, groupId=billing-api] Request joining group due to: group is already rebalancing",
                logger="o.a.k.c.c.internals.ConsumerCoordinator",
            )
        ]
    )

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    routine = routine_events(
        rng,
        ["billing-api", "invoice-renderer"],
        20,
        [
            "ip-10-31-4-201.sa-east-1.compute.internal",
            "ip-10-31-5-77.sa-east-1.compute.internal",
            "ip-10-31-6-12.sa-east-1.compute.internal",
        ],
        namespace="payments",
    )
    signal = [
        (
            ago(SYNC),
            ("Normal", "Updated", "externalsecret/billing-db-credentials", "Updated Secret"),
        ),
        (
            ago(SYNC + 20),
            (
                "Warning",
                "SecretSyncedError",
                "externalsecret/invoice-renderer-s3",
                "error retrieving secret at .data[0], key: prod/invoice-renderer/s3, err: operation error Secrets Manager: GetSecretValue, https response error StatusCode: 0, RequestID: , canceled, context deadline exceeded",
            ),
        ),
        (
            ago(SYNC + 21),
            ("Normal", "Updated", "externalsecret/invoice-renderer-s3", "Updated Secret"),
        ),
        (
            ago(182),
            (
                "Normal",
                "Scheduled",
                "pod/billing-api-7cd9f5b864-t6r3d",
                "Successfully assigned payments/billing-api-7cd9f5b864-t6r3d to ip-10-31-5-77.sa-east-1.compute.internal",
            ),
        ),
    ]
    events = event_listing(routine, signal)
    pods = table(
        ("NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE"),
        [
            (
                "billing-api-7cd9f5b864-4kq2x",
                "1/1",
                "Running",
                "0",
                "6d2h",
                OLD_IPS[0],
                "ip-10-31-4-201.sa-east-1.compute.internal",
            ),
            (
                "billing-api-7cd9f5b864-t6r3d",
                "1/1",
                "Running",
                "0",
                "47m",
                NEW_IP,
                "ip-10-31-5-77.sa-east-1.compute.internal",
            ),
            (
                "billing-api-7cd9f5b864-w9m7p",
                "1/1",
                "Running",
                "0",
                "6d2h",
                OLD_IPS[1],
                "ip-10-31-6-12.sa-east-1.compute.internal",
            ),
        ],
    )
    gets = "\n".join(
        [
            "$ kubectl -n payments get pods -l app=billing-api -o wide",
            *pods,
            "",
            "$ kubectl -n payments get externalsecret billing-db-credentials",
            "NAME                     STORE                 REFRESH INTERVAL   STATUS         READY",
            "billing-db-credentials   aws-secrets-manager   1h                 SecretSynced   True",
            "",
            '$ kubectl -n payments get secret billing-db-credentials -o jsonpath=\'{.metadata.annotations.reconcile\\.external-secrets\\.io/data-hash}{" "}{.metadata.managedFields[0].time}{"\\n"}\'',
            "9c1e4f07b2a85d3e6f190c4a7b2d8e51 2026-08-15T03:01:02Z",
            "",
            "$ kubectl -n payments get deploy billing-api -o yaml | grep -B2 -A4 DB_PASSWORD",
            "        - name: DB_USER",
            "          value: billing_app",
            "        - name: DB_PASSWORD",
            "          valueFrom:",
            "            secretKeyRef:",
            "              key: password",
            "              name: billing-db-credentials",
            "",
            "$ aws secretsmanager describe-secret --secret-id prod/billing/db --query '{Rotation:RotationEnabled,Last:LastRotatedDate,Rules:RotationRules}'",
            "{",
            '    "Rotation": true,',
            '    "Last": "2026-08-15T00:00:41.118000-03:00",',
            '    "Rules": {',
            '        "ScheduleExpression": "cron(0 3 ? * SAT *)"',
            "    }",
            "}",
            "",
        ]
    )
    return Bundle(
        question="Since early this morning (around 00:40 São Paulo time) charges fail on billing-api with connection-pool timeouts, but one of the three pods seems fine. What is the root cause?",
        category="configuration",
        component="billing-api",
        statement="The billing DB password was rotated at 03:00 UTC and External Secrets updated billing-db-credentials, but billing-api takes the password from an env var (secretKeyRef), which running pods never reload; once Hikari retired the old connections the two pods started before the rotation fail every new connection with `password authentication failed`, while only the pod started afterwards works.",
        files={
            "kubectl-get.txt": gets,
            "kubectl-get-events.txt": events,
            "logs/billing-db-postgresql.log": pg.render(),
            "logs/billing-api.log": api.render(),
        },
        proofs=[
            Proof("kubectl-get-events.txt", "externalsecret/billing-db-credentials"),
            Proof("kubectl-get.txt", "        - name: DB_PASSWORD", "name: billing-db-credentials"),
            Proof("kubectl-get.txt", "billing-api-7cd9f5b864-t6r3d"),
        ],
        decoys=[
            "checkpoints are occurring too frequently",
            "SecretSyncedError",
            "group is already rebalancing",
        ],
    )
