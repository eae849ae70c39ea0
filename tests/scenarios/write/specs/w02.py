# ruff: noqa: E501
# Hand-written log lines and kubectl rows are data, kept whole on one line.
"""The cart container is OOMKilled by its memory limit; the Node app logs only heap growth."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events
from records import Pino
from scenes import at, fixed, loud
from traffic import traffic, web_api

START = datetime(2024, 3, 12, 8, 40, tzinfo=UTC)
NODES = ["ip-10-0-3-17.ec2.internal", "ip-10-0-5-88.ec2.internal", "ip-10-0-1-203.ec2.internal"]


def bundle() -> Bundle:
    rng = random.Random(102)
    pod_name = "cart-6f7c9d8b4-q8z2m"
    cart = LogFile("cart.log", Pino("cart-6f7c9d8b4-q8z2m", rng))
    cart.add(traffic(rng, web_api("cart", ["carts", "cart-items", "wishlists"]), START, 60, 1164))
    for minute in (12, 24, 36, 48):
        cart.add(
            [
                at(
                    START,
                    minute,
                    "INFO",
                    f"server listening on 0.0.0.0:3000 (restart after exit, heapUsed={rng.randrange(40, 60)}MB)",
                )
            ]
        )
    cart.add(
        [
            at(
                START,
                minute - 0.4,
                "WARN",
                f"heap usage high: heapUsed={rng.randrange(400, 470)}MB rss={rng.randrange(490, 510)}MB",
            )
            for minute in (12, 24, 36, 48)
        ]
    )
    gateway_errors = loud(
        rng,
        START,
        12,
        46,
        143,
        fixed(
            "ERROR",
            lambda r: (
                f"redis connection lost: read ECONNRESET (command HGETALL cart:{r.getrandbits(40):010x}); reconnecting"
            ),
        ),
    )
    cart.add(gateway_errors)
    container = Container(
        name="cart",
        image="registry.example.com/shop/cart:3.4.2",
        state=["Waiting", "  Reason:       CrashLoopBackOff"],
        last_state=[
            "Terminated",
            "  Reason:       OOMKilled",
            "  Exit Code:    137",
            "  Started:      Tue, 12 Mar 2024 09:27:41 +0000",
            "  Finished:     Tue, 12 Mar 2024 09:39:02 +0000",
        ],
        ready=False,
        restarts=4,
        limits={"cpu": "1", "memory": "512Mi"},
        requests={"cpu": "250m", "memory": "256Mi"},
        probes=[
            "Liveness:     http-get http://:3000/healthz delay=10s timeout=1s period=10s #success=1 #failure=3",
            "Readiness:    http-get http://:3000/ready delay=5s timeout=1s period=5s #success=1 #failure=3",
        ],
        environment=[
            "NODE_ENV:           production",
            "NODE_OPTIONS:       --max-old-space-size=1024",
            "REDIS_URL:          redis://redis.shop:6379",
        ],
        port="3000/TCP",
    )
    pod = Pod(
        name=pod_name,
        namespace="shop",
        node=NODES[0],
        app="cart",
        containers=[container],
        status="Running",
        conditions={
            "Initialized": "True",
            "Ready": "False",
            "ContainersReady": "False",
            "PodScheduled": "True",
        },
        events=[
            (
                "Normal",
                "Pulled",
                "12m (x5 over 60m)",
                "kubelet",
                'Container image "registry.example.com/shop/cart:3.4.2" already present on machine',
            ),
            (
                "Warning",
                "Unhealthy",
                "11m (x9 over 58m)",
                "kubelet",
                'Readiness probe failed: Get "http://10.0.3.54:3000/ready": context deadline exceeded',
            ),
            (
                "Warning",
                "BackOff",
                "52s (x14 over 47m)",
                "kubelet",
                f"Back-off restarting failed container cart in pod {pod_name}_shop(5b1c7e0a-3f2d-4e7a-9c11-0d2b8f6a4e19)",
            ),
        ],
    )
    routine = routine_events(
        rng, ["catalog", "search", "checkout", "payments", "frontend", "orders"], 627, NODES
    )
    signal = [
        (
            3300,
            (
                "Warning",
                "Unhealthy",
                f"pod/{pod_name}",
                'Liveness probe failed: Get "http://10.0.3.54:3000/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
            ),
        ),
        (
            52,
            (
                "Warning",
                "BackOff",
                f"pod/{pod_name}",
                "Back-off restarting failed container cart in pod",
            ),
        ),
    ]
    return Bundle(
        question="cart keeps restarting and checkout sees connection resets, what is going on?",
        category="memory",
        component="cart",
        statement="The cart container exceeds its 512Mi memory limit and is OOMKilled (exit code 137), so it crash-loops.",
        files={
            "describe-pod.txt": describe_pod(pod, rng),
            "events.txt": event_listing(routine, signal),
            "cart.log": cart.render(),
        },
        proofs=[Proof("describe-pod.txt", "Reason:       OOMKilled", "Exit Code:    137")],
        decoys=[
            "Liveness probe failed",
            "redis connection lost: read ECONNRESET",
            "Readiness probe failed",
        ],
    )
