# ruff: noqa: E501
# Hand-written BIND, Unbound and CI lines and pasted dig/ls output are data, kept whole on one line.
"""DNS, DNSSEC signatures expired on an internal zone: on 28 May ns-int-1's BIND was upgraded
and its key directory restored from a backup as root:root 0600, so named (running as `bind`)
can no longer read the corp.lan private keys and stops re-signing. Its RRSIGs (14-day validity)
expire at 02:30 JST on 11 June; the validating Unbound resolvers then answer SERVFAIL for every
corp.lan name, and CI jobs, git and the artifact proxy fail to resolve internal hosts. Loud:
resolver-1's validation failures and the runners' "Temporary failure in name resolution".
Decoys: a refused zone transfer, an Unbound rate-limit notice, and a runner's disk warning."""

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from records import PythonLogging, Syslog3164
from scenes import at, fixed, loud
from traffic import host_traffic, traffic, worker

TOKYO = ZoneInfo("Asia/Tokyo")
START = datetime(2025, 6, 11, 1, 0, tzinfo=TOKYO)
MINUTES = 160.0
EXPIRY = 90.0
NAMES = [
    "git.corp.lan",
    "artifacts.corp.lan",
    "ldap.corp.lan",
    "vault.corp.lan",
    "registry.corp.lan",
    "jira.corp.lan",
]


