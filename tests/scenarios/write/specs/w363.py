# ruff: noqa: E501
# Hand-written unbound, nftables, Consul and application lines and pasted dig output are data, kept whole on one line.
"""DNS, answers that no longer fit in UDP and a resolver that drops TCP: at 11:38 UTC (08:38 in
Sao Paulo, -03:00) a hardening role reloads nftables on dns-int-02 with a ruleset that accepts
`udp dport 53` but not TCP 53. Nothing breaks until 14:02 UTC, when the autoscaler grows
search-api from 18 to 44 instances: the answer for search-api.service.dc1.consul exceeds the
1232-byte EDNS buffer, the resolver sets TC, clients retry over TCP and time out. Only that
name fails; every other lookup works. Loud: checkout-api's lookup timeouts and 502s. Decoys: an
upstream SERVFAIL for an ad-network name, one search-api instance's critical check, a slow
query warning in checkout-api."""

import random
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from records import Journal, JsonLines, Record
from scenes import at, fixed, loud
from traffic import traffic, web_api

SAO_PAULO = ZoneInfo("America/Sao_Paulo")
START = datetime(2026, 4, 22, 11, 0, tzinfo=UTC)
MINUTES = 210.0
HARDEN = 38.0
SCALE = 182.0


class HostJournal(Journal):
    """`journalctl -o short-iso` of several units: a record's logger names its program[pid]."""

    def render(self, record: Record) -> list[str]:
        stamp = record.time.strftime("%Y-%m-%dT%H:%M:%S+0000")
        program = record.logger or f"{self.program}[{self.pid}]"
        return [f"{stamp} {self.host} {program}: {record.message}"]


