# ruff: noqa: E501
# kubectl rows and hand-written log lines are data, kept whole on one line.
"""Kubernetes: catalog-api 3.0.0 (rolled out 14:02 UTC) listens on 8000 instead of 8080 (its
chart moved the port and the probes with it, so every pod is Ready), but the catalog-api
Service lives in the platform repo and still sends traffic to `targetPort: 8080`. The endpoints
list the new pods at :8080, where nothing listens: web-bff's calls and ingress-nginx's upstream
connections are refused, the shop's catalog pages answer 502. Decoys: a deprecated-key warning
at catalog-api's start, a Redis failover in web-bff at 13:31, and pricing's 504s before the
release."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, table
from records import NginxError, Record, Zap
from scenes import at, fixed, loud
from traffic import Line, traffic, web_api

START = datetime(2025, 10, 14, 13, 20, tzinfo=UTC)
NOW = datetime(2025, 10, 14, 14, 31, tzinfo=UTC)
RELEASE = 42.0  # minutes after START: 14:02
PODS = [
    "catalog-api-5f8c7b9d64-4wqzr",
    "catalog-api-5f8c7b9d64-b7k2m",
    "catalog-api-5f8c7b9d64-tx9nd",
]
POD_IPS = ["10.42.3.61", "10.42.1.117", "10.42.2.204"]


class IngressAccess:
    """ingress-nginx's default upstream access-log format."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def render(self, record: Record) -> list[str]:
        rng = self.rng
        client = f"{rng.choice([62, 77, 93, 145])}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
        stamp = record.time.strftime("%d/%b/%Y:%H:%M:%S +0000")
        return [f"{client} - - [{stamp}] {record.message} {rng.getrandbits(128):032x}"]


def path(rng: random.Random) -> tuple[str, str]:
    if rng.random() < 0.55:
        return rng.choice(
            [
                f"/api/catalog/items/{rng.randrange(10**5)}",
                "/api/catalog/categories",
                f"/api/catalog/search?q={rng.choice(['lamp', 'desk', 'chair', 'rug'])}",
            ]
        ), "shop-catalog-api-80"
    return rng.choice(
        ["/", "/api/cart", f"/api/price/{rng.randrange(10**5)}", "/static/app.js"]
    ), "shop-web-bff-80"


def ok(rng: random.Random) -> Line:
    url, upstream = path(rng)
    took = rng.randrange(5, 180) / 1000
    ip = (
        rng.choice(["10.42.3.18", "10.42.1.40"])
        if "bff" in upstream
        else f"10.42.{rng.randrange(1, 4)}.{rng.randrange(20, 250)}"
    )
    port = 8080
    return (
        "INFO",
        f'"GET {url} HTTP/1.1" 200 {rng.randrange(300, 40000)} "https://shop.example.org/" "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6)" {rng.randrange(300, 700)} {took:.3f} [{upstream}] [] {ip}:{port} {rng.randrange(300, 40000)} {took - 0.001:.3f} 200',
        (),
    )


def after(rng: random.Random) -> Line:
    url, upstream = path(rng)
    if "catalog" not in upstream:
        return ok(rng)
    ip = rng.choice(POD_IPS)
    return (
        "ERROR",
        f'"GET {url} HTTP/1.1" 502 150 "https://shop.example.org/" "Mozilla/5.0 (Windows NT 10.0; Win64; x64)" {rng.randrange(300, 700)} 0.001 [{upstream}] [] {ip}:8080, {rng.choice(POD_IPS)}:8080, {rng.choice(POD_IPS)}:8080 0, 0, 0 0.000, 0.001, 0.000 502, 502, 502',
        (),
    )


def refused(rng: random.Random) -> Line:
    ip = rng.choice(POD_IPS)
    item = rng.randrange(10**5)
    return (
        "ERROR",
        f'connect() failed (111: Connection refused) while connecting to upstream, client: 10.42.0.{rng.randrange(2, 60)}, server: shop.example.org, request: "GET /api/catalog/items/{item} HTTP/1.1", upstream: "http://{ip}:8080/api/catalog/items/{item}", host: "shop.example.org"',
        (),
    )


def catalog_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.7:
        return (
            "INFO",
            f"request served method=GET path=/api/catalog/items/{rng.randrange(10**5)} status=200 took={rng.randrange(2, 90)}ms",
            (),
        )
    if roll < 0.85:
        return "DEBUG", f"cache hit key=item:{rng.randrange(10**5)}", ()
    return (
        "INFO",
        f"request served method=GET path=/healthz status=200 took={rng.randrange(0, 2)}ms",
        (),
    )


def catalog_after(rng: random.Random) -> Line:
    if rng.random() < 0.8:
        return (
            "INFO",
            f"request served method=GET path=/healthz status=200 took={rng.randrange(0, 2)}ms",
            (),
        )
    return "DEBUG", f"cache refresh of category tree done entries={rng.randrange(400, 460)}", ()


