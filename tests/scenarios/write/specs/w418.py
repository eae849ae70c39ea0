# ruff: noqa: E501
# Hand-written PostgreSQL, zap and Puppet lines and pasted psql output are data, kept whole on one line.
"""PostgreSQL, a checkpoint storm: a Puppet module upgrade on pg-ledger-01 renamed the hiera key
for `max_wal_size`, so the agent run at 17:42 UTC put the module's default of 256MB in place of
16GB and reloaded the server. That night the 01:00 UTC settlement batch writes WAL fast enough
to trigger a checkpoint every few seconds; with full-page writes after every checkpoint the WAL
volume and the data disk saturate, and commits slow to seconds. Quiet: Puppet's change line and
PostgreSQL's "checkpoints are occurring too frequently" with its HINT. Loud: ledger-writer's
context deadlines and retries. Decoys: autovacuum on a big table, a slow fx-rates API, the
usual duplicate key error."""

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from records import Journal, Record, Zap
from scenes import at, fixed, loud
from traffic import database_server, traffic, worker

START = datetime(2026, 5, 8, 23, 30, tzinfo=UTC)
MINUTES = 160.0
BATCH = 90.0


@dataclass
class PgPrefix:
    """PostgreSQL with `log_line_prefix = '%t [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h '`."""

    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def render(self, record: Record) -> list[str]:
        level = {"INFO": "LOG", "WARN": "WARNING", "DEBUG": "LOG"}.get(record.level, "ERROR")
        stamp = record.time.strftime("%Y-%m-%d %H:%M:%S UTC")
        if record.logger == "bg":
            who = "user=,db=,app=,client="
            pid = 1187
        else:
            who = f"user=ledger,db=ledger,app=ledger-writer,client=10.12.{self.rng.randrange(1, 8)}.{self.rng.randrange(2, 250)}"
            pid = self.rng.randrange(20000, 90000)
        head = f"{stamp} [{pid}]: [{self.rng.randrange(1, 400)}-1] {who} "
        return [head + f"{level}:  {record.message}", *(head + line for line in record.trailer)]


