"""c07: a partner feed starts sending bad records; import-worker's inserts violate constraints.

import-worker loads partner order files into `orders` (unique external_ref, foreign key to
customers). From one file on, the feed repeats already-imported references and names customers
that do not exist: PostgreSQL rejects the rows (unique and foreign-key violations with DETAIL
lines), the worker logs tracebacks, retries, and its import lag grows. orders-api and nginx
carry on serving ordinary traffic.
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

EXTERNAL_REF = "ALTER TABLE orders ADD COLUMN external_ref text UNIQUE"
INSERT = (
    b"INSERT INTO orders (customer_id, status, total_cents, external_ref) "
    b"VALUES (%s, 'paid', %s, %s)"
)


def feed_records(file_number: int, bad: bool, chooser: random.Random) -> list[tuple[int, int, str]]:
    """One partner file: (customer_id, total_cents, external_ref) rows."""
    records = []
    for row in range(40):
        reference = f"PX-{file_number:05d}-{row:03d}"
        customer = chooser.randint(1, 2000)
        if bad and file_number % 2 and row % 7 == 3:
            reference = f"PX-{file_number - 3:05d}-{row:03d}"
        elif bad and file_number % 2 == 0 and row % 11 == 2:
            customer = 20000 + chooser.randint(1, 999)
        records.append((customer, chooser.randint(500, 90000), reference))
    return records


def run_import_worker(
    url: str, logger: logging.Logger, bad_from: threading.Event, stop: threading.Event
) -> None:
    """Load one feed file per tick, each in one transaction; a failed file is retried later."""
    chooser = random.Random(7)
    connection = psycopg.connect(url + "?application_name=import-worker")
    logger.info("import-worker started: watching sftp://partner-feed/outbox every 0.5s")
    file_number, lag = 1200, 0
    while not stop.is_set():
        file_number += 1
        name = f"orders-20261125-{file_number}.csv"
        records = feed_records(file_number, bad_from.is_set(), chooser)
        try:
            with connection.transaction():
                for record in records:
                    connection.execute(INSERT, record)
            lag = max(0, lag - len(records))
            logger.info("imported %s: %d orders", name, len(records))
        except psycopg.Error:
            lag += len(records)
            logger.exception("import of %s failed; file kept for retry", name)
            logger.warning("import lag is now %d records behind the partner feed", lag)
        time.sleep(0.5)
    connection.close()


def main() -> None:
    out = _support.bundle_dir_from_arguments(__doc__ or "")
    with _support.scratch_dir() as work:
        cluster = _postgres.PostgresCluster(work, out / "postgresql.log").start(
            _support.free_port()
        )
        url = create_shop_database(cluster)
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute(EXTERNAL_REF.encode())
        logger = _support.service_logger("orders-api", out / "app.log")
        pool = ConnectionPool(url + "?application_name=orders-api", 10, logger)
        api_port = _support.free_port()
        api = WebService("orders-api", api_port, logger, orders_api_routes(pool)).start()
        nginx = Nginx(work, out, upstream_name="orders_api", upstream_port=api_port).start()
        worker_logger = _support.service_logger("import-worker", out / "worker.log")
        bad_from, stop = threading.Event(), threading.Event()
        worker = threading.Thread(
            target=run_import_worker, args=(url, worker_logger, bad_from, stop)
        )
        worker.start()
        traffic = _support.Traffic(nginx.port, shop_path, pause_seconds=0.06).start()
        time.sleep(12)
        bad_from.set()
        time.sleep(14)
        print(f"  statuses: {dict(traffic.stop())}")
        stop.set()
        worker.join()
        nginx.stop()
        api.stop()
        cluster.stop()
    _support.close_service_loggers()
    log = out / "postgresql.log"
    _support.write_expect(
        out,
        question="Partner orders stopped showing up in the shop about ten minutes ago and the "
        "import lag keeps growing. Why?",
        category="data",
        component="import-worker",
        statement=(
            "The partner feed now contains records with already-imported external references "
            "and unknown customer ids, so import-worker's inserts violate the unique and "
            "foreign-key constraints on orders and every file is rolled back."
        ),
        proving_lines=[
            _support.proving(
                log,
                r"ERROR:  duplicate key value violates unique constraint",
                then=[r"DETAIL:  Key \(external_ref\)=.* already exists"],
            ),
            _support.proving(
                log,
                r"ERROR:  insert or update on table \"orders\" violates foreign key constraint",
                then=[r"DETAIL:  Key \(customer_id\)=.* is not present in table"],
            ),
        ],
        decoys=["import lag is now", "file kept for retry"],
    )


if __name__ == "__main__":
    main()
