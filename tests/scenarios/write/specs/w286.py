# ruff: noqa: E501
# Envoy access lines, kubectl rows and pasted output are data, kept whole on one line.
"""Kubernetes: edge-proxy 3.1.0 (rolled out 11:05 Gulf time) declared `hostPort: 9100` on its
metrics port, copied from a DaemonSet example. node-exporter already holds hostPort 9100 on every
node, so no new pod can be scheduled (`didn't have free ports for the requested pod ports`). The
rolling update has already removed two old pods (25% max unavailable) and the rollout hangs at
6 of 8 available; at the lunchtime peak the remaining proxies overflow their circuit breakers
and answer 503 (UO). Loud: Envoy 503s and the pending pods. Decoys: a deprecated-field warning
in Envoy's start-up, a readiness failure in another app, and a CPU throttling note."""

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events, table
from records import Record
from scenes import at, loud
from traffic import traffic

GST = ZoneInfo("Asia/Dubai")
START = datetime(2026, 2, 17, 10, 20, tzinfo=GST)
NOW = datetime(2026, 2, 17, 13, 10, tzinfo=GST)
ROLLOUT = 45.0  # 11:05
PEAK = 100.0  # 12:00
NODES = [f"worker-{n:02d}.dxb1.corp.internal" for n in range(1, 9)]
PENDING = [
    "edge-proxy-85c7d9f6b4-4wzkq",
    "edge-proxy-85c7d9f6b4-9hvxm",
    "edge-proxy-85c7d9f6b4-dq2jt",
    "edge-proxy-85c7d9f6b4-rk7pn",
]
SCHED = "0/8 nodes are available: 8 node(s) didn't have free ports for the requested pod ports. preemption: 0/8 nodes are available: 8 No preemption victims found for incoming pod."


@dataclass
class EnvoyServer:
    """Envoy's application log: `[2026-02-17 07:20:00.123][1][info][main] [file:line] message`."""

    def render(self, record: Record) -> list[str]:
        t = record.time.astimezone(UTC)
        return [f"[{t:%Y-%m-%d %H:%M:%S}.{t.microsecond // 1000:03d}][1]{record.message}"]


@dataclass
class EnvoyAccess:
    """Envoy's default access log format, UTC timestamps in brackets."""

    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def render(self, record: Record) -> list[str]:
        t = record.time.astimezone(UTC)
        return [f"[{t:%Y-%m-%dT%H:%M:%S}.{t.microsecond // 1000:03d}Z] {record.message}"]