def bff_error(rng: random.Random) -> Line:
    item = rng.randrange(10**5)
    return (
        "ERROR",
        f'catalog lookup failed: Get "http://catalog-api.shop.svc.cluster.local/api/catalog/items/{item}": dial tcp 10.96.181.7:80: connect: connection refused',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(1157)
    total = (NOW - START).total_seconds() / 60
    ingress = LogFile("logs/ingress-nginx-controller.log", IngressAccess(rng))
    ingress.add(traffic(rng, ok, START, RELEASE + 0.5, 2600))
    ingress.add(loud(rng, START, RELEASE + 0.6, total - RELEASE - 0.7, 2300, after))
    ingress_err = LogFile("logs/ingress-nginx-error.log", NginxError(rng))
    ingress_err.add(loud(rng, START, RELEASE + 0.6, total - RELEASE - 0.7, 900, refused))
    ingress_err.add(
        [
            at(
                START,
                4.2,
                "ERROR",
                'upstream timed out (110: Operation timed out) while reading response header from upstream, client: 10.42.0.31, server: shop.example.org, request: "GET /api/price/88121 HTTP/1.1", upstream: "http://10.42.2.19:8080/api/price/88121", host: "shop.example.org"',
            ),
            at(
                START,
                4.9,
                "ERROR",
                'upstream timed out (110: Operation timed out) while reading response header from upstream, client: 10.42.0.44, server: shop.example.org, request: "GET /api/price/1207 HTTP/1.1", upstream: "http://10.42.2.19:8080/api/price/1207", host: "shop.example.org"',
            ),
        ]
    )
    catalog = LogFile(
        f"logs/{PODS[1]}.log", Zap(("server/http.go:118", "cache/tree.go:64"), rng=rng)
    )
    catalog.add(
        [
            at(
                START,
                RELEASE + 0.05,
                "INFO",
                "catalog-api starting version=3.0.0 commit=9c41e2d go=go1.23.2",
                logger="cmd/main.go:41",
            ),
            at(
                START,
                RELEASE + 0.06,
                "WARN",
                "config key cache.ttl is deprecated, use cache.item_ttl",
                logger="config/load.go:88",
            ),
            at(
                START,
                RELEASE + 0.08,
                "INFO",
                "connected to postgres host=catalog-db.shop.svc.cluster.local db=catalog pool_max=20",
                logger="store/pg.go:52",
            ),
            at(
                START,
                RELEASE + 0.1,
                "INFO",
                "http server listening addr=:8000 (PORT from environment)",
                logger="server/http.go:74",
            ),
        ]
    )
    catalog.add(
        traffic(
            rng,
            catalog_after,
            START + timedelta(minutes=RELEASE + 0.2),
            total - RELEASE - 0.3,
            520,
            logger="server/http.go:118",
        )
    )
    bff = LogFile(
        "logs/web-bff.log", Zap(("handlers/page.go:57", "clients/catalog.go:91"), rng=rng)
    )
    bff.add(traffic(rng, web_api("web-bff", ["pages", "carts", "sessions"]), START, total, 2400))
    bff.add(
        loud(
            rng,
            START,
            RELEASE + 0.6,
            total - RELEASE - 0.7,
            700,
            fixed("ERROR", lambda r: bff_error(r)[1]),
        )
    )
    bff.add(
        [
            at(
                START,
                11.1,
                "WARN",
                "redis: connection pool: failed to dial after 1 attempts: dial tcp 10.96.12.40:6379: i/o timeout",
                logger="clients/session.go:33",
            ),
            at(
                START,
                11.4,
                "INFO",
                'redis: sentinel: new master="shop-sessions" addr="10.42.2.55:6379"',
                logger="clients/session.go:29",
            ),
        ]
    )
    pod = Pod(
        name=PODS[1],
        namespace="shop",
        node="gke-shop-pool-2-7d1c3a9e-x2kq",
        app="catalog-api",
        start_time="Tue, 14 Oct 2025 14:02:03 +0000",
        ip=POD_IPS[1],
        labels=[
            "app.kubernetes.io/name=catalog-api",
            "app.kubernetes.io/version=3.0.0",
            "pod-template-hash=5f8c7b9d64",
        ],
        containers=[
            Container(
                name="catalog-api",
                image="europe-west1-docker.pkg.dev/acme-shop/apps/catalog-api:3.0.0",
                state=["Running", "  Started:      Tue, 14 Oct 2025 14:02:06 +0000"],
                port="8000/TCP",
                limits={"memory": "512Mi"},
                requests={"cpu": "250m", "memory": "256Mi"},
                probes=[
                    "Liveness:   http-get http://:8000/healthz delay=10s timeout=1s period=10s #success=1 #failure=3",
                    "Readiness:  http-get http://:8000/healthz delay=3s timeout=1s period=5s #success=1 #failure=3",
                ],
                environment=[
                    "PORT:          8000",
                    "DATABASE_URL:  <set to the key 'url' in secret 'catalog-db'>  Optional: false",
                    "LOG_LEVEL:     info",
                ],
            )
        ],
    )
    pods = [("NAME", "READY", "STATUS", "RESTARTS", "AGE")]
    pods += [(name, "1/1", "Running", "0", "29m") for name in PODS]
    pods += [
        ("web-bff-7c9d5f6b8-8mfzt", "1/1", "Running", "0", "6d"),
        ("web-bff-7c9d5f6b8-kq4lw", "1/1", "Running", "0", "6d"),
        ("pricing-6b7f9c8d5-2vxrn", "1/1", "Running", "1 (71m ago)", "12d"),
        ("catalog-db-0", "1/1", "Running", "0", "63d"),
    ]
    svcs = [("NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE")]
    svcs += [
        ("catalog-api", "ClusterIP", "10.96.181.7", "<none>", "80/TCP", "311d"),
        ("web-bff", "ClusterIP", "10.96.33.140", "<none>", "80/TCP", "311d"),
        ("pricing", "ClusterIP", "10.96.90.12", "<none>", "80/TCP", "201d"),
        ("catalog-db", "ClusterIP", "None", "<none>", "5432/TCP", "311d"),
    ]
    eps = [("NAME", "ENDPOINTS", "AGE")]
    eps += [
        ("catalog-api", ",".join(f"{ip}:8080" for ip in POD_IPS), "311d"),
        ("web-bff", "10.42.3.18:8080,10.42.1.40:8080", "311d"),
        ("pricing", "10.42.2.19:8080", "201d"),
        ("catalog-db", "10.42.2.9:5432", "311d"),
    ]
    describe_svc = [
        "Name:              catalog-api",
        "Namespace:         shop",
        "Labels:            app.kubernetes.io/managed-by=platform-services",
        "Annotations:       argocd.argoproj.io/tracking-id: platform-services:/Service:shop/catalog-api",
        "Selector:          app.kubernetes.io/name=catalog-api",
        "Type:              ClusterIP",
        "IP Family Policy:  SingleStack",
        "IP Families:       IPv4",
        "IP:                10.96.181.7",
        "IPs:               10.96.181.7",
        "Port:              http  80/TCP",
        "TargetPort:        8080/TCP",
        f"Endpoints:         {POD_IPS[0]}:8080,{POD_IPS[1]}:8080,{POD_IPS[2]}:8080",
        "Session Affinity:  None",
        "Events:            <none>",
    ]
    get_text = "\n".join(
        [
            "$ kubectl -n shop get pods",
            *table(pods[0], pods[1:]),
            "",
            "$ kubectl -n shop get svc",
            *table(svcs[0], svcs[1:]),
            "",
            "$ kubectl -n shop get endpoints",
            *table(eps[0], eps[1:]),
            "",
            "$ kubectl -n shop describe svc catalog-api",
            *describe_svc,
            "",
            "$ kubectl -n shop rollout history deploy/catalog-api",
            "deployment.apps/catalog-api",
            "REVISION  CHANGE-CAUSE",
            "17        helm upgrade catalog-api 2.14.2",
            "18        helm upgrade catalog-api 3.0.0",
            "",
        ]
    )
    notes = "\n".join(
        [
            "#inc-shop-catalog  (pasted from Slack)",
            "14:05 alertmanager: ShopCatalog5xx firing, 502 ratio 0.61",
            "14:07 @dana: pods are all green, 3/3 Ready, no restarts. catalog-db looks fine",
            "14:09 @li: pricing had 504s this afternoon too, maybe the same node pool?",
            "14:12 @dana: catalog 3.0.0 went out at 14:02 (Go 1.23 bump, runs as non-root now)",
            "",
        ]
    )
    files = {
        "notes.md": notes,
        "kubectl-get.txt": get_text,
        "kubectl-describe-pod.txt": describe_pod(pod, rng),
        "logs/ingress-nginx-controller.log": ingress.render(),
        "logs/ingress-nginx-error.log": ingress_err.render(),
        f"logs/{PODS[1]}.log": catalog.render(),
        "logs/web-bff.log": bff.render(),
    }
    return Bundle(
        question="Since about 14:02 UTC the shop's catalog pages fail with 502 although every pod is Running and Ready. What is the root cause?",
        category="configuration",
        component="catalog-api",
        statement="catalog-api 3.0.0, rolled out at 14:02 UTC, listens on port 8000, but the catalog-api Service (managed in the platform repo) still has targetPort 8080; its endpoints point at :8080 on the new pods where nothing listens, so web-bff's calls and ingress-nginx's upstream connections are refused and catalog pages return 502.",
        files=files,
        proofs=[
            Proof("kubectl-get.txt", "TargetPort:        8080/TCP"),
            Proof(f"logs/{PODS[1]}.log", "http server listening addr=:8000"),
        ],
        decoys=[
            "config key cache.ttl is deprecated",
            "redis: connection pool: failed to dial",
            "/api/price/88121",
        ],
    )
