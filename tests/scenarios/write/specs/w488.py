# ruff: noqa: E501
# Log lines, kubectl output and YAML are data, kept whole on one line.
"""Kubernetes (GKE): at 21:14 UTC the config repository applied an in-place edit of ConfigMap
fare-engine-config setting `LISTEN_ADDR: 127.0.0.1:8080`, meant for an auth-proxy sidecar that
had not been merged yet. The running fare-engine pods kept the environment they started with,
so nothing happened until the node-pool upgrade from 23:02 drained the nodes: every recreated
pod reads the new value, logs that its HTTP server is listening on 127.0.0.1:8080 and that it
started fine, while the kubelet's readiness and liveness probes on the pod IP are refused. By
23:26 the Service has no ready endpoints and ticket-gateway's quote calls are refused. Decoys:
the node-pool upgrade itself (the trigger), a retired-zone fare rule warning, a HikariCP
clock-leap warning in ticket-gateway, and a CronJob pod's FailedMount."""

import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events, table
from records import Record, SpringBoot
from scenes import at, java_trace, loud
from traffic import Line, traffic, web_api

CET = timezone(timedelta(hours=1))
START = datetime(2026, 1, 20, 21, 0, tzinfo=UTC)
NOW = datetime(2026, 1, 20, 23, 55, tzinfo=UTC)
EDIT = 14.3  # 21:14:18
DRAINS = [122.0, 131.5, 140.0, 148.5]  # 23:02, 23:11:30, 23:20, 23:28:30
EMPTY = 146.2  # last old pod leaves the endpoints at 23:26
NODES = [
    "gke-transit-prod-pool-b-4f1d9c2e-7hxk",
    "gke-transit-prod-pool-b-4f1d9c2e-q2mn",
    "gke-transit-prod-pool-b-9a3e6b71-c8tz",
    "gke-transit-prod-pool-b-9a3e6b71-wd5r",
]
NEW_NODES = [
    "gke-transit-prod-pool-c-2b7f0e58-k4vj",
    "gke-transit-prod-pool-c-2b7f0e58-n9qs",
    "gke-transit-prod-pool-c-6d1c3a94-h2lp",
    "gke-transit-prod-pool-c-6d1c3a94-x7fb",
]
OLD_PODS = [
    "fare-engine-66b9d7c4f8-2kdlw",
    "fare-engine-66b9d7c4f8-9tqxp",
    "fare-engine-66b9d7c4f8-jr4mz",
    "fare-engine-66b9d7c4f8-vh7sn",
]
NEW_PODS = [
    "fare-engine-66b9d7c4f8-b8wcq",
    "fare-engine-66b9d7c4f8-fx2lt",
    "fare-engine-66b9d7c4f8-m6zrd",
    "fare-engine-66b9d7c4f8-t4hnk",
]
NEW_IPS = ["10.52.6.17", "10.52.7.41", "10.52.8.9", "10.52.9.33"]


@dataclass
class ZapFields:
    """zap's production JSON encoder with structured fields (`msg|{"k": v}` in the message)."""

    rng: random.Random

    def render(self, record: Record) -> list[str]:
        message, _, extra = record.message.partition("|")
        body: dict[str, object] = {
            "level": record.level.lower(),
            "ts": round(record.time.timestamp(), 3),
            "caller": record.logger or "server/handler.go:88",
            "msg": message,
        }
        if extra:
            body.update(json.loads(extra))
        return [json.dumps(body)]


