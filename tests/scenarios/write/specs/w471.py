# ruff: noqa: E501
# Log lines, kubectl rows and CI output are data, kept whole on one line.
"""Kubernetes: refunds-api 2.14.0 throws a NullPointerException on refunds of orders paid
with gift cards. The hotfix 2.14.1 was shipped by CI at 15:20 PDT with `kubectl set image`,
which succeeded, but the Deployment had been left paused since the previous evening's
debugging session (`kubectl rollout pause`), so the template changed and no ReplicaSet was
created; the old pods keep running 2.14.0 and refunds keep failing. Decoys: a Kafka
rebalance, a deprecation warning in the CI job and a slow payment-provider call."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events
from records import Log4j
from scenes import at, java_trace, loud
from traffic import traffic, web_api

PDT = timezone(timedelta(hours=-7))
START = datetime(2026, 5, 12, 21, 30, tzinfo=UTC)  # 14:30 PDT
NOW = datetime(2026, 5, 12, 23, 5, tzinfo=UTC)
HOTFIX = 50.0  # 22:20 UTC, 15:20 PDT


def bundle() -> Bundle:
    rng = random.Random(47105)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    app = LogFile(
        "logs/refunds-api.log",
        Log4j(
            (
                "com.harbor.refunds.RefundService",
                "com.harbor.refunds.web.RefundController",
                "org.apache.kafka.clients.consumer.internals.ConsumerCoordinator",
            ),
            threads="http-nio-8443-exec",
            rng=rng,
        ),
    )
    app.add(traffic(rng, web_api("refunds-api", ["refunds", "orders"]), START, total, 3600))
    npe = java_trace(
        'java.lang.NullPointerException: Cannot invoke "com.harbor.refunds.model.Tender.getAmount()" because "giftCard" is null',
        [
            "com.harbor.refunds.RefundService.splitTenders(RefundService.java:214)",
            "com.harbor.refunds.RefundService.refund(RefundService.java:131)",
            "com.harbor.refunds.web.RefundController.create(RefundController.java:58)",
        ],
        more=87,
    )
    app.add(
        loud(
            rng,
            START,
            0.5,
            total - 1,
            260,
            lambda r: (
                "ERROR",
                f"POST /api/v2/refunds order={r.randrange(10**7)} failed (refunds-api 2.14.0)",
                tuple(npe),
            ),
        )
    )
    app.add(
        [
            at(
                START,
                33.0,
                "INFO",
                "[Consumer clientId=refunds-api-2, groupId=refunds] Request joining group due to: group is already rebalancing",
                logger="org.apache.kafka.clients.consumer.internals.ConsumerCoordinator",
            )
        ]
    )
    app.add(
        [
            at(
                START,
                71.0,
                "WARN",
                "payment provider call POST /v1/refunds took 4210 ms (threshold 3000 ms)",
                logger="com.harbor.refunds.RefundService",
            )
        ]
    )

    ci = "\n".join(
        [
            "Run deploy (job 88412, workflow hotfix-2.14.1)",
            "2026-05-12T22:19:48.1130412Z + kubectl version --client",
            "2026-05-12T22:19:48.4121906Z WARNING: This version information is deprecated and will be replaced with the output from kubectl version --short.",
            "2026-05-12T22:19:48.4122233Z Client Version: v1.27.4",
            "2026-05-12T22:19:49.0031184Z + kubectl -n payments set image deployment/refunds-api refunds-api=ghcr.io/harbor/refunds-api:2.14.1",
            "2026-05-12T22:19:49.6620045Z deployment.apps/refunds-api image updated",
            "2026-05-12T22:19:49.6642018Z + kubectl -n payments annotate deployment/refunds-api kubernetes.io/change-cause='hotfix 2.14.1 gift card NPE' --overwrite",
            "2026-05-12T22:19:50.1407723Z deployment.apps/refunds-api annotated",
            "2026-05-12T22:19:50.1428840Z Deploy step finished (no rollout status wait configured)",
            "",
        ]
    )

    get = "\n".join(
        [
            "$ kubectl -n payments describe deploy refunds-api",
            "Name:                   refunds-api",
            "Namespace:              payments",
            "CreationTimestamp:      Thu, 08 Jan 2026 10:14:27 -0800",
            "Labels:                 app=refunds-api",
            "Annotations:            deployment.kubernetes.io/revision: 31",
            "                        kubernetes.io/change-cause: hotfix 2.14.1 gift card NPE",
            "Selector:               app=refunds-api",
            "Replicas:               4 desired | 0 updated | 4 total | 4 available | 0 unavailable",
            "StrategyType:           RollingUpdate",
            "MinReadySeconds:        0",
            "RollingUpdateStrategy:  25% max unavailable, 25% max surge",
            "Pod Template:",
            "  Labels:  app=refunds-api",
            "  Containers:",
            "   refunds-api:",
            "    Image:        ghcr.io/harbor/refunds-api:2.14.1",
            "    Port:         8443/TCP",
            "    Host Port:    0/TCP",
            "    Environment:  <none>",
            "    Mounts:       <none>",
            "  Volumes:        <none>",
            "Conditions:",
            "  Type           Status   Reason",
            "  ----           ------   ------",
            "  Available      True     MinimumReplicasAvailable",
            "  Progressing    Unknown  DeploymentPaused",
            "OldReplicaSets:  <none>",
            "NewReplicaSet:   refunds-api-7b9c5d86f4 (4/4 replicas created)",
            "Events:          <none>",
            "",
            "$ kubectl -n payments get rs -l app=refunds-api -o wide",
            "NAME                     DESIRED   CURRENT   READY   AGE   CONTAINERS    IMAGES                             SELECTOR",
            "refunds-api-5f8d6c7b9    0         0         0       9d    refunds-api   ghcr.io/harbor/refunds-api:2.13.2   app=refunds-api,pod-template-hash=5f8d6c7b9",
            "refunds-api-7b9c5d86f4   4         4         4       2d    refunds-api   ghcr.io/harbor/refunds-api:2.14.0   app=refunds-api,pod-template-hash=7b9c5d86f4",
            "",
            '$ kubectl -n payments get deploy refunds-api -o jsonpath=\'{.spec.paused}{"\\n"}{.metadata.managedFields[?(@.manager=="kubectl-rollout")].time}{"\\n"}\'',
            "true",
            "2026-05-12T01:47:12Z",
            "",
        ]
    )
    routine = routine_events(
        rng,
        ["refunds-api", "ledger", "notifier"],
        14,
        ["gke-pay-default-4b1f", "gke-pay-default-9c2e", "gke-pay-default-d77a"],
        namespace="payments",
    )
    signal = [
        (
            ago(20.0),
            (
                "Warning",
                "Unhealthy",
                "pod/notifier-6b7f9c8d5-k2w8p",
                'Liveness probe failed: Get "http://10.8.1.33:9000/live": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
            ),
        )
    ]
    events = event_listing(routine, signal)
    return Bundle(
        question="We shipped 2.14.1 at 15:20 PDT to fix the gift-card refund 500s, the deploy job was green, but refunds still fail with the same NullPointerException. Why?",
        category="deployment",
        component="refunds-api",
        statement="Deployment refunds-api was left paused (`spec.paused: true`, set by `kubectl rollout pause` at 18:47 PDT the day before), so CI's `kubectl set image` to 2.14.1 changed the template but created no new ReplicaSet; the pods still run 2.14.0 with the gift-card NullPointerException.",
        files={
            "ci-deploy.log": ci,
            "kubectl-refunds-api.txt": get,
            "kubectl-get-events.txt": events,
            app.name: app.render(),
        },
        proofs=[
            Proof("kubectl-refunds-api.txt", "  Progressing    Unknown  DeploymentPaused"),
            Proof("kubectl-refunds-api.txt", "refunds-api-7b9c5d86f4   4         4         4"),
            Proof("kubectl-refunds-api.txt", "2026-05-12T01:47:12Z"),
        ],
        decoys=[
            "group is already rebalancing",
            "This version information is deprecated",
            "payment provider call POST /v1/refunds took 4210 ms",
        ],
    )
