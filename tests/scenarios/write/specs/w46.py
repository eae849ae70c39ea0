# ruff: noqa: E501
# Hand-written log lines and kubectl rows are data, kept whole on one line.
"""checkout's chart 2.0 relabels its pods but the Service still selects the old labels; the
Service has no endpoints, ingress-nginx answers 503, and the healthy pods receive nothing."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from kube import table
from records import JsonLines, Record
from scenes import fixed, loud
from traffic import Line, traffic, web_api

START = datetime(2025, 11, 20, 13, 40, tzinfo=UTC)
CHANGE_MINUTE = 22
UPSTREAMS = {
    "/api/cart": "shop-cart-8080",
    "/api/catalog": "shop-catalog-8080",
    "/api/checkout": "shop-checkout-8080",
    "/": "shop-storefront-80",
}


@dataclass
class IngressNginx:
    """ingress-nginx controller output: klog lines and its upstream-aware access log."""

    rng: random.Random

    def render(self, record: Record) -> list[str]:
        if record.logger == "klog":
            stamp = record.time.strftime("%m%d %H:%M:%S.") + f"{record.time.microsecond:06d}"
            return [f"{record.level[0]}{stamp}       7 {record.message}"]
        stamp = record.time.strftime("%d/%b/%Y:%H:%M:%S +0000")
        client = (
            f"10.{self.rng.randrange(256)}.{self.rng.randrange(256)}.{self.rng.randrange(1, 255)}"
        )
        return [f"{client} - - [{stamp}] {record.message} {self.rng.getrandbits(128):032x}"]


def access(rng: random.Random, paths: list[str] | None = None) -> Line:
    path = rng.choice(paths or list(UPSTREAMS))
    upstream = UPSTREAMS[path]
    status = rng.choices([200, 201, 304, 404], [80, 8, 8, 2])[0]
    seconds = rng.randrange(2, 120) / 1000
    target = (
        f"{path}/{rng.randrange(10**6)}"
        if path != "/"
        else rng.choice(["/", "/static/app.js", "/static/app.css"])
    )
    method = "POST" if status == 201 else "GET"
    return (
        "INFO",
        f'"{method} {target} HTTP/2.0" {status} {rng.randrange(200, 9000)} "https://shop.example.com/" "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1)" {rng.randrange(40, 600)} {seconds:.3f} [{upstream}] [] 10.42.{rng.randrange(1, 6)}.{rng.randrange(2, 250)}:{8080 if upstream != "shop-storefront-80" else 80} {rng.randrange(200, 9000)} {seconds:.3f} {status}',
        (),
    )


def klog(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.6:
        return (
            "INFO",
            f'event.go:364] Event(v1.ObjectReference{{Kind:"Ingress", Namespace:"shop", Name:"shop", UID:"{rng.getrandbits(128):032x}", APIVersion:"networking.k8s.io/v1", ResourceVersion:"{rng.randrange(10**7, 10**8)}", FieldPath:""}}): type: \'Normal\' reason: \'Sync\' Scheduled for sync',
            (),
        )
    return (
        "INFO",
        'controller.go:190] "Configuration changes detected, backend reload required"',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(146)
    change = START + timedelta(minutes=CHANGE_MINUTE)
    controller = LogFile("ingress-nginx-controller.log", IngressNginx(rng))
    controller.add(traffic(rng, access, START, CHANGE_MINUTE, 1870))
    others = [path for path in UPSTREAMS if path != "/api/checkout"]
    controller.add(traffic(rng, lambda r: access(r, others), change, 40 - CHANGE_MINUTE, 1150))
    controller.add(
        [
            Record(time.time, time.level, time.message, (), "klog")
            for time in traffic(rng, klog, START, 40, 30)
        ]
    )
    controller.add(
        [
            Record(
                change + timedelta(seconds=3),
                "INFO",
                'controller.go:190] "Configuration changes detected, backend reload required"',
                (),
                "klog",
            ),
            Record(
                change + timedelta(seconds=3, milliseconds=120),
                "WARN",
                'controller.go:1214] Service "shop/checkout" does not have any active Endpoint.',
                (),
                "klog",
            ),
            Record(
                change + timedelta(seconds=4),
                "INFO",
                'controller.go:210] "Backend successfully reloaded"',
                (),
                "klog",
            ),
        ]
    )
    controller.add(
        [
            Record(
                record.time,
                "WARN",
                'controller.go:1214] Service "shop/checkout" does not have any active Endpoint.',
                (),
                "klog",
            )
            for record in traffic(rng, klog, change + timedelta(seconds=40), 17, 52)
        ]
    )
    controller.add(
        loud(
            rng,
            START,
            CHANGE_MINUTE + 0.1,
            17.8,
            612,
            fixed(
                "INFO",
                lambda r: (
                    f'"POST /api/checkout/{r.randrange(10**6)} HTTP/2.0" 503 190 "https://shop.example.com/cart" "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1)" {r.randrange(300, 900)} 0.000 [shop-checkout-8080] [] - - - - {r.getrandbits(128):032x}'
                ),
            ),
        )
    )
    storefront = LogFile(
        "storefront.log", JsonLines("storefront", ("time", "level", "message"), rng=rng)
    )
    storefront.add(
        traffic(rng, web_api("storefront", ["pages", "cart", "products"]), START, 40, 1500)
    )
    storefront.add(
        loud(
            rng,
            START,
            CHANGE_MINUTE + 0.2,
            17.7,
            488,
            fixed(
                "ERROR",
                lambda r: (
                    f"checkout submit failed for cart {r.getrandbits(48):012x}: upstream answered 503 Service Temporarily Unavailable (attempt {r.randrange(1, 4)}/3)"
                ),
            ),
        )
    )
    checkout = LogFile("checkout.log", JsonLines("checkout", ("time", "level", "message"), rng=rng))
    checkout.add(
        traffic(rng, web_api("checkout", ["checkout", "orders"]), START, CHANGE_MINUTE, 820)
    )
    checkout.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f"health check ok uptime={r.randrange(100, 1200)}s goroutines={r.randrange(30, 40)}"
                ),
            ),
            change + timedelta(minutes=1),
            17,
            34,
        )
    )
    checkout.add(
        traffic(
            rng,
            fixed("INFO", lambda r: f"kafka consumer lag orders-events={r.randrange(0, 4)}"),
            START,
            40,
            60,
        )
    )
    service = [
        "Name:              checkout",
        "Namespace:         shop",
        "Labels:            app=checkout",
        "                   app.kubernetes.io/managed-by=Helm",
        "Annotations:       meta.helm.sh/release-name: checkout",
        "                   meta.helm.sh/release-namespace: shop",
        "Selector:          app=checkout,tier=backend",
        "Type:              ClusterIP",
        "IP Family Policy:  SingleStack",
        "IP Families:       IPv4",
        "IP:                10.43.118.27",
        "IPs:               10.43.118.27",
        "Port:              http  8080/TCP",
        "TargetPort:        http/TCP",
        "Endpoints:         <none>",
        "Session Affinity:  None",
        "Events:            <none>",
    ]
    endpoints = table(
        ("NAME", "ENDPOINTS", "AGE"),
        [
            ("cart", "10.42.1.31:8080,10.42.3.12:8080,10.42.4.9:8080", "211d"),
            ("catalog", "10.42.2.17:8080,10.42.5.44:8080", "211d"),
            ("checkout", "<none>", "211d"),
            ("storefront", "10.42.1.8:80,10.42.2.90:80,10.42.4.61:80", "211d"),
        ],
    )
    pods = table(
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
            "LABELS",
        ),
        [
            (
                "checkout-5f7b9c6d84-4qv2n",
                "1/1",
                "Running",
                "0",
                "18m",
                "10.42.2.54",
                "k3s-agent-2",
                "<none>",
                "<none>",
                "app.kubernetes.io/instance=checkout,app.kubernetes.io/name=checkout,app.kubernetes.io/component=backend,pod-template-hash=5f7b9c6d84",
            ),
            (
                "checkout-5f7b9c6d84-m8kzt",
                "1/1",
                "Running",
                "0",
                "18m",
                "10.42.4.77",
                "k3s-agent-4",
                "<none>",
                "<none>",
                "app.kubernetes.io/instance=checkout,app.kubernetes.io/name=checkout,app.kubernetes.io/component=backend,pod-template-hash=5f7b9c6d84",
            ),
            (
                "checkout-5f7b9c6d84-x9w4d",
                "1/1",
                "Running",
                "0",
                "17m",
                "10.42.1.19",
                "k3s-agent-1",
                "<none>",
                "<none>",
                "app.kubernetes.io/instance=checkout,app.kubernetes.io/name=checkout,app.kubernetes.io/component=backend,pod-template-hash=5f7b9c6d84",
            ),
        ],
    )
    history = table(
        ("REVISION", "UPDATED", "STATUS", "CHART", "APP VERSION", "DESCRIPTION"),
        [
            (
                "39",
                "Tue Nov 11 09:14:52 2025",
                "superseded",
                "checkout-1.14.2",
                "3.8.1",
                "Upgrade complete",
            ),
            (
                "40",
                "Mon Nov 17 16:02:10 2025",
                "superseded",
                "checkout-1.14.3",
                "3.8.2",
                "Upgrade complete",
            ),
            (
                "41",
                "Thu Nov 20 14:02:01 2025",
                "deployed",
                "checkout-2.0.0",
                "3.8.2",
                "Upgrade complete",
            ),
        ],
    )
    return Bundle(
        question="Why are checkouts failing? Every POST /api/checkout gets a 503 from ingress-nginx since 14:02 UTC, but the checkout pods are Running and Ready.",
        category="configuration",
        component="checkout",
        statement="After the checkout-2.0.0 chart upgrade the pods carry only app.kubernetes.io/* labels while the checkout Service still selects app=checkout,tier=backend, so the Service has no endpoints and ingress-nginx answers 503.",
        files={
            "ingress-nginx-controller.log": controller.render(),
            "storefront.log": storefront.render(),
            "checkout.log": checkout.render(),
            "describe-service.txt": "\n".join(service) + "\n",
            "get-endpoints.txt": "\n".join(endpoints) + "\n",
            "get-pods-show-labels.txt": "\n".join(pods) + "\n",
            "helm-history.txt": "\n".join(history) + "\n",
        },
        proofs=[
            Proof(
                "describe-service.txt",
                "Selector:          app=checkout,tier=backend",
                "Endpoints:         <none>",
            ),
            Proof("get-pods-show-labels.txt", "checkout-5f7b9c6d84-4qv2n"),
        ],
        decoys=["upstream answered 503 Service Temporarily Unavailable", '" 503 190 "'],
    )
