# ruff: noqa: E501
# kubectl output, klog lines, pipeline output and hand-written log lines are data, kept whole on one line.
"""Kubernetes/ingress-nginx: checkout runs a stable Deployment and a canary (`checkout-canary`,
5.2.0-rc3) behind an ingress-nginx canary Ingress at weight 10. At 09:14 CET a pipeline's
promotion step, run against the wrong stage, overwrote `canary-weight` to "100"; the
controller reloaded and every checkout request now goes to the rc3 build, which throws a
NullPointerException for orders paid (partly) with a gift card. About 18% of checkouts fail
with 500. Stable checkout's log just goes quiet. Decoys: a HikariCP housekeeper warning in the
canary, a payment provider latency warning in stable checkout, and the controller's missing
Endpoints error for another service."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from records import NginxAccess, Record, SpringBoot
from scenes import at, fixed, java_trace, loud
from traffic import traffic, web_api

CET = timezone(timedelta(hours=1))
START = datetime(2026, 11, 18, 7, 30, tzinfo=UTC)  # 08:30 CET
MINUTES = 120.0
FLIP = 44.0


class Klog:
    """ingress-nginx controller's klog lines as `kubectl logs` shows them."""

    def render(self, record: Record) -> list[str]:
        mark = {"INFO": "I", "WARN": "W", "ERROR": "E"}.get(record.level, "I")
        return [f"{mark}{record.time.strftime('%m%d %H:%M:%S.%f')}       7 {record.message}"]


