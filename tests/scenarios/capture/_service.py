"""The little HTTP services of the scenarios: routes, request logs, tracebacks, a connection pool.

Each service is a stdlib ThreadingHTTPServer that logs one line per request and a full
traceback when a handler raises, then answers 500, as a typical small Python service does.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import psycopg

Handler = Callable[[str], object]


class WebService:
    """An HTTP service named `name`; `routes` maps a path prefix to a handler of the full path."""

    def __init__(
        self, name: str, port: int, logger: logging.Logger, routes: dict[str, Handler]
    ) -> None:
        self.name = name
        self.port = port
        self.logger = logger
        self.routes = routes
        self.server = ThreadingHTTPServer(("127.0.0.1", port), self._handler_class())
        self.server.daemon_threads = True
        self._thread: threading.Thread | None = None

    def start(self) -> WebService:
        """Serve in a background thread."""
        self.logger.info("%s listening on 127.0.0.1:%d", self.name, self.port)
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop accepting requests and close the listening socket."""
        self.server.shutdown()
        self.server.server_close()

    def dispatch(self, method: str, path: str) -> tuple[int, object]:
        """Run the handler for `path`; an exception is logged with its traceback and answers 500."""
        for prefix, handler in self.routes.items():
            if path.startswith(prefix):
                try:
                    return 200, handler(path)
                except Exception:
                    self.logger.exception("unhandled error while serving %s %s", method, path)
                    return 500, {"error": "internal server error"}
        return 404, {"error": "not found"}

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        service = self

        class RequestHandler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self._serve("GET")

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                self._serve("POST")

            def _serve(self, method: str) -> None:
                started = time.monotonic()
                status, body = service.dispatch(method, self.path)
                payload = json.dumps(body, default=str).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except OSError as error:
                    service.logger.warning("client went away before the response: %s", error)
                elapsed_ms = (time.monotonic() - started) * 1000
                level = logging.INFO if status < 500 else logging.ERROR
                service.logger.log(
                    level, "%s %s -> %d (%.1f ms)", method, self.path, status, elapsed_ms
                )

            def log_message(self, format: str, *args: object) -> None:
                """Silence the stdlib's own access log; the service logs its own lines."""

        return RequestHandler


class PoolTimeout(Exception):  # noqa: N818 - the name psycopg_pool gives this error
    """No connection became free in time."""


class ConnectionPool:
    """A bounded pool of psycopg connections, opened lazily, handed out with a wait limit."""

    def __init__(
        self, url: str, size: int, logger: logging.Logger, wait_seconds: float = 5.0
    ) -> None:
        self.url = url
        self.size = size
        self.logger = logger
        self.wait_seconds = wait_seconds
        self._idle: queue.LifoQueue[psycopg.Connection[tuple[object, ...]]] = queue.LifoQueue()
        self._opened = 0
        self._lock = threading.Lock()

    def get(self) -> psycopg.Connection[tuple[object, ...]]:
        """An idle connection, a new one while under `size`, or PoolTimeout after the wait."""
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            pass
        with self._lock:
            may_open = self._opened < self.size
            if may_open:
                self._opened += 1
                number = self._opened
        if may_open:
            try:
                connection = psycopg.connect(self.url, autocommit=True, connect_timeout=5)
            except Exception:
                with self._lock:
                    self._opened -= 1
                raise
            self.logger.info("opened database connection %d of %d", number, self.size)
            return connection
        try:
            return self._idle.get(timeout=self.wait_seconds)
        except queue.Empty:
            raise PoolTimeout(
                f"couldn't get a connection after {self.wait_seconds:.1f} sec "
                f"(pool size {self.size}, all in use)"
            ) from None

    def put(self, connection: psycopg.Connection[tuple[object, ...]]) -> None:
        """Give a connection back; a broken one is closed and its slot freed."""
        if connection.closed or connection.broken:
            with self._lock:
                self._opened -= 1
            return
        self._idle.put(connection)

    def query(
        self, statement: str, parameters: tuple[object, ...] = ()
    ) -> list[tuple[object, ...]]:
        """Run one statement on a pooled connection and return its rows (empty if none)."""
        connection = self.get()
        try:
            cursor = connection.execute(statement.encode(), parameters)
            return cursor.fetchall() if cursor.description else []
        finally:
            self.put(connection)
