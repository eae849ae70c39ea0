"""redis-server (the Debian package) with a temp configuration, and a minimal RESP client.

The venv has no redis client library, so the services speak RESP over a socket themselves;
the replies (including error replies such as OOM) are Redis's own.
"""

from __future__ import annotations

import atexit
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

CONFIG_TEMPLATE = """
bind 127.0.0.1
port {port}
daemonize no
dir {directory}
logfile {log_path}
save ""
appendonly no
{extra}
"""


class RedisError(Exception):
    """An error reply from Redis (`-ERR ...`, `-OOM ...`)."""


RespValue = str | int | bytes | list["RespValue"] | None


class RedisConnection:
    """One RESP connection; `command` sends one command and returns the parsed reply."""

    def __init__(self, port: int, timeout: float = 5.0) -> None:
        self._socket = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self._reader = self._socket.makefile("rb")

    def command(self, *arguments: str | bytes | int) -> RespValue:
        """Send a command and return its reply; an error reply raises RedisError."""
        parts = [a if isinstance(a, bytes) else str(a).encode() for a in arguments]
        request = b"*%d\r\n" % len(parts)
        for part in parts:
            request += b"$%d\r\n%s\r\n" % (len(part), part)
        self._socket.sendall(request)
        return self._read_reply()

    def close(self) -> None:
        """Close the socket."""
        self._reader.close()
        self._socket.close()

    def _read_reply(self) -> RespValue:
        line = self._reader.readline()
        if not line:
            raise ConnectionResetError("Redis closed the connection")
        kind, body = line[:1], line[1:-2]
        if kind == b"+":
            return body.decode()
        if kind == b"-":
            raise RedisError(body.decode())
        if kind == b":":
            return int(body)
        if kind == b"$":
            size = int(body)
            if size < 0:
                return None
            data = self._reader.read(size + 2)
            return data[:-2]
        if kind == b"*":
            return [self._read_reply() for _ in range(int(body))]
        raise RedisError(f"unexpected reply {line!r}")


class RedisServer:
    """One redis-server in the foreground, logging to `log_path`."""

    def __init__(self, workdir: Path, log_path: Path, port: int, extra_config: str = "") -> None:
        self.directory = workdir / "redis"
        self.log_path = log_path
        self.port = port
        self.extra_config = extra_config
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> RedisServer:
        """Write the configuration, start the server and wait until it answers PING."""
        self.directory.mkdir(parents=True, exist_ok=True)
        config = self.directory / "redis.conf"
        config.write_text(
            CONFIG_TEMPLATE.format(
                port=self.port,
                directory=self.directory,
                log_path=self.log_path,
                extra=self.extra_config,
            )
        )
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        self._process = subprocess.Popen([binary, str(config)])
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                connection = RedisConnection(self.port)
                connection.command("PING")
                connection.close()
                atexit.register(self.stop)
                return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"redis-server did not start; see {self.log_path}")

    def stop(self) -> None:
        """Ask the server to shut down (SIGTERM), as systemd does on `systemctl stop`."""
        if self._process is not None:
            self._process.send_signal(signal.SIGTERM)
            self._process.wait(30)
            self._process = None
