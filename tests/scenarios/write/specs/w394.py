# ruff: noqa: E501
# Hand-written Log4j, CI and openssl lines are data, kept whole on one line.
"""TLS, a JDK patch release disabling TLS 1.0 and 1.1: on 14 October a routine rebuild of
invoice-mailer pulls `eclipse-temurin:11-jre`, now 11.0.23 instead of 11.0.10. Since 11.0.11
`jdk.tls.disabledAlgorithms` lists TLSv1 and TLSv1.1. The company's legacy SMTP relay
(mailrelay-legacy, an old Exchange edge) offers STARTTLS with TLS 1.0 only, so every STARTTLS
handshake fails with "No appropriate protocol" and no invoice emails leave from the 15:05 EDT
rollout on. Loud: MessagingException stack traces, the outbox backlog in billing-api. Decoys:
an earlier transient 452 from the relay, Java 11 illegal-reflective-access warnings, a slow
PDF renderer."""

import random
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from records import JsonLines, Log4j
from scenes import at, fixed, java_trace, loud
from traffic import traffic, web_api

NYC = ZoneInfo("America/New_York")
START = datetime(2026, 10, 14, 13, 30, tzinfo=NYC)
MINUTES = 240.0
ROLLOUT = 95.0


def bundle() -> Bundle:
    rng = random.Random(39408)
    mailer = LogFile(
        "logs/invoice-mailer.log",
        Log4j(
            (
                "com.brightledger.mailer.OutboxPoller",
                "com.brightledger.mailer.SmtpSender",
                "com.brightledger.mailer.TemplateRenderer",
            ),
            "mailer-worker",
            rng,
        ),
    )

    def mail_line(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
        roll = r.random()
        if roll < 0.5:
            return (
                "INFO",
                f"sent invoice INV-{r.randrange(10**7):07d} to {r.choice(['ap', 'billing', 'accounts', 'finance'])}@{r.choice(['acme-freight.com', 'harborview.org', 'kettle-labs.io', 'norwood-supply.com'])} via mailrelay-legacy.corp.brightledger.com:25 in {r.randrange(120, 900)}ms",
                (),
            )
        if roll < 0.8:
            return (
                "INFO",
                f"polled outbox: {r.randrange(0, 12)} messages ready, {r.randrange(0, 3)} deferred",
                (),
            )
        return (
            "DEBUG",
            f"rendered template invoice-v7 for INV-{r.randrange(10**7):07d} in {r.randrange(5, 60)}ms",
            (),
        )

    mailer.add(traffic(rng, mail_line, START, ROLLOUT - 1, 1500))
    mailer.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"polled outbox: {r.randrange(10, 400)} messages ready, {r.randrange(5, 90)} deferred",
                (),
            ),
            START,
            MINUTES,
            600,
        )
    )
    mailer.add(
        [
            at(
                START,
                40.0,
                "WARN",
                "SMTP 452 4.3.1 Insufficient system resources from mailrelay-legacy for INV-5523190, deferring 60s",
                logger="com.brightledger.mailer.SmtpSender",
            ),
            at(
                START,
                41.1,
                "INFO",
                "sent invoice INV-5523190 to ap@acme-freight.com via mailrelay-legacy.corp.brightledger.com:25 in 611ms (attempt 2)",
                logger="com.brightledger.mailer.SmtpSender",
            ),
            at(
                START,
                ROLLOUT,
                "INFO",
                "invoice-mailer 4.2.7 (build 1931, git 8c1e0fa) starting on Java 11.0.23+9 (Eclipse Adoptium), pid 1",
                logger="com.brightledger.mailer.Main",
            ),
            at(
                START,
                ROLLOUT + 0.01,
                "WARN",
                "WARNING: Illegal reflective access by org.apache.velocity.util.introspection.ClassMap to method java.lang.Object.clone() (see --illegal-access)",
                logger="com.brightledger.mailer.Main",
            ),
            at(
                START,
                ROLLOUT + 0.02,
                "INFO",
                "SMTP transport: host=mailrelay-legacy.corp.brightledger.com port=25 starttls.required=true ssl.protocols=<jvm default>",
                logger="com.brightledger.mailer.Main",
            ),
        ]
    )
    mailer.add(
        loud(
            rng,
            START,
            ROLLOUT + 0.5,
            MINUTES - ROLLOUT - 1,
            520,
            fixed(
                "ERROR",
                lambda r: (
                    f"failed to send invoice INV-{r.randrange(10**7):07d}, will retry in 300s"
                ),
                lambda r: java_trace(
                    "javax.mail.MessagingException: Could not convert socket to TLS",
                    [
                        "com.sun.mail.smtp.SMTPTransport.startTLS(SMTPTransport.java:2155)",
                        "com.sun.mail.smtp.SMTPTransport.protocolConnect(SMTPTransport.java:752)",
                        "javax.mail.Service.connect(Service.java:342)",
                        "com.brightledger.mailer.SmtpSender.send(SmtpSender.java:74)",
                    ],
                    [
                        "javax.net.ssl.SSLHandshakeException: No appropriate protocol (protocol is disabled or cipher suites are inappropriate)",
                        "java.base/sun.security.ssl.HandshakeContext.<init>(HandshakeContext.java:170)",
                        "java.base/sun.security.ssl.ClientHandshakeContext.<init>(ClientHandshakeContext.java:103)",
                        "java.base/sun.security.ssl.TransportContext.kickstart(TransportContext.java:222)",
                        "java.base/sun.security.ssl.SSLSocketImpl.startHandshake(SSLSocketImpl.java:449)",
                        "com.sun.mail.util.SocketFetcher.configureSSLSocket(SocketFetcher.java:626)",
                    ],
                    more=4,
                ),
            ),
        )
    )
    billing = LogFile(
        "logs/billing-api.jsonl",
        JsonLines("billing-api", ("time", "severity", "message"), rng=rng),
    )
    start_utc = START.astimezone(UTC)
    billing.add(
        traffic(
            rng,
            web_api("billing-api", ["invoices", "customers", "payments"]),
            start_utc,
            MINUTES,
            4300,
        )
    )
    billing.add(
        loud(
            rng,
            start_utc,
            ROLLOUT + 20,
            MINUTES - ROLLOUT - 21,
            60,
            fixed(
                "WARN",
                lambda r: (
                    f"invoice email outbox backlog {r.randrange(300, 2600)} messages, oldest {r.randrange(20, 140)}m (threshold 15m)"
                ),
            ),
        )
    )
    billing.add(
        loud(
            rng,
            start_utc,
            150.0,
            30.0,
            25,
            fixed(
                "WARN",
                lambda r: (
                    f"pdf render for INV-{r.randrange(10**7):07d} took {r.randrange(3100, 7800)}ms (threshold 3000ms)"
                ),
            ),
        )
    )
    checks = "\n".join(
        [
            "### CI build 1931 (invoice-mailer), 14 Oct 14:52 EDT - no code change, weekly base image refresh",
            "Step 1/8 : FROM eclipse-temurin:11-jre",
            "11-jre: Pulling from library/eclipse-temurin",
            "Digest: sha256:6f1d0ab3c92e7785e4e1d2b0c5a9f3e1b7c4d8a2e6f0b9c3d5a7e1f2b4c6d8e0",
            "Status: Downloaded newer image for eclipse-temurin:11-jre",
            "Step 2/8 : COPY target/invoice-mailer.jar /app/app.jar",
            "Successfully tagged registry.brightledger.com/invoice-mailer:4.2.7-b1931",
            "",
            '### previous build 1874 ran on: openjdk version "11.0.10" 2021-01-19',
            "",
            "$ kubectl exec deploy/invoice-mailer -- java -XshowSettings:security:properties -version 2>&1 | grep -A3 disabledAlgorithms",
            "    jdk.tls.disabledAlgorithms=SSLv3, TLSv1, TLSv1.1, RC4, DES, MD5withRSA,",
            "        DH keySize < 1024, EC keySize < 224, 3DES_EDE_CBC, anon, NULL,",
            "        include jdk.disabled.namedCurves",
            "",
            "$ openssl s_client -connect mailrelay-legacy.corp.brightledger.com:25 -starttls smtp -tls1_2 </dev/null",
            "CONNECTED(00000003)",
            "40C7A1E2F07F0000:error:0A00042E:SSL routines:ssl3_read_bytes:tlsv1 alert protocol version:../ssl/record/rec_layer_s3.c:1590:SSL alert number 70",
            "---",
            "no peer certificate available",
            "$ openssl s_client -connect mailrelay-legacy.corp.brightledger.com:25 -starttls smtp -tls1 -cipher 'DEFAULT:@SECLEVEL=0' </dev/null | grep -E 'Protocol|Cipher'",
            "    Protocol  : TLSv1",
            "    Cipher    : AES256-SHA",
            "",
        ]
    )
    return Bundle(
        question="No invoice emails have gone out since about 15:05 EDT; invoice-mailer logs 'Could not convert socket to TLS'. The relay hasn't changed. What is the root cause?",
        category="tls",
        component="invoice-mailer",
        statement="invoice-mailer's rebuilt image moved from Java 11.0.10 to 11.0.23, whose jdk.tls.disabledAlgorithms disables TLSv1 and TLSv1.1; the legacy SMTP relay only negotiates TLS 1.0, so every STARTTLS handshake fails with 'No appropriate protocol' since the 15:05 rollout.",
        files={
            "ci-and-checks.txt": checks,
            "logs/invoice-mailer.log": mailer.render(),
            "logs/billing-api.jsonl": billing.render(),
        },
        proofs=[
            Proof("logs/invoice-mailer.log", "starting on Java 11.0.23+9"),
            Proof("ci-and-checks.txt", "jdk.tls.disabledAlgorithms=SSLv3, TLSv1, TLSv1.1"),
            Proof("ci-and-checks.txt", "    Protocol  : TLSv1"),
        ],
        decoys=[
            "SMTP 452 4.3.1 Insufficient system resources",
            "Illegal reflective access",
            "pdf render for INV-",
        ],
    )
