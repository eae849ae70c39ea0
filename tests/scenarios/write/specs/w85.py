# ruff: noqa: E501
# Hand-written log lines and stack frames are data, kept whole on one line.
"""The TLS certificate inventory-api serves on :8443 expires at 2025-06-01 00:00 UTC; edge
nginx (proxy_ssl_verify on) fails the handshake and soon reports no live upstreams, the mobile
BFF logs 502s, stock-sync's Java client fails PKIX validation, and inventory-api itself logs
only quiet handshake errors."""

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from records import JsonLines, NginxAccess, NginxError, Record, SpringBoot
from scenes import at, fixed, java_trace, loud
from traffic import Line, http_access, traffic

START = datetime(2025, 5, 31, 23, 30, tzinfo=UTC)
EXPIRY_MINUTE = 30.0
END_MINUTE = 75
BERLIN = ZoneInfo("Europe/Berlin")


def verify_error_of(client: str, sku: int, upstream: int) -> str:
    return f'upstream SSL certificate verify error: (10:certificate has expired) while SSL handshaking to upstream, client: {client}, server: api.shop.example.com, request: "GET /api/inventory/sku/{sku} HTTP/1.1", upstream: "https://10.20.4.{upstream}:8443/api/inventory/sku/{sku}", host: "api.shop.example.com"'


def verify_error(rng: random.Random) -> str:
    return verify_error_of(
        f"10.8.{rng.randrange(256)}.{rng.randrange(1, 255)}",
        rng.randrange(100000, 999999),
        rng.choice([17, 18]),
    )


