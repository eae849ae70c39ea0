# ruff: noqa: E501
# argocd and kubectl output, klog and hand-written log lines are data, kept whole on one line.
"""Kubernetes with Argo CD: at 10:32 AEST a refactor (commit 4be07d1) moved notifications-api's
manifests into a kustomize base/overlay; the base's `resources:` list left out
`service.yaml`. The Application syncs automatically with `prune: true`, so Argo CD deleted the
Service notifications-api. The pods keep running, but ingress-nginx has no Service to send
/notify to (503) and in-cluster callers get `no such host`. Decoys: SES throttling in
notifications-api earlier, an expiring certificate warning in ingress-nginx and another
Application's ComparisonError."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from kube import table
from records import JsonLines, NginxAccess, Record, Zap
from scenes import at, fixed, loud
from traffic import Line, traffic, web_api, worker

AEST = timezone(timedelta(hours=10))
START = datetime(2026, 11, 4, 23, 40, tzinfo=UTC)
NOW = datetime(2026, 11, 5, 1, 25, tzinfo=UTC)
PRUNE = 52.6  # 00:32:36 UTC = 10:32 AEST


class Klog:
    """klog as ingress-nginx's controller writes it: `W1105 00:32:41.123456       7 file.go:123] msg`."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def render(self, record: Record) -> list[str]:
        letter = {"WARN": "W", "ERROR": "E", "FATAL": "F"}.get(record.level, "I")
        stamp = record.time.strftime("%m%d %H:%M:%S.") + f"{record.time.microsecond:06d}"
        source = record.logger or self.rng.choice(
            ["controller.go:190", "store.go:440", "nginx.go:781"]
        )
        return [f"{letter}{stamp}       7 {source}] {record.message}"]


def access(rng: random.Random, status: int, upstream: str) -> str:
    path = rng.choice(["/v1/notify", "/v1/notify", "/v1/preferences", "/v1/templates"])
    method = "POST" if path == "/v1/notify" else "GET"
    seconds = rng.lognormvariate(0, 0.5) * 0.05 if status < 500 else 0.0
    return f'"{method} {path} HTTP/1.1" {status} {rng.randrange(120, 2000)} "-" "order-events/2.4 (+go-http-client)" {rng.randrange(200, 900)} {seconds:.3f} [{upstream}] [] {"10.31." + str(rng.randrange(1, 4)) + "." + str(rng.randrange(2, 250)) + ":8080" if status < 500 else "-"} {rng.randrange(40, 900) if status < 500 else 0} {seconds:.3f} {status if status < 500 else "-"} {rng.getrandbits(128):032x}'


