# ruff: noqa: E501
# Hand-written log lines are data, kept whole on one line.
"""DNS: the primary dns-pri-01 was rebuilt on Tuesday 7 April 2026 (10:00 UTC) from an old
configuration template whose `allow-transfer` and `also-notify` still name the secondary's
former address 10.60.0.53; dns-sec-02 moved to 10.60.8.53 last year. The first record change
after the rebuild (serial 2026040702, Tuesday 14:22) makes dns-sec-02 try a transfer, which
dns-pri-01 denies; every refresh after that fails, and when the zone's 3-day expire runs out
on Friday 13:51 UTC dns-sec-02 drops int.harbor.example and answers SERVFAIL. The warehouse
site's hosts resolve through it only: picking-api cannot resolve its database from Friday
13:51. Decoys: a root key refresh timeout on dns-sec-02, picking-api's connection pool errors
(a consequence), a lame-server notice."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from records import PythonLogging, Record
from scenes import fixed, loud
from traffic import traffic

REBUILD = datetime(2026, 4, 7, 10, 0, tzinfo=UTC)
EXPIRE = datetime(2026, 4, 10, 13, 51, 6, tzinfo=UTC)
ZONE = "int.harbor.example"
PRI = "10.60.1.10"
SEC = "10.60.8.53"


@dataclass
class BindFile:
    """named's file channel with print-time, print-category and print-severity."""

    def render(self, record: Record) -> list[str]:
        severity = {
            "INFO": "info",
            "WARN": "warning",
            "ERROR": "error",
            "NOTICE": "notice",
            "DEBUG": "debug 1",
        }[record.level]
        stamp = (
            record.time.strftime("%d-%b-%Y %H:%M:%S.") + f"{record.time.microsecond // 1000:03d}"
        )
        return [f"{stamp} {record.logger}: {severity}: {record.message}"]


def client(rng: random.Random) -> str:
    return f"client @0x7f{rng.getrandbits(40):010x} 10.60.{rng.randrange(2, 30)}.{rng.randrange(2, 250)}#{rng.randrange(1024, 65535)}"


def pri_line(rng: random.Random) -> tuple[str, str, str]:
    roll = rng.random()
    if roll < 0.4:
        return (
            "INFO",
            "resolver",
            f"{client(rng)} ({rng.choice(['www.gstatic.com', 'api.github.com', 'repo.maven.apache.org', 'pypi.org'])}): query (cache) '{rng.choice(['www.gstatic.com', 'api.github.com', 'repo.maven.apache.org', 'pypi.org'])}/A/IN' approved",
        )
    if roll < 0.7:
        return (
            "INFO",
            "xfer-out",
            f"{client(rng).replace('10.60.', '10.61.', 1)} ({ZONE}): transfer of '{ZONE}/IN': IXFR ended: 1 messages, {rng.randrange(2, 9)} records, {rng.randrange(200, 900)} bytes, 0.001 secs",
        )
    if roll < 0.85:
        return (
            "INFO",
            "general",
            "managed-keys-zone: Key 20326 for zone . is now trusted (acceptance timer complete)",
        )
    return (
        "INFO",
        "lame-servers",
        f"lame server resolving '{rng.choice(['cdn.partner-sky.net', 'mx.oldvendor.com'])}' (in '{rng.choice(['partner-sky.net', 'oldvendor.com'])}'?): 198.51.100.{rng.randrange(2, 250)}#53",
    )


def sec_line(rng: random.Random) -> tuple[str, str, str]:
    roll = rng.random()
    if roll < 0.6:
        return (
            "INFO",
            "resolver",
            f"{client(rng)} ({rng.choice(['registry.npmjs.org', 'ntp.ubuntu.com', 'objects.githubusercontent.com'])}): query (cache) approved",
        )
    if roll < 0.85:
        return (
            "INFO",
            "general",
            f"zone {rng.choice(['60.10.in-addr.arpa', 'harbor.example'])}/IN: refresh: serial unchanged",
        )
    return (
        "INFO",
        "lame-servers",
        f"lame server resolving 'mx.oldvendor.com' (in 'oldvendor.com'?): 198.51.100.{rng.randrange(2, 250)}#53",
    )


