# ruff: noqa: E501
# Hand-written log lines and kubectl rows are data, kept whole on one line.
"""orders' new pods reference a ConfigMap key that was renamed; they never start."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events
from records import NginxAccess
from scenes import fixed, loud
from traffic import http_access, traffic

START = datetime(2024, 9, 16, 10, 0, tzinfo=UTC)
NODES = ["gke-prod-pool-1-4f2a", "gke-prod-pool-1-9c1d", "gke-prod-pool-2-07be"]


def bundle() -> Bundle:
    rng = random.Random(120)
    pod_name = "orders-85f6d9c7b-tz4lx"
    container = Container(
        name="orders",
        image="registry.example.com/shop/orders:5.2.0",
        state=["Waiting", "  Reason:       CreateContainerConfigError"],
        ready=False,
        restarts=0,
        limits={"cpu": "1", "memory": "1Gi"},
        requests={"cpu": "500m", "memory": "768Mi"},
        probes=[
            "Readiness:    http-get http://:8080/actuator/health/readiness delay=20s timeout=1s period=10s #success=1 #failure=3"
        ],
        environment=[
            "SPRING_PROFILES_ACTIVE:  prod",
            "DATABASE_URL:            <set to the key 'DATABASE_URL' of config map 'orders-config'>  Optional: false",
            "KAFKA_BROKERS:           <set to the key 'KAFKA_BROKERS' of config map 'orders-config'>  Optional: false",
        ],
    )
    pod = Pod(
        name=pod_name,
        namespace="shop",
        node=NODES[1],
        app="orders",
        containers=[container],
        status="Pending",
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
                "14m",
                "default-scheduler",
                f"Successfully assigned shop/{pod_name} to {NODES[1]}",
            ),
            (
                "Normal",
                "Pulled",
                "12m (x8 over 14m)",
                "kubelet",
                'Container image "registry.example.com/shop/orders:5.2.0" already present on machine',
            ),
            (
                "Warning",
                "Failed",
                "12m (x8 over 14m)",
                "kubelet",
                "Error: couldn't find key DATABASE_URL in ConfigMap shop/orders-config",
            ),
        ],
    )
    routine = routine_events(rng, ["catalog", "search", "cart", "frontend", "payments"], 960, NODES)
    signal = [
        (
            900,
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/orders",
                "Scaled up replica set orders-85f6d9c7b to 1",
            ),
        ),
        (
            840,
            (
                "Warning",
                "Failed",
                f"pod/{pod_name}",
                "Error: couldn't find key DATABASE_URL in ConfigMap shop/orders-config",
            ),
        ),
        (
            600,
            (
                "Warning",
                "FailedGetScale",
                "horizontalpodautoscaler/orders",
                'deployments/scale.apps "orders" not found',
            ),
        ),
    ]
    access = LogFile("ingress-access.log", NginxAccess(rng))
    access.add(
        traffic(
            rng, http_access(["/api/v1/orders/{id}", "/api/v1/catalog/{id}", "/"]), START, 30, 853
        )
    )
    access.add(
        loud(
            rng,
            START,
            16,
            14,
            128,
            fixed(
                "INFO",
                lambda r: (
                    f'"GET /api/v1/orders/{r.randrange(10**6)} HTTP/1.1" 503 190 "-" "okhttp/4.12.0" 0.00{r.randrange(1, 9)}'
                ),
            ),
        )
    )
    return Bundle(
        question="The orders 5.2.0 rollout is stuck and no new pod becomes ready. Why?",
        category="configuration",
        component="orders",
        statement="The orders pods reference key DATABASE_URL in ConfigMap shop/orders-config, which does not exist, so the container cannot be created (CreateContainerConfigError).",
        files={
            "describe-pod.txt": describe_pod(pod, rng),
            "events.txt": event_listing(routine, signal),
            "ingress-access.log": access.render(),
        },
        proofs=[
            Proof("describe-pod.txt", "Reason:       CreateContainerConfigError"),
            Proof("describe-pod.txt", "couldn't find key DATABASE_URL"),
        ],
        decoys=["FailedGetScale", " 503 190 "],
    )
