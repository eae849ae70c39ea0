# ruff: noqa: E501
# kubectl rows and hand-written log lines are data, kept whole on one line.
"""Kubernetes: the platform chart 4.2.0 (applied 13:18 UTC) added `runAsNonRoot: true` to every
pod's securityContext. pdf-renderer's vendor image has no USER and runs as root, so its new pods
stay in CreateContainerConfigError (`container has runAsNonRoot and image will run as root`).
The rollout stalls with one old pod left after a node drain at 13:40; billing-api's calls to
pdf-renderer queue and time out, invoices stay unsent. Decoys: the node drain, billing-api's
timeouts, and a failed readiness probe on an unrelated mailer pod."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events, table
from records import JsonLines
from scenes import fixed, loud
from traffic import traffic, web_api

START = datetime(2026, 6, 11, 12, 50, tzinfo=UTC)
NOW = datetime(2026, 6, 11, 14, 5, tzinfo=UTC)
NODES = [
    "aks-apps-31874512-vmss00000a",
    "aks-apps-31874512-vmss00000b",
    "aks-apps-31874512-vmss00000d",
]
MSG = 'Error: container has runAsNonRoot and image will run as root (pod: "pdf-renderer-7b9c5d4f86-p4wzq_billing(3e1f9a2c-5b7d-4c08-9e61-a2d4f7b0c913)", container: pdf-renderer)'


def bundle() -> Bundle:
    rng = random.Random(40105)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    api = LogFile(
        "logs/billing-api.log", JsonLines("billing-api", keys=("time", "level", "msg"), rng=rng)
    )
    api.add(
        traffic(
            rng, web_api("billing-api", ["invoices", "customers", "payments"]), START, total, 3400
        )
    )
    api.add(
        loud(
            rng,
            START,
            50.5,
            total - 50.6,
            260,
            fixed(
                "ERROR",
                lambda r: (
                    f'render invoice INV-{r.randrange(10**6, 10**7)} failed: Post "http://pdf-renderer.billing.svc.cluster.local:8080/v1/render": context deadline exceeded (Client.Timeout exceeded while awaiting headers); queued for retry'
                ),
            ),
        )
    )
    signal = [
        (
            ago(28.0),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/pdf-renderer",
                "Scaled up replica set pdf-renderer-7b9c5d4f86 to 1",
            ),
        ),
        (
            ago(27.9),
            (
                "Normal",
                "Scheduled",
                "pod/pdf-renderer-7b9c5d4f86-p4wzq",
                f"Successfully assigned billing/pdf-renderer-7b9c5d4f86-p4wzq to {NODES[2]}",
            ),
        ),
        (ago(27.7), ("Warning", "Failed", "pod/pdf-renderer-7b9c5d4f86-p4wzq", MSG)),
        (
            ago(50.0),
            (
                "Normal",
                "NodeNotSchedulable",
                f"node/{NODES[1]}",
                f"Node {NODES[1]} status is now: NodeNotSchedulable",
            ),
        ),
        (
            ago(49.8),
            (
                "Normal",
                "Killing",
                "pod/pdf-renderer-5d8f6c7b49-x7n2k",
                "Stopping container pdf-renderer",
            ),
        ),
        (
            ago(49.8),
            (
                "Normal",
                "Killing",
                "pod/pdf-renderer-5d8f6c7b49-m9c4t",
                "Stopping container pdf-renderer",
            ),
        ),
        (
            ago(49.6),
            (
                "Normal",
                "SuccessfulCreate",
                "replicaset/pdf-renderer-7b9c5d4f86",
                "Created pod: pdf-renderer-7b9c5d4f86-h2l8v",
            ),
        ),
        (
            ago(49.5),
            (
                "Warning",
                "Failed",
                "pod/pdf-renderer-7b9c5d4f86-h2l8v",
                'Error: container has runAsNonRoot and image will run as root (pod: "pdf-renderer-7b9c5d4f86-h2l8v_billing(8c2d0e4f-71a3-4b9e-a5d6-0f3b9c7e2a18)", container: pdf-renderer)',
            ),
        ),
        (
            ago(60.0),
            (
                "Warning",
                "Unhealthy",
                "pod/mailer-6f4b8d9c57-qq7rd",
                'Readiness probe failed: Get "http://10.244.2.31:8025/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
            ),
        ),
        (
            ago(1.0),
            (
                "Warning",
                "Failed",
                "pod/pdf-renderer-7b9c5d4f86-p4wzq",
                "Error: container has runAsNonRoot and image will run as root (x104 over 47m)",
            ),
        ),
    ]
    routine = routine_events(
        rng, ["billing-api", "mailer", "ledger-sync"], 24, NODES, namespace="billing"
    )
    events = event_listing(routine, signal)
    pod = Pod(
        name="pdf-renderer-7b9c5d4f86-p4wzq",
        namespace="billing",
        node=NODES[2],
        app="pdf-renderer",
        containers=[
            Container(
                "pdf-renderer",
                "vendorregistry.azurecr.io/docforge/renderer:7.3.1",
                state=["Waiting", "  Reason:       CreateContainerConfigError"],
                ready=False,
                limits={"cpu": "2", "memory": "2Gi"},
                requests={"cpu": "500m", "memory": "1Gi"},
                environment=["RENDER_WORKERS:  4"],
            )
        ],
        status="Pending",
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
                "47m",
                "default-scheduler",
                f"Successfully assigned billing/pdf-renderer-7b9c5d4f86-p4wzq to {NODES[2]}",
            ),
            (
                "Normal",
                "Pulled",
                "2m (x104 over 47m)",
                "kubelet",
                'Container image "vendorregistry.azurecr.io/docforge/renderer:7.3.1" already present on machine',
            ),
            (
                "Warning",
                "Failed",
                "2m (x104 over 47m)",
                "kubelet",
                'Error: container has runAsNonRoot and image will run as root (pod: "pdf-renderer-7b9c5d4f86-p4wzq_billing(3e1f9a2c-5b7d-4c08-9e61-a2d4f7b0c913)", container: pdf-renderer)',
            ),
        ],
        ip="10.244.2.57",
        start_time="Thu, 11 Jun 2026 13:18:12 +0000",
    )
    described = describe_pod(pod, rng)
    pods = (
        "\n".join(
            table(
                ("NAME", "READY", "STATUS", "RESTARTS", "AGE"),
                [
                    ("billing-api-84c6d7f5b9-2kq7m", "1/1", "Running", "0", "3d2h"),
                    ("billing-api-84c6d7f5b9-tr5wx", "1/1", "Running", "0", "3d2h"),
                    ("ledger-sync-5b7f9c8d64-9jv2p", "1/1", "Running", "1 (2d ago)", "6d"),
                    ("mailer-6f4b8d9c57-qq7rd", "1/1", "Running", "0", "19h"),
                    ("pdf-renderer-5d8f6c7b49-w3r8d", "1/1", "Running", "0", "9d"),
                    (
                        "pdf-renderer-7b9c5d4f86-h2l8v",
                        "0/1",
                        "CreateContainerConfigError",
                        "0",
                        "25m",
                    ),
                    (
                        "pdf-renderer-7b9c5d4f86-p4wzq",
                        "0/1",
                        "CreateContainerConfigError",
                        "0",
                        "47m",
                    ),
                ],
            )
        )
        + "\n"
    )
    yaml = "\n".join(
        [
            "$ kubectl -n billing get deploy pdf-renderer -o yaml | grep -B2 -A8 securityContext",
            "        - name: RENDER_WORKERS",
            '          value: "4"',
            "        securityContext:",
            "          allowPrivilegeEscalation: false",
            "      dnsPolicy: ClusterFirst",
            "      restartPolicy: Always",
            "      schedulerName: default-scheduler",
            "      securityContext:",
            "        runAsNonRoot: true",
            "        seccompProfile:",
            "          type: RuntimeDefault",
            "      terminationGracePeriodSeconds: 30",
            "",
            "$ helm -n billing history pdf-renderer | tail -2",
            "REVISION\tUPDATED                 \tSTATUS    \tCHART              \tAPP VERSION\tDESCRIPTION",
            "17      \tThu Jun 11 09:02:44 2026\tsuperseded\tplatform-app-4.1.6 \t7.3.1      \tUpgrade complete",
            "18      \tThu Jun 11 13:18:05 2026\tdeployed  \tplatform-app-4.2.0 \t7.3.1      \tUpgrade complete",
            "",
            "$ kubectl -n billing rollout status deploy/pdf-renderer --timeout=10s",
            'Waiting for deployment "pdf-renderer" rollout to finish: 1 old replicas are pending termination...',
            "error: timed out waiting for the condition",
            "",
        ]
    )
    return Bundle(
        question="Invoices have stopped going out since about 13:40 UTC and billing-api keeps timing out on rendering. What's wrong?",
        category="configuration",
        component="pdf-renderer",
        statement="The platform chart 4.2.0 added a pod securityContext `runAsNonRoot: true` to pdf-renderer, whose vendor image runs as root, so its new pods fail with CreateContainerConfigError; after the 13:40 node drain only one old pod is left serving and billing-api's render calls time out.",
        files={
            "logs/billing-api.log": api.render(),
            "kubectl-get-events.txt": events,
            "kubectl-describe-pod.txt": described,
            "kubectl-get-pods.txt": pods,
            "kubectl-deploy.txt": yaml,
        },
        proofs=[
            Proof("kubectl-get-events.txt", "pdf-renderer-7b9c5d4f86-p4wzq_billing(3e1f9a2c"),
            Proof("kubectl-deploy.txt", "        runAsNonRoot: true"),
        ],
        decoys=[
            f"Node {NODES[1]} status is now: NodeNotSchedulable",
            "context deadline exceeded (Client.Timeout exceeded while awaiting headers); queued for retry",
            'Readiness probe failed: Get "http://10.244.2.31:8025/healthz"',
        ],
    )
