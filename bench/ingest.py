"""Ingest throughput and memory: a generated application log read into PostgreSQL end to end.

Every line carries fresh variable values (request ids, durations, users, addresses), with
a Java stack trace now and then, so nothing can be served from a cache. The pipeline is
the one `POST /v1/cases/{id}/evidence` runs: decode, read events, mine templates, match
signatures, COPY lines and events, merge templates. Prints a Markdown table.

    .venv/bin/python bench/ingest.py [--lines 1000000] [--gib 0]

`--gib N` also generates an N GiB file and reports the peak memory of ingesting it
(the issue's target: a 2 GiB file stays under 400 MB).
"""

import argparse
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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


def peak_memory_of_child(path: Path) -> str:
    """Ingest `path` in a child process; return the peak RSS in MiB of it or of its worker.

    The event-settling worker the ingest starts for large files counts too.
    """
    code = (
        "import sys, resource, time\n"
        "from pathlib import Path\n"
        "sys.path.insert(0, str(Path(sys.argv[1])))\n"
        "from ingest import ingest\n"
        "wall, cpu, n = ingest(Path(sys.argv[2]), Path(sys.argv[3]))\n"
        "peak = max(resource.getrusage(who).ru_maxrss for who in"
        " (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))\n"
        "print(peak // 1024, n, round(wall, 1))\n"
    )
    with tempfile.TemporaryDirectory() as home:
        result = subprocess.run(
            [sys.executable, "-c", code, str(Path(__file__).parent), str(path), home],
            capture_output=True,
            text=True,
            check=True,
        )
    return result.stdout.split("\n")[-2]


def main() -> None:
    """Measure and print the table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--gib", type=float, default=0.0)
    args = parser.parse_args()
    print("## Ingest into PostgreSQL (embedded, same machine)\n")
    print("| input | lines | MB | wall s | lines/s | peak RSS MiB (largest process) |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "app.log"
        written = write_log(log, None, args.lines)
        megabytes = log.stat().st_size / 1e6
        rss, stored, wall = peak_memory_of_child(log).split()
        assert int(stored) == written, (stored, written)
        wall_s = float(wall)
        print(
            f"| generated app log | {written} | {megabytes:.0f} | {wall_s:.1f} |"
            f" {written / wall_s:,.0f} | {rss} |"
        )
        if args.gib:
            big = Path(folder) / "big.log"
            big_lines = write_log(big, int(args.gib * 2**30), None, seed=2)
            rss, stored, wall = peak_memory_of_child(big).split()
            assert int(stored) == big_lines
            print(
                f"| {args.gib:g} GiB log | {big_lines} | {big.stat().st_size / 1e6:.0f} |"
                f" {float(wall):.1f} | {big_lines / float(wall):,.0f} | {rss} |"
            )
    print("\nTarget (issue 3): >= 100k lines/s end to end; a 2 GiB file under 400 MB peak RSS.")


if __name__ == "__main__":
    main()
