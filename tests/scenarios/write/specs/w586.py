# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""A Seoul shop's batch host batch-03 was rebuilt on Friday 20 November 2026 from the cloud's
stock image and left in Etc/UTC (the old host ran in Asia/Seoul). The etl user's crontab
still says `0 3 * * *` for the settlement export, meant as 03:00 KST (18:00 UTC, off-peak);
it now runs at 03:00 UTC, which is 12:00 KST, the lunch peak. The export's 40-minute COPY over
orders and payments saturates pg-main-01's disk reads and spills temp files; order-api's
queries slow and time out every day from 12:00 to about 12:45 KST since Saturday. Decoys: an
autovacuum on order_items, chronyd's source change on batch-03, order-api's pool errors."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from metrics import csv_text
from records import Postgres, Record, Syslog3164, Zap
from scenes import fixed, loud
from traffic import Line, host_traffic, traffic

REBUILD = datetime(2026, 11, 20, 6, 10, tzinfo=UTC)
TODAY = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)
RUNS = [datetime(2026, 11, 18, 18, 0, tzinfo=UTC), datetime(2026, 11, 19, 18, 0, tzinfo=UTC)] + [
    datetime(2026, 11, d, 3, 0, tzinfo=UTC) for d in (21, 22, 23, 24)
]


def pg_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.4:
        return (
            "INFO",
            f"duration: {rng.randrange(500, 980)}.{rng.randrange(100, 999)} ms  statement: SELECT o.id, o.status, o.total FROM orders o WHERE o.customer_id = $1 ORDER BY o.created_at DESC LIMIT 20",
            (),
        )
    if roll < 0.7:
        return (
            "INFO",
            "connection authorized: user=order_api database=shopdb application_name=order-api",
            (),
        )
    return (
        "INFO",
        f"checkpoint complete: wrote {rng.randrange(900, 9000)} buffers ({rng.randrange(1, 9)}.{rng.randrange(10)}%); 0 WAL file(s) added, 0 removed, {rng.randrange(1, 6)} recycled",
        (),
    )


def slow(rng: random.Random) -> Line:
    return (
        "INFO",
        f"duration: {rng.randrange(2400, 29000)}.{rng.randrange(100, 999)} ms  statement: SELECT o.id, o.status, o.total FROM orders o WHERE o.customer_id = $1 ORDER BY o.created_at DESC LIMIT 20",
        (),
    )


def api_line(rng: random.Random) -> Line:
    return (
        "info",
        f"request served method={rng.choice(['GET', 'GET', 'POST'])} path=/v1/{rng.choice(['orders', 'orders/history', 'cart/checkout'])} status=200 latency_ms={rng.randrange(12, 140)}",
        (),
    )


