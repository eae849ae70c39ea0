# ruff: noqa: E501
# kubectl output and hand-written log lines are data, kept whole on one line.
"""Kubernetes: the Grafana chart upgrade (grafana 11.6.1) synced at 09:12 UTC cannot complete.
The grafana Deployment keeps one replica on a ReadWriteOnce EBS volume (PVC grafana) with the
default RollingUpdate strategy, so the new pod is created while the old one still runs; the
scheduler puts it on another node, the attach-detach controller refuses the volume with a
Multi-Attach error, the new pod stays in ContainerCreating and the rollout hits its progress
deadline, Argo CD marks the app Degraded and the CI job's `helm upgrade --wait` times out. The
old pod keeps serving. Decoys: the old pod's SQLite `database is locked` retries, a slow image
pull on the new node, and a cluster-autoscaler scale-up at 09:05."""

import random
import re
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events, table
from records import Record
from scenes import at
from traffic import Line, traffic

START = datetime(2025, 4, 29, 8, 40, tzinfo=UTC)
SYNC = datetime(2025, 4, 29, 9, 12, 4, tzinfo=UTC)
NOW = datetime(2025, 4, 29, 9, 58, tzinfo=UTC)
OLD = "grafana-6b7f9d8c5d-x8zq2"
NEW = "grafana-84c6d7f9b-m2tkp"
VOLUME = "pvc-3f9a1c27-8e4b-4d61-b0c2-7a5e9d13f486"
OLD_NODE = "ip-10-20-1-88.us-east-2.compute.internal"
NEW_NODE = "ip-10-20-3-41.us-east-2.compute.internal"


class GrafanaLog:
    """Grafana's logfmt console lines; a record's logger is Grafana's `logger=` field."""

    def render(self, record: Record) -> list[str]:
        stamp = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond * 1000:09d}Z"
        )
        level = {"WARN": "warn", "ERROR": "error", "DEBUG": "debug"}.get(record.level, "info")
        head = f"logger={record.logger or 'context'}"
        return [f"{head} t={stamp} level={level} {record.message}"]


def grafana_line(rng: random.Random) -> Line:
    roll = rng.random()
    uid = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(9))
    if roll < 0.55:
        path = rng.choice(
            [
                f"/api/dashboards/uid/{uid}",
                "/api/ds/query",
                "/api/ds/query",
                "/api/search",
                f"/d/{uid}/k8s-cluster",
                "/api/live/ws",
                "/api/annotations",
            ]
        )
        took = rng.randrange(2, 900)
        return (
            "INFO",
            f'msg="Request Completed" method={"POST" if path == "/api/ds/query" else "GET"} path={path} status=200 remote_addr=10.20.{rng.randrange(0, 8)}.{rng.randrange(2, 250)} time_ms={took} duration={took}.{rng.randrange(1000):03d}ms size={rng.randrange(200, 90000)} referer= handler={path} status_source=server',
            (),
        )
    if roll < 0.75:
        return (
            "INFO",
            f'msg="Completed cleanup jobs" duration={rng.randrange(5, 60)}.{rng.randrange(10**6):06d}ms',
            (),
        )
    if roll < 0.9:
        return "INFO", f'msg="Usage stats are ready to report" count={rng.randrange(20, 90)}', ()
    return (
        "INFO",
        f'msg="Update check succeeded" duration={rng.randrange(40, 300)}.{rng.randrange(10**6):06d}ms',
        (),
    )


