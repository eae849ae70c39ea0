# ruff: noqa: E501
# Hand-written log lines are data, kept whole on one line.
"""DNS: the internal primary was rebuilt as ns1 on 2026-12-03 and its corp.lan zone file was
regenerated with date-based serials (2026120301, then 2026120401), lower than the old
primary's counter-based serial 4100000187 that the secondaries ns2 and ns3 still hold. The secondaries refuse every
transfer (`serial number ... received from master ... < ours`) and keep serving the old zone.
On 12-04 at 09:30 the reporting database moved to a new address in the zone on ns1; clients
that resolve through ns2/ns3 still get the decommissioned address and time out. Decoys: a lame
server warning for an external zone, a DNSSEC validation failure for a third-party domain, and
the report workers' loud connection timeouts."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import PythonLogging, Syslog3164
from scenes import at, loud
from traffic import Line, traffic

START = datetime(2026, 12, 4, 8, 0, tzinfo=UTC)
MINUTES = 150
NAMES = [
    "git.corp.lan",
    "ldap1.corp.lan",
    "db-reports.corp.lan",
    "mq01.corp.lan",
    "grafana.corp.lan",
    "vault.corp.lan",
    "build-07.corp.lan",
    "api.stripe.com",
    "registry-1.docker.io",
]


def query(rng: random.Random) -> Line:
    name = rng.choice(NAMES)
    ip = f"10.20.{rng.randrange(1, 40)}.{rng.randrange(2, 250)}"
    kind = rng.choice(["A", "A", "AAAA"])
    return (
        "INFO",
        f"client @0x7f{rng.getrandbits(40):010x} {ip}#{rng.randrange(30000, 65000)} ({name}): query: {name} IN {kind} +E(0)K ({rng.choice(['10.20.0.53', '10.20.0.54', '10.20.0.55'])})",
        (),
    )


def report_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.6:
        return (
            "INFO",
            f"report {rng.choice(['daily-sales', 'stock-ageing', 'returns-by-store', 'margin-by-sku'])} for store {rng.randrange(100, 480)} rendered in {rng.randrange(200, 4000)} ms ({rng.randrange(10, 4000)} rows)",
            (),
        )
    if roll < 0.9:
        return (
            "INFO",
            f"connected to db-reports.corp.lan:5432 (10.20.31.8) in {rng.randrange(2, 9)} ms",
            (),
        )
    return "DEBUG", f"queue depth {rng.randrange(0, 30)}", ()


def report_error(rng: random.Random) -> Line:
    return (
        "ERROR",
        f'report {rng.choice(["daily-sales", "stock-ageing", "margin-by-sku"])} failed: connection to server at "db-reports.corp.lan" (10.20.14.31), port 5432 failed: Connection timed out',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(375_2090)
    ns1 = LogFile("ns1-named.log", Syslog3164("ns1", "named", 812))
    ns1.add(traffic(rng, query, START, MINUTES, 1500))
    ns1.add(
        [
            at(START, 88.1, "INFO", "zone corp.lan/IN: loaded serial 2026120401"),
            at(START, 88.12, "INFO", "zone corp.lan/IN: sending notifies (serial 2026120401)"),
            at(
                START,
                22.5,
                "INFO",
                "lame-server resolving 'cdn.partner-media.net' (in 'partner-media.net'?): 198.18.40.7#53",
            ),
            at(
                START, 57.3, "WARN", "validating shop-feeds.example.org/A: no valid signature found"
            ),
        ]
    )
    ns1_text = "# journalctl -u named on ns1 (primary), 08:00-10:30\n" + ns1.render()
    ns2 = LogFile("ns2-named.log", Syslog3164("ns2", "named", 1044))
    ns2.add(traffic(rng, query, START, MINUTES, 2100))
    for k in range(10):
        minute = 6.2 + k * 15
        ns2.add(
            [
                at(
                    START,
                    minute,
                    "WARN",
                    f"zone corp.lan/IN: refresh: serial number ({2026120301 if minute < 88 else 2026120401}) received from master 10.20.0.53#53 < ours (4100000187)",
                )
            ]
        )
    ns2.add(
        [
            at(
                START,
                88.15,
                "INFO",
                "client @0x7f81a0c43d10 10.20.0.53#47731: received notify for zone 'corp.lan'",
            ),
            at(
                START,
                88.16,
                "WARN",
                "zone corp.lan/IN: notify from 10.20.0.53#47731: zone is up to date",
            ),
        ]
    )
    ns3 = LogFile("ns3-named.log", Syslog3164("ns3", "named", 997))
    ns3.add(traffic(rng, query, START, MINUTES, 2000))
    for k in range(10):
        ns3.add(
            [
                at(
                    START,
                    11.8 + k * 15,
                    "WARN",
                    f"zone corp.lan/IN: refresh: serial number ({2026120301 if 11.8 + k * 15 < 88 else 2026120401}) received from master 10.20.0.53#53 < ours (4100000187)",
                )
            ]
        )
    worker = LogFile("report-worker.log", PythonLogging(("reports.worker", "reports.db"), rng=rng))
    worker.add(traffic(rng, report_line, START, MINUTES, 2400))
    worker.add(loud(rng, START, 91.0, MINUTES - 91.5, 300, report_error))
    worker.add(
        [at(START, 47.2, "WARN", "slow query on report margin-by-sku: 18.2 s (threshold 10 s)")]
    )
    digs = """$ for s in 10.20.0.53 10.20.0.54 10.20.0.55; do echo "== $s"; dig +short @$s corp.lan SOA; dig +short @$s db-reports.corp.lan A; done
