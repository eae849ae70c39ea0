# ruff: noqa: E501
# Hand-written kernel, smartd, PostgreSQL and application lines and pasted smartctl output are data, kept whole on one line.
"""Hardware, a failing disk still in a RAID10 mirror: on pg-hist-02 the disk sdc has been
growing pending sectors (smartd warned at 08:14 UTC). From 09:40 its reads start failing;
each bad read makes libata retry and reset the SATA link for several seconds before md reads
the mirror and rewrites the block, and the array never kicks the disk out. PostgreSQL's
backends stall in I/O for seconds at a time; history-api's queries time out at the morning
peak. Loud: history-api's statement timeouts and 504s. Decoys: an autovacuum of a large table,
a backup job's warning about an old WAL archive, and a client connection reset."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from records import Postgres, PythonLogging, Record, Syslog3164
from scenes import at, fixed, loud
from traffic import database_server, host_traffic, traffic, web_api

START = datetime(2026, 9, 15, 8, 0, tzinfo=UTC)
MINUTES = 160.0
FAIL = 100.0


def bundle() -> Bundle:
    rng = random.Random(54909)
    kern = LogFile("logs/pg-hist-02-syslog", Syslog3164("pg-hist-02", "kernel", 0))
    kern.add(host_traffic(rng, START, MINUTES, 1000))
    kern.add(
        [
            at(
                START,
                14.0,
                "WARN",
                "Device: /dev/sdc [SAT], 24 Currently unreadable (pending) sectors (changed +16)",
                logger="smartd[812]",
            ),
            at(
                START,
                14.01,
                "WARN",
                "Device: /dev/sdc [SAT], 9 Offline uncorrectable sectors (changed +6)",
                logger="smartd[812]",
            ),
            at(
                START,
                44.0,
                "INFO",
                "backup-wal: archive 0000000100004A2F000000C1 older than 7 days kept (retention hold BK-88)",
                logger="backup-wal[19211]",
            ),
        ]
    )
    boot = START - timedelta(seconds=5640000 - 4800)
    for index in range(14):
        when = START + timedelta(minutes=FAIL + index * 4.1 + rng.random())
        sector = rng.randrange(812000000, 813000000)
        lines = [
            (
                0.0,
                "ERROR",
                f"ata3.00: exception Emask 0x0 SAct 0x{rng.getrandbits(20):x} SErr 0x0 action 0x0",
            ),
            (0.0002, "ERROR", "ata3.00: irq_stat 0x40000008"),
            (0.0004, "ERROR", "ata3.00: failed command: READ FPDMA QUEUED"),
            (
                0.0006,
                "ERROR",
                f"ata3.00: cmd 60/08:{rng.randrange(10, 99)}:{sector & 0xFFFFFF:06x}/00:00:00:00:00/40 tag {rng.randrange(32)} ncq dma 4096 in",
            ),
            (0.0008, "ERROR", "ata3.00: status: { DRDY ERR }"),
            (0.001, "ERROR", "ata3.00: error: { UNC }"),
            (6.2, "INFO", "ata3: hard resetting link"),
            (7.1, "INFO", "ata3: SATA link up 6.0 Gbps (SStatus 133 SControl 300)"),
            (7.12, "INFO", "ata3.00: configured for UDMA/133"),
            (
                7.13,
                "ERROR",
                f"sd 2:0:0:0: [sdc] tag#{rng.randrange(32)} Add. Sense: Unrecovered read error - auto reallocate failed",
            ),
            (
                7.131,
                "ERROR",
                f"I/O error, dev sdc, sector {sector} op 0x0:(READ) flags 0x80700 phys_seg 1 prio class 2",
            ),
            (7.14, "INFO", "ata3: EH complete"),
            (
                7.4,
                "INFO",
                f"md/raid10:md0: read error corrected (8 sectors at {sector - 2048} on sdc1)",
            ),
        ]
        for seconds, level, text in lines:
            time = when + timedelta(seconds=seconds)
            uptime = (time - boot).total_seconds()
            kern.add([Record(time, level, f"[{uptime:12.6f}] {text}", (), "kernel")])
    pg = LogFile("logs/postgresql-pg-hist-02.log", Postgres(rng))
    pg.add(traffic(rng, database_server(), START, MINUTES, 3200))
    pg.add(
        [
            at(
                START,
                31.0,
                "INFO",
                'automatic vacuum of table "history.public.events_2026_08": index scans: 1 pages: 0 removed, 2811003 remain, elapsed: 412.18 s',
            ),
            at(START, 72.0, "INFO", "could not receive data from client: Connection reset by peer"),
        ]
    )
    pg.add(
        loud(
            rng,
            START,
            FAIL + 0.5,
            MINUTES - FAIL - 2,
            260,
            fixed(
                "INFO",
                lambda r: (
                    f"duration: {r.uniform(6000, 19000):.3f} ms  execute <unnamed>: SELECT e.* FROM events_2026_0{r.choice([7, 8, 9])} e WHERE e.account_id = $1 ORDER BY e.occurred_at DESC LIMIT 200"
                ),
            ),
        )
    )
    pg.add(
        loud(
            rng,
            START,
            FAIL + 1,
            MINUTES - FAIL - 2,
            300,
            fixed("ERROR", lambda r: "canceling statement due to statement timeout"),
        )
    )
    api = LogFile(
        "logs/history-api.log", PythonLogging(("history.api", "history.db", "uvicorn.access"), rng)
    )
    api.add(
        traffic(
            rng, web_api("history-api", ["events", "accounts", "exports"]), START, MINUTES, 4300
        )
    )
    api.add(
        loud(
            rng,
            START,
            FAIL + 1,
            MINUTES - FAIL - 2,
            520,
            fixed(
                "ERROR",
                lambda r: (
                    f"GET /api/v1/accounts/{r.randrange(10**6)}/events 504 after 8000ms: psycopg.errors.QueryCanceled: canceling statement due to statement timeout"
                ),
            ),
        )
    )
    smart = "\n".join(
        [
            "root@pg-hist-02:~# cat /proc/mdstat",
            "Personalities : [raid10]",
            "md0 : active raid10 sdd1[3] sdc1[2] sdb1[1] sda1[0]",
            "      7813771264 blocks super 1.2 512K chunks 2 near-copies [4/4] [UUUU]",
            "      bitmap: 3/59 pages [12KB], 65536KB chunk",
            "",
            "root@pg-hist-02:~# smartctl -A /dev/sdc | egrep 'ID#|Realloc|Pending|Uncorrect|Power_On'",
            "ID# ATTRIBUTE_NAME          FLAG     VALUE WORST THRESH TYPE      UPDATED  WHEN_FAILED RAW_VALUE",
            "  5 Reallocated_Sector_Ct   0x0033   072   072   010    Pre-fail  Always       -       1904",
            "  9 Power_On_Hours          0x0032   051   051   000    Old_age   Always       -       43011",
            "197 Current_Pending_Sector  0x0012   100   100   000    Old_age   Always       -       312",
            "198 Offline_Uncorrectable   0x0010   100   100   000    Old_age   Offline      -       57",
            "",
            "root@pg-hist-02:~# iostat -x 5 2 | egrep 'Device|sd[a-d]'",
            "Device            r/s     w/s     rkB/s     wkB/s r_await w_await aqu-sz  %util",
            "sda            221.40   88.20  14022.1   9001.3    1.91    2.44   0.61   38.20",
            "sdb            218.00   87.60  13870.4   8990.0    1.88    2.51   0.60   37.90",
            "sdc             31.20   87.80   1998.6   8995.2 1841.22    2.61  57.44  100.00",
            "sdd            230.80   88.00  14511.7   9002.4    1.95    2.47   0.63   39.10",
            "",
        ]
    )
    return Bundle(
        question="history-api has been timing out on account history since about 09:40 UTC; CPU on the database is low. What is the root cause?",
        category="hardware",
        component="pg-hist-02",
        statement="Disk sdc in pg-hist-02's RAID10 is failing: unreadable sectors make every bad read go through libata error handling and link resets for seconds before md corrects it from the mirror, so PostgreSQL's reads stall and history-api's queries hit their statement timeout.",
        files={
            "pg-hist-02-disks.txt": smart,
            "logs/pg-hist-02-syslog": kern.render(),
            "logs/postgresql-pg-hist-02.log": pg.render(),
            "logs/history-api.log": api.render(),
        },
        proofs=[
            Proof("logs/pg-hist-02-syslog", "24 Currently unreadable (pending) sectors"),
            Proof("pg-hist-02-disks.txt", "197 Current_Pending_Sector"),
            Proof("pg-hist-02-disks.txt", "sdc             31.20"),
        ],
        decoys=[
            'automatic vacuum of table "history.public.events_2026_08"',
            "retention hold BK-88",
            "Connection reset by peer",
        ],
    )
