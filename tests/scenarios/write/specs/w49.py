# ruff: noqa: E501
# Hand-written log lines and kubectl rows are data, kept whole on one line.
"""The search namespace's ResourceQuota is used up; the autoscaler asks for 10 replicas but the
ReplicaSet cannot create pods past 6, and the six that run are overloaded and slow."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import (
    Deployment,
    describe_deployment,
    describe_events,
    event_listing,
    routine_events,
    table,
)
from records import JsonLines
from scenes import fixed, loud
from traffic import traffic, web_api

START = datetime(2025, 11, 28, 17, 0, tzinfo=UTC)
NODES = [
    "gke-shop-default-8d1f2a3b-0lq7",
    "gke-shop-default-8d1f2a3b-4v9x",
    "gke-shop-default-8d1f2a3b-c2mn",
    "gke-shop-default-8d1f2a3b-k8rt",
    "gke-shop-default-8d1f2a3b-w5zp",
]
QUOTA_MESSAGE = 'Error creating: pods "search-7c9f8d6b5-{suffix}" is forbidden: exceeded quota: team-search-quota, requested: requests.memory=2Gi, used: requests.memory=12Gi, limited: requests.memory=12Gi'


def describe_replica_set() -> str:
    lines = [
        "Name:           search-7c9f8d6b5",
        "Namespace:      search",
        "Selector:       app=search,pod-template-hash=7c9f8d6b5",
        "Labels:         app=search",
        "                pod-template-hash=7c9f8d6b5",
        "Annotations:    deployment.kubernetes.io/desired-replicas: 10",
        "                deployment.kubernetes.io/max-replicas: 13",
        "                deployment.kubernetes.io/revision: 57",
        "Controlled By:  Deployment/search",
        "Replicas:       6 current / 10 desired",
        "Pods Status:    6 Running / 0 Waiting / 0 Succeeded / 0 Failed",
        "Conditions:",
        "  Type             Status  Reason",
        "  ----             ------  ------",
        "  ReplicaFailure   True    FailedCreate",
        *describe_events(
            [
                (
                    "Normal",
                    "SuccessfulCreate",
                    "31m",
                    "replicaset-controller",
                    "Created pod: search-7c9f8d6b5-q2lzx",
                ),
                (
                    "Normal",
                    "SuccessfulCreate",
                    "31m",
                    "replicaset-controller",
                    "Created pod: search-7c9f8d6b5-8wd4m",
                ),
                (
                    "Warning",
                    "FailedCreate",
                    "31m",
                    "replicaset-controller",
                    QUOTA_MESSAGE.format(suffix="rk5tq"),
                ),
                (
                    "Warning",
                    "FailedCreate",
                    "31m",
                    "replicaset-controller",
                    QUOTA_MESSAGE.format(suffix="b7n2c"),
                ),
                (
                    "Warning",
                    "FailedCreate",
                    "30m",
                    "replicaset-controller",
                    QUOTA_MESSAGE.format(suffix="zl9vx"),
                ),
                (
                    "Warning",
                    "FailedCreate",
                    "2m10s (x19 over 30m)",
                    "replicaset-controller",
                    "(combined from similar events): " + QUOTA_MESSAGE.format(suffix="h4pfw"),
                ),
            ]
        ),
    ]
    return "\n".join(lines) + "\n"


def describe_quota() -> str:
    lines = [
        "Name:            team-search-quota",
        "Namespace:       search",
        "Resource         Used   Hard",
        "--------         ----   ----",
        "limits.cpu       12     24",
        "limits.memory    18Gi   48Gi",
        "pods             6      40",
        "requests.cpu     6500m  16",
        "requests.memory  12Gi   12Gi",
        "services         3      10",
    ]
    return "\n".join(lines) + "\n"


def describe_autoscaler() -> str:
    lines = [
        "Name:                                                  search",
        "Namespace:                                             search",
        "Reference:                                             Deployment/search",
        "Metrics:                                               ( current / target )",
        "  resource cpu on pods  (as a percentage of request):  161% (1612m) / 70%",
        "Min replicas:                                          4",
        "Max replicas:                                          16",
        "Deployment pods:                                       6 current / 10 desired",
        "Conditions:",
        "  Type            Status  Reason               Message",
        "  ----            ------  ------               -------",
        "  AbleToScale     True    SucceededRescale     the HPA controller was able to update the target scale to 10",
        "  ScalingActive   True    ValidMetricFound     the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)",
        "  ScalingLimited  False   DesiredWithinRange   the desired count is within the acceptable range",
        *describe_events(
            [
                (
                    "Normal",
                    "SuccessfulRescale",
                    "38m",
                    "horizontal-pod-autoscaler",
                    "New size: 6; reason: cpu resource utilization (percentage of request) above target",
                ),
                (
                    "Normal",
                    "SuccessfulRescale",
                    "31m",
                    "horizontal-pod-autoscaler",
                    "New size: 10; reason: cpu resource utilization (percentage of request) above target",
                ),
            ]
        ),
    ]
    return "\n".join(lines) + "\n"


def bundle() -> Bundle:
    rng = random.Random(149)
    deployment = Deployment(
        name="search",
        namespace="search",
        image="europe-docker.pkg.dev/shop-prod/apps/search:8.14.2",
        replicas="10 desired | 6 updated | 6 total | 6 available | 4 unavailable",
        conditions=[
            ("Progressing", "True", "NewReplicaSetAvailable"),
            ("Available", "True", "MinimumReplicasAvailable"),
            ("ReplicaFailure", "True", "FailedCreate"),
        ],
        old_replica_set="<none>",
        new_replica_set="search-7c9f8d6b5 (6/10 replicas created)",
        events=[
            (
                "Normal",
                "ScalingReplicaSet",
                "38m",
                "deployment-controller",
                "Scaled up replica set search-7c9f8d6b5 to 6 from 4",
            ),
            (
                "Normal",
                "ScalingReplicaSet",
                "31m",
                "deployment-controller",
                "Scaled up replica set search-7c9f8d6b5 to 10 from 6",
            ),
        ],
    )
    routine = routine_events(rng, ["search"], 760, NODES, namespace="search")
    signal = [
        (
            2290,
            (
                "Normal",
                "SuccessfulRescale",
                "horizontalpodautoscaler/search",
                "New size: 6; reason: cpu resource utilization (percentage of request) above target",
            ),
        ),
        (
            1870,
            (
                "Normal",
                "SuccessfulRescale",
                "horizontalpodautoscaler/search",
                "New size: 10; reason: cpu resource utilization (percentage of request) above target",
            ),
        ),
        (
            1865,
            (
                "Warning",
                "FailedCreate",
                "replicaset/search-7c9f8d6b5",
                QUOTA_MESSAGE.format(suffix="rk5tq"),
            ),
        ),
        (
            1700,
            (
                "Warning",
                "Unhealthy",
                "pod/search-7c9f8d6b5-2xkqp",
                'Readiness probe failed: Get "http://10.8.3.41:8080/ready": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
            ),
        ),
        (
            900,
            (
                "Warning",
                "Unhealthy",
                "pod/search-7c9f8d6b5-t6wzn",
                'Readiness probe failed: Get "http://10.8.1.77:8080/ready": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
            ),
        ),
        (
            600,
            (
                "Warning",
                "SystemOOM",
                f"node/{NODES[3]}",
                "System OOM encountered, victim process: fluent-bit, pid: 28812",
            ),
        ),
    ]
    search = LogFile("search.log", JsonLines("search", ("ts", "level", "msg"), rng=rng))
    search.add(traffic(rng, web_api("search", ["query", "suggest", "facets"]), START, 40, 2400))
    search.add(
        loud(
            rng,
            START,
            10,
            30,
            520,
            fixed(
                "WARN",
                lambda r: (
                    f"query q={r.choice(['sneakers', 'winter jacket', 'usb-c cable', 'desk lamp', 'gift card'])} took {r.randrange(1200, 4800)}ms (queue wait {r.randrange(600, 3900)}ms, workers 32/32 busy)"
                ),
            ),
        )
    )
    search.add(
        loud(
            rng,
            START,
            12,
            28,
            210,
            fixed(
                "ERROR",
                lambda r: (
                    f"request {r.getrandbits(40):010x} rejected: worker queue full (256), answering 503"
                ),
            ),
        )
    )
    search.add(
        loud(
            rng,
            START,
            14,
            26,
            66,
            fixed(
                "WARN",
                lambda r: (
                    f"GC pause {r.randrange(300, 900)}ms (G1 Evacuation Pause) heap {r.randrange(1300, 1800)}M/2048M"
                ),
            ),
        )
    )
    pods = table(
        (
            "NAME",
            "READY",
            "STATUS",
            "RESTARTS",
            "AGE",
            "IP",
            "NODE",
            "NOMINATED NODE",
            "READINESS GATES",
        ),
        [
            (
                f"search-7c9f8d6b5-{suffix}",
                ready,
                "Running",
                "0",
                age,
                f"10.8.{rng.randrange(0, 5)}.{rng.randrange(2, 250)}",
                rng.choice(NODES),
                "<none>",
                "<none>",
            )
            for suffix, ready, age in [
                ("2xkqp", "0/1", "6d"),
                ("9hs4d", "1/1", "6d"),
                ("t6wzn", "1/1", "6d"),
                ("vx7lb", "1/1", "6d"),
                ("q2lzx", "1/1", "38m"),
                ("8wd4m", "1/1", "38m"),
            ]
        ],
    )
    return Bundle(
        question="Search is slow and shedding load at Black Friday peak; the HPA says 10 replicas but only 6 pods exist. Why is it not scaling out?",
        category="scheduling",
        component="search",
        statement="The search namespace's ResourceQuota team-search-quota caps requests.memory at 12Gi and 6 pods already use it, so the ReplicaSet's new pods are forbidden (exceeded quota) and search cannot scale past 6 replicas.",
        files={
            "describe-deployment.txt": describe_deployment(deployment),
            "describe-replicaset.txt": describe_replica_set(),
            "describe-quota.txt": describe_quota(),
            "describe-hpa.txt": describe_autoscaler(),
            "get-pods-wide.txt": "\n".join(pods) + "\n",
            "events.txt": event_listing(routine, signal),
            "search.log": search.render(),
        },
        proofs=[
            Proof(
                "describe-replicaset.txt",
                'pods "search-7c9f8d6b5-rk5tq" is forbidden: exceeded quota',
            ),
            Proof("describe-quota.txt", "requests.memory  12Gi   12Gi"),
        ],
        decoys=[
            "worker queue full",
            "GC pause",
            "System OOM encountered",
            "Readiness probe failed",
        ],
    )
