# ruff: noqa: E501
# kubectl output and JSON log lines are data, kept whole on one line.
"""Kubernetes: at 10:15 NZDT a secrets-migration change rewrote the ExternalSecret
`notify-dispatch-env` to `dataFrom: extract` from the vault path, whose keys are kebab-case
(`sendgrid-api-key`). The Secret's old key SENDGRID_API_KEY disappeared. Running pods kept their
environment; the pods recreated by the 11:02 NZDT node drain get `sendgrid-api-key` instead,
notify-dispatch reads SENDGRID_API_KEY as empty and every email send gets 401 from SendGrid.
Decoys: the node drain (the trigger), a Twilio 429 retry for SMS, and a slow MongoDB query."""

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events
from records import JsonLines, Record
from scenes import at, fixed, loud
from traffic import traffic, worker

AUCKLAND = ZoneInfo("Pacific/Auckland")
START = datetime(2026, 2, 23, 20, 40, tzinfo=UTC)  # 09:40 NZDT on the 24th
NOW = datetime(2026, 2, 23, 23, 10, tzinfo=UTC)
SYNC = 35.0  # 21:15 UTC, 10:15 NZDT
DRAIN = 82.0  # 22:02 UTC, 11:02 NZDT
NODES = [
    "aks-general-27719483-vmss00000c",
    "aks-general-27719483-vmss00000d",
    "aks-general-27719483-vmss00000f",
]