def describe_deployment() -> str:
    lines = [
        "Name:                   grafana",
        "Namespace:              observability",
        "CreationTimestamp:      Wed, 02 Oct 2024 14:20:33 +0000",
        "Labels:                 app.kubernetes.io/instance=grafana",
        "                        app.kubernetes.io/managed-by=Helm",
        "                        app.kubernetes.io/name=grafana",
        "                        app.kubernetes.io/version=11.6.1",
        "                        helm.sh/chart=grafana-8.15.0",
        "Annotations:            deployment.kubernetes.io/revision: 17",
        "                        meta.helm.sh/release-name: grafana",
        "                        meta.helm.sh/release-namespace: observability",
        "Selector:               app.kubernetes.io/instance=grafana,app.kubernetes.io/name=grafana",
        "Replicas:               1 desired | 1 updated | 2 total | 1 available | 1 unavailable",
        "StrategyType:           RollingUpdate",
        "MinReadySeconds:        0",
        "RollingUpdateStrategy:  25% max unavailable, 25% max surge",
        "Pod Template:",
        "  Labels:           app.kubernetes.io/instance=grafana",
        "                    app.kubernetes.io/name=grafana",
        "  Annotations:      checksum/config: 7c1d0a4e9b2f63d8a5e1c07b94f2d6e3a8b5c1f09d7e2a4b6c8d0e1f3a5b7c9d",
        "                    checksum/secret: 0f3e5d7c9b1a2e4f6d8c0b2a4e6f8d0c2b4a6e8f0d2c4b6a8e0f2d4c6b8a0e2f",
        "  Service Account:  grafana",
        "  Containers:",
        "   grafana:",
        "    Image:       docker.io/grafana/grafana:11.6.1",
        "    Ports:       3000/TCP, 9094/TCP, 9094/UDP",
        "    Host Ports:  0/TCP, 0/TCP, 0/UDP",
        "    Limits:",
        "      memory:  1Gi",
        "    Requests:",
        "      cpu:      250m",
        "      memory:   512Mi",
        "    Liveness:   http-get http://:3000/api/health delay=60s timeout=30s period=10s #success=1 #failure=10",
        "    Readiness:  http-get http://:3000/api/health delay=0s timeout=1s period=10s #success=1 #failure=3",
        "    Environment:",
        "      GF_SECURITY_ADMIN_USER:      <set to the key 'admin-user' in secret 'grafana'>      Optional: false",
        "      GF_SECURITY_ADMIN_PASSWORD:  <set to the key 'admin-password' in secret 'grafana'>  Optional: false",
        "      GF_PATHS_DATA:               /var/lib/grafana/",
        "      GF_PATHS_LOGS:               /var/log/grafana",
        "      GF_PATHS_PLUGINS:            /var/lib/grafana/plugins",
        "      GF_PATHS_PROVISIONING:       /etc/grafana/provisioning",
        "    Mounts:",
        '      /etc/grafana/grafana.ini from config (rw,path="grafana.ini")',
        '      /etc/grafana/provisioning/datasources/datasources.yaml from config (rw,path="datasources.yaml")',
        "      /var/lib/grafana from storage (rw)",
        "  Volumes:",
        "   config:",
        "    Type:      ConfigMap (a volume populated by a ConfigMap)",
        "    Name:      grafana",
        "    Optional:  false",
        "   storage:",
        "    Type:       PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)",
        "    ClaimName:  grafana",
        "    ReadOnly:   false",
        "  Node-Selectors:  <none>",
        "  Tolerations:     <none>",
        "Conditions:",
        *table(
            ("Type", "Status", "Reason"),
            [
                ("----", "------", "------"),
                ("Available", "True", "MinimumReplicasAvailable"),
                ("Progressing", "False", "ProgressDeadlineExceeded"),
            ],
            indent="  ",
        ),
        "OldReplicaSets:  grafana-6b7f9d8c5d (1/1 replicas created)",
        "NewReplicaSet:   grafana-84c6d7f9b (1/1 replicas created)",
        "Events:",
        *table(
            ("Type", "Reason", "Age", "From", "Message"),
            [
                ("----", "------", "----", "----", "-------"),
                (
                    "Normal",
                    "ScalingReplicaSet",
                    "45m",
                    "deployment-controller",
                    "Scaled up replica set grafana-84c6d7f9b to 1",
                ),
            ],
            indent="  ",
        ),
    ]
    return "\n".join(lines) + "\n"


