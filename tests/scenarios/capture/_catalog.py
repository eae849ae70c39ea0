"""catalog-api: a small in-memory product catalogue service, run in its own process.

The nginx scenarios need an upstream that can die, stall or be flooded; running it in a
forked process lets a script kill it for real.
"""

from __future__ import annotations

import multiprocessing
import random
import time
from collections.abc import Callable
from multiprocessing.process import BaseProcess
from pathlib import Path

import _support
from _service import Handler, WebService

PRODUCTS = {n: {"id": n, "sku": f"SKU-{n:05d}", "price_cents": 100 + 7 * n} for n in range(1, 501)}


def catalog_routes(extra: dict[str, Handler] | None = None) -> dict[str, Handler]:
    """Product lookups and a simple search over the in-memory catalogue."""

    def get_product(path: str) -> object:
        return PRODUCTS[int(path.rsplit("/", 1)[1])]

    def search(path: str) -> object:
        term = path.split("q=", 1)[-1]
        return [p for p in PRODUCTS.values() if term in str(p["sku"])][:20]

    return {**(extra or {}), "/api/products/": get_product, "/api/search": search}


def catalog_path(chooser: random.Random) -> str:
    """Ordinary catalogue traffic."""
    if chooser.random() < 0.7:
        return f"/api/products/{chooser.randint(1, 500)}"
    return f"/api/search?q={chooser.randint(1, 499)}"


def serve_forever(
    name: str, port: int, log_path: Path, routes: Callable[[], dict[str, Handler]]
) -> None:
    """Process body: log to `log_path` and serve until killed."""
    logger = _support.service_logger(name, log_path)
    logger.info("%s 1.8.3 starting (pid %d)", name, multiprocessing.current_process().pid)
    WebService(name, port, logger, routes()).start()
    while True:
        time.sleep(3600)


def start_in_process(
    name: str, port: int, log_path: Path, routes: Callable[[], dict[str, Handler]] = catalog_routes
) -> BaseProcess:
    """Fork a process serving `routes` on `port`; wait until it listens."""
    process = multiprocessing.get_context("fork").Process(
        target=serve_forever, args=(name, port, log_path, routes), daemon=True
    )
    process.start()
    time.sleep(0.5)
    return process
