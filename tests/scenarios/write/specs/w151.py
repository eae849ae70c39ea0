# ruff: noqa: E501
# kubectl output, IAM documents and hand-written log lines are data, kept whole on one line.
"""Kubernetes on EKS (IRSA): a bump of the shared `go-service` Helm chart to 2.0.0 at 16:40 UTC
renames invoice-archiver's ServiceAccount from `invoice-archiver` to `invoice-archiver-sa`. The
annotation still carries the right role ARN, so the pod identity webhook injects the token and
AWS_ROLE_ARN as before, but the role's trust policy only admits
`system:serviceaccount:billing:invoice-archiver`; every AssumeRoleWithWebIdentity call of the new
pods is refused with AccessDenied. invoice-archiver can neither receive from SQS nor write to S3,
invoices stop arriving and the queue grows, while the pods stay Running and Ready. Decoys: an S3
503 SlowDown burst at 14:12, the SDK's `Response has no supported checksum` warnings, and a
Karpenter consolidation that moved billing-api's pods at 16:52."""

import json
import random
import re
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events
from records import Zap
from scenes import at, loud
from traffic import Line, traffic

START = datetime(2025, 7, 8, 13, 55, tzinfo=UTC)
UPGRADE = datetime(2025, 7, 8, 16, 40, 12, tzinfo=UTC)
NOW = datetime(2025, 7, 8, 18, 5, tzinfo=UTC)
POD = "invoice-archiver-6d8f9c7b54-r4tqz"
ACCOUNT = "381492770215"
OIDC = "oidc.eks.eu-west-1.amazonaws.com/id/7E21A9C04BD35F6A88C1E0D92B4F3A17"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/billing-invoice-archiver"
CALLERS = (
    "archiver/consumer.go:88",
    "archiver/upload.go:61",
    "archiver/consumer.go:142",
    "archiver/upload.go:97",
)


