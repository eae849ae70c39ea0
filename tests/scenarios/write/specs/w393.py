# ruff: noqa: E501
# Hand-written BIND, logfmt and dig lines are data, kept whole on one line.
"""DNS, negative caching after a delete-then-add: on 8 June at 10:14 (Oslo, +02:00) a
migration script moves sso.corp.halvard.net to a new load balancer by deleting its A record
on dns-auth-01 and adding the new one 3 minutes later. The zone's SOA minimum is 86400, so
every resolver that asked during those minutes caches NXDOMAIN for its maximum negative TTL
(3 h on the BIND resolvers): hosts behind dns-rec-01, which the SSO's callers happened to hit
in the gap, keep failing to resolve the name long after the record is back, while others
work. Loud: authproxy's "no such host" and 502s. Decoys: a lame server, a refused zone
transfer, an upstream certificate warning."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from records import Logfmt, Record
from scenes import at, fixed, loud
from traffic import traffic, web_api

OSLO = ZoneInfo("Europe/Oslo")
START = datetime(2026, 6, 8, 9, 40, tzinfo=OSLO)
START_UTC = START.astimezone(UTC)
MINUTES = 240.0
DELETE = 34.2
ADD = 37.4


@dataclass
class NamedLog:
    """BIND 9 with `print-time yes; print-category yes; print-severity yes;` (local time)."""

    def render(self, record: Record) -> list[str]:
        local = record.time.astimezone(OSLO)
        stamp = local.strftime("%d-%b-%Y %H:%M:%S.") + f"{local.microsecond // 1000:03d}"
        severity = {"WARN": "warning", "ERROR": "error", "DEBUG": "debug 1"}.get(
            record.level, "info"
        )
        return [f"{stamp} {record.logger or 'general'}: {severity}: {record.message}"]


def auth_chatter(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
    name = r.choice(["git", "wiki", "vault", "ci", "mail", "sso", "grafana", "ldap"])
    client = f"10.9.{r.choice([0, 0, 3, 7])}.{r.choice([53, 54, 53, 121, 88])}"
    return (
        "INFO",
        f"client @0x7f3a{r.getrandbits(32):08x} {client}#{r.randrange(1024, 65535)} ({name}.corp.halvard.net): query: {name}.corp.halvard.net IN {r.choice(['A', 'A', 'AAAA'])} -E({r.randrange(2)}) ({'10.9.0.11'})",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(39307)
    auth = LogFile("logs/dns-auth-01-named.log", NamedLog())
    auth.add(traffic(rng, auth_chatter, START, MINUTES, 2200, logger="queries"))
    auth.add(
        [
            at(
                START,
                DELETE,
                "INFO",
                "client @0x7f3a11c2e8a0 10.9.7.30#40122/key migrate-key: updating zone 'corp.halvard.net/IN': deleting rrset at 'sso.corp.halvard.net' A",
                logger="update",
            ),
            at(
                START,
                DELETE + 0.01,
                "INFO",
                "zone corp.halvard.net/IN: sending notifies (serial 2026060806)",
                logger="notify",
            ),
            at(
                START,
                ADD,
                "INFO",
                "client @0x7f3a11c3f1d0 10.9.7.30#40188/key migrate-key: updating zone 'corp.halvard.net/IN': adding an RR at 'sso.corp.halvard.net' A 10.9.40.22",
                logger="update",
            ),
            at(
                START,
                ADD + 0.01,
                "INFO",
                "zone corp.halvard.net/IN: sending notifies (serial 2026060807)",
                logger="notify",
            ),
            at(
                START,
                121.0,
                "ERROR",
                "client @0x7f3a0d9c1200 185.220.101.7#51512 (corp.halvard.net): zone transfer 'corp.halvard.net/AXFR/IN' denied",
                logger="security",
            ),
        ]
    )
    for offset in (0.4, 0.9, 1.3, 2.2, 2.8):
        auth.add(
            [
                at(
                    START,
                    DELETE + offset,
                    "INFO",
                    f"client @0x7f3a{rng.getrandbits(32):08x} 10.9.0.53#{rng.randrange(1024, 65535)} (sso.corp.halvard.net): query: sso.corp.halvard.net IN A -E(0) (10.9.0.11)",
                    logger="queries",
                )
            ]
        )
    rec = LogFile("logs/dns-rec-01-named.log", NamedLog())
    rec.add(
        traffic(
            rng,
            lambda r: r.choice(
                [
                    (
                        "INFO",
                        f"client @0x55d1{r.getrandbits(32):08x} 10.9.{r.randrange(10, 60)}.{r.randrange(2, 250)}#{r.randrange(1024, 65535)} ({r.choice(['git', 'wiki', 'ci', 'sso', 'api.github.com', 'login.microsoftonline.com'])}): query: {r.choice(['git.corp.halvard.net', 'wiki.corp.halvard.net', 'api.github.com', 'login.microsoftonline.com', 'sso.corp.halvard.net'])} IN A +E(0)K (10.9.0.53)",
                        (),
                    ),
                    (
                        "INFO",
                        f"client @0x55d1{r.getrandbits(32):08x} 10.9.{r.randrange(10, 60)}.{r.randrange(2, 250)}#{r.randrange(1024, 65535)} (grafana.corp.halvard.net): query: grafana.corp.halvard.net IN AAAA +E(0)K (10.9.0.53)",
                        (),
                    ),
                ]
            ),
            START,
            MINUTES,
            2600,
            logger="queries",
        )
    )
    rec.add(
        [
            at(
                START,
                63.0,
                "INFO",
                "lame server resolving 'mx2.fjordpost.no' (in 'fjordpost.no'?): 193.75.12.9#53",
                logger="lame-servers",
            ),
            at(
                START,
                140.0,
                "INFO",
                "lame server resolving 'mx2.fjordpost.no' (in 'fjordpost.no'?): 193.75.12.9#53",
                logger="lame-servers",
            ),
        ]
    )
    proxy = LogFile("logs/authproxy.log", Logfmt("authproxy", rng))
    proxy.add(
        traffic(
            rng, web_api("authproxy", ["session", "token", "userinfo"]), START_UTC, MINUTES, 3800
        )
    )
    proxy.add(
        loud(
            rng,
            START_UTC,
            DELETE + 0.5,
            180.5,
            700,
            fixed(
                "ERROR",
                lambda r: r.choice(
                    [
                        'oidc discovery failed: Get "https://sso.corp.halvard.net/realms/staff/.well-known/openid-configuration": dial tcp: lookup sso.corp.halvard.net on 10.9.0.53:53: no such host',
                        f'GET /oauth2/callback 502 {r.randrange(1, 9)}ms upstream=sso.corp.halvard.net err="dial tcp: lookup sso.corp.halvard.net on 10.9.0.53:53: no such host"',
                        f"token refresh for user {r.randrange(10**5)} failed: dial tcp: lookup sso.corp.halvard.net on 10.9.0.53:53: no such host",
                    ]
                ),
            ),
        )
    )
    proxy.add(
        loud(
            rng,
            START_UTC,
            0,
            MINUTES,
            20,
            fixed(
                "WARN",
                lambda r: (
                    "upstream certificate for grafana.corp.halvard.net expires in 12 days (CN=grafana.corp.halvard.net)"
                ),
            ),
        )
    )
    dig = "\n".join(
        [
            "ops@authproxy-02:~$ cat /etc/resolv.conf",
            "search corp.halvard.net",
            "nameserver 10.9.0.53",
            "",
            "ops@authproxy-02:~$ dig sso.corp.halvard.net A   # 12:06",
            "",
            "; <<>> DiG 9.18.24-1-Debian <<>> sso.corp.halvard.net A",
            ";; global options: +cmd",
            ";; Got answer:",
            ";; ->>HEADER<<- opcode: QUERY, status: NXDOMAIN, id: 41872",
            ";; flags: qr rd ra; QUERY: 1, ANSWER: 0, AUTHORITY: 1, ADDITIONAL: 1",
            "",
            ";; QUESTION SECTION:",
            ";sso.corp.halvard.net.\t\tIN\tA",
            "",
            ";; AUTHORITY SECTION:",
            "corp.halvard.net.\t4141\tIN\tSOA\tdns-auth-01.corp.halvard.net. hostmaster.halvard.net. 2026060806 3600 900 1209600 86400",
            "",
            ";; Query time: 0 msec",
            ";; SERVER: 10.9.0.53#53(10.9.0.53) (UDP)",
            "",
            "ops@authproxy-02:~$ dig +short sso.corp.halvard.net A @10.9.0.11   # dns-auth-01",
            "10.9.40.22",
            "ops@authproxy-02:~$ dig +short sso.corp.halvard.net A @10.9.0.54   # dns-rec-02",
            "10.9.40.22",
            "",
            "ops@authproxy-02:~$ dig +noall +answer corp.halvard.net SOA @10.9.0.11",
            "corp.halvard.net.\t86400\tIN\tSOA\tdns-auth-01.corp.halvard.net. hostmaster.halvard.net. 2026060807 3600 900 1209600 86400",
            "",
            "(the migration job log, CHG-5120, 10:14: 'sso: delete A 10.9.12.8 ... wait for new LB health ... add A 10.9.40.22 ... done')",
            "",
        ]
    )
    return Bundle(
        question="Since about 10:15 authproxy can't reach SSO and logins fail through it, yet SSO itself is up and resolves fine from my laptop. What is the root cause?",
        category="dns",
        component="dns-auth-01",
        statement="The SSO migration deleted sso.corp.halvard.net's A record on dns-auth-01 at 10:14 and only re-added it three minutes later; with the zone's SOA minimum of 86400 the resolver dns-rec-01 (10.9.0.53) cached the NXDOMAIN for hours, so authproxy keeps getting 'no such host'.",
        files={
            "dig-from-authproxy-02.txt": dig,
            "logs/dns-auth-01-named.log": auth.render(),
            "logs/dns-rec-01-named.log": rec.render(),
            "logs/authproxy.log": proxy.render(),
        },
        proofs=[
            Proof("logs/dns-auth-01-named.log", "deleting rrset at 'sso.corp.halvard.net' A"),
            Proof("dig-from-authproxy-02.txt", "corp.halvard.net.\t4141\tIN\tSOA"),
            Proof("dig-from-authproxy-02.txt", "status: NXDOMAIN"),
        ],
        decoys=[
            "lame server resolving",
            "zone transfer 'corp.halvard.net/AXFR/IN' denied",
            "upstream certificate for grafana.corp.halvard.net expires",
        ],
    )
