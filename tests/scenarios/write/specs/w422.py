# ruff: noqa: E501
# Hand-written log4j and journald lines and pasted openssl output are data, kept whole on one line.
"""TLS, a client that does not send SNI: settlement-batch's unit file has carried
`-Djsse.enableSNIExtension=false` since 2019, when a partner endpoint answered SNI with an
`unrecognized_name` alert. On 21 October the clearing partner moved api.clearhouse-partner.com
behind a CDN that picks the certificate by SNI; a client without SNI gets the CDN's default
certificate (CN=default.edgeflux.net), so the nightly upload at 02:00 IST fails hostname
verification. curl from the same host works (it sends SNI). Quiet: the JVM arguments logged at
start and the unit file. Loud: SSLHandshakeException "No subject alternative DNS name
matching" and the settlement files piling up. Decoys: an internal certificate expiring in 19
days, a deadlock retried, a disk usage warning."""

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from records import Journal, Log4j
from scenes import at, fixed, java_trace, loud
from traffic import traffic, worker

KOLKATA = ZoneInfo("Asia/Kolkata")
START = datetime(2026, 10, 21, 20, 15, tzinfo=UTC)
MINUTES = 100.0
RUN = 15.0


def bundle() -> Bundle:
    rng = random.Random(42222)
    local = START.astimezone(KOLKATA)
    batch = LogFile(
        "logs/settlement-batch.log",
        Log4j(
            (
                "in.paynet.settle.UploadStep",
                "in.paynet.settle.ExtractStep",
                "in.paynet.settle.ReconcileStep",
                "org.springframework.batch.core.step.AbstractStep",
            ),
            "batch-worker",
            rng,
        ),
    )
    batch.add(
        traffic(
            rng,
            worker("settlement-batch", ["settlement.files", "merchant.payouts"]),
            local + timedelta(minutes=RUN - 0.4),
            MINUTES - RUN,
            3600,
        )
    )
    batch.add(
        [
            at(
                local,
                RUN - 0.5,
                "INFO",
                "JVM arguments: [-Xms1g, -Xmx3g, -XX:+UseG1GC, -Djsse.enableSNIExtension=false, -Dfile.encoding=UTF-8, -Duser.timezone=Asia/Kolkata, -Dspring.profiles.active=prod]",
                logger="in.paynet.settle.SettlementApplication",
            ),
            at(
                local,
                RUN - 0.45,
                "INFO",
                "Started SettlementApplication in 9.41 seconds (JVM running for 10.6)",
                logger="in.paynet.settle.SettlementApplication",
            ),
            at(
                local,
                RUN - 0.4,
                "WARN",
                "TLS certificate for sftp-archive.paynet.internal expires in 19 days (2026-11-10T00:00Z)",
                logger="in.paynet.settle.CertWatch",
            ),
            at(
                local,
                RUN,
                "INFO",
                "Job: [FlowJob: [name=nightlySettlement]] launched with the following parameters: [{run.date=2026-10-21}]",
                logger="o.s.batch.core.launch.support.SimpleJobLauncher",
            ),
            at(
                local,
                RUN + 6.0,
                "WARN",
                "Deadlock found when trying to get lock; try restarting transaction (merchant_payouts), retry 1/3 succeeded",
                logger="in.paynet.settle.ReconcileStep",
            ),
            at(
                local,
                RUN + 2.0,
                "INFO",
                "Upload target https://api.clearhouse-partner.com/v4/settlements (mTLS off, bearer auth)",
                logger="in.paynet.settle.UploadStep",
            ),
        ]
    )
    batch.add(
        loud(
            rng,
            local,
            RUN + 2.1,
            MINUTES - RUN - 5,
            240,
            fixed(
                "ERROR",
                lambda r: (
                    f"upload of SETL-20261021-{r.randrange(1, 999):03d}.csv.gpg failed (attempt {r.randrange(1, 6)}/5)"
                ),
                lambda r: java_trace(
                    'org.springframework.web.client.ResourceAccessException: I/O error on POST request for "https://api.clearhouse-partner.com/v4/settlements": No subject alternative DNS name matching api.clearhouse-partner.com found.',
                    [
                        "org.springframework.web.client.RestTemplate.createResourceAccessException(RestTemplate.java:915)",
                        "in.paynet.settle.UploadStep.upload(UploadStep.java:142)",
                    ],
                    [
                        "javax.net.ssl.SSLHandshakeException: No subject alternative DNS name matching api.clearhouse-partner.com found.",
                        "java.base/sun.security.ssl.Alert.createSSLException(Alert.java:130)",
                        "java.base/sun.security.ssl.CertificateMessage$T13CertificateConsumer.checkServerCerts(CertificateMessage.java:1296)",
                    ],
                    more=38,
                ),
            ),
        )
    )
    batch.add(
        loud(
            rng,
            local,
            RUN + 20,
            MINUTES - RUN - 22,
            30,
            fixed(
                "WARN",
                lambda r: (
                    f"{r.randrange(40, 400)} settlement files pending upload, oldest {r.randrange(20, 80)} min (SLA 04:00 IST)"
                ),
            ),
        )
    )
    journal = LogFile("logs/settle-01-journal.txt", Journal("settle-01", "systemd", 1))
    journal.add(
        [
            at(
                START,
                RUN - 0.6,
                "INFO",
                "Starting settlement-batch.service - Nightly settlement upload...",
            ),
            at(
                START,
                3.0,
                "WARN",
                "Finished spool-usage.service - Spool usage check: /var/spool/settlement usage 81% (warn at 80%).",
            ),
            at(
                START - timedelta(days=1),
                RUN + 11.0,
                "INFO",
                "settlement-batch.service: Deactivated successfully.",
            ),
        ]
    )
    shell = "\n".join(
        [
            "ops@settle-01:~$ systemctl cat settlement-batch.service | grep -E 'Environment|ExecStart'",
            'Environment="JAVA_OPTS=-Xms1g -Xmx3g -XX:+UseG1GC -Djsse.enableSNIExtension=false"',
            "ExecStart=/opt/settlement/bin/run.sh $JAVA_OPTS",
            "ops@settle-01:~$ git -C /etc/ansible-local log --format='%h %ad %s' --date=short -1 -S enableSNIExtension",
            "8c1e02a 2019-03-12 settlement: disable SNI, partner answers unrecognized_name (OPS-311)",
            "ops@settle-01:~$ openssl s_client -connect api.clearhouse-partner.com:443 -servername api.clearhouse-partner.com </dev/null 2>/dev/null | grep -E 'subject=|Verify return'",
            "subject=CN=api.clearhouse-partner.com",
            "Verify return code: 0 (ok)",
            "ops@settle-01:~$ openssl s_client -connect api.clearhouse-partner.com:443 -noservername </dev/null 2>/dev/null | grep -E 'subject=|Verify return'",
            "subject=CN=default.edgeflux.net",
            "Verify return code: 0 (ok)",
            "ops@settle-01:~$ curl -sS -o /dev/null -w '%{http_code}\\n' https://api.clearhouse-partner.com/v4/ping",
            "200",
            "",
        ]
    )
    notes = "\n".join(
        [
            "Settlement upload failing, 22 Oct (IST)",
            "- nightly run started 02:00 IST, every upload fails TLS; yesterday's run fine",
            "- partner mail 14 Oct: 'api.clearhouse-partner.com moves to our new edge network on 21 Oct, no action needed, same certificate'",
            "- curl from settle-01 to the same URL works",
            "- CertWatch has warned about sftp-archive's certificate for a week (renewal ticket open)",
            "",
        ]
    )
    return Bundle(
        question="The nightly settlement upload to the clearing partner fails with TLS errors since 02:00 IST, while curl from the same host works. What is the root cause?",
        category="tls",
        component="settlement-batch",
        statement="settlement-batch runs with -Djsse.enableSNIExtension=false (a 2019 workaround); since the partner moved behind an SNI-based CDN on 21 October, a handshake without SNI gets the CDN's default certificate (CN=default.edgeflux.net), so hostname verification fails for api.clearhouse-partner.com.",
        files={
            "notes.md": notes,
            "settle-01-shell.txt": shell,
            "logs/settlement-batch.log": batch.render(),
            "logs/settle-01-journal.txt": journal.render(),
        },
        proofs=[
            Proof("logs/settlement-batch.log", "JVM arguments: [-Xms1g, -Xmx3g"),
            Proof("settle-01-shell.txt", 'Environment="JAVA_OPTS='),
            Proof("settle-01-shell.txt", "subject=CN=default.edgeflux.net"),
        ],
        decoys=[
            "sftp-archive.paynet.internal expires in 19 days",
            "Deadlock found when trying to get lock",
            "/var/spool/settlement usage 81%",
        ],
    )