def fare_line(rng: random.Random) -> Line:
    roll = rng.random()
    zone = rng.choice(["A", "AB", "ABC", "B", "C"])
    if roll < 0.6:
        return (
            "INFO",
            "quote served|"
            + json.dumps(
                {
                    "route": rng.choice(["/v3/quote", "/v3/quote/batch", "/v3/products"]),
                    "zones": zone,
                    "product": rng.choice(["single", "day", "week", "month", "concession-day"]),
                    "status": 200,
                    "duration_ms": round(rng.lognormvariate(0, 0.5) * 6, 2),
                }
            ),
            (),
        )
    if roll < 0.8:
        return (
            "DEBUG",
            "rule cache hit|"
            + json.dumps(
                {"key": f"{zone}:{rng.randrange(1, 400)}", "age_s": rng.randrange(1, 900)}
            ),
            (),
        )
    if roll < 0.95:
        return (
            "INFO",
            "db pool stats|"
            + json.dumps(
                {
                    "open": rng.randrange(4, 12),
                    "in_use": rng.randrange(0, 4),
                    "idle": rng.randrange(3, 10),
                    "wait_count": 0,
                }
            ),
            (),
        )
    return (
        "WARN",
        "quote rejected|"
        + json.dumps(
            {"route": "/v3/quote", "status": 422, "reason": "travel date outside tariff validity"}
        ),
        (),
    )


def startup(minute: float, pod: str) -> list[Record]:
    lines = [
        (
            "INFO",
            "starting fare-engine|"
            + json.dumps({"version": "5.7.2", "commit": "c41e09ad", "pod": pod}),
            "cmd/fare-engine/main.go:54",
        ),
        (
            "INFO",
            "configuration loaded|"
            + json.dumps(
                {
                    "source": "env",
                    "keys": 14,
                    "tariff_region": "VRN",
                    "listen_addr": "127.0.0.1:8080",
                    "metrics_addr": "0.0.0.0:9102",
                }
            ),
            "config/load.go:97",
        ),
        (
            "INFO",
            "connected to postgres|"
            + json.dumps({"host": "10.40.0.12", "db": "tariffs", "max_open": 12}),
            "store/pg.go:41",
        ),
        (
            "INFO",
            "fare rules loaded|" + json.dumps({"rules": 18234, "zones": 212, "took_ms": 1840}),
            "rules/loader.go:133",
        ),
        (
            "INFO",
            "metrics server listening|" + json.dumps({"addr": "0.0.0.0:9102"}),
            "telemetry/metrics.go:29",
        ),
        (
            "INFO",
            "http server listening|"
            + json.dumps({"addr": "127.0.0.1:8080", "read_timeout": "5s", "write_timeout": "10s"}),
            "server/server.go:71",
        ),
        (
            "INFO",
            "fare-engine started|" + json.dumps({"startup_ms": 2417}),
            "cmd/fare-engine/main.go:112",
        ),
    ]
    return [
        Record(
            START + timedelta(minutes=minute, milliseconds=300 * index + 17),
            level,
            message,
            (),
            caller,
        )
        for index, (level, message, caller) in enumerate(lines)
    ]


def configmap() -> str:
    return """$ kubectl -n transit get configmap fare-engine-config -o yaml
apiVersion: v1
data:
  DB_HOST: 10.40.0.12
  DB_NAME: tariffs
  DB_POOL_MAX_OPEN: "12"
  LISTEN_ADDR: 127.0.0.1:8080
  LOG_LEVEL: info
  METRICS_ADDR: 0.0.0.0:9102
  QUOTE_CACHE_TTL: 15m
  RULES_RELOAD_INTERVAL: 10m
  TARIFF_REGION: VRN
kind: ConfigMap
metadata:
  annotations:
    argocd.argoproj.io/tracking-id: transit-config:/ConfigMap:transit/fare-engine-config
  creationTimestamp: "2025-03-11T09:41:27Z"
  labels:
    app.kubernetes.io/name: fare-engine
    app.kubernetes.io/part-of: ticketing
  name: fare-engine-config
  namespace: transit
  resourceVersion: "418820317"
  uid: 7c2e91b0-5d4f-4a83-b6e1-0f9a2c7d3e58

$ argocd app history transit-config | tail -4
ID   DATE                           REVISION
41   2026-01-19 16:02:51 +0100 CET  main (3b9e1f4)
42   2026-01-20 10:37:09 +0100 CET  main (a70c5d2)
43   2026-01-20 22:14:18 +0100 CET  main (e4d81c6)

$ git -C transit-config log -3 --format='%h %ad %s' --date=iso -- apps/fare-engine/
e4d81c6 2026-01-20 22:11:02 +0100 fare-engine: bind app to loopback, auth-proxy sidecar fronts :8443 (PLAT-2231)
a70c5d2 2026-01-20 10:35:44 +0100 fare-engine: RULES_RELOAD_INTERVAL 5m -> 10m
3b9e1f4 2026-01-19 16:01:30 +0100 fare-engine: enable quote cache (15m)

$ kubectl -n transit get deploy fare-engine -o jsonpath='{.spec.template.spec.containers[*].name}{"\\n"}'
fare-engine

$ kubectl -n transit get endpoints fare-engine
NAME          ENDPOINTS   AGE
fare-engine   <none>      312d

$ kubectl -n transit exec fare-engine-66b9d7c4f8-b8wcq -- wget -qO- -T 2 http://127.0.0.1:8080/readyz
ok
"""


