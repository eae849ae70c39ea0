"""c04: an unindexed lookup turns slow after a bulk import and hits statement_timeout.

`GET /api/orders/<id>/events` reads order_events by order_id, which has no index. While the
table is small that is fast; an events-import job then loads three million rows, the scan
takes seconds, and PostgreSQL cancels it (`canceling statement due to statement timeout`,
role setting 300ms; parallel query off, as on many OLTP servers). log_min_duration_statement=100ms
shows the durations climbing first.
"""

from __future__ import annotations

import random
import threading
import time
from pathlib import Path

import _postgres
import _support
import psycopg
from _nginx import Nginx
from _service import ConnectionPool, WebService
from _shop import APP_USER, create_shop_database, orders_api_routes, shop_path

EVENTS = """
CREATE TABLE order_events (id bigserial PRIMARY KEY, order_id bigint NOT NULL,
    kind text NOT NULL, payload text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
INSERT INTO order_events (order_id, kind, payload)
    SELECT 1 + n % 20000, 'status_changed', 'paid' FROM generate_series(1, 40000) n;
ANALYZE order_events;
"""


def run_events_import(url: str, log_path: Path) -> None:
    """The nightly import: six batches of 500k partner events, committed one by one."""
    logger = _support.service_logger("events-import", log_path)
    logger.info("events-import started: partner feed 2026-11-25, 6 batches")
    with psycopg.connect(url + "?application_name=events-import", autocommit=True) as connection:
        connection.execute(b"SET statement_timeout = 0")
        for batch in range(1, 7):
            started = time.monotonic()
            connection.execute(
                b"INSERT INTO order_events (order_id, kind, payload) "
                b"SELECT 1 + (n::bigint * 7919) % 20000, 'partner_sync', md5(n::text) "
                b"FROM generate_series(1, 500000) n"
            )
            logger.info(
                "batch %d/6 imported: 500000 rows in %.1fs", batch, time.monotonic() - started
            )
    logger.info("events-import finished: 3000000 rows")


def traffic_path(chooser: random.Random) -> str:
    """Shop traffic plus the order timeline page."""
    if chooser.random() < 0.25:
        return f"/api/orders/{chooser.randint(1, 20000)}/events"
    return shop_path(chooser)


def main() -> None:
    out = _support.bundle_dir_from_arguments(__doc__ or "")
    with _support.scratch_dir() as work:
        cluster = _postgres.PostgresCluster(
            work, out / "postgresql.log", {"max_parallel_workers_per_gather": "0"}
        ).start(_support.free_port())
        url = create_shop_database(cluster)
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute(EVENTS.encode())
        cluster.reconfigure({"log_min_duration_statement": "100ms"})
        cluster.execute(f"ALTER ROLE {APP_USER} SET statement_timeout = '300ms'")
        logger = _support.service_logger("orders-api", out / "app.log")
        pool = ConnectionPool(url + "?application_name=orders-api", 10, logger)
        routes = orders_api_routes(pool)
        events_route = {
            "/api/orders/": lambda path: (
                pool.query(
                    "SELECT kind, payload, created_at FROM order_events WHERE order_id = %s "
                    "ORDER BY created_at",
                    (int(path.split("/")[-2]),),
                )
                if path.endswith("/events")
                else routes["/api/orders/"](path)
            )
        }
        api_port = _support.free_port()
        api = WebService("orders-api", api_port, logger, {**routes, **events_route}).start()
        nginx = Nginx(work, out, upstream_name="orders_api", upstream_port=api_port).start()
        traffic = _support.Traffic(nginx.port, traffic_path, pause_seconds=0.05).start()
        time.sleep(10)
        importer = threading.Thread(target=run_events_import, args=(url, out / "worker.log"))
        importer.start()
        importer.join()
        time.sleep(12)
        print(f"  statuses: {dict(traffic.stop())}")
        nginx.stop()
        api.stop()
        cluster.stop()
    _support.close_service_loggers()
    log = out / "postgresql.log"
    _support.write_expect(
        out,
        question="The order timeline page errors out for everyone since this morning. "
        "Can you find why?",
        category="database",
        component="postgres",
        statement=(
            "order_events grew by three million rows and the lookup by order_id has no index, "
            "so its sequential scan runs past statement_timeout (300 ms) and PostgreSQL cancels it."
        ),
        proving_lines=[
            _support.proving(out / "worker.log", r"events-import started"),
            _support.proving(
                log,
                r"ERROR:  canceling statement due to statement timeout",
                then=[r"STATEMENT:  SELECT kind, payload, created_at FROM order_events"],
            ),
        ],
        decoys=['" 500 ', "-> 500"],
    )


if __name__ == "__main__":
    main()
