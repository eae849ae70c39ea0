# ruff: noqa: E501
# Hand-written log lines are data, kept whole on one line.
"""Redis on a single host: cache-01 was rebuilt from a new base image on Monday and lost its
`vm.overcommit_memory = 1` sysctl (Redis warned about it once at start-up). jobs-redis's dataset
grew with the week's export queue to about 9.7 GB on a 16 GB host, and at 14:22:07 UTC the
periodic RDB snapshot's fork is refused (`Can't save in background: fork: Cannot allocate
memory`). With stop-writes-on-bgsave-error yes, Redis refuses every write with MISCONF, so the
web app cannot enqueue jobs (loud tracebacks, 500s on exports and sign-ups). The MISCONF text
talks about persisting to disk, but the disk is at 38%. Decoys: the disk wording, a resolved
DiskSpaceLow alert for /var/log from Sunday, and PostgreSQL statement timeouts on the reports
query that happen every afternoon."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from records import Postgres, PythonLogging, Record
from scenes import fixed, loud, python_traceback
from traffic import Line, database_server, traffic

START = datetime(2025, 11, 12, 13, 30, tzinfo=UTC)
FAIL = datetime(2025, 11, 12, 14, 22, 7, 318000, tzinfo=UTC)
END = datetime(2025, 11, 12, 15, 5, tzinfo=UTC)
BOOT = datetime(2025, 11, 10, 6, 48, 51, 204000, tzinfo=UTC)
MISCONF = "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error."


@dataclass
class RedisLog:
    """Redis' own log: `pid:role day month year time.millis level message`."""

    def render(self, record: Record) -> list[str]:
        mark = {"DEBUG": ".", "INFO": "*", "WARN": "#", "ERROR": "#", "FATAL": "#"}[record.level]
        stamp = (
            record.time.strftime("%d %b %Y %H:%M:%S.") + f"{record.time.microsecond // 1000:03d}"
        )
        return [f"{record.logger or '1:M'} {stamp} {mark} {record.message}"]


def redis_boot() -> list[Record]:
    messages = [
        ("INFO", "oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo", "1:C"),
        (
            "INFO",
            "Redis version=7.2.5, bits=64, commit=00000000, modified=0, pid=1, just started",
            "1:C",
        ),
        ("INFO", "Configuration loaded", "1:C"),
        ("INFO", "monotonic clock: POSIX clock_gettime", "1:M"),
        ("INFO", "Running mode=standalone, port=6379.", "1:M"),
        (
            "WARN",
            "WARNING Memory overcommit must be enabled! Without it, a background save or replication may fail under low memory condition. Being disabled, it can also cause failures without low memory condition, see https://github.com/jemalloc/jemalloc/issues/1328. To fix this issue add 'vm.overcommit_memory = 1' to /etc/sysctl.conf and then reboot or run the command 'sysctl vm.overcommit_memory=1' for this to take effect.",
            "1:M",
        ),
        ("INFO", "Server initialized", "1:M"),
        ("INFO", "Loading RDB produced by version 7.2.5", "1:M"),
        ("INFO", "RDB age 412 seconds", "1:M"),
        ("INFO", "RDB memory usage when created 6112.48 Mb", "1:M"),
        ("INFO", "Done loading RDB, keys loaded: 1846221, keys expired: 3114.", "1:M"),
        ("INFO", "DB loaded from disk: 41.882 seconds", "1:M"),
        ("INFO", "Ready to accept connections tcp", "1:M"),
    ]
    return [
        Record(
            BOOT + timedelta(milliseconds=index * 37 + (41882 if index > 10 else 0)),
            level,
            message,
            (),
            logger,
        )
        for index, (level, message, logger) in enumerate(messages)
    ]


