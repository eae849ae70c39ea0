# ruff: noqa: E501
# Log lines, kubectl rows and Liquibase output are data, kept whole on one line.
"""Kubernetes: claims-api chart 3.4.0 (08:31 NZST) moved its database migration into an init
container `db-migrate` (Liquibase on a JVM) and gave it the chart's default sidecar limit of
128Mi. The JVM is killed by the kernel while parsing the 3.4.0 changelog (OOMKilled, exit
137) every time; the new pods stay in Init:CrashLoopBackOff, the rollout stalls with one of
four old pods already gone, and the remaining three are saturated by the morning claim
submissions. Decoys: a Liquibase lock notice from an earlier run, an S3 upload retry in
claims-api and a Hikari housekeeping warning."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events
from records import KubectlTimestamps, SpringBoot
from scenes import at, loud
from traffic import traffic, web_api

NZST = timezone(timedelta(hours=12))
START = datetime(2026, 6, 22, 20, 0, tzinfo=UTC)  # 08:00 NZST, 23 Jun
NOW = datetime(2026, 6, 22, 21, 40, tzinfo=UTC)
RELEASE = 31.0  # 20:31 UTC, 08:31 NZST


def bundle() -> Bundle:
    rng = random.Random(47610)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    app = LogFile(
        "logs/claims-api.log",
        SpringBoot(
            (
                "n.z.claims.ClaimController",
                "n.z.claims.DocumentStore",
                "com.zaxxer.hikari.pool.HikariPool",
            ),
            rng=rng,
            zone=NZST,
        ),
    )
    app.add(traffic(rng, web_api("claims-api", ["claims", "documents"]), START, total, 4000))
    app.add(
        loud(
            rng,
            START,
            RELEASE + 8,
            total - RELEASE - 9,
            430,
            lambda r: (
                "WARN",
                f"POST /api/claims took {r.randrange(4200, 14800)}ms; executor queue {r.randrange(150, 200)}/200 active=64/64",
                (),
            ),
        )
    )
    app.add(
        loud(
            rng,
            START,
            RELEASE + 20,
            total - RELEASE - 21,
            180,
            lambda r: (
                "ERROR",
                f"rejecting POST /api/claims with 503: executor queue full (200/200) claimant={r.randrange(10**6)}",
                (),
            ),
        )
    )
    app.add(
        [
            at(
                START,
                12.0,
                "WARN",
                "S3 putObject claims-docs/2026/06/23/c-88213.pdf failed (SlowDown), retry 1/3 succeeded",
                logger="n.z.claims.DocumentStore",
            )
        ]
    )
    app.add(
        [
            at(
                START,
                55.0,
                "WARN",
                "HikariPool-1 - Thread starvation or clock leap detected (housekeeper delta=1m4s).",
                logger="com.zaxxer.hikari.pool.HikariPool",
            )
        ]
    )

    mig = LogFile("kubectl-logs-db-migrate-previous.txt", KubectlTimestamps())
    base = total - 2.3
    mig.add(
        [
            at(START, base, "INFO", "Picked up JAVA_TOOL_OPTIONS: -XX:+UseSerialGC -Xss512k"),
            at(START, base + 0.02, "INFO", "####################################################"),
            at(START, base + 0.03, "INFO", "##   Liquibase Version: 4.27.0                     ##"),
            at(START, base + 0.04, "INFO", "####################################################"),
            at(
                START,
                base + 0.05,
                "INFO",
                "Starting Liquibase at 20:37:41 (version 4.27.0 #1804 built at 2024-03-25 17:03+0000)",
            ),
            at(START, base + 0.07, "INFO", "Liquibase Version: 4.27.0"),
            at(START, base + 0.09, "INFO", "Successfully acquired change log lock"),
            at(
                START,
                base + 0.10,
                "INFO",
                "Note: the change log lock was last held by claims-api-6b8d9f7c4-2jx7p (2026-06-20 03:11:09) and released normally",
            ),
            at(START, base + 0.12, "INFO", "Reading from claims.databasechangelog"),
            at(
                START,
                base + 0.14,
                "INFO",
                "Parsing changelog db/changelog/master.yaml (412 changesets, 3.4.0 includes db/changelog/3.4.0/backfill-claim-lines.yaml 38.2 MB)",
            ),
        ]
    )

    pod = Pod(
        name="claims-api-7c5f9b8d6-wv4kq",
        namespace="claims",
        node="gke-nz-prod-pool-2-8d1c4f0a-q7rb",
        app="claims-api",
        status="Pending",
        ip="10.72.3.118",
        start_time="Tue, 23 Jun 2026 08:31:22 +1200",
        init_containers=[
            Container(
                name="db-migrate",
                image="asia-docker.pkg.dev/nz-claims/apps/claims-api:3.4.0",
                state=["Waiting", "  Reason:       CrashLoopBackOff"],
                last_state=[
                    "Terminated",
                    "  Reason:       OOMKilled",
                    "  Exit Code:    137",
                    "  Started:      Tue, 23 Jun 2026 09:37:41 +1200",
                    "  Finished:     Tue, 23 Jun 2026 09:37:52 +1200",
                ],
                ready=False,
                restarts=14,
                limits={"cpu": "200m", "memory": "128Mi"},
                requests={"cpu": "50m", "memory": "64Mi"},
                environment=[
                    "JAVA_TOOL_OPTIONS:  -XX:+UseSerialGC -Xss512k",
                    "LIQUIBASE_COMMAND:  update",
                ],
            )
        ],
        containers=[
            Container(
                name="claims-api",
                image="asia-docker.pkg.dev/nz-claims/apps/claims-api:3.4.0",
                state=["Waiting", "  Reason:       PodInitializing"],
                ready=False,
                limits={"memory": "2Gi"},
                requests={"cpu": "1", "memory": "2Gi"},
            )
        ],
        conditions={
            "Initialized": "False",
            "Ready": "False",
            "ContainersReady": "False",
            "PodScheduled": "True",
        },
        events=[
            (
                "Normal",
                "Scheduled",
                "66m",
                "default-scheduler",
                "Successfully assigned claims/claims-api-7c5f9b8d6-wv4kq to gke-nz-prod-pool-2-8d1c4f0a-q7rb",
            ),
            (
                "Normal",
                "Pulled",
                "2m (x15 over 66m)",
                "kubelet",
                'Container image "asia-docker.pkg.dev/nz-claims/apps/claims-api:3.4.0" already present on machine',
            ),
            ("Normal", "Created", "2m (x15 over 66m)", "kubelet", "Created container db-migrate"),
            ("Normal", "Started", "2m (x15 over 66m)", "kubelet", "Started container db-migrate"),
            (
                "Warning",
                "BackOff",
                "1m (x281 over 65m)",
                "kubelet",
                "Back-off restarting failed container db-migrate in pod claims-api-7c5f9b8d6-wv4kq_claims(5b0c1e8a-92d4-4f71-a3c6-0e7d2b9f4c11)",
            ),
        ],
    )
    routine = routine_events(
        rng,
        ["claims-api", "portal", "notifier"],
        14,
        ["gke-nz-prod-pool-2-8d1c4f0a-q7rb", "gke-nz-prod-pool-2-8d1c4f0a-x2mn"],
        namespace="claims",
    )
    signal = [
        (
            ago(RELEASE),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/claims-api",
                "Scaled up replica set claims-api-7c5f9b8d6 to 1",
            ),
        ),
        (
            ago(RELEASE + 0.01),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/claims-api",
                "Scaled down replica set claims-api-6b8d9f7c4 to 3 from 4",
            ),
        ),
        (
            ago(RELEASE + 0.02),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/claims-api",
                "Scaled up replica set claims-api-7c5f9b8d6 to 2 from 1",
            ),
        ),
    ]
    events = event_listing(routine, signal)
    pods = "\n".join(
        [
            "$ kubectl -n claims get pods -l app=claims-api",
            "NAME                         READY   STATUS                  RESTARTS        AGE",
            "claims-api-6b8d9f7c4-2jx7p   1/1     Running                 0               3d",
            "claims-api-6b8d9f7c4-8mq5z   1/1     Running                 0               3d",
            "claims-api-6b8d9f7c4-tn6cd   1/1     Running                 0               3d",
            "claims-api-7c5f9b8d6-pk9sd   0/1     Init:CrashLoopBackOff   14 (2m ago)     66m",
            "claims-api-7c5f9b8d6-wv4kq   0/1     Init:CrashLoopBackOff   14 (2m ago)     66m",
            "",
        ]
    )
    return Bundle(
        question="The claims-api 3.4.0 deploy at 08:31 NZST never finished and claim submissions have been slow and failing with 503 since. What is the root cause?",
        category="memory",
        component="claims-api",
        statement="claims-api 3.4.0 runs Liquibase in a new init container db-migrate limited to 128Mi; the JVM is OOMKilled (exit 137) while parsing the 3.4.0 changelog, so new pods stay in Init:CrashLoopBackOff, the rollout stalls with three of four old pods left, and they are overloaded.",
        files={
            "kubectl-get-pods.txt": pods,
            "kubectl-describe-pod.txt": describe_pod(pod, rng),
            mig.name: mig.render(),
            "kubectl-get-events.txt": events,
            app.name: app.render(),
        },
        proofs=[
            Proof("kubectl-describe-pod.txt", "  Reason:       OOMKilled"),
            Proof("kubectl-describe-pod.txt", "memory: 128Mi"),
            Proof(mig.name, "backfill-claim-lines.yaml 38.2 MB"),
        ],
        decoys=[
            "the change log lock was last held by",
            "claims-docs/2026/06/23/c-88213.pdf failed (SlowDown)",
            "Thread starvation or clock leap detected",
        ],
    )
