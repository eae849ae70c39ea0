# ruff: noqa: E501
# kubectl output and ingress-nginx access lines are data, kept whole on one line.
"""Kubernetes: the storefront chart 4.0.0 (helm upgrade at 16:03 UTC) moved its Ingress from
networking.k8s.io/v1beta1 to v1 and wrote `pathType: Exact` for the `/api` path that used to
match as a prefix. ingress-nginx now routes only the literal `/api` to storefront-api; every
`/api/...` request falls through to the default backend and gets 404. The mobile app and the
web shop fail loudly. Decoys: storefront-api's own slow query warning, 401s for expired mobile
tokens (old), and an ingress-nginx reload warning about a deprecated annotation."""

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from records import Record, SpringBoot
from scenes import at, loud
from traffic import traffic, web_api

START = datetime(2026, 9, 15, 15, 20, tzinfo=UTC)
NOW = datetime(2026, 9, 15, 16, 50, tzinfo=UTC)
UPGRADE = 43.0  # 16:03
BACKENDS = ["10.42.3.118:8080", "10.42.5.61:8080", "10.42.1.240:8080"]
AGENTS = [
    "Shop/6.18.2 (iPhone; iOS 19.0)",
    "Shop/6.18.1 (Android 15; SM-S921B)",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/140.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 Safari/605.1.15",
]


@dataclass
class IngressNginx:
    """ingress-nginx's default log-format-upstream; the message is the part after the time."""

    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def render(self, record: Record) -> list[str]:
        if record.logger == "error":
            stamp = record.time.strftime("%m%d %H:%M:%S.") + f"{record.time.microsecond:06d}"
            return [f"{record.level[0]}{stamp}       7 {record.message}"]
        client = f"{self.rng.choice([81, 85, 91, 176, 188])}.{self.rng.randrange(256)}.{self.rng.randrange(256)}.{self.rng.randrange(1, 255)}"
        stamp = record.time.strftime("%d/%b/%Y:%H:%M:%S +0000")
        return [f"{client} - - [{stamp}] {record.message} {self.rng.getrandbits(128):032x}"]


