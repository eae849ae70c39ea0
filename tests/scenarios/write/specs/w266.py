# ruff: noqa: E501
# Hand-written kernel, runner and nginx lines and pasted ethtool output are data, kept whole on one line.
"""Host, a link renegotiated at 100 Mb/s: during a rack visit at 07:48 UTC the patch cable of
build-cache-01 (the CI's nginx artifact and cache server) was reseated; a damaged cable brings
the link back at 100 Mbps instead of 1000. From the 08:30 UTC CI rush, cache and artifact
downloads crawl; jobs time out and nginx logs 499s and client timeouts. Loud: the runners'
cache download failures and job timeouts. Decoys: a Docker Hub rate-limit warning on a
runner, build-cache-01's disk usage warning, and a flaky test failure."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import NginxAccess, NginxError, Syslog3164
from scenes import at, fixed, loud
from traffic import host_traffic, http_access, traffic

START = datetime(2025, 12, 2, 6, 30, tzinfo=UTC)
MINUTES = 210.0
SWAP = 78.0
RUSH = 120.0


def bundle() -> Bundle:
    rng = random.Random(26610)
    kern = LogFile("logs/build-cache-01-messages", Syslog3164("build-cache-01", "kernel", 0))
    kern.add(host_traffic(rng, START, MINUTES, 800))
    kern.add(
        [
            at(START, SWAP, "WARN", "tg3 0000:02:00.0 eno1: Link is down", logger="kernel"),
            at(
                START,
                SWAP + 0.6,
                "INFO",
                "tg3 0000:02:00.0 eno1: Link is up at 100 Mbps, full duplex",
                logger="kernel",
            ),
            at(
                START,
                SWAP + 0.61,
                "INFO",
                "tg3 0000:02:00.0 eno1: Flow control is off for TX and off for RX",
                logger="kernel",
            ),
            at(
                START,
                SWAP + 0.62,
                "INFO",
                "tg3 0000:02:00.0 eno1: EEE is disabled",
                logger="kernel",
            ),
            at(
                START,
                40.0,
                "WARN",
                "cache-prune[5120]: /srv/cache at 86% (prune threshold 85%), pruning entries older than 14d",
                logger="cache-prune[5120]",
            ),
            at(
                START,
                40.4,
                "INFO",
                "cache-prune[5120]: pruned 1823 entries, 61.2 GiB freed, /srv/cache at 79%",
                logger="cache-prune[5120]",
            ),
        ]
    )
    kern.records = [
        r.__class__(
            r.time, r.level, r.message.replace("cache-prune[5120]: ", ""), r.trailer, r.logger
        )
        for r in kern.records
    ]
    access = LogFile("logs/build-cache-01-access.log", NginxAccess(rng))
    access.add(
        traffic(
            rng,
            http_access(
                [
                    "/cache/project-{id}/default-protected.zip",
                    "/artifacts/{id}/build.tar.zst",
                    "/cache/project-{id}/node-modules.zip",
                    "/healthz",
                ],
                900,
            ),
            START,
            RUSH,
            2200,
        )
    )
    access.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f'"GET /{r.choice(["cache", "artifacts"])}/project-{r.randrange(10**4)}/{r.choice(["default-protected.zip", "node-modules.zip", "build.tar.zst"])} HTTP/1.1" {r.choices([200, 499], [7, 3])[0]} {r.randrange(10**7, 9 * 10**8)} "-" "GitLab Runner 17.5.3 (17-5-stable; go1.22.7; linux/amd64)" {r.uniform(40, 900):.3f}',
                (),
            ),
            START.replace(hour=8, minute=30),
            MINUTES - RUSH,
            1900,
        )
    )
    error = LogFile("logs/build-cache-01-error.log", NginxError(rng))
    error.add(
        loud(
            rng,
            START,
            RUSH + 3,
            MINUTES - RUSH - 4,
            320,
            fixed(
                "INFO",
                lambda r: (
                    f'client timed out (110: Connection timed out) while sending response to client, client: 10.60.{r.randrange(4, 8)}.{r.randrange(2, 250)}, server: build-cache.ci.internal, request: "GET /cache/project-{r.randrange(10**4)}/node-modules.zip HTTP/1.1", host: "build-cache.ci.internal"'
                ),
            ),
        )
    )
    runners = LogFile("logs/gitlab-runner.log", Syslog3164("ci-runner-07", "gitlab-runner", 1833))
    runners.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                r.choice(
                    [
                        f"Job succeeded                                       duration_s={r.uniform(60, 600):.2f} job={r.randrange(4100000, 4200000)} project={r.randrange(10, 900)} runner=x{r.getrandbits(24):06x}",
                        f"Checking for jobs... received                       job={r.randrange(4100000, 4200000)} repo_url=https://git.ci.internal/team-{r.randrange(30)}/svc.git runner=x{r.getrandbits(24):06x}",
                        f"Appending trace to coordinator...ok                 code=202 job={r.randrange(4100000, 4200000)} job-log=0-{r.randrange(10**5)} job-status=running runner=x{r.getrandbits(24):06x} sent-log=0-{r.randrange(10**5)} status=202 Accepted update-interval=3s",
                    ]
                ),
                (),
            ),
            START,
            MINUTES,
            3000,
        )
    )
    runners.add(
        loud(
            rng,
            START,
            RUSH + 2,
            MINUTES - RUSH - 3,
            420,
            fixed(
                "WARN",
                lambda r: (
                    f'WARNING: Retrying...                                  context=cache-download error=Get "https://build-cache.ci.internal/cache/project-{r.randrange(10**4)}/node-modules.zip": context deadline exceeded (Client.Timeout or context cancellation while reading body) job={r.randrange(4100000, 4200000)} runner=x{r.getrandbits(24):06x}'
                ),
            ),
        )
    )
    runners.add(
        loud(
            rng,
            START,
            RUSH + 20,
            MINUTES - RUSH - 21,
            160,
            fixed(
                "ERROR",
                lambda r: (
                    f"Job failed: execution took longer than 1h0m0s seconds  duration_s=3600.{r.randrange(10**3):03d} job={r.randrange(4100000, 4200000)} project={r.randrange(10, 900)} runner=x{r.getrandbits(24):06x}"
                ),
            ),
        )
    )
    runners.add(
        [
            at(
                START,
                55.0,
                "WARN",
                'WARNING: Failed to pull image with policy "always": toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit (manager.go:237:0s)  job=4131177 project=212 runner=x9c1f2a',
            ),
            at(
                START,
                140.0,
                "ERROR",
                "Job failed: exit code 1  duration_s=412.22 job=4150321 project=77 runner=x4e0b19 (FAIL: TestSchedulerRetries (0.81s) flaky)",
            ),
        ]
    )
    ethtool = "\n".join(
        [
            "[root@build-cache-01 ~]# ethtool eno1",
            "Settings for eno1:",
            "\tSupported ports: [ TP ]",
            "\tSupported link modes:   10baseT/Half 10baseT/Full",
            "\t                        100baseT/Half 100baseT/Full",
            "\t                        1000baseT/Half 1000baseT/Full",
            "\tAdvertised link modes:  10baseT/Half 10baseT/Full",
            "\t                        100baseT/Half 100baseT/Full",
            "\t                        1000baseT/Half 1000baseT/Full",
            "\tLink partner advertised link modes:  10baseT/Half 10baseT/Full",
            "\t                                     100baseT/Half 100baseT/Full",
            "\t                                     1000baseT/Full",
            "\tSpeed: 100Mb/s",
            "\tDuplex: Full",
            "\tAuto-negotiation: on",
            "\tPort: Twisted Pair",
            "\tLink detected: yes",
            "[root@build-cache-01 ~]# sar -n DEV 60 1 | grep -E 'IFACE|eno1'",
            "10:01:12 AM     IFACE   rxpck/s   txpck/s    rxkB/s    txkB/s   rxcmp/s   txcmp/s  rxmcst/s   %ifutil",
            "10:02:12 AM      eno1   4120.55   8911.03    301.42  12188.61      0.00      0.00      0.00     99.85",
            "[root@build-cache-01 ~]# iostat -x 5 1 | grep -E 'Device|sdb'",
            "Device            r/s     w/s     rkB/s     wkB/s   %util",
            "sdb             41.20    3.10   5211.40    180.20    7.90",
            "",
        ]
    )
    notes = "\n".join(
        [
            "#ci-platform 10:05 UTC: pipelines very slow since ~08:30, lots of cache download retries and 1h timeouts.",
            "- DC ticket DC-8841: rack B4 visit this morning 07:45-08:00, 'cable management, no changes to servers'.",
            "- One runner hit the Docker Hub pull limit earlier (mirror misconfigured on ci-runner-07, known).",
            "- build-cache-01 disk pruned itself at 07:10, fine now.",
            "",
        ]
    )
    return Bundle(
        question="CI pipelines crawl since about 08:30 UTC: cache downloads retry and jobs hit the 1 h timeout. What is the root cause?",
        category="hardware",
        component="build-cache-01",
        statement="During the rack visit at 07:48 UTC build-cache-01's patch cable was reseated and its eno1 link came back at 100 Mbps (a damaged cable; the switch advertises 1000baseT/Full); from the 08:30 UTC CI rush the saturated link makes cache and artifact downloads time out, so jobs retry and hit their 1 h limit.",
        files={
            "notes.md": notes,
            "build-cache-01-checks.txt": ethtool,
            "logs/build-cache-01-messages": kern.render(),
            "logs/build-cache-01-access.log": access.render(),
            "logs/build-cache-01-error.log": error.render(),
            "logs/gitlab-runner.log": runners.render(),
        },
        proofs=[
            Proof("logs/build-cache-01-messages", "eno1: Link is up at 100 Mbps"),
            Proof("build-cache-01-checks.txt", "\tSpeed: 100Mb/s"),
            Proof("build-cache-01-checks.txt", "eno1   4120.55"),
        ],
        decoys=[
            "toomanyrequests: You have reached your pull rate limit",
            "/srv/cache at 86%",
            "TestSchedulerRetries",
        ],
    )
