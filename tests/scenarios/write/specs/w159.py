# ruff: noqa: E501
# kubectl rows, psql output and hand-written log lines are data, kept whole on one line.
"""Kubernetes: the CronJob ledger-reconcile runs every 10 minutes with `concurrencyPolicy:
Allow`, each run opening a fixed pool of 20 connections to ledger-db. With month-end volume
(31 March) a run takes longer than its interval: from 08:30 UTC runs overlap and pile up (six
active Jobs at 09:24), and at 09:01 they hold enough connections that ledger-db refuses new
clients (`sorry, too many clients already`, max_connections 150). ledger-api's requests fail
with 500s. Loud: ledger-api's OperationalErrors and ledger-db's FATAL lines. Decoys: a slow
report query in ledger-db's log, yesterday's failed statement-export Job, and an autovacuum of
the entries table."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from kube import table
from records import Postgres, PythonLogging
from scenes import at, fixed, loud, python_traceback
from traffic import Line, traffic, web_api

START = datetime(2025, 3, 31, 8, 0, tzinfo=UTC)
NOW = datetime(2025, 3, 31, 9, 24, tzinfo=UTC)
FULL = 61.0  # 09:01
ACTIVE = [
    "ledger-reconcile-29056830",
    "ledger-reconcile-29056840",
    "ledger-reconcile-29056850",
    "ledger-reconcile-29056860",
    "ledger-reconcile-29056870",
    "ledger-reconcile-29056880",
]


def pg_ordinary(rng: random.Random) -> Line:
    roll = rng.random()
    port = rng.randrange(30000, 61000)
    host = f"10.60.{rng.randrange(1, 8)}.{rng.randrange(2, 250)}"
    if roll < 0.4:
        return "INFO", f"connection received: host={host} port={port}", ()
    if roll < 0.8:
        return (
            "INFO",
            f"connection authorized: user=ledger_app database=ledger application_name={rng.choice(['ledger-api', 'ledger-api', 'ledger-reconcile'])} SSL enabled (protocol=TLSv1.3, cipher=TLS_AES_256_GCM_SHA384, bits=256)",
            (),
        )
    if roll < 0.97:
        return (
            "INFO",
            f"disconnection: session time: 0:{rng.randrange(0, 59):02d}:{rng.randrange(0, 59):02d}.{rng.randrange(1000):03d} user=ledger_app database=ledger host={host} port={port}",
            (),
        )
    return (
        "INFO",
        f"checkpoint complete: wrote {rng.randrange(200, 4000)} buffers ({rng.randrange(1, 9)}.{rng.randrange(10)}%); 0 WAL file(s) added, 0 removed, {rng.randrange(0, 3)} recycled; write={rng.randrange(20, 260)}.{rng.randrange(100, 999)} s, sync=0.{rng.randrange(1, 90):03d} s, total=269.{rng.randrange(100, 999)} s",
        (),
    )


def api_fail(rng: random.Random) -> Line:
    return (
        "ERROR",
        f"POST /v1/entries failed request_id={rng.getrandbits(48):012x}: psycopg.OperationalError: connection failed: FATAL:  sorry, too many clients already",
        (),
    )


def reconcile_line(rng: random.Random) -> Line:
    return (
        "INFO",
        f"window 2025-03-{rng.randrange(1, 31):02d} batch {rng.randrange(1, 900)}/{rng.randrange(900, 1400)}: matched {rng.randrange(400, 1000)} entries, {rng.randrange(0, 4)} unmatched",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(1159)
    total = (NOW - START).total_seconds() / 60
    db = LogFile("logs/ledger-db.log", Postgres(rng))
    db.add(traffic(rng, pg_ordinary, START, total, 420))
    db.add(
        loud(
            rng,
            START,
            FULL,
            total - FULL - 0.2,
            1300,
            fixed("FATAL", lambda r: "sorry, too many clients already"),
        )
    )
    db.add(
        loud(
            rng,
            START,
            FULL + 0.5,
            total - FULL - 1,
            60,
            fixed(
                "FATAL",
                lambda r: (
                    "remaining connection slots are reserved for roles with the SUPERUSER attribute"
                ),
            ),
        )
    )
    db.add(
        [
            at(
                START,
                14.3,
                "INFO",
                "duration: 41882.117 ms  statement: SELECT account_id, sum(amount) FROM entries WHERE booked_at >= '2025-03-01' GROUP BY account_id ORDER BY 2 DESC",
            ),
            at(
                START,
                22.8,
                "INFO",
                'automatic vacuum of table "ledger.public.entries": index scans: 1',
            ),
        ]
    )
    api = LogFile(
        "logs/ledger-api.log",
        PythonLogging(("ledger.api.entries", "ledger.api.accounts", "uvicorn.access"), rng=rng),
    )
    api.add(
        traffic(
            rng, web_api("ledger-api", ["entries", "accounts", "transfers"]), START, total, 3600
        )
    )
    api.add(loud(rng, START, FULL + 0.1, total - FULL - 0.3, 1500, api_fail))
    api.add(
        [
            at(
                START,
                FULL + 0.12,
                "ERROR",
                "Exception in ASGI application",
                python_traceback(
                    [
                        (
                            "/app/.venv/lib/python3.12/site-packages/uvicorn/protocols/http/httptools_impl.py",
                            409,
                            "run_asgi",
                            "result = await app(  # type: ignore[func-returns-value]",
                        ),
                        (
                            "/app/ledger/api/entries.py",
                            77,
                            "create_entry",
                            "async with pool.connection() as conn:",
                        ),
                        (
                            "/app/.venv/lib/python3.12/site-packages/psycopg_pool/pool_async.py",
                            211,
                            "getconn",
                            "conn = await self._getconn_unchecked(deadline - monotonic())",
                        ),
                    ],
                    'psycopg.OperationalError: connection failed: connection to server at "10.60.4.12", port 5432 failed: FATAL:  sorry, too many clients already',
                ),
                logger="uvicorn.error",
            )
        ]
    )
    job = LogFile(
        f"logs/{ACTIVE[0]}.log", PythonLogging(("reconcile.run", "reconcile.matcher"), rng=rng)
    )
    job.add(
        [
            at(
                START,
                30.02,
                "INFO",
                "ledger-reconcile 1.9.3 starting (scheduled 2025-03-31T08:30:00Z)",
                logger="reconcile.run",
            ),
            at(
                START,
                30.05,
                "INFO",
                "opened connection pool to ledger-db.ledger.svc.cluster.local:5432 min_size=20 max_size=20",
                logger="reconcile.run",
            ),
            at(
                START,
                30.08,
                "INFO",
                "reconciling month-to-date window 2025-03-01..2025-03-31 (4,812,330 entries)",
                logger="reconcile.run",
            ),
        ]
    )
    job.add(
        traffic(
            rng,
            reconcile_line,
            START + timedelta(minutes=30.2),
            total - 30.4,
            900,
            logger="reconcile.matcher",
        )
    )
    describe_cj = [
        "Name:                          ledger-reconcile",
        "Namespace:                     ledger",
        "Labels:                        app.kubernetes.io/name=ledger-reconcile",
        "Annotations:                   <none>",
        "Schedule:                      */10 * * * *",
        "Concurrency Policy:            Allow",
        "Suspend:                       False",
        "Successful Job History Limit:  3",
        "Failed Job History Limit:      1",
        "Starting Deadline Seconds:     <unset>",
        "Selector:                      <unset>",
        "Parallelism:                   <unset>",
        "Completions:                   <unset>",
        "Pod Template:",
        "  Labels:  app.kubernetes.io/name=ledger-reconcile",
        "  Containers:",
        "   reconcile:",
        "    Image:      registry.fin.example.net/ledger/ledger-reconcile:1.9.3",
        "    Port:       <none>",
        "    Host Port:  <none>",
        "    Args:",
        "      --window=month-to-date",
        "    Environment:",
        "      DB_HOST:       ledger-db.ledger.svc.cluster.local",
        "      DB_POOL_SIZE:  20",
        "    Mounts:          <none>",
        "  Volumes:           <none>",
        "Last Schedule Time:  Mon, 31 Mar 2025 09:20:00 +0000",
        f"Active Jobs:         {', '.join(ACTIVE)}",
        "Events:",
        "  Type    Reason            Age   From                Message",
        "  ----    ------            ----  ----                -------",
        "  Normal  SuccessfulCreate  44m   cronjob-controller  Created job ledger-reconcile-29056840",
        "  Normal  SuccessfulCreate  34m   cronjob-controller  Created job ledger-reconcile-29056850",
        "  Normal  SawCompletedJob   33m   cronjob-controller  Saw completed job: ledger-reconcile-29056820, status: Complete",
        "  Normal  SuccessfulDelete  33m   cronjob-controller  Deleted job ledger-reconcile-29056790",
        "  Normal  SuccessfulCreate  24m   cronjob-controller  Created job ledger-reconcile-29056860",
        "  Normal  SuccessfulCreate  14m   cronjob-controller  Created job ledger-reconcile-29056870",
        "  Normal  SuccessfulCreate  4m4s  cronjob-controller  Created job ledger-reconcile-29056880",
    ]
    cronjobs = [
        ("NAME", "SCHEDULE", "TIMEZONE", "SUSPEND", "ACTIVE", "LAST SCHEDULE", "AGE"),
        ("ledger-reconcile", "*/10 * * * *", "<none>", "False", "6", "4m4s", "243d"),
        ("statement-export", "15 2 * * *", "Europe/Berlin", "False", "0", "9h9m", "243d"),
    ]
    jobs = [("NAME", "COMPLETIONS", "DURATION", "AGE")]
    jobs += [
        ("ledger-reconcile-29056800", "1/1", "9m", "84m"),
        ("ledger-reconcile-29056810", "1/1", "16m", "74m"),
        ("ledger-reconcile-29056820", "1/1", "31m", "64m"),
    ]
    for index, name in enumerate(ACTIVE):
        minutes = 54 - index * 10
        jobs.append(
            (
                name,
                "0/1",
                f"{minutes}m" if minutes > 4 else "4m4s",
                f"{minutes}m" if minutes > 4 else "4m4s",
            )
        )
    jobs.append(("statement-export-29056335", "0/1", "9h9m", "9h9m"))
    pods = [
        ("NAME", "READY", "STATUS", "RESTARTS", "AGE"),
        ("ledger-api-79d4c8b6f7-5kq9z", "1/1", "Running", "0", "3d2h"),
        ("ledger-api-79d4c8b6f7-htn2w", "1/1", "Running", "0", "3d2h"),
        ("ledger-api-79d4c8b6f7-xv7cs", "1/1", "Running", "0", "3d2h"),
        ("ledger-db-0", "1/1", "Running", "0", "38d"),
    ]
    pods += [
        (
            f"{name}-{''.join(rng.choice('bcdfghjklmnpqrstvwxz2456789') for _ in range(5))}",
            "1/1",
            "Running",
            "0",
            age,
        )
        for name, age in zip(ACTIVE, ["54m", "44m", "34m", "24m", "14m", "4m2s"], strict=True)
    ]
    pods.append(("statement-export-29056335-q8w2d", "0/1", "Error", "0", "9h9m"))
    kubectl = "\n".join(
        [
            "$ kubectl -n ledger get cronjobs",
            *table(cronjobs[0], cronjobs[1:]),
            "",
            "$ kubectl -n ledger get jobs",
            *table(jobs[0], jobs[1:]),
            "",
            "$ kubectl -n ledger get pods",
            *table(pods[0], pods[1:]),
            "",
            "$ kubectl -n ledger describe cronjob ledger-reconcile",
            *describe_cj,
            "",
            "$ kubectl -n ledger logs job/statement-export-29056335 | tail -2",
            "2025-03-31 02:15:41,902 ERROR [export.sftp] upload failed: [Errno 110] Connection timed out (sftp.partner-bank.example:22)",
            "2025-03-31 02:15:41,903 ERROR [export.run] giving up after 3 attempts",
            "",
        ]
    )
    psql = "\n".join(
        [
            "ledger=> SHOW max_connections;",
            " max_connections",
            "-----------------",
            " 150",
            "(1 row)",
            "",
            "ledger=> SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend';",
            " count",
            "-------",
            "   147",
            "(1 row)",
            "",
        ]
    )
    files = {
        "kubectl.txt": kubectl,
        "psql.txt": psql,
        "logs/ledger-api.log": api.render(),
        "logs/ledger-db.log": db.render(),
        f"logs/{ACTIVE[0]}.log": job.render(),
    }
    return Bundle(
        question="ledger-api has been returning 500s for most writes since 09:01 UTC on month-end. Why?",
        category="connection_pool",
        component="ledger-reconcile",
        statement="The ledger-reconcile CronJob runs every 10 minutes with concurrencyPolicy Allow and a fixed 20-connection pool per run; with month-end volume runs outlast their interval, pile up from 08:30 UTC (six active Jobs), and from 09:01 they hold enough of ledger-db's 150 connections that new clients are refused (sorry, too many clients already), failing ledger-api's writes.",
        files=files,
        proofs=[
            Proof("kubectl.txt", "Concurrency Policy:            Allow"),
            Proof("kubectl.txt", "Active Jobs:"),
        ],
        decoys=[
            "duration: 41882.117 ms",
            "statement-export-29056335",
            'automatic vacuum of table "ledger.public.entries"',
        ],
    )
