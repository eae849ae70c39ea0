# ruff: noqa: E501
# Hand-written log lines, pasted ceph and nvme output are data, kept whole on one line.
"""Storage, hardware: the NVMe drive nvme2 in ceph-osd-07, which backs osd.23, is wearing out
(media errors, spare below threshold). From 02:50 UTC its reads and flushes take seconds and
some time out in the kernel (`nvme nvme2: I/O ... QID ... timeout, aborting`, `critical medium
error, dev nvme2n1`). The OSD is neither down nor out, so every placement group with a copy on
osd.23 waits for it: its peers osd.7 and osd.41 report slow ops "waiting for sub ops", and the
VMs on the rbd-ssd pool stall. Loud: the billing database VM's hung-task warnings and statement
timeouts, slow ops on three OSDs. Decoys: a ceph-mgr crash from last week still listed in the
health output, the slow ops of osd.7 and osd.41 (waiting on osd.23), and a deep-scrub that
happened to start on a PG of the pool at 02:40."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from records import Record, Syslog3164
from scenes import at, fixed, loud
from traffic import Line, database_server, host_traffic, traffic

START = datetime(2025, 11, 4, 1, 30, tzinfo=UTC)
END = datetime(2025, 11, 4, 5, 0, tzinfo=UTC)
ONSET = datetime(2025, 11, 4, 2, 50, tzinfo=UTC)


@dataclass
class CephLog:
    """A Ceph daemon log: `2025-11-04T03:12:44.118+0000 7f3a2c1fe640  0 message`; a record's logger is its thread id."""

    def render(self, record: Record) -> list[str]:
        stamp = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.")
            + f"{record.time.microsecond // 1000:03d}+0000"
        )
        level = {"INFO": " 0", "WARN": " 0", "ERROR": "-1", "DEBUG": " 1"}[record.level]
        return [f"{stamp} {record.logger or '7f3a2c1fe640'} {level} {record.message}"]


def osd_line(osd: int) -> "callable":
    def line(rng: random.Random) -> Line:
        roll = rng.random()
        pg = f"2.{rng.randrange(0, 256):x}"
        if roll < 0.4:
            return (
                "DEBUG",
                f"osd.{osd} pg_epoch: {rng.randrange(41200, 41230)} pg[{pg}( v {rng.randrange(41000, 41230)}'{rng.randrange(10**6, 10**7)} (0'0,{rng.randrange(41000, 41230)}'{rng.randrange(10**6, 10**7)}] local-lis/les=41102/41103 n={rng.randrange(1000, 9000)} ec=88/88 lis/c=41102/41102 les/c/f=41103/41103/0 sis=41102) [{osd},{rng.choice([7, 12, 41, 19])},{rng.choice([3, 28, 33])}] r=0 lpr=41102 crt={rng.randrange(41000, 41230)}'{rng.randrange(10**6, 10**7)} lcod {rng.randrange(41000, 41230)}'{rng.randrange(10**6, 10**7)} mlcod 0'0 active+clean] do_peering_event: epoch_sent: {rng.randrange(41200, 41230)} epoch_requested: {rng.randrange(41200, 41230)} NullEvt",
                (),
            )
        if roll < 0.7:
            return (
                "INFO",
                f"rocksdb: [db/db_impl/db_impl_write.cc:{rng.choice([1736, 2097])}] [default] New memtable created with log file: #{rng.randrange(80000, 99000)}. Immutable memtables: 0.",
                (),
            )
        if roll < 0.85:
            return "INFO", f"log_channel(cluster) log [DBG] : {pg} scrub starts", ()
        return "INFO", f"log_channel(cluster) log [DBG] : {pg} scrub ok", ()

    return line


