"""c13: redis-server is shut down under a running cart-api.

Redis receives SIGTERM (what `systemctl stop redis-server` sends), saves nothing and exits.
cart-api's connections are refused from then on; every cart and product request fails with a
ConnectionRefusedError traceback and nginx logs 500s.
"""

from __future__ import annotations

import time

import _support
from _cart import cart_path, cart_routes
from _nginx import Nginx
from _redis import RedisServer
from _service import WebService


def main() -> None:
    out = _support.bundle_dir_from_arguments(__doc__ or "")
    with _support.scratch_dir() as work:
        redis = RedisServer(work, out / "redis.log", _support.free_port()).start()
        logger = _support.service_logger("cart-api", out / "app.log")
        api_port = _support.free_port()
        api = WebService("cart-api", api_port, logger, cart_routes(redis.port)).start()
        nginx = Nginx(work, out, upstream_name="cart_api", upstream_port=api_port).start()
        traffic = _support.Traffic(nginx.port, cart_path, pause_seconds=0.04).start()
        time.sleep(14)
        redis.stop()
        time.sleep(5)
        print(f"  statuses: {dict(traffic.stop())}")
        nginx.stop()
        api.stop()
    _support.close_service_loggers()
    _support.write_expect(
        out,
        question="Carts and product pages are all failing right now. What should I look at?",
        category="dependency",
        component="redis",
        statement=(
            "redis-server received SIGTERM and shut down, so cart-api's connections to it are "
            "refused and every request that needs Redis fails."
        ),
        proving_lines=[
            _support.proving(out / "redis.log", r"Received SIGTERM scheduling shutdown"),
            _support.proving(out / "redis.log", r"Redis is now ready to exit, bye bye"),
        ],
        decoys=['" 500 ', "-> 500"],
    )


if __name__ == "__main__":
    main()
