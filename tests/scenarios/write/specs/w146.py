# ruff: noqa: E501
# Hand-written log lines are data, kept whole on one line.
"""Single hosts behind DNS round robin: api.northwind-pay.example resolves to three nginx edges.
When the certificate was renewed by hand on 4 March, edge-3 (203.0.113.23) was pointed at the
leaf-only file `api-2025.crt` instead of `api-2025.fullchain.pem`, so it serves no intermediate
(DigiCert Global G2 TLS RSA SHA256 2020 CA1). Browsers fetch the intermediate themselves and
work; Java and Go clients that land on edge-3 fail (`PKIX path building failed`,
`x509: certificate signed by unknown authority`) about a third of the time, from 4 March
10:12 UTC. Loud: settlement-sync's handshake failures and retries, edge-3's `unknown ca`
handshake alerts. Decoys: the on-call's `openssl s_client` check that happened to hit edge-1
(verify OK), a stale expiry warning from before the renewal, and edge-2's 502s from a ledger
deploy."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from records import Log4j, NginxAccess, NginxError, Record
from scenes import at, java_trace
from traffic import Line, traffic

START = datetime(2025, 3, 4, 9, 30, tzinfo=UTC)
SWAP = datetime(2025, 3, 4, 10, 12, 31, tzinfo=UTC)
END = datetime(2025, 3, 4, 11, 30, tzinfo=UTC)
EDGES = {"203.0.113.21": "edge-1", "203.0.113.22": "edge-2", "203.0.113.23": "edge-3"}
PARTNER = "198.51.100.77"


class NginxLevels:
    """nginx's error_log at `info` level: handshake failures (DEBUG records) are logged as [info]."""

    def __init__(self, rng: random.Random) -> None:
        self.inner = NginxError(rng=rng)

    def render(self, record: Record) -> list[str]:
        if record.level == "DEBUG":
            line = self.inner.render(Record(record.time, "ERROR", record.message))[0]
            return [line.replace("[error]", "[info]", 1)]
        return self.inner.render(record)


def sync_events(
    rng: random.Random, begin: datetime, minutes: float, count: int, broken: bool
) -> list[Record]:
    """settlement-sync's calls: a connect line naming the edge's address, then the outcome."""
    records = []
    span = minutes * 60
    for offset in sorted(rng.random() * span for _ in range(count)):
        time = begin + timedelta(seconds=offset)
        address = rng.choice(list(EDGES))
        batch = rng.randrange(10**6)
        records.append(
            Record(
                time,
                "DEBUG",
                f"Connecting to api.northwind-pay.example/{address}:443",
                (),
                "org.apache.hc.client5.http.impl.io.DefaultHttpClientConnectionOperator",
            )
        )
        if broken and address == "203.0.113.23":
            records.append(
                Record(
                    time + timedelta(milliseconds=rng.randrange(30, 80)),
                    "ERROR",
                    f"settlement batch {batch} upload failed, will retry in 30s",
                    tuple(
                        java_trace(
                            "javax.net.ssl.SSLHandshakeException: PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target",
                            [
                                "java.base/sun.security.ssl.Alert.createSSLException(Alert.java:130)",
                                "java.base/sun.security.ssl.TransportContext.fatal(TransportContext.java:378)",
                                "java.base/sun.security.ssl.CertificateMessage$T13CertificateConsumer.checkServerCerts(CertificateMessage.java:1357)",
                                "org.apache.hc.client5.http.ssl.SSLConnectionSocketFactory.createLayeredSocket(SSLConnectionSocketFactory.java:283)",
                                "com.northwind.settlement.sync.ApiClient.upload(ApiClient.java:118)",
                            ],
                            caused_by=[
                                "sun.security.validator.ValidatorException: PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target",
                                "java.base/sun.security.validator.PKIXValidator.doBuild(PKIXValidator.java:439)",
                            ],
                            more=31,
                        )
                    ),
                    "com.northwind.settlement.sync.UploadJob",
                )
            )
        else:
            records.append(
                Record(
                    time + timedelta(milliseconds=rng.randrange(60, 400)),
                    "INFO",
                    f"settlement batch {batch} uploaded: {rng.randrange(5, 400)} entries, HTTP 201",
                    (),
                    "com.northwind.settlement.sync.UploadJob",
                )
            )
    return records


