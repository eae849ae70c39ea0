# ruff: noqa: E501
# Hand-written log lines, stack frames and pasted shell output are data, kept whole on one line.
"""Single host, configuration: an Ansible hardening role run at 08:47 UTC on idx-03 added a
systemd drop-in `TasksMax=512` for catalog-indexer.service (and daemon-reloaded it; the limit
applies at once). The JVM runs about 300 threads idle and about 700 during the 09:30 full
reindex; from 09:30:14 thread creation fails with `java.lang.OutOfMemoryError: unable to create
native thread` while the heap is half empty, and the kernel logs `fork rejected by pids
controller`. The reindex aborts and search-api serves stale results. Decoys: the
OutOfMemoryError wording itself (heap is fine), search-api's stale-index warnings, and a
chrony configuration change from the same Ansible run."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from records import Journal, JsonLines, Record, SpringBoot
from scenes import at, java_trace, loud
from traffic import Line, host_traffic, traffic

START = datetime(2025, 9, 3, 8, 0, tzinfo=UTC)
ANSIBLE = 47.2
REINDEX = 90.23
MINUTES = 125


def indexer_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.55:
        return (
            "INFO",
            f"indexed batch shard={rng.randrange(16)} docs={rng.randrange(200, 1000)} took={rng.randrange(40, 400)}ms",
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            f"delta sync: {rng.randrange(0, 90)} changed products since checkpoint {rng.getrandbits(32):08x}",
            (),
        )
    if roll < 0.97:
        return (
            "INFO",
            f"GC pause (G1 Evacuation Pause) {rng.randrange(3, 40)}ms heap {rng.randrange(1400, 2900)}M->{rng.randrange(900, 1500)}M(6144M)",
            (),
        )
    return "WARN", f"product {rng.randrange(10**6)} skipped: missing category mapping", ()


def bundle() -> Bundle:
    rng = random.Random(20236)
    journal = LogFile("journal-idx-03.txt", Journal("idx-03", "systemd", 1))
    base = host_traffic(rng, START, MINUTES, 700)
    journal.add([Record(r.time, r.level, r.message, (), None) for r in base])
    programs = {id(r): r.logger for r in base}
    ansible = [
        (
            "ansible-ansible.legacy.copy",
            "Invoked with dest=/etc/chrony/chrony.conf src=/home/ansible/.ansible/tmp/ansible-tmp-1756889216.41-9912/source mode=0644 owner=root group=root backup=False force=True",
        ),
        ("systemd", "Stopping chrony.service - chrony, an NTP client/server..."),
        ("systemd", "Started chrony.service - chrony, an NTP client/server."),
        (
            "ansible-ansible.legacy.copy",
            "Invoked with dest=/etc/systemd/system/catalog-indexer.service.d/10-hardening.conf src=/home/ansible/.ansible/tmp/ansible-tmp-1756889228.77-9912/source mode=0644 owner=root group=root backup=False force=True",
        ),
        (
            "ansible-ansible.legacy.systemd",
            "Invoked with daemon_reload=True name=None state=None enabled=None force=None masked=None scope=system no_block=False",
        ),
        (
            "systemd",
            "Reloading requested from client PID 99310 ('systemctl') (unit session-4471.scope)...",
        ),
        ("systemd", "Reloading finished in 412 ms."),
    ]
    records = [
        at(START, ANSIBLE + index * 0.02, "INFO", message)
        for index, (_, message) in enumerate(ansible)
    ]
    names = {record.message: program for record, (program, _) in zip(records, ansible, strict=True)}
    kernel = [
        at(
            START,
            REINDEX + 0.003 * i + 0.01,
            "INFO",
            "cgroup: fork rejected by pids controller in /system.slice/catalog-indexer.service",
        )
        for i in range(1)
    ]
    failure = [
        at(
            START,
            REINDEX + 0.9,
            "INFO",
            "catalog-indexer.service: Main process exited, code=exited, status=1/FAILURE",
        ),
        at(
            START,
            REINDEX + 0.91,
            "INFO",
            "catalog-indexer.service: Failed with result 'exit-code'.",
        ),
        at(
            START,
            REINDEX + 0.92,
            "INFO",
            "catalog-indexer.service: Consumed 41min 12.817s CPU time.",
        ),
        at(
            START,
            REINDEX + 1.95,
            "INFO",
            "catalog-indexer.service: Scheduled restart job, restart counter is at 1.",
        ),
        at(
            START,
            REINDEX + 1.96,
            "INFO",
            "Started catalog-indexer.service - Catalog search indexer.",
        ),
    ]

    class HostJournal(Journal):
        def render(self, record: Record) -> list[str]:
            stamp = record.time.strftime("%Y-%m-%dT%H:%M:%S+0000")
            if record.message in names:
                program = names[record.message]
                tag = (
                    "systemd[1]"
                    if program == "systemd"
                    else f"ansible-{program.split('ansible-', 2)[-1]}[{99300 + len(program)}]"
                )
                return [f"{stamp} {self.host} {tag}: {record.message}"]
            if "pids controller" in record.message:
                return [f"{stamp} {self.host} kernel: {record.message}"]
            if record.message.startswith(("catalog-indexer.service", "Started catalog-indexer")):
                return [f"{stamp} {self.host} systemd[1]: {record.message}"]
            program = programs.get(id(record)) or record.logger or "systemd[1]"
            return [f"{stamp} {self.host} {program}: {record.message}"]

    journal = LogFile("journal-idx-03.txt", HostJournal("idx-03", "systemd", 1))
    journal.add(base)
    journal.add(records)
    journal.add(kernel)
    journal.add(failure)
    app = LogFile(
        "logs/catalog-indexer.log",
        SpringBoot(
            ("c.a.s.indexer.BatchIndexer", "c.a.s.indexer.DeltaSync", "c.a.s.indexer.GcMonitor"),
            pid=48210,
            rng=rng,
        ),
    )
    app.add(traffic(rng, indexer_line, START, REINDEX, 2400))
    app.add(
        [
            at(
                START,
                REINDEX - 0.2,
                "INFO",
                "full reindex started: 48 shards, parallelism=24, fetchers=384",
                (),
                "c.a.s.indexer.FullReindexJob",
            )
        ]
    )
    trace = java_trace(
        "java.lang.OutOfMemoryError: unable to create native thread: possibly out of memory or process/resource limits reached",
        [
            "java.base/java.lang.Thread.start0(Native Method)",
            "java.base/java.lang.Thread.start(Thread.java:1553)",
            "java.base/java.util.concurrent.ThreadPoolExecutor.addWorker(ThreadPoolExecutor.java:945)",
            "java.base/java.util.concurrent.ThreadPoolExecutor.execute(ThreadPoolExecutor.java:1364)",
            "com.acme.search.indexer.FullReindexJob.submitShard(FullReindexJob.java:212)",
            "com.acme.search.indexer.FullReindexJob.run(FullReindexJob.java:148)",
        ],
    )
    app.add(
        [
            at(
                START,
                REINDEX + 0.02,
                "ERROR",
                '[0.021s][warning][os,thread] Failed to start thread "Unknown thread" - pthread_create failed (EAGAIN) for attributes: stacksize: 1024k, guardsize: 0k, detached.',
                (),
                "c.a.s.indexer.FullReindexJob",
            )
        ]
    )
    app.add(
        [
            at(
                START,
                REINDEX + 0.05,
                "ERROR",
                "shard 17 fetcher pool failed to start",
                trace,
                "c.a.s.indexer.FullReindexJob",
            )
        ]
    )
    app.add(
        loud(
            rng,
            START,
            REINDEX + 0.06,
            0.8,
            160,
            lambda r: (
                "ERROR",
                f"shard {r.randrange(48)} task rejected: java.lang.OutOfMemoryError: unable to create native thread: possibly out of memory or process/resource limits reached",
                (),
            ),
        )
    )
    app.add(
        [
            at(
                START,
                REINDEX + 0.85,
                "ERROR",
                "full reindex aborted after 412 errors; index catalog_v2025_09_03 left incomplete, alias catalog unchanged",
                (),
                "c.a.s.indexer.FullReindexJob",
            ),
            at(
                START,
                REINDEX + 0.87,
                "INFO",
                "GC pause (G1 Evacuation Pause) 22ms heap 3012M->1388M(6144M)",
                (),
                "c.a.s.indexer.GcMonitor",
            ),
        ]
    )
    app.add(
        traffic(
            rng, indexer_line, START + timedelta(minutes=REINDEX + 2), MINUTES - REINDEX - 2.1, 700
        )
    )
    search = LogFile("logs/search-api.log", JsonLines("search-api", rng=rng))
    search.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"GET /search?q={r.choice(['boots', 'lamp', 'usb-c hub', 'desk', 'kettle'])} 200 hits={r.randrange(0, 300)} took_ms={r.randrange(4, 80)}",
                (),
            ),
            START,
            MINUTES,
            2500,
        )
    )
    search.add(
        loud(
            rng,
            START,
            REINDEX + 5,
            MINUTES - REINDEX - 5,
            260,
            lambda r: (
                "WARN",
                f"index freshness: alias catalog -> catalog_v2025_09_02 is {r.randrange(25, 29)}h old (threshold 24h); product {r.randrange(10**6)} price mismatch with catalog-db",
                (),
            ),
        )
    )
    notes = "\n".join(
        [
            "ops notes, idx-03, 10:10 UTC",
            "",
            "$ systemctl status catalog-indexer",
            "● catalog-indexer.service - Catalog search indexer",
            "     Loaded: loaded (/etc/systemd/system/catalog-indexer.service; enabled; preset: enabled)",
            "    Drop-In: /etc/systemd/system/catalog-indexer.service.d",
            "             └─10-hardening.conf",
            "     Active: active (running) since Wed 2025-09-03 09:32:11 UTC; 37min ago",
            "   Main PID: 51877 (java)",
            "      Tasks: 301 (limit: 512)",
            "     Memory: 3.1G (peak: 3.4G)",
            "        CPU: 6min 41.220s",
            "     CGroup: /system.slice/catalog-indexer.service",
            "             └─51877 /usr/lib/jvm/java-21-openjdk-amd64/bin/java -Xms6g -Xmx6g -XX:+UseG1GC -jar /opt/catalog-indexer/catalog-indexer.jar",
            "",
            "$ free -g",
            "               total        used        free      shared  buff/cache   available",
            "Mem:              31          11           3           0          17          19",
            "Swap:              0           0           0",
            "",
            "$ ulimit -u   (as the indexer user)",
            "127473",
            "",
            "- reindex job died with OutOfMemoryError at 09:30, heap was only ~3G of 6G. Bump -Xmx to 10g?",
            "",
        ]
    )
    return Bundle(
        question="The 09:30 full reindex on idx-03 died with OutOfMemoryError and search shows stale prices. Should we just give it more heap? What is the root cause?",
        category="configuration",
        component="catalog-indexer",
        statement="An Ansible hardening run at 08:47 UTC installed a systemd drop-in capping catalog-indexer.service at TasksMax=512; when the 09:30 full reindex started hundreds of fetcher threads, thread creation failed (pthread_create EAGAIN, 'unable to create native thread', kernel 'fork rejected by pids controller') with the heap half empty, the reindex aborted and search-api kept serving a stale index.",
        files={
            "notes.md": notes,
            "journal-idx-03.txt": journal.render(),
            "logs/catalog-indexer.log": app.render(),
            "logs/search-api.log": search.render(),
        },
        proofs=[
            Proof(
                "journal-idx-03.txt",
                "dest=/etc/systemd/system/catalog-indexer.service.d/10-hardening.conf",
            ),
            Proof("notes.md", "Tasks: 301 (limit: 512)"),
        ],
        decoys=["Bump -Xmx to 10g", "index freshness", "dest=/etc/chrony/chrony.conf"],
    )