def bundle() -> Bundle:
    rng = random.Random(41818)
    pg = LogFile("logs/pg-ledger-01-postgresql.log", PgPrefix(rng))
    pg.add(traffic(rng, database_server(), START, MINUTES, 2400))
    pg.add(
        [
            at(
                START,
                12.0,
                "INFO",
                'automatic vacuum of table "ledger.public.journal_entries": index scans: 1 pages: 0 removed, 18822410 remain, elapsed: 912.44 s',
                logger="bg",
            ),
            at(START, 20.0, "INFO", "checkpoint starting: time", logger="bg"),
            at(
                START,
                22.6,
                "INFO",
                "checkpoint complete: wrote 4121 buffers (0.8%); 0 WAL file(s) added, 0 removed, 3 recycled; write=149.112 s, sync=0.041 s, total=149.301 s",
                logger="bg",
            ),
        ]
    )
    for index in range(28):
        minute = BATCH + 0.4 + index * 0.15 + rng.random() * 0.05
        gap = 7 if index == 0 else rng.choice([5, 6, 8])
        pg.add([at(START, minute, "INFO", f"checkpoint starting: wal #{index}", logger="bg")])
        if index % 4 == 0:
            pg.add(
                [
                    at(
                        START,
                        minute + 0.01,
                        "INFO",
                        f"checkpoints are occurring too frequently ({gap} seconds apart)",
                        ('HINT:  Consider increasing the configuration parameter "max_wal_size".',),
                        logger="bg",
                    )
                ]
            )
    pg.records = [
        Record(
            r.time,
            r.level,
            r.message.split(" #")[0]
            if r.message.startswith("checkpoint starting: wal")
            else r.message,
            r.trailer,
            r.logger,
        )
        for r in pg.records
    ]
    pg.add(
        loud(
            rng,
            START,
            BATCH + 3,
            MINUTES - BATCH - 6,
            140,
            fixed(
                "INFO",
                lambda r: (
                    f"duration: {r.randrange(2100, 9800)}.{r.randrange(1000):03d} ms  execute S_4: COMMIT"
                ),
            ),
        )
    )
    writer = LogFile(
        "logs/ledger-writer.json",
        Zap(
            ("ledger/writer.go:212", "ledger/batch.go:88", "settle/run.go:140", "fx/client.go:61"),
            rng,
        ),
    )
    writer.add(
        traffic(
            rng,
            worker("ledger-writer", ["settlements", "payouts", "adjustments"]),
            START,
            MINUTES,
            4300,
        )
    )
    writer.add(
        loud(
            rng,
            START,
            BATCH + 2,
            MINUTES - BATCH - 5,
            650,
            fixed(
                "ERROR",
                lambda r: r.choice(
                    [
                        f"insert journal batch {r.getrandbits(32):08x} failed: timeout: context deadline exceeded (5s) on COMMIT, retry {r.randrange(1, 4)}/3",
                        f"settlement run 2026-05-08 partition {r.randrange(64)}: pgconn: failed to deallocate cached statement(s): context deadline exceeded",
                        f"slow commit {r.randrange(2100, 9800)}ms for {r.randrange(200, 1000)} rows (p99 budget 250ms)",
                    ]
                ),
            ),
        )
    )
    writer.add(
        [
            at(
                START,
                40.0,
                "WARN",
                "fx-rates GET https://fx.internal/v3/rates?base=EUR took 3.4s (budget 1s), using cached rates from 23:00",
                logger="fx/client.go:61",
            ),
            at(
                START,
                BATCH,
                "INFO",
                "settlement run 2026-05-08 started: 64 partitions, 11.8M entries",
                logger="settle/run.go:140",
            ),
        ]
    )
    puppet = LogFile(
        "logs/pg-ledger-01-journal.txt", Journal("pg-ledger-01", "puppet-agent", 30211)
    )
    puppet.add(
        [
            at(
                START - timedelta(hours=6),
                12.0,
                "INFO",
                "Applying configuration version 'prod-3f81c2a'",
            ),
            at(
                START - timedelta(hours=6),
                12.2,
                "INFO",
                "(/Stage[main]/Postgresql::Server::Install/Package[postgresql-server]) ensure unchanged '16.3'",
            ),
            at(
                START - timedelta(hours=6),
                12.4,
                "INFO",
                "(/Stage[main]/Postgresql::Server::Config/Postgresql::Server::Config_entry[max_wal_size]/Postgresql_conf[max_wal_size]/value) value changed '16GB' to '256MB'",
            ),
            at(
                START - timedelta(hours=6),
                12.5,
                "INFO",
                "(/Stage[main]/Postgresql::Server::Reload/Exec[postgresql_reload]) Triggered 'refresh' from 1 event",
            ),
            at(
                START - timedelta(hours=6),
                12.7,
                "WARN",
                "Deprecation: hiera key 'profile::pg::max_wal_size' is no longer read by postgresql module 10.x; use 'postgresql::server::config_entries'",
            ),
            at(START - timedelta(hours=6), 13.1, "INFO", "Applied catalog in 41.82 seconds"),
            at(
                START - timedelta(hours=1),
                12.0,
                "INFO",
                "Applying configuration version 'prod-3f81c2a'",
            ),
            at(START - timedelta(hours=1), 12.9, "INFO", "Applied catalog in 38.11 seconds"),
        ]
    )
    shell = "\n".join(
        [
            "postgres@pg-ledger-01:~$ psql -Atc 'SHOW max_wal_size' -c 'SHOW checkpoint_timeout'",
            "256MB",
            "15min",
            "postgres@pg-ledger-01:~$ psql -c 'SELECT checkpoints_timed, checkpoints_req, buffers_checkpoint, buffers_backend, stats_reset FROM pg_stat_bgwriter'",
            " checkpoints_timed | checkpoints_req | buffers_checkpoint | buffers_backend |          stats_reset",
            "-------------------+-----------------+--------------------+-----------------+-------------------------------",
            "              2871 |            1694 |          311802291 |        48822118 | 2026-04-01 00:00:04.112+00",
            "(1 row)",
            "postgres@pg-ledger-01:~$ iostat -xm 5 1 | grep -E 'Device|nvme'",
            "Device            r/s     w/s     rMB/s     wMB/s   r_await   w_await  aqu-sz  %util",
            "nvme0n1         112.0  9120.4      3.1     688.2      0.71     38.44   351.2   100.0",
            "nvme1n1         803.2  6241.0     14.2     410.7      1.02     21.90   137.6    99.8",
            "",
        ]
    )
    notes = "\n".join(
        [
            "settlement SLA at risk, 9 May ~01:05 UTC",
            "- ledger-writer timeouts on COMMIT since the 01:00 run started; same code as last night (v7.12.0)",
            "- fx-rates has been slow all evening, cached rates in use",
            "- autovacuum on journal_entries ran at 23:42, finished before the run",
            "- DB change freeze since Monday; no schema changes",
            "",
        ]
    )
    return Bundle(
        question="The nightly settlement run on ledger-writer keeps timing out on commits since 01:00 UTC and is far behind. What is the root cause?",
        category="database",
        component="pg-ledger-01",
        statement="A Puppet run on pg-ledger-01 replaced max_wal_size 16GB with the module default 256MB (renamed hiera key); under the 01:00 settlement load PostgreSQL checkpoints every few seconds, full-page writes saturate the disks and commits take seconds, so ledger-writer times out.",
        files={
            "notes.md": notes,
            "pg-ledger-01-shell.txt": shell,
            "logs/pg-ledger-01-journal.txt": puppet.render(),
            "logs/pg-ledger-01-postgresql.log": pg.render(),
            "logs/ledger-writer.json": writer.render(),
        },
        proofs=[
            Proof("logs/pg-ledger-01-journal.txt", "value changed '16GB' to '256MB'"),
            Proof(
                "logs/pg-ledger-01-postgresql.log",
                "too frequently (7 seconds apart)",
                'increasing the configuration parameter "max_wal_size"',
            ),
            Proof("pg-ledger-01-shell.txt", "256MB"),
        ],
        decoys=[
            "fx-rates GET",
            'automatic vacuum of table "ledger.public.journal_entries"',
            "duplicate key value",
        ],
    )
