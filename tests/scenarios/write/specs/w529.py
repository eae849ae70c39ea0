# ruff: noqa: E501
# Hand-written log lines and pasted command output are data, kept whole on one line.
"""DNS: the primary ns1 was rebuilt from an Ansible role on Friday; its `allow-transfer` still
lists the secondary's old address 10.20.0.12, but ns2 now runs on 10.20.0.11. Every NOTIFY
since is followed by a refused transfer (`zone transfer 'corp.internal/AXFR/IN' denied` on
ns1, `failed while receiving responses: REFUSED` on ns2), so ns2 keeps serving serial
2026060501. On Tuesday 10:02 UTC git.corp.internal moved to 10.20.8.44 and its old host was
shut down; every client that asks ns2 still gets 10.20.3.17 and the CI runners' clones time
out about half the time. Decoys: ns2's IPv6 `network unreachable` noise, a DNSSEC validation
failure for an outside domain, and a runner's low disk warning."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import Record
from scenes import at, loud
from traffic import Line, traffic

START = datetime(2026, 6, 9, 8, 30, tzinfo=UTC)
MINUTES = 150
MOVE = 92.0  # 10:02
OUTSIDE = [
    "github.com",
    "registry.npmjs.org",
    "pypi.org",
    "proxy.golang.org",
    "dl.google.com",
    "repo1.maven.org",
    "api.slack.com",
    "files.pythonhosted.org",
]
REFUSED = "xfer-in|transfer of 'corp.internal/IN' from 10.20.0.10#53: failed while receiving responses: REFUSED"
INSIDE = ["git", "artifacts", "vault", "ldap", "jira", "grafana", "ci", "mirror"]


@dataclass
class Named:
    """BIND's file channel with print-time, print-category and print-severity."""

    def render(self, record: Record) -> list[str]:
        stamp = (
            record.time.strftime("%d-%b-%Y %H:%M:%S.") + f"{record.time.microsecond // 1000:03d}"
        )
        severity = {"WARN": "warning", "ERROR": "error", "DEBUG": "debug 1"}.get(
            record.level, "info"
        )
        category, message = record.message.split("|", 1)
        return [f"{stamp} {category}: {severity}: {message}"]


def client(rng: random.Random) -> str:
    return f"@0x7f{rng.getrandbits(36):09x} 10.{rng.choice([20, 21, 40])}.{rng.randrange(1, 60)}.{rng.randrange(2, 250)}#{rng.randrange(1024, 65535)}"


def query_line(rng: random.Random) -> Line:
    name = f"{rng.choice(INSIDE)}.corp.internal" if rng.random() < 0.55 else rng.choice(OUTSIDE)
    qtype = (
        rng.choice(["A", "A", "AAAA", "A", "SRV"])
        if name.endswith("internal")
        else rng.choice(["A", "AAAA"])
    )
    return (
        "INFO",
        f"queries|client {client(rng)} ({name}): query: {name} IN {qtype} +E(0)K ({rng.choice(['10.20.0.10', '10.20.0.11'])})",
        (),
    )


def ns2_noise(rng: random.Random) -> Line:
    return (
        "INFO",
        f"lame-servers|network unreachable resolving '{rng.choice(OUTSIDE)}/{rng.choice(['A', 'AAAA'])}/IN': 2001:{rng.choice(['500:2', '503:ba3e', '7fd'])}::{rng.choice(['30', '2:30', '1'])}#53",
        (),
    )