def pods_wide() -> str:
    rows = [
        (pod, "0/1", "Running", restarts, age, ip, node, "<none>", "<none>")
        for pod, restarts, age, ip, node in zip(
            NEW_PODS,
            ["6 (2m ago)", "5 (4m ago)", "3 (3m ago)", "2 (1m ago)"],
            ["53m", "43m", "35m", "26m"],
            NEW_IPS,
            NEW_NODES,
            strict=True,
        )
    ]
    rows += [
        (
            "ticket-gateway-7f5c8d96b4-4lqhz",
            "1/1",
            "Running",
            "0",
            "5h12m",
            "10.52.6.52",
            NEW_NODES[0],
            "<none>",
            "<none>",
        ),
        (
            "ticket-gateway-7f5c8d96b4-wz9tc",
            "1/1",
            "Running",
            "0",
            "43m",
            "10.52.7.8",
            NEW_NODES[1],
            "<none>",
            "<none>",
        ),
        (
            "tariff-admin-5d9b6c7f84-q8kzn",
            "1/1",
            "Running",
            "0",
            "35m",
            "10.52.8.61",
            NEW_NODES[2],
            "<none>",
            "<none>",
        ),
        (
            "journey-planner-79c4b8d6f5-kp3xw",
            "1/1",
            "Running",
            "0",
            "26m",
            "10.52.9.90",
            NEW_NODES[3],
            "<none>",
            "<none>",
        ),
        (
            "journey-planner-79c4b8d6f5-s6tvd",
            "1/1",
            "Running",
            "0",
            "53m",
            "10.52.6.133",
            NEW_NODES[0],
            "<none>",
            "<none>",
        ),
    ]
    rows.sort()
    header = (
        "NAME",
        "READY",
        "STATUS",
        "RESTARTS",
        "AGE",
        "IP",
        "NODE",
        "NOMINATED NODE",
        "READINESS GATES",
    )
    return "$ kubectl -n transit get pods -o wide\n" + "\n".join(table(header, rows)) + "\n"