def get_pods() -> str:
    rows = [
        (OLD, "1/1", "Running", "0", "27d", "10.20.1.140", OLD_NODE, "<none>", "<none>"),
        (NEW, "0/1", "ContainerCreating", "0", "45m", "<none>", NEW_NODE, "<none>", "<none>"),
        (
            "loki-0",
            "2/2",
            "Running",
            "0",
            "27d",
            "10.20.2.77",
            "ip-10-20-2-15.us-east-2.compute.internal",
            "<none>",
            "<none>",
        ),
        (
            "loki-gateway-5f8d7c9b6-4hx2w",
            "1/1",
            "Running",
            "0",
            "27d",
            "10.20.1.152",
            OLD_NODE,
            "<none>",
            "<none>",
        ),
        (
            "prometheus-kube-prometheus-stack-prometheus-0",
            "2/2",
            "Running",
            "0",
            "13d",
            "10.20.2.31",
            "ip-10-20-2-15.us-east-2.compute.internal",
            "<none>",
            "<none>",
        ),
        (
            "kube-prometheus-stack-operator-7d9c5b6f48-qz8rn",
            "1/1",
            "Running",
            "0",
            "13d",
            "10.20.3.19",
            NEW_NODE,
            "<none>",
            "<none>",
        ),
        (
            "alertmanager-kube-prometheus-stack-alertmanager-0",
            "2/2",
            "Running",
            "0",
            "13d",
            "10.20.1.97",
            OLD_NODE,
            "<none>",
            "<none>",
        ),
    ]
    return (
        "\n".join(
            table(
                (
                    "NAME",
                    "READY",
                    "STATUS",
                    "RESTARTS",
                    "AGE",
                    "IP",
                    "NODE",
                    "NOMINATED NODE",
                    "READINESS GATES",
                ),
                rows,
            )
        )
        + "\n"
    )


def get_pvc() -> str:
    rows = [
        ("grafana", "Bound", VOLUME, "10Gi", "RWO", "gp3", "<unset>", "209d"),
        (
            "storage-loki-0",
            "Bound",
            "pvc-91d2e4b7-0c6a-4f3e-8b5d-2a7c9e1f4d60",
            "50Gi",
            "RWO",
            "gp3",
            "<unset>",
            "209d",
        ),
        (
            "prometheus-kube-prometheus-stack-prometheus-db-prometheus-kube-prometheus-stack-prometheus-0",
            "Bound",
            "pvc-5e8b1d3a-7f2c-4a9e-b6d0-c4e1a7f9b352",
            "100Gi",
            "RWO",
            "gp3",
            "<unset>",
            "209d",
        ),
    ]
    return (
        "\n".join(
            table(
                (
                    "NAME",
                    "STATUS",
                    "VOLUME",
                    "CAPACITY",
                    "ACCESS MODES",
                    "STORAGECLASS",
                    "VOLUMEATTRIBUTESCLASS",
                    "AGE",
                ),
                rows,
            )
        )
        + "\n"
    )


def ci_log() -> str:
    lines = [
        "2025-04-29T09:11:52.4410927Z ##[group]Run helm upgrade --install grafana grafana/grafana --version 8.15.0 -n observability -f values/grafana.yaml --wait --timeout 10m",
        "2025-04-29T09:11:52.4433318Z \u001b[36;1mhelm upgrade --install grafana grafana/grafana --version 8.15.0 -n observability -f values/grafana.yaml --wait --timeout 10m\u001b[0m",
        "2025-04-29T09:11:52.4509861Z ##[endgroup]",
        "2025-04-29T09:12:04.1893120Z coalesce.go:301: warning: destination for grafana.ini.server.root_url is a table. Ignoring non-table value ()",
        "2025-04-29T09:22:04.9917402Z Error: UPGRADE FAILED: context deadline exceeded",
        "2025-04-29T09:22:05.0118220Z ##[error]Process completed with exit code 1.",
    ]
    return "\n".join(lines) + "\n"


