# ruff: noqa: E501
# kubectl rows and hand-written log lines are data, kept whole on one line.
"""Kubernetes: at 09:02 UTC someone ran `kubectl edit` on ConfigMap `dispatch-router-rules` to add
a zone, and indented one line of the rules file with a tab. dispatch-router reads the mounted
file only at start-up, so the running pods kept their parsed rules and nothing happened. At
11:31 the node-pool upgrade began draining nodes; each recreated pod dies at start-up with
`yaml: line 47: found character that cannot start any token` and goes into CrashLoopBackOff,
leaving one old pod on the last un-upgraded node to carry all traffic: dispatch-api's calls
time out and get 503s. `kubectl get configmap -o yaml` prints the data as a quoted string
because of the tab (`\\t`). Decoys: the node-pool upgrade (it only triggered the restarts),
the overloaded survivor's queue warnings, and an HPA that cannot read metrics."""

import json
import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events, table
from records import Logfmt, Record, Zap
from scenes import fixed, loud
from traffic import Line, traffic

NOW = datetime(2025, 5, 6, 12, 14, tzinfo=UTC)
EDIT = datetime(2025, 5, 6, 9, 2, 41, tzinfo=UTC)
DRAIN = datetime(2025, 5, 6, 11, 31, tzinfo=UTC)
NODES = [
    "gke-ops-prod-pool-b-5d2e8c1a-7hqm",
    "gke-ops-prod-pool-b-5d2e8c1a-k2vt",
    "gke-ops-prod-pool-b-5d2e8c1a-r9xn",
]
OLD_POD = "dispatch-router-6d8f7b9c54-wq4zt"
NEW_PODS = [
    "dispatch-router-6d8f7b9c54-2bkfx",
    "dispatch-router-6d8f7b9c54-m7cps",
    "dispatch-router-6d8f7b9c54-tz8vh",
]


def rules_file() -> str:
    lines = ["version: 3", "default_zone: central", "zones:"]
    zones = [
        ("central", "depot-cgn-01", 14, 52.0),
        ("north", "depot-ham-02", 12, 48.5),
        ("west", "depot-dus-01", 12, 44.0),
        ("south", "depot-muc-03", 16, 61.0),
        ("east", "depot-lej-01", 10, 39.5),
    ]
    for name, depot, stops, km in zones:
        lines += [
            f"  - name: {name}",
            f"    depot: {depot}",
            f"    max_stops: {stops}",
            f"    max_route_km: {km}",
            "    vehicle_classes: [van, cargo-bike]",
            "    windows:",
            '      - {from: "07:00", to: "12:00"}',
            '      - {from: "13:00", to: "19:00"}',
        ]
    lines += [
        "  - name: east-2",
        "    depot: depot-drs-01",
        "    max_stops: 10",
        "\tmax_route_km: 42.0",
        "    vehicle_classes: [van]",
        "    windows:",
        '      - {from: "08:00", to: "18:00"}',
        "surcharge:",
        "  express: 4.90",
        "  same_day: 9.90",
    ]
    assert lines[46].startswith("\t"), lines[46]
    return "\n".join(lines) + "\n"


def configmap() -> str:
    data = json.dumps(rules_file())
    return "\n".join(
        [
            "$ kubectl get configmap dispatch-router-rules -n logistics -o yaml",
            "apiVersion: v1",
            "data:",
            f"  rules.yaml: {data}",
            "kind: ConfigMap",
            "metadata:",
            '  creationTimestamp: "2024-10-02T08:14:55Z"',
            "  labels:",
            "    app: dispatch-router",
            "  name: dispatch-router-rules",
            "  namespace: logistics",
            '  resourceVersion: "418837612"',
            "  uid: 5c0e2b7d-91f3-4a86-b2de-03f6a4c1e9b8",
            "",
        ]
    )


