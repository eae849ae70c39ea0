# ruff: noqa: E501
# Log lines, kubectl output and YAML are data, kept whole on one line.
"""Kubernetes (GKE, Asia/Kolkata): a kustomize overlay copied from the local kind setup left
`imagePullPolicy: Never` on risk-scorer's container in the production overlay (release at
10:12 UTC). The three nodes that already held image 4.8.1 from the canary run the new pods; when
the evening peak makes the HPA ask for nine replicas and the cluster autoscaler adds nodes at
12:40, every pod placed on a fresh node fails with ErrImageNeverPull. risk-scorer runs at a third
of its wanted capacity and payments-gateway's risk checks time out. Decoys: a Redis latency
warning, a certificate renewal event, a Pub/Sub ack deadline warning."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events, table
from records import Log4j, Zap
from scenes import at, java_trace, loud
from traffic import traffic, web_api

IST = timezone(timedelta(hours=5, minutes=30))
START = datetime(2026, 5, 22, 11, 50, tzinfo=UTC)
NOW = datetime(2026, 5, 22, 13, 35, tzinfo=UTC)
SCALE = 50.0  # 12:40 UTC
OLD = [
    "gke-prod-pool-c3-4f1a7b2e-9kqd",
    "gke-prod-pool-c3-4f1a7b2e-t2mx",
    "gke-prod-pool-c3-4f1a7b2e-zw7h",
]
NEW = [
    "gke-prod-pool-c3-4f1a7b2e-b8ln",
    "gke-prod-pool-c3-4f1a7b2e-h5rv",
    "gke-prod-pool-c3-4f1a7b2e-q0xc",
]


def deploy_yaml() -> str:
    return """$ kubectl -n payments get deploy risk-scorer -o yaml | sed -n '/containers:/,/ports:/p'
      containers:
      - env:
        - name: GOMEMLIMIT
          value: 900MiB
        - name: MODEL_PATH
          value: /models/risk-v31.onnx
        image: asia-south1-docker.pkg.dev/acme-pay/prod/risk-scorer:4.8.1
        imagePullPolicy: Never
        name: risk-scorer
        ports:

