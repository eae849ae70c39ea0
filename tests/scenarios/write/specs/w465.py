# ruff: noqa: E501
# Syslog lines, job log lines and pasted shell output are data, kept whole on one line.
"""Host, DNS: batch-07 (CentOS 7) got a new `ifcfg-eth0` from a Puppet template at 02:14 UTC
that lacks the old file's `PEERDNS=no`. At the next DHCP renewal (03:41) dhclient-script
rewrites /etc/resolv.conf with the VPC resolver only (`nameserver 10.20.0.2`, search
`eu-west-1.compute.internal`), dropping the corporate resolvers and the `corp.internal` search
domain. The resolver does not serve the corp.internal zone, so from 03:41 every job on batch-07
fails to resolve `pg-ledger.corp.internal` and `artifacts.corp.internal`; its peers, on the old
file, are fine. The dhclient lines look routine (they renew every 30 minutes all night). Decoys:
Puppet's deprecation warning, an sshd brute-force, chronyd's source change, and a disk usage
warning."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import PythonLogging, Syslog3164
from scenes import at, fixed, loud
from traffic import Line, host_traffic, traffic

START = datetime(2026, 3, 19, 0, 30, tzinfo=UTC)
MINUTES = 300.0
PUPPET = 104.0
BREAK = 191.0


def job_line(rng: random.Random) -> Line:
    roll = rng.random()
    job = rng.choice(["ledger-close", "fx-revaluation", "statement-export", "gl-sync"])
    if roll < 0.5:
        return (
            "INFO",
            f"[{job}] chunk {rng.randrange(1, 400)} committed ({rng.randrange(200, 5000)} rows, {rng.randrange(40, 900)} ms)",
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            f"[{job}] fetched https://artifacts.corp.internal/rates/{rng.randrange(2024, 2027)}/{rng.randrange(1, 13):02d}.parquet ({rng.randrange(1, 90)} MB)",
            (),
        )
    return (
        "DEBUG",
        f"[{job}] connection to pg-ledger.corp.internal:5432 reused (pool {rng.randrange(1, 8)}/8)",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(46565)
    syslog = LogFile("logs/batch-07-messages", Syslog3164("batch-07", "kernel", 0))
    syslog.add(host_traffic(rng, START, MINUTES, 1400))
    for minute in range(11, int(MINUTES), 30):
        m = minute + rng.random() * 0.4
        xid = f"0x{rng.getrandbits(32):08x}"
        syslog.add(
            [
                at(
                    START,
                    m,
                    "INFO",
                    f"DHCPREQUEST on eth0 to 10.20.0.1 port 67 (xid={xid})",
                    logger="dhclient[1187]",
                ),
                at(
                    START,
                    m + 0.01,
                    "INFO",
                    f"DHCPACK from 10.20.0.1 (xid={xid})",
                    logger="dhclient[1187]",
                ),
                at(
                    START,
                    m + 0.02,
                    "INFO",
                    f"bound to 10.20.5.17 -- renewal in {1700 + rng.randrange(200)} seconds.",
                    logger="dhclient[1187]",
                ),
            ]
        )
    syslog.add(
        [
            at(
                START,
                PUPPET - 0.3,
                "WARN",
                "(/Stage[main]/Profile::Base/Exec[legacy-motd]) Warning: The 'validate_string' function is deprecated and will be removed in Puppet 8",
                logger="puppet-agent[20114]",
            ),
            at(
                START,
                PUPPET,
                "INFO",
                "(/Stage[main]/Profile::Network/File[/etc/sysconfig/network-scripts/ifcfg-eth0]/content) content changed '{md5}8b0d2f4c6a1e3957d0c4b2a6e8f1d3c5' to '{md5}e41a7c9d0b3f5e2816c4a0d9b7e3f152'",
                logger="puppet-agent[20114]",
            ),
            at(
                START,
                PUPPET + 0.05,
                "INFO",
                "Applied catalog in 41.27 seconds",
                logger="puppet-agent[20114]",
            ),
            at(START, 62.0, "INFO", "Selected source 169.254.169.123", logger="chronyd[702]"),
            at(
                START,
                150.2,
                "WARN",
                "/var filesystem usage 86% (threshold 85%)",
                logger="disk-watch[3301]",
            ),
        ]
    )
    syslog.add(
        loud(
            rng,
            START,
            222,
            6,
            40,
            fixed(
                "INFO",
                lambda r: (
                    f"Failed password for invalid user {r.choice(['admin', 'oracle', 'test', 'ubuntu', 'git'])} from 185.220.{r.randrange(256)}.{r.randrange(1, 255)} port {r.randrange(30000, 60000)} ssh2"
                ),
            ),
        )
    )
    jobs = LogFile(
        "logs/batch-07-jobs.log", PythonLogging(("batch.runner", "batch.io", "batch.db"), rng=rng)
    )
    jobs.add(traffic(rng, job_line, START, BREAK + 0.2, 3300))
    jobs.add(
        loud(
            rng,
            START,
            BREAK + 0.3,
            MINUTES - BREAK - 1,
            520,
            fixed(
                "ERROR",
                lambda r: r.choice(
                    [
                        'psycopg2.OperationalError: could not translate host name "pg-ledger.corp.internal" to address: Name or service not known',
                        "requests.exceptions.ConnectionError: HTTPSConnectionPool(host='artifacts.corp.internal', port=443): Max retries exceeded with url: /rates/2026/03.parquet (Caused by NameResolutionError(\"<urllib3.connection.HTTPSConnection object at 0x7f3a1c2e9d50>: Failed to resolve 'artifacts.corp.internal' ([Errno -2] Name or service not known)\"))",
                    ]
                ),
            ),
        )
    )
    jobs.add(
        loud(
            rng,
            START,
            BREAK + 0.4,
            MINUTES - BREAK - 1,
            90,
            fixed(
                "WARN",
                lambda r: (
                    f"[{r.choice(['ledger-close', 'gl-sync'])}] job failed, will retry in 300 s (attempt {r.randrange(2, 6)}/5)"
                ),
            ),
        )
    )
    peer = LogFile(
        "logs/batch-06-jobs.log", PythonLogging(("batch.runner", "batch.io", "batch.db"), rng=rng)
    )
    peer.add(traffic(rng, job_line, START, MINUTES, 3000))
    pasted = "\n".join(
        [
            "[ops@batch-07 ~]$ cat /etc/resolv.conf",
            "; generated by /usr/sbin/dhclient-script",
            "search eu-west-1.compute.internal",
            "nameserver 10.20.0.2",
            "[ops@batch-07 ~]$ ls -l --time-style=full-iso /etc/resolv.conf",
            "-rw-r--r--. 1 root root 79 2026-03-19 03:41:22.604118204 +0000 /etc/resolv.conf",
            "[ops@batch-07 ~]$ grep -E 'BOOTPROTO|PEERDNS|DNS' /etc/sysconfig/network-scripts/ifcfg-eth0",
            'BOOTPROTO="dhcp"',
            "[ops@batch-07 ~]$ getent hosts pg-ledger.corp.internal; echo $?",
            "2",
            "[ops@batch-07 ~]$ dig +noall +comments pg-ledger.corp.internal | grep status",
            ";; ->>HEADER<<- opcode: QUERY, status: NXDOMAIN, id: 40871",
            "",
            "[ops@batch-06 ~]$ cat /etc/resolv.conf",
            "search corp.internal eu-west-1.compute.internal",
            "nameserver 10.20.0.53",
            "nameserver 10.20.1.53",
            "options timeout:2 attempts:2",
            "[ops@batch-06 ~]$ grep -E 'BOOTPROTO|PEERDNS|DNS' /etc/sysconfig/network-scripts/ifcfg-eth0",
            'BOOTPROTO="dhcp"',
            'PEERDNS="no"',
            "[ops@batch-06 ~]$ getent hosts pg-ledger.corp.internal",
            "10.20.8.41      pg-ledger.corp.internal",
            "",
        ]
    )
    return Bundle(
        question="Since about 03:40 UTC every ledger batch job on batch-07 fails, while the same jobs on batch-06 run fine. What is the root cause?",
        category="dns",
        component="batch-07",
        statement="A Puppet run at 02:14 UTC replaced batch-07's ifcfg-eth0 with a template lacking PEERDNS=no; at the 03:41 DHCP renewal dhclient-script rewrote /etc/resolv.conf with only the VPC resolver 10.20.0.2 and no corp.internal search domain, so internal names such as pg-ledger.corp.internal no longer resolve on that host.",
        files={
            "logs/batch-07-messages": syslog.render(),
            "logs/batch-07-jobs.log": jobs.render(),
            "logs/batch-06-jobs.log": peer.render(),
            "batch-hosts.txt": pasted,
        },
        proofs=[
            Proof(
                "batch-hosts.txt",
                "; generated by /usr/sbin/dhclient-script",
                "nameserver 10.20.0.2",
            ),
            Proof(
                "logs/batch-07-messages",
                "File[/etc/sysconfig/network-scripts/ifcfg-eth0]/content) content changed",
            ),
            Proof("batch-hosts.txt", "2026-03-19 03:41:22.604118204"),
        ],
        decoys=[
            "'validate_string' function is deprecated",
            "Failed password for invalid user",
            "Selected source 169.254.169.123",
            "/var filesystem usage 86%",
        ],
    )
