# ruff: noqa: E501
# kubectl output and hand-written log lines are data, kept whole on one line.
"""Kubernetes: the ledger-pg StatefulSet's volume `data-ledger-pg-0` was expanded from 50Gi to
100Gi at 12:12 UTC (09:12 in São Paulo) ahead of month end. The CSI driver grew the disk but
does not support online file-system expansion, so the PVC sits at `FileSystemResizePending`
("Waiting for user to (re-)start a pod"); nobody restarted the pod and the file system stays at
50G. At 15:47 UTC month-end postings fill it; PostgreSQL fails to extend a relation, then
PANICs writing WAL and restarts in recovery; ledger-api fails loudly. Decoys: a checkpoint
frequency warning, an autovacuum cancel, and ledger-api's slow-report warning."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from records import Postgres, SpringBoot
from scenes import at, fixed, java_trace, loud
from traffic import database_server, traffic, web_api

START = datetime(2026, 5, 29, 14, 30, tzinfo=UTC)
MINUTES = 110.0
FULL = 77.0
BRT = timezone(timedelta(hours=-3))


def bundle() -> Bundle:
    rng = random.Random(37802)
    pg = LogFile("logs/ledger-pg-0.log", Postgres(rng))
    pg.add(traffic(rng, database_server(), START, MINUTES, 2600))
    pg.add(
        [
            at(START, 12.0, "INFO", "checkpoints are occurring too frequently (24 seconds apart)"),
            at(START, 40.0, "ERROR", "canceling autovacuum task"),
            at(
                START,
                FULL,
                "ERROR",
                'could not extend file "base/16384/24721.7": No space left on device',
            ),
            at(
                START,
                FULL + 0.9,
                "FATAL",
                'could not write to file "pg_wal/xlogtemp.4127": No space left on device',
            ),
            at(
                START,
                FULL + 0.92,
                "INFO",
                "server process (PID 4127) was terminated by signal 6: Aborted",
            ),
            at(START, FULL + 0.93, "INFO", "terminating any other active server processes"),
            at(START, FULL + 0.95, "INFO", "all server processes terminated; reinitializing"),
            at(
                START,
                FULL + 1.0,
                "INFO",
                "database system was interrupted; last known up at 2026-05-29 15:46:52 UTC",
            ),
            at(
                START,
                FULL + 1.05,
                "INFO",
                "database system was not properly shut down; automatic recovery in progress",
            ),
        ]
    )
    pg.add(
        loud(
            rng,
            START,
            FULL + 1.2,
            MINUTES - FULL - 2,
            240,
            fixed("FATAL", lambda r: "the database system is in recovery mode"),
        )
    )
    pg.add(
        loud(
            rng,
            START,
            FULL + 1.5,
            MINUTES - FULL - 3,
            60,
            fixed(
                "FATAL",
                lambda r: (
                    f'could not write to file "pg_wal/xlogtemp.{r.randrange(4200, 9000)}": No space left on device'
                ),
            ),
        )
    )

    api = LogFile(
        "logs/ledger-api.log",
        SpringBoot(
            (
                "c.b.ledger.api.PostingController",
                "c.b.ledger.batch.MonthEndJob",
                "c.b.ledger.api.BalanceController",
            ),
            rng=rng,
            zone=BRT,
        ),
    )
    api.add(
        traffic(
            rng, web_api("ledger-api", ["postings", "balances", "accounts"]), START, MINUTES, 3000
        )
    )
    api.add(
        [
            at(
                START,
                30.0,
                "WARN",
                "Report balances-by-branch took 8412 ms (threshold 5000 ms)",
                logger="c.b.ledger.api.BalanceController",
            ),
            at(
                START,
                58.0,
                "INFO",
                "Month-end posting batch 2026-05 started: 1184220 postings queued",
                logger="c.b.ledger.batch.MonthEndJob",
            ),
        ]
    )
    api.add(
        loud(
            rng,
            START,
            FULL + 0.05,
            MINUTES - FULL - 1,
            380,
            fixed(
                "ERROR",
                lambda r: (
                    "Posting batch chunk failed, will retry: could not execute statement; SQL [n/a]"
                ),
                lambda r: java_trace(
                    "org.springframework.dao.DataAccessResourceFailureException: could not execute statement",
                    [
                        "org.hibernate.exception.JDBCConnectionException.<init>(JDBCConnectionException.java:27)",
                        "c.b.ledger.batch.MonthEndJob.postChunk(MonthEndJob.java:142)",
                    ],
                    [
                        r.choice(
                            [
                                "org.postgresql.util.PSQLException: FATAL: the database system is in recovery mode",
                                "org.postgresql.util.PSQLException: An I/O error occurred while sending to the backend.",
                            ]
                        ),
                        "org.postgresql.core.v3.ConnectionFactoryImpl.doAuthentication(ConnectionFactoryImpl.java:693)",
                    ],
                    more=41,
                ),
            ),
        )
    )

    pasted = "\n".join(
        [
            "$ kubectl -n ledger get pvc",
            "NAME               STATUS   VOLUME                                     CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE",
            "data-ledger-pg-0   Bound    pvc-3f9a1c7e-52d4-4b8e-9a10-6c2f0e7d1b55   50Gi       RWO            ssd-retain     <unset>                 412d",
            "wal-archive-0      Bound    pvc-8e2d4b61-0c3a-47f2-b1d9-2a7c5e9f0d18   20Gi       RWO            ssd-retain     <unset>                 412d",
            "",
            "$ kubectl -n ledger describe pvc data-ledger-pg-0",
            "Name:          data-ledger-pg-0",
            "Namespace:     ledger",
            "StorageClass:  ssd-retain",
            "Status:        Bound",
            "Volume:        pvc-3f9a1c7e-52d4-4b8e-9a10-6c2f0e7d1b55",
            "Labels:        app.kubernetes.io/instance=ledger-pg",
            "               app.kubernetes.io/name=postgresql",
            "Annotations:   pv.kubernetes.io/bind-completed: yes",
            "               pv.kubernetes.io/bound-by-controller: yes",
            "               volume.beta.kubernetes.io/storage-provisioner: csi.vendor-block.example.com",
            "               volume.kubernetes.io/selected-node: ledger-node-b2",
            "Finalizers:    [kubernetes.io/pvc-protection]",
            "Capacity:      50Gi",
            "Access Modes:  RWO",
            "VolumeMode:    Filesystem",
            "Used By:       ledger-pg-0",
            "Conditions:",
            "  Type                      Status  LastProbeTime                     LastTransitionTime                Reason  Message",
            "  ----                      ------  -----------------                 ------------------                ------  -------",
            "  FileSystemResizePending   True    Mon, 01 Jan 0001 00:00:00 +0000   Fri, 29 May 2026 12:12:41 +0000           Waiting for user to (re-)start a pod to finish file system resize of volume on node.",
            "Events:",
            "  Type     Reason                      Age    From                                                 Message",
            "  ----     ------                      ----   ----                                                 -------",
            "  Normal   Resizing                    4h7m   external-resizer csi.vendor-block.example.com         External resizer is resizing volume pvc-3f9a1c7e-52d4-4b8e-9a10-6c2f0e7d1b55",
            "  Normal   FileSystemResizeRequired    4h7m   external-resizer csi.vendor-block.example.com         Require file system resize of volume on node",
            "",
            "$ kubectl -n ledger exec ledger-pg-0 -c postgresql -- df -h /bitnami/postgresql",
            "Filesystem      Size  Used Avail Use% Mounted on",
            "/dev/sdc         49G   49G     0 100% /bitnami/postgresql",
            "",
            "$ kubectl -n ledger get pods -o wide",
            "NAME                         READY   STATUS    RESTARTS      AGE   IP            NODE             NOMINATED NODE   READINESS GATES",
            "ledger-api-7d5f8c9b6-2kq8v   1/1     Running   0             6d    10.60.2.31    ledger-node-a1   <none>           <none>",
            "ledger-api-7d5f8c9b6-tx9wm   1/1     Running   0             6d    10.60.3.12    ledger-node-b2   <none>           <none>",
            "ledger-pg-0                  0/1     Running   3 (2m ago)    19d   10.60.3.7     ledger-node-b2   <none>           <none>",
            "",
            "# pasted 16:19 UTC (13:19 BRT)",
            "",
        ]
    )
    ticket = "\n".join(
        [
            "CHG-5512  Expand ledger-pg data volume before month end",
            "Owner: dba-oncall   Window: 2026-05-29 09:00-09:30 BRT   Status: Closed (successful)",
            "",
            "Steps:",
            '1. kubectl -n ledger patch pvc data-ledger-pg-0 -p \'{"spec":{"resources":{"requests":{"storage":"100Gi"}}}}\'  -> persistentvolumeclaim/data-ledger-pg-0 patched',
            "2. kubectl get pv pvc-3f9a1c7e-52d4-4b8e-9a10-6c2f0e7d1b55 -> CAPACITY 100Gi  (done)",
            "3. Closed 09:16 BRT: 'disk grown, no downtime needed'",
            "",
        ]
    )
    return Bundle(
        question="ledger-api can't post the month-end batch since about 13:47 BRT; Postgres keeps restarting. What is the root cause?",
        category="disk",
        component="ledger-pg",
        statement="The ledger-pg volume was expanded to 100Gi, but its CSI driver needs the pod restarted to grow the file system (PVC condition FileSystemResizePending); the file system stayed at 50G, month-end postings filled it and PostgreSQL failed with `No space left on device` and PANICked writing WAL.",
        files={
            "kubectl-pasted.txt": pasted,
            "CHG-5512.txt": ticket,
            "logs/ledger-pg-0.log": pg.render(),
            "logs/ledger-api.log": api.render(),
        },
        proofs=[
            Proof(
                "kubectl-pasted.txt",
                "Waiting for user to (re-)start a pod to finish file system resize",
            ),
            Proof("kubectl-pasted.txt", "/dev/sdc         49G   49G     0 100%"),
            Proof(
                "logs/ledger-pg-0.log",
                'could not extend file "base/16384/24721.7": No space left on device',
            ),
        ],
        decoys=[
            "checkpoints are occurring too frequently",
            "canceling autovacuum task",
            "Report balances-by-branch took 8412 ms",
        ],
    )
