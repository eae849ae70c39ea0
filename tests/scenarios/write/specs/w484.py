# ruff: noqa: E501
# Hand-written named, VPN and app lines and pasted dig output are data, kept whole on one line.
"""DNS, a split-horizon view missing a new subnet: the office moved its staff VPN pool to
10.72.0.0/16 on Monday; ns1's `internal` view still matches only 10.40.0.0/14, so VPN clients
get the `external` view's answers and resolve wiki and git to public addresses that only accept
traffic from the office. Loud: browser and git timeouts. Decoys: a lame-server warning, an
expired DNSSEC key notice for an unrelated zone, a VPN re-key."""

import random
from datetime import datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from records import Syslog3164
from scenes import at, fixed, loud
from traffic import host_traffic

CEST = timezone(timedelta(hours=2))
START = datetime(2025, 5, 26, 8, 0, tzinfo=CEST)
MINUTES = 180.0


def bundle() -> Bundle:
    rng = random.Random(48408)
    named = LogFile("logs/ns1-syslog", Syslog3164("ns1", "named", 812))
    named.add(host_traffic(rng, START, MINUTES, 700))
    named.add(
        loud(
            rng,
            START,
            0,
            MINUTES,
            900,
            fixed(
                "INFO",
                lambda r: (
                    f"client @0x7f3a{r.getrandbits(24):06x} 10.41.{r.randrange(256)}.{r.randrange(1, 255)}#{r.randrange(30000, 60000)} (wiki.corp.example): view internal: query: wiki.corp.example IN A + (10.40.0.53)"
                ),
            ),
        )
    )
    named.add(
        loud(
            rng,
            START,
            2,
            MINUTES - 3,
            500,
            fixed(
                "INFO",
                lambda r: (
                    f"client @0x7f3a{r.getrandbits(24):06x} 10.72.{r.randrange(1, 9)}.{r.randrange(1, 255)}#{r.randrange(30000, 60000)} ({r.choice(['wiki', 'git', 'jira'])}.corp.example): view external: query: {r.choice(['wiki', 'git', 'jira'])}.corp.example IN A + (10.40.0.53)"
                ),
            ),
        )
    )
    named.add(
        [
            at(START, 1.0, "INFO", "zone corp.example/IN/internal: loaded serial 2025052201"),
            at(START, 1.02, "INFO", "zone corp.example/IN/external: loaded serial 2025052201"),
            at(
                START,
                33.0,
                "INFO",
                "lame-server resolving 'mx2.partner-mail.example' (in 'partner-mail.example'?): 198.51.100.7#53",
            ),
            at(
                START,
                90.0,
                "WARN",
                "dnssec: warning: zone legacy.example/IN/external: key 48121 expired, not re-signing",
            ),
        ]
    )
    vpn = LogFile("logs/vpn-gw-01-syslog", Syslog3164("vpn-gw-01", "openvpn", 1440))
    vpn.add(
        loud(
            rng,
            START,
            0,
            MINUTES,
            400,
            fixed(
                "INFO",
                lambda r: (
                    f"staff/{r.randrange(10**5)}: MULTI_sva: pool returned IPv4=10.72.{r.randrange(1, 9)}.{r.randrange(2, 250)}, IPv6=(Not enabled)"
                ),
            ),
        )
    )
    vpn.add(
        [
            at(
                START,
                70.0,
                "INFO",
                "staff/88120: TLS: soft reset sec=3600/3600 bytes=91822/-1 pkts=411/0",
            )
        ]
    )
    pasted = "\n".join(
        [
            "ns1:/etc/bind/named.conf.local (excerpt)",
            "acl corp_nets { 10.40.0.0/14; 127.0.0.1; };",
            'view "internal" { match-clients { corp_nets; }; zone "corp.example" { type master; file "/etc/bind/db.corp.internal"; }; };',
            'view "external" { match-clients { any; }; zone "corp.example" { type master; file "/etc/bind/db.corp.external"; }; };',
            "",
            "laptop on VPN (10.72.3.118) $ dig +short wiki.corp.example",
            "203.0.113.44",
            "laptop in office (10.41.8.20) $ dig +short wiki.corp.example",
            "10.40.12.7",
            "",
        ]
    )
    notes = (
        "IT-4410 (Mon 10:30 CEST): staff working from home cannot open wiki, git or jira (timeouts); office users fine.\n- NET-902: staff VPN pool moved from 10.43.0.0/16 to 10.72.0.0/16 on Sunday night.\n\n"
        + pasted
    )
    return Bundle(
        question="Since Monday morning staff on the VPN cannot reach wiki, git or jira (timeouts), while office users can. What is the root cause?",
        category="dns",
        component="ns1",
        statement="The staff VPN pool moved to 10.72.0.0/16 but ns1's internal view only matches corp_nets 10.40.0.0/14, so VPN clients are answered from the external view with public addresses they cannot use.",
        files={
            "notes.md": notes,
            "logs/ns1-syslog": named.render(),
            "logs/vpn-gw-01-syslog": vpn.render(),
        },
        proofs=[
            Proof("notes.md", "acl corp_nets { 10.40.0.0/14"),
            Proof("notes.md", "203.0.113.44"),
        ],
        decoys=["lame-server resolving", "key 48121 expired", "TLS: soft reset"],
    )
