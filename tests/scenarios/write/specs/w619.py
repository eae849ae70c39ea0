# ruff: noqa: E501
# JVM log lines, build output and pasted command output are data, kept whole on one line.
"""TLS, a base image rebuild losing the corporate root CA: claims-api 5.2.1 (deployed 10:40
+02:00) was built on base image jre21-base:2026.08, whose Dockerfile no longer runs the step
importing the internal root CA "Korvo Internal Root CA G2" into the JRE's cacerts. Calls to
public HTTPS APIs still work; calls to internal services signed by that CA (policy-svc, docs-svc)
fail with PKIX path building errors and claim submissions return 502. Decoys: a Hikari warning
about a slow connection, a deprecation warning for a Spring property, and an expiring-soon
notice for an unrelated public certificate."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from records import SpringBoot
from scenes import at, fixed, java_trace, loud
from traffic import traffic, web_api

CEST = timezone(timedelta(hours=2))
START = datetime(2026, 8, 25, 7, 50, tzinfo=UTC)
MINUTES = 150.0
DEPLOY = 50.0  # 08:40 UTC, 10:40 CEST


def bundle() -> Bundle:
    rng = random.Random(61907)
    loggers = (
        "c.k.claims.web.ClaimController",
        "c.k.claims.client.PolicyClient",
        "c.k.claims.client.DocsClient",
        "com.zaxxer.hikari.pool.HikariPool",
        "o.s.b.w.e.tomcat.TomcatWebServer",
    )
    app = LogFile("claims-api/app.log", SpringBoot(loggers, 1, rng, CEST))
    app.add(
        traffic(
            rng, web_api("claims-api", ["claims", "attachments", "quotes"]), START, MINUTES, 5000
        )
    )
    app.add(
        [
            at(
                START,
                DEPLOY + 0.1,
                "INFO",
                "Starting ClaimsApiApplication v5.2.1 using Java 21.0.4 with PID 1 (/app/claims-api.jar started by app in /app)",
                logger="c.k.claims.ClaimsApiApplication",
            ),
            at(
                START,
                DEPLOY + 0.12,
                "INFO",
                "javax.net.ssl.trustStore not set, using default /opt/java/openjdk/lib/security/cacerts (144 entries)",
                logger="c.k.claims.config.HttpClientConfig",
            ),
            at(
                START,
                DEPLOY + 0.2,
                "WARN",
                "Property 'spring.mvc.pathmatch.use-suffix-pattern' is deprecated and will be removed in a future release",
                logger="o.s.b.c.p.m.PropertiesMigrationListener",
            ),
            at(
                START,
                DEPLOY + 0.4,
                "INFO",
                "Tomcat started on port 8080 (http) with context path '/'",
                logger="o.s.b.w.e.tomcat.TomcatWebServer",
            ),
            at(
                START,
                20.0,
                "WARN",
                "HikariPool-1 - Thread starvation or clock leap detected (housekeeper delta=1m4s).",
                logger="com.zaxxer.hikari.pool.HikariPool",
            ),
            at(
                START,
                30.0,
                "WARN",
                "certificate for api.fx-rates.example.com expires in 19 days (2026-09-13T23:59:59Z); renewal is the provider's",
                logger="c.k.claims.client.FxClient",
            ),
        ]
    )

    def pkix(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
        host = r.choice(
            ["policy-svc.korvo.internal", "policy-svc.korvo.internal", "docs-svc.korvo.internal"]
        )
        return (
            "ERROR",
            f"POST /api/v1/claims failed calling https://{host}/v2/{r.choice(['policies', 'documents'])}/{r.randrange(10**6)}: I/O error",
            tuple(
                java_trace(
                    'org.springframework.web.client.ResourceAccessException: I/O error on GET request for "https://'
                    + host
                    + '/v2/lookup": PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target',
                    [
                        "org.springframework.web.client.RestTemplate.createResourceAccessException(RestTemplate.java:905)",
                        "org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:885)",
                        "c.k.claims.client.PolicyClient.lookup(PolicyClient.java:77)",
                    ],
                    [
                        "javax.net.ssl.SSLHandshakeException: PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target",
                        "java.base/sun.security.ssl.Alert.createSSLException(Alert.java:130)",
                        "java.base/sun.security.ssl.TransportContext.fatal(TransportContext.java:378)",
                    ],
                    41,
                )
            ),
        )

    app.add(loud(rng, START, DEPLOY + 1, MINUTES - DEPLOY - 2, 240, pkix))
    gw = LogFile("api-gateway/access.log", SpringBoot(("gateway.access",), 1, rng, CEST))
    gw.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"{r.choice(['GET', 'POST'])} /claims/{r.randrange(10**6)} -> claims-api 200 {r.randrange(20, 180)}ms",
                (),
            ),
            START,
            MINUTES,
            2200,
        )
    )
    gw.add(
        loud(
            rng,
            START,
            DEPLOY + 1,
            MINUTES - DEPLOY - 2,
            260,
            fixed(
                "WARN",
                lambda r: f"POST /claims -> claims-api 502 {r.randrange(40, 300)}ms upstream error",
            ),
        )
    )
    build = "\n".join(
        [
            "$ docker history --no-trunc --format '{{.CreatedBy}}' registry.korvo.internal/base/jre21-base:2026.07 | grep -i cert",
            "RUN /bin/sh -c keytool -importcert -noprompt -cacerts -storepass changeit -alias korvo-root-g2 -file /tmp/korvo-root-g2.pem",
            "COPY certs/korvo-root-g2.pem /tmp/korvo-root-g2.pem",
            "$ docker history --no-trunc --format '{{.CreatedBy}}' registry.korvo.internal/base/jre21-base:2026.08 | grep -i cert",
            "$",
            "$ docker run --rm registry.korvo.internal/claims/claims-api:5.2.1 keytool -list -cacerts -storepass changeit | grep -ci korvo",
            "0",
            "$ docker run --rm registry.korvo.internal/claims/claims-api:5.2.0 keytool -list -cacerts -storepass changeit | grep -i korvo",
            "korvo-root-g2, Jan 12, 2026, trustedCertEntry,",
            "$ openssl s_client -connect policy-svc.korvo.internal:443 -showcerts </dev/null 2>/dev/null | grep -E '^ *[0-9] s:|i:'",
            " 0 s:CN = policy-svc.korvo.internal",
            "   i:CN = Korvo Issuing CA 3, O = Korvo",
            " 1 s:CN = Korvo Issuing CA 3, O = Korvo",
            "   i:CN = Korvo Internal Root CA G2, O = Korvo",
            "",
            "claims-api 5.2.1 changelog: bump base image jre21-base 2026.07 -> 2026.08 (CVE fixes); no code changes to HTTP clients",
            "",
        ]
    )
    return Bundle(
        question="Since 10:40 this morning about a third of claim submissions fail with 502 at the gateway. What is the root cause?",
        category="tls",
        component="claims-api",
        statement="claims-api 5.2.1 was built on base image jre21-base:2026.08, which no longer imports the Korvo Internal Root CA G2 into the JRE cacerts; its calls to internally signed services (policy-svc, docs-svc) fail PKIX path building and claim submissions return 502.",
        files={
            "claims-api-docker.txt": build,
            "claims-api/app.log": app.render(),
            "api-gateway/access.log": gw.render(),
        },
        proofs=[
            Proof("claims-api-docker.txt", "grep -ci korvo", "0"),
            Proof(
                "claims-api/app.log",
                "using default /opt/java/openjdk/lib/security/cacerts (144 entries)",
            ),
        ],
        decoys=[
            "Thread starvation or clock leap detected",
            "use-suffix-pattern",
            "api.fx-rates.example.com expires in 19 days",
        ],
    )