def ok(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    path = rng.choice(
        ["/v2/accounts/{}", "/v2/transfers", "/v2/cards/{}/limits", "/v2/fx/quote"]
    ).format(rng.randrange(10**6))
    method = "POST" if path.endswith(("transfers", "quote")) else "GET"
    status = rng.choices([200, 201, 404, 400], [80, 10, 6, 4])[0]
    ms = rng.randrange(3, 180)
    return (
        "INFO",
        f'"{method} {path} HTTP/2" {status} - via_upstream - "-" {rng.randrange(0, 900)} {rng.randrange(80, 6000)} {ms} {max(1, ms - 2)} "{rng.randrange(1, 255)}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(256)}" "mobile-banking/9.3.{rng.randrange(10)}" "{rng.getrandbits(128):032x}" "api.nahrbank.example" "10.60.{rng.randrange(1, 9)}.{rng.randrange(2, 250)}:8443"',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(28610)
    total = (NOW - START).total_seconds() / 60
    envoy = LogFile("logs/edge-proxy-access.log", EnvoyAccess(rng))
    envoy.add(traffic(rng, ok, START, total, 5200))
    envoy.add(
        loud(
            rng,
            START,
            PEAK,
            total - PEAK - 1,
            1300,
            lambda r: (
                "ERROR",
                f'"{r.choice(["GET", "POST"])} /v2/{r.choice(["accounts", "transfers", "cards"])}/{r.randrange(10**6)} HTTP/2" 503 UO upstream_reset_before_response_started{{overflow}} - "-" 0 81 0 - "{r.randrange(1, 255)}.{r.randrange(256)}.{r.randrange(256)}.{r.randrange(256)}" "mobile-banking/9.3.{r.randrange(10)}" "{r.getrandbits(128):032x}" "api.nahrbank.example" "-"',
                (),
            ),
        )
    )
    server = LogFile("logs/edge-proxy-server.log", EnvoyServer())
    server.add(
        [
            at(
                START,
                2.0,
                "WARN",
                "[warning][misc] [source/common/protobuf/message_validator_impl.cc:21] Deprecated field: type envoy.config.route.v3.RouteAction Using deprecated option 'envoy.config.route.v3.RouteAction.max_grpc_timeout' from file route_components.proto.",
            ),
            at(
                START,
                2.1,
                "INFO",
                "[info][main] [source/server/server.cc:982] starting main dispatch loop",
            ),
        ]
    )
    server.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                r.choice(
                    [
                        f"[info][upstream] [source/common/upstream/cds_api_helper.cc:32] cds: add {r.randrange(20, 30)} cluster(s), remove 0 cluster(s)",
                        "[info][upstream] [source/common/upstream/cds_api_helper.cc:71] cds: added/updated 1 cluster(s), skipped 23 unmodified cluster(s)",
                        f"[info][upstream] [source/extensions/listener_managers/listener_manager/lds_api.cc:{r.choice([82, 106])}] lds: add/update listener 'https_listener'",
                    ]
                ),
                (),
            ),
            START,
            total,
            160,
        )
    )

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    routine = routine_events(
        rng, ["edge-proxy", "core-banking-api", "statements"], 22, NODES, namespace="edge"
    )
    signal = [
        (
            ago(ROLLOUT),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/edge-proxy",
                "Scaled up replica set edge-proxy-85c7d9f6b4 to 2",
            ),
        ),
        (
            ago(ROLLOUT + 0.01),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/edge-proxy",
                "Scaled down replica set edge-proxy-6f4b8c9d57 to 6 from 8",
            ),
        ),
        (
            ago(ROLLOUT + 0.02),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/edge-proxy",
                "Scaled up replica set edge-proxy-85c7d9f6b4 to 4 from 2",
            ),
        ),
        (
            ago(71),
            (
                "Warning",
                "Unhealthy",
                "pod/statements-7b5d8c6f9-pq2zk",
                'Readiness probe failed: Get "http://10.60.3.77:8080/ready": dial tcp 10.60.3.77:8080: connect: connection refused',
            ),
        ),
    ]
    for k, pod in enumerate(PENDING):
        signal.append(
            (ago(ROLLOUT + 0.05 + k * 0.01), ("Warning", "FailedScheduling", f"pod/{pod}", SCHED))
        )
    events = event_listing(routine, signal)
    pods = table(
        ("NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE"),
        [
            (
                f"edge-proxy-6f4b8c9d57-{s}",
                "1/1",
                "Running",
                "0",
                "12d",
                f"10.60.{i + 1}.{rng.randrange(2, 250)}",
                NODES[i],
            )
            for i, s in enumerate(["2kxq7", "5mv9d", "8tw3h", "cb6rn", "h4p2s", "x9z5l"])
        ]
        + [(p, "0/1", "Pending", "0", "125m", "<none>", "<none>") for p in PENDING],
    )
    pod = Pod(
        name=PENDING[0],
        namespace="edge",
        node="",
        app="edge-proxy",
        status="Pending",
        start_time="",
        containers=[
            Container(
                "edge-proxy",
                "harbor.dxb1.corp.internal/edge/edge-proxy:3.1.0",
                state=[],
                port="8443/TCP, 9100/TCP",
                limits={"cpu": "2", "memory": "1Gi"},
                requests={"cpu": "1", "memory": "512Mi"},
            )
        ],
        conditions={"PodScheduled": "False"},
        events=[("Warning", "FailedScheduling", "2m (x31 over 125m)", "default-scheduler", SCHED)],
    )
    described = describe_pod(pod, rng).replace(
        "    Host Port:  0/TCP", "    Host Ports: 0/TCP, 9100/TCP"
    )
    gets = "\n".join(
        [
            "$ kubectl -n edge rollout status deploy/edge-proxy --timeout=30s",
            'Waiting for deployment "edge-proxy" rollout to finish: 4 out of 8 new replicas have been updated...',
            "error: timed out waiting for the condition",
            "",
            "$ kubectl -n edge get pods -l app=edge-proxy -o wide",
            *pods,
            "",
            "$ kubectl -n edge get deploy edge-proxy -o jsonpath='{.spec.template.spec.containers[0].ports}' | jq -c '.[]'",
            '{"containerPort":8443,"name":"https","protocol":"TCP"}',
            '{"containerPort":9100,"hostPort":9100,"name":"metrics","protocol":"TCP"}',
            "",
            "$ kubectl -n monitoring get ds node-exporter -o jsonpath='{.spec.template.spec.containers[0].ports}' | jq -c '.[]'",
            '{"containerPort":9100,"hostPort":9100,"name":"http-metrics","protocol":"TCP"}',
            "",
            "$ kubectl -n edge get deploy edge-proxy",
            "NAME         READY   UP-TO-DATE   AVAILABLE   AGE",
            "edge-proxy   6/8     4            6           2y",
            "",
        ]
    )
    notes = "\n".join(
        [
            "12:20 GST  alert CPUThrottlingHigh firing for core-banking-api (28% throttled), known since last week, ticket PLAT-3317",
            "12:24 GST  mobile app errors up: 503 from api.nahrbank.example",
            "",
        ]
    )
    return Bundle(
        question="The mobile banking API is returning 503s since around noon Gulf time; edge-proxy 3.1.0 was deployed at 11:05 and its rollout never finished. What is the root cause?",
        category="scheduling",
        component="edge-proxy",
        statement="edge-proxy 3.1.0 declares hostPort 9100 on its metrics port, which node-exporter's DaemonSet already holds on every node, so the new pods cannot be scheduled (didn't have free ports for the requested pod ports); the rollout is stuck with two old pods already removed, and the six remaining proxies overflow at the noon peak and return 503 UO.",
        files={
            "kubectl-get.txt": gets,
            "kubectl-describe-pod.txt": f"$ kubectl -n edge describe pod {PENDING[0]}\n"
            + described,
            "kubectl-get-events.txt": events,
            "oncall-notes.txt": notes,
            "logs/edge-proxy-access.log": envoy.render(),
            "logs/edge-proxy-server.log": server.render(),
        },
        proofs=[
            Proof("kubectl-get.txt", '"hostPort":9100,"name":"metrics"'),
            Proof("kubectl-describe-pod.txt", "didn't have free ports for the requested pod ports"),
        ],
        decoys=[
            "Deprecated field: type envoy.config.route.v3.RouteAction",
            'Readiness probe failed: Get "http://10.60.3.77:8080/ready"',
            "CPUThrottlingHigh",
        ],
    )
