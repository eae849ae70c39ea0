# ruff: noqa: E501
# Log lines, kubectl output and YAML are data, kept whole on one line.
"""Kubernetes (DOKS, New York, UTC-4): the Ingress partner-api carries
`nginx.ingress.kubernetes.io/rewrite-target: /` with path `/partner`, written for an old
ingress-nginx that matched by prefix and kept the rest of the path. The controller upgrade at
15:02 UTC (0.x -> 1.10 chart) rewrites every matched request to exactly `/`, so every partner call
lands on the service's index route and gets 404 from partner-api. Decoys: the controller's
deprecation WARN on a snippet annotation, a partner-api JWT clock WARN, and a cert-manager
renewal event."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events
from records import Logfmt, NginxAccess
from scenes import at, loud
from traffic import http_access, traffic, web_api

START = datetime(2026, 8, 19, 14, 30, tzinfo=UTC)
NOW = datetime(2026, 8, 19, 15, 50, tzinfo=UTC)
UPGRADE = 32.0


def ingress() -> str:
    return """$ kubectl -n partners get ingress partner-api -o yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  annotations:
    nginx.ingress.kubernetes.io/rewrite-target: /
    nginx.ingress.kubernetes.io/proxy-body-size: 8m
  creationTimestamp: "2023-02-07T18:11:40Z"
  name: partner-api
  namespace: partners
spec:
  ingressClassName: nginx
  rules:
  - host: api.harborfreight-example.com
    http:
      paths:
      - backend:
          service:
            name: partner-api
            port:
              number: 8080
        path: /partner
        pathType: Prefix

$ helm -n ingress-nginx history ingress-nginx --max 2
REVISION  UPDATED                   STATUS      CHART                 APP VERSION  DESCRIPTION
14        Tue Jan 16 09:40:12 2024  superseded  ingress-nginx-3.41.0  0.50.0       Upgrade complete
15        Wed Aug 19 11:02:09 2026  deployed    ingress-nginx-4.10.1  1.10.1       Upgrade complete

$ curl -s -o /dev/null -w '%{http_code}\\n' https://api.harborfreight-example.com/partner/v2/orders/88123
404
"""


def bundle() -> Bundle:
    rng = random.Random(50713)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    ctl = LogFile("logs/ingress-nginx-controller.log", NginxAccess(rng=rng))
    ctl.add(traffic(rng, http_access(["/shop/", "/static/", "/account/"]), START, total, 2600))
    ctl.add(
        loud(
            rng,
            START,
            0,
            UPGRADE,
            500,
            lambda r: (
                "INFO",
                f'"GET /partner/v2/orders/{r.randrange(10000, 99999)} HTTP/1.1" 200 {r.randrange(300, 2000)} "-" "PartnerSync/4.2" 0.0{r.randrange(10, 99)}',
                (),
            ),
        )
    )
    ctl.add(
        loud(
            rng,
            START,
            UPGRADE + 0.3,
            total - UPGRADE - 0.5,
            700,
            lambda r: (
                "ERROR",
                f'"{r.choice(["GET", "POST"])} /partner/v2/{r.choice(["orders", "shipments", "invoices"])}/{r.randrange(10000, 99999)} HTTP/1.1" 404 19 "-" "PartnerSync/4.2" 0.004',
                (),
            ),
        )
    )
    ctl.add(
        [
            at(
                START,
                UPGRADE + 0.2,
                "WARN",
                '"GET /healthz HTTP/1.1" 200 0 "-" "kube-probe/1.30" 0.000',
            )
        ]
    )
    api = LogFile("logs/partner-api.log", Logfmt("partner-api", rng=rng))
    api.add(
        traffic(
            rng, web_api("partner-api", ["orders", "shipments", "invoices"]), START, UPGRADE, 900
        )
    )
    api.add(
        [
            at(
                START,
                11.0,
                "WARN",
                "jwt iat is 4s in the future for client=acme-logistics, accepted within 30s leeway",
            )
        ]
    )
    api.add(
        loud(
            rng,
            START,
            UPGRADE + 0.3,
            total - UPGRADE - 0.5,
            600,
            lambda r: (
                "INFO",
                f"route not found method={r.choice(['GET', 'POST'])} path=/ status=404 client=10.244.{r.randrange(256)}.{r.randrange(256)}",
                (),
            ),
        )
    )
    routine = routine_events(
        rng,
        ["partner-api", "shop-web"],
        10,
        ["pool-apps-r3k7q", "pool-apps-r3k7x"],
        namespace="partners",
    )
    signal = [
        (
            ago(UPGRADE),
            (
                "Normal",
                "RELOAD",
                "pod/ingress-nginx-controller-7d6f9b8c5-x2v9q",
                "NGINX reload triggered due to a change in configuration",
            ),
        ),
        (
            ago(UPGRADE) - 2,
            (
                "Warning",
                "AnnotationParsed",
                "ingress/shop-web",
                "annotation nginx.ingress.kubernetes.io/configuration-snippet is deprecated and will be rejected when allow-snippet-annotations is false",
            ),
        ),
        (
            ago(20),
            (
                "Normal",
                "Issuing",
                "certificate/shop-web-tls",
                "The certificate has been successfully issued",
            ),
        ),
    ]
    events = "$ kubectl get events -A --sort-by=.lastTimestamp\n" + event_listing(routine, signal)
    return Bundle(
        question="Since about 11:00 New York time every partner API call returns 404; the shop site through the same ingress is fine. What is the root cause?",
        category="configuration",
        component="partner-api",
        statement="The Ingress partner-api uses rewrite-target: / on path /partner; after the 15:02 UTC ingress-nginx upgrade to 1.10 that rewrites every matched request to '/', so partner-api receives only '/' and answers 404 to all partner calls.",
        files={
            "kubectl-get-ingress.txt": ingress(),
            "kubectl-get-events.txt": events,
            ctl.name: ctl.render(),
            api.name: api.render(),
        },
        proofs=[
            Proof("kubectl-get-ingress.txt", "rewrite-target: /"),
            Proof("kubectl-get-ingress.txt", "15        Wed Aug 19 11:02:09 2026"),
        ],
        decoys=[
            "configuration-snippet is deprecated",
            "jwt iat is 4s in the future",
            "successfully issued",
        ],
    )
