# ruff: noqa: E501
# kubectl rows and hand-written log lines are data, kept whole on one line.
"""Kubernetes: the platform team installed a second ingress-nginx for internal tools at 10:15
CST, and its IngressClass `nginx-internal` was created with
`ingressclass.kubernetes.io/is-default-class: "true"`. At 12:40 the docs-portal chart 6.0
renamed its Ingress, so a new Ingress without `ingressClassName` was created; the admission
plugin gave it the default class, nginx-internal. The public controller dropped the host and
answers 404 from its default backend for docs.quarry.example; the internal controller serves it
on a private address nobody reaches. Decoys: a cert-manager renewal of another certificate, a
reload warning about an unrelated annotation, and a 499 spike from a slow search page."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events
from records import KubectlTimestamps, NginxAccess, PythonLogging, Record
from scenes import fixed, loud
from traffic import traffic, web_api

CST = timezone(timedelta(hours=-6))
START = datetime(2026, 2, 17, 15, 30, tzinfo=UTC)  # 09:30 CST
NOW = datetime(2026, 2, 17, 19, 20, tzinfo=UTC)
INSTALL = 45.0  # 16:15 UTC = 10:15 CST
RENAME = 190.0  # 18:40 UTC = 12:40 CST
NODES = [
    "lke81234-120931-4b8c0e21a7f3",
    "lke81234-120931-5e0a9d41c2b6",
    "lke81234-120931-6f1c2a83d9e4",
]


def public_line(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    host, upstream, path = rng.choice(
        [
            (
                "docs.quarry.example",
                "docs-docs-portal-web-8080",
                rng.choice(
                    ["/guides/install", "/api/reference", "/search?q=token", "/assets/site.css"]
                ),
            ),
            (
                "app.quarry.example",
                "app-app-frontend-80",
                rng.choice(["/", "/dashboard", "/api/projects"]),
            ),
            ("status.quarry.example", "status-statuspage-3000", "/"),
        ]
    )
    status = rng.choices([200, 304, 404], [88, 9, 3])[0]
    t = rng.randrange(2, 180) / 1000
    ip = f"10.2.{rng.randrange(0, 4)}.{rng.randrange(2, 250)}:8080"
    return (
        "INFO",
        f'"GET {path} HTTP/2.0" {status} {rng.randrange(300, 40000)} "https://{host}/" "Mozilla/5.0 (Windows NT 10.0; Win64; x64)" {rng.randrange(30, 90)} {t:.3f} [{upstream}] [] {ip} {rng.randrange(300, 40000)} {t:.3f} {status} {rng.getrandbits(128):032x}',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(4160)
    total = (NOW - START).total_seconds() / 60

    pub = LogFile("logs/ingress-nginx-external.log", NginxAccess(rng=rng, zone=CST))
    pub.add(traffic(rng, public_line, START, total, 4400))
    pub.add(
        loud(
            rng,
            START,
            132.0,
            3,
            60,
            fixed(
                "WARN",
                lambda r: (
                    f'"GET /search?q={r.choice(["deploy", "helm", "rbac"])} HTTP/2.0" 499 0 "https://docs.quarry.example/" "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4)" 61 {r.randrange(5000, 9000) / 1000:.3f} [docs-docs-portal-web-8080] [] 10.2.1.{r.randrange(2, 250)}:8080 0 {r.randrange(5000, 9000) / 1000:.3f} - {r.getrandbits(128):032x}'
                ),
            ),
        )
    )
    pub.add(
        loud(
            rng,
            START,
            RENAME + 0.3,
            total - RENAME - 0.4,
            1300,
            fixed(
                "ERROR",
                lambda r: (
                    f'"GET {r.choice(["/guides/install", "/api/reference", "/", "/assets/site.css", "/guides/upgrade"])} HTTP/2.0" 404 146 "-" "Mozilla/5.0 (Windows NT 10.0; Win64; x64)" {r.randrange(30, 90)} 0.000 [upstream-default-backend] [] 127.0.0.1:8181 146 0.000 404 {r.getrandbits(128):032x}'
                ),
            ),
        )
    )

    ctl = LogFile("kubectl-logs-ingress-nginx-external-controller.txt", KubectlTimestamps())

    def klog(minute: float, micros: int, message: str) -> Record:
        time = START + timedelta(minutes=minute, microseconds=micros)
        return Record(
            time,
            message[0],
            f"{message[0]}{time:%m%d %H:%M:%S}.{time.microsecond:06d}       7 {message[2:]}",
        )

    ctl.add(
        [
            klog(
                70.2,
                418220,
                'W controller.go:1126] Error getting SSL certificate "app/app-frontend-tls": local SSL certificate app/app-frontend-tls was not found. Using default certificate',
            ),
            klog(
                71.03,
                904113,
                'I event.go:377] Event(v1.ObjectReference{Kind:"Ingress", Namespace:"app", Name:"app-frontend"}): type: \'Normal\' reason: \'Sync\' Scheduled for sync',
            ),
            klog(
                101.75,
                1377,
                "W validators.go:233] validation error on ingress app/app-frontend: annotation nginx.ingress.kubernetes.io/server-snippet contains risky directives, ignoring",
            ),
            klog(
                RENAME + 0.1,
                771204,
                'I store.go:436] "Ignoring ingress because of error while validating ingress class" ingress="docs/docs-portal" error="ingress does not contain a valid IngressClass"',
            ),
            klog(RENAME + 0.12, 117030, 'I controller.go:213] "Backend successfully reloaded"'),
        ]
    )

    docs = LogFile(
        "logs/docs-portal.log",
        PythonLogging(loggers=("docs.app", "docs.search", "gunicorn.access"), rng=rng),
    )
    docs.add(
        traffic(rng, web_api("docs-portal", ["pages", "search", "assets"]), START, RENAME, 2200)
    )
    docs.add(
        traffic(
            rng,
            web_api("docs-portal", ["pages", "search", "assets"]),
            START + timedelta(minutes=RENAME),
            total - RENAME,
            40,
        )
    )

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    routine = routine_events(
        rng, ["docs-portal", "app-frontend", "statuspage"], 20, NODES, namespace="docs"
    )
    signal = [
        (
            ago(INSTALL),
            (
                "Normal",
                "Scheduled",
                "pod/ingress-nginx-internal-controller-6c9f8b7d5-2rkwz",
                "Successfully assigned ingress-internal/ingress-nginx-internal-controller-6c9f8b7d5-2rkwz to lke81234-120931-5e0a9d41c2b6",
            ),
        ),
        (
            ago(118),
            (
                "Normal",
                "Issuing",
                "certificate/app-frontend-tls",
                "The certificate has been successfully issued",
            ),
        ),
        (ago(RENAME), ("Normal", "Sync", "ingress/docs-portal", "Scheduled for sync")),
    ]
    events = event_listing(routine, signal)

    kubectl = "\n".join(
        [
            "$ kubectl get ingressclass",
            "NAME             CONTROLLER                      PARAMETERS   AGE",
            "nginx            k8s.io/ingress-nginx            <none>       2y118d",
            "nginx-internal   k8s.io/ingress-nginx-internal   <none>       3h5m",
            "",
            "$ kubectl get ingressclass nginx-internal -o jsonpath='{.metadata.annotations}'; echo",
            '{"ingressclass.kubernetes.io/is-default-class":"true","meta.helm.sh/release-name":"ingress-internal","meta.helm.sh/release-namespace":"ingress-internal"}',
            "",
            "$ kubectl get ingress -A",
            "NAMESPACE   NAME           CLASS            HOSTS                   ADDRESS         PORTS     AGE",
            "app         app-frontend   nginx            app.quarry.example      172.105.44.19   80, 443   611d",
            "docs        docs-portal    nginx-internal   docs.quarry.example     10.2.0.201      80, 443   40m",
            "status      statuspage     nginx            status.quarry.example   172.105.44.19   80, 443   402d",
            "",
            "$ helm -n docs history docs-portal | tail -2",
            "REVISION  UPDATED                   STATUS      CHART              APP VERSION  DESCRIPTION",
            "58        Tue Feb 17 12:40:03 2026  deployed    docs-portal-6.0.0  2026.2.17    Upgrade complete",
            "",
            "$ helm -n docs get values docs-portal | grep -A3 ingress",
            "ingress:",
            "  enabled: true",
            "  name: docs-portal        # was docs-portal-web before 6.0",
            "  hosts: [docs.quarry.example]",
            "",
        ]
    )
    return Bundle(
        question="docs.quarry.example returns 404 for every page since about 12:40 CST. The docs-portal pods are healthy. What is the root cause?",
        category="configuration",
        component="nginx-internal",
        statement="The IngressClass nginx-internal, installed at 10:15 CST with the second controller, is marked is-default-class; the docs-portal Ingress recreated at 12:40 without ingressClassName was assigned to nginx-internal, so the public controller ignores it and answers 404 from its default backend.",
        files={
            "logs/ingress-nginx-external.log": pub.render(),
            "kubectl-logs-ingress-nginx-external-controller.txt": ctl.render(),
            "logs/docs-portal.log": docs.render(),
            "kubectl-get-events.txt": events,
            "kubectl-ingress.txt": kubectl,
        },
        proofs=[
            Proof("kubectl-ingress.txt", '{"ingressclass.kubernetes.io/is-default-class":"true"'),
            Proof("kubectl-ingress.txt", "docs        docs-portal    nginx-internal"),
            Proof(
                "kubectl-logs-ingress-nginx-external-controller.txt",
                "Ignoring ingress because of error while validating ingress class",
            ),
        ],
        decoys=[
            "local SSL certificate app/app-frontend-tls was not found",
            "contains risky directives, ignoring",
            '" 499 0 "https://docs.quarry.example/"',
        ],
    )
