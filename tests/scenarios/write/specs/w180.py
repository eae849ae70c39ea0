# ruff: noqa: E501
# Hand-written log lines, job output and pasted shell output are data, kept whole on one line.
"""Single host, network: CI runner ci-runner-04 was rebuilt on Tuesday in the new OpenStack
project, whose VXLAN tenant network gives its NIC ens3 an MTU of 1450 (DHCP option 26). Docker's
default bridge docker0 still uses 1500 (no `mtu` in /etc/docker/daemon.json), so build
containers advertise an MSS of 1460; large segments from package mirrors are dropped inside the
overlay and the ICMP "fragmentation needed" never reaches the senders (a PMTU black hole).
Handshakes and small requests work, large downloads stall: pip and npm inside job containers
time out, while curl on the host itself works. Loud: pip ReadTimeoutError retries, failed jobs.
Decoys: a Docker Hub `toomanyrequests` 429 on one pull, PyPI's status page note about degraded
CDN performance in another region, and the runner's `concurrent` limit warning."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from records import Record
from scenes import at, fixed
from traffic import host_traffic, traffic

START = datetime(2025, 9, 18, 7, 0, tzinfo=UTC)
END = datetime(2025, 9, 18, 10, 15, tzinfo=UTC)
HOST = "ci-runner-04"


@dataclass
class JournalIso:
    """`journalctl -o short-iso` with each record's own program[pid]."""

    def render(self, record: Record) -> list[str]:
        stamp = record.time.strftime("%Y-%m-%dT%H:%M:%S+00:00")
        return [f"{stamp} {HOST} {record.logger}: {record.message}"]


@dataclass
class JobLog:
    """A GitLab job trace with `ts` prefixes (FF_TIMESTAMPS): `2025-09-18T09:41:02.123456Z 01O text`."""

    def render(self, record: Record) -> list[str]:
        stamp = record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond:06d}Z"
        stream = "01E" if record.level in ("WARN", "ERROR") else "01O"
        return [f"{stamp} {stream} {line}" for line in (record.message, *record.trailer)]


PACKAGES = [
    (
        "numpy",
        "1.26.4",
        "numpy-1.26.4-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
        "18.0 MB",
    ),
    (
        "pandas",
        "2.2.2",
        "pandas-2.2.2-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
        "12.7 MB",
    ),
    ("pyarrow", "16.1.0", "pyarrow-16.1.0-cp312-cp312-manylinux_2_28_x86_64.whl", "40.8 MB"),
    (
        "scipy",
        "1.13.1",
        "scipy-1.13.1-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
        "38.2 MB",
    ),
]


