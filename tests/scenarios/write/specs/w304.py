# ruff: noqa: E501
# Hand-written gateway lines and pasted openssl / crypto-policies output are data, kept whole on one line.
"""TLS, a rebuilt host's crypto policy refusing a partner's weak DH key: edi-gw-02 was rebuilt on
RHEL 9 on 17 February (CHG-4471); its system-wide crypto policy is DEFAULT, which needs at least
2048-bit DH, while edi-gw-01 (RHEL 8) still runs with LEGACY. The carrier partner Nordfracht's
AS2 endpoint negotiates DHE with 1024-bit parameters, so every upload from edi-gw-02 fails the
handshake with DH_KEY_TOO_SMALL; roughly half of the dispatch advices fail, the ones round-robined
to edi-gw-02. Loud: edi-gw-02's send failures and the scheduler's retries. Decoys: Nordfracht's
certificate expiring in 19 days, a late MDN from another partner, and an SFTP permission error."""

import random
from datetime import datetime
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from records import PythonLogging, Record
from scenes import at, fixed, loud
from traffic import traffic

BERLIN = ZoneInfo("Europe/Berlin")
START = datetime(2025, 2, 18, 6, 0, tzinfo=BERLIN)
MINUTES = 200.0
PARTNERS = ["nordfracht", "alpentrans", "baltic-cargo", "rhein-logistik"]