def bundle() -> Bundle:
    rng = random.Random(2226)
    total = (END - START).total_seconds() / 60
    onset = (ONSET - START).total_seconds() / 60

    kern = LogFile("logs/ceph-osd-07-kern.log", Syslog3164("ceph-osd-07", "kernel", 0))
    kern.add(host_traffic(rng, START - timedelta(hours=6), total + 360, 1100))
    boot = START - timedelta(days=63, seconds=4121.77)

    def k(minute: float, message: str) -> Record:
        when = START + timedelta(minutes=minute, milliseconds=rng.randrange(1000))
        return Record(
            when, "WARN", f"[{(when - boot).total_seconds():.6f}] {message}", (), "kernel"
        )

    kern.add(
        [
            k(onset - 0.4, "nvme nvme2: I/O 812 QID 5 timeout, aborting"),
            k(onset - 0.39, "nvme nvme2: Abort status: 0x0"),
            k(
                onset - 0.1,
                "critical medium error, dev nvme2n1, sector 1882211840 op 0x0:(READ) flags 0x0 phys_seg 1 prio class 2",
            ),
        ]
    )
    for _ in range(9):
        minute = rng.uniform(onset + 2, total - 2)
        kern.add(
            [
                k(
                    minute,
                    f"nvme nvme2: I/O {rng.randrange(100, 1023)} QID {rng.randrange(1, 17)} timeout, aborting",
                ),
                k(minute + 0.005, "nvme nvme2: Abort status: 0x0"),
            ]
        )
    for _ in range(4):
        kern.add(
            [
                k(
                    rng.uniform(onset + 2, total - 2),
                    f"critical medium error, dev nvme2n1, sector {rng.randrange(10**9, 3 * 10**9)} op 0x0:(READ) flags 0x0 phys_seg 1 prio class 2",
                )
            ]
        )

    osd23 = LogFile("logs/ceph-osd.23.log", CephLog())
    osd23.add(traffic(rng, osd_line(23), START, total, 1400))
    osd23.add(
        loud(
            rng,
            START,
            onset + 0.5,
            total - onset - 1,
            180,
            fixed(
                "WARN",
                lambda r: (
                    f"bluestore(/var/lib/ceph/osd/ceph-23) log_latency_fn slow operation observed for _txc_committed_kv, latency = {r.uniform(5, 31):.6f}s, txc = 0x55d1{r.getrandbits(32):08x}"
                ),
            ),
        )
    )
    osd23.add(
        loud(
            rng,
            START,
            onset + 1,
            total - onset - 2,
            90,
            fixed(
                "WARN",
                lambda r: (
                    f"log_channel(cluster) log [WRN] : {r.randrange(8, 60)} slow requests (by type [ 'delayed' : {r.randrange(2, 20)} 'started' : {r.randrange(4, 30)} ] most affected pool [ 'rbd-ssd' : {r.randrange(8, 60)} ])"
                ),
            ),
        )
    )

    peers = LogFile("logs/ceph-osd.41.log", CephLog())
    peers.add(traffic(rng, osd_line(41), START, total, 1300))
    peers.add(
        loud(
            rng,
            START,
            onset + 1,
            total - onset - 2,
            110,
            fixed(
                "WARN",
                lambda r: (
                    f"log_channel(cluster) log [WRN] : {r.randrange(4, 40)} slow requests (by type [ 'waiting for sub ops' : {r.randrange(4, 40)} ] most affected pool [ 'rbd-ssd' : {r.randrange(4, 40)} ])"
                ),
            ),
        )
    )
    peers.add(
        [
            at(
                START,
                70.0,
                "INFO",
                "log_channel(cluster) log [DBG] : 2.1f deep-scrub starts",
                logger="7f1e0c9f8640",
            )
        ]
    )

    vm = LogFile("logs/pg-billing-1-syslog.log", Syslog3164("pg-billing-1", "postgres", 1181))
    vm.add(host_traffic(rng, START, total, 700))
    vm.add(
        [
            Record(
                r.time,
                r.level,
                f"{'LOG' if r.level == 'INFO' else 'ERROR'}:  {r.message}",
                r.trailer,
                "postgres[1181]",
            )
            for r in traffic(rng, database_server(), START, total, 1500)
        ]
    )
    vm.add(
        loud(
            rng,
            START,
            onset + 3,
            total - onset - 4,
            40,
            fixed(
                "WARN",
                lambda r: (
                    f"INFO: task {r.choice(['jbd2/vdb1-8:412', 'postgres:88121', 'kworker/u8:2:19011'])} blocked for more than 120 seconds."
                ),
            ),
        )
    )
    vm.records = [
        Record(r.time, r.level, r.message, r.trailer, r.logger or "kernel") for r in vm.records
    ]
    vm.add(
        [
            Record(r.time, r.level, r.message, r.trailer, "postgres[1181]")
            for r in loud(
                rng,
                START,
                onset + 2,
                total - onset - 3,
                320,
                fixed("ERROR", lambda r: "ERROR:  canceling statement due to statement timeout"),
            )
        ]
    )
    vm.add(
        [
            Record(r.time, r.level, r.message, r.trailer, "postgres[1181]")
            for r in loud(
                rng,
                START,
                onset + 2,
                total - onset - 3,
                20,
                fixed(
                    "INFO",
                    lambda r: (
                        f"LOG:  checkpoint complete: wrote {r.randrange(2000, 9000)} buffers ({r.uniform(1, 9):.1f}%); 0 WAL file(s) added, 0 removed, 3 recycled; write={r.uniform(100, 270):.3f} s, sync={r.uniform(20, 95):.3f} s, total={r.uniform(200, 360):.3f} s"
                    ),
                ),
            )
        ]
    )

    status = "\n".join(
        [
            "[root@ceph-mon-1 ~]# ceph health detail",
            "HEALTH_WARN 1 daemons have recently crashed; 61 slow ops, oldest one blocked for 94 sec, daemons [osd.23,osd.41,osd.7] have slow ops.",
            "[WRN] RECENT_CRASH: 1 daemons have recently crashed",
            "    mgr.ceph-mon-2 crashed on host ceph-mon-2 at 2025-10-29T17:04:51.220114Z",
            "[WRN] SLOW_OPS: 61 slow ops, oldest one blocked for 94 sec, daemons [osd.23,osd.41,osd.7] have slow ops.",
            "",
            "[root@ceph-mon-1 ~]# ceph osd perf | sort -k2 -n -r | head -6",
            "osd  commit_latency(ms)  apply_latency(ms)",
            " 23                2841               2841",
            " 41                  14                 14",
            "  7                  11                 11",
            " 19                   4                  4",
            " 12                   3                  3",
            "",
            "[root@ceph-mon-1 ~]# ceph osd tree | grep -E 'host|osd.(7|23|41) '",
            " -3         20.95889      host ceph-osd-03",
            "  7    ssd   3.49319          osd.7             up   1.00000  1.00000",
            " -7         20.95889      host ceph-osd-07",
            " 23    ssd   3.49319          osd.23            up   1.00000  1.00000",
            " -9         20.95889      host ceph-osd-09",
            " 41    ssd   3.49319          osd.41            up   1.00000  1.00000",
            "",
            "[root@ceph-osd-07 ~]# nvme smart-log /dev/nvme2",
            "Smart Log for NVME device:nvme2 namespace-id:ffffffff",
            "critical_warning\t\t\t: 0x4",
            "temperature\t\t\t\t: 41 C",
            "available_spare\t\t\t\t: 3%",
            "available_spare_threshold\t\t: 10%",
            "percentage_used\t\t\t\t: 104%",
            "data_units_read\t\t\t\t: 2,118,811,234",
            "data_units_written\t\t\t: 3,902,117,448",
            "media_errors\t\t\t\t: 1,812",
            "num_err_log_entries\t\t\t: 2,241",
            "",
        ]
    )
    notes = "\n".join(
        [
            "Night on-call 05:00 UTC",
            "",
            "- 02:55 pages: billing DB (pg-billing-1, VM on rbd-ssd) statement timeouts, hung tasks in the VM.",
            "- Ceph shows slow ops on three OSDs. Deep-scrub was running on 2.1f around then, set noscrub/nodeep-scrub at 03:40 - no change.",
            "- The mgr crash from last Wednesday is still in health detail (not archived).",
            "",
        ]
    )
    files = {
        "notes.md": notes,
        "ceph-checks.txt": status,
        "logs/ceph-osd-07-kern.log": kern.render(),
        "logs/ceph-osd.23.log": osd23.render(),
        "logs/ceph-osd.41.log": peers.render(),
        "logs/pg-billing-1-syslog.log": vm.render(),
    }
    return Bundle(
        question="Since about 02:50 UTC the billing database VM freezes for seconds at a time and Ceph reports slow ops on three OSDs. What is the root cause?",
        category="hardware",
        component="ceph-osd-07",
        statement="The NVMe drive nvme2 in ceph-osd-07, which backs osd.23, is failing (critical_warning 0x4, 1,812 media errors, spare 3%); from about 02:50 UTC its I/O times out and hits medium errors, osd.23 commits take seconds while staying up and in, and every write with a replica on it stalls, so osd.7 and osd.41 wait for sub ops and the billing VM on rbd-ssd freezes.",
        files=files,
        proofs=[
            Proof("logs/ceph-osd-07-kern.log", "nvme nvme2: I/O 812 QID 5 timeout, aborting"),
            Proof("ceph-checks.txt", "critical_warning", "media_errors"),
        ],
        decoys=[
            "mgr.ceph-mon-2 crashed",
            "2.1f deep-scrub starts",
            "'waiting for sub ops'",
        ],
    )