def named_traffic(
    rng: random.Random, make, start: datetime, hours: float, count: int
) -> list[Record]:
    records = []
    for offset in sorted(rng.random() * hours * 3600_000 for _ in range(count)):
        level, category, message = make(rng)
        records.append(Record(start + timedelta(milliseconds=offset), level, message, (), category))
    return records


def rec(time: datetime, level: str, category: str, message: str) -> Record:
    return Record(time, level, message, (), category)


def bundle() -> Bundle:
    rng = random.Random(58508)
    pri = LogFile("dns-pri-01-named.log", BindFile())
    pri.add(named_traffic(rng, pri_line, REBUILD + timedelta(minutes=6), 3.5 * 24, 2300))
    t = REBUILD
    pri.add(
        [
            rec(
                t + timedelta(minutes=5, seconds=2),
                "NOTICE",
                "general",
                "starting BIND 9.18.28-0ubuntu0.24.04.1-Ubuntu (Extended Support Version) <id:>",
            ),
            rec(
                t + timedelta(minutes=5, seconds=2, milliseconds=40),
                "NOTICE",
                "general",
                "running as: named -u bind",
            ),
            rec(
                t + timedelta(minutes=5, seconds=2, milliseconds=300),
                "NOTICE",
                "general",
                "loading configuration from '/etc/bind/named.conf'",
            ),
            rec(
                t + timedelta(minutes=5, seconds=3),
                "INFO",
                "general",
                f"zone {ZONE}/IN: loaded serial 2026040701",
            ),
            rec(
                t + timedelta(minutes=5, seconds=3, milliseconds=20),
                "NOTICE",
                "general",
                "all zones loaded",
            ),
            rec(
                t + timedelta(minutes=5, seconds=3, milliseconds=30), "NOTICE", "general", "running"
            ),
            rec(
                t + timedelta(minutes=5, seconds=3, milliseconds=60),
                "INFO",
                "notify",
                f"zone {ZONE}/IN: sending notifies (serial 2026040701)",
            ),
            rec(
                t + timedelta(minutes=5, seconds=18, milliseconds=61),
                "INFO",
                "notify",
                f"zone {ZONE}/IN: notify to 10.60.0.53#53 failed: timed out",
            ),
            rec(
                t + timedelta(hours=4, minutes=22, seconds=7),
                "INFO",
                "general",
                f"zone {ZONE}/IN: journal file is out of date: removing journal file",
            ),
            rec(
                t + timedelta(hours=4, minutes=22, seconds=7, milliseconds=90),
                "INFO",
                "general",
                f"zone {ZONE}/IN: loaded serial 2026040702",
            ),
            rec(
                t + timedelta(hours=4, minutes=22, seconds=7, milliseconds=140),
                "INFO",
                "notify",
                f"zone {ZONE}/IN: sending notifies (serial 2026040702)",
            ),
            rec(
                t + timedelta(hours=4, minutes=22, seconds=8, milliseconds=12),
                "INFO",
                "security",
                f"client @0x7f3c2c0a1b68 {SEC}#41811 ({ZONE}): zone transfer '{ZONE}/AXFR/IN' denied",
            ),
            rec(
                t + timedelta(hours=4, minutes=22, seconds=22, milliseconds=143),
                "INFO",
                "notify",
                f"zone {ZONE}/IN: notify to 10.60.0.53#53 failed: timed out",
            ),
        ]
    )
    # every later refresh attempt by the secondary is denied too
    sec = LogFile("dns-sec-02-named.log", BindFile())
    sec.add(named_traffic(rng, sec_line, REBUILD - timedelta(hours=2), 3.5 * 24 + 6, 2100))
    sec.add(
        [
            rec(
                REBUILD + timedelta(hours=3, minutes=51, seconds=6),
                "INFO",
                "general",
                f"zone {ZONE}/IN: refresh: serial unchanged",
            )
        ]
    )
    tried = REBUILD + timedelta(hours=4, minutes=22, seconds=8)
    sec.add(
        [
            rec(
                tried,
                "INFO",
                "notify",
                f"client @0x7f91d80b2f48 {PRI}#53: received notify for zone '{ZONE}'",
            ),
            rec(
                tried + timedelta(milliseconds=2),
                "INFO",
                "general",
                f"zone {ZONE}/IN: notify from {PRI}#53: serial 2026040702",
            ),
            rec(
                tried + timedelta(milliseconds=9),
                "INFO",
                "xfer-in",
                f"zone {ZONE}/IN: Transfer started.",
            ),
            rec(
                tried + timedelta(milliseconds=10),
                "INFO",
                "xfer-in",
                f"transfer of '{ZONE}/IN' from {PRI}#53: connected using {SEC}#41811",
            ),
            rec(
                tried + timedelta(milliseconds=12),
                "ERROR",
                "xfer-in",
                f"transfer of '{ZONE}/IN' from {PRI}#53: failed while receiving responses: REFUSED",
            ),
            rec(
                tried + timedelta(milliseconds=13),
                "INFO",
                "xfer-in",
                f"transfer of '{ZONE}/IN' from {PRI}#53: Transfer status: REFUSED",
            ),
            rec(
                tried + timedelta(milliseconds=14),
                "INFO",
                "xfer-in",
                f"transfer of '{ZONE}/IN' from {PRI}#53: Transfer completed: 0 messages, 0 records, 0 bytes, 0.002 secs (0 bytes/sec) (serial 2026040701)",
            ),
        ]
    )
    attempt = tried
    while attempt < EXPIRE - timedelta(minutes=12):
        attempt += timedelta(minutes=rng.choice([8, 9, 10, 11]), seconds=rng.randrange(60))
        port = rng.randrange(30000, 60000)
        sec.add(
            [
                rec(
                    attempt,
                    "INFO",
                    "xfer-in",
                    f"transfer of '{ZONE}/IN' from {PRI}#53: connected using {SEC}#{port}",
                ),
                rec(
                    attempt + timedelta(milliseconds=3),
                    "ERROR",
                    "xfer-in",
                    f"transfer of '{ZONE}/IN' from {PRI}#53: failed while receiving responses: REFUSED",
                ),
                rec(
                    attempt + timedelta(milliseconds=4),
                    "INFO",
                    "xfer-in",
                    f"transfer of '{ZONE}/IN' from {PRI}#53: Transfer status: REFUSED",
                ),
            ]
        )
        pri.add(
            [
                rec(
                    attempt + timedelta(milliseconds=2),
                    "INFO",
                    "security",
                    f"client @0x7f3c2c{rng.getrandbits(24):06x} {SEC}#{port} ({ZONE}): zone transfer '{ZONE}/AXFR/IN' denied",
                )
            ]
        )
    sec.add(
        [
            rec(
                REBUILD + timedelta(hours=30, minutes=12),
                "WARN",
                "dnssec",
                "managed-keys-zone: Unable to fetch DNSKEY set '.': timed out",
            ),
            rec(EXPIRE, "WARN", "general", f"zone {ZONE}/IN: expired"),
            rec(
                EXPIRE + timedelta(milliseconds=30),
                "INFO",
                "general",
                f"zone {ZONE}/IN: refresh: retry limit for primary {PRI}#53 exceeded (source {SEC}#0)",
            ),
        ]
    )
    for _ in range(340):
        when = EXPIRE + timedelta(
            seconds=rng.randrange(5, 55 * 60), milliseconds=rng.randrange(1000)
        )
        host = rng.choice(
            [
                "db-wh1.int.harbor.example",
                "queue-wh.int.harbor.example",
                "ldap.int.harbor.example",
                "vault.int.harbor.example",
            ]
        )
        sec.add(
            [
                rec(
                    when,
                    "INFO",
                    "query-errors",
                    f"{client(rng).replace('10.60.', '10.62.', 1)} ({host}): query failed (SERVFAIL) for {host}/IN/A at query.c:7781",
                )
            ]
        )
    api = LogFile(
        "logs/picking-api.log",
        PythonLogging(("picking.api", "picking.db", "sqlalchemy.pool.impl.QueuePool")),
    )
    window = EXPIRE - timedelta(minutes=40)
    api.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"pick list {r.randrange(10**6, 10**7)} assigned to scanner WH1-{r.randrange(1, 80):02d} lines={r.randrange(1, 40)} took={r.randrange(8, 90)}ms",
                (),
            ),
            window,
            95,
            2600,
            "picking.api",
        )
    )
    api.add(
        loud(
            rng,
            window,
            40.05,
            54,
            300,
            fixed(
                "ERROR",
                lambda r: r.choice(
                    [
                        'pick list fetch failed: (psycopg2.OperationalError) could not translate host name "db-wh1.int.harbor.example" to address: Temporary failure in name resolution',
                        "pick list fetch failed: QueuePool limit of size 10 overflow 5 reached, connection timed out, timeout 30.00",
                    ]
                ),
            ),
        )
    )
    conf = (
        "\n".join(
            [
                "# dns-pri-01: named-checkconf -p (excerpt), pasted Friday 14:40 UTC",
                "options {",
                '\tdirectory "/var/cache/bind";',
                "\tallow-query {",
                "\t\t10.60.0.0/14;",
                "\t};",
                "\tallow-recursion {",
                "\t\t10.60.0.0/14;",
                "\t};",
                "\tdnssec-validation auto;",
                "\tlisten-on {",
                f"\t\t{PRI};",
                "\t\t127.0.0.1;",
                "\t};",
                "\tnotify yes;",
                "};",
                f'zone "{ZONE}" {{',
                "\ttype primary;",
                f'\tfile "/var/lib/bind/db.{ZONE}";',
                "\tallow-transfer {",
                "\t\t10.60.0.53;",
                "\t\t10.61.0.53;",
                "\t};",
                "\talso-notify {",
                "\t\t10.60.0.53;",
                "\t\t10.61.0.53;",
                "\t};",
                "\tallow-update {",
                '\t\tkey "ddns-harbor";',
                "\t};",
                "};",
                "",
                f"$ dig +short @{PRI} {ZONE} SOA",
                f"dns-pri-01.{ZONE}. hostmaster.harbor.example. 2026040702 3600 600 259200 300",
                "",
                f"$ dig +short @{PRI} dns-sec-02.{ZONE} A",
                SEC,
                "",
                f"$ dig @{SEC} db-wh1.{ZONE} A +noall +comments | grep status",
                ";; ->>HEADER<<- opcode: QUERY, status: SERVFAIL, id: 40417",
                "",
                f"$ ssh dns-sec-02 sudo rndc zonestatus {ZONE}",
                f"name: {ZONE}",
                "type: secondary",
                "files: /var/cache/bind/int.harbor.example.db",
                "serial: 2026040701",
                "nodes: 412",
                "next refresh: Fri, 10 Apr 2026 14:49:17 GMT",
                "expires: Fri, 10 Apr 2026 13:51:06 GMT",
                "secure: no",
                "dynamic: no",
                "reconfigurable via modzone: no",
                "",
                "$ cat /etc/resolv.conf   # on picking-api-wh1-03",
                "search int.harbor.example",
                f"nameserver {SEC}",
                "options timeout:2 attempts:2",
            ]
        )
        + "\n"
    )
    return Bundle(
        question="Since about 13:51 UTC on Friday picking-api in the warehouse can't resolve db-wh1.int.harbor.example and pick lists fail. Nothing changed today. What is the root cause?",
        category="dns",
        component="dns-pri-01",
        statement="dns-pri-01, rebuilt on Tuesday, still allows zone transfers only to the secondary's old address 10.60.0.53, so dns-sec-02 (now 10.60.8.53) has been refused every transfer of int.harbor.example since serial 2026040702; the copy expired on Friday 13:51 UTC and dns-sec-02, the warehouse's only resolver, answers SERVFAIL.",
        files={
            "dns-pri-01-named.log": pri.render(),
            "dns-sec-02-named.log": sec.render(),
            "dns-pri-01-checkconf.txt": conf,
            "logs/picking-api.log": api.render(),
        },
        proofs=[
            Proof("dns-pri-01-checkconf.txt", "\tallow-transfer {", "\t\t10.60.0.53;"),
            Proof("dns-pri-01-named.log", "client @0x7f3c2c0a1b68 10.60.8.53#41811"),
            Proof("dns-sec-02-named.log", f"zone {ZONE}/IN: expired"),
        ],
        decoys=[
            "Unable to fetch DNSKEY set",
            "QueuePool limit of size 10 overflow 5 reached",
            "lame server resolving",
        ],
    )
