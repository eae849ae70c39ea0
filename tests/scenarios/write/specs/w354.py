# ruff: noqa: E501
# Controller lines, kubectl rows and AWS CLI output are data, kept whole on one line.
"""Kubernetes (EKS): a Terraform module upgrade at 01:05 UTC replaced the AWS Load Balancer
Controller's IAM policy with the newer one whose `RegisterTargets`/`DeregisterTargets` statement
requires the `elbv2.k8s.aws/cluster` tag on the target group. portal-web's target group was
created by an old controller version and carries no such tag, so registration is denied. Since
the 02:30 UTC rollout of portal-web, new pods' readiness gate
`target-health.elbv2.k8s.aws/...` stays False, the rollout stalls with old pods half scaled
down, and the two old pods removed by the rollout cannot be deregistered either, so the ALB keeps sending them requests and answers 502. Decoys: an ExternalDNS
throttling warning, a `Readiness probe failed` on a pod during its startup, and a CloudFront
cache-miss spike note."""

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events
from records import NginxAccess, Record
from scenes import at, fixed, loud
from traffic import http_access, traffic

TOKYO = ZoneInfo("Asia/Tokyo")
START = datetime(2026, 12, 8, 0, 40, tzinfo=UTC)  # 09:40 JST
NOW = datetime(2026, 12, 8, 3, 20, tzinfo=UTC)  # 12:20 JST
POLICY = 25.0  # 01:05 UTC
ROLLOUT = 110.0  # 02:30 UTC
NODES = [
    "ip-172-20-33-14.ap-northeast-1.compute.internal",
    "ip-172-20-47-180.ap-northeast-1.compute.internal",
    "ip-172-20-61-92.ap-northeast-1.compute.internal",
]
TG = "arn:aws:elasticloadbalancing:ap-northeast-1:381726354019:targetgroup/k8s-web-portalwe-5e1c0a9b3d/71c2d9e04b8f3a65"
ROLE = "arn:aws:sts::381726354019:assumed-role/eks-prod-tokyo-aws-load-balancer-controller/1765154711820930143"


@dataclass
class ControllerLog:
    """The controller-runtime JSON the AWS Load Balancer Controller writes; the message is the JSON body."""

    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def render(self, record: Record) -> list[str]:
        stamp = record.time.strftime("%Y-%m-%dT%H:%M:%SZ")
        level = {"WARN": "info", "INFO": "info", "ERROR": "error"}[record.level]
        return ['{"level":"' + level + '","ts":"' + stamp + '",' + record.message + "}"]


