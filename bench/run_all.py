"""Run every benchmark, print its table, and rewrite bench/RESULTS.md with the date and machine.

Each benchmark is a script in this folder that prints Markdown to stdout.
"""

import os
import platform
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).parent
BENCHMARKS = [
    ["parsing.py"],
    ["anomaly_bgl.py"],
    ["ingest.py", "--lines", "1000000", "--gib", "2"],
    ["kb_retrieval.py"],
    ["metrics_changes.py"],
    ["kb_latency.py", "--chunks", "100000"],
    ["router.py"],
    ["diagnosis.py"],
]


def machine() -> str:
    """Describe the machine the figures were measured on."""
    memory_kib = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal:")
    )
    return (
        f"{platform.machine()}, {os.cpu_count()} cores, {memory_kib / 1024**2:.0f} GiB,"
        f" Python {platform.python_version()}, {platform.platform()}"
    )


def main() -> None:
    """Run the benchmarks in turn and record their tables."""
    sections = [
        "# Benchmark results",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {machine()} by `make bench`.",
    ]
    for script, *arguments in BENCHMARKS:
        print(f"== {script} {' '.join(arguments)}", flush=True)
        result = subprocess.run(
            [sys.executable, str(HERE / script), *arguments],
            capture_output=True,
            text=True,
            check=False,
        )
        print(result.stdout, end="")
        if result.returncode != 0:
            print(result.stderr, file=sys.stderr)
            raise SystemExit(f"{script} failed with exit code {result.returncode}")
        sections += ["", result.stdout.rstrip()]
    (HERE / "RESULTS.md").write_text("\n".join(sections) + "\n")


if __name__ == "__main__":
    main()
