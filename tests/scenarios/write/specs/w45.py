# ruff: noqa: E501
# Hand-written log lines and kubectl rows are data, kept whole on one line.
"""ledger-db's volume claim names a StorageClass that does not exist; the claim stays Pending,
ledger-db-0 is never scheduled, and the ledger API fails to resolve and reach its database."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_events, describe_pod, event_listing, routine_events, table
from records import PythonLogging
from scenes import at, fixed, loud, python_traceback
from traffic import traffic, web_api

START = datetime(2025, 5, 18, 2, 0, tzinfo=UTC)
NODES = [
    "ip-10-20-1-17.eu-west-1.compute.internal",
    "ip-10-20-1-88.eu-west-1.compute.internal",
    "ip-10-20-2-41.eu-west-1.compute.internal",
    "ip-10-20-2-150.eu-west-1.compute.internal",
    "ip-10-20-3-9.eu-west-1.compute.internal",
    "ip-10-20-3-203.eu-west-1.compute.internal",
]
DB_HOST = "ledger-db-0.ledger-db.finance.svc.cluster.local"


def describe_claim() -> str:
    lines = [
        "Name:          data-ledger-db-0",
        "Namespace:     finance",
        "StorageClass:  gp3-encrypted",
        "Status:        Pending",
        "Volume:",
        "Labels:        app.kubernetes.io/instance=ledger-db",
        "               app.kubernetes.io/name=postgresql",
        "Annotations:   <none>",
        "Finalizers:    [kubernetes.io/pvc-protection]",
        "Capacity:",
        "Access Modes:",
        "VolumeMode:    Filesystem",
        "Used By:       ledger-db-0",
        *describe_events(
            [
                (
                    "Warning",
                    "ProvisioningFailed",
                    "3m12s (x63 over 18m)",
                    "persistentvolume-controller",
                    'storageclass.storage.k8s.io "gp3-encrypted" not found',
                )
            ]
        ),
    ]
    return "\n".join(lines) + "\n"


def storage_classes() -> str:
    rows = [
        ("gp2", "kubernetes.io/aws-ebs", "Delete", "WaitForFirstConsumer", "false", "2y41d"),
        ("gp3 (default)", "ebs.csi.aws.com", "Delete", "WaitForFirstConsumer", "true", "413d"),
        ("gp3-retain", "ebs.csi.aws.com", "Retain", "WaitForFirstConsumer", "true", "413d"),
        ("efs-shared", "efs.csi.aws.com", "Delete", "Immediate", "false", "201d"),
    ]
    return (
        "\n".join(
            table(
                (
                    "NAME",
                    "PROVISIONER",
                    "RECLAIMPOLICY",
                    "VOLUMEBINDINGMODE",
                    "ALLOWVOLUMEEXPANSION",
                    "AGE",
                ),
                rows,
            )
        )
        + "\n"
    )


def bundle() -> Bundle:
    rng = random.Random(145)
    database = Container(
        name="postgresql",
        image="docker.io/bitnami/postgresql:16.2.0-debian-12-r8",
        state=[],
        ready=False,
        limits={"cpu": "2", "memory": "4Gi"},
        requests={"cpu": "500m", "memory": "2Gi"},
        port="5432/TCP",
    )
    pod = Pod(
        name="ledger-db-0",
        namespace="finance",
        node="",
        app="ledger-db",
        containers=[database],
        status="Pending",
        conditions={"PodScheduled": "False"},
        labels=[
            "app.kubernetes.io/instance=ledger-db",
            "app.kubernetes.io/name=postgresql",
            "controller-revision-hash=ledger-db-6f9d7c8b5d",
            "statefulset.kubernetes.io/pod-name=ledger-db-0",
        ],
        controller="StatefulSet/ledger-db",
        start_time="",
        volumes=[
            "  data:",
            "    Type:       PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)",
            "    ClaimName:  data-ledger-db-0",
            "    ReadOnly:   false",
        ],
        events=[
            (
                "Warning",
                "FailedScheduling",
                "3m (x5 over 18m)",
                "default-scheduler",
                "0/6 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/6 nodes are available: 6 Preemption is not helpful for scheduling.",
            ),
            (
                "Normal",
                "NotTriggerScaleUp",
                "2m41s (x91 over 18m)",
                "cluster-autoscaler",
                "pod didn't trigger scale-up: 3 max node group size reached, 1 pod has unbound immediate PersistentVolumeClaims",
            ),
        ],
    )
    routine = routine_events(
        rng, ["ledger", "invoicing", "fx-rates", "statements"], 880, NODES, namespace="finance"
    )
    signal = [
        (
            1110,
            (
                "Normal",
                "SuccessfulDelete",
                "statefulset/ledger-db",
                "delete Pod ledger-db-0 in StatefulSet ledger-db successful",
            ),
        ),
        (
            1105,
            (
                "Normal",
                "SuccessfulCreate",
                "statefulset/ledger-db",
                "create Claim data-ledger-db-0 Pod ledger-db-0 in StatefulSet ledger-db success",
            ),
        ),
        (
            1104,
            (
                "Normal",
                "SuccessfulCreate",
                "statefulset/ledger-db",
                "create Pod ledger-db-0 in StatefulSet ledger-db successful",
            ),
        ),
        (
            1100,
            (
                "Warning",
                "ProvisioningFailed",
                "persistentvolumeclaim/data-ledger-db-0",
                'storageclass.storage.k8s.io "gp3-encrypted" not found',
            ),
        ),
        (
            1095,
            (
                "Warning",
                "FailedScheduling",
                "pod/ledger-db-0",
                "0/6 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/6 nodes are available: 6 Preemption is not helpful for scheduling.",
            ),
        ),
        (
            900,
            (
                "Warning",
                "Unhealthy",
                "pod/ledger-7b8c9d6f5-h2kx9",
                "Readiness probe failed: HTTP probe failed with statuscode: 503",
            ),
        ),
        (
            840,
            (
                "Warning",
                "BackOff",
                "pod/statements-5d6c7b8f9-q8w2r",
                "Back-off restarting failed container statements in pod statements-5d6c7b8f9-q8w2r_finance(3f1c8e2a-5b7d-4e9f-a1c3-7d2e9b4f6a80)",
            ),
        ),
    ]
    ledger = LogFile(
        "ledger.log", PythonLogging(("ledger.api", "ledger.db", "uvicorn.access"), rng)
    )
    ledger.add(
        traffic(rng, web_api("ledger", ["entries", "accounts", "balances"]), START, 11.5, 1180)
    )
    ledger.add(
        [
            at(
                START,
                11.6,
                "ERROR",
                "database pool init failed, retrying in 5s",
                python_traceback(
                    [
                        (
                            "/app/ledger/db.py",
                            41,
                            "connect",
                            "return psycopg.connect(settings.database_url, connect_timeout=5)",
                        ),
                        (
                            "/usr/local/lib/python3.12/site-packages/psycopg/connection.py",
                            119,
                            "connect",
                            "raise last_ex.with_traceback(None)",
                        ),
                    ],
                    f'psycopg.OperationalError: [Errno -2] Name or service not known: could not translate host name "{DB_HOST}" to address',
                ),
                logger="ledger.db",
            )
        ]
    )
    ledger.add(
        loud(
            rng,
            START,
            11.7,
            18,
            386,
            fixed(
                "ERROR",
                lambda r: (
                    f'GET /api/v1/balances/{r.randrange(10**6)} 503 {r.randrange(1, 9)}ms: database unavailable (could not translate host name "{DB_HOST}" to address)'
                ),
            ),
        )
    )
    ledger.add(
        loud(
            rng,
            START,
            12,
            18,
            98,
            fixed(
                "WARN",
                lambda r: (
                    f"health check /readyz failing: db pool has 0 of 10 connections (attempt {r.randrange(2, 200)})"
                ),
            ),
        )
    )
    return Bundle(
        question="After last night's ledger-db maintenance, ledger-db-0 never came back and the ledger API answers 503. Why?",
        category="configuration",
        component="ledger-db",
        statement="The recreated ledger-db StatefulSet's claim data-ledger-db-0 asks for StorageClass gp3-encrypted, which does not exist, so the volume is never provisioned and ledger-db-0 stays Pending (unbound PersistentVolumeClaim).",
        files={
            "describe-pod.txt": describe_pod(pod, rng),
            "describe-pvc.txt": describe_claim(),
            "get-storageclass.txt": storage_classes(),
            "events.txt": event_listing(routine, signal),
            "ledger.log": ledger.render(),
        },
        proofs=[
            Proof("describe-pvc.txt", "StorageClass:  gp3-encrypted"),
            Proof("describe-pvc.txt", 'storageclass.storage.k8s.io "gp3-encrypted" not found'),
            Proof("events.txt", "persistentvolumeclaim/data-ledger-db-0"),
        ],
        decoys=[
            "Name or service not known",
            "max node group size reached",
            "Back-off restarting failed container statements",
        ],
    )
