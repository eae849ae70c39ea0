# ruff: noqa: E501
# Hand-written log lines and kubectl rows are data, kept whole on one line.
"""recommendations' readiness probe times out while it warms a model; pods never become ready."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events
from records import PythonLogging
from scenes import at, fixed, loud
from traffic import traffic, web_api

START = datetime(2025, 6, 2, 8, 0, tzinfo=UTC)
NODES = ["gke-prod-pool-1-4f2a", "gke-prod-pool-1-9c1d", "gke-prod-pool-2-07be"]


def bundle() -> Bundle:
    rng = random.Random(129)
    pod_name = "recommendations-5f9c7d8b6-j8xkt"
    container = Container(
        name="recommendations",
        image="registry.example.com/shop/recommendations:3.0.1",
        state=["Running", "  Started:      Mon, 02 Jun 2025 08:02:11 +0000"],
        ready=False,
        restarts=0,
        limits={"cpu": "2", "memory": "4Gi"},
        requests={"cpu": "1", "memory": "3Gi"},
        probes=[
            "Readiness:    http-get http://:8080/ready delay=5s timeout=1s period=10s #success=1 #failure=3"
        ],
        environment=[
            "MODEL_URI:  gs://shop-models/recs/v3.0/model.pt",
            "WARMUP_ON_READY_CHECK:  true",
        ],
    )
    pod = Pod(
        name=pod_name,
        namespace="shop",
        node=NODES[0],
        app="recommendations",
        containers=[container],
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
                "24m",
                "default-scheduler",
                f"Successfully assigned shop/{pod_name} to {NODES[0]}",
            ),
            ("Normal", "Started", "24m", "kubelet", "Started container recommendations"),
            (
                "Warning",
                "Unhealthy",
                "19s (x142 over 23m)",
                "kubelet",
                'Readiness probe failed: Get "http://10.8.2.17:8080/ready": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
            ),
        ],
    )
    app = LogFile(
        "recommendations.log",
        PythonLogging(("recs.server", "recs.model", "recs.health", "uvicorn.access"), rng),
    )
    app.add(traffic(rng, web_api("recommendations", ["recs", "similar-items"]), START, 30, 599))
    app.add(
        [
            at(
                START,
                2.3,
                "INFO",
                "readiness check triggers model warm-up: loading gs://shop-models/recs/v3.0/model.pt (2.7 GiB) synchronously in the request handler",
                logger="recs.health",
            )
        ]
    )
    app.add(
        loud(
            rng,
            START,
            2.4,
            27,
            145,
            fixed(
                "INFO",
                lambda r: (
                    f'10.8.2.1:{r.randrange(30000, 60000)} - "GET /ready HTTP/1.1" 503 Service Unavailable (warm-up {r.randrange(1, 60)}% after {r.randrange(1, 30)}s)'
                ),
            ),
        )
    )
    routine = routine_events(rng, ["catalog", "search", "cart", "orders", "frontend"], 686, NODES)
    signal = [
        (
            1400,
            (
                "Warning",
                "Unhealthy",
                f"pod/{pod_name}",
                'Readiness probe failed: Get "http://10.8.2.17:8080/ready": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
            ),
        )
    ]
    home = LogFile("frontend.log", PythonLogging(("frontend.views",), rng))
    home.add(traffic(rng, web_api("frontend", ["home", "product"]), START, 30, 342))
    home.add(
        loud(
            rng,
            START,
            3,
            27,
            170,
            fixed(
                "ERROR",
                lambda r: (
                    f"recommendations unavailable (no ready endpoints for service shop/recommendations), rendering fallback carousel for user {r.randrange(10**5)}"
                ),
            ),
        )
    )
    return Bundle(
        question="The recommendations 3.0.1 pods run but never become Ready. Why?",
        category="scheduling",
        component="recommendations",
        statement="recommendations' readiness probe (timeout 1s) fails because the /ready handler loads a 2.7 GiB model synchronously, so the pods never become Ready and receive no traffic.",
        files={
            "describe-pod.txt": describe_pod(pod, rng),
            "events.txt": event_listing(routine, signal),
            "recommendations.log": app.render(),
            "frontend.log": home.render(),
        },
        proofs=[
            Proof("describe-pod.txt", "Readiness probe failed"),
            Proof("recommendations.log", "readiness check triggers model warm-up"),
        ],
        decoys=["rendering fallback carousel"],
    )