def redis_saves(rng: random.Random) -> tuple[list[Record], datetime]:
    """Snapshots every ~5 minutes (counted back from the failing one), then the failing forks."""
    records = []
    saving = FAIL - timedelta(milliseconds=404)
    last_save = None
    while True:
        took = rng.uniform(24, 39)
        time = saving - timedelta(seconds=300 + took + rng.uniform(0.1, 0.9))
        if time < START:
            break
        child = rng.randrange(30000, 90000)
        cow = rng.randrange(300, 700)
        records += [
            Record(time, "INFO", "100 changes in 300 seconds. Saving..."),
            Record(
                time + timedelta(milliseconds=rng.randrange(180, 420)),
                "INFO",
                f"Background saving started by pid {child}",
            ),
            Record(time + timedelta(seconds=took), "INFO", "DB saved on disk", (), f"{child}:C"),
            Record(
                time + timedelta(seconds=took, milliseconds=31),
                "INFO",
                f"Fork CoW for RDB: current {cow} MB, peak {cow} MB, average {cow // 2 + rng.randrange(40)} MB",
                (),
                f"{child}:C",
            ),
            Record(
                time + timedelta(seconds=took + 0.2),
                "INFO",
                "Background saving terminated with success",
            ),
        ]
        last_save = last_save or time + timedelta(seconds=took)
        saving = time
    records += [
        Record(FAIL - timedelta(milliseconds=404), "INFO", "100 changes in 300 seconds. Saving..."),
        Record(FAIL, "WARN", "Can't save in background: fork: Cannot allocate memory"),
    ]
    time = FAIL + timedelta(seconds=5, milliseconds=rng.randrange(0, 99))
    while time < END:
        records += [
            Record(time, "INFO", "100 changes in 300 seconds. Saving..."),
            Record(
                time + timedelta(milliseconds=rng.randrange(300, 460)),
                "WARN",
                "Can't save in background: fork: Cannot allocate memory",
            ),
        ]
        time += timedelta(seconds=5, milliseconds=rng.randrange(0, 120))
    return records, last_save


def web_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return (
            "INFO",
            f"{rng.choice(['GET', 'GET', 'POST'])} {rng.choice(['/dashboard', '/api/projects', '/api/invoices', '/settings'])} 200 {rng.randrange(8, 300)}ms",
            (),
        )
    if roll < 0.75:
        job = rng.choice(
            ["exports.build_csv", "mail.send_welcome", "billing.sync_invoice", "thumbnails.render"]
        )
        return "INFO", f"enqueued job {rng.getrandbits(64):016x} func={job} queue=default", ()
    if roll < 0.9:
        return "INFO", f"session refreshed user={rng.randrange(10**5)}", ()
    return "WARN", f"slow request GET /api/reports/monthly took {rng.randrange(1500, 4800)}ms", ()


def web_after(rng: random.Random) -> Line:
    level, message, trailer = web_line(rng)
    if message.startswith("enqueued job"):
        return "INFO", f"GET /dashboard 200 {rng.randrange(8, 300)}ms", ()
    return level, message, trailer


def web_failure(rng: random.Random) -> Line:
    route = rng.choice(["/api/exports", "/signup", "/api/invoices/sync", "/api/projects/import"])
    return (
        "ERROR",
        f"Exception on {route} [POST]",
        tuple(
            python_traceback(
                [
                    (
                        "/srv/app/venv/lib/python3.12/site-packages/flask/app.py",
                        880,
                        "full_dispatch_request",
                        "rv = self.dispatch_request()",
                    ),
                    (
                        "/srv/app/app/jobs.py",
                        41,
                        "enqueue",
                        "return queue.enqueue(func, *args, job_timeout=900, **kwargs)",
                    ),
                    (
                        "/srv/app/venv/lib/python3.12/site-packages/rq/queue.py",
                        1015,
                        "enqueue_job",
                        "pipe.execute()",
                    ),
                    (
                        "/srv/app/venv/lib/python3.12/site-packages/redis/client.py",
                        1539,
                        "_execute_transaction",
                        "raise r",
                    ),
                ],
                f"redis.exceptions.ResponseError: Command # 1 (HSET rq:job:{rng.getrandbits(128):032x} status queued) of pipeline caused error: {MISCONF}",
            )
        ),
    )


