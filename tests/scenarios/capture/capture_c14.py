"""c14: inventory-api never returns a pooled connection when a reservation is rejected.

The reserve handler returns early for an out-of-stock product without giving its connection
back. Once a sale sells some products out, each rejection leaks one of the pool's 6
connections; when all are gone every request waits and fails with
`couldn't get a connection after 3.0 sec`. PostgreSQL itself stays healthy.
"""

from __future__ import annotations

import random
import time

import _postgres
import _support
from _nginx import Nginx
from _service import ConnectionPool, Handler, WebService
from _shop import create_shop_database


def inventory_routes(pool: ConnectionPool) -> dict[str, Handler]:
    """Stock lookups and reservations."""

    def stock(path: str) -> object:
        product = int(path.rsplit("/", 1)[1])
        return pool.query("SELECT id, sku, stock FROM products WHERE id = %s", (product,))

    def reserve(path: str) -> object:
        product = int(path.rsplit("/", 1)[1])
        connection = pool.get()
        row = connection.execute(b"SELECT stock FROM products WHERE id = %s", (product,)).fetchone()
        if row is None or int(str(row[0])) <= 0:
            pool.logger.warning("reservation rejected: product %d is out of stock", product)
            return {"reserved": False, "reason": "out of stock"}
        connection.execute(b"UPDATE products SET stock = stock - 1 WHERE id = %s", (product,))
        pool.put(connection)
        return {"reserved": True}

    return {"/api/stock/": stock, "/api/reserve/": reserve}


def inventory_path(chooser: random.Random) -> str:
    """Ordinary inventory traffic: stock checks and reservations."""
    product = chooser.randint(1, 500)
    if chooser.random() < 0.6:
        return f"/api/stock/{product}"
    return f"POST /api/reserve/{product}"


def main() -> None:
    out = _support.bundle_dir_from_arguments(__doc__ or "")
    with _support.scratch_dir() as work:
        cluster = _postgres.PostgresCluster(work, out / "postgresql.log").start(
            _support.free_port()
        )
        url = create_shop_database(cluster)
        logger = _support.service_logger("inventory-api", out / "app.log")
        pool = ConnectionPool(url + "?application_name=inventory-api", 6, logger, 3.0)
        api_port = _support.free_port()
        api = WebService("inventory-api", api_port, logger, inventory_routes(pool)).start()
        nginx = Nginx(work, out, upstream_name="inventory_api", upstream_port=api_port).start()
        traffic = _support.Traffic(nginx.port, inventory_path, pause_seconds=0.04).start()
        time.sleep(12)
        cluster.execute("UPDATE products SET stock = 0 WHERE id % 10 = 7", db="shop")
        time.sleep(14)
        print(f"  statuses: {dict(traffic.stop())}")
        nginx.stop()
        api.stop()
        cluster.stop()
    _support.close_service_loggers()
    _support.write_expect(
        out,
        question="inventory-api started timing out and returning 500s during the sale, but "
        "the database looks fine. Why?",
        category="connection_pool",
        component="inventory-api",
        statement=(
            "inventory-api's reserve handler does not return its pooled connection when it "
            "rejects an out-of-stock reservation, so the 6-connection pool leaks dry and "
            "requests fail waiting for a connection."
        ),
        proving_lines=[
            _support.proving(out / "app.log", r"reservation rejected: product \d+ is out of stock"),
            _support.proving(out / "app.log", r"PoolTimeout: couldn't get a connection after"),
        ],
        decoys=['" 500 ', "-> 500"],
    )


if __name__ == "__main__":
    main()
