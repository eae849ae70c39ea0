# ruff: noqa: E501
# Hand-written log lines and pasted shell output are data, kept whole on one line.
"""Single host, local time (CET): nginx on edge-lb-1 still runs Debian's stock
`worker_processes 2; worker_connections 768;`. portal-app 6.4.0 (13:30 CET) adds live order
tracking over Server-Sent Events (`/api/v2/orders/stream`): every open tab holds a client and an
upstream connection in nginx for up to 30 minutes. As the evening traffic grows, nginx's 1536
connection slots fill; from 15:11:48 CET its error log says `768 worker_connections are not
enough` (an [alert], a handful of lines), new connections queue in the backlog and time out,
upstream connects fail with 502, and the kernel reports `Possible SYN flooding on port 443`.
Loud: 502s and 499s in the access log, portal-app's idle-pool warnings. Decoys: the SYN
flooding kernel line (no attack: the accept queue backs up because nginx stops accepting), a
certbot reload at 15:00 CET, and an old upstream timeout on portal-app-3 from the morning."""

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from records import JsonLines, NginxAccess, Record, Syslog3164
from scenes import at, fixed, loud
from traffic import Line, host_traffic, http_access, traffic, web_api

CET = ZoneInfo("Europe/Berlin")
START = datetime(2025, 1, 21, 12, 40, tzinfo=UTC)  # 13:40 CET
FIRST = datetime(2025, 1, 21, 14, 11, 48, 0, tzinfo=UTC)  # 15:11:48 CET
END = datetime(2025, 1, 21, 14, 52, tzinfo=UTC)
RELOAD = datetime(2025, 1, 21, 14, 0, 1, tzinfo=UTC)
UPSTREAMS = ["10.20.1.11:8080", "10.20.1.12:8080", "10.20.1.13:8080"]


@dataclass
class NginxErrorLocal:
    """nginx error_log in the host's local time with its real worker pids and levels."""

    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def render(self, record: Record) -> list[str]:
        level = {"WARN": "warn", "INFO": "info", "FATAL": "alert", "DEBUG": "notice"}.get(
            record.level, "error"
        )
        stamp = record.time.astimezone(CET).strftime("%Y/%m/%d %H:%M:%S")
        workers = (
            ["1207#1207", "1208#1208"] if record.time >= RELOAD else ["1107#1107", "1108#1108"]
        )
        pid = record.logger or self.rng.choice(workers)
        return [f"{stamp} [{level}] {pid}: {record.message}"]


