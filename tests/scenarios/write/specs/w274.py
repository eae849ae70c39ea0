# ruff: noqa: E501
# Syslog lines and pasted command output are data, kept whole on one line.
"""DNS: the internal zone corp.lumen.internal is signed by BIND's inline signing on ns1-int.
When ns1-int was moved to a new VM three weeks ago its key directory was copied as root, so named
(running as bind) can no longer read the private keys; it keeps serving the old signed zone but
cannot re-sign it. At 13:00 UTC the RRSIGs made 30 days earlier expire; the validating unbound
resolvers then answer SERVFAIL for every corp.lumen.internal name and applications fail to
resolve their databases and APIs. Decoys: an NTP step on a resolver, a lame-delegation notice for
an external zone, and the app's connection-pool errors."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import PythonLogging, Syslog3164
from scenes import at, loud
from traffic import host_traffic, traffic, web_api

START = datetime(2026, 8, 11, 11, 40, tzinfo=UTC)
MINUTES = 150
EXPIRY = 80.0  # 13:00


def bundle() -> Bundle:
    rng = random.Random(27408)
    ns = LogFile("logs/ns1-int-syslog.log", Syslog3164("ns1-int", "named", 811))
    ns.add(host_traffic(rng, START, MINUTES, 700))
    ns.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"client @0x7f2c{r.getrandbits(32):08x} 10.8.{r.randrange(0, 4)}.{r.randrange(2, 250)}#{r.randrange(1024, 65535)} ({(n := r.choice(['pg-primary', 'api', 'vault', 'ldap', 'kafka-1']))}.corp.lumen.internal): query: {n}.corp.lumen.internal IN {r.choice(['A', 'AAAA'])} +E(0)DC (10.8.0.53)",
                (),
            ),
            START,
            MINUTES,
            260,
            logger="named[811]",
        )
    )
    ns.add(
        [
            at(
                START,
                19.0,
                "WARN",
                "zone corp.lumen.internal/IN (signed): reconfiguring zone keys",
                logger="named[811]",
            ),
            at(
                START,
                19.01,
                "ERROR",
                "dns_dnssec_findmatchingkeys: error reading key file Kcorp.lumen.internal.+013+41207.private: permission denied",
                logger="named[811]",
            ),
            at(
                START,
                19.02,
                "ERROR",
                "zone corp.lumen.internal/IN (signed): zone_rekey:dns_dnssec_findmatchingkeys failed: permission denied",
                logger="named[811]",
            ),
            at(
                START,
                52.0,
                "INFO",
                "lame server resolving 'mail.oldpartner-gmbh.de' (in 'oldpartner-gmbh.de'?): 194.25.0.60#53",
                logger="named[811]",
            ),
        ]
    )
    resolver = LogFile("logs/resolver-a-syslog.log", Syslog3164("resolver-a", "unbound", 1402))
    resolver.add(host_traffic(rng, START, MINUTES, 600))
    resolver.add(
        [
            at(
                START,
                33.0,
                "WARN",
                "System clock wrong by 1.284113 seconds, adjustment started",
                logger="chronyd[655]",
            )
        ]
    )
    resolver.add(
        loud(
            rng,
            START,
            EXPIRY + 0.2,
            MINUTES - EXPIRY - 0.5,
            160,
            lambda r: (
                "WARN",
                f"[1402:{r.randrange(0, 4)}] info: validation failure <{r.choice(['orders-db', 'pg-primary', 'api', 'vault', 'ldap', 'kafka-1'])}.corp.lumen.internal. A IN>: signature expired from 10.8.0.53 for key corp.lumen.internal. while building chain of trust",
                (),
            ),
        )
    )
    app = LogFile(
        "logs/fulfilment-api.log", PythonLogging(("fulfilment.api", "fulfilment.db"), rng=rng)
    )
    app.add(traffic(rng, web_api("fulfilment-api", ["shipments", "parcels"]), START, MINUTES, 3200))
    app.add(
        loud(
            rng,
            START,
            EXPIRY + 1.0,
            MINUTES - EXPIRY - 1.5,
            280,
            lambda r: (
                "ERROR",
                'sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) could not translate host name "pg-primary.corp.lumen.internal" to address: Temporary failure in name resolution',
                (),
            ),
        )
    )
    app.add(
        loud(
            rng,
            START,
            EXPIRY + 1.5,
            MINUTES - EXPIRY - 2,
            90,
            lambda r: (
                "ERROR",
                "QueuePool limit of size 20 overflow 10 reached, connection timed out, timeout 30.00 (Background on this error at: https://sqlalche.me/e/20/3o7r)",
                (),
            ),
        )
    )
    dig = "\n".join(
        [
            "$ dig +dnssec pg-primary.corp.lumen.internal @10.8.0.53",
            "",
            "; <<>> DiG 9.18.24 <<>> +dnssec pg-primary.corp.lumen.internal @10.8.0.53",
            ";; global options: +cmd",
            ";; Got answer:",
            f";; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: {rng.randrange(65535)}",
            ";; flags: qr aa rd; QUERY: 1, ANSWER: 2, AUTHORITY: 0, ADDITIONAL: 1",
            "",
            ";; ANSWER SECTION:",
            "pg-primary.corp.lumen.internal. 300 IN\tA\t10.8.14.21",
            "pg-primary.corp.lumen.internal. 300 IN\tRRSIG\tA 13 4 300 20260811130000 20260712130000 41207 corp.lumen.internal. n3kF0y1ZbqG2mXo7d8Qe5Vf0tKk9jLr6wS4uHcP1aYzB0vNxE2gRq3iT 5yJmW8oD7sUfA6hC4lKeXpVb9nQ1zIrGt0wYj2Mu==",
            "",
            ";; Query time: 1 msec",
            ";; SERVER: 10.8.0.53#53(10.8.0.53) (UDP)",
            ";; WHEN: Tue Aug 11 14:02:17 UTC 2026",
            "",
            "$ dig pg-primary.corp.lumen.internal @10.8.0.11",
            f";; ->>HEADER<<- opcode: QUERY, status: SERVFAIL, id: {rng.randrange(65535)}",
            ";; OPT PSEUDOSECTION: EDE: 7 (Signature Expired)",
            "",
            "$ ssh ns1-int sudo ls -l /var/lib/bind/keys/",
            "-rw------- 1 root root  193 Jul 20 09:41 Kcorp.lumen.internal.+013+41207.key",
            "-rw------- 1 root root  215 Jul 20 09:41 Kcorp.lumen.internal.+013+41207.private",
            "-rw------- 1 root root  193 Jul 20 09:41 Kcorp.lumen.internal.+013+55310.key",
            "-rw------- 1 root root  215 Jul 20 09:41 Kcorp.lumen.internal.+013+55310.private",
            "",
        ]
    )
    return Bundle(
        question="From 13:00 UTC every service that talks to anything under corp.lumen.internal fails name resolution. External names still resolve. What is the root cause?",
        category="dns",
        component="ns1-int",
        statement="On ns1-int named cannot read the DNSSEC private keys (copied as root when the host was moved), so inline signing stopped re-signing corp.lumen.internal; the RRSIGs expired at 13:00 UTC and the validating resolvers return SERVFAIL (signature expired) for every internal name.",
        files={
            "logs/ns1-int-syslog.log": ns.render(),
            "logs/resolver-a-syslog.log": resolver.render(),
            "logs/fulfilment-api.log": app.render(),
            "dig.txt": dig,
        },
        proofs=[
            Proof(
                "logs/ns1-int-syslog.log",
                "error reading key file Kcorp.lumen.internal.+013+41207.private: permission denied",
                "zone_rekey:dns_dnssec_findmatchingkeys failed",
            ),
            Proof("dig.txt", "RRSIG\tA 13 4 300 20260811130000"),
        ],
        decoys=[
            "System clock wrong by 1.284113 seconds",
            "lame server resolving",
            "QueuePool limit of size 20 overflow 10 reached",
        ],
    )
