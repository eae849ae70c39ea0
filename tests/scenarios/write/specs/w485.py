# ruff: noqa: E501
# Hand-written batch and openssl lines and pasted output are data, kept whole on one line.
"""TLS, an expired cross-signed root on an old client: the payment gateway serves a chain that
still includes the intermediate cross-signed by an old root which expired on 30 Sept 2025 at
14:01 UTC. Current clients ignore it and build a path to the new root; fin-legacy-02, with
OpenSSL 1.0.2 and an old CA bundle, follows the expired path and fails verification, so its
ledger-sync uploads stop. Decoys: a disk warning, an SFTP retry, a cron mail failure."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import Journal
from scenes import at, fixed, loud

START = datetime(2025, 9, 30, 12, 0, tzinfo=UTC)
MINUTES = 240.0
EXPIRY = 121.0


def bundle() -> Bundle:
    rng = random.Random(48509)
    sync = LogFile("logs/fin-legacy-02-journal.txt", Journal("fin-legacy-02", "ledger-sync", 3120))
    sync.add(
        loud(
            rng,
            START,
            0,
            EXPIRY - 0.5,
            480,
            fixed(
                "INFO",
                lambda r: (
                    f"upload batch {r.randrange(10**6)} to https://api.paygw.example/v2/settlements ok ({r.randrange(40, 400)} records, {r.randrange(90, 600)} ms)"
                ),
            ),
        )
    )
    sync.add(
        loud(
            rng,
            START,
            EXPIRY + 0.5,
            MINUTES - EXPIRY - 1,
            520,
            fixed(
                "ERROR",
                lambda r: (
                    f"upload batch {r.randrange(10**6)} failed: curl: (60) SSL certificate problem: certificate has expired; retry in 60s"
                ),
            ),
        )
    )
    sync.add(
        [
            at(
                START,
                5.0,
                "INFO",
                "ledger-sync 1.7.3 using libcurl/7.29.0 OpenSSL/1.0.2k-fips zlib/1.2.7 CAfile=/etc/pki/tls/certs/ca-bundle.crt (ca-certificates-2018.2.22)",
            ),
            at(START, 60.0, "WARN", "/var/spool/ledger at 82% (threshold 80%)"),
            at(
                START,
                150.0,
                "WARN",
                "sftp push to archive-01 failed (Connection reset by peer), retried ok",
            ),
            at(START, 200.0, "ERROR", "cron mail: send-mail: Cannot open mail:25"),
        ]
    )
    pasted = "\n".join(
        [
            "[ops@fin-legacy-02 ~]$ openssl s_client -connect api.paygw.example:443 -servername api.paygw.example </dev/null 2>&1 | egrep 'depth|verify|s:|i:'",
            "depth=3 O = Old Trust Services, CN = Old Trust Root CA R1",
            "verify error:num=10:certificate has expired",
            "notAfter=Sep 30 14:01:15 2025 GMT",
            " 0 s:/CN=api.paygw.example",
            "   i:/C=US/O=Example PKI/CN=EP Issuing CA 3",
            " 1 s:/C=US/O=Example PKI/CN=EP Issuing CA 3",
            "   i:/C=US/O=Example PKI/CN=EP Root X2",
            " 2 s:/C=US/O=Example PKI/CN=EP Root X2",
            "   i:/O=Old Trust Services/CN=Old Trust Root CA R1",
            "Verify return code: 10 (certificate has expired)",
            "",
            "[ops@fin-app-07 ~]$ openssl version; echo | openssl s_client -connect api.paygw.example:443 2>&1 | grep 'Verify return'",
            "OpenSSL 3.0.7 1 Nov 2022",
            "Verify return code: 0 (ok)",
            "",
        ]
    )
    notes = (
        "FIN-2207 16:10 UTC: settlement uploads from fin-legacy-02 fail since ~14:01 UTC; the payment gateway says their certificate is valid until 2026 and other customers are fine.\n\n"
        + pasted
    )
    return Bundle(
        question="Settlement uploads from fin-legacy-02 fail with 'certificate has expired' since about 14:01 UTC, but the gateway's certificate is valid. What is the root cause?",
        category="tls",
        component="fin-legacy-02",
        statement="The gateway's chain includes EP Root X2 cross-signed by Old Trust Root CA R1, which expired at 14:01 UTC; fin-legacy-02's OpenSSL 1.0.2 with a 2018 CA bundle does not know EP Root X2 as a trust anchor, follows the cross-signed path and fails on the expired root.",
        files={"notes.md": notes, "logs/fin-legacy-02-journal.txt": sync.render()},
        proofs=[
            Proof("logs/fin-legacy-02-journal.txt", "OpenSSL/1.0.2k-fips"),
            Proof(
                "notes.md", "depth=3 O = Old Trust Services", "notAfter=Sep 30 14:01:15 2025 GMT"
            ),
        ],
        decoys=[
            "/var/spool/ledger at 82%",
            "sftp push to archive-01 failed",
            "Cannot open mail:25",
        ],
    )
