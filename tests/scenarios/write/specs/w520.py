# ruff: noqa: E501
# Hand-written PostgreSQL, kernel and service lines and pasted host output are data, kept whole on one line.
"""Host, NUMA zone reclaim on a database server: PostgreSQL moved on Saturday to pg-orders-3, a
two-socket server whose vendor tuning package installs `/etc/sysctl.d/60-vendor-hpc.conf` with
`vm.zone_reclaim_mode = 1`. With zone reclaim on, the kernel reclaims page cache on the local
node instead of using the other node's free memory: node 0 stays nearly empty of cache while node
1 has 90 GB free, backends stall in direct reclaim, %sys climbs and queries that should hit
cache read from disk. At Monday's 09:00 -03:00 peak order-api's queries time out. Decoys: a
corrected ECC error, autovacuum on a large table, a client connection reset."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from metrics import csv_text, shift
from records import Logfmt, Postgres, Syslog3164
from scenes import at, fixed, loud
from traffic import database_server, host_traffic, traffic, web_api

BRT = timezone(timedelta(hours=-3))
START = datetime(2025, 8, 11, 10, 0, tzinfo=UTC)  # 07:00 -03:00
MINUTES = 240.0
PEAK = 120.0  # 09:00 -03:00


def bundle() -> Bundle:
    rng = random.Random(52010)
    pg = LogFile("logs/pg-orders-3/postgresql-Mon.log", Postgres(rng))
    pg.add(traffic(rng, database_server(), START, MINUTES, 2400))
    pg.add(
        loud(
            rng,
            START,
            PEAK - 5,
            MINUTES - PEAK + 4,
            520,
            fixed(
                "INFO",
                lambda r: (
                    f"duration: {r.randrange(1200, 9800)}.{r.randrange(1000):03d} ms  execute <unnamed>: SELECT o.id, o.status, o.total FROM orders o WHERE o.customer_id = $1 ORDER BY o.created_at DESC LIMIT 20"
                ),
            ),
        )
    )
    pg.add(
        [
            at(
                START,
                35.0,
                "INFO",
                'automatic vacuum of table "orders.public.order_events": index scans: 1 pages: 0 removed, 18211904 remain, 0 skipped due to pins; elapsed: 1911.2 s',
            ),
            at(START, 71.0, "INFO", "could not receive data from client: Connection reset by peer"),
        ]
    )
    sysl = LogFile("logs/pg-orders-3-syslog", Syslog3164("pg-orders-3", "kernel", 0))
    sysl.add(host_traffic(rng, START, MINUTES, 800))
    sysl.add(
        [
            at(
                START,
                48.0,
                "WARN",
                "EDAC MC1: 1 CE memory read error on CPU_SrcID#1_MC#0_Chan#2_DIMM#0 (channel:2 slot:0 page:0x1a3f21 offset:0x240 grain:32 syndrome:0x0 - err_code:0x0000:0x009f socket:1 imc:0 rank:1 bg:0 ba:2 row:0x1d44 col:0x3f8)",
            ),
            at(START, 48.01, "INFO", "mce: [Hardware Error]: Machine check events logged"),
        ]
    )
    api = LogFile("logs/order-api.log", Logfmt("order-api", rng))
    api.add(
        traffic(
            rng, web_api("order-api", ["orders", "customers", "invoices"]), START, MINUTES, 3800
        )
    )
    api.add(
        loud(
            rng,
            START,
            PEAK + 1,
            MINUTES - PEAK - 2,
            600,
            fixed(
                "ERROR",
                lambda r: (
                    f"GET /api/v1/customers/{r.randrange(10**6)}/orders failed: query orders.by_customer: context deadline exceeded (timeout 3s) db=pg-orders-3"
                ),
            ),
        )
    )
    api.add(
        loud(
            rng,
            START,
            PEAK + 1,
            MINUTES - PEAK - 2,
            160,
            fixed(
                "WARN",
                lambda r: (
                    f"pgxpool: acquire waited {r.randrange(800, 2900)}ms, {r.randrange(40, 50)}/50 connections busy"
                ),
            ),
        )
    )
    sar = csv_text(
        START,
        60,
        int(MINUTES),
        {
            "pct_user": shift(rng, 18, 27, int(PEAK) - 5, 0.08, ramp=8),
            "pct_system": shift(rng, 4, 41, int(PEAK) - 5, 0.08, ramp=8),
            "pct_iowait": shift(rng, 2, 19, int(PEAK) - 5, 0.1, ramp=8),
            "pgscan_direct_per_s": shift(rng, 30, 182000, int(PEAK) - 5, 0.12, ramp=8),
            "read_mb_per_s": shift(rng, 40, 610, int(PEAK) - 5, 0.1, ramp=8),
        },
    )
    host = "\n".join(
        [
            "[root@pg-orders-3 ~]# numactl --hardware | tail -4",
            "node distances:",
            "node   0   1",
            "  0:  10  21",
            "  1:  21  10",
            "[root@pg-orders-3 ~]# numastat -m | egrep 'MemTotal|MemFree|FilePages|Node'",
            "                          Node 0          Node 1           Total",
            "MemTotal               128612.12       128970.40       257582.52",
            "MemFree                   311.48        91203.77        91515.25",
            "FilePages               31220.09         1804.11        33024.20",
            "[root@pg-orders-3 ~]# sysctl vm.zone_reclaim_mode vm.swappiness",
            "vm.zone_reclaim_mode = 1",
            "vm.swappiness = 10",
            "[root@pg-orders-3 ~]# grep -l zone_reclaim /etc/sysctl.d/*",
            "/etc/sysctl.d/60-vendor-hpc.conf",
            "[root@pg-orders-2 ~]# sysctl vm.zone_reclaim_mode   # old server",
            "vm.zone_reclaim_mode = 0",
            "",
        ]
    )
    notes = "\n".join(
        [
            "P1 09:25 BRT: order history pages timing out for most customers",
            "- orders DB moved to pg-orders-3 on Saturday (bigger box: 2x32 cores, 256 GB); shared_buffers 32GB as before",
            "- Sunday was quiet; no errors until this morning's peak",
            "- iDRAC shows one corrected memory error on socket 1 (not the first one this month)",
            "",
        ]
    )
    return Bundle(
        question="Order history pages have been timing out since about 09:00 BRT. What is the root cause?",
        category="memory",
        component="pg-orders-3",
        statement="pg-orders-3's vendor tuning sets vm.zone_reclaim_mode = 1; on this two-node NUMA server the kernel reclaims page cache on the busy node instead of using the other node's 90 GB free, so PostgreSQL backends stall in direct reclaim and read from disk, and order queries time out at the peak.",
        files={
            "notes.md": notes,
            "pg-orders-3-host.txt": host,
            "metrics/pg-orders-3-sar.csv": sar,
            "logs/pg-orders-3/postgresql-Mon.log": pg.render(),
            "logs/pg-orders-3-syslog": sysl.render(),
            "logs/order-api.log": api.render(),
        },
        proofs=[
            Proof("pg-orders-3-host.txt", "vm.zone_reclaim_mode = 1"),
            Proof("pg-orders-3-host.txt", "MemFree                   311.48"),
        ],
        decoys=[
            "EDAC MC1: 1 CE memory read error",
            'automatic vacuum of table "orders.public.order_events"',
            "Connection reset by peer",
        ],
    )