def bundle() -> Bundle:
    rng = random.Random(36358)
    dns = LogFile("logs/dns-int-02-journal.log", Journal("dns-int-02", "unbound", 812))
    dns.add(
        traffic(
            rng,
            lambda r: r.choice(
                [
                    (
                        "INFO",
                        f"[812:0] info: server stats for thread {r.randrange(4)}: {r.randrange(10**4, 10**5)} queries, {r.randrange(10**4)} answers from cache, {r.randrange(10**4)} recursions, 0 prefetch, 0 rejected by ip ratelimiting",
                        (),
                    ),
                    (
                        "INFO",
                        f"[812:0] info: average recursion processing time {r.random() / 10:.6f} sec",
                        (),
                    ),
                    (
                        "INFO",
                        f"[812:{r.randrange(4)}] info: 10.{r.randrange(60, 64)}.{r.randrange(256)}.{r.randrange(1, 255)} {r.choice(['orders-db.service.dc1.consul', 'payments.service.dc1.consul', 'api.stripe.com', 'sqs.sa-east-1.amazonaws.com'])}. A IN",
                        (),
                    ),
                ]
            ),
            START,
            MINUTES,
            1500,
        )
    )
    dns.add(
        [
            at(
                START,
                64.0,
                "WARN",
                "[812:2] error: SERVFAIL <pixel.adnet-track.example. A IN>: all the configured stub or forward servers failed, at zone pixel.adnet-track.example.",
            ),
        ]
    )
    host = LogFile("logs/dns-int-02-system.log", HostJournal("dns-int-02", "systemd", 1))
    host.add(
        traffic(
            rng,
            lambda r: r.choice(
                [
                    (
                        "INFO",
                        f"Started session-{r.randrange(10**4)}.scope - Session of User deploy.",
                        (),
                    ),
                    (
                        "INFO",
                        "Starting sysstat-collect.service - system activity accounting tool...",
                        (),
                    ),
                    ("INFO", "sysstat-collect.service: Deactivated successfully.", ()),
                ]
            ),
            START,
            MINUTES,
            260,
        )
    )
    host.add(
        [
            at(
                START,
                HARDEN - 0.2,
                "INFO",
                "ansible-ansible.builtin.template Invoked with src=nftables-baseline.conf.j2 dest=/etc/nftables.conf mode=0600 validate=nft -c -f %s",
                logger="python3[40718]",
            ),
            at(START, HARDEN, "INFO", "Reloading nftables.service - nftables..."),
            at(START, HARDEN + 0.01, "INFO", "Reloaded nftables.service - nftables."),
        ]
    )
    consul = LogFile(
        "logs/consul-server-1.log",
        JsonLines("consul", ("@timestamp", "@level", "@message"), "@module", True, rng),
    )
    consul.add(
        traffic(
            rng,
            lambda r: r.choice(
                [
                    (
                        "INFO",
                        f"agent: Synced check: check=service:search-api-{r.randrange(1, 19)}",
                        (),
                    ),
                    (
                        "DEBUG",
                        f"agent.server.raft: accepted connection: local-address=10.50.0.21:8300 remote-address=10.50.0.{r.randrange(22, 24)}:{r.randrange(30000, 60000)}",
                        (),
                    ),
                ]
            ),
            START,
            MINUTES,
            700,
        )
    )
    consul.add(
        [
            at(
                START,
                120.0,
                "WARN",
                'agent: Check is now critical: check=service:search-api-7 output="HTTP GET http://10.62.8.17:8080/health: 503 Service Unavailable"',
            ),
            at(
                START,
                SCALE,
                "INFO",
                'nomad-autoscaler: scaling job=search-api group=api from=18 to=44 reason="scaling up because factor is 2.410000"',
            ),
            at(
                START,
                SCALE + 1.5,
                "INFO",
                "catalog: registered 26 new instances of service search-api (44 healthy)",
            ),
        ]
    )
    app = LogFile("logs/checkout-api.log", JsonLines("checkout-api", rng=rng, zone=SAO_PAULO))
    app.add(
        traffic(
            rng, web_api("checkout-api", ["carts", "checkout", "shipping"]), START, MINUTES, 3800
        )
    )
    app.add(
        [
            at(
                START,
                90.0,
                "WARN",
                "slow query: SELECT * FROM promotions WHERE active = true took 1840ms",
            )
        ]
    )
    app.add(
        loud(
            rng,
            START,
            SCALE + 1.2,
            MINUTES - SCALE - 2,
            600,
            fixed(
                "ERROR",
                lambda r: (
                    f'product search failed: Get "http://search-api.service.dc1.consul:8080/v1/search?q={r.choice(["shoes", "tent", "lamp", "sofa"])}": dial tcp: lookup search-api.service.dc1.consul on 10.50.0.12:53: read tcp 10.61.{r.randrange(256)}.{r.randrange(1, 255)}:{r.randrange(30000, 60000)}->10.50.0.12:53: i/o timeout'
                ),
            ),
        )
    )
    dig = "\n".join(
        [
            "app-b-07:~$ dig search-api.service.dc1.consul @10.50.0.12",
            ";; Truncated, retrying in TCP mode.",
            ";; communications error to 10.50.0.12#53: timed out",
            ";; communications error to 10.50.0.12#53: timed out",
            "; <<>> DiG 9.18.24 <<>> search-api.service.dc1.consul @10.50.0.12",
            ";; no servers could be reached",
            "",
            "app-b-07:~$ dig +ignore search-api.service.dc1.consul @10.50.0.12 | grep -E 'flags|MSG SIZE'",
            ";; flags: qr aa tc rd ra; QUERY: 1, ANSWER: 19, AUTHORITY: 0, ADDITIONAL: 1",
            ";; MSG SIZE  rcvd: 1229",
            "",
            "app-b-07:~$ dig +short orders-db.service.dc1.consul @10.50.0.12",
            "10.62.3.41",
            "",
            "dns-int-02:~$ sudo nft list chain inet filter input",
            "table inet filter {",
            "\tchain input {",
            "\t\ttype filter hook input priority filter; policy drop;",
            "\t\tct state established,related accept",
            '\t\tiif "lo" accept',
            "\t\ttcp dport 22 ip saddr 10.50.8.0/24 accept",
            "\t\tudp dport 53 ip saddr 10.0.0.0/8 accept",
            "\t\ttcp dport 9100 ip saddr 10.50.9.0/24 accept",
            "\t\tcounter packets 48812 bytes 2928720 drop",
            "\t}",
            "}",
            "",
        ]
    )
    notes = "\n".join(
        [
            "[11:20 BRT] checkout errors: product search 'lookup ... i/o timeout' on every checkout-api pod since ~11:03 BRT",
            "[11:22 BRT] other consul names resolve fine from the same hosts; dns-int-02 CPU and memory normal",
            "[11:25 BRT] search-api scaled up at 11:02 BRT for the campaign; search-api-7 flapping earlier, replaced",
            "",
        ]
    )
    return Bundle(
        question="Since about 11:03 BRT checkout-api cannot reach search-api: every lookup of search-api.service.dc1.consul times out, while other names resolve. What is the root cause?",
        category="dns",
        component="dns-int-02",
        statement="A hardening run at 11:38 UTC loaded an nftables ruleset on dns-int-02 that accepts DNS only over UDP; once search-api scaled to 44 instances its answer was truncated (TC) and clients' retries over TCP port 53 are dropped, so that lookup times out.",
        files={
            "notes.txt": notes,
            "resolver-checks.txt": dig,
            "logs/dns-int-02-journal.log": dns.render(),
            "logs/dns-int-02-system.log": host.render(),
            "logs/consul-server-1.log": consul.render(),
            "logs/checkout-api.log": app.render(),
        },
        proofs=[
            Proof("resolver-checks.txt", "udp dport 53 ip saddr 10.0.0.0/8 accept"),
            Proof("resolver-checks.txt", ";; Truncated, retrying in TCP mode."),
            Proof("logs/dns-int-02-system.log", "Reloaded nftables.service"),
        ],
        decoys=[
            "SERVFAIL <pixel.adnet-track.example",
            "Check is now critical: check=service:search-api-7",
            "slow query: SELECT * FROM promotions",
        ],
    )