def runner_line(rng: random.Random) -> Line:
    roll = rng.random()
    repo = rng.choice(["platform/api", "platform/web", "data/etl", "infra/terraform", "mobile/app"])
    if roll < 0.4:
        return (
            "INFO",
            f"Checking for jobs... received job={rng.randrange(10**6, 10**7)} repo_url=https://git.corp.internal/{repo}.git runner=Ks{rng.getrandbits(24):06x}",
            (),
        )
    if roll < 0.75:
        return (
            "INFO",
            f"Job succeeded duration_s={rng.randrange(40, 900)} job={rng.randrange(10**6, 10**7)} project={rng.randrange(100, 400)} runner=Ks{rng.getrandbits(24):06x}",
            (),
        )
    return (
        "INFO",
        f"Appending trace to coordinator...ok code=202 job={rng.randrange(10**6, 10**7)} job-log=0-{rng.randrange(2000, 90000)} runner=Ks{rng.getrandbits(24):06x} sent-log=0-{rng.randrange(2000, 90000)} status=202 Accepted",
        (),
    )


def clone_fail(rng: random.Random) -> Line:
    repo = rng.choice(["platform/api", "platform/web", "data/etl", "infra/terraform", "mobile/app"])
    return (
        "ERROR",
        f"Job failed: exit code 1 duration_s=135 job={rng.randrange(10**6, 10**7)} project={rng.randrange(100, 400)} runner=Ks{rng.getrandbits(24):06x} err=\"fatal: unable to access 'https://git.corp.internal/{repo}.git/': Failed to connect to git.corp.internal port 443 after 1340{rng.randrange(10, 99)} ms: Couldn't connect to server\"",
        (),
    )


class RunnerJournal:
    """gitlab-runner's logfmt to journald, as `journalctl -o short-iso` shows it."""

    def render(self, record: Record) -> list[str]:
        stamp = record.time.strftime("%Y-%m-%dT%H:%M:%S+0000")
        level = {"WARN": "warning"}.get(record.level, record.level.lower())
        return [f"{stamp} ci-runner-03 gitlab-runner[1462]: {record.message}  level={level}"]


