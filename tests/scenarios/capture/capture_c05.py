"""c05: PostgreSQL is shut down (fast) under a running orders-api.

The server receives a fast shutdown request (what `pg_ctl stop -m fast` sends), terminates
the sessions and stops. orders-api's pooled connections break and new ones are refused; every
request fails with a traceback and nginx logs 500s.
"""

from __future__ import annotations

import time

import _postgres
import _support
from _nginx import Nginx
from _service import ConnectionPool, WebService
from _shop import create_shop_database, orders_api_routes, shop_path


def main() -> None:
    out = _support.bundle_dir_from_arguments(__doc__ or "")
    with _support.scratch_dir() as work:
        cluster = _postgres.PostgresCluster(work, out / "postgresql.log").start(
            _support.free_port()
        )
        url = create_shop_database(cluster)
        logger = _support.service_logger("orders-api", out / "app.log")
        pool = ConnectionPool(url + "?application_name=orders-api", 10, logger)
        api_port = _support.free_port()
        api = WebService("orders-api", api_port, logger, orders_api_routes(pool)).start()
        nginx = Nginx(work, out, upstream_name="orders_api", upstream_port=api_port).start()
        traffic = _support.Traffic(nginx.port, shop_path, pause_seconds=0.04).start()
        time.sleep(14)
        cluster.stop("fast")
        time.sleep(5)
        print(f"  statuses: {dict(traffic.stop())}")
        nginx.stop()
        api.stop()
    _support.close_service_loggers()
    log = out / "postgresql.log"
    _support.write_expect(
        out,
        question="Every API call has been failing with HTTP 500 for the last few minutes. "
        "What broke?",
        category="dependency",
        component="postgres",
        statement=(
            "PostgreSQL received a fast shutdown request and stopped, so orders-api's "
            "connections were terminated and new ones are refused."
        ),
        proving_lines=[
            _support.proving(log, r"LOG:  received fast shutdown request"),
            _support.proving(log, r"LOG:  database system is shut down"),
        ],
        decoys=['" 500 ', "-> 500"],
    )


if __name__ == "__main__":
    main()
