"""c10: recommendations stalls during a blocking model reload; nginx times out on search-api.

search-api calls recommendations for every search (client timeout 10s). recommendations
reloads its model under the lock its request handlers need, so its answers stop for ~25s.
nginx (proxy_read_timeout 3s) gives up first and logs `upstream timed out` against
search-api's address with 504s; search-api later logs the timeouts of its own calls.
"""

from __future__ import annotations

import http.client
import json
import logging
import threading
import time

import _support
from _nginx import Nginx
from _service import Handler, WebService


class Recommendations:
    """A model behind a lock: requests read it, a reload replaces it while holding the lock."""

    def __init__(self, logger: logging.Logger) -> None:
        self.logger = logger
        self.lock = threading.Lock()
        self.model_version = "20261124"

    def recommend(self, path: str) -> object:
        product = int(path.rsplit("/", 1)[1])
        with self.lock:
            return {
                "product": product,
                "model": self.model_version,
                "items": [(product * k) % 500 + 1 for k in (3, 7, 11)],
            }

    def reload(self, version: str, seconds: float) -> None:
        self.logger.info("model reload requested: version %s", version)
        with self.lock:
            self.logger.info("loading /var/lib/recommendations/model-%s.bin (1.9 GiB)", version)
            time.sleep(seconds)
            self.model_version = version
        self.logger.info("model %s loaded in %.1fs", version, seconds)


def search_routes(recommendations_port: int) -> dict[str, Handler]:
    """search-api: search the catalogue and decorate results with recommendations."""

    def search(path: str) -> object:
        product = int(path.split("q=", 1)[1])
        connection = http.client.HTTPConnection("127.0.0.1", recommendations_port, timeout=10)
        try:
            connection.request("GET", f"/recommend/{product}")
            reply = json.loads(connection.getresponse().read())
        finally:
            connection.close()
        return {"results": [product], "recommended": reply["items"]}

    return {"/api/search": search}


def main() -> None:
    out = _support.bundle_dir_from_arguments(__doc__ or "")
    with _support.scratch_dir() as work:
        reco_logger = _support.service_logger("recommendations", out / "recommendations.log")
        model = Recommendations(reco_logger)
        reco_port, search_port = _support.free_port(), _support.free_port()
        reco = WebService(
            "recommendations", reco_port, reco_logger, {"/recommend/": model.recommend}
        ).start()
        search_logger = _support.service_logger("search-api", out / "search-api.log")
        search = WebService(
            "search-api",
            search_port,
            search_logger,
            search_routes(reco_port),
        ).start()
        nginx = Nginx(
            work,
            out,
            upstream_name="search_api",
            upstream_port=search_port,
            location_extra="proxy_read_timeout 3s;",
        ).start()
        traffic = _support.Traffic(
            nginx.port,
            lambda r: f"/api/search?q={r.randint(1, 500)}",
            clients=6,
            pause_seconds=0.03,
        ).start()
        time.sleep(12)
        reload = threading.Thread(target=model.reload, args=("20261125", 25.0))
        reload.start()
        reload.join()
        time.sleep(4)
        print(f"  statuses: {dict(traffic.stop())}")
        nginx.stop()
        search.stop()
        reco.stop()
    _support.close_service_loggers()
    _support.write_expect(
        out,
        question="Search is returning 504 Gateway Timeout for most users. Is search-api broken?",
        category="dependency",
        component="recommendations",
        statement=(
            "recommendations held its model lock for a blocking 25 s model reload, so its "
            "requests hung; search-api's calls to it waited past nginx's 3 s read timeout."
        ),
        proving_lines=[
            _support.proving(
                out / "recommendations.log",
                r"model reload requested",
                then=[r"loading /var/lib/recommendations/model-"],
            ),
        ],
        decoys=["upstream timed out (110: Connection timed out)", '" 504 '],
    )


if __name__ == "__main__":
    main()
