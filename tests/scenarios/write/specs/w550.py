# ruff: noqa: E501
# Hand-written journal, application lines and pasted chronyc output are data, kept whole on one line.
"""Clock, a host running free after its time sources became unreachable: a firewall policy
change (FW-1902, 19 days earlier) restricted egress from the auth subnet and left out UDP/123
to the internal NTP servers, for auth-03 only, which is in the new /27. chronyd has had no
selectable source since; the VM's clock drifted about 47 seconds fast. Tokens auth-03 issues
carry an `iat` 47 s in the future; orders-api allows 30 s of leeway and reject a
token used in its first 17 seconds, so a third of fresh logins get 401 on their first calls.
Decoys: a JWKS refresh warning, a Redis latency warning on auth-01, and a cert-expiry notice."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from records import JsonLines, Record
from scenes import at, fixed, loud
from traffic import host_traffic, traffic, web_api

KOLKATA = ZoneInfo("Asia/Kolkata")
START = datetime(2026, 7, 1, 3, 0, tzinfo=UTC)
MINUTES = 150.0


@dataclass
class HostJournal:
    """`journalctl -o short-iso` with the local offset; a record's logger is its `program[pid]`."""

    host: str
    zone: ZoneInfo
    fast: float = 0.0
    """Seconds the host's own clock runs ahead of true time."""

    def render(self, record: Record) -> list[str]:
        local = (record.time + timedelta(seconds=self.fast)).astimezone(self.zone)
        return [
            f"{local.strftime('%Y-%m-%dT%H:%M:%S%z')} {self.host} {record.logger}: {record.message}"
        ]


