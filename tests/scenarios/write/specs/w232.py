# ruff: noqa: E501
# kubectl rows, pasted shell output and hand-written log lines are data, kept whole on one line.
"""Kubernetes, disk: two days ago a developer set `log_statement: all` in the orders-db
ConfigMap (PostgreSQL 15 StatefulSet, logging_collector writing into PGDATA/log on the same
20Gi PersistentVolume) to debug a query. The statement log grew about 7 GB a day; at 04:12 UTC
the volume is full, PostgreSQL PANICs on a WAL write, and every restart fails because it cannot
write postmaster.pid: orders-db-0 is in CrashLoopBackOff. Loud: the orders service's
connection-refused and `the database system is in recovery mode` errors. Decoys: the orders
service's errors, a kubelet image garbage-collection warning on another node, and PostgreSQL's
usual `checkpoints are occurring too frequently` hint."""

import random
import re
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, table
from records import Logfmt, Postgres
from scenes import at, loud
from traffic import Line, traffic

NOW = datetime(2025, 5, 20, 4, 41, tzinfo=UTC)
FULL = datetime(2025, 5, 20, 4, 12, 7, tzinfo=UTC)


def statement(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.4:
        return (
            "INFO",
            f"statement: SELECT o.id, o.status, o.total_cents FROM orders o WHERE o.customer_id = {rng.randrange(10**6)} ORDER BY o.created_at DESC LIMIT 20",
            (),
        )
    if roll < 0.6:
        return (
            "INFO",
            f"statement: INSERT INTO order_items (order_id, sku, qty, price_cents) VALUES ({rng.randrange(10**7)}, 'SKU-{rng.randrange(10**5):05d}', {rng.randrange(1, 5)}, {rng.randrange(199, 99999)})",
            (),
        )
    if roll < 0.75:
        return (
            "INFO",
            f"statement: UPDATE orders SET status = '{rng.choice(['paid', 'shipped', 'cancelled'])}', updated_at = now() WHERE id = {rng.randrange(10**7)}",
            (),
        )
    if roll < 0.9:
        return "INFO", "statement: BEGIN" if rng.random() < 0.5 else "statement: COMMIT", ()
    if roll < 0.995:
        return "INFO", "statement: SELECT 1", ()
    return (
        "INFO",
        f"checkpoint complete: wrote {rng.randrange(900, 6000)} buffers ({rng.uniform(1, 9):.1f}%); 0 WAL file(s) added, 0 removed, {rng.randrange(1, 9)} recycled; write={rng.uniform(20, 270):.3f} s, sync={rng.uniform(0, 1):.3f} s, total={rng.uniform(20, 270):.3f} s; sync files={rng.randrange(10, 90)}, longest={rng.uniform(0, 0.3):.3f} s, average={rng.uniform(0, 0.05):.3f} s; distance={rng.randrange(100000, 900000)} kB, estimate={rng.randrange(100000, 900000)} kB",
        (),
    )


def orders_line(rng: random.Random) -> Line:
    return (
        "INFO",
        rng.choice(
            [
                f"order {rng.randrange(10**7)} created items={rng.randrange(1, 6)} total_cents={rng.randrange(500, 90000)}",
                f"GET /orders?customer={rng.randrange(10**6)} 200 {rng.randrange(3, 60)}ms",
                f"order {rng.randrange(10**7)} status=paid",
            ]
        ),
        (),
    )


def orders_error(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.55:
        return (
            "ERROR",
            "POST /orders 500: failed to connect to `host=orders-db.shop.svc.cluster.local user=orders database=orders`: dial error (dial tcp 10.96.41.17:5432: connect: connection refused)",
            (),
        )
    if roll < 0.8:
        return (
            "ERROR",
            "GET /orders 500: FATAL: the database system is in recovery mode (SQLSTATE 57P03)",
            (),
        )
    return "WARN", f"db pool: acquire timeout after 5s, waiting={rng.randrange(10, 60)}", ()


def bundle() -> Bundle:
    rng = random.Random(20232)
    start = FULL - timedelta(minutes=22)
    db = LogFile("postgresql-Tue.log", Postgres(rng))
    db.add(traffic(rng, statement, start, 22, 5200))
    db.add(
        [
            at(start, 3.1, "WARN", "checkpoints are occurring too frequently (21 seconds apart)"),
            at(
                start,
                3.11,
                "INFO",
                'HINT:  Consider increasing the configuration parameter "max_wal_size".',
            ),
        ]
    )
    full = (FULL - start).total_seconds() / 60
    db.add(
        [
            at(
                start,
                full,
                "FATAL",
                'could not write to file "pg_wal/xlogtemp.4127": No space left on device',
            ),
            at(
                start,
                full + 0.01,
                "FATAL",
                'PANIC:  could not write to file "pg_wal/xlogtemp.4127": No space left on device'.replace(
                    "PANIC:  ", ""
                ),
            ),
            at(
                start,
                full + 0.02,
                "INFO",
                "server process (PID 4127) was terminated by signal 6: Aborted",
            ),
            at(start, full + 0.03, "INFO", "terminating any other active server processes"),
            at(start, full + 0.04, "INFO", "all server processes terminated; reinitializing"),
            at(
                start,
                full + 0.05,
                "FATAL",
                'could not write lock file "postmaster.pid": No space left on device',
            ),
        ]
    )
    previous = db.render()
    previous = previous.replace(
        'FATAL:  could not write to file "pg_wal/xlogtemp.4127": No space left on device\n',
        'PANIC:  could not write to file "pg_wal/xlogtemp.4127": No space left on device\n',
        1,
    )
    lines = previous.splitlines()
    seen = [i for i, line in enumerate(lines) if "xlogtemp.4127" in line]
    if len(seen) == 2:
        del lines[seen[1]]
    for index, line in enumerate(lines):
        if "xlogtemp.4127" in line:
            lines[index] = re.sub(r"\[\d+\] PANIC", "[4127] PANIC", line)
        elif any(
            key in line
            for key in ("signal 6", "terminating any other", "reinitializing", "postmaster.pid")
        ):
            lines[index] = re.sub(r"\[\d+\] ", "[1] ", line, count=1)
    lines = [line for line in lines if "postmaster.pid" not in line]
    previous = "\n".join(lines) + "\n"
    last = FULL + timedelta(minutes=27)
    current = (
        "$ kubectl -n shop logs orders-db-0 --previous\n"
        + f'{last.strftime("%Y-%m-%d %H:%M:%S")}.412 UTC [1] FATAL:  could not write lock file "postmaster.pid": No space left on device\n'
    )
    pod = Pod(
        name="orders-db-0",
        namespace="shop",
        node="ip-10-40-22-118.ec2.internal",
        app="orders-db",
        status="Running",
        ip="10.40.22.203",
        controller="StatefulSet/orders-db",
        labels=[
            "app=orders-db",
            "apps.kubernetes.io/pod-index=0",
            "controller-revision-hash=orders-db-6c8f9d4b57",
            "statefulset.kubernetes.io/pod-name=orders-db-0",
        ],
        start_time="Thu, 08 May 2025 11:20:43 +0000",
        conditions={
            "Initialized": "True",
            "Ready": "False",
            "ContainersReady": "False",
            "PodScheduled": "True",
        },
        volumes=[
            "  data:",
            "    Type:       PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)",
            "    ClaimName:  data-orders-db-0",
            "    ReadOnly:   false",
            "  config:",
            "    Type:      ConfigMap (a volume populated by a ConfigMap)",
            "    Name:      orders-db-config",
            "    Optional:  false",
        ],
        containers=[
            Container(
                "postgres",
                "postgres:15.7",
                state=["Waiting", "  Reason:       CrashLoopBackOff"],
                last_state=[
                    "Terminated",
                    "  Reason:       Error",
                    "  Exit Code:    1",
                    "  Started:      Tue, 20 May 2025 04:39:14 +0000",
                    "  Finished:     Tue, 20 May 2025 04:39:14 +0000",
                ],
                ready=False,
                restarts=9,
                limits={"memory": "4Gi"},
                requests={"cpu": "500m", "memory": "4Gi"},
                probes=[
                    "Readiness:      exec [pg_isready -U orders] delay=5s timeout=3s period=10s #success=1 #failure=3"
                ],
                environment=[
                    "POSTGRES_DB:        orders",
                    "POSTGRES_PASSWORD:  <set to the key 'password' in secret 'orders-db'>  Optional: false",
                    "PGDATA:             /var/lib/postgresql/data/pgdata",
                ],
                port="5432/TCP",
            )
        ],
        events=[
            (
                "Warning",
                "Unhealthy",
                "28m (x6 over 29m)",
                "kubelet",
                "Readiness probe failed: /var/run/postgresql:5432 - no response",
            ),
            (
                "Normal",
                "Pulled",
                "3m (x10 over 29m)",
                "kubelet",
                'Container image "postgres:15.7" already present on machine',
            ),
            (
                "Warning",
                "BackOff",
                "2m (x121 over 28m)",
                "kubelet",
                "Back-off restarting failed container postgres in pod orders-db-0_shop(7b1e4c0d-93a2-4f61-a8de-2c57e19b0f44)",
            ),
        ],
    )
    describe = describe_pod(pod, rng)
    configmap = "\n".join(
        [
            "$ kubectl -n shop get configmap orders-db-config -o yaml",
            "apiVersion: v1",
            "data:",
            "  postgresql.conf: |",
            "    listen_addresses = '*'",
            "    max_connections = 200",
            "    shared_buffers = 1GB",
            "    effective_cache_size = 3GB",
            "    max_wal_size = 2GB",
            "    logging_collector = on",
            "    log_directory = 'log'",
            "    log_filename = 'postgresql-%a.log'",
            "    log_rotation_age = 1d",
            "    log_truncate_on_rotation = on",
            "    log_min_duration_statement = 500",
            "    log_statement = 'all'",
            "    log_destination = 'stderr'",
            "kind: ConfigMap",
            "metadata:",
            "  annotations:",
            "    kubectl.kubernetes.io/last-applied-configuration: |",
            '      {"apiVersion":"v1","kind":"ConfigMap","metadata":{"annotations":{},"name":"orders-db-config","namespace":"shop"}}',
            '  creationTimestamp: "2025-02-03T09:14:27Z"',
            "  name: orders-db-config",
            "  namespace: shop",
            '  resourceVersion: "98412207"',
            "  uid: 5e0c92b1-7d4a-4c3f-9b61-0f2ad8e47c19",
            "",
        ]
    )
    debug = "\n".join(
        [
            "$ kubectl -n shop debug orders-db-0 -it --image=busybox:1.36 --target=postgres -- sh",
            "/ # df -h /var/lib/postgresql/data",
            "Filesystem                Size      Used Available Use% Mounted on",
            "/dev/nvme2n1             19.5G     19.5G         0 100% /var/lib/postgresql/data",
            "/ # du -sh /var/lib/postgresql/data/pgdata/* | sort -h | tail -4",
            "1.0G\t/var/lib/postgresql/data/pgdata/pg_wal",
            "3.9G\t/var/lib/postgresql/data/pgdata/base",
            "14.5G\t/var/lib/postgresql/data/pgdata/log",
            "/ # ls -la /var/lib/postgresql/data/pgdata/log",
            "-rw-------    1 999      999      7421833216 May 18 23:59 postgresql-Sun.log",
            "-rw-------    1 999      999      7216410624 May 19 23:59 postgresql-Mon.log",
            "-rw-------    1 999      999       902348800 May 20 04:12 postgresql-Tue.log",
            "-rw-------    1 999      999        18112 May 13 23:59 postgresql-Tue.log.1",
            "/ # exit",
            "$ kubectl -n shop cp orders-db-0:/var/lib/postgresql/data/pgdata/log/postgresql-Tue.log ./postgresql-Tue.log -c postgres   # last 22 minutes kept",
            "",
        ]
    )
    nodes_events = (
        "\n".join(
            table(
                ("LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"),
                [
                    (
                        "52m",
                        "Warning",
                        "FreeDiskSpaceFailed",
                        "node/ip-10-40-31-57.ec2.internal",
                        "Failed to garbage collect required amount of images. Attempted to free 4187594752 bytes, but only found 0 bytes eligible to free.",
                    ),
                    (
                        "29m",
                        "Warning",
                        "Unhealthy",
                        "pod/orders-db-0",
                        "Readiness probe failed: /var/run/postgresql:5432 - no response",
                    ),
                    (
                        "2m",
                        "Warning",
                        "BackOff",
                        "pod/orders-db-0",
                        "Back-off restarting failed container postgres in pod orders-db-0_shop(7b1e4c0d-93a2-4f61-a8de-2c57e19b0f44)",
                    ),
                ],
            )
        )
        + "\n"
    )
    orders = LogFile("logs/orders.log", Logfmt("orders", rng=rng))
    orders.add(traffic(rng, orders_line, start, 51, 2600))
    orders.add(loud(rng, start, full + 0.05, 28.5, 1400, orders_error))
    return Bundle(
        question="The orders API has been returning 500 since about 04:12 UTC and orders-db-0 keeps restarting. What is the root cause?",
        category="disk",
        component="orders-db",
        statement="orders-db's ConfigMap was changed to log_statement = 'all' two days before; the statement logs in PGDATA/log grew to 14.5G on the 20Gi volume, which filled at 04:12 UTC: PostgreSQL PANICked on a WAL write (No space left on device) and cannot restart, so orders-db-0 crash-loops and the orders API answers 500.",
        files={
            "kubectl-describe-pod-orders-db-0.txt": describe,
            "postgresql-Tue.log": previous,
            "kubectl-logs-orders-db-0.txt": current,
            "kubectl-get-configmap.yaml": configmap,
            "debug-session.txt": debug,
            "kubectl-get-events.txt": nodes_events,
            "logs/orders.log": orders.render(),
        },
        proofs=[
            Proof(
                "debug-session.txt",
                "/dev/nvme2n1             19.5G",
                "14.5G\t/var/lib/postgresql/data/pgdata/log",
            ),
            Proof("kubectl-get-configmap.yaml", "log_statement = 'all'"),
        ],
        decoys=[
            "the database system is in recovery mode",
            "FreeDiskSpaceFailed",
            "checkpoints are occurring too frequently",
        ],
    )
