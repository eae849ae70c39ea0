"""c06: a release's migration renames a column that the running version still queries.

The orders-api 2.14.0 rollout runs its migration first (customers.email -> email_address);
the replicas still on 2.13.2 keep selecting `email`, and PostgreSQL answers
`column c.email does not exist`. orders-api logs UndefinedColumn tracebacks, nginx logs 500s.
"""

from __future__ import annotations

import time
from pathlib import Path

import _postgres
import _support
import psycopg
from _nginx import Nginx
from _service import ConnectionPool, WebService
from _shop import create_shop_database, orders_api_routes, shop_path

MIGRATION = "ALTER TABLE customers RENAME COLUMN email TO email_address"


def run_rollout(url: str, log_path: Path) -> None:
    """The deploy job: migrations first, then the new replicas (which never come up here)."""
    logger = _support.service_logger("deploy", log_path)
    logger.info("rollout orders-api 2.13.2 -> 2.14.0 started (strategy: migrate, then rolling)")
    migration = _support.service_logger("alembic.runtime.migration", log_path)
    migration.info("Context impl PostgresqlImpl.")
    migration.info("Will assume transactional DDL.")
    with psycopg.connect(url + "?application_name=alembic") as connection:
        migration.info(
            "Running upgrade 3f1c2a9d7e41 -> 8b0e5d6c4a12, rename customers email to email_address"
        )
        connection.execute(MIGRATION.encode())
        connection.commit()
    logger.info("migrations applied; starting rolling update of 3 replicas (maxSurge=1)")
    time.sleep(2)
    logger.info("replica orders-api-2.14.0-1 pulling image registry.local/orders-api:2.14.0")
    time.sleep(6)
    logger.warning("replica orders-api-2.14.0-1 not ready after 5s (readiness probe pending)")


def main() -> None:
    out = _support.bundle_dir_from_arguments(__doc__ or "")
    with _support.scratch_dir() as work:
        cluster = _postgres.PostgresCluster(work, out / "postgresql.log").start(
            _support.free_port()
        )
        url = create_shop_database(cluster)
        logger = _support.service_logger("orders-api", out / "app.log")
        logger.info("orders-api 2.13.2 starting")
        pool = ConnectionPool(url + "?application_name=orders-api", 10, logger)
        api_port = _support.free_port()
        api = WebService("orders-api", api_port, logger, orders_api_routes(pool)).start()
        nginx = Nginx(work, out, upstream_name="orders_api", upstream_port=api_port).start()
        traffic = _support.Traffic(nginx.port, shop_path, pause_seconds=0.04).start()
        time.sleep(12)
        run_rollout(url, out / "jobs.log")
        time.sleep(6)
        print(f"  statuses: {dict(traffic.stop())}")
        nginx.stop()
        api.stop()
        cluster.stop()
    _support.close_service_loggers()
    _support.write_expect(
        out,
        question="Order and customer pages started returning 500 right after today's deploy "
        "window opened. What happened?",
        category="deployment",
        component="orders-api",
        statement=(
            "The orders-api 2.14.0 migration renamed customers.email to email_address while "
            "replicas of 2.13.2 still query email, so their queries fail with column does not "
            "exist."
        ),
        proving_lines=[
            _support.proving(out / "jobs.log", r"Running upgrade .* rename customers email"),
            _support.proving(
                out / "postgresql.log",
                r'ERROR:  column (c\.)?"?email"? does not exist',
                then=[r"STATEMENT:  "],
            ),
        ],
        decoys=['" 500 ', "-> 500"],
    )


if __name__ == "__main__":
    main()
