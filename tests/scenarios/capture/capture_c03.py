"""c03: a hand-run ALTER TABLE left open in a transaction blocks every query on `orders`.

A DBA session runs `BEGIN; ALTER TABLE orders ADD COLUMN ...` and then sits idle in the
transaction, holding ACCESS EXCLUSIVE on orders. orders-api (role setting lock_timeout=2s)
queues behind it and is canceled (`canceling statement due to lock timeout`); PostgreSQL
(log_lock_waits=on, log_statement=ddl) names the holder. nginx logs the 500s.
"""

from __future__ import annotations

import time

import _postgres
import _support
import psycopg
from _nginx import Nginx
from _service import ConnectionPool, WebService
from _shop import APP_USER, create_shop_database, orders_api_routes, shop_path


def main() -> None:
    out = _support.bundle_dir_from_arguments(__doc__ or "")
    with _support.scratch_dir() as work:
        cluster = _postgres.PostgresCluster(work, out / "postgresql.log").start(
            _support.free_port()
        )
        url = create_shop_database(cluster)
        cluster.reconfigure({"log_lock_waits": "on", "log_statement": "ddl"})
        cluster.execute(f"ALTER ROLE {APP_USER} SET lock_timeout = '2s'")
        logger = _support.service_logger("orders-api", out / "app.log")
        pool = ConnectionPool(url + "?application_name=orders-api", 12, logger)
        api_port = _support.free_port()
        api = WebService("orders-api", api_port, logger, orders_api_routes(pool)).start()
        nginx = Nginx(work, out, upstream_name="orders_api", upstream_port=api_port).start()
        traffic = _support.Traffic(nginx.port, shop_path, pause_seconds=0.04).start()
        time.sleep(12)
        session = psycopg.connect(cluster.url(db="shop") + "?application_name=psql")
        session.execute(b"ALTER TABLE orders ADD COLUMN loyalty_tier text")
        time.sleep(20)
        session.rollback()
        session.close()
        time.sleep(2)
        print(f"  statuses: {dict(traffic.stop())}")
        nginx.stop()
        api.stop()
        cluster.stop()
    _support.close_service_loggers()
    log = out / "postgresql.log"
    ddl = _support.proving(log, r"LOG:  statement: ALTER TABLE orders ADD COLUMN")
    _support.write_expect(
        out,
        question="Order lookups and checkouts return 500 since a few minutes, product pages are "
        "fine. What is wrong?",
        category="database",
        component="postgres",
        statement=(
            "An ALTER TABLE on orders run by hand was left open in a transaction and holds an "
            "ACCESS EXCLUSIVE lock, so orders-api queries on orders wait behind it and are "
            "canceled by lock_timeout."
        ),
        proving_lines=[
            ddl,
            _support.proving(
                log,
                r"still waiting for \w+Lock on relation",
                then=[r"DETAIL:  Process holding the lock: \d+"],
                after=ddl.line_end,
            ),
        ],
        decoys=['" 500 ', "-> 500"],
    )


if __name__ == "__main__":
    main()
