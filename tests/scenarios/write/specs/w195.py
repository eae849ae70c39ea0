# ruff: noqa: E501
# Log lines and pasted command output are data, kept whole on one line.
"""TLS: at 07:41 UTC the weekly Ansible run on rates-01 reissues rates-service's certificate from an
old role that puts the host name only in the subject CN (no subjectAltName) and reloads the
service. Go clients (quote-api) reject it with `x509: certificate relies on legacy Common Name
field, use SANs instead`; the Java reporting batch still works because its hostname check falls
back to the CN. Loud: quote-api's failed quotes and its callers' 502s. Decoys: quote-api (where
every error is logged), rates-service's ordinary ECB feed delay warning, and a DNS timeout blip
at 07:02 that recovered."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import Journal, Log4j, Record, Zap
from scenes import at, fixed, loud
from traffic import Line, traffic

START = datetime(2025, 9, 8, 6, 50, tzinfo=UTC)
MINUTES = 85
RENEW = 51.0
PAIRS = ["EUR/USD", "EUR/GBP", "USD/JPY", "EUR/CHF", "GBP/USD", "USD/CAD", "EUR/SEK"]


class HostJournal(Journal):
    """`journalctl -o short-iso` for the whole host: a record's logger names another program."""

    def render(self, record: Record) -> list[str]:
        if record.logger:
            return [
                f"{record.time.strftime('%Y-%m-%dT%H:%M:%S+0000')} {self.host} {record.logger}: {record.message}"
            ]
        return super().render(record)


