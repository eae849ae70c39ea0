# ruff: noqa: E501
# Log lines, kubectl rows and YAML are data, kept whole on one line.
"""Kubernetes: at 09:40 PST the security team applied a Kyverno ClusterPolicy
`add-default-seccomp` that mutates every new pod to `seccompProfile: RuntimeDefault`. The
container runtime's default seccomp profile refuses io_uring syscalls, and media-gateway
(Rust, tokio-uring) cannot create its runtime: `Operation not permitted (os error 1)`. Pods
created before the policy keep working; when a spot interruption replaces three of the six
pods at 13:12 PST, the new ones crash-loop and the CDN origin gets 503s at half capacity.
Decoys: the spot interruption itself, an S3 SlowDown retry, and clients' 499s."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events
from records import NginxAccess, Record
from scenes import at, loud
from traffic import http_access, traffic

PST = timezone(timedelta(hours=-8))
START = datetime(2026, 3, 3, 19, 30, tzinfo=UTC)  # 11:30 PST
NOW = datetime(2026, 3, 3, 22, 10, tzinfo=UTC)
POLICY = datetime(2026, 3, 3, 17, 40, 12, tzinfo=UTC)
SPOT = 102.0  # 21:12 UTC, 13:12 PST
BAD = "media-gateway-84c7d9f6b5-r7kwt"


@dataclass
class Tracing:
    """Rust tracing-subscriber's default format."""

    def render(self, record: Record) -> list[str]:
        t = record.time
        stamp = t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond:06d}Z"
        if record.logger == "stderr":
            return [record.message, *record.trailer]
        return [
            f"{stamp} {record.level:>5} {record.logger or 'media_gateway'}: {record.message}",
            *record.trailer,
        ]


