"""c08: the database password is rotated but orders-api keeps the old one.

The secrets-rotator job sets a new password on the orders_app role, stores it in the vault and
terminates the sessions still using the old one, as its runbook says. orders-api never reloads
its secret: every reconnect fails with `password authentication failed for user "orders_app"`,
requests fail with tracebacks and nginx logs 500s.
"""

from __future__ import annotations

import time
from pathlib import Path

import _postgres
import _support
from _nginx import Nginx
from _service import ConnectionPool, WebService
from _shop import APP_USER, create_shop_database, orders_api_routes, shop_path

NEW_PASSWORD = "r0tated-2026-q4-7c1e"


def rotate_password(cluster: _postgres.PostgresCluster, log_path: Path) -> None:
    """What the rotation job does: new password, vault write, end the old sessions."""
    logger = _support.service_logger("secrets-rotator", log_path)
    logger.info("rotation run 20261125-0940 started for 1 credential(s)")
    logger.info("generating new password for postgres role %s (policy: 20 chars)", APP_USER)
    cluster.execute(f"ALTER ROLE {APP_USER} PASSWORD '{NEW_PASSWORD}'")
    logger.info("role %s password updated on 127.0.0.1:%d", APP_USER, cluster.port)
    logger.info("stored secret/shop/orders-db version 8 (previous version 7 disabled)")
    cluster.execute(
        f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{APP_USER}'"
    )
    logger.info("terminated sessions of %s still using the previous credential", APP_USER)
    logger.info("rotation run 20261125-0940 finished: 1 rotated, 0 failed")


def main() -> None:
    out = _support.bundle_dir_from_arguments(__doc__ or "")
    with _support.scratch_dir() as work:
        cluster = _postgres.PostgresCluster(work, out / "postgresql.log").start(
            _support.free_port()
        )
        url = create_shop_database(cluster)
        logger = _support.service_logger("orders-api", out / "app.log")
        logger.info("loaded database credentials from secret/shop/orders-db version 7")
        pool = ConnectionPool(url + "?application_name=orders-api", 10, logger)
        api_port = _support.free_port()
        api = WebService("orders-api", api_port, logger, orders_api_routes(pool)).start()
        nginx = Nginx(work, out, upstream_name="orders_api", upstream_port=api_port).start()
        traffic = _support.Traffic(nginx.port, shop_path, pause_seconds=0.04).start()
        time.sleep(12)
        rotate_password(cluster, out / "jobs.log")
        time.sleep(6)
        print(f"  statuses: {dict(traffic.stop())}")
        nginx.stop()
        api.stop()
        cluster.stop()
    _support.close_service_loggers()
    _support.write_expect(
        out,
        question="The shop API went from fine to 100% errors around 09:40. What is the cause?",
        category="permission",
        component="orders-api",
        statement=(
            "The orders_app database password was rotated but orders-api still uses the old "
            "one, so PostgreSQL rejects its new connections with password authentication failed."
        ),
        proving_lines=[
            _support.proving(
                out / "postgresql.log",
                r'FATAL:  password authentication failed for user "orders_app"',
                then=[r"DETAIL:  Connection matched file"],
            ),
            _support.proving(out / "jobs.log", r"role orders_app password updated"),
        ],
        decoys=["terminating connection due to administrator command", '" 500 '],
    )


if __name__ == "__main__":
    main()