def ok(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    roll = rng.random()
    agent = rng.choice(AGENTS)
    if roll < 0.7:
        path = rng.choice(
            [
                f"/api/products/{rng.randrange(10**5)}",
                "/api/cart",
                f"/api/search?q={rng.choice(['boots', 'lamp', 'desk', 'jacket'])}",
                "/api/recommendations",
                f"/api/orders/{rng.randrange(10**7)}",
            ]
        )
        status = rng.choices([200, 201, 304, 404, 401], [80, 6, 8, 3, 3])[0]
        seconds = rng.randrange(4, 180) / 1000
        up = rng.choice(BACKENDS)
        return (
            "INFO",
            f'"GET {path} HTTP/2.0" {status} {rng.randrange(200, 40000)} "https://shop.example.com/" "{agent}" {rng.randrange(40, 600)} {seconds:.3f} [web-storefront-api-8080] [] {up} {rng.randrange(200, 40000)} {seconds - 0.001:.3f} {status}',
            (),
        )
    path = rng.choice(
        ["/static/app.9c1f.js", "/static/app.9c1f.css", f"/static/img/{rng.randrange(10**4)}.webp"]
    )
    seconds = rng.randrange(1, 30) / 1000
    return (
        "INFO",
        f'"GET {path} HTTP/2.0" 200 {rng.randrange(2000, 300000)} "https://shop.example.com/" "{agent}" {rng.randrange(40, 600)} {seconds:.3f} [web-storefront-cdn-80] [] 10.42.2.{rng.randrange(10, 40)}:80 {rng.randrange(2000, 300000)} {seconds:.3f} 200',
        (),
    )


def broken(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    path = rng.choice(
        [
            f"/api/products/{rng.randrange(10**5)}",
            "/api/cart",
            f"/api/search?q={rng.choice(['boots', 'lamp', 'desk', 'jacket'])}",
            f"/api/orders/{rng.randrange(10**7)}",
            "/api/cart/items",
        ]
    )
    method = "POST" if path == "/api/cart/items" else "GET"
    return (
        "INFO",
        f'"{method} {path} HTTP/2.0" 404 548 "https://shop.example.com/" "{rng.choice(AGENTS)}" {rng.randrange(40, 600)} 0.001 [upstream-default-backend] [] 127.0.0.1:8181 548 0.001 404',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(2430)
    total = (NOW - START).total_seconds() / 60
    edge = LogFile("logs/ingress-nginx-controller.log", IngressNginx(rng=rng))
    edge.add(traffic(rng, ok, START, UPGRADE, 2600))
    after = traffic(rng, ok, START + timedelta(minutes=UPGRADE), total - UPGRADE, 1900)
    edge.add([record for record in after if "/api/" not in record.message])
    edge.add(loud(rng, START, UPGRADE + 0.1, total - UPGRADE - 0.2, 2200, broken))
    edge.add(
        [
            Record(
                START + timedelta(minutes=UPGRADE - 0.02),
                "INFO",
                'event.go:377] Event(v1.ObjectReference{Kind:"Ingress", Namespace:"web", Name:"storefront-api", UID:"b17e4c2a-58d0-4f93-a6c1-0e9d7f3b2a85", APIVersion:"networking.k8s.io/v1", ResourceVersion:"88201942", FieldPath:""}): type: \'Normal\' reason: \'Sync\' Scheduled for sync',
                (),
                "error",
            ),
            Record(
                START + timedelta(minutes=UPGRADE),
                "INFO",
                'controller.go:190] "Configuration changes detected, backend reload required"',
                (),
                "error",
            ),
            Record(
                START + timedelta(minutes=UPGRADE + 0.01),
                "WARN",
                'annotations.go:  ] "annotation nginx.ingress.kubernetes.io/configuration-snippet is deprecated and will be ignored when allow-snippet-annotations is false" ingress="web/storefront-cdn"'.replace(
                    "annotations.go:  ]", "validators.go:104]"
                ),
                (),
                "error",
            ),
            Record(
                START + timedelta(minutes=UPGRADE + 0.03),
                "INFO",
                'controller.go:210] "Backend successfully reloaded"',
                (),
                "error",
            ),
        ]
    )

    api = LogFile(
        "logs/storefront-api.log",
        SpringBoot(("c.s.api.ProductController", "c.s.api.CartController", "o.h.SQL"), rng=rng),
    )
    api.add(
        traffic(
            rng, web_api("storefront-api", ["products", "cart", "orders"]), START, UPGRADE, 2100
        )
    )
    api.add(
        traffic(
            rng,
            web_api("storefront-api", ["products"]),
            START + timedelta(minutes=UPGRADE),
            total - UPGRADE,
            60,
        )
    )
    api.add(
        [
            at(
                START,
                21.5,
                "WARN",
                "slow query 1312ms: select p.* from product p join stock s on s.product_id = p.id where s.warehouse = ? order by p.rank",
                logger="o.h.SQL",
            ),
            at(
                START,
                8.1,
                "WARN",
                "401 Unauthorized: mobile token expired for device 4f81c2 (issued 2026-08-15), client must re-login",
                logger="c.s.api.CartController",
            ),
        ]
    )

    get = "\n".join(
        [
            "$ kubectl -n web describe ingress storefront-api",
            "Name:             storefront-api",
            "Labels:           app.kubernetes.io/instance=storefront",
            "                  app.kubernetes.io/managed-by=Helm",
            "                  helm.sh/chart=storefront-4.0.0",
            "Namespace:        web",
            "Address:          34.141.72.19",
            "Ingress Class:    nginx",
            "Default backend:  <default>",
            "TLS:",
            "  shop-example-com-tls terminates shop.example.com",
            "Rules:",
            "  Host              Path  Backends",
            "  ----              ----  --------",
            "  shop.example.com",
            "                    /api      storefront-api:8080 (10.42.3.118:8080,10.42.5.61:8080,10.42.1.240:8080)",
            "                    /static   storefront-cdn:80 (10.42.2.17:80,10.42.2.31:80)",
            "Annotations:       cert-manager.io/cluster-issuer: letsencrypt-prod",
            "                   meta.helm.sh/release-name: storefront",
            "                   meta.helm.sh/release-namespace: web",
            "                   nginx.ingress.kubernetes.io/proxy-body-size: 8m",
            "Events:",
            "  Type    Reason  Age                 From                      Message",
            "  ----    ------  ----                ----                      -------",
            "  Normal  Sync    47m (x3 over 211d)  nginx-ingress-controller  Scheduled for sync",
            "",
            '$ kubectl -n web get ingress storefront-api -o jsonpath=\'{range .spec.rules[*].http.paths[*]}{.path}{"\\t"}{.pathType}{"\\t"}{.backend.service.name}{"\\n"}{end}\'',
            "/api\tExact\tstorefront-api",
            "/static\tPrefix\tstorefront-cdn",
            "",
            "$ helm -n web history storefront --max 2",
            "REVISION\tUPDATED                 \tSTATUS    \tCHART           \tAPP VERSION\tDESCRIPTION",
            "57      \tTue Sep  8 10:12:44 2026\tsuperseded\tstorefront-3.9.2\t2.31.0     \tUpgrade complete",
            "58      \tTue Sep 15 16:03:02 2026\tdeployed  \tstorefront-4.0.0\t2.31.0     \tUpgrade complete",
            "",
        ]
    )
    return Bundle(
        question="Since about 16:05 UTC the shop and the mobile app show 'not found' on every product and the cart. storefront-api pods are up. What changed?",
        category="configuration",
        component="storefront-api",
        statement="The storefront chart 4.0.0 applied at 16:03 UTC rewrote the storefront-api Ingress for networking.k8s.io/v1 with pathType: Exact on /api, so ingress-nginx sends every /api/... request to the default backend, which answers 404.",
        files={
            "logs/ingress-nginx-controller.log": edge.render(),
            "logs/storefront-api.log": api.render(),
            "kubectl-ingress.txt": get,
        },
        proofs=[Proof("kubectl-ingress.txt", "/api\tExact\tstorefront-api")],
        decoys=[
            "slow query 1312ms",
            "mobile token expired for device 4f81c2",
            "configuration-snippet is deprecated",
        ],
    )
