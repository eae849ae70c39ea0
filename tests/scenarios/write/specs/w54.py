# ruff: noqa: E501
# Hand-written log lines are data, kept whole on one line.
"""A config-management run points app-1's systemd-resolved at a retired DNS server; lookups
time out (EAI_AGAIN) and quotes blames its partner API and database."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from records import NginxError, Pino, Record
from scenes import fixed, loud
from traffic import Line, host_traffic, traffic

START = datetime(2025, 7, 30, 13, 0, tzinfo=UTC)
HOST = "app-1"
CHANGE = START + timedelta(minutes=21, seconds=7, milliseconds=114)


@dataclass
class JournalIso:
    """`journalctl -o short-iso` across programs: each record's logger is its `program[pid]`."""

    def render(self, record: Record) -> list[str]:
        stamp = record.time.strftime("%Y-%m-%dT%H:%M:%S+0000")
        return [f"{stamp} {HOST} {record.logger}: {record.message}"]


def quotes_line(rng: random.Random) -> Line:
    roll = rng.random()
    pair = rng.choice(["EUR/USD", "GBP/USD", "USD/JPY", "EUR/CHF", "AUD/USD"])
    if roll < 0.45:
        return (
            "INFO",
            f"quote served pair={pair} spread={rng.randrange(1, 30) / 10:.1f}bp took={rng.randrange(2, 40)}ms",
            (),
        )
    if roll < 0.7:
        return (
            "INFO",
            f"rates refreshed from rates.partner-api.com pairs=42 took={rng.randrange(60, 300)}ms",
            (),
        )
    if roll < 0.9:
        return (
            "DEBUG",
            f"pg pool stats total=10 idle={rng.randrange(3, 10)} waiting=0 host=quotes-db.internal",
            (),
        )
    return (
        "WARN",
        f"quote for {pair} served from cache (age {rng.randrange(2, 9)}s) while refresh in flight",
        (),
    )


def changed(minutes: float, seconds: float = 0) -> datetime:
    return CHANGE + timedelta(minutes=minutes, seconds=seconds)