$ kubectl -n payments get hpa risk-scorer
NAME          REFERENCE                TARGETS    MINPODS   MAXPODS   REPLICAS   AGE
risk-scorer   Deployment/risk-scorer   186%/70%   3         12        9          212d
"""


def pods() -> str:
    rows = [
        ("risk-scorer-85d7c6f9b4-2wdfk", "1/1", "Running", "0", "3h22m", "10.8.3.41", OLD[0]),
        ("risk-scorer-85d7c6f9b4-7vjlq", "1/1", "Running", "0", "3h22m", "10.8.5.17", OLD[1]),
        ("risk-scorer-85d7c6f9b4-c9n2p", "1/1", "Running", "0", "3h21m", "10.8.7.90", OLD[2]),
        (
            "risk-scorer-85d7c6f9b4-fk8zs",
            "0/1",
            "ErrImageNeverPull",
            "0",
            "52m",
            "10.8.11.6",
            NEW[0],
        ),
        (
            "risk-scorer-85d7c6f9b4-j4mtx",
            "0/1",
            "ErrImageNeverPull",
            "0",
            "52m",
            "10.8.12.23",
            NEW[1],
        ),
        (
            "risk-scorer-85d7c6f9b4-lp6rd",
            "0/1",
            "ErrImageNeverPull",
            "0",
            "52m",
            "10.8.13.9",
            NEW[2],
        ),
        (
            "risk-scorer-85d7c6f9b4-r2hbw",
            "0/1",
            "ErrImageNeverPull",
            "0",
            "52m",
            "10.8.11.31",
            NEW[0],
        ),
        (
            "risk-scorer-85d7c6f9b4-vx5qe",
            "0/1",
            "ErrImageNeverPull",
            "0",
            "51m",
            "10.8.12.44",
            NEW[1],
        ),
        (
            "risk-scorer-85d7c6f9b4-wb7kn",
            "0/1",
            "ErrImageNeverPull",
            "0",
            "51m",
            "10.8.13.52",
            NEW[2],
        ),
    ]
    header = (
        "NAME",
        "READY",
        "STATUS",
        "RESTARTS",
        "AGE",
        "IP",
        "NODE",
        "NOMINATED NODE",
        "READINESS GATES",
    )

    return (
        "$ kubectl -n payments get pods -l app=risk-scorer -o wide\n"
        + "\n".join(table(header, [(*row, "<none>", "<none>") for row in rows]))
        + "\n"
    )


def bundle() -> Bundle:
    rng = random.Random(53323)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    image = "asia-south1-docker.pkg.dev/acme-pay/prod/risk-scorer:4.8.1"
    pod = Pod(
        name="risk-scorer-85d7c6f9b4-fk8zs",
        namespace="payments",
        node=NEW[0],
        app="risk-scorer",
        status="Pending",
        ip="10.8.11.6",
        start_time="Fri, 22 May 2026 18:11:04 +0530",
        containers=[
            Container(
                name="risk-scorer",
                image=image,
                state=["Waiting", "  Reason:       ErrImageNeverPull"],
                ready=False,
                limits={"memory": "1Gi"},
                requests={"cpu": "1", "memory": "1Gi"},
            )
        ],
        conditions={
            "Initialized": "True",
            "Ready": "False",
            "ContainersReady": "False",
            "PodScheduled": "True",
        },
        events=[
            (
                "Normal",
                "TriggeredScaleUp",
                "53m",
                "cluster-autoscaler",
                "pod triggered scale-up: [{https://www.googleapis.com/compute/v1/projects/acme-pay/zones/asia-south1-b/instanceGroups/gke-prod-pool-c3-4f1a7b2e-grp 6->9 (max: 15)}]",
            ),
            (
                "Normal",
                "Scheduled",
                "51m",
                "default-scheduler",
                f"Successfully assigned payments/risk-scorer-85d7c6f9b4-fk8zs to {NEW[0]}",
            ),
            (
                "Warning",
                "ErrImageNeverPull",
                "1m (x243 over 51m)",
                "kubelet",
                f'Container image "{image}" is not present with pull policy of Never',
            ),
            ("Warning", "Failed", "1m (x243 over 51m)", "kubelet", "Error: ErrImageNeverPull"),
        ],
    )

    scorer = LogFile(
        "logs/risk-scorer-2wdfk.log",
        Zap(("server/score.go:118", "server/http.go:64", "model/onnx.go:51"), rng=rng),
    )
    scorer.add(traffic(rng, web_api("risk-scorer", ["scores", "features"]), START, total, 2100))
    scorer.add(
        [
            at(
                START,
                27.3,
                "WARN",
                "feature cache: redis GET p99 41ms over 25ms budget",
                logger="features/cache.go:88",
            )
        ]
    )
    scorer.add(
        loud(
            rng,
            START,
            SCALE + 2,
            total - SCALE - 2.5,
            260,
            lambda r: (
                "WARN",
                f"request queue {r.randrange(60, 240)} deep, scoring latency {r.randrange(900, 3100)}ms",
                (),
            ),
        )
    )

    gw = LogFile(
        "logs/payments-gateway.log",
        Log4j(
            (
                "com.acme.pay.gateway.RiskClient",
                "com.acme.pay.gateway.AuthorizeHandler",
                "com.acme.pay.pubsub.Subscriber",
            ),
            threads="http-nio-8443-exec",
            rng=rng,
        ),
    )
    gw.add(
        traffic(
            rng,
            web_api("payments-gateway", ["authorizations", "captures", "refunds"]),
            START,
            total,
            3300,
        )
    )
    gw.add(
        [
            at(
                START,
                19.0,
                "WARN",
                "ack deadline extended for 14 messages on subscription settlement-events-sub",
                logger="com.acme.pay.pubsub.Subscriber",
            )
        ]
    )
    gw.add(
        loud(
            rng,
            START,
            SCALE + 4,
            total - SCALE - 4.5,
            300,
            lambda r: (
                "ERROR",
                f"authorization {r.getrandbits(36):09x} declined: risk check timed out after 1500 ms (fail-closed)",
                tuple(
                    java_trace(
                        "java.net.http.HttpTimeoutException: request timed out",
                        [
                            "jdk.internal.net.http.HttpClientImpl.send(HttpClientImpl.java:951)",
                            "com.acme.pay.gateway.RiskClient.score(RiskClient.java:77)",
                        ],
                    )
                )
                if r.random() < 0.1
                else (),
            ),
        )
    )

    routine = routine_events(
        rng, ["payments-gateway", "ledger-writer", "refund-worker"], 14, OLD, namespace="payments"
    )
    signal = [
        (
            ago(SCALE) + 90,
            (
                "Normal",
                "SuccessfulRescale",
                "horizontalpodautoscaler/risk-scorer",
                "New size: 9; reason: cpu resource utilization (percentage of request) above target",
            ),
        ),
        (
            ago(SCALE) - 100,
            (
                "Warning",
                "ErrImageNeverPull",
                "pod/risk-scorer-85d7c6f9b4-j4mtx",
                f'Container image "{image}" is not present with pull policy of Never',
            ),
        ),
        (
            ago(SCALE) - 110,
            (
                "Warning",
                "ErrImageNeverPull",
                "pod/risk-scorer-85d7c6f9b4-lp6rd",
                f'Container image "{image}" is not present with pull policy of Never',
            ),
        ),
        (
            ago(30),
            (
                "Normal",
                "Issuing",
                "certificate/payments-gateway-tls",
                "The certificate has been successfully issued",
            ),
        ),
    ]
    events = "$ kubectl -n payments get events --sort-by=.lastTimestamp\n" + event_listing(
        routine, signal
    )

    return Bundle(
        question="Card authorizations are being declined with risk-check timeouts since about 18:15 IST. What is the root cause?",
        category="deployment",
        component="risk-scorer",
        statement="risk-scorer's release left imagePullPolicy: Never on its container, so only the three nodes that already held image 4.8.1 can run it; the six pods the HPA added on fresh autoscaled nodes fail with ErrImageNeverPull and the remaining pods are too few for the peak.",
        files={
            "kubectl-get-deploy-risk-scorer.txt": deploy_yaml(),
            "kubectl-get-pods-wide.txt": pods(),
            "kubectl-describe-pod-risk-scorer.txt": "$ kubectl -n payments describe pod risk-scorer-85d7c6f9b4-fk8zs\n"
            + describe_pod(pod, rng),
            "kubectl-get-events.txt": events,
            scorer.name: scorer.render(),
            gw.name: gw.render(),
        },
        proofs=[
            Proof("kubectl-get-deploy-risk-scorer.txt", "imagePullPolicy: Never"),
            Proof(
                "kubectl-describe-pod-risk-scorer.txt", "is not present with pull policy of Never"
            ),
        ],
        decoys=["redis GET p99 41ms", "payments-gateway-tls", "ack deadline extended"],
    )
