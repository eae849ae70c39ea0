# ruff: noqa: E501
# kubectl output and hand-written log lines are data, kept whole on one line.
"""Kubernetes: at 14:21 UTC Argo CD syncs a change to the ConfigMap telemetry-gateway-env that
sets `LISTEN_ADDR: 127.0.0.1:9090` (copied from a developer's compose override). Reloader
restarts the Deployment (strategy Recreate, it owns an RWO spool volume); the new pod binds
the loopback address only, so the kubelet's readiness and liveness probes on the pod IP get
`connection refused`, the Service has no endpoints and the pod restarts every few minutes.
Devices' uploads through ingress-nginx fail with 503 (loud). Decoys: a slow query warning in
fleet-api, a metrics-server scrape error, and the spool volume's routine attach events."""

import json
import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events
from records import Record
from scenes import at, fixed, loud
from traffic import Line, traffic

START = datetime(2026, 7, 8, 13, 40, tzinfo=UTC)
NOW = datetime(2026, 7, 8, 14, 52, tzinfo=UTC)
SYNC = 41.0  # 14:21
NODES = [
    "aks-system-31457812-vmss000002",
    "aks-apps-31457812-vmss000004",
    "aks-apps-31457812-vmss000007",
]
NEW = "telemetry-gateway-6b8d4c7f95-lq7vz"


class ZapJson:
    def render(self, record: Record) -> list[str]:
        body = {
            "level": record.level.lower(),
            "ts": round(record.time.timestamp(), 3),
            "caller": record.logger or "ingest/handler.go:88",
            "msg": record.message,
        }
        return [json.dumps(body)]


class Access:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def render(self, record: Record) -> list[str]:
        ip = f"{self.rng.choice([52, 20, 13])}.{self.rng.randrange(256)}.{self.rng.randrange(256)}.{self.rng.randrange(1, 255)}"
        return [
            f"{ip} - - [{record.time.strftime('%d/%b/%Y:%H:%M:%S +0000')}] {record.message} {self.rng.getrandbits(128):032x}"
        ]


def gw_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.6:
        return (
            "INFO",
            f"batch accepted device=veh-{rng.randrange(10**5):05d} points={rng.randrange(20, 600)} bytes={rng.randrange(2000, 90000)}",
            (),
        )
    if roll < 0.9:
        return (
            "INFO",
            f"spool flushed segment={rng.randrange(10**6)} records={rng.randrange(100, 5000)}",
            (),
        )
    return "DEBUG", f"forwarded segment to fleet-api in {rng.randrange(4, 90)}ms", ()


def ok(rng: random.Random) -> Line:
    t = rng.randrange(5, 140) / 1000
    return (
        "INFO",
        f'"POST /v1/telemetry HTTP/1.1" 202 2 "-" "fleet-agent/4.2.{rng.randrange(9)}" {rng.randrange(800, 9000)} {t:.3f} [fleet-telemetry-gateway-9090] [] 10.60.3.{rng.choice([25, 61])}:9090 2 {t:.3f} 202',
        (),
    )