def job_log(rng: random.Random, start: datetime) -> LogFile:
    job = LogFile("ci-job-571209.log", JobLog())
    lines = [
        "Running with gitlab-runner 17.3.1 (66269445)",
        "  on ci-runner-04 t3_Zq8xL, system ID: s_7f0a3c19e2b4",
        'Preparing the "docker" executor',
        "Using Docker executor with image python:3.12-slim ...",
        "Pulling docker image python:3.12-slim ...",
        "Using docker image sha256:2a4e5b1f0c8d7e6a9b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a for python:3.12-slim with digest python@sha256:59c7332a4a24373861c4a5f0eec2c92b87e3efeb8ddef011744ef9a751b1d11c ...",
        "Preparing environment",
        "Running on runner-t3zq8xl-project-311-concurrent-1 via ci-runner-04...",
        "Getting source from Git repository",
        "Fetching changes with git depth set to 20...",
        "Initialized empty Git repository in /builds/data/forecast-etl/.git/",
        "Created fresh repository.",
        "Checking out 8e41c07a as detached HEAD (ref is main)...",
        'Executing "step_script" stage of the job script',
        "$ pip install --no-cache-dir -r requirements.txt",
        "Collecting boto3==1.34.131 (from -r requirements.txt (line 1))",
        "  Downloading boto3-1.34.131-py3-none-any.whl.metadata (6.6 kB)",
        "Collecting requests==2.32.3 (from -r requirements.txt (line 2))",
        "  Downloading requests-2.32.3-py3-none-any.whl.metadata (4.6 kB)",
    ]
    time = start
    for line in lines:
        job.add([Record(time, "INFO", line)])
        time += timedelta(milliseconds=rng.randrange(200, 2400))
    for name, version, wheel, size in PACKAGES[:2]:
        job.add(
            [
                Record(
                    time,
                    "INFO",
                    f"Collecting {name}=={version} (from -r requirements.txt (line {rng.randrange(3, 20)}))",
                )
            ]
        )
        time += timedelta(milliseconds=rng.randrange(300, 900))
        job.add([Record(time, "INFO", f"  Downloading {wheel} ({size})")])
        for attempt in range(4, -1, -1):
            time += timedelta(seconds=15, milliseconds=rng.randrange(10, 900))
            job.add(
                [
                    Record(
                        time,
                        "WARN",
                        f"WARNING: Retrying (Retry(total={attempt}, connect=None, read=None, redirect=None, status=None)) after connection broken by 'ReadTimeoutError(\"HTTPSConnectionPool(host='files.pythonhosted.org', port=443): Read timed out. (read timeout=15)\")': /packages/{rng.getrandbits(8):02x}/{rng.getrandbits(8):02x}/{rng.getrandbits(240):060x}/{wheel}",
                    )
                ]
            )
    time += timedelta(seconds=15, milliseconds=311)
    job.add(
        [
            Record(
                time,
                "ERROR",
                "ERROR: Exception:",
                (
                    "Traceback (most recent call last):",
                    '  File "/usr/local/lib/python3.12/site-packages/pip/_vendor/urllib3/response.py", line 438, in _error_catcher',
                    "    yield",
                    '  File "/usr/local/lib/python3.12/site-packages/pip/_vendor/urllib3/response.py", line 561, in read',
                    '    data = self._fp_read(amt) if not fp_closed else b""',
                    '  File "/usr/local/lib/python3.12/site-packages/pip/_vendor/urllib3/response.py", line 527, in _fp_read',
                    "    return self._fp.read(amt) if amt is not None else self._fp.read()",
                    '  File "/usr/local/lib/python3.12/ssl.py", line 1251, in recv_into',
                    "    return self.read(nbytes, buffer)",
                    "TimeoutError: The read operation timed out",
                    "",
                    "During handling of the above exception, another exception occurred:",
                    "",
                    "pip._vendor.urllib3.exceptions.ReadTimeoutError: HTTPSConnectionPool(host='files.pythonhosted.org', port=443): Read timed out.",
                ),
            ),
            Record(
                time + timedelta(seconds=2),
                "ERROR",
                "Cleaning up project directory and file based variables",
            ),
            Record(time + timedelta(seconds=3), "ERROR", "ERROR: Job failed: exit code 2"),
        ]
    )
    return job