def describe(rng: random.Random) -> str:
    ip = NEW_IPS[0]
    pod = Pod(
        name=NEW_PODS[0],
        namespace="transit",
        node=NEW_NODES[0],
        app="fare-engine",
        ip=ip,
        start_time="Tue, 20 Jan 2026 23:02:04 +0000",
        containers=[
            Container(
                name="fare-engine",
                image="europe-west3-docker.pkg.dev/vrn-ticketing/apps/fare-engine:5.7.2",
                state=["Running", "  Started:      Tue, 20 Jan 2026 23:52:41 +0000"],
                last_state=[
                    "Terminated",
                    "  Reason:       Error",
                    "  Exit Code:    2",
                    "  Started:      Tue, 20 Jan 2026 23:44:58 +0000",
                    "  Finished:     Tue, 20 Jan 2026 23:46:31 +0000",
                ],
                ready=False,
                restarts=6,
                limits={"cpu": "2", "memory": "1Gi"},
                requests={"cpu": "500m", "memory": "512Mi"},
                probes=[
                    "Liveness:     tcp-socket :8080 delay=20s timeout=1s period=10s #success=1 #failure=6",
                    "Readiness:    http-get http://:8080/readyz delay=5s timeout=2s period=5s #success=1 #failure=3",
                ],
                environment=["GOMEMLIMIT:  900MiB"],
                port="8080/TCP, 9102/TCP",
            )
        ],
        conditions={
            "Initialized": "True",
            "Ready": "False",
            "ContainersReady": "False",
            "PodScheduled": "True",
        },
        events=[
            (
                "Normal",
                "Scheduled",
                "53m",
                "default-scheduler",
                f"Successfully assigned transit/{NEW_PODS[0]} to {NEW_NODES[0]}",
            ),
            (
                "Normal",
                "Pulled",
                "53m",
                "kubelet",
                'Container image "europe-west3-docker.pkg.dev/vrn-ticketing/apps/fare-engine:5.7.2" already present on machine',
            ),
            (
                "Normal",
                "Created",
                "2m41s (x7 over 53m)",
                "kubelet",
                "Created container fare-engine",
            ),
            (
                "Normal",
                "Started",
                "2m41s (x7 over 53m)",
                "kubelet",
                "Started container fare-engine",
            ),
            (
                "Warning",
                "Unhealthy",
                "2m (x420 over 53m)",
                "kubelet",
                f'Readiness probe failed: Get "http://{ip}:8080/readyz": dial tcp {ip}:8080: connect: connection refused',
            ),
            (
                "Warning",
                "Unhealthy",
                "71s (x38 over 52m)",
                "kubelet",
                f"Liveness probe failed: dial tcp {ip}:8080: connect: connection refused",
            ),
            (
                "Normal",
                "Killing",
                "8m52s (x6 over 51m)",
                "kubelet",
                "Container fare-engine failed liveness probe, will be restarted",
            ),
        ],
    )
    text = describe_pod(pod, rng)
    text = text.replace(
        "    Environment:\n      GOMEMLIMIT:  900MiB\n",
        "    Environment Variables from:\n      fare-engine-config  ConfigMap  Optional: false\n    Environment:\n      GOMEMLIMIT:  900MiB\n",
    )
    return f"$ kubectl -n transit describe pod {NEW_PODS[0]}\n" + text