def bundle() -> Bundle:
    rng = random.Random(52903)
    ns1 = LogFile("ns1/named.log", Named())
    ns1.add(traffic(rng, query_line, START, MINUTES, 3000))
    ns2 = LogFile("ns2/named.log", Named())
    ns2.add(traffic(rng, query_line, START, MINUTES, 3000))
    ns2.add(loud(rng, START, 0, MINUTES, 60, ns2_noise))
    ns2.add(
        [
            at(
                START,
                47.3,
                "WARN",
                "dnssec|validating shop-partner.example/DNSKEY: no valid signature found",
            )
        ]
    )
    # ns1 notifies on every zone change; ns2 tries to transfer and is refused each time
    changes = [4.5, 38.0, MOVE - 0.4, 121.0]
    for change in changes:
        serial = 2026060900 + changes.index(change) + 1
        ns1.add(
            [
                at(START, change, "INFO", f"general|zone corp.internal/IN: loaded serial {serial}"),
                at(
                    START,
                    change + 0.01,
                    "INFO",
                    f"notify|zone corp.internal/IN: sending notifies (serial {serial})",
                ),
                at(
                    START,
                    change + 0.05,
                    "ERROR",
                    f"security|client {client(rng).split()[0]} 10.20.0.11#{rng.randrange(30000, 60000)} (corp.internal): zone transfer 'corp.internal/AXFR/IN' denied",
                ),
            ]
        )
        ns2.add(
            [
                at(
                    START,
                    change + 0.02,
                    "INFO",
                    f"notify|client {client(rng).split()[0]} 10.20.0.10#{rng.randrange(30000, 60000)}: received notify for zone 'corp.internal'",
                ),
                at(
                    START,
                    change + 0.03,
                    "INFO",
                    f"general|zone corp.internal/IN: notify from 10.20.0.10#53: serial {serial}",
                ),
                at(
                    START, change + 0.04, "INFO", "xfer-in|zone corp.internal/IN: Transfer started."
                ),
                at(
                    START,
                    change + 0.05,
                    "ERROR",
                    REFUSED,
                ),
                at(
                    START,
                    change + 0.06,
                    "INFO",
                    "xfer-in|transfer of 'corp.internal/IN' from 10.20.0.10#53: Transfer completed: 0 messages, 0 records, 0 bytes, 0.001 secs (0 bytes/sec) (serial 0)",
                ),
            ]
        )
    runner = LogFile("ci-runner-03.journal.txt", RunnerJournal())
    runner.add(traffic(rng, runner_line, START, MINUTES, 1400))
    runner.add(loud(rng, START, MOVE + 1.0, MINUTES - MOVE - 1.5, 140, clone_fail))
    runner.add(
        [
            at(
                START,
                22.0,
                "WARN",
                "Disk usage of /var/lib/docker is 87% (threshold 85%), consider pruning images",
            )
        ]
    )
    notes = "\n".join(
        [
            "# on-call notes, 10:58 UTC",
            "$ dig +short @10.20.0.10 git.corp.internal; dig +short @10.20.0.11 git.corp.internal",
            "10.20.8.44",
            "10.20.3.17",
            "",
            "$ for ns in 10.20.0.10 10.20.0.11; do dig +short @$ns corp.internal SOA; done",
            "ns1.corp.internal. hostmaster.corp.internal. 2026060904 3600 900 1209600 300",
            "ns1.corp.internal. hostmaster.corp.internal. 2026060501 3600 900 1209600 300",
            "",
            "$ cat /etc/resolv.conf   # on ci-runner-03",
            "search corp.internal",
            "nameserver 10.20.0.10",
            "nameserver 10.20.0.11",
            "options rotate timeout:1",
            "",
            "$ ssh ns1 sudo named-checkconf -p | grep -A3 'zone \"corp.internal\"'",
            'zone "corp.internal" {',
            "\ttype primary;",
            '\tfile "/var/lib/bind/db.corp.internal";',
            '\tallow-transfer { 10.20.0.12/32; key "tsig-corp-xfer"; };',
            "",
            "$ ssh ns1 sudo journalctl -u named --since 2026-06-05 | grep -m3 -E 'starting BIND|loading configuration'",
            "Jun 05 16:41:07 ns1 named[812]: starting BIND 9.18.28-0ubuntu0.24.04.1-Ubuntu (Extended Support Version) <id:>",
            "Jun 05 16:41:07 ns1 named[812]: loading configuration from '/etc/bind/named.conf'",
            "",
            "$ ip -4 -br addr show dev ens18   # on ns2",
            "ens18            UP             10.20.0.11/24",
            "",
        ]
    )
    refused = at(START, MOVE - 0.4 + 0.05, "ERROR", REFUSED).time
    refused_stamp = (
        refused.strftime("%d-%b-%Y %H:%M:%S.")
        + f"{refused.microsecond // 1000:03d} xfer-in: error: transfer"
    )
    return Bundle(
        question="Since about 10:05 UTC roughly half of our CI jobs fail to clone from git.corp.internal with connection timeouts; the Git server itself is healthy. What is the root cause?",
        category="dns",
        component="ns1",
        statement="ns1, rebuilt on Friday, allows zone transfers only to 10.20.0.12, the secondary's old address; ns2 (10.20.0.11) is refused on every NOTIFY and still serves serial 2026060501, so after git.corp.internal moved to 10.20.8.44 at 10:02 UTC every client asking ns2 gets the old address 10.20.3.17 and its clones time out.",
        files={
            "ns1/named.log": ns1.render(),
            "ns2/named.log": ns2.render(),
            runner.name: runner.render(),
            "notes.txt": notes,
        },
        proofs=[
            Proof("notes.txt", "allow-transfer { 10.20.0.12/32;"),
            Proof("ns2/named.log", refused_stamp),
            Proof("notes.txt", "hostmaster.corp.internal. 2026060501"),
        ],
        decoys=[
            "network unreachable resolving",
            "no valid signature found",
            "Disk usage of /var/lib/docker is 87%",
        ],
    )
