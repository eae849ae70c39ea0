# ruff: noqa: E501
# kubectl rows and hand-written log lines are data, kept whole on one line.
"""Kubernetes: ingress-nginx upgraded from a 0.x chart to controller v1.10 at 07:31 UTC. The new
controller only watches Ingresses of its IngressClass; the `storefront` Ingress still relies on
the old `kubernetes.io/ingress.class` being absent (no `ingressClassName`), so the controller
ignores it (`Ignoring ingress because of error while validating ingress class`) and every
request to shop.example.com falls to the default backend: 404. The storefront pods are healthy
and simply stop receiving traffic. Decoys: a cert-manager renewal notice, a storefront Redis
reconnect, and the controller's `Error getting SSL certificate` for a staging host."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import NginxAccess, Pino, Record
from scenes import at, loud
from traffic import Line, traffic

START = datetime(2026, 7, 2, 7, 0, tzinfo=UTC)
MINUTES = 55
UPGRADE = 31.0


@dataclass
class Klog:
    def render(self, record: Record) -> list[str]:
        mark = {"WARN": "W", "ERROR": "E"}.get(record.level, "I")
        return [
            f"{mark}{record.time.strftime('%m%d %H:%M:%S.')}{record.time.microsecond:06d}       7 {record.logger or 'store.go:443'}] {record.message}"
        ]


def upstream(rng: random.Random) -> Line:
    return (
        "INFO",
        f'"GET {rng.choice(["/", "/products/" + str(rng.randrange(9999)), "/cart", "/static/app.js"])} HTTP/2.0" 200 {rng.randrange(400, 30000)} "-" "Mozilla/5.0" {rng.randrange(30, 400)} 0.0{rng.randrange(10, 99)} [shop-storefront-80] [] 10.42.{rng.randrange(1, 4)}.{rng.randrange(2, 250)}:3000 {rng.randrange(400, 30000)} 0.0{rng.randrange(10, 99)} 200 {rng.getrandbits(128):032x}',
        (),
    )


def fallback(rng: random.Random) -> Line:
    return (
        "ERROR",
        f'"GET {rng.choice(["/", "/products/" + str(rng.randrange(9999)), "/cart", "/checkout"])} HTTP/2.0" 404 146 "-" "Mozilla/5.0" {rng.randrange(30, 400)} 0.000 [upstream-default-backend] [] 127.0.0.1:8181 146 0.000 404 {rng.getrandbits(128):032x}',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(40206)
    access = LogFile("logs/ingress-nginx-controller-access.log", NginxAccess(rng=rng))
    before = traffic(rng, upstream, START, UPGRADE, 2600)
    access.add(before)
    access.add(loud(rng, START, UPGRADE + 0.6, MINUTES - UPGRADE - 0.7, 2300, fallback))
    ctl = LogFile("logs/ingress-nginx-controller.log", Klog())
    ctl.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f'"Event occurred" object="{r.choice(["monitoring/grafana", "payments/payments-api", "shop/storefront-admin"])}" kind="Ingress" apiVersion="networking.k8s.io/v1" type="Normal" reason="Sync" message="Scheduled for sync"',
                (),
            ),
            START,
            MINUTES,
            160,
            logger="event.go:364",
        )
    )
    ctl.add(
        traffic(
            rng,
            lambda r: ("INFO", "Backend successfully reloaded", ()),
            START,
            MINUTES,
            40,
            logger="controller.go:213",
        )
    )
    ctl.add(
        [
            at(
                START,
                UPGRADE,
                "INFO",
                "-------------------------------------------------------------------------------\nNGINX Ingress controller\n  Release:       v1.10.1\n  Build:         4fb5aac1dd3669daa3a14d9de3e3cdb371b4c518\n  Repository:    https://github.com/kubernetes/ingress-nginx\n  nginx version: nginx/1.25.3\n-------------------------------------------------------------------------------",
                logger="main.go:110",
            ),
            at(
                START,
                UPGRADE + 0.1,
                "INFO",
                'Watching for Ingress class="nginx"',
                logger="main.go:248",
            ),
            at(
                START,
                UPGRADE + 0.12,
                "INFO",
                '"Ignoring ingress because of error while validating ingress class" ingress="shop/storefront" error="ingress does not contain a valid IngressClass"',
                logger="store.go:432",
            ),
            at(
                START,
                UPGRADE + 0.13,
                "WARN",
                'Error getting SSL certificate "staging/staging-shop-tls": local SSL certificate staging/staging-shop-tls was not found. Using default certificate',
                logger="controller.go:1244",
            ),
        ]
    )
    app = LogFile("logs/storefront.log", Pino("storefront-6c9f7d8b54-kq2vw", rng=rng))
    app.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"request completed {r.choice(['GET /', 'GET /cart', 'GET /products/' + str(r.randrange(9999))])} {r.choice([200, 200, 304])} {r.randrange(5, 120)}ms",
                (),
            ),
            START,
            UPGRADE + 0.5,
            2400,
        )
    )
    app.add(traffic(rng, lambda r: ("DEBUG", "GET /healthz 200 1ms", ()), START, MINUTES, 330))
    app.add(
        [
            at(START, 12.4, "WARN", "redis connection lost (ECONNRESET), reconnecting in 200ms"),
            at(START, 12.41, "INFO", "redis ready"),
        ]
    )
    kubectl = "\n".join(
        [
            "$ kubectl -n shop get ingress",
            "NAME              CLASS    HOSTS                  ADDRESS        PORTS     AGE",
            "storefront        <none>   shop.example.com       34.120.18.77   80, 443   412d",
            "storefront-admin  nginx    admin.shop.example.com 34.120.18.77   80, 443   96d",
            "",
            "$ kubectl get ingressclass",
            "NAME    CONTROLLER             PARAMETERS   AGE",
            "nginx   k8s.io/ingress-nginx   <none>       24m",
            "",
            "$ kubectl -n shop get pods -l app=storefront",
            "NAME                          READY   STATUS    RESTARTS   AGE",
            "storefront-6c9f7d8b54-kq2vw   1/1     Running   0          2d4h",
            "storefront-6c9f7d8b54-rz8hn   1/1     Running   0          2d4h",
            "storefront-6c9f7d8b54-w5m7p   1/1     Running   0          2d4h",
            "",
            "$ kubectl -n ingress-nginx get events --sort-by=.lastTimestamp | tail -6",
            "LAST SEEN   TYPE     REASON              OBJECT                                          MESSAGE",
            "24m         Normal   ScalingReplicaSet   deployment/ingress-nginx-controller             Scaled up replica set ingress-nginx-controller-6d5f9c7b8d to 2",
            "24m         Normal   Killing             pod/ingress-nginx-controller-58bd4f6c77-2sx9q   Stopping container controller",
            "23m         Normal   RELOAD              pod/ingress-nginx-controller-6d5f9c7b8d-f4kpl   NGINX reload triggered due to a change in configuration",
            "6m          Normal   Issuing             certificate/storefront-admin-tls                Renewing certificate as renewal was scheduled at 2026-07-02 07:49:00 +0000 UTC",
            "",
        ]
    )
    return Bundle(
        question="shop.example.com returns 404 for every page since about 07:31 UTC, but the storefront pods are all Running and Ready. Why?",
        category="configuration",
        component="storefront",
        statement="The ingress-nginx upgrade to v1.10 at 07:31 UTC only serves Ingresses of IngressClass `nginx`; the `storefront` Ingress has no ingressClassName, so the controller ignores it (`ingress does not contain a valid IngressClass`) and all traffic for shop.example.com goes to the default backend (404).",
        files={
            "logs/ingress-nginx-controller-access.log": access.render(),
            "logs/ingress-nginx-controller.log": ctl.render(),
            "logs/storefront.log": app.render(),
            "kubectl-output.txt": kubectl,
        },
        proofs=[
            Proof("logs/ingress-nginx-controller.log", 'ingress="shop/storefront" error='),
            Proof("kubectl-output.txt", "storefront        <none>   shop.example.com"),
        ],
        decoys=[
            "Renewing certificate as renewal was scheduled",
            "redis connection lost (ECONNRESET)",
            'Error getting SSL certificate "staging/staging-shop-tls"',
        ],
    )
