# ruff: noqa: E501
# kubectl output, Prometheus and Grafana lines are data, kept whole on one line.
"""Kubernetes: during a storage migration the prometheus-server StatefulSet was recreated at
02:10 UTC on a new gp3 volume, with values that dropped `fsGroup: 65534` from the pod security
context while the container still runs as user 65534. The fresh volume's root is owned by root,
so Prometheus exits with `opening storage failed: lock DB directory: open /data/lock: permission
denied` and crash-loops; dashboards show no data and no alert fires. Decoys: a Grafana sqlite
`database is locked` warning, an Alertmanager webhook timeout, and the restart of
kube-state-metrics."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod
from records import Record
from scenes import at, fixed, loud
from traffic import traffic

START = datetime(2026, 7, 7, 1, 40, tzinfo=UTC)
NOW = datetime(2026, 7, 7, 7, 55, tzinfo=UTC)
RECREATE = 30.0  # 02:10


@dataclass
class GoKitLogfmt:
    """go-kit logfmt as Prometheus and Grafana write it; the message holds the key=value tail."""

    time_key: str = "ts"
    level_key: str = "level"

    def render(self, record: Record) -> list[str]:
        stamp = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond // 1000:03d}Z"
        )
        level = {"WARN": "warn", "ERROR": "eror" if self.level_key == "lvl" else "error"}.get(
            record.level, "info"
        )
        if self.level_key == "lvl":
            level = level[:4] if level != "error" else "eror"
        return [f"{self.time_key}={stamp} {self.level_key}={level} {record.message}"]


def grafana_routine(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    roll = rng.random()
    user = rng.choice(["oncall-1", "sre-lena", "dev-marco", "viewer-bot"])
    if roll < 0.55:
        return (
            "INFO",
            f'logger=context userId={rng.randrange(2, 40)} orgId=1 uname={user} msg="Request Completed" method=GET path=/api/dashboards/uid/{rng.getrandbits(36):09x} status=200 remote_addr=10.20.{rng.randrange(256)}.{rng.randrange(1, 255)} time_ms={rng.randrange(3, 40)} duration={rng.randrange(3, 40)}.{rng.randrange(1000)}ms size={rng.randrange(2000, 90000)} referer= handler=/api/dashboards/uid/:uid',
            (),
        )
    if roll < 0.85:
        return (
            "INFO",
            f'logger=cleanup msg="Completed cleanup jobs" duration={rng.randrange(5, 60)}.{rng.randrange(1000)}ms',
            (),
        )
    return ("INFO", 'logger=infra.usagestats msg="Usage stats are ready to report"', ())


def bundle() -> Bundle:
    rng = random.Random(2410)
    total = (NOW - START).total_seconds() / 60
    prev = LogFile("logs/prometheus-server-0-previous.log", GoKitLogfmt())
    crash = NOW - timedelta(minutes=3, seconds=12)
    prev.add(
        [
            at(
                crash,
                0,
                "INFO",
                'caller=main.go:645 msg="Starting Prometheus Server" mode=server version="(version=2.53.1, branch=HEAD, revision=14cfec3f6048b735e08c1e9c64c8d4211d32bab4)"',
            ),
            at(
                crash,
                0.001,
                "INFO",
                'caller=main.go:650 build_context="(go=go1.22.5, platform=linux/amd64, user=root@9f8e5b6c5b12, date=20240711-10:40:15, tags=netgo,builtinassets,stringlabels)"',
            ),
            at(
                crash,
                0.002,
                "INFO",
                'caller=main.go:651 host_details="(Linux 6.1.97-104.177.amzn2023.x86_64 #1 SMP PREEMPT_DYNAMIC x86_64 prometheus-server-0 (none))"',
            ),
            at(crash, 0.003, "INFO", 'caller=main.go:652 fd_limits="(soft=1048576, hard=1048576)"'),
            at(
                crash,
                0.004,
                "INFO",
                'caller=main.go:653 vm_limits="(soft=unlimited, hard=unlimited)"',
            ),
            at(
                crash,
                0.005,
                "INFO",
                'caller=web.go:571 component=web msg="Start listening for connections" address=0.0.0.0:9090',
            ),
            at(crash, 0.006, "INFO", 'caller=main.go:1160 msg="Starting TSDB ..."'),
            at(
                crash,
                0.007,
                "INFO",
                'caller=tls_config.go:313 component=web msg="Listening on" address=[::]:9090',
            ),
            at(
                crash,
                0.008,
                "ERROR",
                'caller=main.go:1189 err="opening storage failed: lock DB directory: open /data/lock: permission denied"',
            ),
            at(
                crash,
                0.009,
                "INFO",
                'caller=notifier.go:718 component=notifier msg="Stopping notification manager..."',
            ),
            at(crash, 0.01, "INFO", 'caller=main.go:1403 msg="See you next time!"'),
        ]
    )
    grafana = LogFile("logs/grafana.log", GoKitLogfmt("t", "lvl"))

    grafana.add(traffic(rng, grafana_routine, START, total, 2400))
    grafana.add(
        [
            at(
                START,
                14.2,
                "WARN",
                'logger=sqlstore msg="database is locked, retrying" retry=1 table=dashboard_version',
            ),
            at(
                START,
                66.0,
                "WARN",
                'logger=ngalert.notifier.alertmanager org=1 msg="notify retry canceled due to unrecoverable error after 1 attempts" receiver=team-payments-webhook integration=webhook[0] err="Post \\"https://hooks.example.internal/alerts\\": context deadline exceeded"',
            ),
        ]
    )
    grafana.add(
        loud(
            rng,
            START,
            RECREATE + 1,
            total - RECREATE - 2,
            1300,
            fixed(
                "ERROR",
                lambda r: (
                    f'logger=tsdb.prometheus endpoint=queryData pluginId=prometheus dsName=Prometheus dsUID=P1809F7CD0C75ACF3 uname={r.choice(["oncall-1", "sre-lena", "viewer-bot"])} fromAlert=false msg="Error making query" error="Post \\"http://prometheus-server.monitoring.svc:80/api/v1/query_range\\": dial tcp 172.20.{r.choice([41])}.{r.choice([188])}:80: connect: connection refused"'
                ),
            ),
        )
    )
    grafana.add(
        loud(
            rng,
            START,
            RECREATE + 1,
            total - RECREATE - 2,
            350,
            fixed(
                "ERROR",
                lambda r: (
                    f'logger=ngalert.state.manager rule_uid={r.getrandbits(40):010x} org=1 msg="Failed to evaluate rule" error="failed to execute query A: Post \\"http://prometheus-server.monitoring.svc:80/api/v1/query\\": dial tcp 172.20.41.188:80: connect: connection refused"'
                ),
            ),
        )
    )

    pod = Pod(
        name="prometheus-server-0",
        namespace="monitoring",
        node="ip-10-30-7-142.eu-west-1.compute.internal",
        app="prometheus",
        ip="10.30.7.201",
        start_time="Tue, 07 Jul 2026 02:10:37 +0000",
        service_account="prometheus-server",
        controller="StatefulSet/prometheus-server",
        labels=[
            "app.kubernetes.io/component=server",
            "app.kubernetes.io/instance=prometheus",
            "app.kubernetes.io/name=prometheus",
            "apps.kubernetes.io/pod-index=0",
            "controller-revision-hash=prometheus-server-6f5c8d7b9",
            "statefulset.kubernetes.io/pod-name=prometheus-server-0",
        ],
        containers=[
            Container(
                "prometheus-server",
                "quay.io/prometheus/prometheus:v2.53.1",
                state=["Waiting", "  Reason:       CrashLoopBackOff"],
                last_state=[
                    "Terminated",
                    "  Reason:       Error",
                    "  Exit Code:    1",
                    "  Started:      Tue, 07 Jul 2026 07:51:48 +0000",
                    "  Finished:     Tue, 07 Jul 2026 07:51:48 +0000",
                ],
                ready=False,
                restarts=69,
                limits={"memory": "8Gi"},
                requests={"cpu": "1", "memory": "6Gi"},
                probes=[
                    "Liveness:       http-get http://:9090/-/healthy delay=30s timeout=10s period=15s #success=1 #failure=3",
                    "Readiness:      http-get http://:9090/-/ready delay=30s timeout=4s period=5s #success=1 #failure=3",
                ],
                port="9090/TCP",
            )
        ],
        conditions={
            "Initialized": "True",
            "Ready": "False",
            "ContainersReady": "False",
            "PodScheduled": "True",
        },
        volumes=[
            "  storage-volume:",
            "    Type:       PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)",
            "    ClaimName:  storage-volume-prometheus-server-0",
            "    ReadOnly:   false",
            "  config-volume:",
            "    Type:      ConfigMap (a volume populated by a ConfigMap)",
            "    Name:      prometheus-server",
            "    Optional:  false",
        ],
        events=[
            (
                "Normal",
                "Pulled",
                "8m14s (x69 over 5h45m)",
                "kubelet",
                'Container image "quay.io/prometheus/prometheus:v2.53.1" already present on machine',
            ),
            (
                "Warning",
                "BackOff",
                "3m1s (x1561 over 5h45m)",
                "kubelet",
                "Back-off restarting failed container prometheus-server in pod prometheus-server-0_monitoring(2c9e41f7-5b3d-4a08-9e6c-71d0f4a8b2e5)",
            ),
        ],
    )
    describe = describe_pod(pod, rng)
    sts = "\n".join(
        [
            '$ kubectl -n monitoring get sts prometheus-server -o jsonpath=\'{.spec.template.spec.securityContext}{"\\n"}{.spec.template.spec.containers[0].securityContext}{"\\n"}\'',
            '{"runAsGroup":65534,"runAsNonRoot":true,"runAsUser":65534}',
            '{"allowPrivilegeEscalation":false,"capabilities":{"drop":["ALL"]},"readOnlyRootFilesystem":true}',
            "",
            "$ kubectl -n monitoring get pvc",
            "NAME                                 STATUS   VOLUME                                     CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE",
            "storage-volume-prometheus-server-0   Bound    pvc-8d2f61c4-3e9a-4b71-a0d5-c6e2f19b7a34   200Gi      RWO            gp3            <unset>                 5h46m",
            "storage-volume-alertmanager-0       Bound    pvc-41b7e2d9-0c6f-4a85-b3e1-9f7d5c2a8e16   2Gi        RWO            gp2            <unset>                 412d",
            "",
            "$ kubectl -n monitoring get pods",
            "NAME                                             READY   STATUS             RESTARTS         AGE",
            "alertmanager-0                                   1/1     Running            0                19d",
            "grafana-6c9f7d8b54-vx2lq                         1/1     Running            0                6d",
            "kube-state-metrics-7b8d9c6f45-j4w9p              1/1     Running            1 (4h12m ago)    19d",
            "prometheus-server-0                              0/1     CrashLoopBackOff   69 (3m12s ago)   5h45m",
            "",
        ]
    )
    notes = "\n".join(
        [
            "# monitoring handover, 07 Jul",
            "",
            "- 02:05 storage migration of prometheus to gp3 done by night shift (helm upgrade with the new values file from the platform repo; old PVC deleted, history not kept)",
            "- 04:00ish kube-state-metrics restarted once (node maintenance on ip-10-30-6-19), came back fine",
            "- 07:40 payments team asks why no alert fired for their 5xx spike at 06:55; every Grafana panel says No data",
            "- alertmanager itself is up, Watchdog alert stopped arriving in PagerDuty at 02:11",
            "",
        ]
    )
    return Bundle(
        question="No alerts fired overnight and every Grafana panel says 'No data' this morning. What is broken?",
        category="permission",
        component="prometheus-server",
        statement="When the prometheus-server StatefulSet was recreated on a new gp3 volume at 02:10 UTC its pod security context lost fsGroup 65534 while it still runs as user 65534; the root-owned fresh volume is not writable, Prometheus exits with `lock DB directory: open /data/lock: permission denied` and crash-loops, so Grafana queries and alert rules fail.",
        files={
            "kubectl-logs-previous.txt": prev.render(),
            "kubectl-describe-pod.txt": describe,
            "kubectl-get.txt": sts,
            "logs/grafana.log": grafana.render(),
            "notes.md": notes,
        },
        proofs=[
            Proof(
                "kubectl-logs-previous.txt", "lock DB directory: open /data/lock: permission denied"
            ),
            Proof("kubectl-get.txt", '{"runAsGroup":65534,"runAsNonRoot":true,"runAsUser":65534}'),
        ],
        decoys=[
            'msg="database is locked, retrying"',
            "receiver=team-payments-webhook",
            "kube-state-metrics restarted once",
        ],
    )