def error_line(rng: random.Random) -> Line:
    roll = rng.random()
    client = f"{rng.choice(['84.', '91.', '178.', '2.'])}{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
    if roll < 0.4:
        return (
            "ERROR",
            f'*{rng.randrange(10**4, 10**6)} open() "/var/www/portal/static/{rng.choice(["apple-touch-icon.png", "favicon-32x32.png", "robots.txt.bak", "wp-login.php"])}" failed (2: No such file or directory), client: {client}, server: portal.hanse-moebel.de, request: "GET /{rng.choice(["apple-touch-icon.png", "favicon-32x32.png", "wp-login.php"])} HTTP/1.1", host: "portal.hanse-moebel.de"',
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            f"*{rng.randrange(10**4, 10**6)} client {client} closed keepalive connection",
            (),
        )
    return (
        "WARN",
        f'*{rng.randrange(10**4, 10**6)} an upstream response is buffered to a temporary file /var/cache/nginx/proxy_temp/{rng.randrange(10)}/{rng.randrange(10, 99)}/{rng.randrange(10**9):010d} while reading upstream, client: {client}, server: portal.hanse-moebel.de, request: "GET /api/v2/invoices/{rng.randrange(10**6)}/pdf HTTP/1.1", upstream: "http://{rng.choice(UPSTREAMS)}/api/v2/invoices/{rng.randrange(10**6)}/pdf", host: "portal.hanse-moebel.de"',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(1178)
    total = (END - START).total_seconds() / 60
    first = (FIRST - START).total_seconds() / 60

    error = LogFile("nginx/error.log", NginxErrorLocal(rng=rng))
    error.add(traffic(rng, error_line, START - timedelta(hours=6), total + 360, 520))
    error.add(
        [
            at(
                START,
                -290.5,
                "ERROR",
                '*3118 upstream timed out (110: Connection timed out) while reading response header from upstream, client: 84.17.201.9, server: portal.hanse-moebel.de, request: "GET /api/v2/reports/yearly HTTP/1.1", upstream: "http://10.20.1.13:8080/api/v2/reports/yearly", host: "portal.hanse-moebel.de"',
            ),
            at(
                START,
                -290.2,
                "ERROR",
                '*3121 upstream timed out (110: Connection timed out) while reading response header from upstream, client: 91.4.66.130, server: portal.hanse-moebel.de, request: "GET /api/v2/reports/yearly HTTP/1.1", upstream: "http://10.20.1.13:8080/api/v2/reports/yearly", host: "portal.hanse-moebel.de"',
            ),
            at(
                START,
                80.00,
                "DEBUG",
                "signal 1 (SIGHUP) received from 48211, reconfiguring",
                logger="1106#1106",
            ),
            at(START, 80.01, "DEBUG", "reconfiguring", logger="1106#1106"),
            at(START, 80.02, "DEBUG", 'using the "epoll" event method', logger="1106#1106"),
            at(START, 80.03, "DEBUG", "start worker processes", logger="1106#1106"),
            at(START, 80.04, "DEBUG", "start worker process 1207", logger="1106#1106"),
            at(START, 80.05, "DEBUG", "start worker process 1208", logger="1106#1106"),
            at(START, 80.20, "DEBUG", "gracefully shutting down", logger="1107#1107"),
            at(START, 80.30, "DEBUG", "exiting", logger="1107#1107"),
            Record(FIRST, "FATAL", "768 worker_connections are not enough", (), "1207#1207"),
        ]
    )
    error.add(
        loud(
            rng,
            START,
            first + 0.05,
            total - first - 1,
            9,
            fixed("FATAL", lambda r: "768 worker_connections are not enough"),
        )
    )
    error.add(
        loud(
            rng,
            START,
            first + 0.1,
            total - first - 1,
            14,
            fixed(
                "FATAL",
                lambda r: (
                    f'*{r.randrange(2 * 10**5, 4 * 10**5)} 768 worker_connections are not enough while connecting to upstream, client: {r.choice(["84.", "91.", "178.", "2."])}{r.randrange(256)}.{r.randrange(256)}.{r.randrange(1, 255)}, server: portal.hanse-moebel.de, request: "GET /api/v2/{r.choice(["orders", "cart", "catalog/search?q=sofa", "orders/stream"])} HTTP/1.1", upstream: "http://{r.choice(UPSTREAMS)}/api/v2/{r.choice(["orders", "cart"])}", host: "portal.hanse-moebel.de"'
                ),
            ),
        )
    )

    access = LogFile("nginx/access.log", NginxAccess(rng=rng, zone=CET))
    paths = [
        "/",
        "/api/v2/orders",
        "/api/v2/orders/{id}",
        "/api/v2/cart",
        "/api/v2/catalog/search?q=tisch",
        "/static/app.4f1c2.js",
        "/static/app.4f1c2.css",
        "/api/v2/invoices/{id}/pdf",
    ]
    access.add(traffic(rng, http_access(paths, upstream_ms=45), START, total, 5200))
    access.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f'"GET /api/v2/orders/stream HTTP/1.1" 200 {r.randrange(2000, 60000)} "https://portal.hanse-moebel.de/orders" "Mozilla/5.0 (Windows NT 10.0; Win64; x64)" {r.uniform(60, 1800):.3f}'
                ),
            ),
            START + timedelta(minutes=2),
            total - 2,
            900,
        )
    )
    access.add(
        loud(
            rng,
            START,
            first + 0.1,
            total - first - 0.5,
            640,
            fixed(
                "ERROR",
                lambda r: (
                    f'"GET {r.choice(["/api/v2/orders", "/api/v2/cart", "/api/v2/catalog/search?q=sofa", "/"])} HTTP/1.1" 502 157 "-" "{r.choice(["Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X)", "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"])}" 0.000'
                ),
            ),
        )
    )
    access.add(
        loud(
            rng,
            START,
            first + 0.3,
            total - first - 0.8,
            520,
            fixed(
                "WARN",
                lambda r: (
                    f'"GET {r.choice(["/api/v2/orders", "/", "/api/v2/cart"])} HTTP/1.1" 499 0 "-" "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2)" {r.uniform(10, 60):.3f}'
                ),
            ),
        )
    )

    syslog = LogFile("edge-lb-1-syslog.log", Syslog3164("edge-lb-1", "kernel", 0))
    syslog.add(host_traffic(rng, START, total, 420))
    syslog.add(
        [
            at(
                START,
                79.90,
                "INFO",
                "Certificate not yet due for renewal; running deploy hook anyway: systemctl reload nginx",
                logger="certbot[48190]",
            ),
            at(
                START,
                80.01,
                "INFO",
                "Reloading nginx.service - A high performance web server and a reverse proxy server...",
                logger="systemd[1]",
            ),
            at(
                START,
                80.06,
                "INFO",
                "Reloaded nginx.service - A high performance web server and a reverse proxy server.",
                logger="systemd[1]",
            ),
            at(
                START,
                first + 0.9,
                "WARN",
                "TCP: request_sock_TCP: Possible SYN flooding on port 0.0.0.0:443. Sending cookies.  Check SNMP counters.",
                logger="kernel",
            ),
        ]
    )

    syslog.records = [
        Record(r.time.astimezone(CET), r.level, r.message, r.trailer, r.logger)
        for r in syslog.records
    ]

    app = LogFile("logs/portal-app.log", JsonLines("portal-app", rng=rng))
    app.add(
        traffic(
            rng,
            web_api("portal-app", ["orders", "cart", "catalog", "invoices"]),
            START,
            total,
            2600,
        )
    )
    app.add(
        loud(
            rng,
            START,
            first + 1,
            total - first - 2,
            60,
            fixed(
                "WARN",
                lambda r: (
                    f"order stream for customer {r.randrange(10**6)} closed by client after {r.randrange(40, 1800)}s"
                ),
            ),
        )
    )
    app.add(
        loud(
            rng,
            START,
            first + 2,
            total - first - 3,
            45,
            fixed(
                "WARN",
                lambda r: (
                    f"request rate dropped to {r.randrange(20, 60)}% of forecast for tuesday 15:00-16:00 (capacity check)"
                ),
            ),
        )
    )

    notes = "\n".join(
        [
            "## edge-lb-1 - pasted by on-call at 15:50 CET",
            "",
            "$ uptime",
            " 15:49:12 up 38 days,  4:12,  1 user,  load average: 0.41, 0.38, 0.36",
            "",
            "$ ss -s",
            "Total: 3391",
            "TCP:   3560 (estab 1529, closed 1411, orphaned 2, timewait 1399)",
            "",
            "Transport Total     IP        IPv6",
            "RAW\t  1         0         1        ",
            "UDP\t  6         4         2        ",
            "TCP\t  2149      2141      8        ",
            "INET\t  2156      2145      11       ",
            "FRAG\t  0         0         0        ",
            "",
            "$ ss -ltn 'sport = :443'",
            "State  Recv-Q Send-Q Local Address:Port  Peer Address:PortProcess",
            "LISTEN 511    511          0.0.0.0:443        0.0.0.0:*",
            "",
            "$ nginx -T 2>/dev/null | grep -nE 'worker_(processes|connections|rlimit)|keepalive_timeout|proxy_read_timeout'",
            "4:worker_processes 2;",
            "10:\tworker_connections 768;",
            "31:\tkeepalive_timeout 65;",
            "77:\t\tproxy_read_timeout 1800s;",
            "",
            "$ grep 'open files' /proc/1207/limits",
            "Max open files            65536                65536                files",
            "",
            "$ top -bn1 | head -5",
            "top - 15:49:20 up 38 days,  4:12,  1 user,  load average: 0.41, 0.38, 0.36",
            "Tasks: 141 total,   1 running, 140 sleeping,   0 stopped,   0 zombie",
            "%Cpu(s):  3.1 us,  1.9 sy,  0.0 ni, 94.6 id,  0.0 wa,  0.0 hi,  0.4 si,  0.0 st",
            "MiB Mem :   7941.2 total,   5102.7 free,    842.3 used,   1996.2 buff/cache",
            "",
            "Context: portal-app 6.4.0 went live at 13:30 (live order tracking). portal-app-1..3 report CPU under 20%.",
            "The SYN flooding line worried us - security says no attack traffic at the Hetzner firewall.",
            "",
        ]
    )
    files = {
        "notes.md": notes,
        "nginx/error.log": error.render(),
        "nginx/access.log": access.render(),
        "edge-lb-1-syslog.log": syslog.render(),
        "logs/portal-app.log": app.render(),
    }
    return Bundle(
        question="The customer portal hangs or shows 502 for many users since about 15:10 CET, but the app servers look idle. Why?",
        category="connection_pool",
        component="nginx",
        statement="nginx on edge-lb-1 runs 2 workers with worker_connections 768; the long-lived SSE streams portal-app 6.4.0 introduced at 13:30 CET fill those slots and from 15:11:48 CET nginx logs `768 worker_connections are not enough`, stops accepting (SYN backlog overflows) and fails upstream connects with 502.",
        files=files,
        proofs=[
            Proof(
                "nginx/error.log",
                "15:11:48 [alert] 1207#1207: 768 worker_connections are not enough",
            ),
            Proof("notes.md", "\tworker_connections 768;"),
        ],
        decoys=[
            "Possible SYN flooding on port",
            "reconfiguring",
            "upstream timed out (110: Connection timed out)",
        ],
    )
