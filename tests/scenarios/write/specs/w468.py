# ruff: noqa: E501
# Log lines, kubectl rows and YAML are data, kept whole on one line.
"""Kubernetes: ledger-api runs 3 replicas with no pod anti-affinity or topology spread, and
since the last scale-down of the node group all three sit on aks-core-31857302-vmss00000c.
kured reboots that node for a kernel update at 03:12 CET; the drain evicts every ledger-api
pod at once (no PodDisruptionBudget either), the new pods wait for images and readiness on
other nodes, and payments gets `503 no healthy upstream` for four minutes. Decoys: a
cert-manager renewal notice, an Azure disk detach warning for another pod, and a
statement-export job's slow query."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events
from records import JsonLines, PythonLogging
from scenes import at, loud
from traffic import traffic, web_api

CET = timezone(timedelta(hours=1))
START = datetime(2026, 1, 21, 1, 0, tzinfo=UTC)  # 02:00 CET
NOW = datetime(2026, 1, 21, 2, 40, tzinfo=UTC)
REBOOT = 132.0 - 60.0  # 02:12 UTC, 03:12 CET


class Logrus:
    """kured's logrus text output: `time="..." level=info msg="..."`."""

    def render(self, record):
        stamp = record.time.strftime("%Y-%m-%dT%H:%M:%SZ")
        message = record.message.replace('"', '\\"')
        return [
            f'time="{stamp}" level={record.level.lower().replace("warn", "warning")} msg="{message}"'
        ]