def access(rng: random.Random) -> Line:
    agent = rng.choice(
        [
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_3)",
            "Apache-HttpClient/5.3.1 (Java/17.0.10)",
            "Go-http-client/2.0",
            "okhttp/4.12.0",
        ]
    )
    path = rng.choice(
        ["/v2/transfers", "/v2/balances", "/v2/settlements", "/v2/transfers/{id}"]
    ).replace("{id}", str(rng.randrange(10**7)))
    return (
        "INFO",
        f'"{rng.choice(["GET", "POST"])} {path} HTTP/1.1" 200 {rng.randrange(200, 6000)} "-" "{agent}" {rng.randrange(5, 200) / 1000:.3f}',
        (),
    )


def access_no_java(rng: random.Random) -> Line:
    level, message, trailer = access(rng)
    if "Java" in message or "Go-http" in message:
        message = message.replace(
            "Apache-HttpClient/5.3.1 (Java/17.0.10)", "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"
        ).replace("Go-http-client/2.0", "Mozilla/5.0 (iPad; CPU OS 17_3 like Mac OS X)")
    return level, message, trailer


def unknown_ca(rng: random.Random) -> Line:
    client = rng.choice(["34.141.22.7", "35.198.4.113", PARTNER, "18.196.71.40", PARTNER])
    return (
        "DEBUG",
        f"SSL_do_handshake() failed (SSL: error:0A000418:SSL routines::tlsv1 alert unknown ca:SSL alert number 48) while SSL handshaking, client: {client}, server: 0.0.0.0:443",
        (),
    )