def describe(rng: random.Random) -> str:
    pod = Pod(
        name=NEW_PODS[1],
        namespace="logistics",
        node=NODES[0],
        app="dispatch-router",
        start_time="Tue, 06 May 2025 11:33:12 +0000",
        ip="10.52.1.37",
        containers=[
            Container(
                name="dispatch-router",
                image="europe-west3-docker.pkg.dev/ops-prod/apps/dispatch-router:2.11.3",
                state=["Waiting", "  Reason:       CrashLoopBackOff"],
                last_state=[
                    "Terminated",
                    "  Reason:       Error",
                    "  Exit Code:    1",
                    "  Started:      Tue, 06 May 2025 12:09:44 +0000",
                    "  Finished:     Tue, 06 May 2025 12:09:44 +0000",
                ],
                ready=False,
                restarts=13,
                limits={"cpu": "1", "memory": "512Mi"},
                requests={"cpu": "250m", "memory": "256Mi"},
                probes=[
                    "Liveness:     http-get http://:8080/livez delay=10s timeout=1s period=10s #success=1 #failure=3",
                    "Readiness:    http-get http://:8080/readyz delay=3s timeout=1s period=5s #success=1 #failure=3",
                ],
                environment=["RULES_PATH:   /etc/dispatch/rules.yaml", "GOMAXPROCS:   1"],
            )
        ],
        conditions={
            "Initialized": "True",
            "Ready": "False",
            "ContainersReady": "False",
            "PodScheduled": "True",
        },
        volumes=[
            "  rules:",
            "    Type:      ConfigMap (a volume populated by a ConfigMap)",
            "    Name:      dispatch-router-rules",
            "    Optional:  false",
        ],
        events=[
            (
                "Normal",
                "Scheduled",
                "41m",
                "default-scheduler",
                f"Successfully assigned logistics/{NEW_PODS[1]} to {NODES[0]}",
            ),
            (
                "Normal",
                "Pulled",
                "39m (x5 over 41m)",
                "kubelet",
                'Container image "europe-west3-docker.pkg.dev/ops-prod/apps/dispatch-router:2.11.3" already present on machine',
            ),
            (
                "Normal",
                "Created",
                "39m (x5 over 41m)",
                "kubelet",
                "Created container dispatch-router",
            ),
            (
                "Normal",
                "Started",
                "39m (x5 over 41m)",
                "kubelet",
                "Started container dispatch-router",
            ),
            (
                "Warning",
                "BackOff",
                "71s (x182 over 40m)",
                "kubelet",
                f"Back-off restarting failed container dispatch-router in pod {NEW_PODS[1]}_logistics(0b7e6f0d-5a21-4c3e-9e1f-7d2c44a6b931)",
            ),
        ],
    )
    text = describe_pod(pod, rng)
    return text.replace("    Mounts:\n", "    Mounts:\n      /etc/dispatch from rules (ro)\n", 1)


def pods_listing() -> str:
    rows = [
        (OLD_POD, "1/1", "Running", "0", "6d2h", "10.52.2.19", NODES[2]),
        (NEW_PODS[0], "0/1", "CrashLoopBackOff", "13 (2m47s ago)", "42m", "10.52.0.61", NODES[1]),
        (NEW_PODS[1], "0/1", "CrashLoopBackOff", "13 (4m16s ago)", "41m", "10.52.1.37", NODES[0]),
        (NEW_PODS[2], "0/1", "CrashLoopBackOff", "12 (1m3s ago)", "38m", "10.52.1.40", NODES[0]),
        ("dispatch-api-5f6c8d7b9-8xw2r", "1/1", "Running", "0", "38m", "10.52.1.41", NODES[0]),
        ("dispatch-api-5f6c8d7b9-ld9qk", "1/1", "Running", "0", "41m", "10.52.0.58", NODES[1]),
        ("route-cache-0", "1/1", "Running", "0", "40m", "10.52.0.59", NODES[1]),
    ]
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
    body = [(*row, "<none>", "<none>") for row in rows]
    return "$ kubectl get pods -n logistics -o wide\n" + "\n".join(table(header, body)) + "\n"