def bundle() -> Bundle:
    rng = random.Random(6127)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    log = LogFile(
        "logs/notify-dispatch.log",
        JsonLines("notify-dispatch", keys=("time", "level", "msg"), rng=rng, zone=AUCKLAND),
    )
    log.add(
        traffic(
            rng,
            worker("notify-dispatch", ["notifications.email", "notifications.sms"]),
            START,
            total,
            4300,
        )
    )
    log.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f"email sent template={r.choice(['order-confirmation', 'password-reset', 'delivery-update'])} to=***@{r.choice(['gmail.com', 'xtra.co.nz', 'outlook.com'])} provider=sendgrid status=202 in {r.randrange(80, 400)}ms"
                ),
            ),
            START,
            DRAIN,
            700,
        )
    )
    log.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f"email sent template={r.choice(['order-confirmation', 'password-reset', 'delivery-update'])} to=***@{r.choice(['gmail.com', 'xtra.co.nz'])} provider=sendgrid status=202 in {r.randrange(80, 400)}ms"
                ),
            ),
            START + timedelta(minutes=DRAIN),
            2.0,
            12,
        )
    )
    boot = START + timedelta(minutes=DRAIN + 0.6)
    log.add(
        [
            at(
                START,
                21.3,
                "WARN",
                "twilio send sms to=+6421***: 429 Too Many Requests, retry after 2s (attempt 1/3) -> 201",
            ),
            at(
                START,
                58.9,
                "WARN",
                "mongo slow query 1210ms on notifications.find({status:'pending'}) planSummary: COLLSCAN",
            ),
            Record(boot, "INFO", "notify-dispatch 4.6.2 starting (node v20.11.1, pid 1)"),
            Record(
                boot + timedelta(milliseconds=35),
                "INFO",
                "config loaded: MONGO_URL=mongodb://notify-mongo-0.notify-mongo:27017/notify SMS_PROVIDER=twilio EMAIL_PROVIDER=sendgrid SENDGRID_FROM_ADDRESS=<unset> SENDGRID_API_KEY=<unset>",
            ),
            Record(
                boot + timedelta(milliseconds=42),
                "WARN",
                "config: SENDGRID_API_KEY is empty, email client created without credentials",
            ),
        ]
    )
    log.add(
        loud(
            rng,
            START,
            DRAIN + 1.2,
            total - DRAIN - 2,
            520,
            fixed(
                "ERROR",
                lambda r: (
                    f'email send failed template={r.choice(["order-confirmation", "password-reset", "delivery-update"])} provider=sendgrid status=401 body={{"errors":[{{"message":"The provided authorization grant is invalid, expired, or revoked","field":null,"help":null}}]}} job={r.getrandbits(40):010x}'
                ),
            ),
        )
    )
    log.add(
        loud(
            rng,
            START,
            DRAIN + 1.2,
            total - DRAIN - 2,
            210,
            fixed(
                "WARN",
                lambda r: (
                    f"job {r.getrandbits(40):010x} moved to notifications.email.retry (attempt {r.randrange(2, 6)}/5)"
                ),
            ),
        )
    )

    es = "\n".join(
        [
            "$ kubectl -n notify get externalsecret notify-dispatch-env -o yaml",
            "apiVersion: external-secrets.io/v1beta1",
            "kind: ExternalSecret",
            "metadata:",
            "  annotations:",
            "    argocd.argoproj.io/tracking-id: notify:external-secrets.io/ExternalSecret:notify/notify-dispatch-env",
            '  creationTimestamp: "2025-06-30T02:11:48Z"',
            "  generation: 2",
            "  name: notify-dispatch-env",
            "  namespace: notify",
            "spec:",
            "  dataFrom:",
            "  - extract:",
            "      conversionStrategy: Default",
            "      decodingStrategy: None",
            "      key: kv/notify/dispatch/email",
            "  refreshInterval: 1h",
            "  secretStoreRef:",
            "    kind: ClusterSecretStore",
            "    name: vault-platform",
            "  target:",
            "    creationPolicy: Owner",
            "    deletionPolicy: Retain",
            "    name: notify-dispatch-env",
            "status:",
            "  binding:",
            "    name: notify-dispatch-env",
            "  conditions:",
            '  - lastTransitionTime: "2026-02-23T21:15:06Z"',
            "    message: Secret was synced",
            "    reason: SecretSynced",
            '    status: "True"',
            "    type: Ready",
            '  refreshTime: "2026-02-23T22:15:06Z"',
            "  syncedResourceVersion: 2-7c1f9a3e0b84d6527e19c3a8f0d4b261",
            "",
            "$ kubectl -n notify get secret notify-dispatch-env -o json | jq '.data | keys'",
            "[",
            '  "sendgrid-api-key",',
            '  "sendgrid-from-address"',
            "]",
            "",
            "$ git -C platform-secrets log -1 --format='%h %ad %s' --date=iso -- apps/notify/externalsecret.yaml",
            "a91c3e7 2026-02-24 10:14:37 +1300 secrets: move notify email creds to vault kv v2 (extract whole path)",
            "$ git -C platform-secrets show a91c3e7 -- apps/notify/externalsecret.yaml | grep '^[-+] '",
            "-  data:",
            "-  - secretKey: SENDGRID_API_KEY",
            "-    remoteRef:",
            "-      key: kv/notify/dispatch/email",
            "-      property: sendgrid-api-key",
            "-  - secretKey: SENDGRID_FROM_ADDRESS",
            "-    remoteRef:",
            "-      key: kv/notify/dispatch/email",
            "-      property: sendgrid-from-address",
            "+  dataFrom:",
            "+  - extract:",
            "+      key: kv/notify/dispatch/email",
            "",
        ]
    )

    pods = "\n".join(
        [
            "$ kubectl -n notify get pods -l app=notify-dispatch -o wide",
            "NAME                               READY   STATUS    RESTARTS   AGE   IP             NODE                             NOMINATED NODE   READINESS GATES",
            f"notify-dispatch-84c7d9b6f5-6tq2w   1/1     Running   0          67m   10.224.3.118   {NODES[1]}   <none>           <none>",
            f"notify-dispatch-84c7d9b6f5-zr8kd   1/1     Running   0          67m   10.224.5.41    {NODES[2]}   <none>           <none>",
            "",
            "$ kubectl -n notify get deploy notify-dispatch -o jsonpath='{.spec.template.spec.containers[0].envFrom}'",
            '[{"secretRef":{"name":"notify-dispatch-env"}},{"configMapRef":{"name":"notify-dispatch-config"}}]',
            "",
            "$ kubectl -n notify exec notify-dispatch-84c7d9b6f5-6tq2w -- printenv | grep -i sendgrid",
            "sendgrid-api-key=SG.Zk3****************************************",
            "sendgrid-from-address=orders@kiwiparcel.example.nz",
            "",
        ]
    )

    routine = routine_events(
        rng, ["notify-dispatch", "notify-api", "template-render"], 22, NODES, namespace="notify"
    )
    signal = [
        (ago(SYNC), ("Normal", "Updated", "externalsecret/notify-dispatch-env", "Updated Secret")),
        (
            ago(DRAIN - 0.5),
            (
                "Normal",
                "NodeNotSchedulable",
                "node/aks-general-27719483-vmss000009",
                "Node aks-general-27719483-vmss000009 status is now: NodeNotSchedulable",
            ),
        ),
        (
            ago(DRAIN),
            (
                "Normal",
                "Killing",
                "pod/notify-dispatch-5b9f7d6c48-kq4mn",
                "Stopping container notify-dispatch",
            ),
        ),
        (
            ago(DRAIN + 0.1),
            (
                "Normal",
                "Killing",
                "pod/notify-dispatch-5b9f7d6c48-w7fzs",
                "Stopping container notify-dispatch",
            ),
        ),
        (
            ago(DRAIN + 0.2),
            (
                "Normal",
                "Scheduled",
                "pod/notify-dispatch-84c7d9b6f5-6tq2w",
                f"Successfully assigned notify/notify-dispatch-84c7d9b6f5-6tq2w to {NODES[1]}",
            ),
        ),
        (
            ago(DRAIN + 0.3),
            (
                "Normal",
                "Scheduled",
                "pod/notify-dispatch-84c7d9b6f5-zr8kd",
                f"Successfully assigned notify/notify-dispatch-84c7d9b6f5-zr8kd to {NODES[2]}",
            ),
        ),
    ]
    events = "$ kubectl -n notify get events --sort-by=.lastTimestamp\n" + event_listing(
        routine, signal
    )

    return Bundle(
        question="Customers stopped receiving order and password-reset emails shortly after 11:00 NZDT; SendGrid answers 401 for every send, but nobody rotated the SendGrid key. What happened?",
        category="configuration",
        component="notify-dispatch",
        statement="The ExternalSecret notify-dispatch-env was rewritten at 10:15 NZDT to extract the whole vault path, so the Secret now holds kebab-case keys (sendgrid-api-key) instead of SENDGRID_API_KEY; the notify-dispatch replicas recreated at 11:02 start with SENDGRID_API_KEY unset and SendGrid rejects their unauthenticated sends with 401.",
        files={
            "logs/notify-dispatch.log": log.render(),
            "kubectl-notify-es.txt": es,
            "kubectl-notify-dispatch-pods.txt": pods,
            "kubectl-get-events.txt": events,
        },
        proofs=[
            Proof("kubectl-notify-es.txt", '  "sendgrid-api-key",'),
            Proof("kubectl-notify-es.txt", "-  - secretKey: SENDGRID_API_KEY"),
            Proof("logs/notify-dispatch.log", "SENDGRID_API_KEY is empty"),
        ],
        decoys=[
            "429 Too Many Requests, retry after 2s",
            "status is now: NodeNotSchedulable",
            "mongo slow query 1210ms",
        ],
    )
