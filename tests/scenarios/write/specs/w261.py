# ruff: noqa: E501
# Hand-written Python log lines, pasted shell output and notes are data, kept whole on one line.
"""TLS, an old trust store on one host: the payment partner moved its API certificate to a chain
under "Sectigo Public Server Authentication Root R46" on 14 May at 09:00 UTC. batch-legacy-01
(CentOS 7) has `exclude=ca-certificates*` in yum.conf since 2020 and its CA bundle (2019) lacks
that root, so its settlement exporter fails every upload with CERTIFICATE_VERIFY_FAILED; the
newer hosts are fine. Loud: the exporter's retries and a backlog of unsent settlement files.
Decoys: the partner's announced maintenance window, a DNS change of the partner's hostname,
and the exporter's disk usage warning."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import PythonLogging
from scenes import at, fixed, loud, python_traceback
from traffic import traffic, worker

START = datetime(2025, 5, 14, 6, 0, tzinfo=UTC)
MINUTES = 300.0
ROTATE = 180.0


def bundle() -> Bundle:
    rng = random.Random(26105)
    log = LogFile(
        "logs/settlement-exporter.log",
        PythonLogging(("exporter.upload", "exporter.batch", "exporter.scheduler"), rng),
    )
    log.add(
        traffic(
            rng,
            worker("settlement-exporter", ["settlements", "refunds", "chargebacks"]),
            START,
            MINUTES,
            3300,
        )
    )
    for minute in range(0, int(ROTATE), 5):
        log.add(
            [
                at(
                    START,
                    minute + 0.2,
                    "INFO",
                    f"uploaded SETT-20250514-{minute:04d}.csv to https://api.paygate-partner.com/v3/settlements (HTTP 201, {rng.randrange(80, 900)} KB)",
                    logger="exporter.upload",
                )
            ]
        )
    trace = python_traceback(
        [
            (
                "/opt/exporter/lib/python3.6/site-packages/urllib3/connectionpool.py",
                603,
                "urlopen",
                "chunked=chunked)",
            ),
            (
                "/opt/exporter/lib/python3.6/site-packages/urllib3/connectionpool.py",
                344,
                "_make_request",
                "self._validate_conn(conn)",
            ),
            (
                "/opt/exporter/lib/python3.6/site-packages/urllib3/connection.py",
                386,
                "connect",
                "ssl_context=context)",
            ),
            ("/usr/lib64/python3.6/ssl.py", 817, "do_handshake", "self._sslobj.do_handshake()"),
        ],
        "ssl.SSLError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed (_ssl.c:852)",
    )
    log.add(
        [
            at(
                START,
                ROTATE + 0.4,
                "ERROR",
                "upload of SETT-20250514-0180.csv failed",
                trace,
                "exporter.upload",
            )
        ]
    )
    log.add(
        loud(
            rng,
            START,
            ROTATE + 1,
            MINUTES - ROTATE - 2,
            520,
            fixed(
                "ERROR",
                lambda r: (
                    f"upload of SETT-20250514-{r.randrange(181, 300):04d}.csv failed: HTTPSConnectionPool(host='api.paygate-partner.com', port=443): Max retries exceeded with url: /v3/settlements (Caused by SSLError(SSLError(1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed (_ssl.c:852)'),))"
                ),
            ),
        )
    )
    log.add(
        loud(
            rng,
            START,
            ROTATE + 5,
            MINUTES - ROTATE - 6,
            180,
            fixed(
                "WARN",
                lambda r: (
                    f"retry {r.randrange(2, 6)}/5 scheduled in {r.choice([30, 60, 120, 240])}s; {r.randrange(1, 120)} settlement files pending"
                ),
            ),
        )
    )
    log.add(
        [
            at(
                START,
                61.0,
                "WARN",
                "/var/spool/exporter at 81% (threshold 80%), oldest archive 2025-02-11",
                logger="exporter.scheduler",
            ),
            at(
                START,
                241.0,
                "WARN",
                "/var/spool/exporter at 83% (threshold 80%), oldest archive 2025-02-11",
                logger="exporter.scheduler",
            ),
        ]
    )
    shell = "\n".join(
        [
            "[root@batch-legacy-01 ~]# openssl s_client -connect api.paygate-partner.com:443 -servername api.paygate-partner.com </dev/null 2>/dev/null | grep -E 'depth|verify|issuer'",
            "depth=1 C = GB, O = Sectigo Limited, CN = Sectigo Public Server Authentication CA DV R36",
            "verify error:num=20:unable to get local issuer certificate",
            "issuer=/C=GB/O=Sectigo Limited/CN=Sectigo Public Server Authentication CA DV R36",
            "    Verify return code: 20 (unable to get local issuer certificate)",
            "[root@batch-legacy-01 ~]# rpm -q ca-certificates openssl",
            "ca-certificates-2019.2.32-76.el7_7.noarch",
            "openssl-1.0.2k-19.el7.x86_64",
            "[root@batch-legacy-01 ~]# grep -n exclude /etc/yum.conf",
            "12:exclude=ca-certificates* kernel*",
            "[root@batch-legacy-01 ~]# grep -c 'Sectigo Public Server Authentication Root R46' /etc/pki/tls/certs/ca-bundle.crt",
            "0",
            "",
            "[root@batch-02 ~]# openssl s_client -connect api.paygate-partner.com:443 -servername api.paygate-partner.com </dev/null 2>/dev/null | grep 'Verify return'",
            "    Verify return code: 0 (ok)",
            "",
        ]
    )
    notes = "\n".join(
        [
            "Finance escalation, 11:00 UTC: settlement files stopped arriving at PayGate since 09:00.",
            "",
            "- PayGate announced a maintenance window 14 May 08:30-09:30 UTC ('certificate renewal and load balancer maintenance').",
            "- Their status page says all green since 09:35.",
            "- DNS: api.paygate-partner.com now CNAME to api.paygate-partner.com.cdn.cloudflare.net (changed during their maintenance).",
            "- Exporter runs only on batch-legacy-01 (the old box); batch-02 has the new reconciliation job, which talks to the same API without problems.",
            "",
        ]
    )
    return Bundle(
        question="Settlement uploads to PayGate fail since 09:00 UTC even though PayGate says everything is green. What is the root cause?",
        category="tls",
        component="batch-legacy-01",
        statement="At 09:00 UTC PayGate's API moved to a certificate chaining to Sectigo Public Server Authentication Root R46; batch-legacy-01's CA bundle is frozen at 2019 (`exclude=ca-certificates*`), so it cannot verify the chain and every settlement upload from its exporter fails with CERTIFICATE_VERIFY_FAILED, while newer hosts verify it.",
        files={
            "notes.md": notes,
            "shell-output.txt": shell,
            "logs/settlement-exporter.log": log.render(),
        },
        proofs=[
            Proof("shell-output.txt", "12:exclude=ca-certificates*"),
            Proof("shell-output.txt", "ca-certificates-2019.2.32"),
            Proof("shell-output.txt", "verify error:num=20"),
        ],
        decoys=["maintenance window", "cdn.cloudflare.net", "/var/spool/exporter at 8"],
    )