def quote_ok(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.7:
        return (
            "INFO",
            f"quote issued id=q_{rng.getrandbits(40):010x} pair={rng.choice(PAIRS)} amount={rng.randrange(10, 90000)}.{rng.randrange(100):02d} ttl=30s latency_ms={rng.randrange(4, 45)}",
            (),
        )
    if roll < 0.93:
        return (
            "INFO",
            f"rates cache refreshed from https://rates.internal:8443/v2/rates pairs=42 age_ms={rng.randrange(200, 900)}",
            (),
        )
    return (
        "WARN",
        f"quote q_{rng.getrandbits(40):010x} expired before acceptance (client took {rng.randrange(31, 90)}s)",
        (),
    )


def quote_fail(rng: random.Random) -> Line:
    if rng.random() < 0.55:
        return (
            "ERROR",
            'rates refresh failed: Get "https://rates.internal:8443/v2/rates": tls: failed to verify certificate: x509: certificate relies on legacy Common Name field, use SANs instead',
            (),
        )
    return (
        "ERROR",
        f"quote rejected id=q_{rng.getrandbits(40):010x} pair={rng.choice(PAIRS)}: rates stale (age {rng.randrange(61, 1900)}s > max 60s)",
        (),
    )


def rates_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.85:
        return (
            "INFO",
            f"served GET /v2/rates to {rng.choice(['10.40.2.17', '10.40.2.18', '10.40.3.9'])} pairs=42 {rng.randrange(1, 9)}ms",
            (),
        )
    return (
        "INFO",
        f"ECB reference feed ingested: {rng.randrange(28, 33)} currencies, as of 2025-09-0{rng.randrange(5, 9)}",
        (),
    )


def batch_line(rng: random.Random) -> Line:
    return (
        "INFO",
        f"fetched rates from https://rates.internal:8443/v2/rates?base={rng.choice(['EUR', 'USD', 'GBP'])} in {rng.randrange(8, 60)} ms; {rng.randrange(100, 5000)} positions revalued",
        (),
    )


NOTES = """quotes failing -- notes from the FX on-call, 08:25 UTC

Desk says no quotes since ~07:42. quote-api pods are up, no deploy today. Reporting batch (Java) is happy
and reads the same rates endpoint. DNS hiccup at 07:02 was a single timeout, cleared by itself.

$ openssl s_client -connect rates.internal:8443 -servername rates.internal </dev/null 2>/dev/null | openssl x509 -noout -text | sed -n '1,40p'
Certificate:
    Data:
        Version: 3 (0x2)
        Serial Number:
            5f:1c:93:0e:a2:47:d8:61:0b:3e:9a:c4:72:11:08:fe:29:d3:6a:01
        Signature Algorithm: sha256WithRSAEncryption
        Issuer: C = DE, O = Finexa GmbH, CN = Finexa Internal Issuing CA 2
        Validity
            Not Before: Sep  8 07:40:12 2025 GMT
            Not After : Sep  8 07:40:12 2026 GMT
        Subject: C = DE, O = Finexa GmbH, OU = Treasury, CN = rates.internal
        Subject Public Key Info:
            Public Key Algorithm: rsaEncryption
                Public-Key: (2048 bit)
        X509v3 extensions:
            X509v3 Basic Constraints: critical
                CA:FALSE
            X509v3 Key Usage: critical
                Digital Signature, Key Encipherment
            X509v3 Extended Key Usage:
                TLS Web Server Authentication
            X509v3 Subject Key Identifier:
                9A:0F:33:C1:7E:52:B8:04:61:DA:2C:9F:10:4B:E7:85:36:AB:C0:12
            X509v3 Authority Key Identifier:
                4C:E1:07:9B:38:D2:AA:5F:13:86:F0:2E:C4:99:71:0A:B3:56:E8:2D
    Signature Algorithm: sha256WithRSAEncryption

(last week's cert, from the backup in /etc/rates/tls/old/, for comparison)
$ openssl x509 -in /etc/rates/tls/old/rates.crt -noout -subject -ext subjectAltName -enddate
subject=C = DE, O = Finexa GmbH, OU = Treasury, CN = rates.internal
X509v3 Subject Alternative Name:
    DNS:rates.internal, DNS:rates-01.treasury.finexa.lan
notAfter=Sep 14 07:39:55 2025 GMT
"""


def bundle() -> Bundle:
    rng = random.Random(1195)
    quote = LogFile(
        "logs/quote-api.log",
        Zap(("rates/client.go:112", "quote/service.go:87", "quote/handler.go:64"), rng=rng),
    )
    quote.add(traffic(rng, quote_ok, START, RENEW + 0.3, 3100))
    quote.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"quote request pair={r.choice(PAIRS)} amount={r.randrange(10, 90000)}",
                (),
            ),
            START,
            MINUTES,
            700,
        )
    )
    quote.add(loud(rng, START, RENEW + 0.4, MINUTES - RENEW - 0.5, 480, quote_fail))
    quote.add(
        [
            at(
                START,
                12.1,
                "WARN",
                'rates refresh failed: Get "https://rates.internal:8443/v2/rates": dial tcp: lookup rates.internal on 10.40.0.10:53: read udp 10.40.2.17:51734->10.40.0.10:53: i/o timeout (retrying)',
            )
        ]
    )
    rates = LogFile("logs/rates-01-journal.log", HostJournal("rates-01", "rates-service", 1412))
    rates.add(traffic(rng, rates_line, START, RENEW, 1500))
    rates.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"served GET /v2/rates?base={r.choice(['EUR', 'USD', 'GBP'])} to 10.52.{r.randrange(1, 3)}.{r.randrange(2, 250)} pairs=42 {r.randrange(1, 9)}ms",
                (),
            ),
            START,
            MINUTES,
            160,
        )
    )
    rates.add(
        loud(
            rng,
            START,
            RENEW + 0.3,
            MINUTES - RENEW - 0.4,
            220,
            fixed(
                "INFO",
                lambda r: (
                    f"http: TLS handshake error from 10.40.{r.choice([2, 3])}.{r.choice([17, 18, 9])}:{r.randrange(30000, 60000)}: remote error: tls: bad certificate"
                ),
            ),
        )
    )
    rates.add(
        [
            at(
                START,
                22.0,
                "WARN",
                "ECB reference feed late: last publication 2025-09-05, retrying in 15m",
            ),
            at(
                START,
                RENEW - 0.3,
                "INFO",
                "Invoked with src=/root/.ansible/tmp/ansible-tmp-1757317241.82-40117/source dest=/etc/rates/tls/rates.crt owner=rates group=rates mode=0644 backup=True _original_basename=rates-legacy-cn.crt.j2 role=tls_legacy_cert_v1.3 subject=/C=DE/O=Finexa GmbH/OU=Treasury/CN=rates.internal",
                logger="ansible-ansible.legacy.copy[40188]",
            ),
            at(
                START,
                RENEW - 0.2,
                "INFO",
                "received SIGHUP, reloading TLS certificate /etc/rates/tls/rates.crt",
            ),
            at(
                START,
                RENEW - 0.18,
                "INFO",
                "TLS certificate reloaded: serial 5f1c930ea247d8610b3e9ac4721108fe29d36a01 notAfter=2026-09-08T07:40:12Z",
            ),
        ]
    )
    batch = LogFile(
        "logs/reporting-batch.log", Log4j(("com.finexa.report.RevaluationJob",), rng=rng)
    )
    batch.add(traffic(rng, batch_line, START, MINUTES, 260))
    files = {
        "notes.md": NOTES,
        "logs/quote-api.log": quote.render(),
        "logs/rates-01-journal.log": rates.render(),
        "logs/reporting-batch.log": batch.render(),
    }
    return Bundle(
        question="No FX quotes can be issued since about 07:42 UTC; quote-api is up and nothing was deployed. What is the root cause?",
        category="tls",
        component="rates-service",
        statement="At 07:41 UTC an Ansible run replaced rates-service's certificate on rates-01 with one that names rates.internal only in the subject CN and has no subjectAltName; Go clients such as quote-api reject it (x509: certificate relies on legacy Common Name field), their rates go stale and every quote is rejected, while the Java reporting batch keeps working.",
        files=files,
        proofs=[
            Proof(
                "logs/rates-01-journal.log",
                "role=tls_legacy_cert_v1.3",
                "TLS certificate reloaded: serial",
            ),
            Proof(
                "notes.md",
                "Subject: C = DE, O = Finexa GmbH, OU = Treasury, CN = rates.internal",
                "Authority Key Identifier",
            ),
        ],
        decoys=[
            "lookup rates.internal on 10.40.0.10:53",
            "ECB reference feed late",
            "rates stale (age",
        ],
    )
