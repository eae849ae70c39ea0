# ruff: noqa: E501
# Log lines, kubectl output and YAML are data, kept whole on one line.
"""Kubernetes (EKS, Australia/Sydney): TLS ends at an Application Load Balancer that forwards plain
HTTP with `X-Forwarded-Proto: https` to ingress-nginx. At 21:34 UTC the controller's chart moved
to the new GitOps repository; its values no longer carry `use-forwarded-headers: "true"`, so the
controller ignores the forwarded scheme, believes every request is plain HTTP and answers each one
with a 308 to the same https URL: browsers loop until ERR_TOO_MANY_REDIRECTS. The storefront's
own pods see almost no traffic. Decoys: a missing Service for a legacy Ingress, a slow render in
the storefront, an ALB target deregistration during the rollout."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events
from records import Pino, Record
from scenes import at
from traffic import traffic, web_api

SYD = timezone(timedelta(hours=10))
START = datetime(2026, 7, 14, 20, 50, tzinfo=UTC)
NOW = datetime(2026, 7, 14, 22, 40, tzinfo=UTC)
UPGRADE = 44.0  # 21:34 UTC
PATHS = [
    "/",
    "/c/outdoor",
    "/p/trail-runner-x2",
    "/cart",
    "/api/search?q=tent",
    "/static/app.9f1c.js",
    "/account",
]


class IngressAccess:
    """ingress-nginx's default log-format-upstream, with klog lines for the controller's own messages."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def render(self, record: Record) -> list[str]:
        if record.logger == "klog":
            stamp = record.time.strftime("%m%d %H:%M:%S.") + f"{record.time.microsecond:06d}"
            return [f"{record.level[0]}{stamp}       7 {record.message}"]
        stamp = record.time.strftime("%d/%b/%Y:%H:%M:%S +0000")
        client = f"10.30.{self.rng.randrange(0, 4)}.{self.rng.randrange(2, 250)}"
        return [f"{client} - - [{stamp}] {record.message} {self.rng.getrandbits(128):032x}"]


def controller_config() -> str:
    return """$ helm -n ingress-nginx history ingress-nginx --max 3
REVISION  UPDATED                   STATUS      CHART                 APP VERSION  DESCRIPTION
14        Thu May 28 10:12:40 2026  superseded  ingress-nginx-4.10.1  1.10.1       Upgrade complete
15        Wed Jul 15 07:34:05 2026  deployed    ingress-nginx-4.11.3  1.11.3       Upgrade complete

$ helm -n ingress-nginx get values ingress-nginx --revision 14
USER-SUPPLIED VALUES:
controller:
  config:
    proxy-body-size: 16m
    use-forwarded-headers: "true"
  replicaCount: 3
  service:
    type: NodePort

$ helm -n ingress-nginx get values ingress-nginx --revision 15
USER-SUPPLIED VALUES:
controller:
  config:
    proxy-body-size: 16m
  replicaCount: 3
  service:
    type: NodePort

$ kubectl -n ingress-nginx get configmap ingress-nginx-controller -o yaml
apiVersion: v1
data:
  allow-snippet-annotations: "false"
  proxy-body-size: 16m
kind: ConfigMap
metadata:
  annotations:
    meta.helm.sh/release-name: ingress-nginx
    meta.helm.sh/release-namespace: ingress-nginx
  labels:
    app.kubernetes.io/component: controller
    app.kubernetes.io/name: ingress-nginx
  name: ingress-nginx-controller
  namespace: ingress-nginx

$ curl -sI https://shop.wildtrail.com.au/ | head -4
HTTP/2 308
date: Tue, 14 Jul 2026 22:31:08 GMT
content-type: text/html
location: https://shop.wildtrail.com.au/
"""


