# ruff: noqa: E501
# Hand-written log lines and pasted command output are data, kept whole on one line.
"""The RAID controller's battery on database host db-03 fails its health check at 03:41 UTC; the
controller turns off write-back caching (WB to WT) for the virtual disk that holds PostgreSQL's
data and WAL. Every fsync now waits for the spindles: commits go from about 2 ms to 40-400 ms,
WAL sync dominates pg_stat_activity, and ledger-api times out. The kernel logs the change once
through megaraid_sas. Decoys: the nightly pgbackrest backup started at 03:00, an autovacuum of
a large table, and ledger-api's own statement-timeout and pool errors."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import Postgres, PythonLogging, Syslog3164
from scenes import at, fixed, loud
from traffic import Line, host_traffic, traffic

START = datetime(2025, 3, 9, 2, 30, tzinfo=UTC)
FAIL = 71.12
MINUTES = 150


def ledger_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.45:
        return (
            "INFO",
            f"POST /v2/postings 201 {rng.randrange(4, 30)}ms batch={rng.randrange(1, 40)} ledger=L{rng.randrange(100, 999)}",
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            f"GET /v2/accounts/{rng.randrange(10**6, 10**7)}/balance 200 {rng.randrange(1, 12)}ms",
            (),
        )
    if roll < 0.97:
        return (
            "INFO",
            f"settlement run {rng.getrandbits(32):08x} committed {rng.randrange(100, 3000)} postings",
            (),
        )
    return (
        "WARN",
        f"client {rng.choice(['payouts', 'reconciler', 'statements'])} retried POST /v2/postings after 409 conflict (idempotency key reused)",
        (),
    )


def ledger_slow(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return (
            "ERROR",
            f"POST /v2/postings 504 after 5000ms: psycopg.errors.QueryCanceled: canceling statement due to statement timeout (COMMIT) ledger=L{rng.randrange(100, 999)}",
            (),
        )
    if roll < 0.8:
        return (
            "WARN",
            f"POST /v2/postings 201 {rng.randrange(900, 4800)}ms batch={rng.randrange(1, 40)} ledger=L{rng.randrange(100, 999)} (slow)",
            (),
        )
    return (
        "ERROR",
        f"psycopg_pool.PoolTimeout: couldn't get a connection after 10.00 sec (pool ledger: size=40, waiting={rng.randrange(30, 160)})",
        (),
    )


def postgres_line(rng: random.Random) -> Line:
    roll = rng.random()
    host = f"10.40.{rng.randrange(1, 6)}.{rng.randrange(2, 250)}"
    if roll < 0.35:
        return (
            "INFO",
            f"connection authorized: user=ledger_app database=ledger application_name=ledger-api-{rng.randrange(1, 7)}",
            (),
        )
    if roll < 0.6:
        return "INFO", f"connection received: host={host} port={rng.randrange(30000, 60000)}", ()
    if roll < 0.8:
        return (
            "INFO",
            f"disconnection: session time: 0:{rng.randrange(60):02d}:{rng.randrange(60):02d}.{rng.randrange(1000):03d} user=ledger_app database=ledger host={host} port={rng.randrange(30000, 60000)}",
            (),
        )
    if roll < 0.9:
        return (
            "INFO",
            f'automatic analyze of table "ledger.public.{rng.choice(["accounts", "balances", "idempotency_keys"])}"',
            (),
        )
    return (
        "INFO",
        f"duration: {rng.randrange(1000, 1999)}.{rng.randrange(1000):03d} ms  statement: SELECT account_id, sum(amount_minor) FROM postings_2025 WHERE booked_at >= $1 GROUP BY 1",
        (),
    )


def slow_commit(rng: random.Random) -> Line:
    return (
        "INFO",
        f"duration: {rng.randrange(40, 420)}.{rng.randrange(1000):03d} ms  statement: COMMIT",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(1116)
    syslog = LogFile("logs/db-03-syslog.log", Syslog3164("db-03", "kernel", 0))
    syslog.add(host_traffic(rng, START, MINUTES, 900))
    syslog.add(
        [
            at(
                START,
                30.0,
                "INFO",
                "Starting pgbackrest-full.service - pgBackRest full backup of stanza ledger...",
                logger="systemd[1]",
            ),
            at(
                START,
                30.2,
                "INFO",
                "P00   INFO: backup command begin 2.54.2: --stanza=ledger --type=full --process-max=4 --repo1-type=s3",
                logger="pgbackrest[48211]",
            ),
            at(
                START,
                FAIL - 0.011,
                "INFO",
                "[4198301.227415] megaraid_sas 0000:18:00.0: 21873 (794720441s/0x0008/CRIT) - Battery needs replacement - SOH Bad",
                logger="kernel",
            ),
            at(
                START,
                FAIL,
                "INFO",
                "[4198302.004118] megaraid_sas 0000:18:00.0: 21874 (794720442s/0x0008/WARN) - BBU disabled; changing WB virtual disks to WT, Forced WB VDs are not affected",
                logger="kernel",
            ),
            at(
                START,
                FAIL + 0.02,
                "INFO",
                "[4198302.004201] megaraid_sas 0000:18:00.0: 21875 (794720442s/0x0001/INFO) - Policy change on VD 00/0 to [ID=00,dcp=0d,ccp=0c,ap=0,dc=0,dbgi=0] from [ID=00,dcp=0d,ccp=0d,ap=0,dc=0,dbgi=0]",
                logger="kernel",
            ),
            at(
                START,
                118.4,
                "INFO",
                "P00   INFO: backup command end: completed successfully (5282114ms)",
                logger="pgbackrest[48211]",
            ),
            at(
                START,
                118.5,
                "INFO",
                "pgbackrest-full.service: Deactivated successfully.",
                logger="systemd[1]",
            ),
            at(
                START,
                96.0,
                "INFO",
                "[4199792.551032] EDAC MC0: 1 CE memory read error on CPU_SrcID#0_Ha#0_Chan#1_DIMM#0 (channel:1 slot:0 page:0x3f2a81 offset:0x6c0 grain:32 syndrome:0x0 - area:DRAM err_code:0001:0091 socket:0 ha:0 channel_mask:2 rank:1)",
                logger="kernel",
            ),
        ]
    )
    postgres = LogFile("logs/postgresql-16-main.log", Postgres(rng=rng))
    postgres.add(traffic(rng, postgres_line, START, MINUTES, 2400))
    postgres.add(loud(rng, START, FAIL + 0.3, MINUTES - FAIL - 0.5, 680, slow_commit))
    postgres.add(
        loud(
            rng,
            START,
            FAIL + 2,
            MINUTES - FAIL - 3,
            9,
            fixed(
                "INFO",
                lambda r: (
                    f"checkpoint complete: wrote {r.randrange(30000, 60000)} buffers ({r.randrange(20, 40)}.{r.randrange(10)}%); 0 WAL file(s) added, 0 removed, {r.randrange(20, 40)} recycled; write={r.randrange(200, 270)}.{r.randrange(1000):03d} s, sync={r.randrange(40, 190)}.{r.randrange(1000):03d} s, total={r.randrange(280, 460)}.{r.randrange(1000):03d} s; sync files={r.randrange(200, 600)}, longest={r.randrange(8, 40)}.{r.randrange(1000):03d} s, average={r.randrange(0, 2)}.{r.randrange(1000):03d} s"
                ),
            ),
        )
    )
    postgres.add(
        [
            at(
                START,
                52.0,
                "INFO",
                'automatic vacuum of table "ledger.public.postings_2024": index scans: 1',
            ),
            at(
                START,
                118.9,
                "INFO",
                'automatic vacuum of table "ledger.public.postings_2024": index scans: 1 pages: 0 removed, 18201334 remain, 612004 scanned (3.36% of total) tuples: 2204112 removed, 301557820 remain',
            ),
        ]
    )
    postgres.add(
        loud(
            rng,
            START,
            FAIL + 5,
            MINUTES - FAIL - 6,
            40,
            fixed("ERROR", lambda r: "canceling statement due to statement timeout"),
        )
    )
    ledger = LogFile(
        "logs/ledger-api.log",
        PythonLogging(("ledger.api", "ledger.db", "ledger.settlement"), rng=rng),
    )
    ledger.add(traffic(rng, ledger_line, START, MINUTES, 3900))
    ledger.add(loud(rng, START, FAIL + 1.5, MINUTES - FAIL - 2, 560, ledger_slow))
    notes = "\n".join(
        [
            "ledger writes slow since ~03:45 UTC (Sunday) - what we have so far",
            "",
            "db-03 = ledger primary, PostgreSQL 16 on a PERC H730 RAID10 (/dev/sda, /var/lib/postgresql incl. pg_wal). Bare metal, not shared.",
            "Backup (pgbackrest full) runs every Sunday 03:00, usually done by 04:30. Autovacuum on postings_2024 is running too.",
            "No deploys this weekend. CPU on db-03 is ~15%, load 9.",
            "",
            "$ iostat -x sda 60 (02:55, before)",
            "Device            r/s     rkB/s   rrqm/s  %rrqm r_await rareq-sz     w/s     wkB/s   wrqm/s  %wrqm w_await wareq-sz     d/s     dkB/s   drqm/s  %drqm d_await dareq-sz     f/s f_await  aqu-sz  %util",
            "sda             31.20   1844.10     0.40   1.27    1.94    59.11  2140.37  41288.22   212.60   9.04    0.21    19.29    0.00      0.00     0.00   0.00    0.00     0.00  311.02    0.18    0.55  18.70",
            "",
            "$ iostat -x sda 60 (04:20, now)",
            "Device            r/s     rkB/s   rrqm/s  %rrqm r_await rareq-sz     w/s     wkB/s   wrqm/s  %wrqm w_await wareq-sz     d/s     dkB/s   drqm/s  %drqm d_await dareq-sz     f/s f_await  aqu-sz  %util",
            "sda            402.85  51203.66     3.10   0.76    7.82   127.10   611.04  12044.90    58.12   8.68   38.91    19.71    0.00      0.00     0.00   0.00    0.00     0.00   97.35   61.40   31.63  99.20",
            "",
            "ledger=# SELECT wait_event_type, wait_event, count(*) FROM pg_stat_activity WHERE state <> 'idle' GROUP BY 1, 2 ORDER BY 3 DESC;",
            " wait_event_type |  wait_event   | count",
            "-----------------+---------------+-------",
            " LWLock          | WALWrite      |    27",
            " IO              | WALSync       |     1",
            " IO              | DataFileRead  |     6",
            " Client          | ClientRead    |     3",
            "                 |               |     2",
            "(5 rows)",
            "",
            "Thought: the backup is reading 50 MB/s, maybe kill it? Waiting for a second opinion.",
            "",
        ]
    )
    return Bundle(
        question="Ledger postings have been timing out since about 03:45 UTC this morning (ledger-api 504s, Postgres commits are slow). No deploys this weekend. What is the root cause?",
        category="hardware",
        component="db-03",
        statement="At 03:41 UTC the RAID controller battery on db-03 failed its health check ('Battery needs replacement - SOH Bad') and the controller switched the PostgreSQL virtual disk from write-back to write-through; every WAL fsync now goes to disk, write latency rises from about 0.2 ms to 39 ms and commits take 40-400 ms, so ledger-api's postings time out.",
        files={
            "notes.md": notes,
            "logs/db-03-syslog.log": syslog.render(),
            "logs/postgresql-16-main.log": postgres.render(),
            "logs/ledger-api.log": ledger.render(),
        },
        proofs=[
            Proof(
                "logs/db-03-syslog.log",
                "Battery needs replacement - SOH Bad",
                "BBU disabled; changing WB virtual disks to WT",
            ),
        ],
        decoys=[
            "backup command begin",
            'automatic vacuum of table "ledger.public.postings_2024"',
            "EDAC MC0: 1 CE memory read error",
            "PoolTimeout",
        ],
    )
