# ruff: noqa: E501
# PostgreSQL lines, kubectl output and hand-written log lines are data, kept whole on one line.
"""Kubernetes: warehouse-pg (PostgreSQL 16 in a StatefulSet) has no memory-backed emptyDir on
/dev/shm, so it gets the container runtime's default 64 MB. At 09:12 UTC a config change enabled
parallel query (`max_parallel_workers_per_gather` 0 -> 4); parallel hash joins allocate dynamic
shared memory segments in /dev/shm, which fills at once: the dashboards' big queries fail with
`could not resize shared memory segment ... No space left on device`. Decoys: frequent-checkpoint
warnings, a client connection reset, and a cancelled autovacuum."""

import random
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod
from records import Postgres, Record, SpringBoot
from scenes import at, fixed, java_trace, loud
from traffic import database_server, traffic, web_api

START = datetime(2026, 11, 18, 8, 20, tzinfo=UTC)
NOW = datetime(2026, 11, 18, 10, 15, tzinfo=UTC)
RELOAD = 52.0  # 09:12


class PostgresDetail(Postgres):
    """PostgreSQL's stderr log; a record's trailer holds its HINT/CONTEXT/STATEMENT lines."""

    def render(self, record: Record) -> list[str]:
        [line] = super().render(record)
        head = line.split("]", 1)[0] + "]"
        return [
            line,
            *(
                f"{head} {extra}" if extra[:4].isupper() else f"\t{extra}"
                for extra in record.trailer
            ),
        ]


NOTES = """$ git -C platform-config log -1 --stat --format='%h %an %ad %s' --date=iso
9c41e07 Renata Alves 2026-11-18 09:10:37 +0000 analytics: enable parallel query on warehouse-pg (DBA-812)
 clusters/prod/analytics/warehouse-pg/postgresql.conf | 3 ++-
$ git -C platform-config show 9c41e07 -- clusters/prod/analytics/warehouse-pg/postgresql.conf | tail -6
 work_mem = 64MB
 maintenance_work_mem = 1GB
-max_parallel_workers_per_gather = 0
+max_parallel_workers_per_gather = 4
+max_parallel_workers = 8
 effective_cache_size = 24GB

$ kubectl -n analytics exec warehouse-pg-0 -c postgres -- df -h /dev/shm /var/lib/postgresql/data
Filesystem      Size  Used Avail Use% Mounted on
shm              64M   64M     0 100% /dev/shm
/dev/rbd2       500G  212G  289G  43% /var/lib/postgresql/data

$ kubectl -n analytics exec warehouse-pg-0 -c postgres -- free -m
               total        used        free      shared  buff/cache   available
Mem:          128598       31377        4012        1208       93209       95902
Swap:              0           0           0
"""


