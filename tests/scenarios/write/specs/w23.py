# ruff: noqa: E501
# Hand-written log lines and kubectl rows are data, kept whole on one line.
"""frontend's new image tag was never pushed; its pods sit in ImagePullBackOff."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import (
    Container,
    Deployment,
    Pod,
    describe_deployment,
    describe_pod,
    event_listing,
    routine_events,
)
from records import JsonLines
from scenes import fixed, loud
from traffic import traffic, web_api

START = datetime(2024, 12, 9, 16, 0, tzinfo=UTC)
NODES = [
    "aks-nodepool1-31718369-vmss000000",
    "aks-nodepool1-31718369-vmss000001",
    "aks-nodepool1-31718369-vmss000002",
]


def bundle() -> Bundle:
    rng = random.Random(123)
    pod_name = "frontend-7c5b9f8d6-m9qpx"
    image = "shopacr.azurecr.io/shop/frontend:2.9.0"
    container = Container(
        name="frontend",
        image=image,
        state=["Waiting", "  Reason:       ImagePullBackOff"],
        ready=False,
        limits={"cpu": "500m", "memory": "256Mi"},
        requests={"cpu": "100m", "memory": "128Mi"},
        port="80/TCP",
    )
    pod = Pod(
        name=pod_name,
        namespace="shop",
        node=NODES[2],
        app="frontend",
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
                "21m",
                "default-scheduler",
                f"Successfully assigned shop/{pod_name} to {NODES[2]}",
            ),
            ("Normal", "Pulling", "19m (x4 over 21m)", "kubelet", f'Pulling image "{image}"'),
            (
                "Warning",
                "Failed",
                "19m (x4 over 21m)",
                "kubelet",
                f'Failed to pull image "{image}": rpc error: code = NotFound desc = failed to pull and unpack image "{image}": failed to resolve reference "{image}": {image}: not found',
            ),
            ("Warning", "Failed", "19m (x4 over 21m)", "kubelet", "Error: ErrImagePull"),
            ("Warning", "Failed", "60s (x86 over 21m)", "kubelet", "Error: ImagePullBackOff"),
            (
                "Normal",
                "BackOff",
                "60s (x86 over 21m)",
                "kubelet",
                f'Back-off pulling image "{image}"',
            ),
        ],
    )
    routine = routine_events(
        rng, ["catalog", "search", "cart", "orders", "payments", "frontend"], 1231, NODES
    )
    signal = [
        (
            1260,
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/frontend",
                "Scaled up replica set frontend-7c5b9f8d6 to 1",
            ),
        )
    ]
    deployment = Deployment(
        name="frontend",
        namespace="shop",
        image=image,
        port="80/TCP",
        replicas="4 desired | 1 updated | 5 total | 4 available | 1 unavailable",
        conditions=[
            ("Available", "True", "MinimumReplicasAvailable"),
            ("Progressing", "True", "ReplicaSetUpdated"),
        ],
        old_replica_set="frontend-6b8d4c7f59 (4/4 replicas created)",
        new_replica_set="frontend-7c5b9f8d6 (1/1 replicas created)",
        events=[
            (
                "Normal",
                "ScalingReplicaSet",
                "21m",
                "deployment-controller",
                "Scaled up replica set frontend-7c5b9f8d6 to 1",
            )
        ],
    )
    bff = LogFile("bff.log", JsonLines("bff", ("time", "level", "msg"), rng=rng))
    bff.add(traffic(rng, web_api("bff", ["home", "product-page"]), START, 30, 616))
    bff.add(
        loud(
            rng,
            START,
            10,
            20,
            103,
            fixed(
                "WARN",
                lambda r: (
                    f"feature bundle 2.9.0 requested by client {r.getrandbits(32):08x} not available, serving 2.8.4"
                ),
            ),
        )
    )
    return Bundle(
        question="The frontend 2.9.0 deploy has not rolled out after 20 minutes. What is blocking it?",
        category="deployment",
        component="frontend",
        statement="The image shopacr.azurecr.io/shop/frontend:2.9.0 does not exist in the registry (not found), so the new frontend pod is stuck in ImagePullBackOff.",
        files={
            "describe-frontend.txt": describe_deployment(deployment),
            "describe-pod.txt": describe_pod(pod, rng),
            "events.txt": event_listing(routine, signal),
            "bff.log": bff.render(),
        },
        proofs=[Proof("describe-pod.txt", "rpc error: code = NotFound")],
        decoys=["not available, serving 2.8.4"],
    )
