# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""quote-service 2.14.0 (deployed 13:02 UTC) builds its RestTemplate for pricing-engine on a
shared PoolingHttpClientConnectionManager but never sets its limits, so Apache HttpClient 4's
defaults apply: 2 connections per route, 20 in total. As the afternoon traffic rises, requests
queue for a pooled connection and fail with "Timeout waiting for connection from pool"; Tomcat's
threads fill up and the gateway returns 503/504 for /v2/quotes. pricing-engine itself answers
in 20 ms throughout. Decoys: the gateway's errors naming quote-service's upstream, a GC pause
warning in pricing-engine, and a Kafka consumer rebalance in quote-service."""

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from metrics import csv_text, shift
from records import Log4j, NginxAccess, SpringBoot
from scenes import at, fixed, java_trace, loud
from traffic import Line, traffic

START = datetime(2025, 1, 14, 12, 45, tzinfo=UTC)
CET = timezone(timedelta(hours=1))
RELEASE = 17.0
EXHAUSTED = 46.4
MINUTES = 80
PRODUCTS = [
    "HOME-BASIC",
    "HOME-PLUS",
    "MOTOR-STD",
    "MOTOR-FLEX",
    "TRAVEL-EU",
    "TRAVEL-WORLD",
    "PET-CARE",
]


def quote_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return (
            "INFO",
            f"quote {rng.getrandbits(40):010x} product={rng.choice(PRODUCTS)} premium={rng.randrange(80, 2400)}.{rng.randrange(100):02d} EUR computed in {rng.randrange(25, 140)} ms",
            (),
        )
    if roll < 0.7:
        return (
            "DEBUG",
            f"pricing-engine responded 200 for product={rng.choice(PRODUCTS)} in {rng.randrange(9, 40)} ms",
            (),
        )
    if roll < 0.85:
        return (
            "INFO",
            f"quote {rng.getrandbits(40):010x} converted to policy draft {rng.randrange(10**7)}",
            (),
        )
    if roll < 0.97:
        return (
            "INFO",
            f"cached tariff table {rng.choice(PRODUCTS)} v{rng.randrange(40, 60)} (hit ratio 0.{rng.randrange(90, 99)})",
            (),
        )
    return (
        "WARN",
        f"quote {rng.getrandbits(40):010x} rejected: postcode {rng.randrange(10000, 99999)} not in coverage area",
        (),
    )


def pool_failure(rng: random.Random) -> Line:
    return (
        "ERROR",
        'Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed; nested exception is org.springframework.web.client.ResourceAccessException: I/O error on POST request for "http://pricing-engine.pricing.svc:8080/v3/price": Timeout waiting for connection from pool; nested exception is org.apache.http.conn.ConnectionPoolTimeoutException: Timeout waiting for connection from pool] with root cause',
        tuple(
            java_trace(
                "org.apache.http.conn.ConnectionPoolTimeoutException: Timeout waiting for connection from pool",
                [
                    "org.apache.http.impl.conn.PoolingHttpClientConnectionManager.leaseConnection(PoolingHttpClientConnectionManager.java:316)",
                    "org.apache.http.impl.conn.PoolingHttpClientConnectionManager$1.get(PoolingHttpClientConnectionManager.java:282)",
                    "org.apache.http.impl.execchain.MainClientExec.execute(MainClientExec.java:190)",
                    "org.apache.http.impl.execchain.ProtocolExec.execute(ProtocolExec.java:186)",
                    "org.springframework.http.client.HttpComponentsClientHttpRequest.executeInternal(HttpComponentsClientHttpRequest.java:87)",
                    "com.example.quotes.pricing.PricingClient.price(PricingClient.java:64)",
                    "com.example.quotes.api.QuoteController.create(QuoteController.java:58)",
                ],
                more=71,
            )
        ),
    )


def pricing_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.8:
        return (
            "INFO",
            f"POST /v3/price product={rng.choice(PRODUCTS)} factors={rng.randrange(8, 30)} status=200 took={rng.randrange(6, 34)}ms",
            (),
        )
    if roll < 0.96:
        return (
            "INFO",
            f"rule set {rng.choice(PRODUCTS)} evaluated: {rng.randrange(40, 300)} rules, {rng.randrange(0, 4)} overrides",
            (),
        )
    return (
        "WARN",
        f'POST /v3/price product={rng.choice(PRODUCTS)} status=422 reason="missing factor: vehicle_age"',
        (),
    )


def gateway_line(rng: random.Random, statuses: tuple[int, ...] = (200,)) -> Line:
    status = rng.choice(statuses)
    path = rng.choice(
        [
            "/v2/quotes",
            "/v2/quotes",
            f"/v2/quotes/{rng.getrandbits(40):010x}",
            "/v2/policies/drafts",
        ]
    )
    method = "POST" if path == "/v2/quotes" else "GET"
    if path != "/v2/quotes":
        status = 200
    seconds = {
        200: rng.lognormvariate(0, 0.4) * 0.06,
        503: 3.0 + rng.random() * 0.05,
        504: 15.0 + rng.random() * 0.01,
    }[status]
    return (
        "INFO",
        f'"{method} {path} HTTP/1.1" {status} {rng.randrange(300, 2400) if status == 200 else 95} "-" "{rng.choice(["quote-widget/5.2", "partner-api-client/1.9", "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2)"])}" {seconds:.3f} upstream=quote-service.quotes.svc:8080',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(1124)
    quote = LogFile(
        "logs/quote-service.log",
        SpringBoot(
            (
                "c.e.quotes.api.QuoteController",
                "c.e.quotes.pricing.PricingClient",
                "c.e.quotes.tariff.TariffCache",
            ),
            rng=rng,
            zone=CET,
        ),
    )
    quote.add(traffic(rng, quote_line, START, RELEASE - 0.8, 520))
    quote.add(
        traffic(
            rng,
            quote_line,
            START + timedelta(minutes=RELEASE + 0.6),
            EXHAUSTED - RELEASE - 0.6,
            1300,
        )
    )
    quote.add(
        traffic(rng, quote_line, START + timedelta(minutes=EXHAUSTED), MINUTES - EXHAUSTED, 900)
    )
    servlet = "o.a.c.c.C.[.[.[/].[dispatcherServlet]"
    quote.add(
        [
            replace(record, logger=servlet)
            for record in loud(
                rng, START, EXHAUSTED + 0.05, MINUTES - EXHAUSTED - 0.1, 380, pool_failure
            )
        ]
    )
    quote.add(
        loud(
            rng,
            START,
            EXHAUSTED + 2.0,
            MINUTES - EXHAUSTED - 2.5,
            40,
            fixed(
                "WARN",
                lambda r: (
                    f"Tomcat thread pool near capacity: {r.randrange(188, 201)} of 200 threads busy, {r.randrange(40, 300)} requests queued"
                ),
            ),
        )
    )
    quote.add(
        [
            at(
                START,
                RELEASE - 0.7,
                "INFO",
                "Stopping service [Tomcat]",
                logger="o.apache.catalina.core.StandardService",
            ),
            at(
                START,
                RELEASE,
                "INFO",
                "Starting QuoteServiceApplication v2.14.0 using Java 17.0.9 with PID 1 (/app/quote-service.jar started by app in /app)",
                logger="c.e.quotes.QuoteServiceApplication",
            ),
            at(
                START,
                RELEASE + 0.12,
                "INFO",
                "Pricing client ready: baseUrl=http://pricing-engine.pricing.svc:8080 connectTimeout=2000ms readTimeout=5000ms connectionRequestTimeout=3000ms pool=shared PoolingHttpClientConnectionManager (maxTotal and defaultMaxPerRoute not set)",
                logger="c.e.quotes.config.HttpClientConfig",
            ),
            at(
                START,
                RELEASE + 0.3,
                "INFO",
                "Tomcat started on port(s): 8080 (http) with context path ''",
                logger="o.s.b.w.embedded.tomcat.TomcatWebServer",
            ),
            at(
                START,
                RELEASE + 0.31,
                "INFO",
                "Started QuoteServiceApplication in 16.422 seconds (JVM running for 18.009)",
                logger="c.e.quotes.QuoteServiceApplication",
            ),
            at(
                START,
                27.3,
                "INFO",
                "[Consumer clientId=quote-service-0, groupId=quote-service] Request joining group due to: group is already rebalancing",
                logger="o.a.k.c.c.internals.ConsumerCoordinator",
            ),
            at(
                START,
                27.5,
                "INFO",
                "[Consumer clientId=quote-service-0, groupId=quote-service] Successfully joined group with generation Generation{generationId=212, memberId='quote-service-0-5b1c8e2f-7a90-4d13-b6c4-e1f0a2d93c57', protocol='range'}",
                logger="o.a.k.c.c.internals.ConsumerCoordinator",
            ),
            at(
                START,
                EXHAUSTED + 0.6,
                "DEBUG",
                "Connection request: [route: {}->http://pricing-engine.pricing.svc:8080][total kept alive: 0; route allocated: 2 of 2; total allocated: 2 of 20]",
                logger="o.a.h.i.c.PoolingHttpClientConnectionManager",
            ),
        ]
    )
    pricing = LogFile(
        "logs/pricing-engine.log",
        Log4j(
            ("com.example.pricing.http.PriceResource", "com.example.pricing.rules.RuleEngine"),
            threads="http-worker",
            rng=rng,
        ),
    )
    pricing.add(traffic(rng, pricing_line, START, MINUTES, 2600))
    pricing.add(
        loud(
            rng,
            START,
            52.0,
            6.0,
            14,
            fixed(
                "WARN",
                lambda r: (
                    f"JVM pause detected: G1 Evacuation Pause (young) took {r.randrange(410, 780)} ms, heap {r.randrange(2900, 3400)}M->{r.randrange(900, 1300)}M (4096M)"
                ),
            ),
        )
    )
    gateway = LogFile("logs/api-gateway-access.log", NginxAccess(rng=rng, zone=CET))
    gateway.add(traffic(rng, gateway_line, START, EXHAUSTED, 3100))
    gateway.add(
        traffic(
            rng,
            lambda r: gateway_line(r, (200, 200, 503, 504)),
            START + timedelta(minutes=EXHAUSTED),
            MINUTES - EXHAUSTED,
            3600,
        )
    )
    points = MINUTES * 2
    exhausted_at = int(EXHAUSTED * 2)
    series = {
        "quote_service_requests_per_s": shift(rng, 14, 41, 60, 0.05, ramp=40),
        "quote_service_latency_p99_ms": shift(rng, 180, 15010, exhausted_at, 0.04, ramp=4),
        "quote_service_tomcat_threads_busy": shift(rng, 9, 199, exhausted_at, 0.02, ramp=6),
        "quote_service_http_5xx_per_s": shift(rng, 0.02, 11.8, exhausted_at, 0.2, ramp=3),
        "quote_service_cpu_cores": shift(rng, 0.41, 0.52, exhausted_at, 0.08),
        "pricing_engine_requests_per_s": shift(rng, 70, 152, 60, 0.04, ramp=33),
        "pricing_engine_latency_p99_ms": shift(rng, 31, 29, exhausted_at, 0.1),
        "pricing_engine_cpu_cores": shift(rng, 0.9, 1.8, 60, 0.08, ramp=33),
    }
    notes = "\n".join(
        [
            "Quotes incident 14 Jan (times CET in our logs, UTC in Grafana)",
            "",
            "- 14:31 CET partner API alerts: POST /v2/quotes 503/504 at the gateway.",
            "- pricing-engine team says their p99 is flat around 30 ms; their request rate levelled off at ~150/s around 14:31 CET. Each quote prices 5 coverage variants.",
            "- pricing-engine had a GC pause warning around 13:37 UTC, they are looking at heap sizing anyway.",
            "- quote-service 2.14.0 went out at 13:02 UTC (HTTP client refactor: one shared client for all downstreams).",
            "- 14:32 CET enabled DEBUG for org.apache.http.impl.conn for one minute via actuator, one line pasted into the log.",
            "",
        ]
    )
    return Bundle(
        question="Since about 13:31 UTC partners get 503/504 on POST /v2/quotes. pricing-engine says it is healthy. What is the root cause?",
        category="connection_pool",
        component="quote-service",
        statement="quote-service 2.14.0, deployed at 13:02 UTC, sends every pricing call through a shared Apache HttpClient pool whose limits were never set (2 connections per route, 20 total); from 13:31 UTC, as traffic rises, requests wait for a pooled connection and fail with 'Timeout waiting for connection from pool', its Tomcat threads fill and the gateway returns 503/504, while pricing-engine stays fast.",
        files={
            "notes.md": notes,
            "metrics.csv": csv_text(START, 30, points, series),
            "logs/quote-service.log": quote.render(),
            "logs/pricing-engine.log": pricing.render(),
            "logs/api-gateway-access.log": gateway.render(),
        },
        proofs=[
            Proof("logs/quote-service.log", "maxTotal and defaultMaxPerRoute not set"),
            Proof("logs/quote-service.log", "route allocated: 2 of 2"),
        ],
        decoys=[
            "upstream=quote-service.quotes.svc:8080",
            "G1 Evacuation Pause",
            "group is already rebalancing",
        ],
    )
