"""c11: a bulk sync job bursts through the office egress address; nginx limit_req answers 429.

nginx limits each client address to 40 r/s (burst 20, `limit_req_status 429`). Storefront
users and the inventory-sync job all reach it from one egress address; when the job starts
its bulk run the address exceeds the limit and nginx rejects requests for everyone
(`limiting requests, excess: ... by zone "per_client"`). catalog-api itself stays healthy.
"""

from __future__ import annotations

import time

import _support
from _catalog import catalog_path, start_in_process
from _nginx import Nginx

LIMIT = """
    limit_req_zone $binary_remote_addr zone=per_client:1m rate=40r/s;
    limit_req_status 429;
"""


def main() -> None:
    out = _support.bundle_dir_from_arguments(__doc__ or "")
    with _support.scratch_dir() as work:
        port = _support.free_port()
        catalog = start_in_process("catalog-api", port, out / "app.log")
        nginx = Nginx(
            work,
            out,
            upstream_name="catalog",
            upstream_port=port,
            http_extra=LIMIT,
            location_extra="limit_req zone=per_client burst=20 nodelay;",
        ).start()
        users = _support.Traffic(nginx.port, catalog_path, clients=3, pause_seconds=0.12).start()
        time.sleep(14)
        sync = _support.Traffic(
            nginx.port,
            lambda chooser: f"POST /api/products/{chooser.randint(1, 500)}",
            clients=3,
            pause_seconds=0.02,
            user_agent="inventory-sync/1.4 (bulk)",
        )
        _support.run_traffic(sync, 8)
        time.sleep(4)
        print(f"  user statuses: {dict(users.stop())}")
        nginx.stop()
        catalog.kill()
    _support.close_service_loggers()
    _support.write_expect(
        out,
        question="Customers are getting errors on product pages since 14:05, but catalog-api "
        "looks healthy. What's happening?",
        category="rate_limit",
        component="nginx",
        statement=(
            "A bulk run of inventory-sync from the shared egress address pushed it past nginx's "
            "limit_req of 40 r/s, so nginx rejects requests from that address, users included, "
            "with 429."
        ),
        proving_lines=[
            _support.proving(
                out / "nginx-error.log", r'limiting requests, excess: [\d.]+ by zone "per_client"'
            )
        ],
        decoys=[],
    )


if __name__ == "__main__":
    main()
