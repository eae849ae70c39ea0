# ruff: noqa: E501
# kubectl output, tracebacks and hand-written log lines are data, kept whole on one line.
"""Kubernetes: shipment-router's chart 5.2.0 (applied 09:41 Europe/Berlin, 07:41 UTC) added
`automountServiceAccountToken: false` to the pod template to satisfy a security lint, but the
service uses the in-cluster Kubernetes client to discover its carrier adapters; the new pods
have no token, `load_incluster_config()` raises `ConfigException: Service token file does not
exist.`, and they crash-loop. With the old ReplicaSet scaled down, orders' calls to
shipment-router fail with 503. Decoys: orders' slow Postgres query, an old ImagePullBackOff of
label-printer, and a one-off DNS timeout in orders."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events
from records import JsonLines, PythonLogging
from scenes import at, fixed, loud, python_traceback
from traffic import traffic, web_api

BERLIN = timezone(timedelta(hours=2))
START = datetime(2026, 6, 23, 6, 50, tzinfo=UTC)
NOW = datetime(2026, 6, 23, 8, 35, tzinfo=UTC)
RELEASE = 51.0  # 07:41 UTC
NODES = [
    "aks-general-31907422-vmss000004",
    "aks-general-31907422-vmss000007",
    "aks-general-31907422-vmss00000a",
]
TRACE = python_traceback(
    [
        ("/app/router/__main__.py", 14, "<module>", "main()"),
        (
            "/app/router/app.py",
            88,
            "main",
            "registry = CarrierRegistry.from_cluster(settings.namespace)",
        ),
        ("/app/router/discovery.py", 31, "from_cluster", "config.load_incluster_config()"),
        (
            "/usr/local/lib/python3.12/site-packages/kubernetes/config/incluster_config.py",
            121,
            "load_incluster_config",
            "InClusterConfigLoader(",
        ),
        (
            "/usr/local/lib/python3.12/site-packages/kubernetes/config/incluster_config.py",
            54,
            "load_and_set",
            "self._load_config()",
        ),
        (
            "/usr/local/lib/python3.12/site-packages/kubernetes/config/incluster_config.py",
            73,
            "_load_config",
            'raise ConfigException("Service token file does not exist.")',
        ),
    ],
    "kubernetes.config.config_exception.ConfigException: Service token file does not exist.",
)


def bundle() -> Bundle:
    rng = random.Random(2400)
    total = (NOW - START).total_seconds() / 60
    previous = LogFile(
        "logs/shipment-router-previous.log",
        PythonLogging(("router.app", "router.discovery"), rng=rng),
    )
    crash = NOW - timedelta(minutes=2, seconds=41)
    previous.add(
        [
            at(
                crash,
                0,
                "INFO",
                "shipment-router 5.2.0 starting (gunicorn 22.0.0, 4 workers)",
                logger="router.app",
            ),
            at(
                crash,
                0.01,
                "INFO",
                "discovering carrier adapters in namespace logistics (label carrier.example.io/adapter=true)",
                logger="router.discovery",
            ),
            at(
                crash,
                0.02,
                "ERROR",
                "could not build carrier registry, exiting",
                trailer=TRACE,
                logger="router.app",
            ),
        ]
    )
    orders = LogFile("logs/orders.log", JsonLines("orders", zone=BERLIN, rng=rng))
    orders.add(
        traffic(rng, web_api("orders", ["orders", "shipments", "customers"]), START, total, 4200)
    )
    orders.add(
        [
            at(
                START,
                12.4,
                "WARN",
                "slow query 1.9s: UPDATE orders SET status = 'packed' WHERE warehouse_id = $1 AND status = 'picking' (rows=3120)",
            ),
            at(
                START,
                70.3,
                "WARN",
                "lookup shipment-router.logistics.svc.cluster.local on 10.0.0.10:53: read udp 10.244.3.17:41022->10.0.0.10:53: i/o timeout (retry 1 ok)",
            ),
        ]
    )
    orders.add(
        loud(
            rng,
            START,
            RELEASE + 1.5,
            total - RELEASE - 2,
            980,
            fixed(
                "ERROR",
                lambda r: (
                    f"POST http://shipment-router.logistics.svc.cluster.local/v1/routes failed: 503 Service Unavailable (no healthy upstream) order={r.randrange(10**7, 10**8)}"
                ),
            ),
        )
    )
    orders.add(
        loud(
            rng,
            START,
            RELEASE + 2,
            total - RELEASE - 3,
            260,
            fixed(
                "WARN",
                lambda r: (
                    f"order {r.randrange(10**7, 10**8)} left in state packed: shipment routing unavailable, will retry in 300s"
                ),
            ),
        )
    )

    pod = Pod(
        name="shipment-router-6b84d9c7f5-mz2tq",
        namespace="logistics",
        node=NODES[1],
        app="shipment-router",
        ip="10.244.5.66",
        start_time="Tue, 23 Jun 2026 07:41:20 +0000",
        service_account="shipment-router",
        containers=[
            Container(
                "shipment-router",
                "acrlogisticsprod.azurecr.io/shipment-router:5.2.0",
                state=["Waiting", "  Reason:       CrashLoopBackOff"],
                last_state=[
                    "Terminated",
                    "  Reason:       Error",
                    "  Exit Code:    1",
                    "  Started:      Tue, 23 Jun 2026 08:32:18 +0000",
                    "  Finished:     Tue, 23 Jun 2026 08:32:21 +0000",
                ],
                ready=False,
                restarts=15,
                limits={"memory": "512Mi"},
                requests={"cpu": "200m", "memory": "384Mi"},
                probes=[
                    "Readiness:      http-get http://:8000/healthz delay=0s timeout=1s period=10s #success=1 #failure=3"
                ],
                environment=[
                    "POD_NAMESPACE:  logistics (v1:metadata.namespace)",
                    "CARRIER_LABEL:  carrier.example.io/adapter=true",
                ],
                port="8000/TCP",
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
                "54m",
                "default-scheduler",
                f"Successfully assigned logistics/shipment-router-6b84d9c7f5-mz2tq to {NODES[1]}",
            ),
            (
                "Normal",
                "Pulled",
                "54m",
                "kubelet",
                'Successfully pulled image "acrlogisticsprod.azurecr.io/shipment-router:5.2.0" in 3.902s (3.902s including waiting). Image size: 61210944 bytes.',
            ),
            (
                "Normal",
                "Created",
                "2m45s (x16 over 54m)",
                "kubelet",
                "Created container shipment-router",
            ),
            (
                "Normal",
                "Started",
                "2m44s (x16 over 54m)",
                "kubelet",
                "Started container shipment-router",
            ),
            (
                "Warning",
                "BackOff",
                "12s (x231 over 53m)",
                "kubelet",
                "Back-off restarting failed container shipment-router in pod shipment-router-6b84d9c7f5-mz2tq_logistics(5b0e7a31-9c2d-4f18-a6e4-0d7c2b91f3a8)",
            ),
        ],
    )
    text = describe_pod(pod, rng)
    # No token is mounted: drop the projected service-account volume and its mount.
    kept: list[str] = []
    skip = False
    for line in text.split("\n"):
        if "/var/run/secrets/kubernetes.io/serviceaccount from" in line:
            if kept and kept[-1] == "    Mounts:":
                kept[-1] = "    Mounts:         <none>"
            continue
        if line.startswith("  kube-api-access-"):
            skip = True
            continue
        if skip and line.startswith("    "):
            continue
        skip = False
        kept.append("Volumes:                     <none>" if line == "Volumes:" else line)
    describe = "\n".join(kept)

    yaml = "\n".join(
        [
            "$ kubectl -n logistics get deploy shipment-router -o yaml | sed -n '/^  template:/,/^status:/p' | head -24",
            "  template:",
            "    metadata:",
            "      annotations:",
            '        kubectl.kubernetes.io/restartedAt: "2026-06-02T10:14:51Z"',
            "      labels:",
            "        app: shipment-router",
            "        app.kubernetes.io/version: 5.2.0",
            "    spec:",
            "      automountServiceAccountToken: false",
            "      containers:",
            "      - env:",
            "        - name: POD_NAMESPACE",
            "          valueFrom:",
            "            fieldRef:",
            "              fieldPath: metadata.namespace",
            "        - name: CARRIER_LABEL",
            "          value: carrier.example.io/adapter=true",
            "        image: acrlogisticsprod.azurecr.io/shipment-router:5.2.0",
            "        name: shipment-router",
            "      securityContext:",
            "        runAsNonRoot: true",
            "        seccompProfile:",
            "          type: RuntimeDefault",
            "      serviceAccountName: shipment-router",
            "",
            "$ kubectl -n logistics get pods -l app=shipment-router",
            "NAME                               READY   STATUS             RESTARTS        AGE",
            "shipment-router-6b84d9c7f5-mz2tq   0/1     CrashLoopBackOff   15 (2m45s ago)   54m",
            "shipment-router-6b84d9c7f5-w7cxk   0/1     CrashLoopBackOff   15 (3m2s ago)    54m",
            "",
        ]
    )

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    routine = routine_events(
        rng,
        ["orders", "carrier-dhl-adapter", "carrier-ups-adapter"],
        18,
        NODES,
        namespace="logistics",
    )
    signal = [
        (
            ago(9),
            (
                "Warning",
                "Failed",
                "pod/label-printer-5c7f9d8b6-q2kdv",
                'Failed to pull image "acrlogisticsprod.azurecr.io/label-printer:2.0.0-rc1": rpc error: code = NotFound desc = failed to pull and unpack image "acrlogisticsprod.azurecr.io/label-printer:2.0.0-rc1": not found',
            ),
        ),
        (
            ago(8.5),
            (
                "Normal",
                "BackOff",
                "pod/label-printer-5c7f9d8b6-q2kdv",
                'Back-off pulling image "acrlogisticsprod.azurecr.io/label-printer:2.0.0-rc1"',
            ),
        ),
        (
            ago(RELEASE),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/shipment-router",
                "Scaled up replica set shipment-router-6b84d9c7f5 to 1",
            ),
        ),
        (
            ago(RELEASE + 0.4),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/shipment-router",
                "Scaled down replica set shipment-router-7f9c5d6b48 to 1 from 2",
            ),
        ),
        (
            ago(RELEASE + 0.5),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/shipment-router",
                "Scaled up replica set shipment-router-6b84d9c7f5 to 2 from 1",
            ),
        ),
        (
            ago(RELEASE + 9),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/shipment-router",
                "Scaled down replica set shipment-router-7f9c5d6b48 to 0 from 1",
            ),
        ),
        (
            ago(RELEASE + 10),
            (
                "Warning",
                "BackOff",
                "pod/shipment-router-6b84d9c7f5-w7cxk",
                "Back-off restarting failed container shipment-router in pod shipment-router-6b84d9c7f5-w7cxk_logistics(e41c2d09-7a3b-4c6e-8f15-93b0d6a2c7e4)",
            ),
        ),
    ]
    events = event_listing(routine, signal)
    return Bundle(
        question="Orders are stuck in 'packed' since about 09:45 Berlin time and orders logs 503s from shipment-router. What broke?",
        category="configuration",
        component="shipment-router",
        statement="shipment-router 5.2.0, rolled out at 07:41 UTC (09:41 Berlin), sets automountServiceAccountToken: false in its pod template, but the service loads the in-cluster Kubernetes config; with no token mounted it exits with `ConfigException: Service token file does not exist.` and crash-loops, so orders' routing calls get 503.",
        files={
            "kubectl-describe-pod.txt": describe,
            "kubectl-get.txt": yaml,
            "kubectl-get-events.txt": events,
            "logs/shipment-router-previous.log": previous.render(),
            "logs/orders.log": orders.render(),
        },
        proofs=[
            Proof("kubectl-get.txt", "automountServiceAccountToken: false"),
            Proof(
                "logs/shipment-router-previous.log",
                "ConfigException: Service token file does not exist.",
            ),
        ],
        decoys=[
            "slow query 1.9s: UPDATE orders",
            'label-printer:2.0.0-rc1": not found',
            "read udp 10.244.3.17:41022->10.0.0.10:53: i/o timeout",
        ],
    )