def bundle() -> Bundle:
    rng = random.Random(3260)
    total = (NOW - START).total_seconds() / 60
    pg = LogFile("logs/warehouse-pg-0.log", PostgresDetail(rng=rng))
    pg.add(traffic(rng, database_server(), START, total, 3000))
    pg.add(
        [
            at(
                START,
                17.5,
                "INFO",
                "checkpoints are occurring too frequently (24 seconds apart)",
                ['HINT:  Consider increasing the configuration parameter "max_wal_size".'],
            ),
            at(START, 33.0, "INFO", "could not receive data from client: Connection reset by peer"),
            at(
                START,
                41.2,
                "ERROR",
                "canceling autovacuum task",
                [
                    'CONTEXT:  while scanning block 88213 of relation "public.fact_sessions"',
                    'automatic vacuum of table "warehouse.public.fact_sessions"',
                ],
            ),
            at(
                START,
                RELOAD,
                "INFO",
                "received SIGHUP, reloading configuration files",
                [
                    'LOG:  parameter "max_parallel_workers_per_gather" changed to "4"',
                    'LOG:  parameter "max_parallel_workers" changed to "8"',
                ],
            ),
            at(
                START,
                RELOAD + 3.1,
                "ERROR",
                'could not resize shared memory segment "/PostgreSQL.1840271563" to 67145728 bytes: No space left on device',
                [
                    "STATEMENT:  SELECT d.region, d.channel, sum(f.revenue) FROM fact_orders f JOIN dim_customer d ON d.id = f.customer_id WHERE f.order_date >= $1 GROUP BY 1, 2"
                ],
            ),
        ]
    )
    pg.add(
        loud(
            rng,
            START,
            RELOAD + 3.5,
            total - RELOAD - 3.5,
            420,
            fixed(
                "ERROR",
                lambda r: r.choice(
                    [
                        f'could not resize shared memory segment "/PostgreSQL.{r.randrange(10**9, 4 * 10**9)}" to {r.choice([16777216, 33554432, 67145728, 134217728])} bytes: No space left on device',
                        f'could not resize shared memory segment "/PostgreSQL.{r.randrange(10**9, 4 * 10**9)}" to {r.choice([8388608, 33554432])} bytes: No space left on device',
                        "parallel worker failed to initialize",
                    ]
                ),
            ),
        )
    )
    pg.add(
        loud(
            rng,
            START,
            RELOAD + 3.5,
            total - RELOAD - 3.5,
            200,
            fixed(
                "INFO",
                lambda r: (
                    f'background worker "parallel worker" (PID {r.randrange(1000, 60000)}) exited with exit code 1'
                ),
            ),
        )
    )

    bi = LogFile(
        "logs/bi-dashboards.log",
        SpringBoot(
            (
                "com.dataview.bi.query.QueryRunner",
                "com.dataview.bi.web.DashboardController",
                "com.zaxxer.hikari.pool.HikariPool",
            ),
            rng=rng,
            zone=ZoneInfo("America/Sao_Paulo"),
        ),
    )
    bi.add(
        traffic(
            rng, web_api("bi-dashboards", ["dashboards", "tiles", "exports"]), START, total, 3300
        )
    )
    bi.add(
        loud(
            rng,
            START,
            RELOAD + 3.2,
            total - RELOAD - 3.2,
            520,
            fixed(
                "ERROR",
                lambda r: (
                    f"tile {r.randrange(100, 999)} on dashboard '{r.choice(['Revenue by region', 'Weekly cohorts', 'Channel mix', 'Exec daily'])}' failed"
                ),
                lambda r: java_trace(
                    f'org.postgresql.util.PSQLException: ERROR: could not resize shared memory segment "/PostgreSQL.{r.randrange(10**9, 4 * 10**9)}" to 67145728 bytes: No space left on device',
                    [
                        "org.postgresql.core.v3.QueryExecutorImpl.receiveErrorResponse(QueryExecutorImpl.java:2725)",
                        "org.postgresql.core.v3.QueryExecutorImpl.processResults(QueryExecutorImpl.java:2412)",
                        "org.postgresql.jdbc.PgStatement.executeInternal(PgStatement.java:517)",
                        "com.dataview.bi.query.QueryRunner.run(QueryRunner.java:142)",
                    ],
                    more=61,
                ),
            ),
        )
    )

    pod = Pod(
        name="warehouse-pg-0",
        namespace="analytics",
        node="worker-db-03",
        app="warehouse-pg",
        ip="10.233.71.12",
        start_time="Wed, 28 Oct 2026 04:11:52 +0000",
        controller="StatefulSet/warehouse-pg",
        labels=[
            "app=warehouse-pg",
            "apps.kubernetes.io/pod-index=0",
            "controller-revision-hash=warehouse-pg-5b8d7f6c9",
            "statefulset.kubernetes.io/pod-name=warehouse-pg-0",
        ],
        containers=[
            Container(
                name="postgres",
                image="docker.io/library/postgres:16.4",
                state=["Running", "  Started:      Wed, 28 Oct 2026 04:12:03 +0000"],
                limits={"memory": "48Gi"},
                requests={"cpu": "8", "memory": "48Gi"},
                probes=[
                    "Readiness:  exec [pg_isready -U postgres] delay=5s timeout=3s period=10s #success=1 #failure=3"
                ],
                environment=[
                    "PGDATA:  /var/lib/postgresql/data/pgdata",
                    "POSTGRES_PASSWORD:  <set to the key 'password' in secret 'warehouse-pg-superuser'>  Optional: false",
                ],
                port="5432/TCP",
            )
        ],
        volumes=[
            "  data:",
            "    Type:       PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)",
            "    ClaimName:  data-warehouse-pg-0",
            "    ReadOnly:   false",
            "  config:",
            "    Type:      ConfigMap (a volume populated by a ConfigMap)",
            "    Name:      warehouse-pg-config",
            "    Optional:  false",
        ],
    )
    text = describe_pod(pod, rng).replace(
        "    Mounts:\n",
        "    Mounts:\n      /etc/postgresql from config (ro)\n      /var/lib/postgresql/data from data (rw)\n",
    )
    return Bundle(
        question="Most warehouse dashboards started failing around 09:15 UTC with database errors. What is the root cause?",
        category="configuration",
        component="warehouse-pg",
        statement="warehouse-pg's pod has no memory-backed emptyDir on /dev/shm, so it only has the runtime's default 64 MB; once parallel query was enabled at 09:12, parallel workers' dynamic shared memory fills /dev/shm and queries fail with 'could not resize shared memory segment ... No space left on device'.",
        files={
            "logs/warehouse-pg-0.log": pg.render()
            .replace("database=shop", "database=warehouse")
            .replace("shop.public.", "warehouse.public."),
            "logs/bi-dashboards.log": bi.render(),
            "kubectl-describe-pod-warehouse-pg-0.txt": text,
            "notes.txt": NOTES,
        },
        proofs=[
            Proof("notes.txt", "shm              64M   64M     0 100% /dev/shm"),
            Proof(
                "logs/warehouse-pg-0.log",
                'could not resize shared memory segment "/PostgreSQL.1840271563"',
            ),
            Proof(
                "logs/warehouse-pg-0.log",
                'parameter "max_parallel_workers_per_gather" changed to "4"',
            ),
        ],
        decoys=[
            "checkpoints are occurring too frequently",
            "Connection reset by peer",
            "canceling autovacuum task",
        ],
    )
