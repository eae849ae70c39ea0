# ruff: noqa: E501
# Hand-written log lines and kubectl rows are data, kept whole on one line.
"""A node's disk fills with container logs; the kubelet evicts pods for ephemeral-storage."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events
from records import Journal
from scenes import at, fixed, loud
from traffic import host_traffic

START = datetime(2025, 7, 14, 22, 0, tzinfo=UTC)
NODE = "ip-10-0-2-9.ec2.internal"
NODES = [NODE, "ip-10-0-2-33.ec2.internal", "ip-10-0-3-71.ec2.internal"]


def bundle() -> Bundle:
    rng = random.Random(130)
    kubelet = LogFile("journal.log", Journal(NODE, "kubelet", 3021))
    kubelet.add(host_traffic(rng, START, 40, 794))
    kubelet.add(
        [
            at(
                START,
                11.0,
                "WARN",
                'W0714 22:11:00.118273    3021 eviction_manager.go:373] "Eviction manager: attempting to reclaim" resourceName="ephemeral-storage"',
            ),
            at(
                START,
                11.01,
                "INFO",
                'I0714 22:11:00.120911    3021 eviction_manager.go:391] "Eviction manager: must evict pod(s) to reclaim" resourceName="ephemeral-storage"',
            ),
        ]
    )
    kubelet.add(
        loud(
            rng,
            START,
            11.1,
            28,
            182,
            fixed(
                "INFO",
                lambda r: (
                    f'I0714 22:{r.randrange(11, 40)}:{r.randrange(60):02d}.{r.randrange(10**6):06d}    3021 eviction_manager.go:{r.choice([391, 406])}] "Eviction manager: pods ranked for eviction" pods=["shop/batch-export-{r.getrandbits(24):06x}"]'
                ),
            ),
        )
    )
    routine = routine_events(rng, ["catalog", "search", "cart", "batch-export"], 1021, NODES)
    signal = [
        (
            1750,
            (
                "Warning",
                "EvictionThresholdMet",
                f"node/{NODE}",
                "Attempting to reclaim ephemeral-storage",
            ),
        ),
        (
            1745,
            (
                "Normal",
                "NodeHasDiskPressure",
                f"node/{NODE}",
                f"Node {NODE} status is now: NodeHasDiskPressure",
            ),
        ),
        (
            1740,
            (
                "Warning",
                "Evicted",
                "pod/batch-export-7d9c8b5f6-2xq4n",
                "The node was low on resource: ephemeral-storage. Threshold quantity: 8388608Ki, available: 6012344Ki. Container batch-export was using 71243844Ki, request is 0, has larger consumption of ephemeral-storage.",
            ),
        ),
        (
            1700,
            (
                "Warning",
                "Evicted",
                "pod/cart-6f7c9d8b4-bb7x2",
                "The node was low on resource: ephemeral-storage. Threshold quantity: 8388608Ki, available: 7120032Ki.",
            ),
        ),
        (
            1200,
            (
                "Warning",
                "FailedScheduling",
                "pod/batch-export-7d9c8b5f6-7kq9d",
                "0/3 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/disk-pressure: }, 2 Insufficient memory.",
            ),
        ),
    ]
    return Bundle(
        question="Pods on one node keep getting evicted since 22:11. Why?",
        category="scheduling",
        component=NODE,
        statement=f"Node {NODE} came under disk pressure because batch-export wrote about 68 GiB of ephemeral storage, so the kubelet evicts pods to reclaim ephemeral-storage.",
        files={"journal.log": kubelet.render(), "events.txt": event_listing(routine, signal)},
        proofs=[
            Proof("events.txt", "Container batch-export was using 71243844Ki"),
            Proof(
                "journal.log",
                '"Eviction manager: attempting to reclaim" resourceName="ephemeral-storage"',
            ),
        ],
        decoys=["2 Insufficient memory"],
    )
