# ruff: noqa: E501
# nginx and logfmt lines and the pasted config diff are data, kept whole on one line.
"""nginx load balancer retrying POSTs: a config management change (MR !2210, applied 14:05 UTC)
to edge-lb-1's `payments.conf` added `proxy_next_upstream error timeout http_502
non_idempotent;` and cut `proxy_read_timeout` to 4s to 'fail over faster'. When a charge takes
longer than 4 s at the card processor, nginx resends the same POST /v1/charges to the next
payments instance, which charges the card again: customers are charged twice. Decoys: a
certificate expiry warning for another site, a slow SQL warning in payments, a 499 burst
from a mobile client release."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import Logfmt, NginxAccess, NginxError
from scenes import at, fixed, loud
from traffic import http_access, traffic, web_api

START = datetime(2026, 10, 5, 13, 0, tzinfo=UTC)
MINUTES = 210.0
CHANGE = 65.0


def bundle() -> Bundle:
    rng = random.Random(45307)
    access = LogFile("edge-lb-1/access.log", NginxAccess(rng))
    access.add(
        traffic(
            rng,
            http_access(
                ["/v1/charges/{id}", "/v1/customers/{id}", "/v1/refunds/{id}", "/healthz"], 60
            ),
            START,
            MINUTES,
            5000,
        )
    )
    access.add(
        loud(
            rng,
            START,
            140,
            3,
            70,
            fixed(
                "INFO",
                lambda r: (
                    f'"GET /v1/customers/{r.randrange(10**6)} HTTP/1.1" 499 0 "-" "ShopApp/7.3.0 (iOS 18.1)" {r.randrange(1000, 9000) / 1000:.3f}'
                ),
            ),
        )
    )
    access.add(
        loud(
            rng,
            START,
            CHANGE + 2,
            MINUTES - CHANGE - 3,
            160,
            fixed(
                "INFO",
                lambda r: (
                    f'"POST /v1/charges HTTP/1.1" 201 412 "-" "checkout/3.8" {r.randrange(4010, 6900) / 1000:.3f}'
                ),
            ),
        )
    )
    error = LogFile("edge-lb-1/error.log", NginxError(rng))
    error.add(
        [
            at(START, CHANGE, "INFO", "signal 1 (SIGHUP) received from 2210, reconfiguring"),
            at(START, CHANGE + 0.01, "INFO", "reconfiguring"),
        ]
    )
    error.add(
        loud(
            rng,
            START,
            CHANGE + 2,
            MINUTES - CHANGE - 3,
            170,
            fixed(
                "ERROR",
                lambda r: (
                    f'upstream timed out (110: Connection timed out) while reading response header from upstream, client: 10.12.{r.randrange(1, 30)}.{r.randrange(2, 250)}, server: api.payments.internal, request: "POST /v1/charges HTTP/1.1", upstream: "http://10.12.40.{r.choice([11, 12, 13])}:8080/v1/charges", host: "api.payments.internal"'
                ),
            ),
        )
    )
    pay = LogFile("payments/payments.logfmt", Logfmt("payments", rng))
    pay.add(
        traffic(rng, web_api("payments", ["charges", "refunds", "customers"]), START, MINUTES, 3600)
    )
    pay.add(
        loud(
            rng,
            START,
            CHANGE + 2,
            MINUTES - CHANGE - 3,
            150,
            fixed(
                "INFO",
                lambda r: (
                    f"charge created order_id=ORD-{r.randrange(10**6, 10**7)} amount={r.randrange(500, 40000) / 100:.2f} processor_ms={r.randrange(4000, 6800)} idempotency_key=none (second charge for this order within 10s)"
                ),
            ),
        )
    )
    pay.add(
        [
            at(
                START,
                30.2,
                "WARN",
                "slow query 1.8s: SELECT * FROM charges WHERE customer_id = $1 ORDER BY created_at DESC",
            )
        ]
    )
    error.add(
        [
            at(
                START,
                5.0,
                "WARN",
                'ssl certificate "/etc/nginx/tls/status.example.net.crt" expires in 19 days',
            )
        ]
    )
    diff = "\n".join(
        [
            "$ git -C /srv/lb-config log -1 --format='%h %an %ad %s' --date=iso-strict -- sites/payments.conf",
            "9c4e1a7 r.nakamura 2026-10-05T14:03:51+00:00 payments: fail over faster between upstreams (MR !2210)",
            "$ git -C /srv/lb-config show 9c4e1a7 -- sites/payments.conf",
            "--- a/sites/payments.conf",
            "+++ b/sites/payments.conf",
            "@@ -18,8 +18,9 @@ location /v1/ {",
            "     proxy_pass http://payments_upstream;",
            "     proxy_set_header X-Request-Id $request_id;",
            "-    proxy_read_timeout 30s;",
            "-    proxy_next_upstream error timeout;",
            "+    proxy_read_timeout 4s;",
            "+    proxy_next_upstream error timeout http_502 non_idempotent;",
            "+    proxy_next_upstream_tries 2;",
            "     proxy_http_version 1.1;",
            "$ ssh edge-lb-1 'nginx -T 2>/dev/null | grep -n proxy_next_upstream'",
            "212:    proxy_next_upstream error timeout http_502 non_idempotent;",
            "213:    proxy_next_upstream_tries 2;",
            "",
        ]
    )
    return Bundle(
        question="Since this afternoon (UTC) support is flooded with customers charged twice for one order. What is the root cause?",
        category="configuration",
        component="edge-lb-1",
        statement="MR !2210, applied on edge-lb-1 at 14:05 UTC, cut proxy_read_timeout to 4s and added non_idempotent to proxy_next_upstream, so any charge slower than 4 s is resent to another payments instance and the card is charged a second time.",
        files={
            "edge-lb-1/error.log": error.render(),
            "edge-lb-1/access.log": access.render(),
            "payments/payments.logfmt": pay.render(),
            "lb-config.txt": diff,
        },
        proofs=[
            Proof(
                "lb-config.txt", "+    proxy_next_upstream error timeout http_502 non_idempotent;"
            ),
            Proof("lb-config.txt", "+    proxy_read_timeout 4s;"),
            Proof("lb-config.txt", "212:    proxy_next_upstream"),
        ],
        decoys=["expires in 19 days", "slow query 1.8s", "ShopApp/7.3.0 (iOS 18.1)"],
    )
