# ruff: noqa: E501
# syslog lines, CI job output and pasted shell output are data, kept whole on one line.
"""DNS: the CI runners resolve through dnsmasq on ci-gw-1. On Wednesday the runner pool was
doubled to 48 hosts with 8 parallel jobs each (CHG-5120); dnsmasq still runs with the default
`dns-forward-max` of 150 concurrent forwarded queries. From the 09:00 (UTC+2) build peak it
logs "Maximum number of concurrent DNS queries reached" and drops queries; jobs fail at random
with EAI_AGAIN / "Temporary failure in name resolution" for registry and mirror names. Decoys:
a runner's disk warning, a 404 from an apt mirror, a DHCP NAK for an unknown lease."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import Syslog3164
from scenes import at, fixed, loud
from traffic import host_traffic, traffic

START = datetime(2026, 3, 11, 5, 30, tzinfo=UTC)
MINUTES = 200.0
PEAK = 92.0


def bundle() -> Bundle:
    rng = random.Random(45408)
    gw = LogFile("ci-gw-1/syslog", Syslog3164("ci-gw-1", "dnsmasq", 811))
    gw.add(host_traffic(rng, START, MINUTES, 1400))

    def dhcp(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
        mac = ":".join(f"{r.randrange(256):02x}" for _ in range(6))
        ip = f"10.140.{r.randrange(0, 4)}.{r.randrange(10, 250)}"
        return (
            "INFO",
            f"DHCPREQUEST(ens4) {ip} {mac}"
            if r.random() < 0.5
            else f"DHCPACK(ens4) {ip} {mac} runner-{r.randrange(1, 49):02d}",
            (),
        )

    gw.add(traffic(rng, dhcp, START, MINUTES, 500, logger="dnsmasq-dhcp[811]"))
    gw.add(
        loud(
            rng,
            START,
            PEAK,
            MINUTES - PEAK - 1,
            140,
            fixed("WARN", lambda r: "Maximum number of concurrent DNS queries reached (max: 150)"),
        )
    )
    gw.add(
        [
            at(
                START,
                40.3,
                "WARN",
                "DHCPNAK(ens4) 10.140.2.77 0a:58:0a:8c:02:4d wrong address",
                logger="dnsmasq-dhcp[811]",
            )
        ]
    )

    jobs = LogFile("ci/failed-jobs.log", Syslog3164("runner", "gitlab-runner", 0))

    def job_fail(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
        host = r.choice(
            [
                "registry.npmjs.org",
                "pypi.org",
                "files.pythonhosted.org",
                "proxy.golang.org",
                "registry.ci.internal",
            ]
        )
        msg = r.choice(
            [
                f"npm ERR! request to https://{host}/left-pad failed, reason: getaddrinfo EAI_AGAIN {host}",
                f"WARNING: Retrying (Retry(total=4, connect=None, read=None, redirect=None, status=None)) after connection broken by 'NewConnectionError(\"<pip._vendor.urllib3.connection.HTTPSConnection object>: Failed to establish a new connection: [Errno -3] Temporary failure in name resolution\")': /simple/{r.choice(['requests', 'numpy', 'pytest'])}/",
                f"go: downloading example.com/lib v1.{r.randrange(9)}.0: dial tcp: lookup {host} on 10.140.0.1:53: server misbehaving",
                f'ERROR: Job failed: failed to pull image "{host}/base/node:20": dial tcp: lookup {host}: Temporary failure in name resolution',
            ]
        )
        return "ERROR", msg, ()

    jobs.add(loud(rng, START, PEAK + 0.5, MINUTES - PEAK - 2, 380, job_fail))
    jobs.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"Job succeeded job={r.randrange(10**6, 10**7)} project={r.randrange(100, 900)} duration_s={r.randrange(40, 900)}",
                (),
            ),
            START,
            MINUTES,
            1600,
        )
    )
    jobs.add(
        [
            at(
                START,
                120.7,
                "WARN",
                "runner-17: disk usage of /var/lib/docker at 86%, pruning build cache",
            )
        ]
    )
    jobs.add(
        [
            at(
                START,
                58.0,
                "ERROR",
                "E: Failed to fetch http://mirror.ci.internal/ubuntu/dists/noble-backports/main/binary-amd64/Packages  404  Not Found",
            )
        ]
    )

    pasted = "\n".join(
        [
            "root@ci-gw-1:~# grep -vE '^(#|$)' /etc/dnsmasq.d/ci.conf",
            "interface=ens4",
            "bind-interfaces",
            "domain=ci.internal",
            "server=10.20.0.2",
            "server=10.20.0.3",
            "cache-size=1000",
            "dhcp-range=10.140.0.10,10.140.3.250,12h",
            "root@ci-gw-1:~# grep -c dns-forward-max /etc/dnsmasq.conf /etc/dnsmasq.d/*",
            "/etc/dnsmasq.conf:0",
            "/etc/dnsmasq.d/ci.conf:0",
            "root@ci-gw-1:~# pkill -USR1 -x dnsmasq; journalctl -u dnsmasq -n 6 --no-pager -o cat",
            "time 1773215311",
            "cache size 1000, 211873/1840221 cache insertions re-used unexpired cache entries.",
            "queries forwarded 2911042, queries answered locally 1771630",
            "pool memory in use 0, max 0, allocated 0",
            "server 10.20.0.2#53: queries sent 1455120, retried or failed 3902",
            "server 10.20.0.3#53: queries sent 1455922, retried or failed 4177",
            "root@ci-gw-1:~# journalctl -u dnsmasq --since '2026-03-11 07:00' | grep -c 'concurrent DNS queries reached'",
            "1287",
            "root@ci-gw-1:~# cat /srv/ops/changes/CHG-5120.txt | head -3",
            "CHG-5120 (2026-03-11 07:30 CET): CI runner pool 24 -> 48 hosts, concurrent = 8 per runner.",
            "Gateway ci-gw-1 unchanged (DNS, DHCP, NAT for the runner subnet 10.140.0.0/22).",
            "",
        ]
    )
    return Bundle(
        question="Since the morning build peak (around 09:00 local, UTC+2) CI jobs fail at random with name resolution errors for npm, PyPI and our registry. What is the root cause?",
        category="dns",
        component="ci-gw-1",
        statement="dnsmasq on ci-gw-1, the runners' resolver, still runs with the default dns-forward-max of 150; after the runner pool was doubled (CHG-5120) the build peak exceeds 150 concurrent forwarded queries, dnsmasq drops the rest and jobs fail with EAI_AGAIN / temporary name resolution failures.",
        files={
            "ci-gw-1/syslog": gw.render(),
            "ci/failed-jobs.log": jobs.render(),
            "ci-gw-1-checks.txt": pasted,
        },
        proofs=[
            Proof("ci-gw-1-checks.txt", "1287"),
            Proof("ci-gw-1-checks.txt", "/etc/dnsmasq.d/ci.conf:0"),
            Proof("ci-gw-1-checks.txt", "CHG-5120 (2026-03-11 07:30 CET)"),
        ],
        decoys=["pruning build cache", "DHCPNAK(ens4) 10.140.2.77", "404  Not Found"],
    )