def bundle() -> Bundle:
    rng = random.Random(53547)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    def ok(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
        path = r.choice(PATHS)
        size = r.randrange(300, 90000)
        rt = r.randrange(3, 240) / 1000
        pod = f"10.30.{r.randrange(16, 40)}.{r.randrange(2, 250)}:3000"
        return (
            "INFO",
            f'"GET {path} HTTP/1.1" 200 {size} "https://shop.wildtrail.com.au/" "Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X)" {r.randrange(400, 900)} {rt:.3f} [shop-storefront-3000] [] {pod} {size} {rt:.3f} 200',
            (),
        )

    def loop(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
        path = r.choice(PATHS)
        return (
            "INFO",
            f'"GET {path} HTTP/1.1" 308 164 "-" "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/137.0" {r.randrange(400, 900)} 0.000 [shop-storefront-3000] [] - - - - ',
            (),
        )

    access = LogFile("logs/ingress-nginx-controller.log", IngressAccess(rng))
    access.add(traffic(rng, ok, START, UPGRADE, 2300))
    access.add(
        traffic(rng, loop, START + timedelta(minutes=UPGRADE + 0.5), total - UPGRADE - 0.6, 3900)
    )
    access.add(
        traffic(rng, ok, START + timedelta(minutes=UPGRADE + 0.5), total - UPGRADE - 0.6, 40)
    )
    access.add(
        [
            at(
                START,
                12.0,
                "WARN",
                'store.go:613] Error obtaining Endpoints for Service "shop/legacy-admin": no object matching key "shop/legacy-admin" in local store',
                logger="klog",
            ),
            at(
                START,
                UPGRADE + 0.2,
                "INFO",
                'main.go:205] "Creating API client" host="https://172.20.0.1:443"',
                logger="klog",
            ),
            at(
                START,
                UPGRADE + 0.22,
                "INFO",
                'main.go:248] "Running in Kubernetes cluster" major="1" minor="30" git="v1.30.6-eks-7f9249a"',
                logger="klog",
            ),
            at(
                START,
                UPGRADE + 0.3,
                "INFO",
                'controller.go:213] "Backend successfully reloaded"',
                logger="klog",
            ),
            at(
                START,
                UPGRADE + 0.32,
                "INFO",
                'event.go:377] Event(v1.ObjectReference{Kind:"Pod", Namespace:"ingress-nginx", Name:"ingress-nginx-controller-6c8d7f4b9-rq5zt"}): type: \'Normal\' reason: \'RELOAD\' NGINX reload triggered due to a change in configuration',
                logger="klog",
            ),
        ]
    )

    shop = LogFile("logs/shop-storefront.log", Pino("shop-storefront-7d9c8b5f6-m2x4k", rng=rng))
    shop.add(
        traffic(
            rng, web_api("shop-storefront", ["products", "carts", "sessions"]), START, UPGRADE, 1800
        )
    )
    shop.add(
        traffic(
            rng,
            web_api("shop-storefront", ["products", "carts", "sessions"]),
            START + timedelta(minutes=UPGRADE),
            total - UPGRADE,
            35,
        )
    )
    shop.add([at(START, 29.0, "WARN", "slow render /c/outdoor: 1840ms (product grid 96 items)")])

    routine = routine_events(
        rng,
        ["ingress-nginx-controller"],
        6,
        [
            "ip-10-30-2-77.ap-southeast-2.compute.internal",
            "ip-10-30-3-140.ap-southeast-2.compute.internal",
        ],
        namespace="ingress-nginx",
    )
    signal = [
        (
            ago(UPGRADE),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/ingress-nginx-controller",
                "Scaled up replica set ingress-nginx-controller-6c8d7f4b9 to 1",
            ),
        ),
        (
            ago(UPGRADE) - 30,
            (
                "Normal",
                "RELOAD",
                "pod/ingress-nginx-controller-6c8d7f4b9-rq5zt",
                "NGINX reload triggered due to a change in configuration",
            ),
        ),
        (
            ago(UPGRADE) - 50,
            (
                "Normal",
                "DeregisteredTarget",
                "targetgroupbinding/k8s-ingressn-ingressn-4be1c07a2d",
                "Deregistered target 10.30.2.91:80 (draining 30s)",
            ),
        ),
    ]
    events = "$ kubectl -n ingress-nginx get events --sort-by=.lastTimestamp\n" + event_listing(
        routine, signal
    )

    return Bundle(
        question="Since about 7:35 this morning (Sydney) customers get 'too many redirects' on shop.wildtrail.com.au; the storefront pods are healthy. What is the root cause?",
        category="configuration",
        component="ingress-nginx-controller",
        statement='The ingress-nginx chart moved to new values without use-forwarded-headers: "true", so the controller ignores the load balancer\'s X-Forwarded-Proto: https, treats every request as plain HTTP and answers it with a 308 to the same https URL, an endless redirect loop.',
        files={
            "ingress-nginx-config.txt": controller_config(),
            "kubectl-get-events.txt": events,
            access.name: "$ kubectl -n ingress-nginx logs deploy/ingress-nginx-controller --since=2h\n"
            + access.render(),
            shop.name: shop.render(),
        },
        proofs=[
            Proof("ingress-nginx-config.txt", '    use-forwarded-headers: "true"'),
            Proof("ingress-nginx-config.txt", "--revision 15", "    type: NodePort"),
            Proof(
                "ingress-nginx-config.txt", "HTTP/2 308", "location: https://shop.wildtrail.com.au/"
            ),
        ],
        decoys=["shop/legacy-admin", "slow render", "DeregisteredTarget"],
    )