def events(rng: random.Random) -> str:
    routine = routine_events(
        rng, ["dispatch-api", "geo-indexer", "eta-predictor"], 26, NODES, namespace="logistics"
    )
    ago = lambda time: int((NOW - time).total_seconds())  # noqa: E731
    signal = [
        (
            ago(DRAIN),
            (
                "Normal",
                "NodeNotSchedulable",
                f"node/{NODES[1]}",
                f"Node {NODES[1]} status is now: NodeNotSchedulable",
            ),
        ),
        (
            ago(DRAIN) - 20,
            (
                "Normal",
                "Killing",
                "pod/dispatch-router-6d8f7b9c54-hn5rd",
                "Stopping container dispatch-router",
            ),
        ),
        (
            ago(DRAIN) - 31,
            (
                "Normal",
                "SuccessfulCreate",
                "replicaset/dispatch-router-6d8f7b9c54",
                f"Created pod: {NEW_PODS[0]}",
            ),
        ),
        (
            ago(DRAIN) - 95,
            (
                "Normal",
                "NodeNotSchedulable",
                f"node/{NODES[0]}",
                f"Node {NODES[0]} status is now: NodeNotSchedulable",
            ),
        ),
        (
            ago(DRAIN) - 110,
            (
                "Normal",
                "Killing",
                "pod/dispatch-router-6d8f7b9c54-c4jzm",
                "Stopping container dispatch-router",
            ),
        ),
        (
            ago(DRAIN) - 121,
            (
                "Normal",
                "SuccessfulCreate",
                "replicaset/dispatch-router-6d8f7b9c54",
                f"Created pod: {NEW_PODS[1]}",
            ),
        ),
        (
            ago(DRAIN) - 290,
            (
                "Normal",
                "Killing",
                "pod/dispatch-router-6d8f7b9c54-f8wld",
                "Stopping container dispatch-router",
            ),
        ),
        (
            ago(DRAIN) - 301,
            (
                "Normal",
                "SuccessfulCreate",
                "replicaset/dispatch-router-6d8f7b9c54",
                f"Created pod: {NEW_PODS[2]}",
            ),
        ),
        (
            ago(DRAIN) - 900,
            (
                "Normal",
                "NodeReady",
                f"node/{NODES[1]}",
                f"Node {NODES[1]} status is now: NodeReady",
            ),
        ),
        (
            71,
            (
                "Warning",
                "BackOff",
                f"pod/{NEW_PODS[1]}",
                "Back-off restarting failed container dispatch-router in pod "
                + NEW_PODS[1]
                + "_logistics(0b7e6f0d-5a21-4c3e-9e1f-7d2c44a6b931)",
            ),
        ),
        (
            48,
            (
                "Warning",
                "BackOff",
                f"pod/{NEW_PODS[0]}",
                "Back-off restarting failed container dispatch-router in pod "
                + NEW_PODS[0]
                + "_logistics(7e41a9c2-0d3b-4f85-a6c7-1b9e2f5d8a04)",
            ),
        ),
        (
            33,
            (
                "Warning",
                "BackOff",
                f"pod/{NEW_PODS[2]}",
                "Back-off restarting failed container dispatch-router in pod "
                + NEW_PODS[2]
                + "_logistics(c3d95e17-84a2-4b6f-9f0e-5e7a1c2b6d48)",
            ),
        ),
        (
            20,
            (
                "Warning",
                "FailedGetResourceMetric",
                "horizontalpodautoscaler/dispatch-router",
                "failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API",
            ),
        ),
    ]
    return "$ kubectl get events -n logistics --sort-by=.lastTimestamp\n" + event_listing(
        routine, signal
    )


def router_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.7:
        return (
            "INFO",
            f"route planned zone={rng.choice(['central', 'north', 'west', 'south', 'east'])} stops={rng.randrange(3, 14)} km={rng.uniform(4, 40):.1f} took={rng.randrange(8, 90)}ms",
            (),
        )
    if roll < 0.9:
        return "DEBUG", f"served GET /readyz 200 in {rng.randrange(1, 3)}ms", ()
    return "INFO", f"reloaded traffic snapshot segments={rng.randrange(41000, 43000)}", ()


def router_busy(rng: random.Random) -> Line:
    return (
        "WARN",
        f"planner queue saturated depth={rng.randrange(180, 256)}/256, shedding request",
        (),
    )


def api_line(rng: random.Random) -> Line:
    return (
        "INFO",
        f"POST /v1/shipments/{rng.randrange(10**7)}/dispatch 202 {rng.randrange(20, 140)}ms",
        (),
    )


