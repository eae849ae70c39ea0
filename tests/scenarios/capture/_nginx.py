"""nginx (the Debian package) as a reverse proxy with a generated configuration in a temp dir."""

from __future__ import annotations

import atexit
import shutil
import signal
import subprocess
import time
from pathlib import Path

import _support

CONFIG_TEMPLATE = """
user root root;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {error_log} warn;
events {{ worker_connections {worker_connections}; }}
http {{
    log_format main '$remote_addr - $remote_user [$time_local] "$request" '
                    '$status $body_bytes_sent "$http_referer" "$http_user_agent" '
                    'rt=$request_time uct="$upstream_connect_time" urt="$upstream_response_time"';
    access_log {access_log} main;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    {http_extra}
    upstream {upstream_name} {{
        server 127.0.0.1:{upstream_port};
    }}
    server {{
        listen 127.0.0.1:{port};
        server_name {server_name};
        location / {{
            proxy_pass http://{upstream_name};
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            {location_extra}
        }}
    }}
}}
"""


class Nginx:
    """One nginx master proxying `server_name` to one upstream, logging to two files."""

    def __init__(
        self,
        workdir: Path,
        out: Path,
        *,
        upstream_name: str,
        upstream_port: int,
        server_name: str = "shop.example.internal",
        http_extra: str = "",
        location_extra: str = "proxy_read_timeout 30s;",
        worker_connections: int = 512,
    ) -> None:
        self.prefix = workdir / "nginx"
        self.port = _support.free_port()
        self.error_log = out / "nginx-error.log"
        self.access_log = out / "nginx-access.log"
        self.config = CONFIG_TEMPLATE.format(
            prefix=self.prefix,
            error_log=self.error_log,
            access_log=self.access_log,
            upstream_name=upstream_name,
            upstream_port=upstream_port,
            port=self.port,
            server_name=server_name,
            http_extra=http_extra,
            location_extra=location_extra,
            worker_connections=worker_connections,
        )
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> Nginx:
        """Write the configuration and run nginx in the foreground (daemon off)."""
        self.prefix.mkdir(parents=True, exist_ok=True)
        config_path = self.prefix / "nginx.conf"
        config_path.write_text(self.config)
        command = [shutil.which("nginx") or "/usr/sbin/nginx", "-p", str(self.prefix)]
        command += ["-c", str(config_path), "-e", str(self.error_log), "-g", "daemon off;"]
        self._process = subprocess.Popen(command, stderr=subprocess.DEVNULL)
        time.sleep(0.5)
        if self._process.poll() is not None:
            raise RuntimeError(f"nginx exited; see {self.error_log}")
        atexit.register(self.stop)
        return self

    def stop(self) -> None:
        """Graceful shutdown (SIGQUIT), as `nginx -s quit` does."""
        if self._process is not None:
            self._process.send_signal(signal.SIGQUIT)
            self._process.wait(30)
            self._process = None