def bundle() -> Bundle:
    rng = random.Random(1152)
    total = (NOW - START).total_seconds() / 60
    log = LogFile(f"logs/{OLD}.log", GrafanaLog())
    log.add(traffic(rng, grafana_line, START, total, 2600))
    for minute in (6.2, 19.8, 33.4, 47.1):
        log.add(
            [
                at(
                    START,
                    minute,
                    "INFO",
                    'msg="Database locked, sleeping then retrying" error="database is locked" retry=0 code="database is locked"',
                    logger="sqlstore.transactions",
                ),
                at(
                    START,
                    minute + 0.01,
                    "INFO",
                    'msg="Database locked, sleeping then retrying" error="database is locked" retry=1 code="database is locked"',
                    logger="sqlstore.transactions",
                ),
            ]
        )
    log.add(
        [
            at(
                START,
                11.5,
                "WARN",
                'msg="Failed to get plugin" pluginId=grafana-piechart-panel error="plugin not found"',
                logger="plugins.store",
            )
        ]
    )

    since = int((NOW - SYNC).total_seconds())
    pod = Pod(
        name=NEW,
        namespace="observability",
        node=NEW_NODE,
        app="grafana",
        status="Pending",
        ip="",
        service_account="grafana",
        start_time="Tue, 29 Apr 2025 09:12:06 +0000",
        labels=[
            "app.kubernetes.io/instance=grafana",
            "app.kubernetes.io/name=grafana",
            "pod-template-hash=84c6d7f9b",
        ],
        containers=[
            Container(
                name="grafana",
                image="docker.io/grafana/grafana:11.6.1",
                state=["Waiting", "  Reason:       ContainerCreating"],
                ready=False,
                limits={"memory": "1Gi"},
                requests={"cpu": "250m", "memory": "512Mi"},
                probes=[
                    "Liveness:   http-get http://:3000/api/health delay=60s timeout=30s period=10s #success=1 #failure=10",
                    "Readiness:  http-get http://:3000/api/health delay=0s timeout=1s period=10s #success=1 #failure=3",
                ],
                port="3000/TCP",
                environment=[
                    "GF_SECURITY_ADMIN_USER:      <set to the key 'admin-user' in secret 'grafana'>      Optional: false",
                    "GF_SECURITY_ADMIN_PASSWORD:  <set to the key 'admin-password' in secret 'grafana'>  Optional: false",
                    "GF_PATHS_DATA:               /var/lib/grafana/",
                    "GF_PATHS_LOGS:               /var/log/grafana",
                    "GF_PATHS_PLUGINS:            /var/lib/grafana/plugins",
                    "GF_PATHS_PROVISIONING:       /etc/grafana/provisioning",
                ],
            )
        ],
        conditions={
            "PodReadyToStartContainers": "False",
            "Initialized": "True",
            "Ready": "False",
            "ContainersReady": "False",
            "PodScheduled": "True",
        },
        volumes=[
            "  config:",
            "    Type:      ConfigMap (a volume populated by a ConfigMap)",
            "    Name:      grafana",
            "    Optional:  false",
            "  storage:",
            "    Type:       PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)",
            "    ClaimName:  grafana",
            "    ReadOnly:   false",
        ],
        events=[
            (
                "Normal",
                "Scheduled",
                "45m",
                "default-scheduler",
                f"Successfully assigned observability/{NEW} to {NEW_NODE}",
            ),
            (
                "Warning",
                "FailedAttachVolume",
                "45m",
                "attachdetach-controller",
                f'Multi-Attach error for volume "{VOLUME}" Volume is already used by pod(s) {OLD}',
            ),
            (
                "Warning",
                "FailedMount",
                "2m (x21 over 43m)",
                "kubelet",
                "Unable to attach or mount volumes: unmounted volumes=[storage], unattached volumes=[storage config kube-api-access-6w4xq]: timed out waiting for the condition",
            ),
        ],
    )
    describe = describe_pod(pod, rng)
    describe = re.sub(r"Container ID:   containerd://[0-9a-f]+", "Container ID:   ", describe)
    describe = re.sub(r"Image ID:       \S+", "Image ID:       ", describe)
    describe = re.sub(r"(compute\.internal)/10\.[0-9.]+", r"\1/10.20.3.41", describe)
    describe = describe.replace(
        "IP:\nIPs:\n  IP:           \n", "IP:               \nIPs:              <none>\n"
    )
    describe = describe.replace(
        "    Mounts:\n",
        '    Mounts:\n      /etc/grafana/grafana.ini from config (rw,path="grafana.ini")\n      /etc/grafana/provisioning/datasources/datasources.yaml from config (rw,path="datasources.yaml")\n      /var/lib/grafana from storage (rw)\n',
    )
    found = re.search(r"kube-api-access-[0-9a-f]+", describe)
    assert found is not None
    token = found.group(0)
    describe = describe.replace("kube-api-access-6w4xq", token)

    nodes = [OLD_NODE, NEW_NODE, "ip-10-20-2-15.us-east-2.compute.internal"]
    routine = routine_events(
        rng, ["loki-canary", "promtail", "tempo-distributor"], 10, nodes, namespace="observability"
    )
    signal = [
        (
            since + 430,
            (
                "Normal",
                "TriggeredScaleUp",
                "pod/tempo-compactor-5b9f8d7c6-lk2vd",
                "pod triggered scale-up: [{eks-general-2025032114211738400000000c 3->4 (max: 8)}]",
            ),
        ),
        (
            since + 2,
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/grafana",
                "Scaled up replica set grafana-84c6d7f9b to 1",
            ),
        ),
        (
            since,
            (
                "Normal",
                "Scheduled",
                f"pod/{NEW}",
                f"Successfully assigned observability/{NEW} to {NEW_NODE}",
            ),
        ),
        (
            since - 1,
            (
                "Warning",
                "FailedAttachVolume",
                f"pod/{NEW}",
                f'Multi-Attach error for volume "{VOLUME}" Volume is already used by pod(s) {OLD}',
            ),
        ),
        (
            since - 20,
            (
                "Normal",
                "Pulling",
                "pod/loki-canary-7cz5p",
                'Pulling image "docker.io/grafana/loki-canary:3.4.2"',
            ),
        ),
        (
            since - 95,
            (
                "Normal",
                "Pulled",
                "pod/loki-canary-7cz5p",
                'Successfully pulled image "docker.io/grafana/loki-canary:3.4.2" in 1m14.52s (1m14.52s including waiting). Image size: 31457912 bytes.',
            ),
        ),
        (
            since - 600,
            (
                "Warning",
                "ProgressDeadlineExceeded",
                "deployment/grafana",
                'ReplicaSet "grafana-84c6d7f9b" has timed out progressing.',
            ),
        ),
        (
            120,
            (
                "Warning",
                "FailedMount",
                f"pod/{NEW}",
                f"Unable to attach or mount volumes: unmounted volumes=[storage], unattached volumes=[storage config {token}]: timed out waiting for the condition",
            ),
        ),
    ]
    argo = "\n".join(
        [
            "$ argocd app get observability-grafana",
            "Name:               argocd/observability-grafana",
            "Project:            platform",
            "Server:             https://kubernetes.default.svc",
            "Namespace:          observability",
            "Sync Policy:        Automated (Prune)",
            "Sync Status:        Synced to 8.15.0",
            "Health Status:      Degraded",
            "",
            "GROUP  KIND        NAMESPACE      NAME     STATUS  HEALTH    HOOK  MESSAGE",
            "       ConfigMap   observability  grafana  Synced                  configmap/grafana configured",
            "       Secret      observability  grafana  Synced                  secret/grafana configured",
            "       Service     observability  grafana  Synced  Healthy         service/grafana unchanged",
            "       PersistentVolumeClaim  observability  grafana  Synced  Healthy  persistentvolumeclaim/grafana unchanged",
            'apps   Deployment  observability  grafana  Synced  Degraded        Deployment "grafana" exceeded its progress deadline',
            "",
        ]
    )
    files = {
        "kubectl-describe-deployment.txt": describe_deployment(),
        "kubectl-describe-pod.txt": describe,
        "kubectl-get-pods.txt": get_pods(),
        "kubectl-get-pvc.txt": get_pvc(),
        "kubectl-get-events.txt": event_listing(routine, signal),
        "argocd-app.txt": argo,
        "ci-job.log": ci_log(),
        f"logs/{OLD}.log": log.render(),
    }
    return Bundle(
        question="The Grafana upgrade started at 09:12 UTC never finished: CI's helm job timed out, Argo CD shows the app Degraded and the new pod has been ContainerCreating for 45 minutes. Why?",
        category="deployment",
        component="grafana",
        statement="The grafana Deployment uses the RollingUpdate strategy with a single replica on the ReadWriteOnce volume of PVC grafana; the upgrade synced at 09:12 UTC started the new pod on another node while the old pod still held the EBS volume, so the attach failed with a Multi-Attach error, the new pod stayed in ContainerCreating and the rollout exceeded its progress deadline.",
        files=files,
        proofs=[
            Proof("kubectl-describe-pod.txt", "Multi-Attach error for volume"),
            Proof("kubectl-describe-deployment.txt", "StrategyType:           RollingUpdate"),
        ],
        decoys=[
            'error="database is locked"',
            "1m14.52s (1m14.52s including waiting)",
            "pod triggered scale-up",
        ],
    )