def bundle() -> Bundle:
    rng = random.Random(48811)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    fare = LogFile("logs/fare-engine.log", ZapFields(rng))
    listen = START + timedelta(minutes=DRAINS[0] + 0.05, milliseconds=300 * 5 + 17)
    first_listen = round(listen.timestamp(), 3)
    fare.add(traffic(rng, fare_line, START, EMPTY, 3600))
    fare.add(
        [
            at(
                START,
                37.5,
                "WARN",
                "fare rule references retired zone, skipped|"
                + json.dumps({"rule": "VRN-KZ-118", "zone": "K7"}),
                logger="rules/loader.go:161",
            ),
            at(
                START,
                97.5,
                "WARN",
                "fare rule references retired zone, skipped|"
                + json.dumps({"rule": "VRN-KZ-118", "zone": "K7"}),
                logger="rules/loader.go:161",
            ),
        ]
    )
    restarts = {NEW_PODS[0]: 6, NEW_PODS[1]: 5, NEW_PODS[2]: 3, NEW_PODS[3]: 2}
    for drain, pod in zip(DRAINS, NEW_PODS, strict=True):
        fare.add(startup(drain + 0.05, pod))
        for number in range(restarts[pod]):
            moment = drain + 1.7 + number * ((total - drain - 2) / max(1, restarts[pod]))
            fare.add(
                [
                    Record(
                        START + timedelta(minutes=moment - 0.01),
                        "INFO",
                        "received signal, shutting down|"
                        + json.dumps({"signal": "terminated", "pod": pod}),
                        (),
                        "cmd/fare-engine/main.go:131",
                    ),
                    *startup(moment + 0.02, pod),
                ]
            )

    gateway = LogFile(
        "logs/ticket-gateway.log",
        SpringBoot(
            (
                "d.v.t.gateway.CheckoutController",
                "d.v.t.gateway.FareClient",
                "d.v.t.gateway.SessionService",
                "com.zaxxer.hikari.pool.HikariPool",
            ),
            rng=rng,
            zone=CET,
        ),
    )
    gateway.add(
        traffic(
            rng, web_api("ticket-gateway", ["checkout", "tickets", "baskets"]), START, total, 4200
        )
    )
    gateway.add(
        [
            at(
                START,
                63.0,
                "WARN",
                "HikariPool-1 - Thread starvation or clock leap detected (housekeeper delta=1m2s).",
                logger="com.zaxxer.hikari.pool.HikariPool",
            ),
        ]
    )
    gateway.add(
        loud(
            rng,
            START,
            DRAINS[0] + 1,
            EMPTY - DRAINS[0] - 1,
            160,
            lambda r: (
                "WARN",
                f"fare quote took {r.randrange(1200, 4800)}ms (budget 800ms) basket={r.getrandbits(40):010x}",
                (),
            ),
        )
    )
    refused = java_trace(
        'org.springframework.web.client.ResourceAccessException: I/O error on POST request for "http://fare-engine.transit.svc.cluster.local:8080/v3/quote": Connection refused',
        [
            "org.springframework.web.client.RestTemplate.createResourceAccessException(RestTemplate.java:905)",
            "org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:885)",
            "org.springframework.web.client.RestTemplate.postForObject(RestTemplate.java:483)",
            "de.vrn.ticketing.gateway.FareClient.quote(FareClient.java:77)",
            "de.vrn.ticketing.gateway.CheckoutController.confirm(CheckoutController.java:142)",
        ],
        caused_by=[
            "java.net.ConnectException: Connection refused",
            "java.base/sun.nio.ch.Net.pollConnect(Native Method)",
            "java.base/sun.nio.ch.NioSocketImpl.timedFinishConnect(NioSocketImpl.java:554)",
            "java.base/java.net.Socket.connect(Socket.java:751)",
        ],
        more=61,
    )
    gateway.add(
        loud(
            rng,
            START,
            EMPTY + 0.05,
            total - EMPTY - 0.1,
            380,
            lambda r: (
                "ERROR",
                f"checkout failed basket={r.getrandbits(40):010x}: fare service unavailable",
                tuple(refused) if r.random() < 0.25 else (),
            ),
        )
    )

    routine = routine_events(
        rng,
        ["journey-planner", "tariff-admin", "ticket-gateway"],
        16,
        NEW_NODES,
        namespace="transit",
    )
    signal: list[tuple[int, tuple[str, str, str, str]]] = []
    for drain, old, new, old_node, new_node, ip in zip(
        DRAINS, OLD_PODS, NEW_PODS, NODES, NEW_NODES, NEW_IPS, strict=True
    ):
        signal += [
            (
                ago(drain - 0.2),
                (
                    "Normal",
                    "NodeNotSchedulable",
                    f"node/{old_node}",
                    f"Node {old_node} status is now: NodeNotSchedulable",
                ),
            ),
            (ago(drain), ("Normal", "Killing", f"pod/{old}", "Stopping container fare-engine")),
            (
                ago(drain),
                (
                    "Normal",
                    "SuccessfulCreate",
                    "replicaset/fare-engine-66b9d7c4f8",
                    f"Created pod: {new}",
                ),
            ),
            (
                ago(drain) - 1,
                (
                    "Normal",
                    "Scheduled",
                    f"pod/{new}",
                    f"Successfully assigned transit/{new} to {new_node}",
                ),
            ),
            (ago(drain) - 3, ("Normal", "Started", f"pod/{new}", "Started container fare-engine")),
            (
                90,
                (
                    "Warning",
                    "Unhealthy",
                    f"pod/{new}",
                    f'Readiness probe failed: Get "http://{ip}:8080/readyz": dial tcp {ip}:8080: connect: connection refused',
                ),
            ),
            (
                75,
                (
                    "Warning",
                    "BackOff",
                    f"pod/{new}",
                    "Back-off restarting failed container fare-engine in pod "
                    + f"{new}_transit({rng.getrandbits(128):032x})",
                ),
            ),
        ]
    signal += [
        (
            ago(EDIT - 5),
            (
                "Warning",
                "FailedMount",
                "pod/tariff-export-29479740-7wq2c",
                'MountVolume.SetUp failed for volume "export-creds" : secret "tariff-export-sftp" not found',
            ),
        ),
    ]
    events = "$ kubectl -n transit get events --sort-by=.lastTimestamp\n" + event_listing(
        routine, signal
    )

    upgrade = "\n".join(
        [
            "$ gcloud container operations list --filter='targetLink~transit-prod' --sort-by=~startTime --limit 3",
            "NAME                               TYPE              LOCATION      TARGET  STATUS_MESSAGE  STATUS   START_TIME                      END_TIME",
            "operation-1768950120458-b2c7e1f9   UPGRADE_NODES     europe-west3  pool-b                  RUNNING  2026-01-20T23:02:00.458Z",
            "operation-1768928411093-4d0a9c6e   SET_LABELS        europe-west3  pool-c                  DONE     2026-01-20T17:00:11.093Z  2026-01-20T17:00:14.201Z",
            "operation-1768862990771-9e3f5b28   UPDATE_CLUSTER    europe-west3  transit-prod            DONE     2026-01-19T22:49:50.771Z  2026-01-19T22:58:02.640Z",
            "",
        ]
    )

    return Bundle(
        question="Since about 00:26 CET ticket checkout fails with 'fare service unavailable'. The fare-engine pods are Running but 0/1 ready and keep restarting, and their logs say they started fine. The node pool upgrade started at midnight. What is the root cause?",
        category="configuration",
        component="fare-engine",
        statement="ConfigMap fare-engine-config was edited at 21:14 UTC to set LISTEN_ADDR=127.0.0.1:8080 (for an auth-proxy sidecar that was never deployed); every fare-engine pod recreated by the node-pool drain from 23:02 binds its HTTP server to loopback only, so kubelet probes and the Service's traffic to the pod IP are refused, the pods never become ready and from 23:26 ticket-gateway's calls are refused.",
        files={
            "kubectl-get-pods.txt": pods_wide(),
            "kubectl-describe-pod.txt": describe(rng),
            "kubectl-get-events.txt": events,
            "fare-engine-config.txt": configmap(),
            "gke-operations.txt": upgrade,
            fare.name: fare.render(),
            gateway.name: gateway.render(),
        },
        proofs=[
            Proof("fare-engine-config.txt", "  LISTEN_ADDR: 127.0.0.1:8080"),
            Proof(
                "fare-engine-config.txt",
                "e4d81c6 2026-01-20 22:11:02 +0100 fare-engine: bind app to loopback",
            ),
            Proof(fare.name, f'"ts": {first_listen}, "caller": "server/server.go:71"'),
            Proof("kubectl-describe-pod.txt", "Readiness probe failed: Get"),
        ],
        decoys=[
            "UPGRADE_NODES",
            "fare rule references retired zone",
            "Thread starvation or clock leap detected",
            'secret "tariff-export-sftp" not found',
        ],
    )
