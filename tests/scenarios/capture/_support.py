"""Shared pieces of the capture scripts: the command line, bundle files, proving lines, traffic.

A capture script starts real programs, drives ordinary traffic, injects one fault, lets the
symptoms pile up and then calls `write_expect` with line numbers found by searching the files
the programs wrote. Nothing here knows about any one scenario.
"""

from __future__ import annotations

import argparse
import http.client
import json
import logging
import random
import re
import shutil
import socket
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

BUNDLE_IDS = [f"c{number:02d}" for number in range(1, 19)]
HELD_OUT_SEED = 1125
HELD_OUT_IDS = frozenset(random.Random(HELD_OUT_SEED).sample(BUNDLE_IDS, 5))

SERVICE_LOG_FORMAT = "%(asctime)s %(levelname)s [%(name)s] %(message)s"


def bundle_dir_from_arguments(description: str) -> Path:
    """Parse `--out DIR`, empty that folder and return it."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--out", type=Path, required=True, help="bundle folder to (re)write")
    out: Path = parser.parse_args().out.resolve()
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    return out


@contextmanager
def scratch_dir() -> Iterator[Path]:
    """A private temporary folder for configs, data folders and sockets, removed afterwards."""
    path = Path(tempfile.mkdtemp(prefix="fm-capture-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def service_logger(name: str, path: Path, level: int = logging.INFO) -> logging.Logger:
    """A logger that writes one service's log file the way a small Python service would."""
    logger = logging.getLogger(name)
    logger.handlers.clear()
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter(SERVICE_LOG_FORMAT))
    logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False
    return logger


def close_service_loggers() -> None:
    """Flush and close every file handler so line numbers are read from complete files."""
    for logger in logging.Logger.manager.loggerDict.values():
        if isinstance(logger, logging.Logger):
            for handler in logger.handlers:
                handler.flush()
                handler.close()


@dataclass(frozen=True)
class ProvingLines:
    """An inclusive 1-based line range of one evidence file."""

    evidence_name: str
    line_start: int
    line_end: int


def read_lines(path: Path) -> list[str]:
    """The physical lines of a file as CONTRACTS.md section 1 numbers them."""
    return path.read_text(encoding="utf-8", errors="replace").splitlines()


def find_line(path: Path, pattern: str, *, after: int = 0) -> int:
    """The 1-based number of the first line after line `after` matching `pattern`."""
    regex = re.compile(pattern)
    for number, line in enumerate(read_lines(path), start=1):
        if number > after and regex.search(line):
            return number
    raise LookupError(f"no line of {path.name} after {after} matches {pattern!r}")


def count_lines(path: Path, pattern: str) -> int:
    """How many lines of a file match `pattern`."""
    regex = re.compile(pattern)
    return sum(1 for line in read_lines(path) if regex.search(line))


def proving(path: Path, pattern: str, *, then: Sequence[str] = (), after: int = 0) -> ProvingLines:
    """The first line matching `pattern`, extended over the lines matching `then` that follow it.

    `then` lists patterns that must each match the next line in turn (e.g. the DETAIL and
    HINT lines of a PostgreSQL error), so the range covers one whole logged event.
    """
    start = find_line(path, pattern, after=after)
    lines = read_lines(path)
    end = start
    for follow in then:
        if end < len(lines) and re.search(follow, lines[end]):
            end += 1
        else:
            raise LookupError(f"line {end + 1} of {path.name} does not match {follow!r}")
    return ProvingLines(path.name, start, end)


def write_expect(
    out: Path,
    *,
    question: str,
    category: str,
    component: str,
    statement: str,
    proving_lines: Sequence[ProvingLines],
    decoys: Sequence[str],
) -> None:
    """Write expect.json after checking every decoy really occurs in the bundle.

    Empty files are removed first: an empty upload is refused, and an empty log proves nothing.
    """
    for path in list(out.iterdir()):
        if path.stat().st_size == 0:
            path.unlink()
    evidence = "\n".join(
        path.read_text(encoding="utf-8", errors="replace")
        for path in sorted(out.iterdir())
        if path.name != "expect.json"
    )
    for decoy in decoys:
        if decoy not in evidence:
            raise LookupError(f"decoy {decoy!r} does not occur in the captured evidence")
    document = {
        "question": question,
        "category": category,
        "component": component,
        "statement": statement,
        "proving_lines": [
            {"evidence_name": p.evidence_name, "line_start": p.line_start, "line_end": p.line_end}
            for p in proving_lines
        ],
        "decoys": list(decoys),
        "source": "captured",
        "held_out": out.name in HELD_OUT_IDS,
    }
    (out / "expect.json").write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    files = sorted(out.iterdir())
    total_lines = sum(len(read_lines(path)) for path in files)
    total_bytes = sum(path.stat().st_size for path in files)
    print(f"{out}: " + ", ".join(f"{p.name} {len(read_lines(p))}" for p in files))
    if not 2_000 <= total_lines <= 20_000 or total_bytes > 1_600_000:
        print(f"  WARNING: {total_lines} lines, {total_bytes} bytes: outside the bundle budget")


@dataclass
class Traffic:
    """Clients sending HTTP requests to one address until stopped; counts the statuses seen.

    `paths` picks each request: a path for a GET, or `"POST " + path` for a POST.
    """

    port: int
    paths: Callable[[random.Random], str]
    clients: int = 4
    pause_seconds: float = 0.01
    timeout_seconds: float = 10.0
    user_agent: str = "shop-web/2.3 (+checkout)"

    def __post_init__(self) -> None:
        self.statuses: Counter[str] = Counter()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()

    def start(self) -> Traffic:
        """Start the client threads."""
        for client in range(self.clients):
            thread = threading.Thread(target=self._run, args=(client,), daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> Counter[str]:
        """Stop the clients, wait for them and return the statuses seen."""
        self._stop.set()
        for thread in self._threads:
            thread.join(self.timeout_seconds + 5)
        return self.statuses

    def _run(self, client: int) -> None:
        chooser = random.Random(client * 7919)
        while not self._stop.is_set():
            status = self._request(self.paths(chooser))
            with self._lock:
                self.statuses[status] += 1
            time.sleep(self.pause_seconds)

    def _request(self, path: str) -> str:
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=self.timeout_seconds
        )
        try:
            method = "POST" if path.startswith("POST ") else "GET"
            connection.request(
                method,
                path.removeprefix("POST "),
                body=b"{}" if method == "POST" else None,
                headers={"User-Agent": self.user_agent, "Content-Type": "application/json"},
            )
            response = connection.getresponse()
            response.read()
            return str(response.status)
        except (OSError, http.client.HTTPException) as error:
            return type(error).__name__
        finally:
            connection.close()


def run_traffic(traffic: Traffic, seconds: float) -> Counter[str]:
    """Run `traffic` for `seconds` and return the statuses it saw."""
    traffic.start()
    time.sleep(seconds)
    statuses = traffic.stop()
    print(f"  traffic for {seconds:.0f}s: {dict(statuses)}")
    return statuses
