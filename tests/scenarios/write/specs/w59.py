# ruff: noqa: E501
# Hand-written log lines and kubectl rows are data, kept whole on one line.
"""Docker Hub answers the cluster's anonymous pulls of notifier's image with 429 toomanyrequests
(the pull rate limit of the shared NAT address); notifier pods on fresh spot nodes stay in
ImagePullBackOff, while the old pods drown in the queue backlog and the autoscaler churns."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events, table
from records import Zap
from scenes import fixed, loud
from traffic import traffic, worker

START = datetime(2025, 11, 28, 17, 0, tzinfo=UTC)
NODES = [
    "ip-172-31-9-44.ec2.internal",
    "ip-172-31-14-201.ec2.internal",
    "ip-172-31-22-87.ec2.internal",
]
NEW_NODES = [
    "ip-172-31-40-12.ec2.internal",
    "ip-172-31-41-230.ec2.internal",
    "ip-172-31-47-6.ec2.internal",
]
IMAGE = "docker.io/acmeshop/notifier:3.8.1"
POD = "notifier-6f8d9c7b54-vq2lx"
LIMIT = 'Failed to pull image "docker.io/acmeshop/notifier:3.8.1": failed to pull and unpack image "docker.io/acmeshop/notifier:3.8.1": failed to copy: httpReadSeeker: failed open: unexpected status code https://registry-1.docker.io/v2/acmeshop/notifier/manifests/sha256:4e1f0c8a9b7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f: 429 Too Many Requests - Server message: toomanyrequests: You have reached your unauthenticated pull rate limit. https://www.docker.com/increase-rate-limit'


def get_pods() -> str:
    rows = [
        ("notifier-6f8d9c7b54-2kx8d", "1/1", "Running", "0", "6d", NODES[0]),
        ("notifier-6f8d9c7b54-h7p4n", "1/1", "Running", "0", "6d", NODES[1]),
        ("notifier-6f8d9c7b54-m9w3t", "1/1", "Running", "1 (3d ago)", "6d", NODES[2]),
        (POD, "0/1", "ImagePullBackOff", "0", "41m", NEW_NODES[0]),
        ("notifier-6f8d9c7b54-c5r8j", "0/1", "ErrImagePull", "0", "41m", NEW_NODES[1]),
        ("notifier-6f8d9c7b54-t2n6f", "0/1", "ImagePullBackOff", "0", "40m", NEW_NODES[2]),
        ("notifier-6f8d9c7b54-z8k1q", "0/1", "ImagePullBackOff", "0", "38m", NEW_NODES[0]),
        ("mailer-5c7b8d9f6-qq4zr", "1/1", "Running", "0", "12d", NODES[0]),
        ("mailer-5c7b8d9f6-w2x9l", "1/1", "Running", "0", "12d", NODES[2]),
        ("rabbitmq-0", "1/1", "Running", "0", "33d", NODES[1]),
    ]
    return "\n".join(table(("NAME", "READY", "STATUS", "RESTARTS", "AGE", "NODE"), rows)) + "\n"


def bundle() -> Bundle:
    rng = random.Random(159)
    container = Container(
        name="notifier",
        image=IMAGE,
        state=["Waiting", "  Reason:       ImagePullBackOff"],
        ready=False,
        limits={"memory": "512Mi"},
        requests={"cpu": "200m", "memory": "256Mi"},
    )
    pod = Pod(
        name=POD,
        namespace="messaging",
        node=NEW_NODES[0],
        app="notifier",
        containers=[container],
        status="Pending",
        start_time="Fri, 28 Nov 2025 17:03:22 +0000",
        ip="10.1.40.77",
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
                "41m",
                "default-scheduler",
                f"Successfully assigned messaging/{POD} to {NEW_NODES[0]}",
            ),
            ("Normal", "Pulling", "38m (x4 over 41m)", "kubelet", f'Pulling image "{IMAGE}"'),
            ("Warning", "Failed", "38m (x4 over 41m)", "kubelet", LIMIT),
            ("Warning", "Failed", "38m (x4 over 41m)", "kubelet", "Error: ErrImagePull"),
            (
                "Normal",
                "BackOff",
                "2m (x171 over 41m)",
                "kubelet",
                f'Back-off pulling image "{IMAGE}"',
            ),
            ("Warning", "Failed", "2m (x171 over 41m)", "kubelet", "Error: ImagePullBackOff"),
        ],
    )
    routine = routine_events(
        rng, ["mailer", "notifier", "webhooks", "sms-gateway"], 540, NODES, namespace="messaging"
    )
    signal = [
        (
            2520,
            (
                "Normal",
                "SuccessfulRescale",
                "horizontalpodautoscaler/notifier",
                "New size: 7; reason: external metric rabbitmq_queue_messages_ready(&LabelSelector{MatchLabels:map[string]string{queue: notifications},MatchExpressions:[]LabelSelectorRequirement{},}) above target",
            ),
        ),
        (
            2500,
            (
                "Normal",
                "TriggeredScaleUp",
                f"pod/{POD}",
                "pod triggered scale-up: [{eks-spot-notify-7ac5e1f2-1b2c-3d4e-5f6a-7b8c9d0e1f2a 0->3 (max: 6)}]",
            ),
        ),
        (
            2470,
            (
                "Warning",
                "FailedScheduling",
                f"pod/{POD}",
                "0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.",
            ),
        ),
        (2280, ("Warning", "Failed", f"pod/{POD}", LIMIT)),
        (1900, ("Warning", "Failed", "pod/notifier-6f8d9c7b54-c5r8j", "Error: ErrImagePull")),
        (
            1200,
            (
                "Warning",
                "Unhealthy",
                "pod/rabbitmq-0",
                "Readiness probe failed: Error: unable to perform an operation on node 'rabbit@rabbitmq-0': memory alarm in effect",
            ),
        ),
        (
            600,
            (
                "Warning",
                "BackOff",
                "pod/webhooks-7d6c5b4a3-9xj2p",
                "Back-off restarting failed container webhooks in pod webhooks-7d6c5b4a3-9xj2p_messaging(0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f)",
            ),
        ),
    ]
    notifier = LogFile(
        "notifier.log", Zap(("consumer/loop.go:88", "push/fcm.go:141", "push/apns.go:97"), rng)
    )
    notifier.add(
        traffic(
            rng, worker("notifier", ["notifications", "notifications.priority"]), START, 45, 1480
        )
    )
    notifier.add(
        loud(
            rng,
            START,
            4,
            40,
            176,
            fixed(
                "WARN",
                lambda r: (
                    f"queue notifications backlog {r.randrange(40_000, 190_000)} messages ready, oldest {r.randrange(300, 2400)}s; consumers=3 prefetch=50"
                ),
            ),
        )
    )
    notifier.add(
        loud(
            rng,
            START,
            10,
            34,
            121,
            fixed(
                "ERROR",
                lambda r: (
                    f"push delivery to fcm failed: context deadline exceeded (message {r.getrandbits(48):012x} will be requeued, age {r.randrange(600, 2600)}s)"
                ),
            ),
        )
    )
    return Bundle(
        question="Push notifications are arriving 30-40 minutes late. The HPA scaled notifier to 7 but the backlog keeps growing. Root cause?",
        category="rate_limit",
        component="notifier",
        statement="Docker Hub rejects the cluster's unauthenticated pulls of docker.io/acmeshop/notifier:3.8.1 with 429 toomanyrequests (pull rate limit), so the four new notifier pods on fresh nodes stay in ImagePullBackOff and only three consumers drain the queue.",
        files={
            "get-pods.txt": get_pods(),
            "describe-pod.txt": describe_pod(pod, rng),
            "events.txt": event_listing(routine, signal),
            "notifier.log": notifier.render(),
        },
        proofs=[
            Proof(
                "describe-pod.txt",
                "toomanyrequests: You have reached your unauthenticated pull rate limit",
            ),
            Proof("events.txt", "429 Too Many Requests"),
        ],
        decoys=[
            "3 Insufficient cpu",
            "memory alarm in effect",
            "push delivery to fcm failed: context deadline exceeded",
            "backlog",
        ],
    )
