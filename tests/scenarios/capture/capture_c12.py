"""c12: Redis reaches maxmemory with the noeviction policy and refuses writes (OOM).

Redis runs with maxmemory 8mb, maxmemory-policy noeviction. A session-archiver job starts
writing 16 KB snapshots without a TTL; memory fills and Redis answers every write with
`OOM command not allowed when used memory > 'maxmemory'`. cart-api's add-to-cart and page
cache writes fail with tracebacks, nginx logs 500s. The on-call's `redis-cli INFO memory`
output is kept as captured.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import threading
import time
from pathlib import Path

import _support
from _cart import cart_path, cart_routes
from _nginx import Nginx
from _redis import RedisConnection, RedisError, RedisServer
from _service import WebService


def run_session_archiver(redis_port: int, logger: logging.Logger, stop: threading.Event) -> None:
    """Archive session snapshots into Redis (no expiry), one every 20 ms."""
    logger.info("session-archiver started: archiving closed sessions to redis")
    connection = RedisConnection(redis_port)
    snapshot = 0
    while not stop.is_set():
        snapshot += 1
        try:
            connection.command("SET", f"session:archive:{snapshot}", "s" * 16384)
            if snapshot % 50 == 0:
                logger.info("archived %d session snapshots", snapshot)
        except RedisError:
            logger.exception("could not archive session snapshot %d", snapshot)
            time.sleep(0.5)
        time.sleep(0.02)
    connection.close()


def capture_memory_info(port: int, path: Path) -> None:
    """What the on-call ran: `redis-cli INFO memory`, output as printed."""
    binary = shutil.which("redis-cli") or "/usr/bin/redis-cli"
    result = subprocess.run(
        [binary, "-p", str(port), "INFO", "memory"], capture_output=True, text=True, check=True
    )
    path.write_text(f"$ redis-cli -p {port} INFO memory\n" + result.stdout.replace("\r", ""))


def main() -> None:
    out = _support.bundle_dir_from_arguments(__doc__ or "")
    with _support.scratch_dir() as work:
        redis = RedisServer(
            work,
            out / "redis.log",
            _support.free_port(),
            "maxmemory 8mb\nmaxmemory-policy noeviction\n",
        ).start()
        logger = _support.service_logger("cart-api", out / "app.log")
        api_port = _support.free_port()
        api = WebService("cart-api", api_port, logger, cart_routes(redis.port)).start()
        nginx = Nginx(work, out, upstream_name="cart_api", upstream_port=api_port).start()
        traffic = _support.Traffic(nginx.port, cart_path, pause_seconds=0.05).start()
        time.sleep(12)
        stop = threading.Event()
        archiver = threading.Thread(
            target=run_session_archiver,
            args=(
                redis.port,
                _support.service_logger("session-archiver", out / "worker.log"),
                stop,
            ),
        )
        archiver.start()
        time.sleep(16)
        capture_memory_info(redis.port, out / "redis-info.txt")
        print(f"  statuses: {dict(traffic.stop())}")
        stop.set()
        archiver.join()
        nginx.stop()
        api.stop()
        redis.stop()
    _support.close_service_loggers()
    _support.write_expect(
        out,
        question="Add-to-cart fails for everyone and product pages error intermittently. "
        "What is going on?",
        category="memory",
        component="redis",
        statement=(
            "Redis is at its maxmemory limit with maxmemory-policy noeviction (filled by "
            "session snapshots stored without a TTL), so it rejects every write with OOM "
            "command not allowed."
        ),
        proving_lines=[
            _support.proving(
                out / "app.log",
                r"OOM command not allowed when used memory > 'maxmemory'",
            ),
            _support.proving(out / "redis-info.txt", r"^maxmemory_policy:noeviction"),
        ],
        decoys=['" 500 ', "-> 500"],
    )


if __name__ == "__main__":
    main()