def bad_certificate(rng: random.Random) -> Line:
    return (
        "DEBUG",
        f"SSL_do_handshake() failed (SSL: error:0A000412:SSL routines::sslv3 alert bad certificate:SSL alert number 42) while SSL handshaking, client: {rng.choice(['52.29.14.201', '3.120.77.9'])}, server: 0.0.0.0:443",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(1146)
    total = (END - START).total_seconds() / 60
    swap = (SWAP - START).total_seconds() / 60
    sync = LogFile(
        "logs/settlement-sync.log",
        Log4j(("com.northwind.settlement.sync.UploadJob",), threads="upload-worker", rng=rng),
    )
    sync.add(sync_events(rng, START, swap, 420, False))
    sync.add(sync_events(rng, SWAP + timedelta(seconds=20), total - swap - 0.4, 760, True))
    sync.add(
        [
            at(
                START,
                3.4,
                "WARN",
                "certificate of api.northwind-pay.example expires in 9 days (notAfter=Mar 13 23:59:59 2025 GMT)",
                logger="com.northwind.settlement.sync.CertWatch",
            )
        ]
    )
    edge1 = LogFile("edge-1/access.log", NginxAccess(rng=rng))
    edge1.add(traffic(rng, access, START, total, 2300))
    edge1_errors = LogFile("edge-1/error.log", NginxLevels(rng=rng))
    edge1_errors.add(traffic(rng, bad_certificate, START, total, 6))
    edge1_errors.add([at(START, swap - 2, "INFO", "signal process started")])
    edge3 = LogFile("edge-3/access.log", NginxAccess(rng=rng))
    edge3.add(traffic(rng, access, START, swap, 820))
    edge3.add(traffic(rng, access_no_java, SWAP, total - swap, 1060))
    edge3_errors = LogFile("edge-3/error.log", NginxLevels(rng=rng))
    edge3_errors.add(traffic(rng, bad_certificate, START, total, 5))
    edge3_errors.add([at(START, swap - 0.05, "INFO", "signal process started")])
    edge3_errors.add(
        traffic(rng, unknown_ca, SWAP + timedelta(seconds=15), total - swap - 0.3, 690)
    )
    edge2_errors = LogFile("edge-2/error.log", NginxLevels(rng=rng))
    edge2_errors.add(traffic(rng, bad_certificate, START, total, 4))
    edge2_errors.add([at(START, swap - 1.1, "INFO", "signal process started")])
    edge2_errors.add(
        traffic(
            rng,
            lambda r: (
                "ERROR",
                f'connect() failed (111: Connection refused) while connecting to upstream, client: {r.choice(["34.141.22.7", PARTNER])}, server: api.northwind-pay.example, request: "POST /v2/transfers HTTP/1.1", upstream: "http://10.8.2.14:8080/v2/transfers", host: "api.northwind-pay.example"',
                (),
            ),
            START + timedelta(minutes=51),
            1.5,
            37,
        )
    )
    shell = "\n".join(
        [
            "on-call, 11:24 UTC",
            "",
            "$ openssl s_client -connect api.northwind-pay.example:443 -servername api.northwind-pay.example </dev/null 2>/dev/null | egrep 'Connecting|depth|s:|i:|Verify return'",
            "Connecting to 203.0.113.21",
            " 0 s:CN = api.northwind-pay.example",
            "   i:C = US, O = DigiCert Inc, CN = DigiCert Global G2 TLS RSA SHA256 2020 CA1",
            " 1 s:C = US, O = DigiCert Inc, CN = DigiCert Global G2 TLS RSA SHA256 2020 CA1",
            "   i:C = US, O = DigiCert Inc, OU = www.digicert.com, CN = DigiCert Global Root G2",
            "Verify return code: 0 (ok)",
            "",
            "works from here and in Chrome. New cert since today 10:12 (renewed by hand on all three edges, the old one expires 13 Mar).",
            "",
            "$ pssh -h edges.txt -i 'grep -h ssl_certificate /etc/nginx/sites-enabled/api.conf; nginx -v 2>&1'",
            "[1] 11:25:02 [SUCCESS] edge-1",
            "    ssl_certificate      /etc/ssl/northwind/api-2025.fullchain.pem;",
            "    ssl_certificate_key  /etc/ssl/northwind/api-2025.key;",
            "nginx version: nginx/1.24.0 (Ubuntu)",
            "[2] 11:25:02 [SUCCESS] edge-2",
            "    ssl_certificate      /etc/ssl/northwind/api-2025.fullchain.pem;",
            "    ssl_certificate_key  /etc/ssl/northwind/api-2025.key;",
            "nginx version: nginx/1.24.0 (Ubuntu)",
            "[3] 11:25:02 [SUCCESS] edge-3",
            "    ssl_certificate      /etc/ssl/northwind/api-2025.crt;",
            "    ssl_certificate_key  /etc/ssl/northwind/api-2025.key;",
            "nginx version: nginx/1.24.0 (Ubuntu)",
            "",
            "$ dig +short api.northwind-pay.example",
            "203.0.113.22",
            "203.0.113.23",
            "203.0.113.21",
            "",
            "edges.txt: edge-1 203.0.113.21, edge-2 203.0.113.22, edge-3 203.0.113.23",
            "",
        ]
    )
    ticket = "\n".join(
        [
            "Partner ticket PT-5521 (Hanse Freight AG), opened 11:02 UTC:",
            "> Since this morning roughly one in three of our API calls to api.northwind-pay.example fails",
            "> before any HTTP response with `tls: failed to verify certificate: x509: certificate signed by unknown authority`",
            "> (our Go integration). Retries usually work. Nothing changed on our side. The same URL opens fine in a browser.",
            "",
            "Internal: settlement-sync (Java) shows the same pattern, log attached.",
            "",
        ]
    )
    files = {
        "ticket.md": ticket,
        "shell.txt": shell,
        "logs/settlement-sync.log": sync.render(),
        "edge-1/access.log": edge1.render(),
        "edge-1/error.log": edge1_errors.render(),
        "edge-2/error.log": edge2_errors.render(),
        "edge-3/access.log": edge3.render(),
        "edge-3/error.log": edge3_errors.render(),
    }
    return Bundle(
        question="Since this morning about a third of API calls from partners and from settlement-sync fail during the TLS handshake, but the site works in a browser and openssl says the certificate verifies. What is the root cause?",
        category="tls",
        component="edge-3",
        statement="Since the hand-made certificate renewal at 10:12 UTC on 4 March, edge-3 (203.0.113.23) serves the leaf-only api-2025.crt instead of api-2025.fullchain.pem, so it sends no DigiCert intermediate; Java and Go clients routed to edge-3 by DNS round robin fail verification (PKIX path building failed, unknown authority) while browsers and edge-1/edge-2 are fine.",
        files=files,
        proofs=[Proof("shell.txt", "ssl_certificate      /etc/ssl/northwind/api-2025.crt;")],
        decoys=[
            "Verify return code: 0 (ok)",
            "expires in 9 days",
            "connect() failed (111: Connection refused)",
        ],
    )
