# ruff: noqa: E501
# journald, Celery and JVM lines and the pasted /proc output are data, kept whole on one line.
"""Host, strict overcommit from a hardening baseline: the CIS state applied by Salt to
etl-worker-04 at 01:05 UTC added /etc/sysctl.d/60-cis-hardening.conf with
`vm.overcommit_memory = 2` and `vm.overcommit_ratio = 50`. The host has 64 GB RAM and no swap,
so the commit limit is about 32 GB, while the nightly ETL (Celery prefork workers and Spark
drivers that reserve large heaps) commits far more address space than it touches. From the
02:00 batch, forks and JVM starts fail with ENOMEM although 40 GB is free. Loud: Celery task
failures, JVM "insufficient memory" exits, a late warehouse load. Decoys: a perf sample-rate
kernel message, a broker reconnect, and a disk usage warning on /data."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from records import PythonLogging, Record
from scenes import at, fixed, loud, python_traceback
from traffic import host_traffic, traffic, worker

START = datetime(2026, 11, 10, 0, 20, tzinfo=UTC)  # 01:20 CET
MINUTES = 200.0
SALT = 45.0  # 01:05 UTC
BATCH = 100.0  # 02:00 UTC


def bundle() -> Bundle:
    rng = random.Random(58210)
    host = host_traffic(rng, START, MINUTES, 700)
    host += [
        at(
            START,
            12.0,
            "INFO",
            "perf: interrupt took too long (2510 > 2500), lowering kernel.perf_event_max_sample_rate to 79500",
            logger="kernel",
        ),
        at(
            START,
            SALT,
            "INFO",
            "[INFO    ] Executing state file.managed for [/etc/sysctl.d/60-cis-hardening.conf]",
            logger="salt-minion[1733]",
        ),
        at(
            START,
            SALT + 0.01,
            "INFO",
            "[INFO    ] File changed: New file",
            logger="salt-minion[1733]",
        ),
        at(
            START,
            SALT + 0.02,
            "INFO",
            "[INFO    ] Executing command 'sysctl --system' in directory '/root'",
            logger="salt-minion[1733]",
        ),
        at(
            START,
            SALT + 0.03,
            "INFO",
            "* Applying /etc/sysctl.d/60-cis-hardening.conf ...",
            logger="sysctl[880112]",
        ),
        at(START, SALT + 0.04, "INFO", "kernel.randomize_va_space = 2", logger="sysctl[880112]"),
        at(START, SALT + 0.05, "INFO", "fs.suid_dumpable = 0", logger="sysctl[880112]"),
        at(START, SALT + 0.06, "INFO", "vm.overcommit_memory = 2", logger="sysctl[880112]"),
        at(START, SALT + 0.07, "INFO", "vm.overcommit_ratio = 50", logger="sysctl[880112]"),
        at(
            START,
            SALT + 0.08,
            "INFO",
            "net.ipv4.conf.all.accept_redirects = 0",
            logger="sysctl[880112]",
        ),
        at(
            START,
            SALT + 0.2,
            "INFO",
            "[INFO    ] Completed state [cis_baseline.sysctl] at time 01:05:12.804119 (duration_in_ms=188.47)",
            logger="salt-minion[1733]",
        ),
        at(
            START,
            70.0,
            "WARN",
            "/data usage 83% (threshold 80%) on etl-worker-04",
            logger="node-disk-check[882001]",
        ),
    ]
    host += traffic(
        rng,
        lambda r: (
            "ERROR",
            "fork: Cannot allocate memory"
            if r.random() < 0.6
            else f"(etl) ERROR chdir failed: Cannot allocate memory (pid {r.randrange(900000, 999999)})",
            (),
        ),
        START + timedelta(minutes=BATCH + 1),
        MINUTES - BATCH - 2,
        60,
        logger="CRON[0]",
    )
    journal = "".join(
        f"{r.time.strftime('%Y-%m-%dT%H:%M:%S+0000')} etl-worker-04 {r.logger}: {r.message}\n"
        for r in sorted(host, key=lambda r: r.time)
    )
    journal = journal.replace("CRON[0]", "CRON[931102]").replace(" kernel: ", " kernel: ")
    celery = LogFile("etl-worker-04/celery-worker.log", CeleryFormat(rng))
    celery.add(
        traffic(
            rng,
            worker("etl-worker-04", ["extract.orders", "extract.crm", "transform.daily"]),
            START,
            MINUTES,
            2600,
        )
    )
    celery.add(
        [
            at(
                START,
                28.0,
                "WARN",
                "consumer: Connection to broker lost. Trying to re-establish the connection... (reconnected to amqp://etl@mq-etl-01:5672// after 1.2s)",
            )
        ]
    )

    def enomem(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
        task = r.choice(
            [
                "etl.tasks.extract_orders",
                "etl.tasks.transform_daily",
                "etl.tasks.load_partition",
                "etl.tasks.spark_aggregate",
            ]
        )
        return (
            "ERROR",
            f"Task {task}[{r.getrandbits(64):016x}-{r.getrandbits(32):08x}] raised unexpected: OSError(12, 'Cannot allocate memory')",
            tuple(
                python_traceback(
                    [
                        (
                            "/opt/etl/venv/lib/python3.11/site-packages/celery/app/trace.py",
                            453,
                            "trace_task",
                            "R = retval = fun(*args, **kwargs)",
                        ),
                        (
                            "/opt/etl/etl/tasks.py",
                            212,
                            "spark_aggregate",
                            "proc = subprocess.run(cmd, check=True, capture_output=True)",
                        ),
                        (
                            "/usr/lib/python3.11/subprocess.py",
                            1026,
                            "__init__",
                            "self._execute_child(args, executable, preexec_fn, close_fds,",
                        ),
                        (
                            "/usr/lib/python3.11/subprocess.py",
                            1885,
                            "_execute_child",
                            "self.pid = _fork_exec(",
                        ),
                    ],
                    "OSError: [Errno 12] Cannot allocate memory",
                )
            ),
        )

    celery.add(loud(rng, START, BATCH + 0.5, MINUTES - BATCH - 1, 240, enomem))
    celery.add(
        loud(
            rng,
            START,
            BATCH + 0.5,
            MINUTES - BATCH - 1,
            120,
            fixed(
                "ERROR",
                lambda r: (
                    f"Task etl.tasks.spark_aggregate[{r.getrandbits(64):016x}] raised unexpected: CalledProcessError(1, ['spark-submit', '--driver-memory', '8g', 'aggregate_{r.choice(['orders', 'sessions', 'stock'])}.py']) stderr: 'Error occurred during initialization of VM\\nCould not reserve enough space for object heap'"
                ),
            ),
        )
    )
    hs = "\n".join(
        [
            "#",
            "# There is insufficient memory for the Java Runtime Environment to continue.",
            "# Native memory allocation (mmap) failed to map 8589934592 bytes for committing reserved memory.",
            "# Possible reasons:",
            "#   The system is out of physical RAM or swap space",
            "#   The process is running with CompressedOops enabled, and the Java Heap may be blocking the growth of the native heap",
            "# Possible solutions:",
            "#   Reduce memory load on the system",
            "#   Increase physical memory or swap space",
            "#   Check if swap backing store is full",
            "#   Decrease Java heap size (-Xmx/-Xms)",
            "#",
            "#  Out of Memory Error (os_linux.cpp:2783), pid=918224, tid=918225",
            "#",
            "# JRE version:  (17.0.12+7) (build )",
            "# Java VM: OpenJDK 64-Bit Server VM (17.0.12+7-Debian-1deb12u1, mixed mode, sharing, tiered, compressed oops, compressed class ptrs, g1 gc, linux-amd64)",
            '# Core dump will be written. Default location: Core dumps may be processed with "/usr/lib/systemd/systemd-coredump %P %u %g %s %t %c %h" (or dumping to /opt/etl/work/core.918224)',
            "#",
            "",
            "---------------  S U M M A R Y ------------",
            "",
            "Command Line: -Xmx8g -XX:+UseG1GC org.apache.spark.deploy.SparkSubmit --driver-memory 8g aggregate_orders.py",
            "",
            "Host: AMD EPYC 7R13 Processor, 16 cores, 62G, Debian GNU/Linux 12 (bookworm)",
            "Time: Tue Nov 10 02:03:41 2026 UTC elapsed time: 0.011877 seconds (0d 0h 0m 0s)",
            "",
            "---------------  S Y S T E M  ---------------",
            "",
            "/proc/meminfo:",
            "MemTotal:       65023412 kB",
            "MemFree:        39110236 kB",
            "MemAvailable:   41877540 kB",
            "SwapTotal:             0 kB",
            "SwapFree:              0 kB",
            "CommitLimit:    32511704 kB",
            "Committed_AS:   32498112 kB",
            "",
            "/proc/sys/vm/overcommit_memory: 2",
            "/proc/sys/vm/overcommit_ratio: 50",
            "",
        ]
    )
    loader = LogFile("dwh-loader/loader.log", PythonLogging(("dwh.loader", "dwh.sla"), rng))
    loader.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"partition {r.choice(['orders', 'crm', 'stock'])}/dt=2026-11-09/h={r.randrange(24):02d} loaded ({r.randrange(10**4, 10**6)} rows)",
                (),
            ),
            START,
            BATCH,
            500,
        )
    )
    loader.add(
        loud(
            rng,
            START,
            BATCH + 30,
            MINUTES - BATCH - 31,
            40,
            fixed(
                "WARN",
                lambda r: (
                    f"SLA at risk: daily_{r.choice(['orders', 'sessions', 'stock'])} not ready, {r.randrange(3, 60)} of 64 upstream partitions missing (source etl-worker-04)"
                ),
            ),
        )
    )
    return Bundle(
        question="Tonight's ETL batch on etl-worker-04 failed from 02:00 UTC with 'Cannot allocate memory' errors, but the host shows about 40 GB free. Nothing changed in the ETL code. What is the root cause?",
        category="memory",
        component="etl-worker-04",
        statement="The CIS baseline applied by Salt at 01:05 UTC set vm.overcommit_memory = 2 with vm.overcommit_ratio = 50 on etl-worker-04 (64 GB, no swap), capping committed memory at about 32 GB; the 02:00 batch's forks and JVM heap reservations exceed that commit limit and fail with ENOMEM although most RAM is free.",
        files={
            "etl-worker-04/journalctl.txt": journal,
            "etl-worker-04/celery-worker.log": celery.render(),
            "etl-worker-04/hs_err_pid918224.log": hs,
            "dwh-loader/loader.log": loader.render(),
        },
        proofs=[
            Proof(
                "etl-worker-04/journalctl.txt",
                "sysctl[880112]: vm.overcommit_memory = 2",
                "vm.overcommit_ratio = 50",
            ),
            Proof(
                "etl-worker-04/hs_err_pid918224.log",
                "CommitLimit:    32511704 kB",
                "Committed_AS:   32498112 kB",
            ),
        ],
        decoys=[
            "perf: interrupt took too long",
            "Connection to broker lost",
            "/data usage 83%",
        ],
    )


class CeleryFormat:
    """Celery's worker log: `[2026-11-10 02:00:01,123: ERROR/ForkPoolWorker-7] message`."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def render(self, record: Record) -> list[str]:
        stamp = (
            record.time.strftime("%Y-%m-%d %H:%M:%S,") + f"{record.time.microsecond // 1000:03d}"
        )
        level = {"WARN": "WARNING"}.get(record.level, record.level)
        process = (
            "MainProcess"
            if "broker" in record.message
            else f"ForkPoolWorker-{self.rng.randrange(1, 17)}"
        )
        return [f"[{stamp}: {level}/{process}] {record.message}", *record.trailer]
