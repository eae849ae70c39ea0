# ruff: noqa: E501
# Hand-written journal lines and pasted shell output are data, kept whole on one line.
"""Host DNS, a dead first nameserver: billing-batch-03 was rebuilt on 3 November from the
base Ansible role, whose defaults still list the retired resolver 10.9.0.53 first (ns-old-1,
switched off in October) before the live 10.9.0.54. glibc asks the first server, waits its
5-second timeout, then asks the second, so every fresh name lookup on that host costs five
seconds. The nightly invoice run makes thousands of short HTTP calls with new connections; on
billing-batch-03 each takes 5 s and more, its share of the run misses the 06:00 cut-off and
calls with a 4 s budget fail. Decoys: a /var usage warning, urllib3's certificate warning for a
test endpoint, and a PostgreSQL autovacuum cancel message."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from records import Record
from scenes import at, fixed, loud
from traffic import host_traffic

START = datetime(2026, 11, 4, 1, 0, tzinfo=UTC)
MINUTES = 300.0
RUN = 30.0


@dataclass
class HostJournal:
    """`journalctl -o short-iso` over several units: a record's logger is its `program[pid]`."""

    host: str
    program: str

    def render(self, record: Record) -> list[str]:
        stamp = record.time.strftime("%Y-%m-%dT%H:%M:%S+0000")
        return [f"{stamp} {self.host} {record.logger or self.program}: {record.message}"]


def batch(rng: random.Random, host: str, slow: bool) -> LogFile:
    log = LogFile(
        f"logs/{host}-journal.txt", HostJournal(host, f"invoice-run[{rng.randrange(3000, 9000)}]")
    )
    log.add(host_traffic(rng, START, MINUTES, 500))
    span = (MINUTES - RUN - 10) * 60_000
    count = 1400 if slow else 3900
    for offset in sorted(rng.random() * span for _ in range(count)):
        time = START + timedelta(minutes=RUN, milliseconds=offset)
        account = rng.randrange(10**6)
        if slow:
            seconds = 5.0 + rng.lognormvariate(0, 0.5) * 0.06
        else:
            seconds = rng.lognormvariate(0, 0.5) * 0.07
        log.add(
            [
                Record(
                    time,
                    "INFO",
                    f"invoice INV-{account:07d} rendered and posted to ledger.internal in {seconds:.3f}s",
                    (),
                    None,
                )
            ]
        )
    if slow:
        log.add(
            loud(
                rng,
                START,
                RUN + 2,
                MINUTES - RUN - 12,
                360,
                fixed(
                    "ERROR",
                    lambda r: (
                        f"invoice INV-{r.randrange(10**6):07d} failed: HTTPSConnectionPool(host='tax-rates.internal', port=443): Max retries exceeded with url: /v2/rate?country={r.choice(['DE', 'FR', 'NL', 'PL', 'IT'])} (Caused by ConnectTimeoutError(<urllib3.connection.HTTPSConnection object at 0x7f3a{r.getrandbits(24):06x}>, 'Connection to tax-rates.internal timed out. (connect timeout=4)'))"
                    ),
                ),
            )
        )
    return log