def controller_line(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    roll = rng.random()
    if roll < 0.5:
        tgb = rng.choice(
            ["k8s-web-search-9a7e2c41f0", "k8s-api-gateway-1b8d3f5c72", "k8s-web-assets-4f6a8c0e21"]
        )
        return (
            "INFO",
            f'"logger":"controllers.targetGroupBinding","msg":"Successfully Reconciled","tgb":{{"name":"{tgb}","namespace":"{tgb.split("-")[1]}"}}',
            (),
        )
    if roll < 0.8:
        ing = rng.choice(["web/portal", "api/gateway", "web/search"])
        return (
            "INFO",
            f'"logger":"controllers.ingress","msg":"successfully deployed model","ingressGroup":"{ing}"',
            (),
        )
    return (
        "INFO",
        f'"logger":"controllers.pod","msg":"pod readiness gate unchanged","pod":"{rng.choice(["search", "gateway"])}-{rng.getrandbits(36):09x}"',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(35408)
    total = (NOW - START).total_seconds() / 60

    ctrl = LogFile("kubectl-logs-aws-load-balancer-controller.txt", ControllerLog(rng=rng))
    ctrl.add(traffic(rng, controller_line, START, total, 1400))
    ctrl.add(
        [
            at(
                START,
                12.0,
                "WARN",
                '"logger":"external-dns-bridge","msg":"Throttling: Rate exceeded on route53:ChangeResourceRecordSets, will retry in 4s"',
            ),
            at(
                START,
                POLICY + 2.0,
                "INFO",
                '"logger":"controllers.ingress","msg":"successfully deployed model","ingressGroup":"web/portal"',
            ),
        ]
    )
    denied = f'"logger":"controllers.targetGroupBinding","msg":"Reconciler error","name":"k8s-web-portalwe-5e1c0a9b3d","namespace":"web","error":"AccessDenied: User: {ROLE} is not authorized to perform: elasticloadbalancing:RegisterTargets on resource: {TG} because no identity-based policy allows the elasticloadbalancing:RegisterTargets action\\n\\tstatus code: 403, request id: '
    ctrl.add(
        loud(
            rng,
            START,
            ROLLOUT + 0.3,
            total - ROLLOUT - 0.3,
            160,
            fixed("ERROR", lambda r: denied + f'{r.getrandbits(128):032x}"'),
        )
    )

    alb = LogFile("portal-web-access.log", NginxAccess(rng=rng, zone=TOKYO))
    alb.add(
        traffic(
            rng,
            http_access(
                ["/", "/mypage", "/news/{id}", "/static/app.{id}.js", "/api/notices"],
                upstream_ms=45,
            ),
            START,
            total,
            3600,
        )
    )
    alb.add(
        loud(
            rng,
            START,
            ROLLOUT + 4,
            total - ROLLOUT - 4,
            520,
            fixed(
                "ERROR",
                lambda r: (
                    f'"GET {r.choice(["/", "/mypage", "/api/notices"])} HTTP/1.1" 502 150 "-" "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X)" 0.000'
                ),
            ),
        )
    )
    alb.add(
        [
            at(
                START,
                61.0,
                "INFO",
                '"GET /static/app.bundle.js HTTP/1.1" 200 882113 "-" "Amazon CloudFront" 0.418 (x-cache: Miss from cloudfront, 38 misses/min)',
            )
        ]
    )

    pasted = "\n".join(
        [
            "$ kubectl -n web get pods -l app=portal-web -o wide",
            "NAME                          READY   STATUS    RESTARTS   AGE    IP              NODE                                               NOMINATED NODE   READINESS GATES",
            f"portal-web-7f4b9c6d58-2kq8v   1/1     Running   0          50m    172.20.41.77    {NODES[1]}   <none>           0/1",
            f"portal-web-7f4b9c6d58-tx9lm   1/1     Running   0          50m    172.20.58.12    {NODES[2]}   <none>           0/1",
            f"portal-web-5c8d7e6f49-h6rzn   1/1     Running   0          13d    172.20.35.201   {NODES[0]}   <none>           1/1",
            f"portal-web-5c8d7e6f49-w3vpd   1/1     Running   0          13d    172.20.60.18    {NODES[2]}   <none>           1/1",
            f"portal-web-5c8d7e6f49-z8nmc   1/1     Running   0          13d    172.20.44.139   {NODES[1]}   <none>           1/1",
            f"portal-web-5c8d7e6f49-5jfbs   1/1     Running   0          13d    172.20.37.66    {NODES[0]}   <none>           1/1",
            f"portal-web-5c8d7e6f49-c2kxd   1/1     Running   0          13d    172.20.52.230   {NODES[1]}   <none>           1/1",
            f"portal-web-5c8d7e6f49-pq7wt   1/1     Running   0          13d    172.20.63.5     {NODES[2]}   <none>           1/1",
            "",
            "$ kubectl -n web rollout status deploy/portal-web --timeout=10s",
            'Waiting for deployment "portal-web" rollout to finish: 2 out of 8 new replicas have been updated...',
            "error: timed out waiting for the condition",
            "",
            f"$ aws elbv2 describe-tags --resource-arns {TG} --query 'TagDescriptions[].Tags' --output text",
            "ingress.k8s.aws/resource\tweb/portal-portal-web:80",
            "ingress.k8s.aws/stack\tweb/portal",
            "",
            "$ aws iam get-policy-version --policy-arn arn:aws:iam::381726354019:policy/eks-prod-tokyo-alb-controller --version-id v7 --query 'PolicyVersion.[CreateDate,Document.Statement[?Sid==`RegisterTargets`]]' --output json",
            "[",
            '    "2026-12-08T01:05:18+00:00",',
            "    [",
            "        {",
            '            "Sid": "RegisterTargets",',
            '            "Effect": "Allow",',
            '            "Action": ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],',
            '            "Resource": "arn:aws:elasticloadbalancing:*:*:targetgroup/*/*",',
            '            "Condition": {"Null": {"aws:ResourceTag/elbv2.k8s.aws/cluster": "false"}}',
            "        }",
            "    ]",
            "]",
            "",
        ]
    )

    describe = describe_pod(
        Pod(
            name="portal-web-7f4b9c6d58-2kq8v",
            namespace="web",
            node=NODES[1],
            app="portal-web",
            ip="172.20.41.77",
            start_time="Tue, 08 Dec 2026 02:30:14 +0000",
            conditions={
                "target-health.elbv2.k8s.aws/k8s-web-portalwe-5e1c0a9b3d": "False",
                "Initialized": "True",
                "Ready": "False",
                "ContainersReady": "True",
                "PodScheduled": "True",
            },
            containers=[
                Container(
                    name="portal-web",
                    image="381726354019.dkr.ecr.ap-northeast-1.amazonaws.com/web/portal-web:2026.12.08-1",
                    state=["Running", "  Started:      Tue, 08 Dec 2026 02:30:19 +0000"],
                    limits={"memory": "512Mi"},
                    requests={"cpu": "200m", "memory": "256Mi"},
                    probes=[
                        "Readiness:  http-get http://:8080/healthz delay=3s timeout=1s period=5s #success=1 #failure=3"
                    ],
                )
            ],
            events=[
                (
                    "Normal",
                    "Scheduled",
                    "50m",
                    "default-scheduler",
                    f"Successfully assigned web/portal-web-7f4b9c6d58-2kq8v to {NODES[1]}",
                ),
                ("Normal", "Started", "50m", "kubelet", "Started container portal-web"),
                (
                    "Warning",
                    "Unhealthy",
                    "50m",
                    "kubelet",
                    'Readiness probe failed: Get "http://172.20.41.77:8080/healthz": dial tcp 172.20.41.77:8080: connect: connection refused',
                ),
            ],
        ),
        rng,
    )

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    routine = routine_events(
        rng, ["search-web", "portal-web", "notice-api"], 20, NODES, namespace="web"
    )
    signal = [
        (
            ago(ROLLOUT),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/portal-web",
                "Scaled up replica set portal-web-7f4b9c6d58 to 2",
            ),
        ),
        (
            ago(ROLLOUT + 0.1),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/portal-web",
                "Scaled down replica set portal-web-5c8d7e6f49 to 6 from 8",
            ),
        ),
        (
            ago(ROLLOUT + 0.5),
            (
                "Warning",
                "FailedDeployModel",
                "targetgroupbinding/k8s-web-portalwe-5e1c0a9b3d",
                f"Failed deploy model due to AccessDenied: User: {ROLE} is not authorized to perform: elasticloadbalancing:RegisterTargets on resource: {TG}",
            ),
        ),
        (
            ago(ROLLOUT + 10.1),
            (
                "Warning",
                "ProgressDeadlineExceeded",
                "deployment/portal-web",
                'ReplicaSet "portal-web-7f4b9c6d58" has timed out progressing.',
            ),
        ),
    ]
    events = event_listing(routine, signal)

    return Bundle(
        question="The portal has been throwing 502s since the 11:30 JST deploy, and the rollout never finishes: new pods are Running but never Ready. What is the root cause?",
        category="permission",
        component="aws-load-balancer-controller",
        statement="The 01:05 UTC Terraform upgrade replaced the AWS Load Balancer Controller's IAM policy with one that only allows RegisterTargets on target groups tagged elbv2.k8s.aws/cluster; portal-web's older target group has no such tag, so registration is denied (AccessDenied), the new pods' target-health readiness gate stays False, and the rollout stalls; the two scaled-down old pods cannot be deregistered either, so the ALB keeps routing to them and answers 502.",
        files={
            "kubectl-logs-aws-load-balancer-controller.txt": ctrl.render(),
            "portal-web-access.log": alb.render(),
            "kubectl-aws-pasted.txt": pasted,
            "kubectl-describe-pod.txt": describe,
            "kubectl-get-events.txt": events,
        },
        proofs=[
            Proof(
                "kubectl-aws-pasted.txt",
                '"Condition": {"Null": {"aws:ResourceTag/elbv2.k8s.aws/cluster": "false"}}',
            ),
            Proof(
                "kubectl-aws-pasted.txt",
                "ingress.k8s.aws/resource\tweb/portal-portal-web:80",
                "ingress.k8s.aws/stack\tweb/portal",
            ),
            Proof("kubectl-get-events.txt", "Failed deploy model due to AccessDenied"),
        ],
        decoys=[
            "Throttling: Rate exceeded on route53:ChangeResourceRecordSets",
            "dial tcp 172.20.41.77:8080: connect: connection refused",
            "x-cache: Miss from cloudfront",
        ],
    )