def sent(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
    partner = r.choice(PARTNERS)
    roll = r.random()
    if roll < 0.55:
        return (
            "INFO",
            f"AS2 message <{r.getrandbits(64):016x}@edi.kessler-moebel.de> to {partner}: DESADV {r.randrange(10**7, 10**8)} sent ({r.randrange(2, 90)} kB, {r.randrange(120, 900)} ms), HTTP 200",
            (),
        )
    if roll < 0.85:
        return (
            "INFO",
            f"MDN received for <{r.getrandbits(64):016x}@edi.kessler-moebel.de> from {partner}: processed, signature ok",
            (),
        )
    return "INFO", f"scheduler: {r.randrange(1, 40)} outbound documents queued for {partner}", ()


def sent_gw02(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
    """edi-gw-02's successful traffic: every partner except the one whose handshake fails."""
    level, message, trailer = sent(r)
    if "to nordfracht:" in message or "from nordfracht:" in message:
        message = message.replace("nordfracht", "alpentrans")
    return level, message, trailer


def bundle() -> Bundle:
    rng = random.Random(30419)
    logs = {}
    for host in ("edi-gw-01", "edi-gw-02"):
        log = LogFile(
            f"logs/{host}/as2-sender.log",
            PythonLogging(("as2.sender", "as2.mdn", "as2.scheduler", "sftp.poller"), rng),
        )
        log.add(
            traffic(
                rng,
                sent if host == "edi-gw-01" else sent_gw02,
                START,
                MINUTES,
                2600,
                logger="as2.sender",
            )
        )
        logs[host] = log
    logs["edi-gw-02"].add(
        loud(
            rng,
            START,
            0.5,
            MINUTES - 1,
            340,
            fixed(
                "ERROR",
                lambda r: (
                    f"AS2 message <{r.getrandbits(64):016x}@edi.kessler-moebel.de> to nordfracht failed: requests.exceptions.SSLError: HTTPSConnectionPool(host='as2.nordfracht.de', port=443): Max retries exceeded with url: /as2/receive (Caused by SSLError(SSLError(1, '[SSL: DH_KEY_TOO_SMALL] dh key too small (_ssl.c:1006)')))"
                ),
            ),
        )
    )
    logs["edi-gw-02"].add(
        loud(
            rng,
            START,
            0.5,
            MINUTES - 1,
            120,
            fixed(
                "WARN",
                lambda r: (
                    f"scheduler: DESADV {r.randrange(10**7, 10**8)} for nordfracht requeued (attempt {r.randrange(2, 6)} of 6), next try in {r.choice([5, 10, 20])} min"
                ),
            ),
        )
    )
    logs["edi-gw-02"].records = [
        Record(rec.time, rec.level, rec.message, rec.trailer, rec.logger or "as2.sender")
        for rec in logs["edi-gw-02"].records
    ]
    logs["edi-gw-01"].add(
        [
            at(
                START,
                41.0,
                "WARN",
                "partner certificate for nordfracht (CN=as2.nordfracht.de) expires on 2025-03-09, in 19 days",
                logger="as2.sender",
            ),
            at(
                START,
                88.0,
                "WARN",
                "MDN for <7c1e09d2a44b3f18@edi.kessler-moebel.de> from baltic-cargo not received within 30 min, marking as pending",
                logger="as2.mdn",
            ),
            at(
                START,
                133.0,
                "ERROR",
                "sftp poll of rhein-logistik failed: [Errno 13] Permission denied: '/outbound/rhein/INVRPT_20250218.edi'",
                logger="sftp.poller",
            ),
        ]
    )

    pasted = "\n".join(
        [
            "[root@edi-gw-02 ~]# cat /etc/redhat-release ; update-crypto-policies --show",
            "Red Hat Enterprise Linux release 9.4 (Plow)",
            "DEFAULT",
            "[root@edi-gw-01 ~]# cat /etc/redhat-release ; update-crypto-policies --show",
            "Red Hat Enterprise Linux release 8.10 (Ootpa)",
            "LEGACY",
            "",
            "[root@edi-gw-01 ~]# openssl s_client -connect as2.nordfracht.de:443 -servername as2.nordfracht.de </dev/null 2>/dev/null | grep -E 'Protocol|Cipher|Server Temp Key|Verify return'",
            "Server Temp Key: DH, 1024 bits",
            "    Protocol  : TLSv1.2",
            "    Cipher    : DHE-RSA-AES256-GCM-SHA384",
            "    Verify return code: 0 (ok)",
            "",
            "[root@edi-gw-02 ~]# openssl s_client -connect as2.nordfracht.de:443 -servername as2.nordfracht.de </dev/null",
            "CONNECTED(00000003)",
            "depth=2 C = US, O = DigiCert Inc, OU = www.digicert.com, CN = DigiCert Global Root G2",
            "verify return:1",
            "depth=1 C = US, O = DigiCert Inc, CN = DigiCert Global G2 TLS RSA SHA256 2020 CA1",
            "verify return:1",
            "depth=0 C = DE, L = Bremen, O = Nordfracht GmbH, CN = as2.nordfracht.de",
            "verify return:1",
            "40F7A1C3E37F0000:error:0A00018A:SSL routines:tls_process_ske_dhe:dh key too small:ssl/statem/statem_clnt.c:2103:",
            "---",
            "no peer certificate available",
            "---",
            "No client certificate CA names sent",
            "---",
            "SSL handshake has read 4312 bytes and written 322 bytes",
            "Verification error: ok",
            "---",
            "",
        ]
    )
    notes = "\n".join(
        [
            "# Nordfracht dispatch advices failing — 18.02.2025, 09:20 CET",
            "",
            "- Nordfracht's EDI desk called: about half of our DESADV messages since yesterday evening never arrive.",
            "- Outbound AS2 goes round-robin through edi-gw-01 and edi-gw-02 (scheduler picks the gateway with the shorter queue).",
            "- CHG-4471 (17.02., 18:00-20:30): edi-gw-02 rebuilt on RHEL 9.4 from the standard image, as2-sender 5.2.1 reinstalled with the same configuration as edi-gw-01.",
            "- Nordfracht's certificate renewal is due 09.03. (ticket EDI-118 open); they say nothing changed on their side.",
            "- baltic-cargo MDN delays are usual on Tuesdays (their batch window).",
            "",
        ]
    )
    return Bundle(
        question="Nordfracht says about half of our dispatch advices (DESADV) since yesterday evening never reached them. What is the root cause?",
        category="tls",
        component="edi-gw-02",
        statement="edi-gw-02, rebuilt on RHEL 9.4 on 17 February, runs the DEFAULT crypto policy, which rejects the 1024-bit DHE key Nordfracht's AS2 server offers; every upload through edi-gw-02 fails the TLS handshake with DH_KEY_TOO_SMALL, while edi-gw-01 (RHEL 8, LEGACY policy) still works.",
        files={
            "notes.md": notes,
            "tls-checks.txt": pasted,
            "logs/edi-gw-01/as2-sender.log": logs["edi-gw-01"].render(),
            "logs/edi-gw-02/as2-sender.log": logs["edi-gw-02"].render(),
        },
        proofs=[
            Proof("tls-checks.txt", "[root@edi-gw-02 ~]# cat /etc/redhat-release", "DEFAULT"),
            Proof("tls-checks.txt", "Server Temp Key: DH, 1024 bits"),
            Proof("tls-checks.txt", "tls_process_ske_dhe:dh key too small"),
        ],
        decoys=[
            "expires on 2025-03-09, in 19 days",
            "from baltic-cargo not received within 30 min",
            "Permission denied: '/outbound/rhein",
        ],
    )