def worker_failure(rng: random.Random) -> Line:
    return (
        "ERROR",
        f"Worker rq:worker:{rng.getrandbits(32):08x}: could not update heartbeat: {MISCONF}",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(1143)
    total = (END - START).total_seconds() / 60
    fail = (FAIL - START).total_seconds() / 60
    redis = LogFile("logs/redis-server.log", RedisLog())
    redis.add(redis_boot())
    saves, last_save = redis_saves(rng)
    redis.add(saves)
    web = LogFile("logs/web.log", PythonLogging(("app.web", "app.jobs", "werkzeug"), rng=rng))
    web.add(traffic(rng, web_line, START, fail, 2350))
    web.add(traffic(rng, web_after, FAIL, total - fail, 1250))
    web.add(loud(rng, START, fail + 0.02, total - fail - 0.05, 470, web_failure))
    web.add(
        traffic(
            rng,
            fixed(
                "ERROR",
                lambda r: (
                    f"POST {r.choice(['/api/exports', '/signup', '/api/invoices/sync'])} 500 {r.randrange(3, 30)}ms"
                ),
            ),
            FAIL + timedelta(seconds=1),
            total - fail - 0.05,
            470,
        )
    )
    worker = LogFile("logs/rq-worker.log", PythonLogging(("rq.worker",), rng=rng))
    worker.add(
        traffic(
            rng,
            lambda r: ("INFO", f"default: Job OK ({r.getrandbits(64):016x})", ()),
            START,
            fail,
            900,
        )
    )
    worker.add(loud(rng, START, fail + 0.1, total - fail - 0.2, 160, worker_failure))
    postgres = LogFile("logs/postgresql.log", Postgres(rng=rng))
    postgres.add(traffic(rng, database_server(), START, total, 1300))
    postgres.add(
        traffic(
            rng,
            fixed("ERROR", lambda r: "canceling statement due to statement timeout"),
            START + timedelta(minutes=3),
            total - 4,
            14,
        )
    )
    notes = "\n".join(
        [
            "## cache-01 (jobs-redis) - pasted by on-call 15:04 UTC",
            "",
            "$ redis-cli -h jobs-redis INFO persistence | egrep 'rdb_'",
            "rdb_changes_since_last_save:48113",
            "rdb_bgsave_in_progress:0",
            f"rdb_last_save_time:{int(last_save.timestamp())}",
            "rdb_last_bgsave_status:err",
            "rdb_last_bgsave_time_sec:33",
            "rdb_current_bgsave_time_sec:-1",
            "rdb_saves:611",
            "",
            "$ redis-cli -h jobs-redis INFO memory | egrep 'used_memory_human|used_memory_rss_human|maxmemory_human|total_system_memory_human|mem_fragmentation_ratio'",
            "used_memory_human:9.71G",
            "used_memory_rss_human:10.02G",
            "total_system_memory_human:15.61G",
            "maxmemory_human:0B",
            "mem_fragmentation_ratio:1.03",
            "",
            "$ free -m",
            "               total        used        free      shared  buff/cache   available",
            "Mem:           15984       12874         402          21        2707        2811",
            "Swap:              0           0           0",
            "",
            "$ df -h /var/lib/redis",
            "Filesystem      Size  Used Avail Use% Mounted on",
            "/dev/nvme1n1    200G   76G  125G  38% /var/lib/redis",
            "",
            "$ sysctl vm.overcommit_memory vm.swappiness",
            "vm.overcommit_memory = 0",
            "vm.swappiness = 60",
            "",
            "Alert history: DiskSpaceLow cache-01 /var/log 91% (Sun 03:12, resolved Sun 03:40 after logrotate).",
            "cache-01 was re-imaged on Monday with the new Ubuntu 24.04 base image (ticket OPS-2291).",
            "",
        ]
    )
    files = {
        "notes.md": notes,
        "logs/redis-server.log": redis.render(),
        "logs/web.log": web.render(),
        "logs/rq-worker.log": worker.render(),
        "logs/postgresql.log": postgres.render(),
    }
    return Bundle(
        question="Since about 14:22 UTC the web app cannot queue any background job (exports, sign-up mails fail with 500). What is the root cause?",
        category="memory",
        component="jobs-redis",
        statement="From 14:22:07 UTC jobs-redis on cache-01 can no longer fork for its RDB snapshot (`Can't save in background: fork: Cannot allocate memory`: a 9.7 GB dataset on a 16 GB host with vm.overcommit_memory = 0 since Monday's re-image), so with stop-writes-on-bgsave-error it refuses every write with MISCONF and the web app's job enqueues fail.",
        files=files,
        proofs=[Proof("logs/redis-server.log", "14:22:07.318 # Can't save in background")],
        decoys=[
            "unable to persist to disk",
            "DiskSpaceLow",
            "canceling statement due to statement timeout",
        ],
    )