def bundle() -> Bundle:
    rng = random.Random(4447)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    gw = LogFile("logs/media-gateway-84c7d9f6b5-5xq2m.log", Tracing())
    gw.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"served {r.choice(['GET', 'HEAD'])} /v/{r.getrandbits(48):012x}/{r.choice(['720p', '1080p', 'thumb'])} status=200 bytes={r.randrange(10**4, 9 * 10**6)} elapsed_ms={r.randrange(2, 90)}",
                (),
            ),
            START,
            total,
            3000,
            logger="media_gateway::http",
        )
    )
    gw.add(
        [
            at(
                START,
                47.3,
                "WARN",
                "s3 GetObject bucket=media-origin-usw2 key=v/8c1f.../1080p.m4s got 503 SlowDown, retry 1/3 in 180ms",
                logger="media_gateway::store",
            )
        ]
    )
    gw.add(
        loud(
            rng,
            START,
            SPOT + 2,
            total - SPOT - 3,
            260,
            lambda r: (
                "WARN",
                f"backpressure: {r.randrange(480, 512)}/512 in-flight requests, rejecting with 503",
                (),
            ),
        )
    )

    crash = LogFile(f"kubectl-logs-{BAD}-previous.txt", Tracing())
    t0 = total - 1.3
    crash.add(
        [
            at(
                START,
                t0,
                "INFO",
                "starting media-gateway v0.19.2 (git 4e1a9c0) workers=8 listen=0.0.0.0:8443",
            ),
            at(
                START,
                t0 + 0.01,
                "INFO",
                "loaded 3 origin buckets, cache dir /var/cache/media size 40GiB",
                logger="media_gateway::store",
            ),
            at(
                START,
                t0 + 0.02,
                "ERROR",
                "failed to build io_uring runtime for worker 0: Operation not permitted (os error 1)",
                logger="media_gateway::runtime",
            ),
            at(
                START,
                t0 + 0.03,
                "INFO",
                "",
                trailer=[
                    "Error: could not start worker runtimes",
                    "",
                    "Caused by:",
                    "    0: io_uring_setup(entries=4096) failed",
                    "    1: Operation not permitted (os error 1)",
                ],
            ),
        ]
    )
    crash.records = [r for r in crash.records if r.message] + [
        Record(r.time, r.level, r.trailer[0], r.trailer[1:], "stderr")
        for r in crash.records
        if not r.message
    ]

    edge = LogFile("logs/origin-shield-access.log", NginxAccess(rng=rng, zone=PST))
    edge.add(
        traffic(
            rng,
            http_access(["/v/{id}/1080p.m4s", "/v/{id}/720p.m4s", "/v/{id}/thumb.jpg"], 25),
            START,
            total,
            4200,
        )
    )
    edge.add(
        [
            at(
                START,
                66.0,
                "INFO",
                '"GET /v/551201/1080p.m4s HTTP/1.1" 499 0 "-" "AppleCoreMedia/1.0.0.21E236 (iPhone; U; CPU OS 17_4 like Mac OS X)" 12.007',
            )
        ]
    )
    edge.add(
        loud(
            rng,
            START,
            SPOT + 2,
            total - SPOT - 3,
            850,
            lambda r: (
                "ERROR",
                f'"GET /v/{r.randrange(10**6)}/{r.choice(["1080p", "720p"])}.m4s HTTP/1.1" 503 197 "-" "ExoPlayerLib/2.19.1" {r.uniform(0.002, 0.03):.3f}',
                (),
            ),
        )
    )

    routine = routine_events(
        rng,
        ["media-gateway", "thumbnailer", "manifest-api"],
        16,
        ["ip-10-20-4-18.us-west-2.compute.internal", "ip-10-20-5-77.us-west-2.compute.internal"],
        namespace="media",
    )
    signal = [
        (
            ago(SPOT - 2),
            (
                "Warning",
                "SpotInterruption",
                "node/ip-10-20-6-201.us-west-2.compute.internal",
                "Node ip-10-20-6-201.us-west-2.compute.internal will be interrupted in 2 minutes (aws-node-termination-handler)",
            ),
        ),
        (
            ago(SPOT),
            (
                "Normal",
                "SuccessfulCreate",
                "replicaset/media-gateway-84c7d9f6b5",
                f"Created pod: {BAD}",
            ),
        ),
        (
            ago(SPOT + 4),
            (
                "Warning",
                "BackOff",
                f"pod/{BAD}",
                f"Back-off restarting failed container media-gateway in pod {BAD}_media(0f1e2d3c-4b5a-4697-8877-a6b5c4d3e2f1)",
            ),
        ),
    ]
    events = event_listing(routine, signal)

    pod = Pod(
        name=BAD,
        namespace="media",
        node="ip-10-20-5-77.us-west-2.compute.internal",
        app="media-gateway",
        ip="10.20.5.143",
        start_time="Tue, 03 Mar 2026 21:12:31 +0000",
        conditions={
            "Initialized": "True",
            "Ready": "False",
            "ContainersReady": "False",
            "PodScheduled": "True",
        },
        containers=[
            Container(
                name="media-gateway",
                image="345678901234.dkr.ecr.us-west-2.amazonaws.com/media/media-gateway:0.19.2",
                state=["Waiting", "  Reason:       CrashLoopBackOff"],
                last_state=[
                    "Terminated",
                    "  Reason:       Error",
                    "  Exit Code:    1",
                    "  Started:      Tue, 03 Mar 2026 22:08:42 +0000",
                    "  Finished:     Tue, 03 Mar 2026 22:08:44 +0000",
                ],
                ready=False,
                restarts=15,
                limits={"cpu": "4", "memory": "6Gi"},
                requests={"cpu": "2", "memory": "6Gi"},
                port="8443/TCP",
            )
        ],
        events=[
            (
                "Warning",
                "BackOff",
                "3m (x241 over 56m)",
                "kubelet",
                f"Back-off restarting failed container media-gateway in pod {BAD}_media(0f1e2d3c-4b5a-4697-8877-a6b5c4d3e2f1)",
            )
        ],
    )
    get = "\n".join(
        [
            "$ kubectl -n media get pods -l app=media-gateway",
            "NAME                             READY   STATUS             RESTARTS        AGE",
            "media-gateway-84c7d9f6b5-5xq2m   1/1     Running            0               9d",
            "media-gateway-84c7d9f6b5-9hzvd   1/1     Running            0               9d",
            "media-gateway-84c7d9f6b5-lw8fn   1/1     Running            0               9d",
            "media-gateway-84c7d9f6b5-c4tgp   0/1     CrashLoopBackOff   15 (2m ago)     57m",
            "media-gateway-84c7d9f6b5-m2jxr   0/1     CrashLoopBackOff   15 (3m ago)     57m",
            f"{BAD}   0/1     CrashLoopBackOff   15 (81s ago)    57m",
            "",
            "$ diff <(kubectl -n media get pod media-gateway-84c7d9f6b5-5xq2m -o yaml | yq '.metadata.annotations, .spec.securityContext') \\",
            f"       <(kubectl -n media get pod {BAD} -o yaml | yq '.metadata.annotations, .spec.securityContext')",
            "1c1,2",
            "< kubernetes.io/psp: eks.privileged",
            "---",
            "> policies.kyverno.io/last-applied-patches: |",
            ">   add-seccomp-runtime-default.add-default-seccomp.kyverno.io: added /spec/securityContext/seccompProfile",
            "3a5,6",
            "> seccompProfile:",
            ">   type: RuntimeDefault",
            "",
            "$ kubectl get clusterpolicy",
            "NAME                      ADMISSION   BACKGROUND   READY   AGE     MESSAGE",
            "add-default-seccomp       true        false        True    4h29m   Ready",
            "disallow-latest-tag       true        true         True    212d    Ready",
            "require-requests-limits   true        true         True    212d    Ready",
            "",
            "$ kubectl get clusterpolicy add-default-seccomp -o yaml | yq '.metadata.creationTimestamp, .spec.rules[0].mutate'",
            f"{POLICY.strftime('%Y-%m-%dT%H:%M:%SZ')}",
            "patchStrategicMerge:",
            "  spec:",
            "    securityContext:",
            "      +(seccompProfile):",
            "        type: RuntimeDefault",
            "",
        ]
    )
    return Bundle(
        question="Video segments from our origin started failing with 503s around 13:15 PST and half of the media-gateway pods are in CrashLoopBackOff. Nothing was deployed to media-gateway today. What is the root cause?",
        category="permission",
        component="media-gateway",
        statement="The Kyverno ClusterPolicy add-default-seccomp, applied at 09:40 PST, gives every new pod seccompProfile RuntimeDefault; that profile refuses io_uring, so media-gateway pods created after the 13:12 spot interruption fail io_uring_setup with Operation not permitted and crash-loop, leaving half the capacity.",
        files={
            "kubectl-get.txt": get,
            f"kubectl-describe-pod-{BAD}.txt": describe_pod(pod, rng),
            "kubectl-get-events.txt": events,
            crash.name: crash.render(),
            gw.name: gw.render(),
            edge.name: edge.render(),
        },
        proofs=[
            Proof(crash.name, "io_uring runtime for worker 0: Operation not permitted"),
            Proof(
                "kubectl-get.txt", ">   add-seccomp-runtime-default.add-default-seccomp.kyverno.io"
            ),
            Proof("kubectl-get.txt", "add-default-seccomp       true        false"),
        ],
        decoys=[
            "will be interrupted in 2 minutes",
            "got 503 SlowDown, retry 1/3",
            '"GET /v/551201/1080p.m4s HTTP/1.1" 499',
        ],
    )