def bundle() -> Bundle:
    rng = random.Random(54707)
    slow = batch(rng, "billing-batch-03", True)
    fast = batch(rng, "billing-batch-01", False)
    slow.add(
        [
            at(
                START,
                RUN,
                "INFO",
                "invoice-run 4.12.0 starting shard 3/3 (accounts 666667..999999)",
            ),
            at(
                START,
                12.0,
                "WARN",
                "/var is 81% full (threshold 80%), oldest rotated logs will be compressed",
                logger="disk-watch[2210]",
            ),
            at(
                START,
                RUN + 1.0,
                "WARN",
                "InsecureRequestWarning: Unverified HTTPS request is being made to host 'tax-sandbox.internal'. Adding certificate verification is strongly advised.",
            ),
            at(
                START,
                MINUTES - 8,
                "WARN",
                "shard 3/3 stopped at cut-off 06:00 UTC: 118204 of 333333 accounts invoiced, remainder queued for tomorrow",
            ),
        ]
    )
    fast.add(
        [
            at(START, RUN, "INFO", "invoice-run 4.12.0 starting shard 1/3 (accounts 0..333333)"),
            at(START, 168.0, "INFO", "shard 1/3 finished: 333334 accounts invoiced in 2:18:04"),
        ]
    )
    pg = "\n".join(
        [
            "2026-11-04 02:41:09.118 UTC [48811] ERROR:  canceling autovacuum task",
            '2026-11-04 02:41:09.118 UTC [48811] CONTEXT:  while scanning block 88213 of relation "public.invoice_lines"',
            '2026-11-04 02:41:09.118 UTC [48811] LOG:  automatic vacuum of table "billing.public.invoice_lines": index scans: 0',
            "",
        ]
    )
    shell = "\n".join(
        [
            "[ops@billing-batch-03 ~]$ cat /etc/resolv.conf",
            "# This file is managed by ansible (role: base, 2.3.1). Local changes will be overwritten.",
            "search internal",
            "nameserver 10.9.0.53",
            "nameserver 10.9.0.54",
            "options edns0",
            "[ops@billing-batch-03 ~]$ time getent hosts ledger.internal",
            "10.30.2.18      ledger.internal",
            "",
            "real\t0m5.012s",
            "user\t0m0.001s",
            "sys\t0m0.002s",
            "[ops@billing-batch-03 ~]$ dig +tries=1 +time=2 @10.9.0.53 ledger.internal",
            ";; communications error to 10.9.0.53#53: timed out",
            "",
            "; <<>> DiG 9.18.28 <<>> +tries=1 +time=2 @10.9.0.53 ledger.internal",
            ";; global options: +cmd",
            ";; no servers could be reached",
            "[ops@billing-batch-03 ~]$ dig +short @10.9.0.54 ledger.internal",
            "10.30.2.18",
            "",
            "[ops@billing-batch-01 ~]$ cat /etc/resolv.conf",
            "# This file is managed by ansible (role: base, 2.4.0). Local changes will be overwritten.",
            "search internal",
            "nameserver 10.9.0.54",
            "nameserver 10.9.0.55",
            "options edns0 timeout:1 attempts:2",
            "",
        ]
    )
    notes = "\n".join(
        [
            "billing ops log",
            "- 2026-10-21 ns-old-1 (10.9.0.53) powered off after migration to ns-2/ns-3 (NET-3110)",
            "- 2026-11-03 billing-batch-03 rebuilt after disk failure (INFRA-7781), same invoice-run 4.12.0",
            "- 2026-11-04 06:10 invoice run incomplete for shard 3, ~215k accounts not invoiced",
            "",
        ]
    )
    return Bundle(
        question="Last night's invoice run only finished shards 1 and 2; shard 3 on billing-batch-03 was extremely slow and had many connect timeouts. What is the root cause?",
        category="dns",
        component="billing-batch-03",
        statement="billing-batch-03 was rebuilt with an old base role whose resolv.conf lists the retired resolver 10.9.0.53 first, so every name lookup waits the 5 s resolver timeout before 10.9.0.54 answers; each invoice call takes over 5 s and short-budget connects time out.",
        files={
            "ops-notes.txt": notes,
            "billing-batch-shell.txt": shell,
            "db-excerpt.log": pg,
            "logs/billing-batch-03-journal.txt": slow.render(),
            "logs/billing-batch-01-journal.txt": fast.render(),
        },
        proofs=[
            Proof("billing-batch-shell.txt", "nameserver 10.9.0.53"),
            Proof("billing-batch-shell.txt", "communications error to 10.9.0.53#53: timed out"),
            Proof("billing-batch-shell.txt", "real\t0m5.012s"),
        ],
        decoys=["/var is 81% full", "InsecureRequestWarning", "canceling autovacuum task"],
    )
