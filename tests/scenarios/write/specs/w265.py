# ruff: noqa: E501
# Hand-written HBase, ZooKeeper and GC lines and notes are data, kept whole on one line.
"""HBase, a region server's stop-the-world pause longer than its ZooKeeper session: on 11 August
hb-rs-04's heap was raised from 16 GB to 48 GB (hbase-env.sh) but it kept CMS; under the 03:00
UTC compaction load CMS hits a concurrent mode failure and a 47 s full GC at 03:14, longer than
the 40 s ZooKeeper session. The session expires, the master reassigns its regions and the
region server aborts. Loud: ingest's RetriesExhausted and NotServingRegion errors, the master's
region-in-transition lines. Decoys: zk-2's slow fsync warning, HDFS slow-write warnings, and the
master's balancer warning."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import Log4j
from scenes import at, fixed, loud
from traffic import traffic, worker

START = datetime(2024, 8, 12, 2, 20, tzinfo=UTC)
MINUTES = 150.0
PAUSE = 54.0
RS = "hb-rs-04.data.internal,16020,1723370411021"


def rs_line(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    roll = rng.random()
    region = f"events,{rng.getrandbits(32):08x},{rng.randrange(1723000000000, 1723300000000)}.{rng.getrandbits(128):032x}."
    if roll < 0.35:
        return (
            "INFO",
            f"Flushed memstore data size={rng.randrange(40, 130)}.{rng.randrange(10)} M for {region[:40]}..., sequenceid={rng.randrange(10**8)}, compaction requested=true",
            (),
        )
    if roll < 0.6:
        return (
            "INFO",
            f"Completed compaction of {rng.randrange(3, 9)} (all) file(s) in cf of {region[:40]}... into {rng.getrandbits(128):032x}(size={rng.randrange(100, 900)}.{rng.randrange(10)} M), total size for store is {rng.randrange(2, 9)}.{rng.randrange(10)} G",
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            f"Rolled WAL /hbase/WALs/{RS}/hb-rs-04.data.internal%2C16020%2C1723370411021.{rng.randrange(1723420000000, 1723430000000)} with entries={rng.randrange(1000, 90000)}, filesize={rng.randrange(60, 128)} MB",
            (),
        )
    if roll < 0.95:
        return (
            "DEBUG",
            f"Total=({rng.randrange(3, 9)}.{rng.randrange(10)} GB), free=({rng.randrange(1, 3)}.{rng.randrange(10)} GB), max=9.6 GB, blockCount={rng.randrange(10**5, 10**6)}, accesses={rng.randrange(10**7, 10**8)}, hits={rng.randrange(10**7)}, hitRatio=9{rng.randrange(10)}.{rng.randrange(100)}%",
            (),
        )
    return (
        "WARN",
        f"Slow BlockReceiver write packet to mirror took {rng.randrange(300, 900)}ms (threshold=300ms), downstream DNs=[10.50.2.{rng.randrange(11, 19)}:9866]",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(26509)
    rs = LogFile(
        "logs/hb-rs-04.log",
        Log4j(
            (
                "regionserver.HRegion",
                "regionserver.CompactSplit",
                "wal.AbstractFSWAL",
                "hfile.LruBlockCache",
                "hdfs.DataStreamer",
            ),
            "RS_OPEN_REGION-regionserver/hb-rs-04:16020",
            rng,
        ),
    )
    rs.add(traffic(rng, rs_line, START, PAUSE + 0.2, 1800))
    rs.add(
        [
            at(
                START,
                PAUSE + 0.79,
                "WARN",
                "Detected pause in JVM or host machine (eg GC): pause of approximately 47123ms",
                (
                    "GC pool 'ParNew' had collection(s): count=1 time=212ms",
                    "GC pool 'ConcurrentMarkSweep' had collection(s): count=1 time=47311ms",
                ),
                "util.JvmPauseMonitor",
            ),
            at(
                START,
                PAUSE + 0.8,
                "INFO",
                "Client session timed out, have not heard from server in 47890ms for session id 0x20000a31c7f0041, closing socket connection and attempting reconnect",
                logger="zookeeper.ClientCnxn",
            ),
            at(
                START,
                PAUSE + 0.82,
                "WARN",
                "Unable to reconnect to ZooKeeper service, session 0x20000a31c7f0041 has expired",
                logger="zookeeper.ClientCnxn",
            ),
            at(
                START,
                PAUSE + 0.83,
                "ERROR",
                f"***** ABORTING region server {RS}: regionserver:16020-0x20000a31c7f0041, quorum=zk-1:2181,zk-2:2181,zk-3:2181, baseZNode=/hbase regionserver:16020-0x20000a31c7f0041 received expired from ZooKeeper, aborting *****",
                (
                    "org.apache.zookeeper.KeeperException$SessionExpiredException: KeeperErrorCode = Session expired",
                    "\tat org.apache.hadoop.hbase.zookeeper.ZKWatcher.connectionEvent(ZKWatcher.java:615)",
                    "\tat org.apache.hadoop.hbase.zookeeper.ZKWatcher.process(ZKWatcher.java:530)",
                    "\tat org.apache.zookeeper.ClientCnxn$EventThread.processEvent(ClientCnxn.java:535)",
                    "\tat org.apache.zookeeper.ClientCnxn$EventThread.run(ClientCnxn.java:510)",
                ),
                "regionserver.HRegionServer",
            ),
            at(
                START,
                PAUSE + 0.9,
                "INFO",
                f"***** STOPPING region server '{RS}' *****",
                logger="regionserver.HRegionServer",
            ),
            at(
                START,
                PAUSE + 1.4,
                "INFO",
                f"Exiting; stopping={RS}; zookeeper connection closed.",
                logger="regionserver.HRegionServer",
            ),
        ]
    )
    gc = "\n".join(
        [
            'Java HotSpot(TM) 64-Bit Server VM (25.381-b09) for linux-amd64 JRE (1.8.0_381-b09), built on Jun 14 2023 10:56:43 by "java_re" with gcc 10.3.0',
            "Memory: 4k page, physical 131828312k(9127744k free), swap 0k(0k free)",
            "CommandLine flags: -XX:CMSInitiatingOccupancyFraction=70 -XX:InitialHeapSize=51539607552 -XX:MaxHeapSize=51539607552 -XX:MaxNewSize=15032385536 -XX:NewSize=15032385536 -XX:+PrintGC -XX:+PrintGCDateStamps -XX:+PrintGCDetails -XX:+UseCMSInitiatingOccupancyOnly -XX:+UseConcMarkSweepGC -XX:+UseParNewGC",
            "...",
            "2024-08-12T03:13:36.402+0000: 62005.118: [GC (CMS Initial Mark) [1 CMS-initial-mark: 33410221K(35651584K)] 35012311K(50331648K), 0.3104112 secs] [Times: user=1.18 sys=0.02, real=0.31 secs]",
            "2024-08-12T03:13:36.713+0000: 62005.429: [CMS-concurrent-mark-start]",
            "2024-08-12T03:13:57.880+0000: 62026.596: [GC (Allocation Failure) 2024-08-12T03:13:57.880+0000: 62026.596: [ParNew: 14155776K->14155776K(14680064K), 0.0000312 secs]2024-08-12T03:13:57.880+0000: 62026.596: [CMS2024-08-12T03:13:58.091+0000: 62026.807: [CMS-concurrent-mark: 21.166/21.378 secs] [Times: user=71.14 sys=1.92, real=21.38 secs]",
            " (concurrent mode failure): 35190112K->21004418K(35651584K), 47.3110261 secs] 49345888K->21004418K(50331648K), [Metaspace: 81221K->81221K(1124352K)], 47.3112120 secs] [Times: user=47.02 sys=0.31, real=47.31 secs]",
            "",
        ]
    )
    master = LogFile(
        "logs/hbase-master.log",
        Log4j(
            (
                "master.HMaster",
                "master.ServerManager",
                "assignment.AssignmentManager",
                "balancer.StochasticLoadBalancer",
            ),
            "master/hb-master-1:16000",
            rng,
        ),
    )
    master.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                r.choice(
                    [
                        f"Skipping load balancing because balanced cluster; total cost={r.random() * 40:.2f}, sum multiplier={r.randrange(500, 600)}.0; cost={r.random() / 20:.4f} <= threshold=0.05",
                        "Found 0 regions in transition",
                        f"Cleaned {r.randrange(0, 40)} old WAL file(s) from /hbase/oldWALs",
                    ]
                ),
                (),
            ),
            START,
            MINUTES,
            700,
        )
    )
    master.add(
        [
            at(
                START,
                PAUSE + 0.55,
                "INFO",
                f"RegionServer ephemeral node deleted, processing expiration [{RS}]",
                logger="zookeeper.RegionServerTracker",
            ),
            at(
                START,
                PAUSE + 0.56,
                "INFO",
                f"Processing expiration of {RS} on hb-master-1.data.internal,16000,1723190001777",
                logger="master.ServerManager",
            ),
            at(
                START,
                PAUSE + 0.6,
                "INFO",
                f"Splitting WALs pid=88412, state=RUNNABLE:SERVER_CRASH_SPLIT_LOGS, locked=true; ServerCrashProcedure server={RS}, splitWal=true, meta=false",
                logger="procedure.ServerCrashProcedure",
            ),
            at(
                START,
                18.0,
                "WARN",
                "Not running balancer because processing dead regionserver(s): [hb-rs-02.data.internal,16020,1723099120455]",
                logger="balancer.StochasticLoadBalancer",
            ),
        ]
    )
    master.add(
        loud(
            rng,
            START,
            PAUSE + 0.7,
            9,
            140,
            fixed(
                "INFO",
                lambda r: (
                    f"Region events,{r.getrandbits(32):08x},{r.randrange(1723000000000, 1723300000000)}.{r.getrandbits(64):016x}. in transition: state=OPENING, ts={r.randrange(1723432000000, 1723432600000)}, server=hb-rs-0{r.choice([1, 2, 3, 5, 6])}.data.internal,16020,1723370{r.randrange(100000, 999999)}"
                ),
            ),
        )
    )
    zk = LogFile(
        "logs/zk-2.log",
        Log4j(
            (
                "server.NIOServerCnxn",
                "server.ZooKeeperServer",
                "server.SyncRequestProcessor",
                "server.persistence.FileTxnLog",
            ),
            "NIOWorkerThread",
            rng,
        ),
    )
    zk.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                r.choice(
                    [
                        f"Expiring session 0x{r.getrandbits(52):013x}, timeout of 40000ms exceeded"
                        if r.random() < 0.02
                        else f"Processing stat command from /10.50.{r.randrange(1, 4)}.{r.randrange(2, 250)}:{r.randrange(30000, 60000)}",
                        f"Creating new log file: log.{r.getrandbits(36):09x}",
                        f"Committing global session 0x{r.getrandbits(52):013x}",
                    ]
                ),
                (),
            ),
            START,
            MINUTES,
            900,
        )
    )
    zk.add(
        [
            at(
                START,
                PAUSE + 0.52,
                "INFO",
                "Expiring session 0x20000a31c7f0041, timeout of 40000ms exceeded",
                logger="server.ZooKeeperServer",
            ),
            at(
                START,
                29.0,
                "WARN",
                "fsync-ing the write ahead log in SyncThread:2 took 1204ms which will adversely effect operation latency.File size is 67108880 bytes. See the ZooKeeper troubleshooting guide",
                logger="server.persistence.FileTxnLog",
            ),
        ]
    )
    ingest = LogFile(
        "logs/ingest.log",
        Log4j(("com.acme.ingest.EventWriter", "com.acme.ingest.Consumer"), "ingest-writer", rng),
    )
    ingest.add(traffic(rng, worker("ingest", ["clicks", "views", "orders"]), START, MINUTES, 2800))
    ingest.add(
        loud(
            rng,
            START,
            PAUSE + 0.6,
            14,
            500,
            fixed(
                "ERROR",
                lambda r: (
                    f"batch {r.randrange(10**6)} failed: org.apache.hadoop.hbase.client.RetriesExhaustedWithDetailsException: Failed {r.randrange(50, 2000)} actions: org.apache.hadoop.hbase.NotServingRegionException: events,{r.getrandbits(32):08x},{r.randrange(1723000000000, 1723300000000)}.{r.getrandbits(64):016x}. is not online on {RS}: {r.randrange(200, 900)} times, servers with issues: hb-rs-04.data.internal,16020,1723370411021"
                ),
            ),
        )
    )
    ingest.add(
        loud(
            rng,
            START,
            PAUSE + 3,
            MINUTES - PAUSE - 4,
            120,
            fixed(
                "WARN",
                lambda r: (
                    f"consumer lag on clicks partition {r.randrange(48)}: {r.randrange(10**5, 10**7)} messages"
                ),
            ),
        )
    )
    notes = "\n".join(
        [
            "hbase incident 12 Aug — summary from the night on-call",
            "",
            "- 03:14 UTC hb-rs-04 died, ~900 regions reassigned, ingest failed ~15 min and is still catching up.",
            "- zk-2 logged a slow fsync earlier in the night; ZooKeeper suspected.",
            "- Capacity change 11 Aug (CHG-6120): region server heap 16g -> 48g on hb-rs-04 as a pilot, hbase-env.sh pushed by hand.",
            "- GC log excerpt from hb-rs-04 in gc-hb-rs-04.log.",
            "",
        ]
    )
    return Bundle(
        question="hb-rs-04 aborted at 03:14 UTC and ingest failed for a quarter of an hour. Was it ZooKeeper? What is the root cause?",
        category="memory",
        component="hb-rs-04",
        statement="hb-rs-04's heap had been raised to 48 GB on CMS; at 03:13:57 UTC a concurrent mode failure caused a 47 s full GC, longer than the 40 s ZooKeeper session, so its session expired, its regions were reassigned to other servers and it aborted, failing ingest's writes until the regions reopened.",
        files={
            "notes.md": notes,
            "gc-hb-rs-04.log": gc,
            "logs/hb-rs-04.log": rs.render(),
            "logs/hbase-master.log": master.render(),
            "logs/zk-2.log": zk.render(),
            "logs/ingest.log": ingest.render(),
        },
        proofs=[
            Proof("gc-hb-rs-04.log", "(concurrent mode failure)"),
            Proof(
                "logs/hb-rs-04.log",
                "Detected pause in JVM or host machine",
                "GC pool 'ConcurrentMarkSweep'",
            ),
        ],
        decoys=[
            "fsync-ing the write ahead log in SyncThread:2",
            "Slow BlockReceiver write packet",
            "Not running balancer because processing dead regionserver",
        ],
    )