def bundle() -> Bundle:
    rng = random.Random(30307)
    ns = LogFile("logs/ns-int-1-syslog", Syslog3164("ns-int-1", "named", 811))
    ns.add(host_traffic(rng, START, MINUTES, 300))
    ns.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                r.choice(
                    [
                        f"client @0x7f3a{r.getrandbits(24):06x} 10.9.{r.randrange(1, 9)}.{r.randrange(2, 250)}#{r.randrange(1024, 65535)} (corp.lan): transfer of 'corp.lan/IN': IXFR ended"
                        if r.random() < 0.1
                        else f"zone corp.lan/IN (signed): sending notifies (serial {2025061100 + r.randrange(4)})",
                        "resolver priming query complete: success",
                    ]
                ),
                (),
            ),
            START,
            MINUTES,
            160,
            logger="named[811]",
        )
    )
    for hour in range(3):
        ns.add(
            [
                at(
                    START,
                    hour * 60.0 + 17.0,
                    "INFO",
                    "zone corp.lan/IN (signed): reconfiguring zone keys",
                    logger="named[811]",
                ),
                at(
                    START,
                    hour * 60.0 + 17.01,
                    "ERROR",
                    f"dns_dnssec_keylistfromrdataset: error reading ./Kcorp.lan.+013+{41322 if hour % 2 else 52190}.private: permission denied",
                    logger="named[811]",
                ),
                at(
                    START,
                    hour * 60.0 + 17.02,
                    "INFO",
                    f"zone corp.lan/IN (signed): next key event: 11-Jun-2025 0{2 + hour}:17:{rng.randrange(60):02d}.{rng.randrange(1000):03d}",
                    logger="named[811]",
                ),
            ]
        )
    ns.add(
        [
            at(
                START,
                64.0,
                "WARN",
                "client @0x7f3a11c2e9a0 10.9.4.22#53012 (corp.lan): zone transfer 'corp.lan/AXFR/IN' denied",
                logger="named[811]",
            )
        ]
    )

    resolver = LogFile("logs/resolver-1-syslog", Syslog3164("resolver-1", "unbound", 1207))
    resolver.add(host_traffic(rng, START, MINUTES, 260))
    resolver.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"[1207:{r.randrange(4)}] info: {r.choice(['server stats for thread', 'average recursion processing time'])} {r.randrange(1, 4)}: {r.randrange(2000, 90000)} queries, {r.randrange(1000, 80000)} answers from cache, {r.randrange(100, 9000)} recursions",
                (),
            ),
            START,
            MINUTES,
            180,
            logger="unbound[1207]",
        )
    )
    resolver.add(
        loud(
            rng,
            START,
            EXPIRY + 0.1,
            MINUTES - EXPIRY - 1,
            640,
            fixed(
                "INFO",
                lambda r: (
                    f"[1207:{r.randrange(4)}] info: validation failure <{r.choice(NAMES)}. {r.choice(['A', 'A', 'AAAA', 'SRV'])} IN>: signature expired from 10.9.0.53 for key corp.lan. while building chain of trust"
                ),
            ),
        )
    )
    resolver.add(
        [
            at(
                START,
                33.0,
                "INFO",
                "[1207:2] notice: ratelimit exceeded telemetry-ingest.vendorcloud.net. 1000 query/s",
                logger="unbound[1207]",
            )
        ]
    )

    runner = LogFile(
        "logs/ci-runner-03.log", PythonLogging(("runner.jobs", "runner.fetch", "runner.cache"), rng)
    )
    runner.add(
        traffic(
            rng,
            worker("ci-runner-03", ["builds", "tests", "deploys"]),
            START.astimezone(UTC),
            MINUTES,
            2600,
        )
    )
    runner.add(
        loud(
            rng,
            START.astimezone(UTC),
            EXPIRY + 0.3,
            MINUTES - EXPIRY - 2,
            380,
            fixed(
                "ERROR",
                lambda r: (
                    f"job {r.randrange(880000, 899999)} failed at step checkout: git fetch https://git.corp.lan/{r.choice(['platform', 'web', 'data'])}/{r.choice(['api', 'ui', 'etl', 'infra'])}.git: fatal: unable to access 'https://git.corp.lan/': Could not resolve host: git.corp.lan"
                ),
            ),
        )
    )
    runner.add(
        loud(
            rng,
            START.astimezone(UTC),
            EXPIRY + 0.3,
            MINUTES - EXPIRY - 2,
            150,
            fixed(
                "ERROR",
                lambda r: (
                    f"artifact upload failed: HTTPSConnectionPool(host='artifacts.corp.lan', port=443): Max retries exceeded with url: /repository/builds/{r.randrange(10**6)}.tar.zst (Caused by NameResolutionError(\"<urllib3.connection.HTTPSConnection object at 0x7f{r.getrandbits(40):010x}>: Failed to resolve 'artifacts.corp.lan' ([Errno -3] Temporary failure in name resolution)\"))"
                ),
            ),
        )
    )
    runner.add(
        [
            at(
                START.astimezone(UTC),
                12.0,
                "WARN",
                "build volume /var/lib/runner at 83% used, pruning docker images older than 72h",
                logger="runner.cache",
            )
        ]
    )

    expiry = START + timedelta(minutes=EXPIRY)
    pasted = "\n".join(
        [
            "[ops@resolver-1 ~]$ dig +dnssec +multi git.corp.lan A @10.9.0.53",
            "",
            "; <<>> DiG 9.18.24 <<>> +dnssec +multi git.corp.lan A @10.9.0.53",
            ";; global options: +cmd",
            ";; Got answer:",
            ";; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 40172",
            ";; flags: qr aa rd; QUERY: 1, ANSWER: 2, AUTHORITY: 0, ADDITIONAL: 1",
            "",
            ";; ANSWER SECTION:",
            "git.corp.lan.\t\t3600 IN A 10.9.2.40",
            "git.corp.lan.\t\t3600 IN RRSIG A 13 3 3600 (",
            f"\t\t\t\t{expiry.astimezone(UTC):%Y%m%d%H%M%S} 20250527173000 52190 corp.lan.",
            "\t\t\t\tk3Qm0r8v3GqY1n0d9Jq2q1nVb8HzR6o2sQWm1eK4cUZlYv0pQ7dT5Wn3fA9xB2kL7mC1sR4uH6eJ0tN8yG5wOQ== )",
            "",
            ";; Query time: 1 msec",
            ";; SERVER: 10.9.0.53#53(10.9.0.53) (UDP)",
            f";; WHEN: {START + timedelta(minutes=140):%a %b %d %H:%M:%S JST %Y}",
            "",
            "[ops@resolver-1 ~]$ dig git.corp.lan A @127.0.0.1 +short ; echo rc=$?",
            "rc=0",
            "[ops@resolver-1 ~]$ dig git.corp.lan A @127.0.0.1 | grep status",
            ";; ->>HEADER<<- opcode: QUERY, status: SERVFAIL, id: 5531",
            "",
            "[ops@ns-int-1 ~]$ ls -l /var/cache/bind/keys/",
            "total 16",
            "-rw------- 1 root root  97 Feb 12  2025 Kcorp.lan.+013+41322.key",
            "-rw------- 1 root root 187 Feb 12  2025 Kcorp.lan.+013+41322.private",
            "-rw------- 1 root root  97 Feb 12  2025 Kcorp.lan.+013+52190.key",
            "-rw------- 1 root root 187 Feb 12  2025 Kcorp.lan.+013+52190.private",
            "[ops@ns-int-1 ~]$ ps -o user,pid,cmd -C named",
            "USER       PID CMD",
            "bind       811 /usr/sbin/named -f -u bind",
            "[ops@ns-int-1 ~]$ grep -E 'upgrade|restore' /var/log/apt/history.log /root/restore.log",
            "/var/log/apt/history.log:Upgrade: bind9:amd64 (1:9.18.18-0ubuntu0.22.04.2, 1:9.18.24-0ubuntu0.22.04.1), bind9-utils:amd64 (1:9.18.18-0ubuntu0.22.04.2, 1:9.18.24-0ubuntu0.22.04.1)",
            "/root/restore.log:2025-05-28 02:41 restored /var/cache/bind/keys from backup-2025-05-27.tar (tar xpf as root)",
            "",
        ]
    )
    return Bundle(
        question="Since about 02:30 JST every CI job fails with 'Could not resolve host: git.corp.lan' and other internal names don't resolve either. What is the root cause?",
        category="dns",
        component="ns-int-1",
        statement="Since the 28 May BIND upgrade on ns-int-1 the corp.lan DNSSEC private keys were restored as root:root 0600, so named (user bind) cannot read them and stopped re-signing; the zone's RRSIGs expired at 02:30 JST on 11 June and the validating resolvers answer SERVFAIL for every corp.lan name.",
        files={
            "ns-int-1-checks.txt": pasted,
            "logs/ns-int-1-syslog": ns.render(),
            "logs/resolver-1-syslog": resolver.render(),
            "logs/ci-runner-03.log": runner.render(),
        },
        proofs=[
            Proof(
                "ns-int-1-checks.txt",
                "root root 187 Feb 12  2025 Kcorp.lan.+013+41322.private",
                "root root 187 Feb 12  2025 Kcorp.lan.+013+52190.private",
            ),
            Proof("ns-int-1-checks.txt", "20250527173000 52190 corp.lan."),
        ],
        decoys=[
            "zone transfer 'corp.lan/AXFR/IN' denied",
            "ratelimit exceeded telemetry-ingest",
            "build volume /var/lib/runner at 83%",
        ],
    )