def api_error(rng: random.Random) -> Line:
    return (
        "error",
        rng.choice(
            [
                'request failed path=/v1/orders/history status=504 error="pq: canceling statement due to user request: context deadline exceeded"',
                'request failed path=/v1/cart/checkout status=503 error="sql: database pool exhausted: acquire conn: context deadline exceeded"',
            ]
        ),
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(58609)
    pg = LogFile("logs/pg-main-01-postgresql.log", Postgres(random.Random(5861)))
    window = TODAY - timedelta(minutes=30)
    pg.add(traffic(rng, pg_line, window, 100, 1500))
    pg.add(loud(rng, window, 31.5, 44, 420, slow))
    pg.add(
        [
            Record(
                TODAY + timedelta(seconds=3, milliseconds=212),
                "INFO",
                "connection authorized: user=etl database=shopdb application_name=export-settlements host=10.40.6.23",
            ),
            Record(
                TODAY + timedelta(minutes=6, seconds=41),
                "INFO",
                'temporary file: path "base/pgsql_tmp/pgsql_tmp61822.0", size 1073741824',
            ),
            Record(
                TODAY + timedelta(minutes=14, seconds=2),
                "INFO",
                'temporary file: path "base/pgsql_tmp/pgsql_tmp61822.1", size 1073741824',
            ),
            Record(
                TODAY + timedelta(minutes=11, seconds=20),
                "INFO",
                'automatic vacuum of table "shopdb.public.order_items": index scans: 1, pages: 0 removed, 812004 remain, elapsed: 402.17 s',
            ),
            Record(
                TODAY + timedelta(minutes=43, seconds=18, milliseconds=77),
                "INFO",
                "duration: 2595014.882 ms  statement: COPY (SELECT o.id, o.created_at, o.total, p.provider, p.captured_amount, p.fee FROM orders o JOIN payments p ON p.order_id = o.id WHERE o.created_at >= now() - interval '1 day' OR p.updated_at >= now() - interval '1 day') TO STDOUT WITH CSV HEADER",
            ),
        ]
    )
    syslog = LogFile("batch-03-syslog.txt", Syslog3164("batch-03", "CRON", 0))
    syslog.add(host_traffic(rng, TODAY - timedelta(hours=3), 240, 900))
    for run in RUNS[2:]:
        pid = rng.randrange(20000, 90000)
        syslog.add(
            [
                Record(
                    run + timedelta(seconds=1, milliseconds=rng.randrange(999)),
                    "INFO",
                    "(etl) CMD (/opt/jobs/export-settlements.sh >> /var/log/jobs/export-settlements.log 2>&1)",
                    (),
                    f"CRON[{pid}]",
                )
            ]
            if run >= TODAY - timedelta(hours=3)
            else []
        )
    syslog.add(
        [
            Record(
                TODAY - timedelta(hours=1, minutes=12),
                "INFO",
                "Selected source 169.254.169.123 (169.254.169.123)",
                (),
                "chronyd[611]",
            ),
            Record(
                TODAY - timedelta(hours=1, minutes=12, seconds=-1),
                "INFO",
                "System clock wrong by -0.000412 seconds",
                (),
                "chronyd[611]",
            ),
        ]
    )
    job = (
        "\n".join(
            line
            for run in RUNS
            for line in [
                f"{run.strftime('%Y-%m-%d %H:%M:%S')} UTC export-settlements: start (host=batch-03, window=1 day)",
                f"{(run + timedelta(minutes=rng.randrange(38, 46), seconds=rng.randrange(60))).strftime('%Y-%m-%d %H:%M:%S')} UTC export-settlements: wrote {rng.randrange(16, 21)}.{rng.randrange(10)}M rows to s3://kr-settlements/exports/{(run + timedelta(hours=9)).strftime('%Y%m%d')}.csv.gz",
                f"{(run + timedelta(minutes=47)).strftime('%Y-%m-%d %H:%M:%S')} UTC export-settlements: done",
            ]
        )
        + "\n"
    )
    api = LogFile(
        "logs/order-api.log",
        Zap(("handlers/orders.go:88", "handlers/checkout.go:141", "server/middleware.go:52")),
    )
    api.add(traffic(rng, api_line, window, 100, 3000))
    api.add(loud(rng, window, 32.0, 43, 380, fixed("error", lambda r: api_error(r)[1])))
    shell = (
        "\n".join(
            [
                "# batch-03, pasted by the on-call engineer (Tuesday 12:50 KST)",
                "$ timedatectl",
                "               Local time: Tue 2026-11-24 03:50:12 UTC",
                "           Universal time: Tue 2026-11-24 03:50:12 UTC",
                "                 RTC time: Tue 2026-11-24 03:50:12",
                "                Time zone: Etc/UTC (UTC, +0000)",
                "System clock synchronized: yes",
                "              NTP service: active",
                "          RTC in local mode: no",
                "",
                "$ sudo crontab -l -u etl",
                "MAILTO=data-oncall@shop.example.kr",
                "# settlement export for the accounting partner, off-peak",
                "0 3 * * * /opt/jobs/export-settlements.sh >> /var/log/jobs/export-settlements.log 2>&1",
                "30 4 * * 0 /opt/jobs/prune-exports.sh",
                "",
                "$ uptime -s",
                "2026-11-20 06:14:37",
                "",
                "$ cat /etc/image-release",
                "IMAGE_NAME=ubuntu-24.04-base IMAGE_BUILD=20261102 BUILT_BY=cloud-stock",
            ]
        )
        + "\n"
    )
    start = datetime(2026, 11, 18, 12, 0, tzinfo=UTC)
    points = 6 * 24 * 6 - 6 * 8

    def busy(index: int) -> float:
        t = start + timedelta(minutes=10 * index)
        return 1.0 if any(run <= t < run + timedelta(minutes=44) for run in RUNS) else 0.0

    def peak(index: int) -> float:
        t = start + timedelta(minutes=10 * index)
        hour = (t + timedelta(hours=9)).hour
        return 1.0 if 11 <= hour < 14 or 19 <= hour < 22 else (0.15 if 1 <= hour < 8 else 0.55)

    def p95(index: int) -> float:
        return 38 + 50 * peak(index) + busy(index) * (60 + 2400 * peak(index)) + rng.gauss(0, 4)

    metrics = csv_text(
        start,
        600,
        points,
        {
            "pg_main_01_disk_read_mb_s": lambda i: (
                22 + 40 * peak(i) + 410 * busy(i) + rng.gauss(0, 3)
            ),
            "pg_main_01_cpu_percent": lambda i: 14 + 30 * peak(i) + 38 * busy(i) + rng.gauss(0, 2),
            "pg_main_01_active_connections": lambda i: (
                9 + 30 * peak(i) + busy(i) * (2 + 80 * peak(i)) + rng.gauss(0, 1.5)
            ),
            "order_api_p95_ms": p95,
            "order_api_requests_per_s": lambda i: 40 + 360 * peak(i) + rng.gauss(0, 8),
        },
    )
    return Bundle(
        question="Every day since Saturday order-api slows down and times out from about 12:00 to 12:45 Seoul time. Today too (03:00-03:45 UTC). What is the root cause?",
        category="configuration",
        component="batch-03",
        statement="batch-03 was rebuilt on 20 November and left in Etc/UTC instead of Asia/Seoul, so the etl crontab's `0 3 * * *` settlement export, meant for 03:00 KST, now runs at 03:00 UTC (12:00 KST, the lunch peak); its 43-minute COPY saturates pg-main-01's reads and order-api's queries time out.",
        files={
            "batch-03-shell.txt": shell,
            "batch-03-syslog.txt": syslog.render(),
            "batch-03-jobs.log": job,
            "logs/pg-main-01-postgresql.log": pg.render(),
            "logs/order-api.log": api.render(),
            "grafana-10m.csv": metrics,
        },
        proofs=[
            Proof("batch-03-shell.txt", "Time zone: Etc/UTC (UTC, +0000)"),
            Proof("batch-03-shell.txt", "0 3 * * * /opt/jobs/export-settlements.sh"),
            Proof("batch-03-syslog.txt", "(etl) CMD (/opt/jobs/export-settlements.sh"),
        ],
        decoys=[
            'automatic vacuum of table "shopdb.public.order_items"',
            "Selected source 169.254.169.123",
            "database pool exhausted",
        ],
    )