def bundle() -> Bundle:
    rng = random.Random(55010)
    auth = LogFile("logs/auth-03-journal.txt", HostJournal("auth-03", KOLKATA, 46.8))
    auth.add(host_traffic(rng, START, MINUTES, 700))
    auth.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"login ok user={r.randrange(10**6)} client=web token_ttl=900 kid=k-2026-06",
                (),
            ),
            START,
            MINUTES,
            1500,
            logger="authd[1207]",
        )
    )
    auth.add(
        [
            at(
                START,
                2.0,
                "WARN",
                "Can't synchronise: no selectable sources",
                logger="chronyd[644]",
            ),
            Record(
                START + timedelta(minutes=62, milliseconds=211),
                "WARN",
                "Can't synchronise: no selectable sources",
                (),
                "chronyd[644]",
            ),
            at(
                START,
                40.0,
                "WARN",
                "certificate /etc/authd/saml-signing.crt expires in 44 days",
                logger="authd[1207]",
            ),
        ]
    )
    peers = []
    for host in ("auth-01", "auth-02"):
        peer = LogFile(f"logs/{host}-journal.txt", HostJournal(host, KOLKATA))
        peer.add(host_traffic(rng, START, MINUTES, 500))
        peer.add(
            traffic(
                rng,
                lambda r: (
                    "INFO",
                    f"login ok user={r.randrange(10**6)} client=web token_ttl=900 kid=k-2026-06",
                    (),
                ),
                START,
                MINUTES,
                1500,
                logger="authd[1193]",
            )
        )
        peers.append(peer)
    peers[0].add(
        [
            at(
                START,
                88.0,
                "WARN",
                "redis session store latency 180ms above 100ms for 3 samples",
                logger="authd[1193]",
            )
        ]
    )
    orders = LogFile(
        "logs/orders-api.jsonl",
        JsonLines("orders-api", ("@timestamp", "log.level", "message"), rng=rng, zone=KOLKATA),
    )
    orders.add(
        traffic(
            rng, web_api("orders-api", ["orders", "baskets", "addresses"]), START, MINUTES, 4600
        )
    )
    orders.add(
        loud(
            rng,
            START,
            1,
            MINUTES - 2,
            520,
            fixed(
                "WARN",
                lambda r: (
                    f"401 GET /api/v1/{r.choice(['orders?page=1', 'baskets/current', 'addresses'])} user={r.randrange(10**6)}: jwt rejected: ImmatureSignatureError: The token is not yet valid (iat) leeway=30s iss=https://auth.halcyon.in kid=k-2026-06"
                ),
            ),
        )
    )
    orders.add(
        [
            at(
                START,
                23.0,
                "WARN",
                "JWKS refresh from https://auth.halcyon.in/.well-known/jwks.json took 2.8s (timeout 3s), keys unchanged",
            )
        ]
    )
    chrony = "\n".join(
        [
            "[ops@auth-03 ~]$ chronyc tracking",
            "Reference ID    : 00000000 ()",
            "Stratum         : 0",
            "Ref time (UTC)  : Fri Jun 12 04:12:09 2026",
            "System time     : 0.000000000 seconds fast of NTP time",
            "Last offset     : +0.000021310 seconds",
            "RMS offset      : 0.000043118 seconds",
            "Frequency       : 27.412 ppm fast",
            "Residual freq   : +0.000 ppm",
            "Skew            : 0.318 ppm",
            "Root delay      : 1.000000000 seconds",
            "Root dispersion : 512.088134766 seconds",
            "Update interval : 0.0 seconds",
            "Leap status     : Not synchronised",
            "[ops@auth-03 ~]$ chronyc sources -v | tail -3",
            "MS Name/IP address         Stratum Poll Reach LastRx Last sample",
            "^? ntp1.halcyon.internal         2  10     0   19d    +11us[  +14us] +/-  2ms",
            "^? ntp2.halcyon.internal         2  10     0   19d    -27us[  -25us] +/-  3ms",
            "[ops@auth-03 ~]$ date -u +%T.%N; ssh auth-01 date -u +%T.%N",
            "05:31:52.418822104",
            "05:31:05.622911873",
            "",
        ]
    )
    fw = "\n".join(
        [
            "FW-1902  auth tier egress restriction (applied 2026-06-12 09:30 IST)",
            "rule  src             dst                 proto  port       action",
            "110   10.40.8.0/27    10.40.0.20-21       udp    123        allow    # NTP (old auth subnet: auth-01, auth-02)",
            "120   10.40.8.0/24    10.40.12.0/24       tcp    6379       allow    # session store",
            "130   10.40.8.32/27   10.40.12.0/24       tcp    6379       allow    # session store (new subnet: auth-03)",
            "140   10.40.8.0/23    0.0.0.0/0           tcp    443        allow    # IdP federation",
            "999   any             any                 any    any        deny",
            "",
        ]
    )
    return Bundle(
        question="Since this morning (IST) some users get a 401 on their first page right after logging in; a reload fixes it. What is the root cause?",
        category="clock",
        component="auth-03",
        statement="auth-03 lost NTP after FW-1902 allowed UDP/123 only for the old auth subnet; chronyd has had no selectable source for 19 days and its clock is about 47 s fast, so tokens it issues have an iat in the future and the API verifying them rejects them for their first seconds beyond its 30 s leeway.",
        files={
            "FW-1902.txt": fw,
            "auth-03-chrony.txt": chrony,
            "logs/auth-03-journal.txt": auth.render(),
            "logs/auth-01-journal.txt": peers[0].render(),
            "logs/auth-02-journal.txt": peers[1].render(),
            "logs/orders-api.jsonl": orders.render(),
        },
        proofs=[
            Proof("auth-03-chrony.txt", "Leap status     : Not synchronised"),
            Proof("auth-03-chrony.txt", "^? ntp1.halcyon.internal", "^? ntp2.halcyon.internal"),
            Proof("auth-03-chrony.txt", "05:31:52.418822104", "05:31:05.622911873"),
            Proof("FW-1902.txt", "110   10.40.8.0/27"),
        ],
        decoys=["JWKS refresh from", "redis session store latency", "saml-signing.crt expires"],
    )