== 10.20.0.53
ns1.corp.lan. hostmaster.corp.lan. 2026120401 3600 900 1209600 300
10.20.31.8
== 10.20.0.54
ns1.corp.lan. hostmaster.corp.lan. 4100000187 3600 900 1209600 300
10.20.14.31
== 10.20.0.55
ns1.corp.lan. hostmaster.corp.lan. 4100000187 3600 900 1209600 300
10.20.14.31

$ cat /etc/resolv.conf   # on report-worker-03
search corp.lan
nameserver 10.20.0.54
nameserver 10.20.0.53
options timeout:2 attempts:2
"""
    change = """CHG-48113  2026-12-04 09:30 UTC  Move reporting database to new cluster
  - db-reports.corp.lan A 10.20.14.31 -> 10.20.31.8 (edited in corp.lan on ns1, rndc reload)
  - old host pg-rep-old-01 (10.20.14.31) powered off 09:45
  Status: implemented
"""
    files = {
        "ns1-named.log": ns1_text,
        "ns2-named.log": ns2.render(),
        "ns3-named.log": ns3.render(),
        "report-worker-03.log": worker.render(),
        "dig-output.txt": digs,
        "change-record.txt": change,
    }
    return Bundle(
        question="Since the reporting database moved at 09:30, about two thirds of report jobs time out connecting to db-reports.corp.lan while the rest work. What is the root cause?",
        category="dns",
        component="ns1",
        statement="The rebuilt primary ns1 serves corp.lan with date-based serials (2026120401 after the 09:28 edit), lower than the 4100000187 the secondaries ns2 and ns3 hold, so they refuse every zone transfer and still answer the old address 10.20.14.31 for db-reports.corp.lan; workers resolving through them connect to the powered-off host.",
        files=files,
        proofs=[
            Proof("ns1-named.log", "loaded serial 2026120401"),
            Proof(
                "ns2-named.log",
                "zone corp.lan/IN: notify from 10.20.0.53#47731: zone is up to date",
            ),
            Proof("dig-output.txt", "== 10.20.0.54", "10.20.14.31"),
        ],
        decoys=[
            "lame-server resolving",
            "no valid signature found",
            "Connection timed out",
        ],
    )