def access(canary_share: float):
    def line(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
        path, method = rng.choice(
            [
                ("/checkout/cart", "GET"),
                ("/checkout/shipping", "POST"),
                ("/checkout/confirm", "POST"),
                ("/checkout/summary", "GET"),
            ]
        )
        canary = rng.random() < canary_share
        upstream = "shop-checkout-canary-8080" if canary else "shop-checkout-8080"
        ip = f"10.8.{rng.choice([14, 15]) if canary else rng.choice([3, 4, 5])}.{rng.randrange(2, 250)}:8080"
        took = max(0.01, rng.lognormvariate(0, 0.5) * 0.09)
        return (
            "INFO",
            f'"{method} {path} HTTP/2.0" 200 {rng.randrange(400, 9000)} "https://shop.example.eu/cart" "Mozilla/5.0" {rng.randrange(80, 900)} {took:.3f} [{upstream}] [] {ip} {rng.randrange(400, 9000)} {took:.3f} 200 {rng.getrandbits(128):032x}',
            (),
        )

    return line


def bundle() -> Bundle:
    rng = random.Random(38407)
    ing = LogFile("kubectl-logs-ingress-nginx-controller.txt", NginxAccess(rng, zone=CET))
    ing.add(traffic(rng, access(0.1), START, FLIP, 1900))
    ing.add(loud(rng, START, FLIP + 0.1, MINUTES - FLIP - 0.1, 3300, access(1.0)))
    ing.add(
        loud(
            rng,
            START,
            FLIP + 0.5,
            MINUTES - FLIP - 1,
            610,
            fixed(
                "INFO",
                lambda r: (
                    f'"POST /checkout/confirm HTTP/2.0" 500 212 "https://shop.example.eu/checkout/summary" "Mozilla/5.0" {r.randrange(300, 900)} 0.0{r.randrange(40, 99)} [shop-checkout-canary-8080] [] 10.8.{r.choice([14, 15])}.{r.randrange(2, 250)}:8080 212 0.0{r.randrange(40, 99)} 500 {r.getrandbits(128):032x}'
                ),
            ),
        )
    )
    ctrl = LogFile("kubectl-logs-ingress-nginx-controller-klog.txt", Klog())
    ctrl.add(
        [
            at(
                START,
                12.0,
                "ERROR",
                'controller.go:1112] Error obtaining Endpoints for Service "shop/newsletter": no object matching key "shop/newsletter" in local store',
            ),
            at(
                START,
                FLIP - 0.05,
                "INFO",
                'event.go:377] Event(v1.ObjectReference{Kind:"Ingress", Namespace:"shop", Name:"checkout-canary", UID:"5b8e2c1f-7a0d-4c93-9e61-2f4d8b0a7c35", APIVersion:"networking.k8s.io/v1", ResourceVersion:"918273645", FieldPath:""}): type: \'Normal\' reason: \'Sync\' Scheduled for sync',
            ),
            at(
                START,
                FLIP - 0.04,
                "INFO",
                'controller.go:193] "Configuration changes detected, backend reload required"',
            ),
            at(START, FLIP - 0.03, "INFO", 'controller.go:213] "Backend successfully reloaded"'),
            at(
                START,
                97.0,
                "ERROR",
                'controller.go:1112] Error obtaining Endpoints for Service "shop/newsletter": no object matching key "shop/newsletter" in local store',
            ),
        ]
    )

    canary = LogFile(
        "kubectl-logs-checkout-canary.txt",
        SpringBoot(
            (
                "e.s.checkout.ConfirmController",
                "e.s.checkout.pay.TenderSplitter",
                "com.zaxxer.hikari.pool.HikariPool",
            ),
            rng=rng,
            zone=CET,
        ),
    )
    canary.add(traffic(rng, web_api("checkout-canary", ["orders", "carts"]), START, FLIP, 150))
    canary.add(
        traffic(
            rng,
            web_api("checkout-canary", ["orders", "carts"]),
            START + timedelta(minutes=FLIP),
            MINUTES - FLIP,
            2500,
        )
    )
    canary.add(
        [
            at(
                START,
                71.0,
                "WARN",
                "HikariPool-1 - Thread starvation or clock leap detected (housekeeper delta=1m2s183ms).",
                logger="com.zaxxer.hikari.pool.HikariPool",
            )
        ]
    )
    canary.add(
        loud(
            rng,
            START,
            FLIP + 0.5,
            MINUTES - FLIP - 1,
            610,
            fixed(
                "ERROR",
                lambda r: (
                    f'Servlet.service() for servlet [dispatcherServlet] threw exception [Request processing failed: java.lang.NullPointerException: Cannot invoke "java.math.BigDecimal.subtract(java.math.BigDecimal)" because "giftCard.remaining" is null] order=ORD-{r.randrange(10**7)}'
                ),
                lambda r: java_trace(
                    'java.lang.NullPointerException: Cannot invoke "java.math.BigDecimal.subtract(java.math.BigDecimal)" because "giftCard.remaining" is null',
                    [
                        "e.s.checkout.pay.TenderSplitter.split(TenderSplitter.java:88)",
                        "e.s.checkout.ConfirmController.confirm(ConfirmController.java:61)",
                        "java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)",
                    ],
                    more=96,
                ),
            ),
        )
    )

    stable = LogFile(
        "kubectl-logs-checkout.txt",
        SpringBoot(
            ("e.s.checkout.ConfirmController", "e.s.checkout.pay.PaymentClient"), rng=rng, zone=CET
        ),
    )
    stable.add(traffic(rng, web_api("checkout", ["orders", "carts"]), START, FLIP, 1800))
    stable.add(
        traffic(
            rng,
            web_api("checkout", ["orders", "carts"]),
            START + timedelta(minutes=FLIP),
            MINUTES - FLIP,
            20,
        )
    )
    stable.add(
        [
            at(
                START,
                20.0,
                "WARN",
                "payment provider PSP-Adyx p99 latency 1840 ms over last 5 min (threshold 1500 ms)",
                logger="e.s.checkout.pay.PaymentClient",
            )
        ]
    )

    pasted = "\n".join(
        [
            "$ kubectl -n shop get ingress checkout checkout-canary -o yaml | grep -v -e managedFields -e uid -e creationTimestamp",
            "apiVersion: v1",
            "items:",
            "- apiVersion: networking.k8s.io/v1",
            "  kind: Ingress",
            "  metadata:",
            "    annotations:",
            "      nginx.ingress.kubernetes.io/proxy-body-size: 2m",
            "    name: checkout",
            "    namespace: shop",
            '    resourceVersion: "901552310"',
            "  spec:",
            "    ingressClassName: nginx",
            "    rules:",
            "    - host: shop.example.eu",
            "      http:",
            "        paths:",
            "        - backend:",
            "            service:",
            "              name: checkout",
            "              port:",
            "                number: 8080",
            "          path: /checkout",
            "          pathType: Prefix",
            "- apiVersion: networking.k8s.io/v1",
            "  kind: Ingress",
            "  metadata:",
            "    annotations:",
            '      nginx.ingress.kubernetes.io/canary: "true"',
            '      nginx.ingress.kubernetes.io/canary-weight: "100"',
            "      nginx.ingress.kubernetes.io/proxy-body-size: 2m",
            "    name: checkout-canary",
            "    namespace: shop",
            '    resourceVersion: "918273645"',
            "  spec:",
            "    ingressClassName: nginx",
            "    rules:",
            "    - host: shop.example.eu",
            "      http:",
            "        paths:",
            "        - backend:",
            "            service:",
            "              name: checkout-canary",
            "              port:",
            "                number: 8080",
            "          path: /checkout",
            "          pathType: Prefix",
            "kind: List",
            "",
            "$ kubectl -n shop get deploy -l app.kubernetes.io/part-of=checkout -o wide",
            "NAME              READY   UP-TO-DATE   AVAILABLE   AGE   CONTAINERS   IMAGES                                       SELECTOR",
            "checkout          6/6     6            6           2y    checkout     registry.example.eu/shop/checkout:5.1.4      app=checkout",
            "checkout-canary   2/2     2            2           6d    checkout     registry.example.eu/shop/checkout:5.2.0-rc3  app=checkout-canary",
            "",
            "$ # release pipeline, job 'promote-canary' (started 09:13:52 CET)",
            "+ STAGE=${PROMOTE_STAGE:-100}",
            "+ kubectl -n shop annotate ingress checkout-canary nginx.ingress.kubernetes.io/canary-weight=100 --overwrite",
            "ingress.networking.k8s.io/checkout-canary annotated",
            "+ echo 'canary at 100% - run verify stage next'",
            "canary at 100% - run verify stage next",
            "",
        ]
    )
    return Bundle(
        question="Since about 09:15 CET roughly one checkout confirmation in five fails with a 500. Nothing was deployed today. What is the root cause?",
        category="deployment",
        component="checkout-canary",
        statement="At 09:14 CET the promote-canary job set the checkout-canary Ingress's `canary-weight` to 100 (PROMOTE_STAGE defaulted to 100), so ingress-nginx sends all checkout traffic to the 5.2.0-rc3 canary, whose TenderSplitter throws a NullPointerException on gift-card payments; those confirmations fail with 500.",
        files={
            "kubectl-and-pipeline.txt": pasted,
            "kubectl-logs-ingress-nginx-controller.txt": ing.render(),
            "kubectl-logs-ingress-nginx-controller-klog.txt": ctrl.render(),
            "kubectl-logs-checkout-canary.txt": canary.render(),
            "kubectl-logs-checkout.txt": stable.render(),
        },
        proofs=[
            Proof("kubectl-and-pipeline.txt", 'canary-weight: "100"'),
            Proof(
                "kubectl-and-pipeline.txt",
                "annotate ingress checkout-canary nginx.ingress.kubernetes.io/canary-weight=100",
            ),
        ],
        decoys=[
            "Thread starvation or clock leap detected",
            "payment provider PSP-Adyx p99 latency",
            'Error obtaining Endpoints for Service "shop/newsletter"',
        ],
    )