def nginx_noise(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return (
            "ERROR",
            f'open() "/usr/share/nginx/html/favicon.ico" failed (2: No such file or directory), client: 10.8.{rng.randrange(256)}.{rng.randrange(1, 255)}, server: api.shop.example.com, request: "GET /favicon.ico HTTP/1.1", host: "api.shop.example.com"',
            (),
        )
    if roll < 0.8:
        return (
            "WARN",
            f'an upstream response is buffered to a temporary file /var/cache/nginx/proxy_temp/{rng.randrange(10)}/{rng.randrange(10, 99)}/00000{rng.randrange(10000, 99999)} while reading upstream, client: 10.8.{rng.randrange(256)}.{rng.randrange(1, 255)}, server: api.shop.example.com, request: "GET /api/catalog/export HTTP/1.1", upstream: "http://10.20.3.{rng.randrange(2, 40)}:8080/api/catalog/export", host: "api.shop.example.com"',
            (),
        )
    return (
        "INFO",
        f"client 10.8.{rng.randrange(256)}.{rng.randrange(1, 255)} closed keepalive connection",
        (),
    )


def bff_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.4:
        return (
            "INFO",
            f"GET /v3/home 200 {rng.randrange(40, 260)}ms app=ios/{rng.choice(['8.14.0', '8.14.1', '8.13.2'])}",
            (),
        )
    if roll < 0.65:
        return (
            "INFO",
            f"GET /v3/products/{rng.randrange(100000, 999999)} 200 {rng.randrange(30, 200)}ms stock=upstream",
            (),
        )
    if roll < 0.85:
        return "INFO", f"POST /v3/cart/items 201 {rng.randrange(50, 300)}ms", ()
    if roll < 0.97:
        return (
            "INFO",
            f"push token refreshed user={rng.randrange(10**7)} platform={rng.choice(['ios', 'android'])}",
            (),
        )
    return (
        "WARN",
        f"GET /v3/recommendations 200 {rng.randrange(1100, 1900)}ms (slow, threshold 1000ms)",
        (),
    )


def stock_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.6:
        return (
            "INFO",
            f"synced {rng.randrange(50, 900)} SKUs from warehouse {rng.choice(['DUS1', 'HAM2', 'MUC1'])} to inventory-api in {rng.randrange(200, 1400)} ms",
            (),
        )
    if roll < 0.9:
        return "DEBUG", f"delta feed offset {rng.randrange(10**6, 10**7)} committed", ()
    return (
        "WARN",
        f"warehouse {rng.choice(['DUS1', 'HAM2'])} feed lagging by {rng.randrange(60, 200)}s",
        (),
    )


def inventory_records(rng: random.Random) -> list[Record]:
    records = []
    for offset in sorted(rng.random() * END_MINUTE for _ in range(1800)):
        roll = rng.random()
        if roll < 0.7:
            message = f'level=info msg="GET /api/inventory/sku/{rng.randrange(100000, 999999)}" status=200 dur={rng.randrange(1, 20)}ms'
        elif roll < 0.9:
            message = f'level=info msg="PUT /api/inventory/bulk" status=204 dur={rng.randrange(20, 300)}ms items={rng.randrange(50, 900)}'
        else:
            message = f'level=info msg="cache warm" skus={rng.randrange(10000, 90000)}'
        if offset >= EXPIRY_MINUTE and roll < 0.9:
            if rng.random() < 0.75:
                continue
            message = f"http: TLS handshake error from 10.20.{rng.choice([1, 2])}.{rng.randrange(2, 60)}:{rng.randrange(30000, 60000)}: remote error: tls: bad certificate"
        records.append(Record(START + timedelta(minutes=offset), "INFO", message))
    return records


def pkix_trace() -> list[str]:
    return java_trace(
        "javax.net.ssl.SSLHandshakeException: PKIX path validation failed: java.security.cert.CertPathValidatorException: validity check failed",
        [
            "java.base/sun.security.ssl.Alert.createSSLException(Alert.java:131)",
            "java.base/sun.security.ssl.TransportContext.fatal(TransportContext.java:378)",
            "java.base/sun.security.ssl.CertificateMessage$T13CertificateConsumer.checkServerCerts(CertificateMessage.java:1329)",
            "org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:785)",
            "com.acme.stocksync.InventoryClient.pushBatch(InventoryClient.java:88)",
        ],
        [
            "java.security.cert.CertificateExpiredException: NotAfter: Sun Jun 01 00:00:00 UTC 2025",
            "java.base/sun.security.x509.CertificateValidity.valid(CertificateValidity.java:277)",
            "java.base/sun.security.x509.X509CertImpl.checkValidity(X509CertImpl.java:675)",
        ],
        more=41,
    )


class Go:
    """A Go server writing to stderr with the standard `log` prefix (date and time, UTC)."""

    def render(self, record: Record) -> list[str]:
        return [record.time.strftime("%Y/%m/%d %H:%M:%S ") + record.message]


def bundle() -> Bundle:
    rng = random.Random(185)
    errors = LogFile("edge-nginx/error.log", NginxError(rng=rng))
    errors.add(traffic(rng, nginx_noise, START, END_MINUTE, 260))
    errors.add(
        [at(START, EXPIRY_MINUTE + 0.004, "ERROR", verify_error_of("10.8.117.203", 2204518, 17))]
    )
    errors.add(
        loud(
            rng,
            START,
            EXPIRY_MINUTE + 0.05,
            END_MINUTE - EXPIRY_MINUTE - 0.1,
            180,
            fixed("ERROR", verify_error),
        )
    )
    errors.add(
        loud(
            rng,
            START,
            EXPIRY_MINUTE + 0.2,
            END_MINUTE - EXPIRY_MINUTE - 0.3,
            1240,
            fixed(
                "ERROR",
                lambda r: (
                    f'no live upstreams while connecting to upstream, client: 10.8.{r.randrange(256)}.{r.randrange(1, 255)}, server: api.shop.example.com, request: "GET /api/inventory/sku/{r.randrange(100000, 999999)} HTTP/1.1", upstream: "https://inventory_backend/api/inventory/sku/", host: "api.shop.example.com"'
                ),
            ),
        )
    )
    access = LogFile("edge-nginx/access.log", NginxAccess(rng=rng, zone=BERLIN))
    access.add(
        traffic(
            rng,
            http_access(
                [
                    "/api/catalog/products/{id}",
                    "/api/catalog/search?q=jacket",
                    "/api/cart",
                    "/api/inventory/sku/{id}",
                    "/api/checkout/session",
                    "/healthz",
                ]
            ),
            START,
            EXPIRY_MINUTE,
            2400,
        )
    )
    access.add(
        traffic(
            rng,
            http_access(
                [
                    "/api/catalog/products/{id}",
                    "/api/catalog/search?q=jacket",
                    "/api/cart",
                    "/api/checkout/session",
                    "/healthz",
                ]
            ),
            START + timedelta(minutes=EXPIRY_MINUTE),
            END_MINUTE - EXPIRY_MINUTE,
            3400,
        )
    )
    access.add(
        loud(
            rng,
            START,
            EXPIRY_MINUTE + 0.01,
            END_MINUTE - EXPIRY_MINUTE - 0.1,
            1420,
            fixed(
                "ERROR",
                lambda r: (
                    f'"GET /api/inventory/sku/{r.randrange(100000, 999999)} HTTP/1.1" 502 {r.choice([157, 559])} "-" "okhttp/4.12.0" 0.00{r.randrange(1, 9)}'
                ),
            ),
        )
    )
    bff = LogFile(
        "mobile-bff.log",
        JsonLines(
            "mobile-bff",
            ("@timestamp", "log.level", "message"),
            service_key="service.name",
            rng=rng,
            zone=BERLIN,
        ),
    )
    bff.add(traffic(rng, bff_line, START, END_MINUTE, 3000))
    bff.add(
        loud(
            rng,
            START,
            EXPIRY_MINUTE + 0.02,
            END_MINUTE - EXPIRY_MINUTE - 0.1,
            920,
            fixed(
                "ERROR",
                lambda r: (
                    f"GET /v3/products/{r.randrange(100000, 999999)} 500: stock lookup failed: upstream api.shop.example.com answered 502 Bad Gateway"
                ),
            ),
        )
    )
    bff.add(
        loud(
            rng,
            START,
            EXPIRY_MINUTE + 2,
            END_MINUTE - EXPIRY_MINUTE - 3,
            160,
            fixed(
                "ERROR",
                lambda r: (
                    f"POST /v3/checkout 500: availability check failed for {r.randrange(1, 6)} items (502 Bad Gateway)"
                ),
            ),
        )
    )
    stock = LogFile(
        "stock-sync.log",
        SpringBoot(("c.a.stocksync.SyncScheduler", "c.a.stocksync.InventoryClient"), rng=rng),
    )
    stock.add(traffic(rng, stock_line, START, END_MINUTE, 900))
    stock.add(
        [
            at(
                START,
                EXPIRY_MINUTE + 0.21,
                "ERROR",
                "push of batch 4410093 to https://inventory-api.internal:8443/api/inventory/bulk failed, will retry in 30s",
                pkix_trace(),
            )
        ]
    )
    stock.add(
        loud(
            rng,
            START,
            EXPIRY_MINUTE + 0.8,
            END_MINUTE - EXPIRY_MINUTE - 0.5,
            88,
            fixed(
                "ERROR",
                lambda r: (
                    f"push of batch {r.randrange(10**5, 10**6)} to https://inventory-api.internal:8443/api/inventory/bulk failed, will retry in 30s"
                ),
                lambda r: pkix_trace(),
            ),
        )
    )
    inventory = LogFile("inventory-api.log", Go())
    inventory.add(inventory_records(rng))
    return Bundle(
        question="Since 02:00 Berlin time the app shows 'stock unavailable' for every product and checkout fails. Restarting edge-nginx didn't help. Root cause?",
        category="tls",
        component="inventory-api",
        statement="The TLS certificate inventory-api serves on port 8443 expired at 2025-06-01 00:00 UTC, so edge nginx's and stock-sync's handshakes with it fail (certificate has expired) and every stock lookup behind it fails with 502.",
        files={
            "edge-nginx/error.log": errors.render(),
            "edge-nginx/access.log": access.render(),
            "mobile-bff.log": bff.render(),
            "stock-sync.log": stock.render(),
            "inventory-api.log": inventory.render(),
        },
        proofs=[
            Proof("edge-nginx/error.log", "GET /api/inventory/sku/2204518 HTTP/1.1"),
            Proof(
                "stock-sync.log",
                "push of batch 4410093 to",
                "NotAfter: Sun Jun 01 00:00:00 UTC 2025",
            ),
        ],
        decoys=[
            "no live upstreams while connecting to upstream",
            "answered 502 Bad Gateway",
            "availability check failed",
        ],
    )
