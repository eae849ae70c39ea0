# ruff: noqa: E501
# kubectl rows, YAML and hand-written log lines are data, kept whole on one line.
"""Kubernetes, secret key renamed: at 13:58 UTC the platform team's ExternalSecret refactor
(template v2) rewrote notifications/notify-gateway-secrets with kebab-case keys
(`sendgrid-api-key` instead of `SENDGRID_API_KEY`). Running notify-gateway pods keep their old
environment; as cluster-autoscaler consolidates nodes from 14:31 each replacement pod fails with
CreateContainerConfigError `couldn't find key SENDGRID_API_KEY in Secret`, and by 14:52 no pod
is ready. account-service then logs loud 503s sending password-reset and sign-up mail. Decoys:
the autoscaler's scale-down (the trigger), another ExternalSecret's sync error, an
account-service liveness failure before, and account-service's own 503s."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events, table
from records import JsonLines, SpringBoot
from scenes import at, loud
from traffic import traffic, web_api

START = datetime(2026, 7, 22, 13, 20, tzinfo=UTC)
NOW = datetime(2026, 7, 22, 15, 25, tzinfo=UTC)
SYNC = 38.0  # 13:58
KILLS = [71.0, 79.5, 86.0, 92.0]  # 14:31 .. 14:52
NODES = [
    "gke-core-prod-pool-b-3f1a9c2e-7kqp",
    "gke-core-prod-pool-b-3f1a9c2e-w2xd",
    "gke-core-prod-pool-b-8d04e7b1-h5nz",
    "gke-core-prod-pool-b-8d04e7b1-r9tc",
]
OLD = [
    "notify-gateway-5d7f9c8b64-2mqzl",
    "notify-gateway-5d7f9c8b64-8vj4t",
    "notify-gateway-5d7f9c8b64-kd7rw",
    "notify-gateway-5d7f9c8b64-x3np6",
]
NEW = [
    "notify-gateway-5d7f9c8b64-4hbqs",
    "notify-gateway-5d7f9c8b64-9zwfe",
    "notify-gateway-5d7f9c8b64-cq2lm",
    "notify-gateway-5d7f9c8b64-t6ykd",
]
KEYERR = "Error: couldn't find key SENDGRID_API_KEY in Secret notifications/notify-gateway-secrets"


def bundle() -> Bundle:
    rng = random.Random(55809)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    acct = LogFile(
        "logs/account-service.log",
        SpringBoot(
            (
                "c.h.account.web.AccountController",
                "c.h.account.mail.NotifyClient",
                "o.s.web.servlet.DispatcherServlet",
            ),
            pid=1,
            rng=rng,
        ),
    )
    acct.add(
        traffic(
            rng,
            web_api("account-service", ["accounts", "sessions", "password-resets"]),
            START,
            total,
            4600,
        )
    )
    acct.add(
        [
            at(
                START,
                24.3,
                "WARN",
                "Liveness probe handler /actuator/health/liveness took 2810 ms (GC pause G1 Evacuation Pause 2.61s)",
                logger="c.h.account.health.ProbeTimer",
            )
        ]
    )
    acct.add(
        loud(
            rng,
            START,
            KILLS[1] + 0.5,
            KILLS[3] - KILLS[1],
            40,
            lambda r: (
                "WARN",
                f"notify-gateway call slow ({r.randrange(1800, 4900)} ms), remaining endpoints {r.choice([1, 2])}",
                (),
            ),
        )
    )
    acct.add(
        loud(
            rng,
            START,
            KILLS[3] + 0.2,
            total - KILLS[3] - 0.3,
            560,
            lambda r: (
                "ERROR",
                f'Failed to send {r.choice(["password-reset", "signup-verify", "email-change"])} mail for account {r.randrange(10**8)}: 503 Service Unavailable: "no healthy upstream" from http://notify-gateway.notifications.svc.cluster.local/v1/messages',
                (),
            ),
        )
    )
    eso = LogFile(
        "logs/eso-controller.log",
        JsonLines("external-secrets", keys=("ts", "level", "msg"), rng=rng),
    )
    eso.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"reconciled secret (ExternalSecret={r.choice(['payments/stripe-keys', 'notifications/sms-provider-creds', 'accounts/jwt-signing'])}, store=gcp-secret-manager)",
                (),
            ),
            START,
            total,
            700,
        )
    )
    eso.add(
        [
            at(
                START,
                SYNC,
                "INFO",
                "reconciled secret (ExternalSecret=notifications/notify-gateway-secrets, store=gcp-secret-manager, template=engineVersion:v2 keys=[sendgrid-api-key,smtp-relay-password,webhook-hmac])",
            ),
            at(
                START,
                57.2,
                "ERROR",
                "could not get secret data from provider (ExternalSecret=notifications/sms-provider-creds): rpc error: code = DeadlineExceeded desc = context deadline exceeded",
            ),
            at(
                START,
                57.9,
                "INFO",
                "reconciled secret (ExternalSecret=notifications/sms-provider-creds, store=gcp-secret-manager, retry=1)",
            ),
        ]
    )
    routine = routine_events(
        rng,
        ["account-service", "notify-worker", "profile-api"],
        22,
        NODES,
        namespace="notifications",
    )
    signal = []
    for kill, old, new in zip(KILLS, OLD, NEW, strict=True):
        node = rng.choice(NODES)
        signal += [
            (
                ago(kill - 0.3),
                (
                    "Normal",
                    "ScaleDown",
                    f"pod/{old}",
                    f"deleting pod for node scale down (node gke-core-prod-pool-a-{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x})",
                ),
            ),
            (ago(kill), ("Normal", "Killing", f"pod/{old}", "Stopping container notify-gateway")),
            (
                ago(kill - 0.05),
                (
                    "Normal",
                    "SuccessfulCreate",
                    "replicaset/notify-gateway-5d7f9c8b64",
                    f"Created pod: {new}",
                ),
            ),
            (
                ago(kill - 0.1),
                (
                    "Normal",
                    "Scheduled",
                    f"pod/{new}",
                    f"Successfully assigned notifications/{new} to {node}",
                ),
            ),
        ]
    signal += [
        (ago(total - 1.5), ("Warning", "Failed", f"pod/{NEW[0]}", KEYERR)),
        (
            ago(total - 0.5),
            (
                "Normal",
                "Pulled",
                f"pod/{NEW[2]}",
                'Container image "europe-docker.pkg.dev/hollis-core/apps/notify-gateway:3.8.1" already present on machine',
            ),
        ),
        (
            ago(KILLS[0] - 4),
            (
                "Normal",
                "ScaleDownEmpty",
                "configmap/cluster-autoscaler-status",
                "Scale-down: removing empty node gke-core-prod-pool-a-41c7e9d2-5mvb",
            ),
        ),
    ]
    events = event_listing(routine, signal)
    pod = Pod(
        name=NEW[0],
        namespace="notifications",
        node=NODES[1],
        app="notify-gateway",
        status="Pending",
        ip="10.64.7.31",
        start_time="Wed, 22 Jul 2026 14:31:04 +0000",
        containers=[
            Container(
                "notify-gateway",
                "europe-docker.pkg.dev/hollis-core/apps/notify-gateway:3.8.1",
                state=["Waiting", "  Reason:       CreateContainerConfigError"],
                ready=False,
                limits={"memory": "256Mi"},
                requests={"cpu": "100m", "memory": "128Mi"},
                environment=[
                    "SENDGRID_API_KEY:     <set to the key 'SENDGRID_API_KEY' in secret 'notify-gateway-secrets'>     Optional: false",
                    "SMTP_RELAY_PASSWORD:  <set to the key 'SMTP_RELAY_PASSWORD' in secret 'notify-gateway-secrets'>  Optional: false",
                    "LISTEN_ADDR:          :8080",
                ],
            )
        ],
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
                "54m",
                "default-scheduler",
                f"Successfully assigned notifications/{NEW[0]} to {NODES[1]}",
            ),
            (
                "Normal",
                "Pulled",
                "52m (x12 over 54m)",
                "kubelet",
                'Container image "europe-docker.pkg.dev/hollis-core/apps/notify-gateway:3.8.1" already present on machine',
            ),
            ("Warning", "Failed", "52m (x12 over 54m)", "kubelet", KEYERR),
        ],
    )
    pods = table(
        ("NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE"),
        [
            (
                p,
                "0/1",
                "CreateContainerConfigError",
                "0",
                f"{int(total - k)}m",
                f"10.64.{rng.randrange(2, 12)}.{rng.randrange(2, 250)}",
                rng.choice(NODES),
            )
            for p, k in zip(NEW, KILLS, strict=True)
        ],
    )
    pasted = "\n".join(
        [
            "$ kubectl -n notifications get pods -l app=notify-gateway -o wide",
            *pods,
            "",
            "$ kubectl -n notifications get secret notify-gateway-secrets -o go-template='{{range $k, $v := .data}}{{$k}}{{\"\\n\"}}{{end}}'",
            "sendgrid-api-key",
            "smtp-relay-password",
            "webhook-hmac",
            "",
            "$ kubectl -n notifications get deploy notify-gateway",
            "NAME             READY   UP-TO-DATE   AVAILABLE   AGE",
            "notify-gateway   0/4     4            0           411d",
            "",
        ]
    )
    return Bundle(
        question="Password-reset and sign-up emails stopped going out; account-service has been getting 503s from notify-gateway since about 14:52 UTC. What is the root cause?",
        category="configuration",
        component="notify-gateway",
        statement="At 13:58 UTC the ExternalSecret rewrote notify-gateway-secrets with renamed keys (sendgrid-api-key instead of SENDGRID_API_KEY); every notify-gateway pod recreated during the 14:31-14:52 node consolidation fails with CreateContainerConfigError because the key its env refers to is missing, leaving no ready pod and account-service with 503s.",
        files={
            "kubectl-describe-pod-notify-gateway.txt": describe_pod(pod, rng),
            "kubectl-get-events.txt": events,
            "kubectl-get.txt": pasted,
            "logs/account-service.log": acct.render(),
            "logs/eso-controller.log": eso.render(),
        },
        proofs=[
            Proof("kubectl-describe-pod-notify-gateway.txt", "couldn't find key SENDGRID_API_KEY"),
            Proof(
                "logs/eso-controller.log",
                "keys=[sendgrid-api-key,smtp-relay-password,webhook-hmac]",
            ),
            Proof("kubectl-get.txt", "sendgrid-api-key"),
        ],
        decoys=[
            "deleting pod for node scale down",
            "ExternalSecret=notifications/sms-provider-creds): rpc error",
            "Liveness probe handler /actuator/health/liveness took 2810 ms",
            "no healthy upstream",
        ],
    )
