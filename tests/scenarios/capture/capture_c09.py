"""c09: the catalog-api process dies (SIGKILL) behind nginx: connection refused, 502s.

The upstream is killed outright, so its own log just stops. nginx reports
`connect() failed (111: Connection refused) while connecting to upstream` and
answers 502 for every request.
"""

from __future__ import annotations

import os
import signal
import time

import _support
from _catalog import catalog_path, start_in_process
from _nginx import Nginx


def main() -> None:
    out = _support.bundle_dir_from_arguments(__doc__ or "")
    with _support.scratch_dir() as work:
        port = _support.free_port()
        catalog = start_in_process("catalog-api", port, out / "app.log")
        nginx = Nginx(work, out, upstream_name="catalog", upstream_port=port).start()
        traffic = _support.Traffic(nginx.port, catalog_path, pause_seconds=0.02).start()
        time.sleep(12)
        os.kill(catalog.pid or 0, signal.SIGKILL)
        catalog.join()
        time.sleep(10)
        print(f"  statuses: {dict(traffic.stop())}")
        nginx.stop()
    _support.close_service_loggers()
    _support.write_expect(
        out,
        question="The storefront shows 502 Bad Gateway on every product page. What happened?",
        category="dependency",
        component="catalog-api",
        statement=(
            "The catalog-api process died (its log stops abruptly) and nothing listens on its "
            "port any more, so nginx's connections to the upstream are refused and it answers 502."
        ),
        proving_lines=[
            _support.proving(out / "app.log", r"catalog-api listening on 127\.0\.0\.1:\d+"),
            _support.proving(
                out / "nginx-error.log",
                r"connect\(\) failed \(111: Connection refused\) while connecting to upstream",
            ),
        ],
        decoys=['" 502 '],
    )


if __name__ == "__main__":
    main()