def bad(rng: random.Random) -> Line:
    return (
        "ERROR",
        f'"POST /v1/telemetry HTTP/1.1" 503 190 "-" "fleet-agent/4.2.{rng.randrange(9)}" {rng.randrange(800, 9000)} 0.000 [fleet-telemetry-gateway-9090] [] - - - - {rng.getrandbits(32):08x}',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(43333)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    gw = LogFile("kubectl-logs-telemetry-gateway.txt", ZapJson())
    boot = START + timedelta(minutes=total - 2.3)
    gw.add(
        [
            Record(
                boot,
                "INFO",
                "starting telemetry-gateway version=2.14.1 commit=7e1c0af",
                (),
                "cmd/gateway/main.go:41",
            ),
            Record(
                boot + timedelta(milliseconds=40),
                "INFO",
                "spool opened path=/var/spool/telemetry segments=1184 pending_bytes=918273645",
                (),
                "spool/spool.go:77",
            ),
            Record(
                boot + timedelta(milliseconds=52),
                "INFO",
                "upstream configured fleet-api=http://fleet-api.fleet.svc:8080",
                (),
                "cmd/gateway/main.go:63",
            ),
            Record(
                boot + timedelta(milliseconds=61),
                "INFO",
                "HTTP server listening addr=127.0.0.1:9090",
                (),
                "cmd/gateway/main.go:88",
            ),
            Record(
                boot + timedelta(seconds=31),
                "INFO",
                "received signal terminated, draining spool",
                (),
                "cmd/gateway/main.go:112",
            ),
        ]
    )
    previous = LogFile("kubectl-logs-telemetry-gateway-previous.txt", ZapJson())
    previous.add(traffic(rng, gw_line, START, SYNC, 1800))
    previous.add(
        [
            at(
                START,
                0.0,
                "INFO",
                "HTTP server listening addr=0.0.0.0:9090",
                logger="cmd/gateway/main.go:88",
            ),
            at(
                START,
                SYNC - 0.02,
                "INFO",
                "received signal terminated, draining spool",
                logger="cmd/gateway/main.go:112",
            ),
        ]
    )
    access = LogFile("logs/edge-proxy.log", Access(rng))
    access.add(traffic(rng, ok, START, SYNC, 2600))
    access.add(loud(rng, START, SYNC + 0.1, total - SYNC - 0.2, 2900, bad))
    api = LogFile("logs/fleet-api.log", ZapJson())
    api.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f"GET /v2/vehicles/veh-{r.randrange(10**5):05d}/status 200 {r.randrange(3, 60)}ms"
                ),
            ),
            START,
            total,
            1900,
        )
    )
    api.add(
        [
            at(
                START,
                27.5,
                "WARN",
                'slow query took=1.84s query="SELECT * FROM trips WHERE vehicle_id = $1 ORDER BY started_at DESC LIMIT 50"',
                logger="store/trips.go:140",
            )
        ]
    )
    pod = Pod(
        name=NEW,
        namespace="fleet",
        node=NODES[2],
        app="telemetry-gateway",
        ip="10.60.3.88",
        start_time="Wed, 08 Jul 2026 14:21:09 +0000",
        conditions={
            "Initialized": "True",
            "Ready": "False",
            "ContainersReady": "False",
            "PodScheduled": "True",
        },
        volumes=[
            "  spool:",
            "    Type:       PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)",
            "    ClaimName:  telemetry-spool",
            "    ReadOnly:   false",
        ],
        containers=[
            Container(
                name="telemetry-gateway",
                image="fleetacr.azurecr.io/fleet/telemetry-gateway:2.14.1",
                state=["Running", "  Started:      Wed, 08 Jul 2026 14:49:41 +0000"],
                last_state=[
                    "Terminated",
                    "  Reason:       Error",
                    "  Exit Code:    2",
                    "  Started:      Wed, 08 Jul 2026 14:46:11 +0000",
                    "  Finished:     Wed, 08 Jul 2026 14:49:40 +0000",
                ],
                ready=False,
                restarts=8,
                port="9090/TCP",
                limits={"memory": "512Mi"},
                requests={"cpu": "200m", "memory": "256Mi"},
                probes=[
                    "Liveness:       tcp-socket :9090 delay=20s timeout=1s period=10s #success=1 #failure=3",
                    "Readiness:      http-get http://:9090/readyz delay=5s timeout=1s period=5s #success=1 #failure=3",
                ],
                environment=["telemetry-gateway-env  ConfigMap  Optional: false"],
            )
        ],
        events=[
            (
                "Normal",
                "Scheduled",
                "31m",
                "default-scheduler",
                f"Successfully assigned fleet/{NEW} to {NODES[2]}",
            ),
            (
                "Normal",
                "SuccessfulAttachVolume",
                "31m",
                "attachdetach-controller",
                'AttachVolume.Attach succeeded for volume "pvc-3f1d0c9e-77b2-4a51-9e0d-5c28a1f4b6e3"',
            ),
            (
                "Warning",
                "Unhealthy",
                "2m (x312 over 31m)",
                "kubelet",
                'Readiness probe failed: Get "http://10.60.3.88:9090/readyz": dial tcp 10.60.3.88:9090: connect: connection refused',
            ),
            (
                "Warning",
                "Unhealthy",
                "3m (x24 over 30m)",
                "kubelet",
                "Liveness probe failed: dial tcp 10.60.3.88:9090: connect: connection refused",
            ),
            (
                "Normal",
                "Killing",
                "3m (x8 over 30m)",
                "kubelet",
                "Container telemetry-gateway failed liveness probe, will be restarted",
            ),
        ],
    )
    cm = "\n".join(
        [
            "$ kubectl -n fleet get configmap telemetry-gateway-env -o yaml",
            "apiVersion: v1",
            "data:",
            "  FLEET_API_URL: http://fleet-api.fleet.svc:8080",
            "  LISTEN_ADDR: 127.0.0.1:9090",
            "  LOG_LEVEL: info",
            "  SPOOL_DIR: /var/spool/telemetry",
            '  SPOOL_MAX_BYTES: "4294967296"',
            "kind: ConfigMap",
            "metadata:",
            "  annotations:",
            "    argocd.argoproj.io/tracking-id: fleet-prod:/ConfigMap:fleet/telemetry-gateway-env",
            '  creationTimestamp: "2025-09-30T08:12:55Z"',
            "  labels:",
            "    app.kubernetes.io/instance: fleet-prod",
            "  name: telemetry-gateway-env",
            "  namespace: fleet",
            '  resourceVersion: "918273311"',
            "  uid: 4b7e2a90-1c3d-4f8e-b6a5-0d9c8e7f6a12",
            "",
            "$ kubectl -n fleet get endpoints telemetry-gateway",
            "NAME                ENDPOINTS   AGE",
            "telemetry-gateway   <none>      287d",
            "",
            '$ kubectl -n fleet get deploy telemetry-gateway -o jsonpath=\'{.spec.strategy.type}{"\\n"}{.metadata.annotations}{"\\n"}\'',
            "Recreate",
            '{"configmap.reloader.stakater.com/reload":"telemetry-gateway-env","deployment.kubernetes.io/revision":"57"}',
            "",
            "$ argocd app history fleet-prod | tail -2",
            "ID   DATE                           REVISION",
            "311  2026-07-08 14:20:48 +0000 UTC  main (d41f9e2)  # chore: align gateway env with local compose",
            "",
        ]
    )
    reloader = "\n".join(
        [
            "$ kubectl -n reloader logs deploy/reloader --since=75m",
            "time=\"2026-07-08T13:55:02Z\" level=info msg=\"Changes detected in 'fleet-api-flags' of type 'CONFIGMAP' in namespace 'fleet'; updated 'fleet-api' of type 'Deployment' in namespace 'fleet'\"",
            "time=\"2026-07-08T14:21:03Z\" level=info msg=\"Changes detected in 'telemetry-gateway-env' of type 'CONFIGMAP' in namespace 'fleet'; updated 'telemetry-gateway' of type 'Deployment' in namespace 'fleet'\"",
            "",
        ]
    )
    routine = routine_events(
        rng, ["fleet-api", "trip-builder", "geo-enricher"], 18, NODES[1:], namespace="fleet"
    )
    signal = [
        (
            ago(SYNC + 0.05),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/telemetry-gateway",
                "Scaled down replica set telemetry-gateway-7d9f5b6c48 to 0 from 1",
            ),
        ),
        (
            ago(SYNC + 0.1),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/telemetry-gateway",
                "Scaled up replica set telemetry-gateway-6b8d4c7f95 to 1",
            ),
        ),
        (
            ago(SYNC + 2.0),
            (
                "Warning",
                "Unhealthy",
                f"pod/{NEW}",
                'Readiness probe failed: Get "http://10.60.3.88:9090/readyz": dial tcp 10.60.3.88:9090: connect: connection refused',
            ),
        ),
        (
            ago(SYNC + 4.0),
            (
                "Normal",
                "Killing",
                f"pod/{NEW}",
                "Container telemetry-gateway failed liveness probe, will be restarted",
            ),
        ),
        (
            ago(18.0),
            (
                "Warning",
                "FailedGetResourceMetric",
                "horizontalpodautoscaler/fleet-api",
                "failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server is currently unable to handle the request (get pods.metrics.k8s.io)",
            ),
        ),
    ]
    return Bundle(
        question="Vehicle telemetry uploads have been failing with 503 since about 14:21 UTC. What is the root cause?",
        category="configuration",
        component="telemetry-gateway",
        statement="An Argo CD sync at 14:21 UTC set `LISTEN_ADDR: 127.0.0.1:9090` in the telemetry-gateway-env ConfigMap; Reloader restarted telemetry-gateway, which now listens on loopback only, so its probes on the pod IP are refused, the Service has no endpoints and ingress-nginx answers 503 to every upload.",
        files={
            "kubectl-pasted.txt": cm,
            "kubectl-logs-reloader.txt": reloader,
            "kubectl-get-events.txt": "$ kubectl -n fleet get events --sort-by=.lastTimestamp\n"
            + event_listing(routine, signal),
            "kubectl-describe-pod.txt": f"$ kubectl -n fleet describe pod {NEW}\n"
            + describe_pod(pod, rng),
            "kubectl-logs-telemetry-gateway.txt": f"$ kubectl -n fleet logs {NEW}\n" + gw.render(),
            "kubectl-logs-telemetry-gateway-previous.txt": "$ kubectl -n fleet logs telemetry-gateway-7d9f5b6c48-8hx2c --since=80m   # saved by the log shipper\n"
            + previous.render(),
            "logs/edge-proxy.log": access.render(),
            "logs/fleet-api.log": api.render(),
        },
        proofs=[
            Proof("kubectl-pasted.txt", "LISTEN_ADDR: 127.0.0.1:9090"),
            Proof("kubectl-logs-telemetry-gateway.txt", "listening addr=127.0.0.1:9090"),
        ],
        decoys=["slow query took=1.84s", "FailedGetResourceMetric", "fleet-api-flags"],
    )
