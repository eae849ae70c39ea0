"""c01: a report worker leaks PostgreSQL connections until max_connections refuses everyone.

orders-api opens one connection per request (no pool). report-worker's new export job opens a
connection per job and never closes it; PostgreSQL (max_connections=30) soon answers
`FATAL: remaining connection slots are reserved for roles with the SUPERUSER attribute`,
orders-api fails loudly and nginx logs 500s. A DBA's
pg_stat_activity snapshot shows the idle connections held by report-worker.
"""

from __future__ import annotations

import subprocess
import threading
import time
from pathlib import Path

import _postgres
import _support
import psycopg
from _nginx import Nginx
from _service import WebService
from _shop import create_shop_database, shop_path

ACTIVITY_QUERY = (
    "SELECT application_name, usename, state, count(*) AS connections "
    "FROM pg_stat_activity WHERE backend_type = 'client backend' "
    "GROUP BY 1, 2, 3 ORDER BY 4 DESC;"
)


CONNECTIONS_REFUSED = (
    r"FATAL:  (sorry, too many clients already|remaining connection slots are reserved)"
)


class PerRequestConnections:
    """orders-api's database access: a fresh connection for every query, closed afterwards."""

    def __init__(self, url: str) -> None:
        self.url = url + "?application_name=orders-api"

    def query(self, statement: str, parameters: tuple[object, ...] = ()) -> object:
        with psycopg.connect(self.url, autocommit=True, connect_timeout=5) as connection:
            cursor = connection.execute(statement.encode(), parameters)
            return cursor.fetchall() if cursor.description else []


def run_report_worker(
    url: str, log_path: Path, exports_start: threading.Event, stop: threading.Event
) -> None:
    """Digest jobs close their connection; export jobs (from `exports_start` on) leak theirs."""
    logger = _support.service_logger("report-worker", log_path)
    logger.info("report-worker started, polling queue 'reports' every 250 ms")
    leaked: list[psycopg.Connection[tuple[object, ...]]] = []
    job = 4100
    while not stop.is_set():
        job += 1
        kind = "export" if exports_start.is_set() and job % 2 == 0 else "digest"
        try:
            connection = psycopg.connect(url + "?application_name=report-worker", autocommit=True)
            rows = connection.execute(
                b"SELECT count(*) FROM orders WHERE customer_id = %s", (job % 2000,)
            ).fetchone()
            if kind == "export":
                leaked.append(connection)
            else:
                connection.close()
            logger.info("job %d (%s) finished: %s rows", job, kind, rows[0] if rows else 0)
        except psycopg.OperationalError:
            logger.exception("job %d (%s) failed", job, kind)
        time.sleep(0.25)
    for connection in leaked:
        connection.close()


def snapshot_activity(cluster: _postgres.PostgresCluster, path: Path) -> None:
    """What the DBA ran: psql over the superuser's reserved slot, output kept as printed."""
    result = subprocess.run(
        [str(_postgres.BINARIES / "psql"), cluster.url(), "-c", ACTIVITY_QUERY],
        capture_output=True,
        text=True,
        check=True,
        env={"PGTZ": "UTC"},
    )
    path.write_text(f'$ psql -c "{ACTIVITY_QUERY}"\n{result.stdout}')


def main() -> None:
    out = _support.bundle_dir_from_arguments(__doc__ or "")
    with _support.scratch_dir() as work:
        cluster = _postgres.PostgresCluster(
            work, out / "postgresql.log", {"max_connections": "30"}
        ).start(_support.free_port())
        url = create_shop_database(cluster)
        logger = _support.service_logger("orders-api", out / "app.log")
        api_port = _support.free_port()
        database = PerRequestConnections(url)
        routes = {
            "/api/orders/": lambda p: database.query(
                "SELECT id, status, total_cents FROM orders WHERE id = %s", (int(p.split("/")[-1]),)
            ),
            "/api/customers/": lambda p: database.query(
                "SELECT id, email FROM customers WHERE id = %s", (int(p.split("/")[-1]),)
            ),
            "/api/products/": lambda p: database.query(
                "SELECT id, sku, stock FROM products WHERE id = %s", (int(p.split("/")[-1]),)
            ),
            "/api/checkout/": lambda p: database.query(
                "INSERT INTO orders (customer_id, status, total_cents) VALUES (%s, 'paid', 990) "
                "RETURNING id",
                (int(p.split("/")[-2]),),
            ),
        }
        api = WebService("orders-api", api_port, logger, routes).start()
        nginx = Nginx(work, out, upstream_name="orders_api", upstream_port=api_port).start()
        exports_start, stop = threading.Event(), threading.Event()
        worker = threading.Thread(
            target=run_report_worker, args=(url, out / "worker.log", exports_start, stop)
        )
        worker.start()
        traffic = _support.Traffic(nginx.port, shop_path, pause_seconds=0.04).start()
        time.sleep(12)
        exports_start.set()
        time.sleep(16)
        snapshot_activity(cluster, out / "pg_stat_activity.txt")
        time.sleep(2)
        print(f"  statuses: {dict(traffic.stop())}")
        stop.set()
        worker.join()
        nginx.stop()
        api.stop()
        cluster.stop()
    _support.close_service_loggers()
    _support.write_expect(
        out,
        question="Checkout and order pages started failing with 500s a few minutes ago. Why?",
        category="connection_pool",
        component="report-worker",
        statement=(
            "report-worker's export jobs open a PostgreSQL connection per job and never close "
            "it, so the leaked idle connections exhaust max_connections and PostgreSQL refuses "
            "new clients (remaining connection slots are reserved for superusers)."
        ),
        proving_lines=[
            _support.proving(out / "postgresql.log", CONNECTIONS_REFUSED),
            _support.proving(
                out / "pg_stat_activity.txt", r"^ report-worker\s+\| orders_app \| idle"
            ),
        ],
        decoys=["-> 500", '" 500 '],
    )


if __name__ == "__main__":
    main()