def bundle() -> Bundle:
    rng = random.Random(1180)
    total = (END - START).total_seconds() / 60
    journal = LogFile("journal-ci-runner-04.txt", JournalIso())
    journal.add(host_traffic(rng, START, total, 1100))

    def job_done(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
        job = r.randrange(570000, 572000)
        if r.random() < 0.3:
            return (
                "INFO",
                f"Job succeeded                                       duration_s={r.uniform(20, 90):.6f} job={job} project={r.choice([87, 140, 311, 402])} runner=t3_Zq8xL",
                (),
            )
        return (
            "WARN",
            f"Job failed: exit code {r.choice([1, 2, 2, 1])}                               duration_s={r.uniform(300, 1400):.6f} job={job} project={r.choice([87, 140, 311, 402])} runner=t3_Zq8xL",
            (),
        )

    journal.add(
        traffic(
            rng,
            job_done,
            START + timedelta(minutes=5),
            total - 6,
            180,
            logger="gitlab-runner[1022]",
        )
    )
    journal.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f"Checking for jobs... received                       job={r.randrange(570000, 572000)} repo_url=https://gitlab.nordwerk.io/{r.choice(['data/forecast-etl', 'web/shop-frontend', 'platform/infra-tools', 'data/ingest'])}.git runner=t3_Zq8xL"
                ),
            ),
            START,
            total,
            240,
            logger="gitlab-runner[1022]",
        )
    )
    journal.add(
        traffic(
            rng,
            fixed(
                "WARN",
                lambda r: (
                    'Configuration: Long polling issues detected.                  issue="Job request waited for the whole long polling timeout; concurrent=4 limit reached" runner=t3_Zq8xL'
                ),
            ),
            START,
            total,
            22,
            logger="gitlab-runner[1022]",
        )
    )
    events = traffic(
        rng,
        fixed(
            "INFO",
            lambda r: (
                f'level=info msg="ignoring event" container={r.getrandbits(256):064x} module=libcontainerd namespace=moby topic=/tasks/delete type="*events.TaskDelete"'
            ),
        ),
        START,
        total,
        160,
        logger="dockerd[941]",
    )
    journal.add(
        [
            Record(
                e.time,
                e.level,
                f'time="{e.time.strftime("%Y-%m-%dT%H:%M:%S.")}{e.time.microsecond:06d}{rng.randrange(100, 999)}Z" {e.message}',
                (),
                e.logger,
            )
            for e in events
        ]
    )
    journal.add(
        [
            at(
                START,
                71.3,
                "ERROR",
                'time="2025-09-18T08:11:18.402113377Z" level=error msg="Handler for POST /v1.45/images/create returned error: toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit"',
                logger="dockerd[941]",
            ),
        ]
    )
    job = job_log(rng, datetime(2025, 9, 18, 9, 41, 2, 118000, tzinfo=UTC))

    checks = "\n".join(
        [
            "# ci-runner-04 - pasted by @mhagen 10:12 UTC",
            "",
            "Runner was re-created Tuesday in the new OpenStack project (os-fra2, tenant ci-prod) from the same image; ci-runner-01..03 are still in the old one and are fine.",
            "",
            "$ ip -br link",
            "lo               UNKNOWN        00:00:00:00:00:00 <LOOPBACK,UP,LOWER_UP>",
            "ens3             UP             fa:16:3e:4c:9a:21 <BROADCAST,MULTICAST,UP,LOWER_UP>",
            "docker0          UP             02:42:9c:11:e8:07 <BROADCAST,MULTICAST,UP,LOWER_UP>",
            "veth3c1f0a2@if18 UP             6e:0b:51:a2:7c:14 <BROADCAST,MULTICAST,UP,LOWER_UP>",
            "",
            "$ ip link show ens3; ip link show docker0",
            "2: ens3: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc fq_codel state UP mode DEFAULT group default qlen 1000",
            "    link/ether fa:16:3e:4c:9a:21 brd ff:ff:ff:ff:ff:ff",
            "    altname enp0s3",
            "3: docker0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default",
            "    link/ether 02:42:9c:11:e8:07 brd ff:ff:ff:ff:ff:ff",
            "",
            "$ cat /etc/docker/daemon.json",
            "{",
            '  "log-driver": "json-file",',
            '  "log-opts": { "max-size": "50m", "max-file": "3" },',
            '  "registry-mirrors": ["https://mirror.gcr.io"]',
            "}",
            "",
            "$ time curl -sS -o /tmp/np.whl https://files.pythonhosted.org/packages/.../numpy-1.26.4-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
            "real\t0m1.912s",
            "",
            "$ docker run --rm python:3.12-slim pip download --no-deps numpy==1.26.4 -d /tmp",
            "Collecting numpy==1.26.4",
            "  Downloading numpy-1.26.4-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl.metadata (61 kB)",
            "(hangs here, killed after 5 min)",
            "",
            "$ df -h /var/lib/docker",
            "Filesystem      Size  Used Avail Use% Mounted on",
            "/dev/vdb        200G   61G  140G  31% /var/lib/docker",
            "",
            "PyPI status page (status.python.org) right now: 'Degraded performance - Fastly POP in Sao Paulo (GRU)', investigating.",
            "",
        ]
    )
    files = {
        "host-checks.md": checks,
        "journal-ci-runner-04.txt": journal.render(),
        "ci-job-571209.log": job.render(),
    }
    return Bundle(
        question="Since Tuesday most pipelines on ci-runner-04 fail while installing dependencies (pip/npm time out), but downloading the same file with curl on the runner works. What is wrong?",
        category="network",
        component="ci-runner-04",
        statement="Since its rebuild on Tuesday in the new OpenStack project, ci-runner-04's NIC ens3 has MTU 1450 while Docker's docker0 bridge still uses 1500, so job containers advertise a too-large MSS and large download segments are dropped in the overlay (PMTU black hole): pip and npm downloads inside containers stall while curl on the host works.",
        files=files,
        proofs=[
            Proof("host-checks.md", "2: ens3: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450"),
            Proof("host-checks.md", "3: docker0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500"),
        ],
        decoys=[
            "toomanyrequests: You have reached your pull rate limit",
            "Degraded performance - Fastly POP",
            "concurrent=4 limit reached",
        ],
    )
