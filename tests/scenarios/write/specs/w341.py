# ruff: noqa: E501
# kubectl output, controller lines and hand-written log lines are data, kept whole on one line.
"""Kubernetes: the ledger-ui chart 4.2.0 (helm upgrade at 13:26 UTC) added the annotation
`nginx.ingress.kubernetes.io/backend-protocol: "HTTPS"` to the ledger-ui Ingress, but the pods
still serve plain HTTP on 8080. ingress-nginx now opens TLS to the upstream, the handshake
fails with `wrong version number`, and every request through the Ingress gets 502 while the
pods stay Ready and their own logs are quiet. Decoys: an HPA scale-up of ledger-ui, a
cert-manager renewal notice for the public host, and the controller's loud 502s."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events, table
from records import Record, Zap
from scenes import at
from traffic import Line, traffic

START = datetime(2026, 5, 12, 12, 50, tzinfo=UTC)
NOW = datetime(2026, 5, 12, 13, 58, tzinfo=UTC)
UPGRADE = 36.0
NODES = [
    "aks-apps-31207954-vmss000004",
    "aks-apps-31207954-vmss000007",
    "aks-apps-31207954-vmss00000a",
]
PODS = ["ledger-ui-6f9c7d5b84-2kq8w", "ledger-ui-6f9c7d5b84-hx7rn", "ledger-ui-6f9c7d5b84-v4tlm"]
UPSTREAMS = ["10.244.3.41:8080", "10.244.5.17:8080", "10.244.1.88:8080"]


@dataclass
class Klog:
    def render(self, record: Record) -> list[str]:
        mark = {"WARN": "W", "ERROR": "E"}.get(record.level, "I")
        stamp = record.time.strftime("%m%d %H:%M:%S.") + f"{record.time.microsecond:06d}"
        return [f"{mark}{stamp}       7 {record.logger or 'store.go:440'}] {record.message}"]


@dataclass
class Raw:
    def render(self, record: Record) -> list[str]:
        return [record.message]


def stamp(t: datetime) -> str:
    return t.strftime("%d/%b/%Y:%H:%M:%S +0000")


def access(rng: random.Random, t: datetime, status: int, upstream: str, took: str) -> str:
    path = rng.choice(
        [
            "/",
            "/ledger/accounts",
            f"/ledger/accounts/{rng.randrange(10**5)}/entries",
            "/api/balance",
            "/static/js/main.3f9a1c.js",
            "/healthz",
        ]
    )
    return f'10.240.0.{rng.randrange(4, 250)} - - [{stamp(t)}] "GET {path} HTTP/1.1" {status} {rng.randrange(150, 9000) if status == 200 else 150} "https://ledger.northbank.example/" "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) Safari/605.1" {rng.randrange(300, 900)} {took} [finance-ledger-ui-80] [] {upstream} {rng.randrange(150, 9000) if status == 200 else 0} {took} {status if status == 200 else 502} {rng.getrandbits(128):032x}'


def bundle() -> Bundle:
    rng = random.Random(341_512)
    ctrl = LogFile("kubectl-logs-ingress-nginx-controller.txt", Raw())
    for offset in sorted(rng.random() * UPGRADE * 60 for _ in range(2600)):
        t = START + timedelta(seconds=offset)
        ctrl.add(
            [
                Record(
                    t,
                    "INFO",
                    access(
                        rng,
                        t,
                        200,
                        rng.choice(UPSTREAMS),
                        f"{rng.lognormvariate(0, 0.5) * 0.02:.3f}",
                    ),
                )
            ]
        )
    for offset in sorted(
        UPGRADE * 60
        + 20
        + rng.random() * (NOW - START - timedelta(minutes=UPGRADE + 1)).total_seconds()
        for _ in range(900)
    ):
        t = START + timedelta(seconds=offset)
        up = rng.choice(UPSTREAMS)
        ctrl.add(
            [
                Record(
                    t,
                    "ERROR",
                    f'{t.strftime("%Y/%m/%d %H:%M:%S")} [error] 31#31: *{rng.randrange(10**5, 10**6)} SSL_do_handshake() failed (SSL: error:0A00010B:SSL routines::wrong version number) while SSL handshaking to upstream, client: 10.240.0.{rng.randrange(4, 250)}, server: ledger.northbank.example, request: "GET / HTTP/1.1", upstream: "https://{up}/", host: "ledger.northbank.example"',
                )
            ]
        )
        ctrl.add(
            [
                Record(
                    t + timedelta(milliseconds=3),
                    "ERROR",
                    access(
                        rng,
                        t,
                        502,
                        f"{up}, {rng.choice(UPSTREAMS)}, {rng.choice(UPSTREAMS)}",
                        "0.004, 0.002, 0.003",
                    ),
                )
            ]
        )
    ctrl.add(
        [
            Record(START + timedelta(minutes=UPGRADE, seconds=9), "INFO", "", (), "x"),
        ]
    )
    ctrl.records = [r for r in ctrl.records if r.message]
    klog = Klog()
    for minute, message, where in [
        (
            UPGRADE + 0.15,
            'Found valid IngressClass ingress="finance/ledger-ui" ingressclass="nginx"',
            "main.go:101",
        ),
        (
            UPGRADE + 0.16,
            "updating Ingress finance/ledger-ui status from [{10.240.0.200 []}] to [{10.240.0.200 []}]",
            "status.go:300",
        ),
        (
            UPGRADE + 0.18,
            "Configuration changes detected, backend reload required",
            "controller.go:190",
        ),
        (UPGRADE + 0.21, "Backend successfully reloaded", "controller.go:210"),
        (
            UPGRADE + 0.22,
            'Event(v1.ObjectReference{Kind:"Pod", Namespace:"ingress-nginx", Name:"ingress-nginx-controller-7b8d9c6f5d-pq2xs"}): type: \'Normal\' reason: \'RELOAD\' NGINX reload triggered due to a change in configuration',
            "event.go:364",
        ),
        (
            14.5,
            'error obtaining PEM from secret finance/ledger-ui-tls-next: no object matching key "finance/ledger-ui-tls-next" in local store',
            "backend_ssl.go:47",
        ),
    ]:
        t = START + timedelta(minutes=minute)
        ctrl.add(
            [
                Record(
                    t,
                    "WARN" if "error" in message else "INFO",
                    klog.render(
                        Record(t, "WARN" if "error" in message else "INFO", message, (), where)
                    )[0],
                )
            ]
        )
    app = LogFile("kubectl-logs-ledger-ui.txt", Zap(("server/http.go:88", "ledger/handler.go:142")))

    def app_line(r: random.Random) -> Line:
        return (
            "INFO",
            r.choice(
                ["served request", "balance cache refreshed", "fetched entries from ledger-api"]
            ),
            (),
        )

    app.add(traffic(rng, app_line, START, UPGRADE, 1300))
    app.add(
        traffic(
            rng, lambda r: ("INFO", "served request", ()), START + timedelta(minutes=UPGRADE), 2, 40
        )
    )
    app.add(
        traffic(
            rng,
            lambda r: ("INFO", "balance cache refreshed", ()),
            START + timedelta(minutes=UPGRADE + 2),
            NOW.minute + 60 - START.minute - UPGRADE - 2,
            30,
        )
    )
    app.add(
        [
            at(
                START,
                2.0,
                "INFO",
                "listening on :8080 (plain HTTP; TLS terminated at ingress)",
                logger="server/http.go:51",
            )
        ]
    )
    ing = (
        "\n".join(
            [
                "Name:             ledger-ui",
                "Labels:           app.kubernetes.io/instance=ledger-ui",
                "                  app.kubernetes.io/managed-by=Helm",
                "                  helm.sh/chart=ledger-ui-4.2.0",
                "Namespace:        finance",
                "Address:          10.240.0.200",
                "Ingress Class:    nginx",
                "Default backend:  <default>",
                "TLS:",
                "  ledger-ui-tls terminates ledger.northbank.example",
                "Rules:",
                "  Host                      Path  Backends",
                "  ----                      ----  --------",
                "  ledger.northbank.example",
                "                            /   ledger-ui:80 (10.244.3.41:8080,10.244.5.17:8080,10.244.1.88:8080)",
                "Annotations:               cert-manager.io/cluster-issuer: letsencrypt-prod",
                "                           meta.helm.sh/release-name: ledger-ui",
                "                           meta.helm.sh/release-namespace: finance",
                "                           nginx.ingress.kubernetes.io/backend-protocol: HTTPS",
                "                           nginx.ingress.kubernetes.io/proxy-body-size: 8m",
                "Events:",
                *table(
                    ("Type", "Reason", "Age", "From", "Message"),
                    [
                        ("----", "------", "----", "----", "-------"),
                        (
                            "Normal",
                            "Sync",
                            "32m (x3 over 41d)",
                            "nginx-ingress-controller",
                            "Scheduled for sync",
                        ),
                    ],
                    indent="  ",
                ),
            ]
        )
        + "\n"
    )
    svc = (
        "\n".join(
            [
                "$ kubectl -n finance get svc,endpoints ledger-ui -o wide",
                *table(
                    ("NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE", "SELECTOR"),
                    [
                        (
                            "service/ledger-ui",
                            "ClusterIP",
                            "10.0.144.27",
                            "<none>",
                            "80/TCP",
                            "212d",
                            "app.kubernetes.io/name=ledger-ui",
                        )
                    ],
                ),
                "",
                *table(
                    ("NAME", "ENDPOINTS", "AGE"),
                    [
                        (
                            "endpoints/ledger-ui",
                            "10.244.1.88:8080,10.244.3.41:8080,10.244.5.17:8080",
                            "212d",
                        )
                    ],
                ),
                "",
                "$ kubectl -n finance get pods -l app.kubernetes.io/name=ledger-ui -o wide",
                *table(
                    ("NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE"),
                    [
                        (p, "1/1", "Running", "0", a, ip.split(":")[0], n)
                        for p, a, ip, n in zip(
                            PODS, ["3d2h", "3d2h", "24m"], UPSTREAMS, NODES, strict=True
                        )
                    ],
                ),
                "",
                "$ helm -n finance history ledger-ui --max 3",
                *table(
                    ("REVISION", "UPDATED", "STATUS", "CHART", "APP VERSION", "DESCRIPTION"),
                    [
                        (
                            "37",
                            "Thu May  7 09:14:52 2026",
                            "superseded",
                            "ledger-ui-4.1.3",
                            "2.18.0",
                            "Upgrade complete",
                        ),
                        (
                            "38",
                            "Tue May 12 13:26:04 2026",
                            "deployed",
                            "ledger-ui-4.2.0",
                            "2.18.0",
                            "Upgrade complete",
                        ),
                    ],
                ),
            ]
        )
        + "\n"
    )
    apps = ["ledger-api", "ledger-ui", "fx-rates", "statement-worker"]
    routine = routine_events(rng, apps, 50, NODES, namespace="finance")
    age = int((NOW - START).total_seconds())
    signal = [
        (
            int(age - 34.5 * 60),
            (
                "Normal",
                "SuccessfulRescale",
                "horizontalpodautoscaler/ledger-ui",
                "New size: 3; reason: cpu resource utilization (percentage of request) above target",
            ),
        ),
        (
            int(age - 20.0 * 60),
            (
                "Normal",
                "Issuing",
                "certificate/ledger-ui-tls",
                "Renewing certificate as renewal was scheduled at 2026-05-12 13:10:00 +0000 UTC",
            ),
        ),
        (
            int(age - 20.1 * 60),
            (
                "Normal",
                "Issuing",
                "certificate/ledger-ui-tls",
                "The certificate has been successfully issued",
            ),
        ),
        (
            int(age - UPGRADE * 60 - 10),
            ("Normal", "Sync", "ingress/ledger-ui", "Scheduled for sync"),
        ),
    ]
    files = {
        "kubectl-describe-ingress-ledger-ui.txt": ing,
        "kubectl-get.txt": svc,
        "kubectl-get-events.txt": "$ kubectl -n finance get events --sort-by=.lastTimestamp\n"
        + event_listing(routine, signal),
        "kubectl-logs-ingress-nginx-controller.txt": ctrl.render(),
        "kubectl-logs-ledger-ui.txt": app.render(),
    }
    return Bundle(
        question="Since about 13:26 UTC everyone gets 502 Bad Gateway on ledger.northbank.example, but the ledger-ui pods are Running and Ready. What is the root cause?",
        category="configuration",
        component="ledger-ui",
        statement="Chart ledger-ui-4.2.0 (helm upgrade at 13:26 UTC) added `nginx.ingress.kubernetes.io/backend-protocol: HTTPS` to the ledger-ui Ingress while the pods serve plain HTTP on 8080; ingress-nginx's TLS handshakes to the upstream fail with `wrong version number` and every request gets 502.",
        files=files,
        proofs=[
            Proof("kubectl-describe-ingress-ledger-ui.txt", "backend-protocol: HTTPS"),
            Proof("kubectl-get.txt", "ledger-ui-4.2.0"),
        ],
        decoys=["SuccessfulRescale", "Renewing certificate", "error obtaining PEM from secret"],
    )
