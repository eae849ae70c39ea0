# ruff: noqa: E501
# Hand-written log lines and kubectl rows are data, kept whole on one line.
"""search is scaled out but the cluster has no CPU left to place the new pods; they stay Pending."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events
from records import JsonLines
from scenes import fixed, loud
from traffic import traffic, web_api

START = datetime(2025, 4, 7, 12, 0, tzinfo=UTC)
NODES = [
    "ip-10-1-1-21.eu-west-1.compute.internal",
    "ip-10-1-2-45.eu-west-1.compute.internal",
    "ip-10-1-3-9.eu-west-1.compute.internal",
]


def bundle() -> Bundle:
    rng = random.Random(127)
    pod_name = "search-5d8f7b6c94-r7wnd"
    container = Container(
        name="search",
        image="registry.example.com/shop/search:7.1.3",
        state=[],
        ready=False,
        limits={"cpu": "4", "memory": "8Gi"},
        requests={"cpu": "3", "memory": "6Gi"},
        port="9200/TCP",
    )
    pod = Pod(
        name=pod_name,
        namespace="shop",
        node="",
        app="search",
        containers=[container],
        status="Pending",
        conditions={"PodScheduled": "False"},
        events=[
            (
                "Warning",
                "FailedScheduling",
                "3m12s (x17 over 18m)",
                "default-scheduler",
                "0/6 nodes are available: 6 Insufficient cpu. preemption: 0/6 nodes are available: 6 No preemption victims found for incoming pod.",
            )
        ],
    )
    routine = routine_events(
        rng, ["catalog", "cart", "orders", "payments", "frontend"], 1028, NODES
    )
    signal = [
        (
            1090,
            (
                "Normal",
                "SuccessfulRescale",
                "horizontalpodautoscaler/search",
                "New size: 8; reason: cpu resource utilization (percentage of request) above target",
            ),
        ),
        (
            1080,
            (
                "Warning",
                "FailedScheduling",
                f"pod/{pod_name}",
                "0/6 nodes are available: 6 Insufficient cpu. preemption: 0/6 nodes are available: 6 No preemption victims found for incoming pod.",
            ),
        ),
        (
            300,
            (
                "Normal",
                "NotTriggerScaleUp",
                f"pod/{pod_name}",
                "pod didn't trigger scale-up: 2 max node group size reached",
            ),
        ),
    ]
    search = LogFile(
        "search.log", JsonLines("search", ("@timestamp", "log.level", "message"), rng=rng)
    )
    search.add(traffic(rng, web_api("search", ["query", "suggest"]), START, 30, 655))
    search.add(
        loud(
            rng,
            START,
            12,
            18,
            281,
            fixed(
                "WARN",
                lambda r: (
                    f"rejected execution of search request (queue capacity 1000) on node search-{r.randrange(4)}; 429 returned"
                ),
            ),
        )
    )
    return Bundle(
        question="search is overloaded and the autoscaler says it scaled to 8, but only 4 pods run. Why?",
        category="scheduling",
        component="search",
        statement="The new search pods request 3 CPUs each and no node has that much CPU free (6 Insufficient cpu) while the node group is at its maximum size, so they stay Pending.",
        files={
            "describe-pod.txt": describe_pod(pod, rng),
            "events.txt": event_listing(routine, signal),
            "search.log": search.render(),
        },
        proofs=[Proof("describe-pod.txt", "0/6 nodes are available: 6 Insufficient cpu")],
        decoys=["rejected execution of search request"],
    )
