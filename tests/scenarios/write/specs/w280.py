# ruff: noqa: E501
# kubelet, logfmt and RabbitMQ lines and pasted kubectl output are data, kept whole on one line.
"""Kubernetes: mailer-worker 5.2.0 (rolled out 18:20 IST) raised its RabbitMQ prefetch to 200
and its own SHUTDOWN_TIMEOUT to 120s to drain them, but the pod template keeps
`terminationGracePeriodSeconds: 30`. Every time a pod stops (Karpenter consolidation, scale-in)
it begins draining and is SIGKILLed after 30 s; its unacked deliveries, many already sent
through the mail provider, are redelivered to the other pods: customers receive the same email
two or three times. Loud: the redelivery warnings and customer complaints. Decoys: Karpenter's
consolidation events (the trigger), an SMTP 421 throttle retried fine, and a RabbitMQ
connection churn note."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events
from records import Logfmt, Record
from scenes import at, loud
from traffic import traffic, worker

IST = ZoneInfo("Asia/Kolkata")
START = datetime(2026, 6, 8, 12, 20, tzinfo=UTC)  # 17:50 IST
NOW = datetime(2026, 6, 8, 16, 40, tzinfo=UTC)  # 22:10 IST
ROLLOUT = 30.0
STOPS = [
    (52.0, "mailer-worker-8b47f6d5c-9fjd2", "ip-10-70-3-41.ap-south-1.compute.internal"),
    (96.0, "mailer-worker-8b47f6d5c-qx9tl", "ip-10-70-1-212.ap-south-1.compute.internal"),
    (171.0, "mailer-worker-8b47f6d5c-w2r8j", "ip-10-70-2-17.ap-south-1.compute.internal"),
    (233.0, "mailer-worker-8b47f6d5c-c6n5v", "ip-10-70-3-41.ap-south-1.compute.internal"),
]
NODES = [
    "ip-10-70-1-212.ap-south-1.compute.internal",
    "ip-10-70-2-17.ap-south-1.compute.internal",
    "ip-10-70-3-41.ap-south-1.compute.internal",
]


@dataclass
class KubeletJournal:
    """journalctl -o short-iso lines of kubelet, each message behind klog's own header."""

    host: str

    def render(self, record: Record) -> list[str]:
        t = record.time
        return [
            f"{t:%Y-%m-%dT%H:%M:%S}+0000 {self.host} kubelet[2941]: I{t:%m%d %H:%M:%S}.{t.microsecond:06d}    2941 {record.message}"
        ]


