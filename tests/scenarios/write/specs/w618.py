# ruff: noqa: E501
# Resolver, app log lines and pasted command output are data, kept whole on one line.
"""DNS, an AAAA record added for a v4-only service: at 09:20 UTC (+05:30 local 14:50) a network
change (NET-4410) published `ledger.svc.corp.internal AAAA fd10:40::15` on dns-int-01 ahead of an
IPv6 pilot, but the ledger hosts do not listen on IPv6. Python clients on dual-stack hosts get the
AAAA first (RFC 6724 ordering), wait out a 3 s connect timeout on the v6 address, then fall back
to IPv4: every new connection costs 3 s and settlement batches with a 5 s budget fail. Decoys: a
ledger GC warning, a lame-delegation notice on dns-int-01 for an external zone, and a retried
Postgres serialization error."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import PythonLogging, Syslog5424
from scenes import at, fixed, loud, python_traceback
from traffic import traffic, web_api

START = datetime(2026, 7, 9, 8, 30, tzinfo=UTC)
MINUTES = 150.0
CHANGE = 50.0  # 09:20 UTC


def bundle() -> Bundle:
    rng = random.Random(61806)
    named = LogFile("dns-int-01/named.log", Syslog5424("dns-int-01", "named", 912, 3))
    named.add(
        traffic(
            rng,
            lambda r: r.choice(
                [
                    (
                        "INFO",
                        f"client @0x7f{r.getrandbits(40):010x} 10.40.{r.randrange(1, 9)}.{r.randrange(2, 250)}#{r.randrange(32768, 60999)} (corp.internal): transfer of 'corp.internal/IN': IXFR ended",
                        (),
                    ),
                    (
                        "INFO",
                        f"zone svc.corp.internal/IN: sending notifies (serial {2026070901 + r.randrange(0, 2)})",
                        (),
                    ),
                    (
                        "INFO",
                        f"resolver priming query complete: success, {r.randrange(10, 14)} root servers",
                        (),
                    ),
                ]
            ),
            START,
            MINUTES,
            300,
        )
    )
    named.add(
        [
            at(
                START,
                CHANGE - 0.3,
                "INFO",
                "received control channel command 'reload svc.corp.internal'",
            ),
            at(START, CHANGE - 0.25, "INFO", "zone svc.corp.internal/IN: loaded serial 2026070903"),
            at(
                START,
                15.0,
                "WARN",
                "lame-servers: info: lame server resolving 'cdn.partner-assets.com' (in 'partner-assets.com'?): 198.51.100.53#53",
            ),
        ]
    )
    settle = LogFile(
        "settlement/settlement.log",
        PythonLogging(
            (
                "settlement.batch",
                "settlement.ledger_client",
                "urllib3.connectionpool",
                "settlement.db",
            ),
            rng,
        ),
    )
    settle.add(
        traffic(rng, web_api("settlement", ["batches", "payouts", "ledger"]), START, MINUTES, 4200)
    )
    settle.add(
        [
            at(
                START,
                22.0,
                "WARN",
                "batch b-71820 retry 1/3 after psycopg.errors.SerializationFailure: could not serialize access due to concurrent update, succeeded",
                logger="settlement.db",
            ),
        ]
    )
    settle.add(
        loud(
            rng,
            START,
            CHANGE + 0.5,
            MINUTES - CHANGE - 1,
            300,
            fixed(
                "WARN",
                lambda r: (
                    f"Retrying (Retry(total=2, connect=None, read=None, redirect=None, status=None)) after connection broken by 'ConnectTimeoutError(<urllib3.connection.HTTPConnection object at 0x7f{r.getrandbits(36):09x}>, 'Connection to ledger.svc.corp.internal timed out. (connect timeout=3)')': /v1/entries"
                ),
            ),
        )
    )
    settle.add(
        loud(
            rng,
            START,
            CHANGE + 1,
            MINUTES - CHANGE - 2,
            160,
            fixed(
                "ERROR",
                lambda r: (
                    f"batch b-{r.randrange(72000, 79999)} aborted: ledger post exceeded 5.0s budget ({r.randrange(5010, 9400)}ms), {r.randrange(20, 400)} payouts deferred"
                ),
                lambda r: python_traceback(
                    [
                        (
                            "/srv/settlement/settlement/batch.py",
                            212,
                            "post_entries",
                            "resp = self.ledger.post(entries, timeout=self.budget)",
                        ),
                        (
                            "/srv/settlement/settlement/ledger_client.py",
                            64,
                            "post",
                            "raise BudgetExceeded(elapsed)",
                        ),
                    ],
                    "settlement.ledger_client.BudgetExceeded: ledger call exceeded budget",
                ),
            ),
        )
    )
    ledger = LogFile(
        "ledger-01/ledger.log", PythonLogging(("ledger.api", "ledger.gc", "gunicorn.access"), rng)
    )
    ledger.add(traffic(rng, web_api("ledger", ["entries", "accounts"]), START, MINUTES, 2500))
    ledger.add(
        [
            at(
                START,
                75.0,
                "WARN",
                "gc: generation 2 collection took 812ms (objects=4120331)",
                logger="ledger.gc",
            )
        ]
    )
    paste = "\n".join(
        [
            "deploy@settle-03:~$ getent ahosts ledger.svc.corp.internal",
            "fd10:40::15     STREAM ledger.svc.corp.internal",
            "fd10:40::15     DGRAM",
            "fd10:40::15     RAW",
            "10.40.6.15      STREAM",
            "10.40.6.15      DGRAM",
            "10.40.6.15      RAW",
            "deploy@settle-03:~$ dig +noall +answer ledger.svc.corp.internal AAAA @dns-int-01",
            "ledger.svc.corp.internal. 300\tIN\tAAAA\tfd10:40::15",
            "deploy@settle-03:~$ curl -sS -o /dev/null -w 'ip=%{remote_ip} connect=%{time_connect} total=%{time_total}\\n' --connect-timeout 3 http://ledger.svc.corp.internal:8080/healthz",
            "curl: (28) Failed to connect to ledger.svc.corp.internal port 8080 after 3001 ms: Timeout was reached",
            "deploy@settle-03:~$ curl -4 -sS -o /dev/null -w 'ip=%{remote_ip} connect=%{time_connect} total=%{time_total}\\n' http://ledger.svc.corp.internal:8080/healthz",
            "ip=10.40.6.15 connect=0.000912 total=0.004410",
            "deploy@ledger-01:~$ ss -ltn 'sport = :8080'",
            "State  Recv-Q Send-Q Local Address:Port Peer Address:Port Process",
            "LISTEN 0      2048         0.0.0.0:8080      0.0.0.0:*",
            "",
        ]
    )
    change = "\n".join(
        [
            "NET-4410  IPv6 pilot: publish AAAA for core services (svc.corp.internal)",
            "Implemented: 2026-07-09 14:50 IST by s.iyer",
            "--- svc.corp.internal.zone  serial 2026070902",
            "+++ svc.corp.internal.zone  serial 2026070903",
            " ledger      300 IN A     10.40.6.15",
            "+ledger      300 IN AAAA  fd10:40::15",
            " payouts     300 IN A     10.40.6.31",
            "+payouts     300 IN AAAA  fd10:40::31",
            "Validation: dig returns AAAA from both resolvers. OK",
            "",
        ]
    )
    return Bundle(
        question="Settlement batches started failing with ledger budget overruns around 14:50 IST; the ledger itself looks healthy. What is the root cause?",
        category="dns",
        component="dns-int-01",
        statement="Change NET-4410 published an AAAA record fd10:40::15 for ledger.svc.corp.internal on dns-int-01 although ledger listens only on IPv4; settlement's clients try the IPv6 address first, wait out the 3 s connect timeout, then fall back to IPv4, blowing the 5 s batch budget.",
        files={
            "NET-4410.txt": change,
            "settle-03-shell.txt": paste,
            "dns-int-01/named.log": named.render(),
            "settlement/settlement.log": settle.render(),
            "ledger-01/ledger.log": ledger.render(),
        },
        proofs=[
            Proof("NET-4410.txt", "+ledger      300 IN AAAA  fd10:40::15"),
            Proof("settle-03-shell.txt", "fd10:40::15     STREAM ledger.svc.corp.internal"),
            Proof("settle-03-shell.txt", "LISTEN 0      2048         0.0.0.0:8080"),
        ],
        decoys=[
            "lame server resolving",
            "could not serialize access due to concurrent update",
            "generation 2 collection took 812ms",
        ],
    )