def bundle() -> Bundle:
    rng = random.Random(46802)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    node = "aks-core-31857302-vmss00000c"
    kured = LogFile("logs/node-agent-7xq2n.log", Logrus())
    for minute in range(0, int(REBOOT), 5):
        kured.add(
            [
                at(
                    START,
                    minute + 0.5,
                    "INFO",
                    "Reboot not required" if minute < 60 else "Reboot required",
                )
            ]
        )
    kured.add(
        [
            at(START, REBOOT - 0.4, "INFO", "Acquired reboot lock"),
            at(START, REBOOT - 0.35, "INFO", f"Draining node {node}"),
            at(START, REBOOT - 0.3, "INFO", "evicting pod payments/ledger-api-6d9c7f5b8-2kq7d"),
            at(START, REBOOT - 0.29, "INFO", "evicting pod payments/ledger-api-6d9c7f5b8-h4vwm"),
            at(START, REBOOT - 0.28, "INFO", "evicting pod payments/ledger-api-6d9c7f5b8-zp9lx"),
            at(
                START,
                REBOOT - 0.27,
                "INFO",
                "evicting pod payments/statement-export-28431120-fk2wd",
            ),
            at(
                START,
                REBOOT - 0.1,
                "INFO",
                f"Running command: [/usr/bin/nsenter -m/proc/1/ns/mnt -- /bin/systemctl reboot] for node: {node}",
            ),
            at(START, REBOOT + 3.9, "INFO", "Holding lock"),
            at(START, REBOOT + 4.2, "INFO", f"Uncordoning node {node}"),
            at(START, REBOOT + 4.3, "INFO", "Releasing lock"),
        ]
    )

    app = LogFile(
        "logs/ledger-api.log", PythonLogging(("ledger.api", "ledger.db", "uvicorn.access"), rng=rng)
    )
    app.add(traffic(rng, web_api("ledger-api", ["entries", "balances"]), START, REBOOT, 2600))
    app.add(
        [
            at(START, REBOOT - 0.2, "INFO", "Shutting down", logger="uvicorn.error"),
            at(
                START,
                REBOOT - 0.19,
                "INFO",
                "Waiting for application shutdown.",
                logger="uvicorn.error",
            ),
        ]
    )
    app.add(
        [at(START, REBOOT + 3.6, "INFO", "Application startup complete.", logger="uvicorn.error")]
    )
    app.add(
        traffic(
            rng,
            web_api("ledger-api", ["entries", "balances"]),
            START + timedelta(minutes=REBOOT + 3.7),
            total - REBOOT - 3.7,
            600,
        )
    )
    app.add(
        [
            at(
                START,
                41.0,
                "WARN",
                "slow query 8.4s: SELECT ... FROM statement_lines WHERE period = '2025-12' (statement-export)",
                logger="ledger.db",
            )
        ]
    )

    pay = LogFile(
        "logs/payments.log",
        JsonLines(
            "payments", keys=("time", "severity", "message"), lower_level=False, rng=rng, zone=CET
        ),
    )
    pay.add(traffic(rng, web_api("payments", ["payments", "refunds"]), START, total, 3400))
    pay.add(
        loud(
            rng,
            START,
            REBOOT + 0.1,
            3.8,
            460,
            lambda r: (
                "ERROR",
                f"POST http://ledger-api.payments.svc:8000/v1/entries failed: 503 no healthy upstream (payment {r.getrandbits(48):012x} rejected)",
                (),
            ),
        )
    )
    pay.add(
        [
            at(
                START,
                18.0,
                "INFO",
                "certificate payments-mtls renewed by cert-manager, reloading TLS context",
            )
        ]
    )

    routine = routine_events(
        rng,
        ["payments", "ledger-api", "statement-export"],
        14,
        ["aks-core-31857302-vmss00000a", "aks-core-31857302-vmss00000b", node],
        namespace="payments",
    )
    signal = [
        (
            ago(REBOOT - 0.3),
            (
                "Normal",
                "NodeNotSchedulable",
                f"node/{node}",
                f"Node {node} status is now: NodeNotSchedulable",
            ),
        ),
        (
            ago(REBOOT - 0.28),
            (
                "Normal",
                "Killing",
                "pod/ledger-api-6d9c7f5b8-2kq7d",
                "Stopping container ledger-api",
            ),
        ),
        (
            ago(REBOOT - 0.28),
            (
                "Normal",
                "Killing",
                "pod/ledger-api-6d9c7f5b8-h4vwm",
                "Stopping container ledger-api",
            ),
        ),
        (
            ago(REBOOT - 0.28),
            (
                "Normal",
                "Killing",
                "pod/ledger-api-6d9c7f5b8-zp9lx",
                "Stopping container ledger-api",
            ),
        ),
        (ago(REBOOT + 0.5), ("Warning", "NodeNotReady", f"node/{node}", "Node is not ready")),
        (
            ago(REBOOT + 1.0),
            (
                "Normal",
                "Pulling",
                "pod/ledger-api-6d9c7f5b8-r8t5c",
                'Pulling image "acrpaycore.azurecr.io/ledger-api:5.12.3"',
            ),
        ),
        (
            ago(REBOOT + 2.9),
            (
                "Warning",
                "Unhealthy",
                "pod/ledger-api-6d9c7f5b8-r8t5c",
                "Readiness probe failed: HTTP probe failed with statuscode: 503",
            ),
        ),
        (
            ago(REBOOT + 1.2),
            (
                "Warning",
                "FailedAttachVolume",
                "pod/statement-export-28431120-q2mzs",
                'AttachVolume.Attach failed for volume "pvc-2f6a1c0e" : disk is attached to another node, retrying',
            ),
        ),
        (
            ago(REBOOT + 4.2),
            (
                "Normal",
                "NodeSchedulable",
                f"node/{node}",
                f"Node {node} status is now: NodeSchedulable",
            ),
        ),
    ]
    events = event_listing(routine, signal)

    before = "\n".join(
        [
            "# kubectl -n payments get pods -l app=ledger-api -o wide   (snapshot job, 02:05 CET)",
            "NAME                          READY   STATUS    RESTARTS   AGE   IP             NODE                           NOMINATED NODE   READINESS GATES",
            f"ledger-api-6d9c7f5b8-2kq7d    1/1     Running   0          9d    10.244.3.18    {node}   <none>           <none>",
            f"ledger-api-6d9c7f5b8-h4vwm    1/1     Running   0          9d    10.244.3.41    {node}   <none>           <none>",
            f"ledger-api-6d9c7f5b8-zp9lx    1/1     Running   0          6d    10.244.3.77    {node}   <none>           <none>",
            "",
            "# kubectl -n payments get deploy ledger-api -o yaml | yq '.spec.replicas, .spec.template.spec.affinity, .spec.template.spec.topologySpreadConstraints'",
            "3",
            "null",
            "null",
            "",
            "# kubectl -n payments get pdb",
            "No resources found in payments namespace.",
            "",
            "# kubectl get nodes -l agentpool=core",
            "NAME                           STATUS   ROLES   AGE    VERSION",
            "aks-core-31857302-vmss00000a   Ready    agent   41d    v1.29.9",
            "aks-core-31857302-vmss00000b   Ready    agent   41d    v1.29.9",
            f"{node}   Ready    agent   12d    v1.29.9",
            "",
        ]
    )
    return Bundle(
        question="Between 03:12 and 03:16 CET every payment failed with 503 from ledger-api; nothing was deployed. What happened?",
        category="scheduling",
        component="ledger-api",
        statement="All three ledger-api replicas ran on one node (no anti-affinity, topology spread or PodDisruptionBudget); kured drained and rebooted that node at 03:12 CET, evicting every replica at once, so ledger-api had no ready endpoints until replacements started four minutes later.",
        files={
            "kubectl-snapshot.txt": before,
            "kubectl-get-events.txt": events,
            kured.name: kured.render(),
            app.name: app.render(),
            pay.name: pay.render(),
        },
        proofs=[
            Proof(
                "kubectl-snapshot.txt",
                "ledger-api-6d9c7f5b8-2kq7d    1/1",
                "ledger-api-6d9c7f5b8-zp9lx    1/1",
            ),
            Proof(
                "kubectl-snapshot.txt",
                ".spec.template.spec.topologySpreadConstraints",
                "No resources found",
            ),
            Proof(kured.name, f"Draining node {node}"),
        ],
        decoys=[
            "certificate payments-mtls renewed by cert-manager",
            "disk is attached to another node",
            "slow query 8.4s",
        ],
    )
