"""c02: two billing-worker paths lock the same account rows in opposite order: deadlocks.

Settlements debit the merchant account, then credit the customer; the refund batch that starts
mid-run updates the customer first, then the merchant. PostgreSQL detects the cycle after
deadlock_timeout and aborts one transaction (`ERROR: deadlock detected` with DETAIL lines).
Checkouts in orders-api that credit a merchant account wait behind those locks, and nginx
(proxy_read_timeout 1.5s) answers 504 for some of them: the loud misleading symptom.
"""

from __future__ import annotations

import logging
import random
import threading
import time

import _postgres
import _support
import psycopg
from _nginx import Nginx
from _service import ConnectionPool, WebService
from _shop import create_shop_database, orders_api_routes, shop_path

ACCOUNTS = """
CREATE TABLE accounts (id integer PRIMARY KEY, owner text NOT NULL, balance_cents bigint NOT NULL);
INSERT INTO accounts SELECT n, CASE WHEN n <= 4 THEN 'merchant-' || n ELSE 'customer-' || n END,
    1000000 FROM generate_series(1, 40) n;
"""


def move_money(
    connection: psycopg.Connection[tuple[object, ...]], first: int, second: int, cents: int
) -> None:
    """Debit `first` and credit `second` in one transaction, in that order."""
    with connection.transaction():
        connection.execute(
            b"UPDATE accounts SET balance_cents = balance_cents - %s WHERE id = %s", (cents, first)
        )
        time.sleep(0.1)
        connection.execute(
            b"UPDATE accounts SET balance_cents = balance_cents + %s WHERE id = %s", (cents, second)
        )


def billing_loop(
    url: str, kind: str, logger: logging.Logger, start: threading.Event, stop: threading.Event
) -> None:
    """Settlements go merchant -> customer; refunds go customer -> merchant."""
    chooser = random.Random(kind)
    start.wait()
    connection = psycopg.connect(url + "?application_name=billing-worker")
    logger.info("%s consumer started", kind)
    batch = 0
    while not stop.is_set():
        batch += 1
        merchant, customer = chooser.randint(1, 2), chooser.randint(5, 6)
        cents = chooser.randint(100, 9000)
        try:
            if kind == "settlement":
                move_money(connection, merchant, customer, cents)
            else:
                move_money(connection, customer, merchant, cents)
            logger.info(
                "%s %d applied: %d cents between accounts %d and %d",
                kind,
                batch,
                cents,
                merchant,
                customer,
            )
        except psycopg.Error:
            logger.exception("%s %d failed, will retry later", kind, batch)
        time.sleep(0.05 if kind == "settlement" else 0.08)
    connection.close()


def main() -> None:
    out = _support.bundle_dir_from_arguments(__doc__ or "")
    billing_logger = _support.service_logger("billing-worker", out / "worker.log")
    with _support.scratch_dir() as work:
        cluster = _postgres.PostgresCluster(
            work, out / "postgresql.log", {"deadlock_timeout": "2s"}
        ).start(_support.free_port())
        url = create_shop_database(cluster)
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute(ACCOUNTS.encode())
        logger = _support.service_logger("orders-api", out / "app.log")
        pool = ConnectionPool(url, 8, logger)
        routes = orders_api_routes(pool)
        routes["/api/checkout/"] = lambda path: pool.query(
            "UPDATE accounts SET balance_cents = balance_cents + 990 WHERE id = %s "
            "RETURNING balance_cents",
            (1 + int(path.split("/")[-1]) % 2,),
        )
        api_port = _support.free_port()
        api = WebService("orders-api", api_port, logger, routes).start()
        nginx = Nginx(
            work,
            out,
            upstream_name="orders_api",
            upstream_port=api_port,
            location_extra="proxy_read_timeout 1500ms;",
        ).start()
        settlements, refunds, stop = threading.Event(), threading.Event(), threading.Event()
        workers = [
            threading.Thread(
                target=billing_loop, args=(url, "settlement", billing_logger, settlements, stop)
            ),
            threading.Thread(
                target=billing_loop, args=(url, "refund", billing_logger, refunds, stop)
            ),
        ]
        for worker in workers:
            worker.start()
        settlements.set()
        traffic = _support.Traffic(nginx.port, shop_path, pause_seconds=0.05).start()
        time.sleep(12)
        refunds.set()
        time.sleep(18)
        print(f"  statuses: {dict(traffic.stop())}")
        stop.set()
        for worker in workers:
            worker.join()
        nginx.stop()
        api.stop()
        cluster.stop()
    _support.close_service_loggers()
    _support.write_expect(
        out,
        question="Some checkouts time out with 504 and billing jobs keep failing. What's going on?",
        category="database",
        component="postgres",
        statement=(
            "Settlement and refund transactions of billing-worker update the same accounts rows "
            "in opposite order, so PostgreSQL detects deadlocks and aborts one transaction each "
            "time, while other writers wait on those row locks."
        ),
        proving_lines=[
            _support.proving(
                out / "postgresql.log",
                r"ERROR:  deadlock detected",
                then=[r"DETAIL:  Process \d+ waits", r"Process \d+ waits"],
            )
        ],
        decoys=["upstream timed out", '" 504 '],
    )


if __name__ == "__main__":
    main()