def bundle() -> Bundle:
    rng = random.Random(154)
    journal = LogFile("journal-app-1.log", JournalIso())
    journal.add(host_traffic(rng, START, 45, 1400))
    journal.add(
        [
            Record(
                CHANGE - timedelta(seconds=9),
                "INFO",
                "pam_unix(sudo:session): session opened for user root(uid=0) by ansible(uid=1002)",
                (),
                "sudo[40977]",
            ),
            Record(
                CHANGE,
                "INFO",
                "Invoked with dest=/etc/systemd/resolved.conf.d/10-corp.conf src=/home/ansible/.ansible/tmp/ansible-tmp-1753881667.02-40981/source mode=0644 owner=root group=root backup=True force=True follow=False unsafe_writes=False content=NOT_LOGGING_PARAMETER validate=None directory_mode=None remote_src=None local_follow=None checksum=5f0b2a8e41c7d93b0e6a1f4c8d2e7b9a3c5d1e6f seuser=None serole=None selevel=None setype=None attributes=None",
                (),
                "ansible-ansible.legacy.copy[40983]",
            ),
            Record(
                changed(0, 1.2),
                "INFO",
                "Invoked with name=systemd-resolved state=restarted daemon_reload=False daemon_reexec=False scope=system no_block=False enabled=None force=None masked=None",
                (),
                "ansible-ansible.legacy.systemd[40999]",
            ),
            Record(
                changed(0, 1.4),
                "INFO",
                "Stopping systemd-resolved.service - Network Name Resolution...",
                (),
                "systemd[1]",
            ),
            Record(
                changed(0, 1.5),
                "INFO",
                "systemd-resolved.service: Deactivated successfully.",
                (),
                "systemd[1]",
            ),
            Record(
                changed(0, 1.6),
                "INFO",
                "Starting systemd-resolved.service - Network Name Resolution...",
                (),
                "systemd[1]",
            ),
            Record(
                changed(0, 1.8), "INFO", "Positive Trust Anchors:", (), "systemd-resolved[41003]"
            ),
            Record(
                changed(0, 1.81),
                "INFO",
                ". IN DS 20326 8 2 e06d44b80b8f1d39a95c0b0d7c65d08458e880409bbc683457104237c7f8ec8d",
                (),
                "systemd-resolved[41003]",
            ),
            Record(
                changed(0, 1.82),
                "INFO",
                "Negative trust anchors: home.arpa 10.in-addr.arpa 16.172.in-addr.arpa 168.192.in-addr.arpa local internal intranet lan private test",
                (),
                "systemd-resolved[41003]",
            ),
            Record(
                changed(0, 1.83),
                "INFO",
                "Using system hostname 'app-1'.",
                (),
                "systemd-resolved[41003]",
            ),
            Record(
                changed(0, 1.9),
                "INFO",
                "Started systemd-resolved.service - Network Name Resolution.",
                (),
                "systemd[1]",
            ),
            Record(
                changed(0, 2.2),
                "INFO",
                "pam_unix(sudo:session): session closed for user root",
                (),
                "sudo[40977]",
            ),
            Record(
                changed(0, 14.8),
                "WARN",
                "Using degraded feature set UDP instead of UDP+EDNS0 for DNS server 10.20.0.53.",
                (),
                "systemd-resolved[41003]",
            ),
            Record(
                changed(0, 29.1),
                "WARN",
                "Using degraded feature set TCP instead of UDP for DNS server 10.20.0.53.",
                (),
                "systemd-resolved[41003]",
            ),
        ]
    )
    journal.add(
        [
            Record(
                record.time,
                "WARN",
                rng.choice(
                    [
                        "Grace period over, resuming full feature set (UDP+EDNS0) for DNS server 10.20.0.53.",
                        "Using degraded feature set TCP instead of UDP for DNS server 10.20.0.53.",
                    ]
                ),
                (),
                "systemd-resolved[41003]",
            )
            for record in traffic(rng, fixed("INFO", lambda r: ""), changed(1), 22, 31)
        ]
    )
    journal.add(
        [
            Record(
                record.time,
                "WARN",
                f'node_exporter: collector=netstat level=warn msg="TCP retransmits high" value={rng.randrange(40, 120)}',
                (),
                "node_exporter[902]",
            )
            for record in traffic(rng, fixed("INFO", lambda r: ""), changed(2), 20, 24)
        ]
    )
    quotes = LogFile("quotes.log", Pino("app-1", rng))
    quotes.add(traffic(rng, quotes_line, START, 21, 1150))
    quotes.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"quote served pair={r.choice(['EUR/USD', 'GBP/USD', 'USD/JPY'])} from stale cache (age {r.randrange(30, 1400)}s) took={r.randrange(2, 40)}ms",
                (),
            ),
            CHANGE,
            24,
            520,
        )
    )
    quotes.add(
        loud(
            rng,
            START,
            21.2,
            23.8,
            310,
            fixed(
                "ERROR",
                lambda r: (
                    "rates refresh failed: getaddrinfo EAI_AGAIN rates.partner-api.com; keeping stale rates"
                ),
            ),
        )
    )
    quotes.add(
        loud(
            rng,
            START,
            21.4,
            23.6,
            240,
            fixed(
                "ERROR",
                lambda r: (
                    f"pg connect failed: Error: getaddrinfo EAI_AGAIN quotes-db.internal (pool waiting={r.randrange(1, 60)})"
                ),
            ),
        )
    )
    quotes.add(
        loud(
            rng,
            START,
            22,
            23,
            120,
            fixed(
                "WARN",
                lambda r: (
                    f"partner API health degraded: {r.randrange(5, 60)} consecutive failures, circuit open for rates.partner-api.com"
                ),
            ),
        )
    )
    nginx = LogFile("nginx-error.log", NginxError(rng))
    nginx.add(
        loud(
            rng,
            START,
            21.5,
            23.5,
            280,
            fixed(
                "ERROR",
                lambda r: (
                    f'upstream timed out (110: Connection timed out) while reading response header from upstream, client: 10.30.{r.randrange(256)}.{r.randrange(1, 255)}, server: quotes.internal, request: "GET /v2/quote?pair=EUR%2FUSD HTTP/1.1", upstream: "http://127.0.0.1:3000/v2/quote?pair=EUR%2FUSD"'
                ),
            ),
        )
    )
    nginx.add(
        traffic(
            rng,
            fixed(
                "WARN",
                lambda r: (
                    f"an upstream response is buffered to a temporary file /var/cache/nginx/proxy_temp/{r.randrange(10)}/{r.randrange(10, 99)}/00000{r.randrange(10000, 99999)} while reading upstream"
                ),
            ),
            START,
            45,
            40,
        )
    )
    status = """$ resolvectl status
Global
           Protocols: -LLMNR -mDNS -DNSOverTLS DNSSEC=no/unsupported
    resolv.conf mode: stub
  Current DNS Server: 10.20.0.53
         DNS Servers: 10.20.0.53
          DNS Domain: internal

Link 2 (ens5)
    Current Scopes: DNS
         Protocols: +DefaultRoute -LLMNR -mDNS -DNSOverTLS DNSSEC=no/unsupported
Current DNS Server: 10.20.0.2
       DNS Servers: 10.20.0.2
        DNS Domain: eu-west-1.compute.internal
$ getent hosts rates.partner-api.com; echo $?
2
$ ping -c1 -W1 10.20.0.53
PING 10.20.0.53 (10.20.0.53) 56(84) bytes of data.

--- 10.20.0.53 ping statistics ---
1 packets transmitted, 0 received, 100% packet loss, time 0ms
"""
    return Bundle(
        question="quotes on app-1 started timing out at 13:21 UTC with EAI_AGAIN errors for the partner API and its own database. Is the partner down?",
        category="dns",
        component="app-1",
        statement="An Ansible run at 13:21 installed /etc/systemd/resolved.conf.d/10-corp.conf on app-1 pointing systemd-resolved at 10.20.0.53, a resolver that no longer answers, so every lookup on the host times out (EAI_AGAIN).",
        files={
            "journal-app-1.log": journal.render(),
            "quotes.log": quotes.render(),
            "nginx-error.log": nginx.render(),
            "resolvectl.txt": status,
        },
        proofs=[
            Proof(
                "journal-app-1.log", "Invoked with dest=/etc/systemd/resolved.conf.d/10-corp.conf"
            ),
            Proof(
                "journal-app-1.log",
                "Using degraded feature set UDP instead of UDP+EDNS0 for DNS server 10.20.0.53.",
            ),
            Proof(
                "resolvectl.txt",
                "  Current DNS Server: 10.20.0.53",
                "         DNS Servers: 10.20.0.53",
            ),
        ],
        decoys=[
            "circuit open for rates.partner-api.com",
            "upstream timed out (110: Connection timed out)",
            "TCP retransmits high",
        ],
    )
