# ruff: noqa: E501
# kubectl rows, a pasted terminal and hand-written log lines are data, kept whole on one line.
"""Kubernetes: on Monday the platform team labelled the payments namespace
`pod-security.kubernetes.io/enforce=restricted`; kubectl warned that payments-api's running pods
violate it (it runs as root with privilege escalation allowed), but running pods are not
touched. On Thursday at 16:10 UTC the GKE node auto-upgrade drains the pool: three of four
payments-api pods are evicted and the ReplicaSet cannot create replacements (`violates
PodSecurity "restricted:latest"`). The one pod left saturates, checkout times out and answers
503. Loud: checkout's timeouts, payments-api's full thread pool, the drain events. Decoys: the
node upgrade itself, a PodDisruptionBudget blocking another app's eviction, and a fraud-score
latency warning."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events, table
from records import Log4j, SpringBoot
from scenes import at, fixed, java_trace, loud
from traffic import traffic, web_api

START = datetime(2025, 5, 22, 15, 30, tzinfo=UTC)
NOW = datetime(2025, 5, 22, 16, 42, tzinfo=UTC)
DRAIN = 40.0  # 16:10
RS = "payments-api-6d4b8c7f59"
VIOLATION = 'violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false (container "payments-api" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "payments-api" must set securityContext.capabilities.drop=["ALL"]), runAsNonRoot != true (pod or container "payments-api" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "payments-api" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")'
NODES = [
    "gke-prod-general-3f9a1c22-5qtn",
    "gke-prod-general-3f9a1c22-9wbd",
    "gke-prod-general-3f9a1c22-kx7m",
    "gke-prod-general-3f9a1c22-r2lp",
]


def checkout_timeout(rng: random.Random) -> str:
    return f'payment authorisation failed for order {rng.randrange(10**8)}: I/O error on POST request for "http://payments-api.payments.svc.cluster.local/v2/authorisations": Read timed out'


def bundle() -> Bundle:
    rng = random.Random(1158)
    total = (NOW - START).total_seconds() / 60
    checkout = LogFile(
        "logs/checkout.log",
        Log4j(
            (
                "com.acme.checkout.OrderController",
                "com.acme.checkout.PaymentClient",
                "com.acme.checkout.CartReader",
            ),
            threads="http-nio-8080-exec",
            rng=rng,
        ),
    )
    checkout.add(
        traffic(rng, web_api("checkout", ["orders", "carts", "quotes"]), START, total, 3300)
    )
    checkout.add(
        loud(rng, START, DRAIN + 3.5, total - DRAIN - 4, 1100, fixed("ERROR", checkout_timeout))
    )
    checkout.add(
        loud(
            rng,
            START,
            DRAIN + 4,
            total - DRAIN - 4.5,
            450,
            fixed(
                "WARN",
                lambda r: (
                    f"POST /api/v1/orders 503 {r.randrange(5000, 5100)}ms client=10.8.{r.randrange(256)}.{r.randrange(1, 255)} (payments unavailable)"
                ),
            ),
        )
    )
    checkout.add(
        [
            at(
                START,
                12.4,
                "WARN",
                "fraud-score call took 2140 ms (budget 1500 ms), continuing without score",
                logger="com.acme.checkout.FraudClient",
            )
        ]
    )
    payments = LogFile(
        "logs/payments-api.log",
        SpringBoot(
            (
                "c.a.payments.AuthorisationController",
                "c.a.payments.AcquirerClient",
                "c.a.payments.LedgerWriter",
            ),
            rng=rng,
        ),
    )
    payments.add(
        traffic(
            rng,
            web_api("payments-api", ["authorisations", "refunds", "captures"]),
            START,
            total,
            2900,
        )
    )
    payments.add(
        loud(
            rng,
            START,
            DRAIN + 3,
            total - DRAIN - 3.5,
            600,
            fixed(
                "WARN",
                lambda r: (
                    f"Executor queue full, rejecting authorisation request (active=200, queued={r.randrange(480, 512)}/512)"
                ),
            ),
        )
    )
    payments.add(
        [
            at(
                START,
                DRAIN + 3.2,
                "ERROR",
                "Request processing failed: org.springframework.core.task.TaskRejectedException: Executor [java.util.concurrent.ThreadPoolExecutor@4b1d6a2e[Running, pool size = 200, active threads = 200, queued tasks = 512, completed tasks = 8841207]] did not accept task",
                java_trace(
                    "org.springframework.core.task.TaskRejectedException: Executor did not accept task",
                    [
                        "org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor.execute(ThreadPoolTaskExecutor.java:363)",
                        "c.a.payments.AuthorisationController.authorise(AuthorisationController.java:88)",
                    ],
                    more=61,
                ),
                logger="o.a.c.c.C.[.[.[/].[dispatcherServlet]",
            ),
        ]
    )
    routine = routine_events(
        rng, ["ledger-writer", "refund-worker", "payments-gateway"], 24, NODES, namespace="payments"
    )

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    signal = [
        (
            ago(DRAIN),
            (
                "Normal",
                "NodeNotSchedulable",
                f"node/{NODES[1]}",
                f"Node {NODES[1]} status is now: NodeNotSchedulable",
            ),
        ),
        (
            ago(DRAIN + 0.2),
            ("Normal", "Killing", f"pod/{RS}-7tq2c", "Stopping container payments-api"),
        ),
        (
            ago(DRAIN + 0.3),
            (
                "Warning",
                "FailedCreate",
                f"replicaset/{RS}",
                f'Error creating: pods "{RS}-m4x8d" is forbidden: {VIOLATION}',
            ),
        ),
        (
            ago(DRAIN + 1.1),
            (
                "Normal",
                "NodeNotSchedulable",
                f"node/{NODES[2]}",
                f"Node {NODES[2]} status is now: NodeNotSchedulable",
            ),
        ),
        (
            ago(DRAIN + 1.3),
            ("Normal", "Killing", f"pod/{RS}-b9wlp", "Stopping container payments-api"),
        ),
        (
            ago(DRAIN + 1.4),
            ("Normal", "Killing", f"pod/{RS}-zr5hv", "Stopping container payments-api"),
        ),
        (
            ago(DRAIN + 1.6),
            (
                "Warning",
                "EvictionBlocked",
                "pod/ledger-writer-0",
                "Cannot evict pod as it would violate the pod's disruption budget.",
            ),
        ),
        (
            ago(DRAIN + 2.2),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/refund-worker",
                "Scaled up replica set refund-worker-85fcd67c9b to 2 from 1",
            ),
        ),
        (
            ago(total - 1.5),
            (
                "Warning",
                "FailedCreate",
                f"replicaset/{RS}",
                f'Error creating: pods "{RS}-q2wgn" is forbidden: {VIOLATION}',
            ),
        ),
    ]
    events = event_listing(routine, signal)
    describe_rs = [
        f"Name:           {RS}",
        "Namespace:      payments",
        f"Selector:       app=payments-api,pod-template-hash={RS.rsplit('-', 1)[1]}",
        "Labels:         app=payments-api",
        f"                pod-template-hash={RS.rsplit('-', 1)[1]}",
        "Annotations:    deployment.kubernetes.io/desired-replicas: 4",
        "                deployment.kubernetes.io/max-replicas: 5",
        "                deployment.kubernetes.io/revision: 31",
        "Controlled By:  Deployment/payments-api",
        "Replicas:       1 current / 4 desired",
        "Pods Status:    1 Running / 0 Waiting / 0 Succeeded / 0 Failed",
        "Pod Template:",
        "  Labels:  app=payments-api",
        f"           pod-template-hash={RS.rsplit('-', 1)[1]}",
        "  Service Account:  payments-api",
        "  Containers:",
        "   payments-api:",
        "    Image:      europe-docker.pkg.dev/acme-pay/apps/payments-api:8.14.2",
        "    Port:       8080/TCP",
        "    Host Port:  0/TCP",
        "    Limits:",
        "      memory:  2Gi",
        "    Requests:",
        "      cpu:     1",
        "      memory:  2Gi",
        "    Readiness:  http-get http://:8080/actuator/health/readiness delay=20s timeout=1s period=5s #success=1 #failure=3",
        "    Environment:",
        "      JAVA_TOOL_OPTIONS:  -XX:MaxRAMPercentage=75",
        "    Mounts:             <none>",
        "  Volumes:              <none>",
        "Conditions:",
        "  Type             Status  Reason",
        "  ----             ------  ------",
        "  ReplicaFailure   True    FailedCreate",
        "Events:",
        "  Type     Reason        Age                 From                   Message",
        "  ----     ------        ----                ----                   -------",
        f'  Warning  FailedCreate  90s (x19 over 31m)  replicaset-controller  Error creating: pods "{RS}-q2wgn" is forbidden: {VIOLATION}',
    ]
    deploy = [
        ("NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"),
        ("payments-api", "1/4", "1", "1", "2y41d"),
        ("payments-gateway", "2/2", "2", "2", "2y41d"),
        ("refund-worker", "2/2", "2", "2", "1y200d"),
    ]
    nodes = [("NAME", "STATUS", "ROLES", "AGE", "VERSION")]
    nodes += [
        (NODES[0], "Ready", "<none>", "61d", "v1.31.6-gke.1020000"),
        (NODES[1], "Ready,SchedulingDisabled", "<none>", "61d", "v1.31.6-gke.1020000"),
        (NODES[2], "Ready,SchedulingDisabled", "<none>", "61d", "v1.31.6-gke.1020000"),
        (NODES[3], "Ready", "<none>", "61d", "v1.31.6-gke.1020000"),
        ("gke-prod-general-8b21d0e4-6hfc", "Ready", "<none>", "27m", "v1.32.2-gke.1182003"),
        ("gke-prod-general-8b21d0e4-vn3j", "Ready", "<none>", "26m", "v1.32.2-gke.1182003"),
    ]
    kubectl = "\n".join(
        [
            "$ kubectl -n payments get deploy",
            *table(deploy[0], deploy[1:]),
            "",
            "$ kubectl get nodes",
            *table(nodes[0], nodes[1:]),
            "",
            f"$ kubectl -n payments describe rs {RS}",
            *describe_rs,
            "",
        ]
    )
    notes = "\n".join(
        [
            "## payments degraded 2025-05-22",
            "",
            "16:14 PaymentsLatencyHigh + CheckoutErrorRate firing. GKE maintenance window for prod-general started 16:00",
            "(auto-upgrade to 1.32), nodes being drained one by one. Suspect the upgrade.",
            "",
            "Pasted by @marek from the platform change PLAT-2291 (Mon 19 May, 'pod security baseline rollout, phase 2'):",
            "",
            "```",
            "$ kubectl label --overwrite ns payments pod-security.kubernetes.io/enforce=restricted pod-security.kubernetes.io/enforce-version=latest",
            'Warning: existing pods in namespace "payments" violate the new PodSecurity enforce level "restricted:latest"',
            "Warning: payments-api-6d4b8c7f59-7tq2c (and 3 other pods): allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, seccompProfile",
            "namespace/payments labeled",
            "$ kubectl label --overwrite ns ledger pod-security.kubernetes.io/enforce=restricted pod-security.kubernetes.io/enforce-version=latest",
            "namespace/ledger labeled",
            "```",
            "",
        ]
    )
    files = {
        "notes.md": notes,
        "kubectl-get-events.txt": events,
        "kubectl-output.txt": kubectl,
        "logs/checkout.log": checkout.render(),
        "logs/payments-api.log": payments.render(),
    }
    return Bundle(
        question="Checkout has been failing with payment timeouts since about 16:13 UTC, during the GKE maintenance window. What is the root cause?",
        category="permission",
        component="payments-api",
        statement='The payments namespace was labelled pod-security.kubernetes.io/enforce=restricted on 19 May while payments-api\'s pod template runs as root with privilege escalation allowed; when the 16:10 UTC node upgrade drained its nodes, Pod Security admission rejected every replacement pod (violates PodSecurity "restricted:latest"), leaving payments-api at 1/4 replicas, saturated, and checkout timing out.',
        files=files,
        proofs=[
            Proof("kubectl-output.txt", "  Warning  FailedCreate  90s (x19 over 31m)"),
            Proof("notes.md", 'violate the new PodSecurity enforce level "restricted:latest"'),
        ],
        decoys=[
            "NodeNotSchedulable",
            "Cannot evict pod as it would violate the pod's disruption budget.",
            "fraud-score call took 2140 ms",
        ],
    )
