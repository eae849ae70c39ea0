# ruff: noqa: E501
# nginx lines, kernel lines and pasted command output are data, kept whole on one line.
"""Load balancer, upstream keep-alive lost in a config refactor: on edge-lb-02 a templated nginx
config (deployed 18:05 UTC, -04:00 local 14:05) split upstreams into conf.d files and dropped
`keepalive 128` and `proxy_http_version 1.1` / `Connection ""` for the catalog upstream. Every
proxied request now opens a new TCP connection to the three catalog backends; at the evening peak
the 28k ephemeral ports toward each backend are held in TIME_WAIT and connect() fails with
EADDRNOTAVAIL; nginx answers 502. edge-lb-01, still on the old config, is fine. Decoys: a
certificate OCSP stapling warning, an upstream marked down once during a backend deploy, and
the kernel's nf_conntrack notice on another host."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from records import NginxAccess, NginxError, Syslog3164
from scenes import at, fixed, loud
from traffic import host_traffic, http_access, traffic

EDT = timezone(timedelta(hours=-4))
START = datetime(2026, 6, 18, 17, 30, tzinfo=UTC)
MINUTES = 200.0
DEPLOY = 35.0  # 18:05 UTC
PEAK = 118.0  # 19:28 UTC


def bundle() -> Bundle:
    rng = random.Random(61705)
    paths = [
        "/catalog/items/{id}",
        "/catalog/search",
        "/catalog/categories",
        "/static/app.js",
        "/healthz",
    ]
    access = LogFile("edge-lb-02/access.log", NginxAccess(rng, EDT))
    access.add(traffic(rng, http_access(paths, 25), START, MINUTES, 6200))
    access.add(
        loud(
            rng,
            START,
            PEAK,
            MINUTES - PEAK - 1,
            620,
            fixed(
                "INFO",
                lambda r: (
                    f'"GET /catalog/items/{r.randrange(10**6)} HTTP/1.1" 502 157 "-" "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X)" 0.000'
                ),
            ),
        )
    )
    error = LogFile("edge-lb-02/error.log", NginxError(rng))
    error.add(
        loud(
            rng,
            START,
            PEAK,
            MINUTES - PEAK - 1,
            700,
            fixed(
                "ERROR",
                lambda r: (
                    f'connect() to 10.60.2.{r.choice([21, 22, 23])}:8080 failed (99: Cannot assign requested address) while connecting to upstream, client: 172.16.{r.randrange(0, 40)}.{r.randrange(2, 250)}, server: shop.example.net, request: "GET /catalog/items/{r.randrange(10**6)} HTTP/1.1", upstream: "http://10.60.2.{r.choice([21, 22, 23])}:8080/catalog/items/{r.randrange(10**6)}", host: "shop.example.net"'
                ),
            ),
        )
    )
    error.add(
        [
            at(
                START,
                3.0,
                "WARN",
                '"ssl_stapling" ignored, issuer certificate not found for certificate "/etc/nginx/tls/shop.example.net.pem"',
            ),
            at(START, DEPLOY + 0.2, "INFO", "signal process started"),
            at(
                START,
                71.0,
                "ERROR",
                'upstream prematurely closed connection while reading response header from upstream, client: 172.16.9.40, server: shop.example.net, request: "GET /catalog/search?q=lamp HTTP/1.1", upstream: "http://10.60.2.22:8080/catalog/search?q=lamp", host: "shop.example.net"',
            ),
            at(
                START,
                71.05,
                "WARN",
                'upstream server temporarily disabled while reading response header from upstream, client: 172.16.9.40, server: shop.example.net, request: "GET /catalog/search?q=lamp HTTP/1.1", upstream: "http://10.60.2.22:8080/catalog/search?q=lamp", host: "shop.example.net"',
            ),
        ]
    )
    syslog = LogFile("edge-lb-02/syslog", Syslog3164("edge-lb-02", "kernel", 0))
    syslog.add(host_traffic(rng, START, MINUTES, 700))
    syslog.add(
        [
            at(
                START,
                DEPLOY - 0.5,
                "INFO",
                "Applying state nginx.edge for edge-lb-02: 6 changed (nginx.conf, conf.d/upstream-catalog.conf, conf.d/upstream-account.conf, sites/shop.conf), service nginx reloaded",
                logger="salt-minion[2231]",
            ),
        ]
    )
    peer = LogFile("cache-03/syslog", Syslog3164("cache-03", "kernel", 0))
    peer.add(host_traffic(rng, START, MINUTES, 300))
    peer.add(
        [
            at(
                START,
                140.0,
                "WARN",
                "[8123311.420112] nf_conntrack: nf_conntrack: table full, dropping packet",
                logger="kernel",
            )
        ]
    )
    paste = "\n".join(
        [
            "root@edge-lb-02:~# ss -s",
            "Total: 88412",
            "TCP:   87903 (estab 2011, closed 85522, orphaned 12, timewait 85497)",
            "",
            "root@edge-lb-02:~# ss -tan state time-wait dst 10.60.2.21 | wc -l",
            "28231",
            "root@edge-lb-02:~# sysctl net.ipv4.ip_local_port_range net.ipv4.tcp_tw_reuse",
            "net.ipv4.ip_local_port_range = 32768\t60999",
            "net.ipv4.tcp_tw_reuse = 2",
            "root@edge-lb-02:~# cat /etc/nginx/conf.d/upstream-catalog.conf",
            "upstream catalog {",
            "    least_conn;",
            "    server 10.60.2.21:8080 max_fails=3 fail_timeout=10s;",
            "    server 10.60.2.22:8080 max_fails=3 fail_timeout=10s;",
            "    server 10.60.2.23:8080 max_fails=3 fail_timeout=10s;",
            "}",
            "root@edge-lb-02:~# grep -rn 'proxy_http_version\\|keepalive\\|Connection' /etc/nginx/sites/shop.conf",
            "14:    keepalive_timeout 65s;",
            "",
            "root@edge-lb-01:~# ss -s | head -3",
            "Total: 4120",
            "TCP:   3690 (estab 2388, closed 1190, orphaned 3, timewait 1171)",
            "root@edge-lb-01:~# grep -n -A6 'upstream catalog' /etc/nginx/nginx.conf",
            "88:upstream catalog {",
            "89-    least_conn;",
            "90-    server 10.60.2.21:8080 max_fails=3 fail_timeout=10s;",
            "91-    server 10.60.2.22:8080 max_fails=3 fail_timeout=10s;",
            "92-    server 10.60.2.23:8080 max_fails=3 fail_timeout=10s;",
            "93-    keepalive 128;",
            "94-}",
            "",
        ]
    )
    return Bundle(
        question="Shoppers get 502s on catalog pages through edge-lb-02 since the evening peak (about 15:30 Eastern); edge-lb-01 looks fine. What is the root cause?",
        category="network",
        component="edge-lb-02",
        statement="The 18:05 UTC config refactor on edge-lb-02 dropped `keepalive 128` (and HTTP/1.1 to upstreams) for the catalog upstream, so every request opens a new connection; at the peak the local ports toward each backend are all in TIME_WAIT and connect() fails with 99 Cannot assign requested address, giving 502s.",
        files={
            "edge-lb-02/shell.txt": paste,
            "edge-lb-02/error.log": error.render(),
            "edge-lb-02/access.log": access.render(),
            "edge-lb-02/syslog": syslog.render(),
            "cache-03/syslog": peer.render(),
        },
        proofs=[
            Proof("edge-lb-02/shell.txt", "timewait 85497"),
            Proof("edge-lb-02/shell.txt", "cat /etc/nginx/conf.d/upstream-catalog.conf", "}"),
            Proof("edge-lb-02/syslog", "conf.d/upstream-catalog.conf"),
        ],
        decoys=[
            '"ssl_stapling" ignored',
            "upstream server temporarily disabled",
            "nf_conntrack: table full",
        ],
    )