def request_id(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-{rng.getrandbits(16):04x}-{rng.getrandbits(16):04x}-{rng.getrandbits(48):012x}"


def archiver_line(rng: random.Random) -> Line:
    roll = rng.random()
    invoice = f"INV-2025-{rng.randrange(10**6):06d}"
    if roll < 0.4:
        return (
            "INFO",
            f"archived {invoice} to s3://acme-billing-invoices-prod/2025/07/08/{invoice}.pdf ({rng.randrange(40, 900)} KiB, {rng.randrange(18, 160)} ms)",
            (),
        )
    if roll < 0.7:
        return "INFO", f"received {rng.randrange(1, 11)} messages from invoice-rendered", ()
    if roll < 0.88:
        return "DEBUG", f"deleted message {request_id(rng)} from invoice-rendered", ()
    return "WARN", "Response has no supported checksum. Not validating response payload.", ()


def assume_denied(rng: random.Random) -> Line:
    if rng.random() < 0.6:
        return (
            "ERROR",
            f"receive from invoice-rendered failed: operation error SQS: ReceiveMessage, get identity: get credentials: failed to refresh cached credentials, failed to retrieve credentials, operation error STS: AssumeRoleWithWebIdentity, https response error StatusCode: 403, RequestID: {request_id(rng)}, api error AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity",
            (),
        )
    return (
        "ERROR",
        f"retrying in {rng.choice([2, 4, 8, 16, 30])}s: operation error SQS: ReceiveMessage, get identity: get credentials: failed to refresh cached credentials, failed to retrieve credentials, operation error STS: AssumeRoleWithWebIdentity, https response error StatusCode: 403, RequestID: {request_id(rng)}, api error AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity",
        (),
    )


def minutes(time: datetime) -> float:
    return (time - START).total_seconds() / 60


def service_accounts() -> str:
    def account(
        name: str, created: str, annotations: list[str], uid: str, version: str
    ) -> list[str]:
        return [
            "- apiVersion: v1",
            "  kind: ServiceAccount",
            "  metadata:",
            *(
                ["    annotations:", *(f"      {line}" for line in annotations)]
                if annotations
                else []
            ),
            f'    creationTimestamp: "{created}"',
            *(
                [
                    "    labels:",
                    "      app.kubernetes.io/managed-by: Helm",
                    f"      app.kubernetes.io/name: {name.removesuffix('-sa')}",
                    "      helm.sh/chart: go-service-2.0.0",
                ]
                if name.endswith("-sa")
                else []
            ),
            f"    name: {name}",
            "    namespace: billing",
            f'    resourceVersion: "{version}"',
            f"    uid: {uid}",
        ]

    lines = ["apiVersion: v1", "items:"]
    lines += account(
        "billing-api",
        "2024-11-02T09:14:51Z",
        [f"eks.amazonaws.com/role-arn: arn:aws:iam::{ACCOUNT}:role/billing-api"],
        "0b7f6d51-2c1e-4f4b-9d0e-6a3b51c9e7d2",
        "18823140",
    )
    lines += account(
        "default", "2024-03-19T12:00:07Z", [], "5d2c41a0-93b8-4b8e-a5f7-1e7c2f0a94b6", "412"
    )
    lines += account(
        "invoice-archiver-sa",
        "2025-07-08T16:40:09Z",
        [
            f"eks.amazonaws.com/role-arn: {ROLE}",
            "meta.helm.sh/release-name: invoice-archiver",
            "meta.helm.sh/release-namespace: billing",
        ],
        "c81e3f07-6a4d-4f0e-b2d9-0f5a7c3e1b88",
        "19204417",
    )
    lines += ["kind: List", "metadata:", '  resourceVersion: ""']
    return "\n".join(lines) + "\n"


def iam_role() -> str:
    document = {
        "Role": {
            "Path": "/",
            "RoleName": "billing-invoice-archiver",
            "RoleId": "AROAVRX3JQ7L2MZK5TQ4E",
            "Arn": ROLE,
            "CreateDate": "2024-11-02T09:11:37+00:00",
            "AssumeRolePolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Federated": f"arn:aws:iam::{ACCOUNT}:oidc-provider/{OIDC}"},
                        "Action": "sts:AssumeRoleWithWebIdentity",
                        "Condition": {
                            "StringEquals": {
                                f"{OIDC}:sub": "system:serviceaccount:billing:invoice-archiver",
                                f"{OIDC}:aud": "sts.amazonaws.com",
                            }
                        },
                    }
                ],
            },
            "Description": "IRSA role for invoice-archiver (S3 put, SQS consume)",
            "MaxSessionDuration": 3600,
            "Tags": [
                {"Key": "team", "Value": "billing"},
                {"Key": "managed-by", "Value": "terraform"},
            ],
            "RoleLastUsed": {"LastUsedDate": "2025-07-08T16:39:51+00:00", "Region": "eu-west-1"},
        }
    }
    return (
        "$ aws iam get-role --role-name billing-invoice-archiver\n"
        + json.dumps(document, indent=4)
        + "\n"
    )


