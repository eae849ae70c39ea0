# ruff: noqa: E501
# kubectl output and hand-written log lines are data, kept whole on one line.
"""Kubernetes: the 07:12 UTC release of notifier (chart 5.2.0) renamed the key of its ConfigMap
`notifier-config` from `notifier.yaml` to `config.yaml`, but the Deployment's configMap volume
still projects `items: - key: notifier.yaml`. Every new pod sits in ContainerCreating with
`MountVolume.SetUp failed ... configmap references non-existent config key: notifier.yaml`;
the rollout stops at ProgressDeadlineExceeded with the old ReplicaSet scaled down to 3 of 4
pods, and the HPA's scale-out pods come from the new template and never start either. At the
morning peak the three old pods cannot keep up and password-reset mails queue for 20+
minutes. Decoys: the mail provider's occasional 421 deferrals, a readiness probe failure on
another app, and the HPA's `FailedGetResourceMetric` for the new pods."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events, table
from records import PythonLogging
from scenes import loud
from traffic import Line, traffic

START = datetime(2026, 4, 21, 6, 50, tzinfo=UTC)
NOW = datetime(2026, 4, 21, 8, 31, tzinfo=UTC)
RELEASE = 22.0  # 07:12
NS = "messaging"
NODES = [
    "gke-prod-eu-pool-b-5c2e91f0-7kq2",
    "gke-prod-eu-pool-b-5c2e91f0-hm4x",
    "gke-prod-eu-pool-b-5c2e91f0-r9tz",
]
OLD_RS = "notifier-6b8f4d7c95"
NEW_RS = "notifier-74cd9b6f58"
NEW_PODS = [
    "notifier-74cd9b6f58-2jvqd",
    "notifier-74cd9b6f58-kx8wn",
    "notifier-74cd9b6f58-t5lzr",
    "notifier-74cd9b6f58-q7mhc",
]
OLD_PODS = ["notifier-6b8f4d7c95-8wz4p", "notifier-6b8f4d7c95-fn2kd", "notifier-6b8f4d7c95-lrx6c"]
MOUNT = 'MountVolume.SetUp failed for volume "config" : configmap references non-existent config key: notifier.yaml'


def notifier_line(rng: random.Random) -> Line:
    roll = rng.random()
    kind = rng.choice(
        ["password_reset", "order_shipped", "order_confirmed", "login_alert", "newsletter_optin"]
    )
    if roll < 0.55:
        return (
            "INFO",
            f"delivered message id={rng.getrandbits(48):012x} template={kind} channel=email provider=postmark latency_ms={rng.randrange(90, 900)}",
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            f"consumed batch from queue notifications.outbound size={rng.randrange(1, 25)} prefetch=25",
            (),
        )
    if roll < 0.95:
        return (
            "INFO",
            f"rendered template {kind} locale={rng.choice(['en', 'de', 'fr', 'nl'])} in {rng.randrange(2, 40)}ms",
            (),
        )
    return "DEBUG", f"heartbeat to rabbitmq-0.rabbitmq.{NS}.svc ok", ()


def backlog(rng: random.Random) -> Line:
    return (
        "WARN",
        f"queue notifications.outbound backlog={rng.randrange(4000, 19000)} oldest_message_age={rng.randrange(600, 1500)}s consumers=3",
        (),
    )


def describe(rng: random.Random, name: str, minute: float) -> str:
    started = (START + timedelta(minutes=minute)).strftime("%a, %d %b %Y %H:%M:%S +0000")
    pod = Pod(
        name=name,
        namespace=NS,
        node=NODES[0],
        app="notifier",
        status="Pending",
        ip=f"10.52.{rng.randrange(1, 3)}.{rng.randrange(2, 250)}",
        start_time=started,
        conditions={
            "Initialized": "True",
            "Ready": "False",
            "ContainersReady": "False",
            "PodScheduled": "True",
        },
        containers=[
            Container(
                name="notifier",
                image="europe-docker.pkg.dev/acme-prod/apps/notifier:5.2.0",
                state=["Waiting", "  Reason:       ContainerCreating"],
                ready=False,
                limits={"memory": "512Mi"},
                requests={"cpu": "250m", "memory": "384Mi"},
                environment=[
                    "NOTIFIER_CONFIG:  /etc/notifier/notifier.yaml",
                    "RABBITMQ_URL:     <set to the key 'url' in secret 'notifier-amqp'>  Optional: false",
                ],
            )
        ],
        volumes=[
            "  config:",
            "    Type:      ConfigMap (a volume populated by a ConfigMap)",
            "    Name:      notifier-config",
            "    Optional:  false",
        ],
        events=[
            (
                "Normal",
                "Scheduled",
                "68m",
                "default-scheduler",
                f"Successfully assigned {NS}/{name} to {NODES[0]}",
            ),
            ("Warning", "FailedMount", "61s (x37 over 68m)", "kubelet", MOUNT),
        ],
    )
    text = describe_pod(pod, rng)
    lines = [
        line
        for line in text.splitlines()
        if not line.startswith(("    Container ID:", "    Image ID:"))
    ]
    lines = [line for line in lines if not line.startswith("  IP:  ")]
    lines = [
        "IP:" if line.startswith("IP: ") else "IPs:              <none>" if line == "IPs:" else line
        for line in lines
    ]
    lines = [
        line.replace(
            "      /var/run/secrets", "      /etc/notifier from config (ro)\n      /var/run/secrets"
        )
        for line in lines
    ]
    return "\n".join(lines) + "\n"


def bundle() -> Bundle:
    rng = random.Random(52519)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    logs = LogFile(
        f"logs/{OLD_PODS[0]}.log",
        PythonLogging(("notifier.worker", "notifier.delivery", "notifier.queue"), rng=rng),
    )
    logs.add(traffic(rng, notifier_line, START, total, 3600))
    logs.add(
        loud(
            rng,
            START,
            0,
            total,
            12,
            lambda r: (
                "WARN",
                f"provider postmark deferred message id={r.getrandbits(48):012x}: 421 4.7.0 Try again later, retry in {r.choice([30, 60])}s",
                (),
            ),
        )
    )
    logs.add(loud(rng, START, 68.0, total - 68.5, 70, backlog))
    rows = [
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
    ]
    for index, name in enumerate(OLD_PODS):
        rows.append(
            (
                name,
                "1/1",
                "Running",
                "0",
                "2d3h",
                f"10.52.{index}.{41 + index * 17}",
                NODES[index],
                "<none>",
                "<none>",
            )
        )
    for index, name in enumerate(NEW_PODS):
        rows.append(
            (
                name,
                "0/1",
                "ContainerCreating",
                "0",
                "79m" if index < 2 else "68m",
                "<none>",
                NODES[(index + 1) % 3],
                "<none>",
                "<none>",
            )
        )
    get_pods = (
        "$ kubectl -n messaging get pods -l app=notifier -o wide\n"
        + "\n".join(table(rows[0], rows[1:]))
        + "\n"
    )
    rollout = "\n".join(
        [
            "$ kubectl -n messaging rollout status deploy/notifier --timeout=10s",
            'error: deployment "notifier" exceeded its progress deadline',
            "",
            "$ kubectl -n messaging get deploy,rs,hpa -l app=notifier",
            *table(
                ("NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"),
                [("deployment.apps/notifier", "3/6", "4", "3", "211d")],
            ),
            "",
            *table(
                ("NAME", "DESIRED", "CURRENT", "READY", "AGE"),
                [
                    (f"replicaset.apps/{NEW_RS}", "4", "4", "0", "79m"),
                    (f"replicaset.apps/{OLD_RS}", "3", "3", "3", "9d"),
                ],
            ),
            "",
            *table(
                ("NAME", "REFERENCE", "TARGETS", "MINPODS", "MAXPODS", "REPLICAS", "AGE"),
                [
                    (
                        "horizontalpodautoscaler.autoscaling/notifier",
                        "Deployment/notifier",
                        "cpu: 94%/70%",
                        "4",
                        "12",
                        "6",
                        "211d",
                    )
                ],
            ),
            "",
            "$ kubectl -n messaging get deploy notifier -o jsonpath='{.spec.template.spec.volumes}'",
            '[{"configMap":{"defaultMode":420,"items":[{"key":"notifier.yaml","path":"notifier.yaml"}],"name":"notifier-config"},"name":"config"}]',
            "",
            "$ kubectl -n messaging get configmap notifier-config -o yaml",
            "apiVersion: v1",
            "data:",
            "  config.yaml: |",
            "    queue:",
            "      url_env: RABBITMQ_URL",
            "      name: notifications.outbound",
            "      prefetch: 25",
            "    providers:",
            "      email: postmark",
            "      sms: messagebird",
            "    templates_dir: /app/templates",
            "kind: ConfigMap",
            "metadata:",
            "  annotations:",
            "    meta.helm.sh/release-name: notifier",
            "    meta.helm.sh/release-namespace: messaging",
            '  creationTimestamp: "2025-09-22T08:14:51Z"',
            "  labels:",
            "    app: notifier",
            "    app.kubernetes.io/managed-by: Helm",
            "    helm.sh/chart: notifier-5.2.0",
            "  name: notifier-config",
            "  namespace: messaging",
            '  resourceVersion: "418832907"',
            "  uid: 5e0d7b3c-91f2-4a6e-b8d4-2c7f0a9e6b13",
            "",
        ]
    )
    routine = routine_events(
        rng,
        ["checkout-api", "email-templates", "webhook-relay", "sms-gateway"],
        26,
        NODES,
        namespace=NS,
    )
    signal = [
        (
            ago(RELEASE - 0.1),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/notifier",
                f"Scaled up replica set {NEW_RS} to 1",
            ),
        ),
        (
            ago(RELEASE),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/notifier",
                f"Scaled down replica set {OLD_RS} to 3 from 4",
            ),
        ),
        (
            ago(RELEASE + 0.05),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/notifier",
                f"Scaled up replica set {NEW_RS} to 2 from 1",
            ),
        ),
        (
            ago(RELEASE + 10.2),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/notifier",
                f"Scaled up replica set {NEW_RS} to 4 from 2",
            ),
        ),
        (
            ago(RELEASE + 10.1),
            (
                "Normal",
                "SuccessfulRescale",
                "horizontalpodautoscaler/notifier",
                "New size: 6; reason: cpu resource utilization (percentage of request) above target",
            ),
        ),
        (
            ago(RELEASE + 10.4),
            (
                "Warning",
                "FailedGetResourceMetric",
                "horizontalpodautoscaler/notifier",
                "failed to get cpu utilization: did not receive metrics for targeted pods (pods might be unready)",
            ),
        ),
        (
            ago(RELEASE + 10.0),
            (
                "Warning",
                "ProgressDeadlineExceeded",
                "deployment/notifier",
                f'ReplicaSet "{NEW_RS}" has timed out progressing.',
            ),
        ),
        (
            ago(55),
            (
                "Warning",
                "Unhealthy",
                "pod/webhook-relay-5d9c7b8f6-h2k7x",
                'Readiness probe failed: Get "http://10.52.2.118:8081/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
            ),
        ),
    ]
    signal += [
        (ago(total - 0.3 - 0.7 * k), ("Warning", "FailedMount", f"pod/{NEW_PODS[k]}", MOUNT))
        for k in range(4)
    ]
    events = "$ kubectl -n messaging get events --sort-by=.lastTimestamp\n" + event_listing(
        routine, signal
    )
    return Bundle(
        question="Password-reset and order e-mails are arriving 20 minutes or more late since the morning peak started. Nothing is down. What is the root cause?",
        category="configuration",
        component="notifier",
        statement="The 07:12 UTC notifier release renamed the ConfigMap notifier-config's key to `config.yaml` while the Deployment's configMap volume still projects the key `notifier.yaml`; every new pod stays in ContainerCreating on `configmap references non-existent config key: notifier.yaml`, the rollout and the HPA's scale-out never add capacity, and three old pods fall behind the mail queue.",
        files={
            "kubectl-get-pods.txt": get_pods,
            "kubectl-get-events.txt": events,
            f"kubectl-describe-pod-{NEW_PODS[2]}.txt": f"$ kubectl -n messaging describe pod {NEW_PODS[2]}\n"
            + describe(rng, NEW_PODS[2], RELEASE + 10.2),
            "kubectl-rollout.txt": rollout,
            logs.name: logs.render(),
        },
        proofs=[
            Proof(
                f"kubectl-describe-pod-{NEW_PODS[2]}.txt",
                "configmap references non-existent config key: notifier.yaml",
            ),
            Proof("kubectl-rollout.txt", '"items":[{"key":"notifier.yaml"'),
            Proof("kubectl-rollout.txt", "  config.yaml: |"),
        ],
        decoys=[
            "421 4.7.0 Try again later",
            'Readiness probe failed: Get "http://10.52.2.118:8081/healthz"',
            "FailedGetResourceMetric",
        ],
    )
