"""Ingest throughput and memory: a generated application log read into PostgreSQL end to end.

Every line carries fresh variable values (request ids, durations, users, addresses), with
a Java stack trace now and then, so nothing can be served from a cache. The pipeline is
the one `POST /v1/cases/{id}/evidence` runs: decode, read events, mine templates, match
signatures, COPY lines and events, merge templates. Prints a Markdown table.

    .venv/bin/python bench/ingest.py [--lines 1000000] [--runs 3] [--gib 0]

The generated log is ingested `--runs` times, each into a fresh database, and the median
wall time is reported (others share this machine), with the highest peak memory. `--gib N`
also generates an N GiB file and reports the peak memory of ingesting it once (the issue's
target: a 2 GiB file stays under 400 MB).
"""

import argparse
import contextlib
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from faultmaven.domain.cases import CaseCreate
from faultmaven.services import cases, evidence
from faultmaven.services.apikeys import tenant_principal
from faultmaven.services.database import open_database

LEVELS = ["INFO"] * 14 + ["WARN", "ERROR"]
TRACE = [
    "java.lang.IllegalStateException: pool exhausted after {n} ms",
    "\tat com.shop.db.Pool.take(Pool.java:{n})",
    "\tat com.shop.api.Checkout.run(Checkout.java:{m})",
    "\t... {n} more",
]


def write_log(path: Path, target_bytes: int | None, lines: int | None, seed: int = 1) -> int:
    """Write a realistic log of `lines` lines (or `target_bytes` bytes); return lines written."""
    rng = random.Random(seed)
    written = size = 0
    with path.open("w") as handle:
        while (lines is None or written < lines) and (target_bytes is None or size < target_bytes):
            second = written // 50
            hour, minute = 10 + second // 3600 % 12, second // 60 % 60
            stamp = f"2024-05-01 {hour:02d}:{minute:02d}:{second % 60:02d}"
            level = rng.choice(LEVELS)
            line = (
                f"{stamp},{rng.randrange(1000):03d} {level:5} [http-{rng.randrange(64)}] "
                f"com.shop.api.Cart - request {rng.getrandbits(48):012x}"
                f" user={rng.randrange(10**6)}"
                f" from 10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(256)}"
                f" served in {rng.randrange(2000)} ms\n"
            )
            handle.write(line)
            size += len(line)
            written += 1
            if level == "ERROR" and rng.random() < 0.2:
                for frame in TRACE:
                    text = frame.format(n=rng.randrange(1, 500), m=rng.randrange(1, 500)) + "\n"
                    handle.write(text)
                    size += len(text)
                    written += 1
    return written


def ingest(path: Path, home: Path) -> tuple[float, float, int]:
    """Ingest `path` into a fresh case; return wall seconds, CPU seconds, lines stored.

    The CPU time is this process's alone; PostgreSQL works in its own processes.
    """
    engine = open_database(None, home)
    principal = tenant_principal(engine, "bench")
    case = cases.create_case(engine, principal, CaseCreate(title="ingest benchmark"))
    options = evidence.ingest_options(None, None)
    wall, cpu = time.perf_counter(), time.process_time()
    stored = evidence.add_uploaded_evidence(
        engine,
        principal,
        case.id,
        path,
        path.name,
        options,
        spool=home / "uploads",
        max_bytes=1 << 40,
    )
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    engine.dispose()
    return wall, cpu, stored.line_count  # type: ignore[union-attr]


def ingest_measured(path: Path, home: Path) -> tuple[int, int, int, float]:
    """Ingest `path`; return this process's and its workers' peak RSS (MiB), lines, wall.

    The workers' peak is their own high-water mark, sampled while they run: the kernel's
    `ru_maxrss` of children also counts the parent's memory at the moment of the fork.
    """
    done = threading.Event()
    worker_peak = [0]

    def sample() -> None:
        while not done.wait(0.1):
            for child in psutil.Process().children(recursive=True):
                with contextlib.suppress(OSError):
                    status = Path(f"/proc/{child.pid}/status").read_text()
                    kilobytes = int(status.split("VmHWM:")[1].split()[0])
                    worker_peak[0] = max(worker_peak[0], kilobytes // 1024)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    wall, _, lines = ingest(path, home)
    done.set()
    sampler.join()
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, worker_peak[0], lines, wall


def peak_memory_of_child(path: Path) -> tuple[int, int, int, float]:
    """Ingest `path` in a child process; return its peak RSS and its worker's (MiB), lines, wall.

    Another process starts the embedded database first and keeps it running meanwhile, so
    that the measured process's only child is the event-reading worker it starts for large
    files.
    """
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "sys.path.insert(0, str(Path(sys.argv[1])))\n"
        "from ingest import ingest_measured\n"
        "if __name__ == '__main__':\n"
        "    print(*ingest_measured(Path(sys.argv[2]), Path(sys.argv[3])))\n"
    )
    keeper = (
        "import sys\n"
        "from pathlib import Path\n"
        "from faultmaven.services.database import open_database\n"
        "open_database(None, Path(sys.argv[1]))\n"
        "print('ready', flush=True)\n"
        "sys.stdin.read()\n"
    )
    with (
        tempfile.TemporaryDirectory() as home,
        subprocess.Popen(
            [sys.executable, "-c", keeper, home],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        ) as database,
    ):
        assert database.stdout is not None and database.stdout.readline() == "ready\n"
        result = subprocess.run(
            [sys.executable, "-c", code, str(Path(__file__).parent), str(path), home],
            capture_output=True,
            text=True,
            check=True,
        )
        database.communicate("")
    main_rss, worker_rss, stored, wall = result.stdout.split("\n")[-2].split()
    return int(main_rss), int(worker_rss), int(stored), round(float(wall), 1)


def main() -> None:
    """Measure and print the table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--gib", type=float, default=0.0)
    args = parser.parse_args()
    print("## Ingest into PostgreSQL (embedded, same machine)\n")
    print("| input | lines | MB | wall s | lines/s | peak RSS MiB main / worker |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "app.log"
        written = write_log(log, None, args.lines)
        runs = [peak_memory_of_child(log) for _ in range(max(1, args.runs))]
        assert all(stored == written for _, _, stored, _ in runs), (runs, written)
        wall = statistics.median(run[3] for run in runs)
        main_rss, worker_rss = max(run[0] for run in runs), max(run[1] for run in runs)
        print(
            f"| generated app log (median of {len(runs)}) | {written} |"
            f" {log.stat().st_size / 1e6:.0f} | {wall:.1f} | {written / wall:,.0f} |"
            f" {main_rss} / {worker_rss} |"
        )
        if args.gib:
            big = Path(folder) / "big.log"
            big_lines = write_log(big, int(args.gib * 2**30), None, seed=2)
            main_rss, worker_rss, stored, wall = peak_memory_of_child(big)
            assert stored == big_lines
            print(
                f"| {args.gib:g} GiB log | {big_lines} | {big.stat().st_size / 1e6:.0f} |"
                f" {wall:.1f} | {big_lines / wall:,.0f} | {main_rss} / {worker_rss} |"
            )
    print("\nTarget (issue 3): >= 100k lines/s end to end; a 2 GiB file under 400 MB peak RSS.")


if __name__ == "__main__":
    main()
