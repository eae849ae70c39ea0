# ruff: noqa: E501
# kubectl rows, YAML, a pasted shell session and hand-written log lines are data, kept whole on one line.
"""Kubernetes: during the quarterly rotation of the report_ro PostgreSQL password (11:40 UTC),
the on-call engineer writes the new password to a file with `echo` (which appends a newline)
and rebuilds Secret `report-api` from it with `--from-file`. DB_PASSWORD now ends in `\\n`
(base64 `...Cg==`/`...oK`), so after `rollout restart` every new report-api pod fails
authentication and crash-loops, while the old pods, whose pools still hold the previous
password, fail each new connection too; the engineer's own psql login with the new password
works. Loud: PostgreSQL's authentication failures, dashboard-web's 502s. Decoys: a Metabase
host with no pg_hba.conf entry, checkpoint-frequency warnings, and the password rotation
itself (which was done correctly on the database)."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import table
from records import JsonLines, Pino, Postgres
from scenes import at, fixed, loud
from traffic import Line, traffic

START = datetime(2025, 7, 8, 11, 0, tzinfo=UTC)
NOW = datetime(2025, 7, 8, 12, 6, tzinfo=UTC)
ROTATE = 40.0  # 11:40
RESTART = 43.5
NEW_POD = "report-api-5c8d7f6b9-tm4kz"


def pg_ordinary(rng: random.Random) -> Line:
    roll = rng.random()
    host = f"10.0.{rng.randrange(8, 12)}.{rng.randrange(2, 250)}"
    if roll < 0.5:
        return (
            "INFO",
            "connection authorized: user=report_ro database=reporting application_name=report-api SSL enabled (protocol=TLSv1.3, cipher=TLS_AES_256_GCM_SHA384, bits=256)",
            (),
        )
    if roll < 0.8:
        return "INFO", f"connection received: host={host} port={rng.randrange(30000, 61000)}", ()
    return (
        "INFO",
        f"duration: {rng.randrange(100, 900)}.{rng.randrange(1000):03d} ms  execute <unnamed>: SELECT day, sum(revenue) FROM daily_sales WHERE tenant_id = $1 AND day >= $2 GROUP BY day",
        (),
    )


def auth_fail(rng: random.Random) -> Line:
    return "FATAL", 'password authentication failed for user "report_ro"', ()


def report_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.7:
        return (
            "INFO",
            f"GET /reports/{rng.choice(['sales', 'churn', 'cohorts'])}?tenant={rng.randrange(100, 999)} 200 {rng.randrange(80, 1400)}ms",
            (),
        )
    return (
        "DEBUG",
        f"pool stats total={rng.randrange(8, 10)} idle={rng.randrange(0, 6)} waiting=0",
        (),
    )


def web_ok(rng: random.Random) -> Line:
    return (
        "info",
        f"GET /dashboards/{rng.randrange(1, 400)} 200 upstream=report-api {rng.randrange(100, 1600)}ms",
        (),
    )


def web_fail(rng: random.Random) -> Line:
    return (
        "error",
        f'GET /dashboards/{rng.randrange(1, 400)} 502 upstream=report-api error="Request failed with status code 500: connection to database failed"',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(1165)
    total = (NOW - START).total_seconds() / 60
    pg = LogFile("logs/postgresql.log", Postgres(rng))
    pg.add(traffic(rng, pg_ordinary, START, ROTATE + 1.5, 1500))
    pg.add(loud(rng, START, ROTATE + 1.6, total - ROTATE - 1.8, 1100, auth_fail))
    pg.add(
        [
            at(START, ROTATE - 0.3, "INFO", "statement: ALTER ROLE report_ro PASSWORD <redacted>"),
            at(
                START,
                7.2,
                "FATAL",
                'no pg_hba.conf entry for host "10.0.14.9", user "metabase", database "reporting", SSL encryption',
            ),
            at(
                START,
                7.3,
                "FATAL",
                'no pg_hba.conf entry for host "10.0.14.9", user "metabase", database "reporting", no encryption',
            ),
            at(START, 21.0, "WARN", "checkpoints are occurring too frequently (24 seconds apart)"),
            at(
                START,
                ROTATE + 2.8,
                "INFO",
                "connection authorized: user=report_ro database=reporting application_name=psql SSL enabled (protocol=TLSv1.3, cipher=TLS_AES_256_GCM_SHA384, bits=256)",
            ),
        ]
    )
    app = LogFile(f"logs/{NEW_POD}-previous.log", Pino(NEW_POD, rng=rng))
    app.add(
        [
            at(START, total - 1.62, "INFO", "report-api 3.11.2 starting (node v22.17.0)"),
            at(
                START,
                total - 1.615,
                "INFO",
                "config loaded: DB_HOST=pg-reporting.analytics.svc.cluster.local DB_NAME=reporting DB_USER=report_ro DB_PASSWORD=<set, 21 chars>",
            ),
            at(
                START,
                total - 1.6,
                "FATAL",
                'startup failed: error: password authentication failed for user "report_ro"',
                [
                    "    at /app/node_modules/pg-pool/index.js:45:11",
                    "    at process.processTicksAndRejections (node:internal/process/task_queues:105:5)",
                    "    at async Database.connect (/app/dist/db.js:22:5)",
                    "    at async main (/app/dist/server.js:14:3)",
                ],
            ),
        ]
    )
    old = LogFile(
        "logs/report-api-64f9b8d7c5-9xqvr.log", Pino("report-api-64f9b8d7c5-9xqvr", rng=rng)
    )
    old.add(traffic(rng, report_line, START, ROTATE + 1.5, 1300))
    old.add(
        loud(
            rng,
            START,
            ROTATE + 1.6,
            total - ROTATE - 1.8,
            600,
            fixed(
                "ERROR",
                lambda r: (
                    f'GET /reports/{r.choice(["sales", "churn", "cohorts"])}?tenant={r.randrange(100, 999)} 500: connection to database failed: password authentication failed for user "report_ro"'
                ),
            ),
        )
    )
    web = LogFile("logs/dashboard-web.log", JsonLines("dashboard-web", rng=rng))
    web.add(traffic(rng, web_ok, START, ROTATE + 1.5, 2100))
    web.add(loud(rng, START, ROTATE + 1.6, total - ROTATE - 1.8, 1200, web_fail))
    pods = [
        ("NAME", "READY", "STATUS", "RESTARTS", "AGE"),
        ("report-api-64f9b8d7c5-9xqvr", "1/1", "Running", "0", "6d"),
        ("report-api-64f9b8d7c5-kd2wn", "1/1", "Running", "0", "6d"),
        ("report-api-5c8d7f6b9-tm4kz", "0/1", "CrashLoopBackOff", "8 (96s ago)", "22m"),
        ("pg-reporting-0", "1/1", "Running", "0", "88d"),
        ("dashboard-web-7d9cf6b8d-mq8lx", "1/1", "Running", "0", "2d"),
    ]
    secret_yaml = [
        "apiVersion: v1",
        "data:",
        "  DB_HOST: cGctcmVwb3J0aW5nLmFuYWx5dGljcy5zdmMuY2x1c3Rlci5sb2NhbA==",
        "  DB_PASSWORD: VnE3ci0za0x4OS1UYjJtLVdmOHoK",
        "  DB_USER: cmVwb3J0X3Jv",
        "kind: Secret",
        "metadata:",
        "  annotations:",
        "    kubectl.kubernetes.io/last-applied-configuration: |",
        '      {"apiVersion":"v1","data":{"DB_HOST":"cGctcmVwb3J0aW5nLmFuYWx5dGljcy5zdmMuY2x1c3Rlci5sb2NhbA==","DB_PASSWORD":"VnE3ci0za0x4OS1UYjJtLVdmOHoK","DB_USER":"cmVwb3J0X3Jv"},"kind":"Secret","metadata":{"annotations":{},"creationTimestamp":null,"name":"report-api","namespace":"analytics"}}',
        '  creationTimestamp: "2024-10-02T09:14:51Z"',
        "  name: report-api",
        "  namespace: analytics",
        '  resourceVersion: "418836271"',
        "  uid: 5b0e6c1d-2a9f-4e37-8d1b-7f3c6a2e9d40",
        "type: Opaque",
    ]
    kubectl = "\n".join(
        [
            "$ kubectl -n analytics get pods",
            *table(pods[0], pods[1:]),
            "",
            "$ kubectl -n analytics rollout status deploy/report-api --timeout=10s",
            'Waiting for deployment "report-api" rollout to finish: 1 out of 2 new replicas have been updated...',
            "error: timed out waiting for the condition",
            "",
            "$ kubectl -n analytics get secret report-api -o yaml",
            *secret_yaml,
            "",
            f"$ kubectl -n analytics describe pod {NEW_POD} | grep -A4 Environment",
            "    Environment Variables from:",
            "      report-api  Secret  Optional: false",
            "    Environment:",
            "      NODE_ENV:   production",
            "      PG_SSLMODE: require",
            "",
        ]
    )
    notes = "\n".join(
        [
            "# Reporting down after password rotation (OPS-4410)",
            "",
            "Quarterly rotation of report_ro per runbook RB-DB-07. Shell session of @sam (11:39-11:44 UTC):",
            "",
            "```",
            "$ psql -h pg-reporting.analytics.svc.cluster.local -U postgres -d reporting -c \"ALTER ROLE report_ro PASSWORD 'Vq7r-3kLx9-Tb2m-Wf8z'\"",
            "ALTER ROLE",
            '$ echo "Vq7r-3kLx9-Tb2m-Wf8z" > /tmp/report_ro.pw',
            "$ kubectl -n analytics create secret generic report-api --from-file=DB_PASSWORD=/tmp/report_ro.pw --from-literal=DB_USER=report_ro --from-literal=DB_HOST=pg-reporting.analytics.svc.cluster.local --dry-run=client -o yaml | kubectl apply -f -",
            "secret/report-api configured",
            "$ kubectl -n analytics rollout restart deploy/report-api",
            "deployment.apps/report-api restarted",
            "$ psql \"host=pg-reporting.analytics.svc.cluster.local user=report_ro dbname=reporting sslmode=require\" -c 'select 1'",
            "Password for user report_ro:",
            " ?column?",
            "----------",
            "        1",
            "(1 row)",
            "```",
            "",
            "11:45 dashboards 502. Password works by hand (above). Old pods failing too. Metabase errors in the PG log since this morning are known (BI-88).",
            "",
        ]
    )
    files = {
        "notes.md": notes,
        "kubectl.txt": kubectl,
        "logs/postgresql.log": pg.render(),
        f"logs/{NEW_POD}-previous.log": app.render(),
        "logs/report-api-64f9b8d7c5-9xqvr.log": old.render(),
        "logs/dashboard-web.log": web.render(),
    }
    return Bundle(
        question="Since the report_ro password rotation at about 11:40 UTC, report-api cannot log in to PostgreSQL, although the new password works with psql. Why?",
        category="configuration",
        component="report-api",
        statement="At 11:40 UTC the new report_ro password was written with echo (adding a trailing newline) and loaded into Secret report-api with --from-file, so DB_PASSWORD (base64 ...oK) carries a newline; every report-api pod, new and old, fails password authentication for report_ro and dashboards return 502.",
        files=files,
        proofs=[
            Proof(
                "notes.md",
                '$ echo "Vq7r-3kLx9-Tb2m-Wf8z" > /tmp/report_ro.pw',
                "--from-file=DB_PASSWORD=/tmp/report_ro.pw",
            ),
            Proof("kubectl.txt", "  DB_PASSWORD: VnE3ci0za0x4OS1UYjJtLVdmOHoK"),
        ],
        decoys=[
            'no pg_hba.conf entry for host "10.0.14.9"',
            "checkpoints are occurring too frequently",
            "ALTER ROLE report_ro PASSWORD",
        ],
    )