def bundle() -> Bundle:
    rng = random.Random(28004)
    total = (NOW - START).total_seconds() / 60
    mailer = LogFile("logs/mailer-worker.log", Logfmt("mailer-worker", rng=rng))
    mailer.add(
        traffic(
            rng,
            worker("mailer-worker", ["mail.transactional", "mail.marketing"]),
            START,
            total,
            3400,
        )
    )
    mailer.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"sent template={r.choice(['order-confirmation', 'shipping-update', 'password-reset'])} to=***@{r.choice(['gmail.com', 'yahoo.co.in', 'outlook.com', 'rediffmail.com'])} provider_id={r.getrandbits(64):016x} ms={r.randrange(60, 900)}",
                (),
            ),
            START,
            total,
            2400,
        )
    )
    for minute, pod, _node in STOPS:
        pending = rng.randrange(150, 205)
        mailer.add(
            [
                at(
                    START,
                    minute,
                    "INFO",
                    f"received SIGTERM, cancelling consumer tag=ctag-{pod} and draining {pending} in-flight deliveries (shutdown timeout 120s)",
                ),
                at(
                    START,
                    minute + 0.2,
                    "INFO",
                    f"drain progress pod={pod} acked={rng.randrange(20, 40)} remaining={pending - 40}",
                ),
            ]
        )
        mailer.add(
            loud(
                rng,
                START,
                minute + 0.55,
                1.5,
                pending - 30,
                lambda r: (
                    "WARN",
                    f"delivery redelivered=true template=order-confirmation msg_id=oc-{r.getrandbits(48):012x} (previous consumer gone); sending again",
                    (),
                ),
            )
        )
    mailer.add(
        [
            at(
                START,
                140.2,
                "WARN",
                "smtp relay answered 421 4.7.0 Try again later (rate), retry 1/5 in 2s",
            ),
            at(START, 140.25, "INFO", "smtp retry succeeded after 421 on attempt 2"),
        ]
    )
    mailer.add(
        [
            at(
                START,
                ROLLOUT + 1.0,
                "INFO",
                "mailer-worker 5.2.0 starting prefetch=200 shutdown_timeout=120s concurrency=32",
            )
        ]
    )

    kubelet = LogFile(
        "logs/kubelet-ip-10-70-3-41.log",
        KubeletJournal("ip-10-70-3-41.ap-south-1.compute.internal"),
    )
    kubelet.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                r.choice(
                    [
                        f'kubelet_getters.go:218] "Pod status is inconsistent with cached status for pod, a reconciliation should be triggered" pod="mail/mailer-worker-8b47f6d5c-{r.getrandbits(25):05x}"',
                        f'prober.go:107] "Probe failed" probeType="Readiness" pod="web/storefront-6c9f-{r.getrandbits(25):05x}" podUID="{r.getrandbits(32):08x}" containerName="storefront" probeResult="failure" output="Get \\"http://10.70.3.{r.randrange(2, 250)}:3000/ready\\": context deadline exceeded"',
                        f'kubelet.go:2458] "SyncLoop (PLEG): event for pod" pod="web/storefront-6c9f-{r.getrandbits(25):05x}" event={{"ID":"{r.getrandbits(32):08x}","Type":"ContainerStarted"}}',
                    ]
                ),
                (),
            ),
            START,
            total,
            900,
        )
    )
    for minute, pod, node in STOPS:
        if node != NODES[2]:
            continue
        kubelet.add(
            [
                at(
                    START,
                    minute - 0.01,
                    "INFO",
                    f'kuberuntime_container.go:779] "Killing container with a grace period" pod="mail/{pod}" podUID="{rng.getrandbits(32):08x}" containerName="mailer-worker" containerID="containerd://{rng.getrandbits(64):016x}" gracePeriod=30',
                ),
                at(
                    START,
                    minute + 0.49,
                    "INFO",
                    f'kuberuntime_container.go:808] "Container termination failed with gracePeriod" pod="mail/{pod}" containerName="mailer-worker" gracePeriod=30',
                ),
                at(
                    START,
                    minute + 0.51,
                    "INFO",
                    f'kuberuntime_container.go:833] "Killing container with a grace period override" pod="mail/{pod}" containerName="mailer-worker" gracePeriod=2',
                ),
            ]
        )

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    routine = routine_events(
        rng, ["mailer-worker", "notification-api"], 22, NODES, namespace="mail"
    )
    signal = [
        (
            ago(ROLLOUT - 0.2),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/mailer-worker",
                "Scaled up replica set mailer-worker-8b47f6d5c to 4",
            ),
        )
    ]
    for minute, pod, node in STOPS:
        signal.append(
            (
                ago(minute - 0.01),
                ("Normal", "Killing", f"pod/{pod}", "Stopping container mailer-worker"),
            )
        )
        if minute > ROLLOUT + 1:
            signal.append(
                (
                    ago(minute - 0.3),
                    (
                        "Normal",
                        "DisruptionTerminating",
                        f"node/{node}",
                        "Disrupting Node: Underutilized/Delete",
                    ),
                )
            )
    events = event_listing(routine, signal)
    gets = "\n".join(
        [
            "$ kubectl -n mail get deploy mailer-worker -o yaml | yq '.spec.template.spec'",
            "containers:",
            "  - env:",
            "      - name: AMQP_URL",
            "        valueFrom:",
            "          secretKeyRef:",
            "            key: url",
            "            name: rabbitmq-mailer",
            "      - name: PREFETCH",
            '        value: "200"',
            "      - name: SHUTDOWN_TIMEOUT",
            "        value: 120s",
            "    image: 318804512276.dkr.ecr.ap-south-1.amazonaws.com/mail/mailer-worker:5.2.0",
            "    imagePullPolicy: IfNotPresent",
            "    name: mailer-worker",
            "    resources:",
            "      limits:",
            "        memory: 768Mi",
            "      requests:",
            "        cpu: 300m",
            "        memory: 512Mi",
            "dnsPolicy: ClusterFirst",
            "restartPolicy: Always",
            "schedulerName: default-scheduler",
            "securityContext: {}",
            "serviceAccountName: mailer-worker",
            "terminationGracePeriodSeconds: 30",
            "",
            "$ kubectl -n mail rollout history deploy/mailer-worker | tail -3",
            "REVISION  CHANGE-CAUSE",
            "18        mailer-worker 5.1.4",
            "19        mailer-worker 5.2.0 (prefetch 20->200, graceful drain with SHUTDOWN_TIMEOUT)",
            "",
        ]
    )
    support = "\n".join(
        [
            "Support escalations, 8 June (times IST)",
            "19:12  CS-44107  customer got order confirmation #A-771203 three times",
            "20:31  CS-44152  two identical shipping-update emails, 1 minute apart",
            "21:04  CS-44170  password reset mail arrived twice; customer suspects phishing",
            "21:55  CS-44196  'your order is confirmed' x2 (#A-772940)",
            "",
        ]
    )
    return Bundle(
        question="Since this evening (IST) customers report receiving the same order-confirmation and shipping emails two or three times. What is the root cause?",
        category="configuration",
        component="mailer-worker",
        statement="mailer-worker 5.2.0 prefetches 200 messages and drains for up to 120 s on SIGTERM, but its pod template keeps terminationGracePeriodSeconds: 30; each stopped pod is killed mid-drain, and its unacked, partly already-sent deliveries are redelivered to the other pods, so emails go out twice or three times.",
        files={
            "kubectl-get.txt": gets,
            "support-escalations.txt": support,
            "kubectl-get-events.txt": events,
            "logs/mailer-worker.log": mailer.render(),
            "logs/kubelet-ip-10-70-3-41.log": kubelet.render(),
        },
        proofs=[
            Proof("kubectl-get.txt", "terminationGracePeriodSeconds: 30"),
            Proof(
                "logs/kubelet-ip-10-70-3-41.log",
                f'"Container termination failed with gracePeriod" pod="mail/{STOPS[0][1]}"',
            ),
            Proof(
                "logs/mailer-worker.log",
                "mailer-worker 5.2.0 starting prefetch=200 shutdown_timeout=120s",
            ),
        ],
        decoys=[
            "Disrupting Node: Underutilized/Delete",
            "smtp relay answered 421 4.7.0",
            'probeType="Readiness" pod="web/storefront',
        ],
    )