def bundle() -> Bundle:
    rng = random.Random(5675)
    total = (NOW - START).total_seconds() / 60
    nginx = LogFile("logs/ingress-nginx-controller.log", NginxAccess(rng=rng, zone=AEST))
    nginx.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                access(r, r.choices([200, 202, 404], [70, 25, 5])[0], "comms-notifications-api-80"),
                (),
            ),
            START,
            PRUNE,
            1500,
        )
    )
    nginx.add(
        loud(
            rng,
            START,
            PRUNE + 0.1,
            total - PRUNE - 0.2,
            1400,
            lambda r: ("ERROR", access(r, 503, "upstream-default-backend"), ()),
        )
    )
    klog = LogFile("logs/ingress-nginx-controller.klog", Klog(rng))
    klog.add(
        loud(
            rng,
            START,
            0,
            total,
            120,
            fixed(
                "INFO",
                lambda r: (
                    f"Configuration changes detected, backend reload required (ingress count {r.randrange(40, 44)})"
                ),
            ),
        )
    )
    klog.add(
        [
            at(
                START,
                14.0,
                "WARN",
                'SSL certificate for server "status.comms.example.com.au" is about to expire (2026-11-19 04:00:00 +0000 UTC)',
                logger="backend_ssl.go:47",
            ),
            at(
                START,
                PRUNE + 0.05,
                "WARN",
                'Error obtaining Endpoints for Service "comms/notifications-api": no object matching key "comms/notifications-api" in local store',
                logger="controller.go:1214",
            ),
            at(
                START,
                PRUNE + 0.06,
                "WARN",
                'Service "comms/notifications-api" does not exist, using default backend',
                logger="controller.go:1121",
            ),
        ]
    )

    caller = LogFile(
        "logs/order-events.log",
        Zap(("notify/client.go:88", "consumer/loop.go:141", "consumer/commit.go:52"), rng=rng),
    )
    caller.add(
        traffic(
            rng, worker("order-events", ["orders.placed", "orders.shipped"]), START, total, 2600
        )
    )
    caller.add(
        loud(
            rng,
            START,
            PRUNE + 0.2,
            total - PRUNE - 0.5,
            700,
            fixed(
                "ERROR",
                lambda r: (
                    f'send notification for order {r.randrange(10**7)} failed, will retry: Post "http://notifications-api.comms.svc.cluster.local/v1/notify": dial tcp: lookup notifications-api.comms.svc.cluster.local on 172.20.0.10:53: no such host'
                ),
            ),
        )
    )

    api = LogFile("logs/notifications-api.log", JsonLines("notifications-api", rng=rng, zone=AEST))

    def notify(r: random.Random) -> Line:
        return web_api("notifications-api", ["notify", "preferences"])(r)

    api.add(traffic(rng, notify, START, PRUNE, 1900))
    api.add(
        loud(
            rng,
            START,
            PRUNE,
            total - PRUNE,
            60,
            fixed(
                "INFO",
                lambda r: (
                    f"GET /healthz 200 {r.randrange(1, 3)}ms client=10.31.{r.randrange(1, 4)}.1"
                ),
            ),
        )
    )
    api.add(
        loud(
            rng,
            START,
            21,
            3,
            18,
            fixed(
                "WARN",
                lambda r: (
                    f"SES SendEmail throttled (Throttling: Maximum sending rate exceeded), retry {r.randrange(1, 3)} in {r.randrange(100, 800)}ms"
                ),
            ),
        )
    )

    argo = "\n".join(
        [
            "$ argocd app get notifications-api --show-operation",
            "Name:               argocd/notifications-api",
            "Project:            comms",
            "Server:             https://kubernetes.default.svc",
            "Namespace:          comms",
            "URL:                https://argocd.platform.example.com.au/applications/notifications-api",
            "Source:",
            "- Repo:             https://git.example.com.au/comms/deploy.git",
            "  Target:           main",
            "  Path:             notifications-api/overlays/prod",
            "SyncWindow:         Sync Allowed",
            "Sync Policy:        Automated (Prune)",
            "Sync Status:        Synced to main (4be07d1)",
            "Health Status:      Healthy",
            "",
            "Operation:          Sync",
            "Sync Revision:      4be07d1c93f2a85e6d0b7a4c1f29e8d3b56a0c71",
            "Phase:              Succeeded",
            "Start:              2026-11-05 10:32:31 +1000 AEST",
            "Finished:           2026-11-05 10:32:36 +1000 AEST",
            "Duration:           5s",
            "Message:            successfully synced (all tasks run)",
            "",
            *table(
                ("GROUP", "KIND", "NAMESPACE", "NAME", "STATUS", "HEALTH", "HOOK", "MESSAGE"),
                [
                    (
                        "",
                        "ConfigMap",
                        "comms",
                        "notifications-api-env",
                        "Synced",
                        "",
                        "",
                        "configmap/notifications-api-env unchanged",
                    ),
                    (
                        "",
                        "Service",
                        "comms",
                        "notifications-api",
                        "Succeeded",
                        "Pruned",
                        "",
                        "pruned",
                    ),
                    (
                        "apps",
                        "Deployment",
                        "comms",
                        "notifications-api",
                        "Synced",
                        "Healthy",
                        "",
                        "deployment.apps/notifications-api configured",
                    ),
                    (
                        "",
                        "ServiceAccount",
                        "comms",
                        "notifications-api",
                        "Synced",
                        "",
                        "",
                        "serviceaccount/notifications-api unchanged",
                    ),
                    (
                        "networking.k8s.io",
                        "Ingress",
                        "comms",
                        "notifications-api",
                        "Synced",
                        "Healthy",
                        "",
                        "ingress.networking.k8s.io/notifications-api unchanged",
                    ),
                ],
            ),
            "",
            "$ git -C deploy show --stat --format='%h %ad %an %s' --date=iso 4be07d1",
            "4be07d1 2026-11-05 10:29:58 +1000 Priya Raman notifications-api: move to kustomize base/overlays",
            " notifications-api/base/deployment.yaml          | 61 +++++",
            " notifications-api/base/kustomization.yaml       |  7 +",
            " notifications-api/base/service.yaml             | 14 +",
            " notifications-api/overlays/prod/kustomization.yaml | 12 +",
            " notifications-api/{ => base}/ingress.yaml       |  0",
            " notifications-api/deployment.yaml               | 58 -----",
            " notifications-api/service.yaml                  | 14 -",
            "",
            "$ git -C deploy show 4be07d1:notifications-api/base/kustomization.yaml",
            "apiVersion: kustomize.config.k8s.io/v1beta1",
            "kind: Kustomization",
            "resources:",
            "  - serviceaccount.yaml",
            "  - configmap.yaml",
            "  - deployment.yaml",
            "  - ingress.yaml",
            "",
            "$ argocd app list -o wide | grep -E 'NAME|comms'",
            "NAME                        CLUSTER                         NAMESPACE  PROJECT  STATUS     HEALTH    SYNCPOLICY  CONDITIONS         REPO",
            "argocd/notifications-api    https://kubernetes.default.svc  comms      comms    Synced     Healthy   Auto-Prune  <none>             https://git.example.com.au/comms/deploy.git",
            "argocd/status-page          https://kubernetes.default.svc  comms      comms    Unknown    Healthy   Auto        ComparisonError    https://git.example.com.au/comms/deploy.git",
            "",
            "$ kubectl -n comms get deploy,svc,endpoints",
            "NAME                                READY   UP-TO-DATE   AVAILABLE   AGE",
            "deployment.apps/notifications-api   3/3     3            3           211d",
            "deployment.apps/status-page         2/2     2            2           94d",
            "",
            "NAME                  TYPE        CLUSTER-IP      EXTERNAL-IP   PORT(S)   AGE",
            "service/status-page   ClusterIP   172.20.148.61   <none>        80/TCP    94d",
            "",
            "NAME                    ENDPOINTS                        AGE",
            "endpoints/status-page   10.31.2.77:8080,10.31.3.14:8080   94d",
            "",
        ]
    )
    return Bundle(
        question="Since about 10:30 AEST no order emails or SMS go out: the gateway answers 503 on /v1/notify and order-events cannot reach the notifications service, yet the notifications-api pods are healthy. What is the root cause?",
        category="deployment",
        component="notifications-api",
        statement="Commit 4be07d1 moved notifications-api to a kustomize base whose resources list omits service.yaml; Argo CD's automated sync with prune deleted the Service notifications-api at 10:32 AEST, so ingress-nginx falls back to the default backend (503) and callers get no such host although the pods run.",
        files={
            "logs/ingress-nginx-controller.log": nginx.render(),
            "logs/ingress-nginx-controller.klog": klog.render(),
            "logs/order-events.log": caller.render(),
            "logs/notifications-api.log": api.render(),
            "argocd-and-kubectl.txt": argo,
        },
        proofs=[
            Proof("argocd-and-kubectl.txt", "Succeeded   Pruned"),
            Proof(
                "argocd-and-kubectl.txt",
                "show 4be07d1:notifications-api/base/kustomization.yaml",
                "  - ingress.yaml",
            ),
        ],
        decoys=[
            "SES SendEmail throttled",
            "is about to expire (2026-11-19 04:00:00 +0000 UTC)",
            "ComparisonError",
        ],
    )