def bundle() -> Bundle:
    rng = random.Random(1151)
    total = minutes(NOW)
    upgrade = minutes(UPGRADE)
    log = LogFile("logs/invoice-archiver.log", Zap(CALLERS, rng=rng))
    log.add(traffic(rng, archiver_line, START, upgrade - 0.3, 5200))
    log.add(
        [
            at(
                START,
                17.2 + index * 0.05,
                "WARN",
                f"upload INV-2025-{rng.randrange(10**6):06d} failed, will retry: operation error S3: PutObject, https response error StatusCode: 503, RequestID: {rng.getrandbits(64):016X}, HostID: {rng.getrandbits(200):050x}, api error SlowDown: Please reduce your request rate.",
                logger="archiver/upload.go:97",
            )
            for index in range(14)
        ]
    )
    log.add(
        [
            at(
                START,
                upgrade - 0.25,
                "INFO",
                "received SIGTERM, finishing in-flight uploads",
                logger="archiver/main.go:77",
            ),
            at(START, upgrade - 0.2, "INFO", "shutdown complete", logger="archiver/main.go:91"),
            at(
                START,
                upgrade + 0.05,
                "INFO",
                "invoice-archiver 3.7.2 starting (queue=invoice-rendered bucket=acme-billing-invoices-prod region=eu-west-1)",
                logger="archiver/main.go:41",
            ),
            at(
                START,
                upgrade + 0.06,
                "INFO",
                "http server listening on :8080 (/healthz, /metrics)",
                logger="archiver/main.go:58",
            ),
        ]
    )
    log.add(loud(rng, START, upgrade + 0.1, total - upgrade - 0.2, 2300, assume_denied))

    pod = Pod(
        name=POD,
        namespace="billing",
        node="ip-10-31-44-187.eu-west-1.compute.internal",
        app="invoice-archiver",
        service_account="invoice-archiver-sa",
        start_time="Tue, 08 Jul 2025 16:40:14 +0000",
        ip="10.31.45.22",
        labels=[
            "app.kubernetes.io/instance=invoice-archiver",
            "app.kubernetes.io/name=invoice-archiver",
            "pod-template-hash=6d8f9c7b54",
        ],
        containers=[
            Container(
                name="invoice-archiver",
                image=f"{ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/billing/invoice-archiver:3.7.2",
                state=["Running", "  Started:      Tue, 08 Jul 2025 16:40:17 +0000"],
                limits={"memory": "256Mi"},
                requests={"cpu": "100m", "memory": "128Mi"},
                probes=[
                    "Liveness:   http-get http://:8080/healthz delay=5s timeout=1s period=10s #success=1 #failure=3",
                    "Readiness:  http-get http://:8080/healthz delay=2s timeout=1s period=5s #success=1 #failure=3",
                ],
                environment=[
                    "QUEUE_NAME:                   invoice-rendered",
                    "BUCKET:                       acme-billing-invoices-prod",
                    "AWS_STS_REGIONAL_ENDPOINTS:   regional",
                    "AWS_DEFAULT_REGION:           eu-west-1",
                    "AWS_REGION:                   eu-west-1",
                    f"AWS_ROLE_ARN:                 {ROLE}",
                    "AWS_WEB_IDENTITY_TOKEN_FILE:  /var/run/secrets/eks.amazonaws.com/serviceaccount/token",
                ],
            )
        ],
        events=[
            (
                "Normal",
                "Scheduled",
                "85m",
                "default-scheduler",
                f"Successfully assigned billing/{POD} to ip-10-31-44-187.eu-west-1.compute.internal",
            ),
            (
                "Normal",
                "Pulling",
                "85m",
                "kubelet",
                f'Pulling image "{ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/billing/invoice-archiver:3.7.2"',
            ),
            (
                "Normal",
                "Pulled",
                "85m",
                "kubelet",
                f'Successfully pulled image "{ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/billing/invoice-archiver:3.7.2" in 1.204s (1.204s including waiting). Image size: 14021377 bytes.',
            ),
            ("Normal", "Created", "85m", "kubelet", "Created container invoice-archiver"),
            ("Normal", "Started", "85m", "kubelet", "Started container invoice-archiver"),
        ],
        volumes=[
            "  aws-iam-token:",
            "    Type:                    Projected (a volume that contains injected data from multiple sources)",
            "    TokenExpirationSeconds:  86400",
        ],
    )
    describe = re.sub(
        r"(compute\.internal)/10\.[0-9.]+", r"\1/10.31.44.187", describe_pod(pod, rng)
    ).replace(
        "    Mounts:\n",
        "    Mounts:\n      /var/run/secrets/eks.amazonaws.com/serviceaccount from aws-iam-token (ro)\n",
    )
    nodes = [
        "ip-10-31-44-187.eu-west-1.compute.internal",
        "ip-10-31-12-9.eu-west-1.compute.internal",
        "ip-10-31-71-240.eu-west-1.compute.internal",
    ]
    routine = routine_events(
        rng, ["billing-api", "statement-pdf", "dunning-worker"], 14, nodes, namespace="billing"
    )
    old = "invoice-archiver-5f7b8c9d46"
    ago = int((NOW - UPGRADE).total_seconds())
    signal = [
        (
            ago + 3,
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/invoice-archiver",
                "Scaled up replica set invoice-archiver-6d8f9c7b54 to 1",
            ),
        ),
        (
            ago,
            (
                "Normal",
                "Scheduled",
                f"pod/{POD}",
                f"Successfully assigned billing/{POD} to ip-10-31-44-187.eu-west-1.compute.internal",
            ),
        ),
        (ago - 3, ("Normal", "Started", f"pod/{POD}", "Started container invoice-archiver")),
        (
            ago - 9,
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/invoice-archiver",
                f"Scaled down replica set {old} to 0 from 1",
            ),
        ),
        (ago - 9, ("Normal", "Killing", f"pod/{old}-8kqwm", "Stopping container invoice-archiver")),
        (
            ago - 720,
            (
                "Normal",
                "DisruptionBlocked",
                "node/ip-10-31-12-9.eu-west-1.compute.internal",
                "Node is nominated for a pending pod",
            ),
        ),
        (
            ago - 725,
            (
                "Normal",
                "DisruptionTerminating",
                "node/ip-10-31-71-240.eu-west-1.compute.internal",
                "Disrupting Node: Underutilized/Delete",
            ),
        ),
        (
            ago - 726,
            ("Normal", "Evicted", "pod/billing-api-7c4d5b8f96-2wz9n", "Evicted pod: Underutilized"),
        ),
        (
            ago - 726,
            ("Normal", "Evicted", "pod/billing-api-7c4d5b8f96-mx4hp", "Evicted pod: Underutilized"),
        ),
        (
            ago - 740,
            (
                "Warning",
                "FailedToUpdateEndpoint",
                "endpoints/billing-api",
                'Failed to update endpoint billing/billing-api: Operation cannot be fulfilled on endpoints "billing-api": the object has been modified; please apply your changes to the latest version and try again',
            ),
        ),
    ]
    notes = "\n".join(
        [
            "# invoices missing - handover 18:05 UTC",
            "",
            "- finance: no new invoice PDFs in the archive bucket since about 16:40 UTC; customers get the email but the download link 404s",
            "- SQS invoice-rendered ApproximateNumberOfMessagesVisible: 9 at 16:30, 2,140 at 17:15, 5,870 at 18:00 (alarm fired 17:02)",
            "- invoice-archiver pod is Running 1/1, 0 restarts, /healthz fine",
            "- deploys today: Renovate PR #812 'bump go-service chart to 2.0.0' merged 16:38, Argo synced billing apps 16:40",
            "- S3 had SlowDown errors around 14:12 already (we saw those last week too)",
            "- karpenter consolidated a node at 16:52, billing-api pods moved, looked fine after",
            "",
        ]
    )
    files = {
        "kubectl-describe-pod.txt": describe,
        "kubectl-get-serviceaccounts.yaml": service_accounts(),
        "aws-iam-get-role.json": iam_role(),
        "kubectl-get-events.txt": event_listing(routine, signal),
        "logs/invoice-archiver.log": log.render(),
        "notes.md": notes,
    }
    return Bundle(
        question="No invoices have been archived since about 16:40 UTC and the invoice-rendered queue keeps growing, but the archiver pod looks healthy. What is wrong?",
        category="permission",
        component="invoice-archiver",
        statement="The go-service chart 2.0.0 synced at 16:40 UTC renamed invoice-archiver's ServiceAccount to invoice-archiver-sa, while the IAM role billing-invoice-archiver's trust policy only admits system:serviceaccount:billing:invoice-archiver; since then every AssumeRoleWithWebIdentity call of the new pod is denied (403 AccessDenied), so it cannot read SQS or write to S3.",
        files=files,
        proofs=[
            Proof("aws-iam-get-role.json", "system:serviceaccount:billing:invoice-archiver"),
            Proof("kubectl-describe-pod.txt", "Service Account:  invoice-archiver-sa"),
        ],
        decoys=[
            "api error SlowDown: Please reduce your request rate.",
            "Response has no supported checksum",
            "Disrupting Node: Underutilized/Delete",
        ],
    )
