# ruff: noqa: E501
# Hand-written log lines and kubectl rows are data, kept whole on one line.
"""Release 1.42.0 of shipment-tracker is pushed to GHCR as `1.42.0` (docker/metadata-action
drops the `v`), but the deploy job sets the image to `v1.42.0`; with the Recreate strategy the
old pods are gone, the new ones sit in ImagePullBackOff, and order-api and the ingress log
failures for every tracking call."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from kube import (
    Container,
    Deployment,
    Pod,
    describe_deployment,
    describe_pod,
    event_listing,
    routine_events,
    table,
)
from records import Logfmt, Record
from scenes import at, fixed, loud
from traffic import Line, traffic

START = datetime(2025, 3, 27, 15, 0, tzinfo=UTC)
ROLLOUT_MINUTE = 21.3
IMAGE = "ghcr.io/acme-logistics/shipment-tracker"
NODES = [
    "gke-logistics-prod-pool-b-5a7e1c92-4kfd",
    "gke-logistics-prod-pool-b-5a7e1c92-9s2m",
    "gke-logistics-prod-pool-b-5a7e1c92-qx7h",
]
PODS = [
    "shipment-tracker-5d8c7f9b64-7xkpl",
    "shipment-tracker-5d8c7f9b64-jw4zn",
    "shipment-tracker-5d8c7f9b64-rt9cd",
]
PULL = f'Failed to pull image "{IMAGE}:v1.42.0": rpc error: code = NotFound desc = failed to pull and unpack image "{IMAGE}:v1.42.0": failed to resolve reference "{IMAGE}:v1.42.0": {IMAGE}:v1.42.0: not found'


@dataclass
class Actions:
    """A GitHub Actions job log: every line prefixed with its RFC 3339 time (7 fraction digits)."""

    def render(self, record: Record) -> list[str]:
        text = record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond:06d}0Z"
        return [f"{text} {record.message}", *(f"{text} {line}" for line in record.trailer)]


def ci_records(rng: random.Random) -> list[Record]:
    steps = [
        "##[group]Run actions/checkout@v4",
        "Syncing repository: acme-logistics/shipment-tracker",
        "HEAD is now at 9c41e7b release: v1.42.0",
        "##[endgroup]",
        "##[group]Run docker/metadata-action@v5",
        "Processing tags input",
        "  type=semver,pattern={{version}}",
        "  type=sha",
        "Docker tags",
        f"  {IMAGE}:1.42.0",
        f"  {IMAGE}:sha-9c41e7b",
        "##[endgroup]",
        "##[group]Run docker/build-push-action@v6",
    ]
    for index in range(1, 19):
        steps.append(
            f"#{index + 4} [build {index}/18] RUN ... DONE {rng.randrange(1, 40) / 10:.1f}s"
        )
    steps += [
        "#23 exporting to image",
        "#23 exporting layers 4.1s done",
        f"#23 pushing layers {rng.randrange(5, 12)}.{rng.randrange(10)}s done",
        f"#23 pushing manifest for {IMAGE}:1.42.0@sha256:{rng.getrandbits(256):064x} 0.6s done",
        f"#23 pushing manifest for {IMAGE}:sha-9c41e7b@sha256:{rng.getrandbits(256):064x} 0.4s done",
        "#23 DONE 14.2s",
        "##[endgroup]",
        "##[group]Run deploy (kustomize)",
        "cd deploy/overlays/prod",
        f"kustomize edit set image shipment-tracker={IMAGE}:${{GITHUB_REF_NAME}}",
        f"+ kustomize edit set image shipment-tracker={IMAGE}:v1.42.0",
        "kustomize build . | kubectl apply -f -",
        "configmap/shipment-tracker-config-8b7m2h5c9t unchanged",
        "service/shipment-tracker unchanged",
        "deployment.apps/shipment-tracker configured",
        "horizontalpodautoscaler.autoscaling/shipment-tracker unchanged",
        "##[endgroup]",
        "##[group]Run kubectl rollout status deployment/shipment-tracker --timeout=60s || true",
        'Waiting for deployment "shipment-tracker" rollout to finish: 0 of 3 updated replicas are available...',
        "error: timed out waiting for the condition",
        "##[endgroup]",
        "Cleaning up orphan processes",
    ]
    begin = ROLLOUT_MINUTE - 3.4
    return [
        Record(START + timedelta(minutes=begin + index * 3.4 / len(steps)), "INFO", step)
        for index, step in enumerate(steps)
    ]


def pods(rng: random.Random) -> str:
    rows = [
        (PODS[0], "0/1", "ImagePullBackOff", "0", "19m"),
        (PODS[1], "0/1", "ImagePullBackOff", "0", "19m"),
        (PODS[2], "0/1", "ErrImagePull", "0", "19m"),
    ]
    for app in [
        "order-api",
        "order-api",
        "order-api",
        "carrier-sync",
        "carrier-sync",
        "label-printer",
    ]:
        rows.append(
            (
                f"{app}-{rng.getrandbits(36):09x}-{rng.getrandbits(20):05x}",
                "1/1",
                "Running",
                "0",
                f"{rng.randrange(2, 12)}d",
            )
        )
    rows.sort()
    return "\n".join(table(("NAME", "READY", "STATUS", "RESTARTS", "AGE"), rows)) + "\n"


def order_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.4:
        return (
            "INFO",
            f"GET /orders/ORD-{rng.randrange(10**7)} status=200 duration={rng.randrange(3, 60)}ms",
            (),
        )
    if roll < 0.6:
        return (
            "INFO",
            f"POST /orders status=201 duration={rng.randrange(40, 190)}ms carrier={rng.choice(['dhl', 'ups', 'gls', 'dpd'])}",
            (),
        )
    if roll < 0.85:
        return (
            "INFO",
            f"tracking ORD-{rng.randrange(10**7)} via shipment-tracker: {rng.choice(['in_transit', 'delivered', 'out_for_delivery', 'label_created'])} ({rng.randrange(5, 90)}ms)",
            (),
        )
    return (
        "INFO",
        f"carrier webhook accepted carrier={rng.choice(['dhl', 'ups', 'gls'])} events={rng.randrange(1, 40)}",
        (),
    )


def order_line_after(rng: random.Random) -> Line:
    while True:
        line = order_line(rng)
        if "via shipment-tracker" not in line[1]:
            return line


def never_started(text: str) -> str:
    """A container whose image was never pulled has no container or image id yet."""
    lines = []
    for line in text.splitlines():
        if line.startswith("    Container ID:") or line.startswith("    Image ID:"):
            line = line.split(":")[0] + ":"
        lines.append(line)
    return "\n".join(lines) + "\n"


def bundle() -> Bundle:
    rng = random.Random(183)
    container = Container(
        name="shipment-tracker",
        image=f"{IMAGE}:v1.42.0",
        state=["Waiting", "  Reason:       ImagePullBackOff"],
        ready=False,
        limits={"cpu": "1", "memory": "768Mi"},
        requests={"cpu": "200m", "memory": "512Mi"},
        probes=[
            "Readiness:      http-get http://:8080/ready delay=5s timeout=1s period=5s #success=1 #failure=3"
        ],
    )
    pod = Pod(
        name=PODS[0],
        namespace="logistics",
        node=NODES[0],
        app="shipment-tracker",
        containers=[container],
        status="Pending",
        conditions={
            "PodReadyToStartContainers": "True",
            "Initialized": "True",
            "Ready": "False",
            "ContainersReady": "False",
            "PodScheduled": "True",
        },
        start_time="Thu, 27 Mar 2025 15:21:19 +0000",
        ip="10.52.1.93",
        events=[
            (
                "Normal",
                "Scheduled",
                "19m",
                "default-scheduler",
                f"Successfully assigned logistics/{PODS[0]} to {NODES[0]}",
            ),
            (
                "Normal",
                "Pulling",
                "16m (x5 over 19m)",
                "kubelet",
                f'Pulling image "{IMAGE}:v1.42.0"',
            ),
            ("Warning", "Failed", "16m (x5 over 19m)", "kubelet", PULL),
            ("Warning", "Failed", "16m (x5 over 19m)", "kubelet", "Error: ErrImagePull"),
            (
                "Normal",
                "BackOff",
                "4m1s (x66 over 19m)",
                "kubelet",
                f'Back-off pulling image "{IMAGE}:v1.42.0"',
            ),
            ("Warning", "Failed", "4m1s (x66 over 19m)", "kubelet", "Error: ImagePullBackOff"),
        ],
    )
    deployment = Deployment(
        name="shipment-tracker",
        namespace="logistics",
        image=f"{IMAGE}:v1.42.0",
        replicas="3 desired | 3 updated | 3 total | 0 available | 3 unavailable",
        conditions=[
            ("Available", "False", "MinimumReplicasUnavailable"),
            ("Progressing", "True", "ReplicaSetUpdated"),
        ],
        old_replica_set="shipment-tracker-6b4f8d7c59 (0/0 replicas created)",
        new_replica_set="shipment-tracker-5d8c7f9b64 (3/3 replicas created)",
        events=[
            (
                "Normal",
                "ScalingReplicaSet",
                "19m",
                "deployment-controller",
                "Scaled down replica set shipment-tracker-6b4f8d7c59 to 0 from 3",
            ),
            (
                "Normal",
                "ScalingReplicaSet",
                "19m",
                "deployment-controller",
                "Scaled up replica set shipment-tracker-5d8c7f9b64 to 3",
            ),
        ],
    )
    routine = routine_events(
        rng, ["order-api", "carrier-sync", "label-printer"], 260, NODES, namespace="logistics"
    )
    signal = [
        (
            1150 - index * 5,
            (
                "Normal",
                "Killing",
                f"pod/shipment-tracker-6b4f8d7c59-{name}",
                "Stopping container shipment-tracker",
            ),
        )
        for index, name in enumerate(["b2x9q", "k7m4w", "p8t3v"])
    ]
    signal += [
        (1135 - index * 3, ("Warning", "Failed", f"pod/{name}", PULL))
        for index, name in enumerate(PODS)
    ]
    signal += [(241, ("Warning", "Failed", f"pod/{PODS[1]}", "Error: ImagePullBackOff"))]
    ci = LogFile("release-job.log", Actions())
    ci.add(ci_records(rng))
    orders = LogFile("order-api.log", Logfmt("order-api", rng=rng))
    orders.add(traffic(rng, order_line, START, ROLLOUT_MINUTE, 1500))
    orders.add(
        traffic(
            rng,
            order_line_after,
            START + timedelta(minutes=ROLLOUT_MINUTE),
            40 - ROLLOUT_MINUTE,
            1100,
        )
    )
    orders.add(
        loud(
            rng,
            START,
            ROLLOUT_MINUTE + 0.2,
            18.5,
            530,
            fixed(
                "ERROR",
                lambda r: (
                    f'tracking ORD-{r.randrange(10**7)} failed: Get "http://shipment-tracker.logistics.svc:8080/v1/track/ORD-{r.randrange(10**7)}": dial tcp 10.56.7.212:8080: connect: connection refused'
                ),
            ),
        )
    )
    orders.add(
        loud(
            rng,
            START,
            ROLLOUT_MINUTE + 1,
            17.5,
            96,
            fixed(
                "WARN",
                lambda r: (
                    f"label job for ORD-{r.randrange(10**7)} requeued: shipment-tracker unavailable (retry in {r.choice([30, 60, 120])}s)"
                ),
            ),
        )
    )
    orders.add(
        [
            at(
                START,
                ROLLOUT_MINUTE + 2.5,
                "ERROR",
                "health: dependency shipment-tracker DOWN for 120s, marking /ready degraded",
            )
        ]
    )
    return Bundle(
        question="Parcel tracking has been down since the 15:20 UTC release. Pods won't come up — what happened?",
        category="deployment",
        component="shipment-tracker",
        statement="The release job deployed shipment-tracker with image tag v1.42.0, but CI pushed the image as 1.42.0, so GHCR answers not found, the new pods sit in ImagePullBackOff, and the Recreate rollout had already stopped every old pod.",
        files={
            "get-pods.txt": pods(rng),
            "describe-pod.txt": never_started(describe_pod(pod, rng)),
            "describe-deploy.txt": describe_deployment(deployment),
            "events.txt": event_listing(routine, signal),
            "release-job.log": ci.render(),
            "order-api.log": orders.render(),
        },
        proofs=[
            Proof("describe-pod.txt", "Failed to pull image"),
            Proof("release-job.log", "Docker tags", "sha-9c41e7b"),
            Proof("release-job.log", "+ kustomize edit set image"),
        ],
        decoys=[
            "connect: connection refused",
            "shipment-tracker unavailable",
            "dependency shipment-tracker DOWN",
        ],
    )