def api_failure(rng: random.Random) -> Line:
    if rng.random() < 0.6:
        return (
            "ERROR",
            f"dispatch failed shipment={rng.randrange(10**7)} err=Post http://dispatch-router.logistics.svc.cluster.local:8080/v1/plan: context deadline exceeded (Client.Timeout exceeded while awaiting headers)",
            (),
        )
    return (
        "ERROR",
        f"dispatch failed shipment={rng.randrange(10**7)} err=dispatch-router returned 503 Service Unavailable: planner overloaded",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(1140)
    start = NOW - timedelta(hours=3, minutes=30)
    drain_minute = (DRAIN - start).total_seconds() / 60
    total = (NOW - start).total_seconds() / 60
    crash = LogFile("logs/dispatch-router-previous.log", Zap(("router/main.go:58",), rng=rng))
    crash_start = datetime(2025, 5, 6, 12, 9, 44, 101000, tzinfo=UTC)
    crash.add(
        [
            Record(
                crash_start,
                "INFO",
                "starting dispatch-router version=2.11.3 commit=9e4c1d2 go=go1.22.3",
                (),
                "router/main.go:41",
            ),
            Record(
                crash_start + timedelta(milliseconds=2),
                "INFO",
                "loading routing rules path=/etc/dispatch/rules.yaml",
                (),
                "router/main.go:52",
            ),
            Record(
                crash_start + timedelta(milliseconds=3),
                "FATAL",
                "cannot load routing rules from /etc/dispatch/rules.yaml: yaml: line 47: found character that cannot start any token",
                (),
                "router/main.go:58",
            ),
        ]
    )
    old = LogFile(
        f"logs/{OLD_POD}.log",
        Zap(("planner/server.go:133", "planner/queue.go:77", "health/probe.go:29"), rng=rng),
    )
    old.add(traffic(rng, router_line, start, total, 2600))
    old.add(loud(rng, start, drain_minute + 6, total - drain_minute - 6.1, 380, router_busy))
    api = LogFile("logs/dispatch-api.log", Logfmt("dispatch-api", rng=rng))
    api.add(traffic(rng, api_line, start, total, 2300))
    api.add(loud(rng, start, drain_minute + 6.5, total - drain_minute - 6.6, 520, api_failure))
    api.add(
        traffic(
            rng,
            fixed(
                "WARN",
                lambda r: (
                    f"retrying dispatch shipment={r.randrange(10**7)} attempt=2 backoff=400ms"
                ),
            ),
            start + timedelta(minutes=drain_minute + 7),
            total - drain_minute - 7.1,
            260,
        )
    )
    notes = "\n".join(
        [
            "# dispatch delays - handover 12:14 UTC",
            "",
            "Drivers' apps show 'route not available' since late morning; dispatch-api error rate ~35%.",
            "",
            "Changes today (from #ops-changes):",
            "- 09:02 ops: dispatch-router rules, added zone east-2 (Dresden depot) with kubectl edit",
            "- 11:30 platform: GKE node pool pool-b upgrade 1.29.4 -> 1.29.8 started (surge 1, drains one node at a time)",
            "- 11:55 platform: upgrade paused after two nodes",
            "",
            "Attached: pods, events, describe of one crashing pod, its previous logs, the old pod's log, dispatch-api log, the rules ConfigMap.",
            "",
        ]
    )
    files = {
        "notes.md": notes,
        "kubectl-get-pods.txt": pods_listing(),
        "kubectl-get-events.txt": events(rng),
        "kubectl-describe-pod.txt": describe(rng),
        "configmap.yaml": configmap(),
        "logs/dispatch-router-previous.log": crash.render(),
        f"logs/{OLD_POD}.log": old.render(),
        "logs/dispatch-api.log": api.render(),
    }
    return Bundle(
        question="Since the node pool upgrade this morning dispatch is failing: three of the four dispatch-router pods keep crashing and dispatch-api times out. What is the root cause?",
        category="configuration",
        component="dispatch-router",
        statement="The 09:02 UTC kubectl edit of ConfigMap dispatch-router-rules indented line 47 of rules.yaml with a tab; dispatch-router reads the file only at start-up, so when the 11:31 node-pool drain recreated its pods each one exits with `yaml: line 47: found character that cannot start any token` (CrashLoopBackOff) and the single old pod is overloaded.",
        files=files,
        proofs=[
            Proof(
                "logs/dispatch-router-previous.log", "found character that cannot start any token"
            ),
            Proof("configmap.yaml", "rules.yaml: "),
        ],
        decoys=["NodeNotSchedulable", "planner queue saturated", "FailedGetResourceMetric"],
    )
