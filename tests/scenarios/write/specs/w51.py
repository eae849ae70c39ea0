# ruff: noqa: E501
# Hand-written log lines and kubectl rows are data, kept whole on one line.
"""billing 3.4.0 moves to a private registry, but neither the pod spec nor its service account
references the pull secret; pulls fail 401 and the rollout stalls while the image exists."""

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
    table,
)
from records import Logfmt, Syslog5424
from scenes import at, fixed, loud
from traffic import traffic, web_api

START = datetime(2025, 6, 24, 8, 0, tzinfo=UTC)
NODES = [
    "ip-172-31-20-14.ec2.internal",
    "ip-172-31-33-201.ec2.internal",
    "ip-172-31-47-88.ec2.internal",
]
IMAGE = "ghcr.io/acme-fin/billing:3.4.0"
POD = "billing-5b7d9c8f6-wl4zn"
PULL_ERROR = f'Failed to pull image "{IMAGE}": failed to pull and unpack image "{IMAGE}": failed to resolve reference "{IMAGE}": failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://ghcr.io/token?scope=repository%3Aacme-fin%2Fbilling%3Apull&service=ghcr.io: 401 Unauthorized'


def bundle() -> Bundle:
    rng = random.Random(151)
    container = Container(
        name="billing",
        image=IMAGE,
        state=["Waiting", "  Reason:       ImagePullBackOff"],
        ready=False,
        limits={"cpu": "1", "memory": "1Gi"},
        requests={"cpu": "300m", "memory": "512Mi"},
        environment=[
            "BILLING_DB_URL:  <set to the key 'url' in secret 'billing-db'>  Optional: false"
        ],
    )
    pod = Pod(
        name=POD,
        namespace="finance",
        node=NODES[1],
        app="billing",
        containers=[container],
        status="Pending",
        ip="10.1.44.19",
        service_account="billing",
        start_time="Tue, 24 Jun 2025 08:03:12 +0000",
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
                f"Successfully assigned finance/{POD} to {NODES[1]}",
            ),
            ("Normal", "Pulling", "38m (x5 over 41m)", "kubelet", f'Pulling image "{IMAGE}"'),
            ("Warning", "Failed", "38m (x5 over 41m)", "kubelet", PULL_ERROR),
            ("Warning", "Failed", "38m (x5 over 41m)", "kubelet", "Error: ErrImagePull"),
            (
                "Normal",
                "BackOff",
                "60s (x172 over 41m)",
                "kubelet",
                f'Back-off pulling image "{IMAGE}"',
            ),
            ("Warning", "Failed", "60s (x172 over 41m)", "kubelet", "Error: ImagePullBackOff"),
        ],
    )
    deployment = Deployment(
        name="billing",
        namespace="finance",
        image=IMAGE,
        replicas="3 desired | 1 updated | 4 total | 3 available | 1 unavailable",
        conditions=[
            ("Available", "True", "MinimumReplicasAvailable"),
            ("Progressing", "False", "ProgressDeadlineExceeded"),
        ],
        old_replica_set="billing-6f8c7d5b9 (3/3 replicas created)",
        new_replica_set="billing-5b7d9c8f6 (1/1 replicas created)",
        events=[
            (
                "Normal",
                "ScalingReplicaSet",
                "41m",
                "deployment-controller",
                "Scaled up replica set billing-5b7d9c8f6 to 1",
            )
        ],
    )
    service_account = [
        "Name:                billing",
        "Namespace:           finance",
        "Labels:              app.kubernetes.io/managed-by=Helm",
        "Annotations:         eks.amazonaws.com/role-arn: arn:aws:iam::418273645501:role/billing-prod",
        "                     meta.helm.sh/release-name: billing",
        "Image pull secrets:  <none>",
        "Mountable secrets:   <none>",
        "Tokens:              <none>",
        "Events:              <none>",
    ]
    secrets = table(
        ("NAME", "TYPE", "DATA", "AGE"),
        [
            ("billing-db", "Opaque", "1", "312d"),
            ("ghcr-acme-fin", "kubernetes.io/dockerconfigjson", "1", "2d"),
            ("sh.helm.release.v1.billing.v57", "helm.sh/release.v1", "1", "9d"),
            ("sh.helm.release.v1.billing.v58", "helm.sh/release.v1", "1", "41m"),
            ("stripe-api", "Opaque", "2", "180d"),
        ],
    )
    routine = routine_events(
        rng, ["ledger", "invoicing", "statements"], 840, NODES, namespace="finance"
    )
    signal = [
        (
            2460,
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/billing",
                "Scaled up replica set billing-5b7d9c8f6 to 1",
            ),
        ),
        (2440, ("Warning", "Failed", f"pod/{POD}", PULL_ERROR)),
        (2439, ("Warning", "Failed", f"pod/{POD}", "Error: ErrImagePull")),
        (
            1860,
            (
                "Warning",
                "ProgressDeadlineExceeded",
                "deployment/billing",
                'ReplicaSet "billing-5b7d9c8f6" has timed out progressing.',
            ),
        ),
        (60, ("Normal", "BackOff", f"pod/{POD}", f'Back-off pulling image "{IMAGE}"')),
    ]
    pipeline = LogFile("ci-release.log", Syslog5424("gha-runner-7", "release-billing", 4411))
    pipeline.add(
        [
            at(START, -3.0, "INFO", "Run docker/build-push-action@v5 (ref v3.4.0, sha 9e1c4b7)"),
            at(START, -1.2, "INFO", "#14 pushing layers 4.2s done"),
            at(
                START,
                -1.1,
                "INFO",
                f"#14 pushing manifest for {IMAGE}@sha256:5c0e9d2a7b41f3e8c6d9a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5a 0.6s done",
            ),
            at(
                START,
                0.5,
                "INFO",
                "Registry migration: images now published to ghcr.io/acme-fin (ECR push disabled, see PLAT-2291)",
            ),
            at(
                START,
                2.8,
                "INFO",
                "Run helm upgrade billing charts/billing --namespace finance --set image.repository=ghcr.io/acme-fin/billing --set image.tag=3.4.0",
            ),
            at(
                START,
                3.0,
                "INFO",
                'Release "billing" has been upgraded. Happy Helming! REVISION: 58',
            ),
            at(
                START,
                3.4,
                "WARN",
                'kubectl rollout status deployment/billing --timeout=10m: Waiting for deployment "billing" rollout to finish: 1 out of 3 new replicas have been updated...',
            ),
            at(START, 13.3, "ERROR", 'error: deployment "billing" exceeded its progress deadline'),
        ]
    )
    billing = LogFile("billing.log", Logfmt("billing", rng))
    billing.add(
        traffic(rng, web_api("billing", ["invoices", "subscriptions", "charges"]), START, 45, 2100)
    )
    billing.add(
        loud(
            rng,
            START,
            12,
            33,
            180,
            fixed(
                "WARN",
                lambda r: (
                    f"stripe webhook signature check failed for event evt_{r.getrandbits(64):016x}: timestamp outside tolerance (replayed?)"
                ),
            ),
        )
    )
    return Bundle(
        question="What changed? The billing 3.4.0 rollout has been stuck for 40 minutes; the old pods still serve.",
        category="deployment",
        component="billing",
        statement="billing 3.4.0 is pulled from the private registry ghcr.io/acme-fin, but the billing service account (and pod spec) has no imagePullSecrets, so the anonymous pull gets 401 Unauthorized and the new pod stays in ImagePullBackOff.",
        files={
            "describe-pod.txt": describe_pod(pod, rng),
            "describe-deploy-billing.txt": describe_deployment(deployment),
            "describe-serviceaccount.txt": "\n".join(service_account) + "\n",
            "get-secrets.txt": "\n".join(secrets) + "\n",
            "events.txt": event_listing(routine, signal),
            "ci-release.log": pipeline.render(),
            "billing.log": billing.render(),
        },
        proofs=[
            Proof("describe-pod.txt", "failed to fetch anonymous token"),
            Proof("describe-serviceaccount.txt", "Image pull secrets:  <none>"),
        ],
        decoys=["exceeded its progress deadline", "stripe webhook signature check failed"],
    )
