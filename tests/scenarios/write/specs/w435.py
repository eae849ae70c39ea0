# ruff: noqa: E501
# nginx lines and pasted command output are data, kept whole on one line.
"""Load balancer DNS: the two edge proxies in front of the orders API proxy to an internal AWS
ALB by name. edge-lb-01 resolves it through `resolver 10.20.0.2 valid=30s` and a variable in
proxy_pass; edge-lb-02, rebuilt last week from an older template, has a literal
`proxy_pass https://internal-orders-api-...elb.amazonaws.com;` with no resolver, so nginx
resolves it only when its configuration is loaded. At 09:14 UTC the ALB's nodes were replaced and
its addresses changed; edge-lb-02 keeps connecting to the old ones, times out, and answers 504
for about half of the orders traffic (loud). Decoys: login rate limiting, an oversized upstream
header warning, and the certificate renewal on both proxies the night before."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import NginxAccess, NginxError
from scenes import at, fixed, loud
from traffic import http_access, traffic

START = datetime(2026, 9, 22, 8, 30, tzinfo=UTC)
MINUTES = 110.0
CHANGE = 44.0  # 09:14
ALB = "internal-orders-api-1187342205.eu-west-1.elb.amazonaws.com"
PATHS = ["/v3/orders/{id}", "/v3/orders", "/v3/orders/{id}/items", "/v3/carts/{id}", "/healthz"]


def bundle() -> Bundle:
    rng = random.Random(43535)
    acc2 = LogFile("logs/edge-lb-02-access.log", NginxAccess(rng))
    acc2.add(traffic(rng, http_access(PATHS, 35), START, MINUTES, 3600))
    acc2.add(
        loud(
            rng,
            START,
            CHANGE + 0.2,
            MINUTES - CHANGE - 0.4,
            1500,
            fixed(
                "INFO",
                lambda r: (
                    f'"GET /v3/orders/{r.randrange(10**6)} HTTP/1.1" 504 562 "-" "orders-mobile/7.3.1 (iOS 19.1)" 60.001'
                ),
            ),
        )
    )
    err2 = LogFile("logs/edge-lb-02-error.log", NginxError(rng))
    err2.add(
        loud(
            rng,
            START,
            CHANGE + 0.2,
            MINUTES - CHANGE - 0.4,
            1500,
            fixed(
                "ERROR",
                lambda r: (
                    f'upstream timed out (110: Connection timed out) while connecting to upstream, client: 10.20.{r.randrange(1, 9)}.{r.randrange(2, 250)}, server: orders.shopline.example, request: "GET /v3/orders/{r.randrange(10**6)} HTTP/1.1", upstream: "https://{r.choice(["10.20.31.77", "10.20.44.12"])}:443/v3/orders/{r.randrange(10**6)}", host: "orders.shopline.example"'
                ),
            ),
        )
    )
    err2.add(
        [
            at(
                START,
                12.5,
                "WARN",
                'upstream sent too big header while reading response header from upstream, client: 10.20.4.77, server: orders.shopline.example, request: "GET /v3/orders/5512093/items HTTP/1.1", upstream: "https://10.20.31.77:443/v3/orders/5512093/items", host: "orders.shopline.example"',
            ),
        ]
    )
    acc1 = LogFile("logs/edge-lb-01-access.log", NginxAccess(rng))
    acc1.add(traffic(rng, http_access(PATHS, 35), START, MINUTES, 5000))
    err1 = LogFile("logs/edge-lb-01-error.log", NginxError(rng))
    err1.add(
        loud(
            rng,
            START,
            0,
            MINUTES,
            70,
            fixed(
                "WARN",
                lambda r: (
                    f'limiting requests, excess: {r.randrange(10, 40)}.{r.randrange(1000):03d} by zone "login", client: {r.choice(["185.220.101.", "45.134.26."])}{r.randrange(2, 250)}, server: orders.shopline.example, request: "POST /v3/login HTTP/1.1", host: "orders.shopline.example"'
                ),
            ),
        )
    )
    err1.add(
        [
            at(
                START,
                73.0,
                "WARN",
                'upstream server temporarily disabled while reading response header from upstream, client: 10.20.6.14, server: orders.shopline.example, request: "GET /v3/carts/99172 HTTP/1.1", upstream: "https://10.20.33.140:443/v3/carts/99172", host: "orders.shopline.example"',
            )
        ]
    )
    pasted = "\n".join(
        [
            "[ops@edge-lb-02 ~]$ sudo nginx -T 2>/dev/null | sed -n '/server_name orders.shopline.example/,/^}/p' | grep -E 'resolver|proxy_pass|set '",
            f"        proxy_pass https://{ALB};",
            "[ops@edge-lb-02 ~]$ ps -o pid,lstart,cmd -C nginx | head -2",
            "    PID                  STARTED CMD",
            "   1208 Wed Sep 16 07:02:19 2026 nginx: master process /usr/sbin/nginx -c /etc/nginx/nginx.conf",
            f"[ops@edge-lb-02 ~]$ dig +short {ALB}",
            "10.20.33.140",
            "10.20.47.9",
            "[ops@edge-lb-02 ~]$ sudo ss -tn state syn-sent '( dport = :443 )' | head -4",
            "Recv-Q Send-Q Local Address:Port   Peer Address:Port Process",
            "0      1          10.20.2.15:51844  10.20.31.77:443",
            "0      1          10.20.2.15:40312  10.20.44.12:443",
            "0      1          10.20.2.15:38990  10.20.31.77:443",
            "",
            "[ops@edge-lb-01 ~]$ sudo nginx -T 2>/dev/null | sed -n '/server_name orders.shopline.example/,/^}/p' | grep -E 'resolver|proxy_pass|set '",
            "        resolver 10.20.0.2 valid=30s ipv6=off;",
            f"        set $orders_api https://{ALB};",
            "        proxy_pass $orders_api;",
            "[ops@edge-lb-01 ~]$ ps -o pid,lstart,cmd -C nginx | head -2",
            "    PID                  STARTED CMD",
            "    977 Mon Aug 31 22:40:07 2026 nginx: master process /usr/sbin/nginx -c /etc/nginx/nginx.conf",
            "",
            "[ops@edge-lb-01 ~]$ sudo openssl x509 -noout -enddate -in /etc/letsencrypt/live/orders.shopline.example/cert.pem",
            "notAfter=Dec 21 01:12:44 2026 GMT",
            "",
        ]
    )
    notes = "\n".join(
        [
            "## orders API 504s (10:20 UTC)",
            "",
            "- Mobile app reports ~50% of order requests time out since ~09:15 UTC; the public DNS name round-robins edge-lb-01 and edge-lb-02.",
            "- Certificates renewed on both edge proxies last night by certbot (deploy hook reloads nginx), expiry now Dec 21.",
            "- The orders API team sees nothing wrong: ALB target group healthy, error rate 0.1%, p99 80 ms.",
            "- AWS Health: 'Elastic Load Balancing node replacement in eu-west-1' scheduled maintenance 09:00-10:00 UTC for our account.",
            "- edge-lb-02 was rebuilt on 16 Sep (disk replacement) from the ansible role in the infra-legacy repo.",
            "- Login rate limiting has been tripping all morning (credential stuffing from a few ranges, expected).",
            "",
        ]
    )
    return Bundle(
        question="About half of the mobile app's order requests have timed out with 504 since roughly 09:15 UTC. What is the root cause?",
        category="dns",
        component="edge-lb-02",
        statement="edge-lb-02's nginx has a literal proxy_pass to the internal ALB's DNS name with no resolver, so it resolves the name only when its configuration is loaded (start-up, or last night's reload); when the ALB's nodes were replaced at 09:14 UTC their addresses changed and edge-lb-02 keeps connecting to the old IPs 10.20.31.77 and 10.20.44.12, timing out and answering 504.",
        files={
            "notes.md": notes,
            "edge-proxies.txt": pasted,
            "logs/edge-lb-02-error.log": err2.render(),
            "logs/edge-lb-02-access.log": acc2.render(),
            "logs/edge-lb-01-error.log": err1.render(),
            "logs/edge-lb-01-access.log": acc1.render(),
        },
        proofs=[
            Proof("edge-proxies.txt", f"        proxy_pass https://{ALB};"),
            Proof("edge-proxies.txt", "10.20.33.140", "10.20.47.9"),
            Proof("edge-proxies.txt", "1208 Wed Sep 16 07:02:19 2026"),
        ],
        decoys=[
            'by zone "login"',
            "upstream sent too big header",
            "Certificates renewed on both edge proxies",
        ],
    )
