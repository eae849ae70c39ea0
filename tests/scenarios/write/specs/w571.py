# ruff: noqa: E501
# kubectl output, Envoy/pilot-agent and hand-written log lines are data, kept whole on one line.
"""Kubernetes with Istio: the promo namespace was labelled `istio-injection=enabled` at 16:20
PDT for mesh onboarding; pricing-engine's 16:45 rollout brought sidecars. The mesh keeps
`holdApplicationUntilProxyStarts` off, so pricing-engine starts before istio-proxy is ready:
its one-time load of promotion rules at start-up is refused (connection refused through the
not-yet-listening sidecar) and it carries on with 0 rules. Every promo code is rejected from
16:47. Decoys: Envoy's routine `gRPC config stream closed`, a slow query in promo-rules and slow
address validation in checkout."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events
from records import JsonLines, KubectlTimestamps, Logfmt, Record
from scenes import at, fixed, loud
from traffic import Line, traffic, web_api

PDT = timezone(timedelta(hours=-7))
START = datetime(2026, 10, 14, 23, 0, tzinfo=UTC)
NOW = datetime(2026, 10, 15, 1, 10, tzinfo=UTC)
LABEL = 20.0  # 23:20 UTC = 16:20 PDT
ROLLOUT = 45.0  # 16:45 PDT
NODES = [
    "gke-shop-default-pool-3c9e71a2-4fgt",
    "gke-shop-default-pool-3c9e71a2-9kdw",
    "gke-shop-default-pool-3c9e71a2-rx2m",
]


class PilotAgent:
    """istio-proxy's pilot-agent and Envoy lines as `kubectl logs -c istio-proxy` shows them."""

    def render(self, record: Record) -> list[str]:
        stamp = record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond:06d}Z"
        level = {"WARN": "warning", "ERROR": "error"}.get(record.level, "info")
        return [f"{stamp}\t{level}\t{record.message}"]


def bundle() -> Bundle:
    rng = random.Random(5719)
    total = (NOW - START).total_seconds() / 60
    pod_start = START + timedelta(minutes=ROLLOUT + 1.5)
    app = LogFile("kubectl-logs-pricing-engine-7b5d9c6f48-p2xkq.txt", KubectlTimestamps())

    def quote(r: random.Random) -> Line:
        return (
            "INFO",
            f'level=info msg="quote computed" cart={r.getrandbits(40):010x} items={r.randrange(1, 9)} promo_code={r.choice(["-", "-", "-", "SPRING25", "WELCOME10", "FREESHIP"])} promos_applied=0 took_ms={r.randrange(2, 40)}',
            (),
        )

    app.add(
        traffic(
            rng,
            quote,
            pod_start + timedelta(seconds=30),
            (NOW - pod_start).total_seconds() / 60 - 1,
            1400,
        )
    )
    app.add(
        [
            at(
                pod_start,
                0.0,
                "INFO",
                'level=info msg="pricing-engine 4.3.1 starting" go=go1.22.7 GOMAXPROCS=2',
            ),
            at(
                pod_start,
                0.01,
                "INFO",
                'level=info msg="loading promotion rules" url=http://promo-rules.promo.svc.cluster.local:8080/v1/rules',
            ),
            at(
                pod_start,
                0.02,
                "INFO",
                'level=warn msg="promotion rules unavailable, starting with empty rule set" err="Get \\"http://promo-rules.promo.svc.cluster.local:8080/v1/rules\\": dial tcp 10.12.40.77:8080: connect: connection refused" rules=0',
            ),
            at(pod_start, 0.03, "INFO", 'level=info msg="listening" addr=:8080 grpc=:9090'),
        ]
    )
    proxy = LogFile("kubectl-logs-pricing-engine-7b5d9c6f48-p2xkq-envoy.txt", PilotAgent())
    proxy.add(
        [
            at(pod_start, 0.0, "INFO", 'FLAG: --concurrency="2"'),
            at(
                pod_start,
                0.005,
                "INFO",
                "Version 1.22.3-9d4f1c0e6b5a8f7c2d1e0b9a8c7d6e5f4a3b2c1d-Clean",
            ),
            at(
                pod_start,
                0.02,
                "INFO",
                "Proxy role ips=[10.12.3.41] type=sidecar id=pricing-engine-7b5d9c6f48-p2xkq.promo domain=promo.svc.cluster.local",
            ),
            at(
                pod_start,
                0.03,
                "INFO",
                "Envoy proxy is NOT ready: config not received from XDS server (is Istiod running?): cds updates: 0 successful, 0 rejected; lds updates: 0 successful, 0 rejected",
            ),
            at(pod_start, 0.05, "INFO", "Readiness succeeded in 2.874s"),
            at(pod_start, 0.051, "INFO", "Envoy proxy is ready"),
        ]
    )
    proxy.add(
        loud(
            rng,
            pod_start,
            1,
            (NOW - pod_start).total_seconds() / 60 - 2,
            6,
            fixed(
                "WARN",
                lambda r: (
                    f"xds\tADS: gRPC config stream closed: 13, connection reset, retrying in {r.randrange(50, 900)}ms"
                ),
            ),
        )
    )
    proxy.add(
        loud(
            rng,
            pod_start,
            1,
            (NOW - pod_start).total_seconds() / 60 - 2,
            30,
            fixed(
                "INFO",
                lambda r: (
                    f"xds\tADS: new connection for node:sidecar~10.12.3.41~pricing-engine-7b5d9c6f48-p2xkq.promo~promo.svc.cluster.local-{r.randrange(1, 40)}"
                ),
            ),
        )
    )

    checkout = LogFile("logs/checkout.log", JsonLines("checkout", rng=rng, zone=PDT))
    checkout.add(
        traffic(rng, web_api("checkout", ["carts", "orders", "shipping"]), START, total, 3400)
    )
    checkout.add(
        loud(
            rng,
            START,
            ROLLOUT + 2,
            total - ROLLOUT - 3,
            520,
            fixed(
                "WARN",
                lambda r: (
                    f"promo code {r.choice(['SPRING25', 'WELCOME10', 'FREESHIP', 'VIP30'])} rejected for cart {r.getrandbits(40):010x}: pricing-engine answered PROMO_NOT_FOUND"
                ),
            ),
        )
    )
    checkout.add(
        loud(
            rng,
            START,
            10,
            20,
            9,
            fixed(
                "WARN",
                lambda r: (
                    f"address validation service slow ({r.randrange(1500, 2900)}ms) for postcode {r.choice(['94107', '97205', '98101'])}, continuing without suggestions"
                ),
            ),
        )
    )

    rules = LogFile("logs/promo-rules.log", Logfmt("promo-rules", rng=rng))
    rules.add(traffic(rng, web_api("promo-rules", ["rules", "campaigns"]), START, total, 1200))
    rules.add(
        [
            at(
                START,
                33.0,
                "WARN",
                "slow query 1.41s: SELECT * FROM campaign_rules WHERE active AND starts_at <= now()",
            )
        ]
    )

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    routine = routine_events(
        rng, ["promo-rules", "checkout", "pricing-engine"], 16, NODES, namespace="promo"
    )
    signal = [
        (
            ago(ROLLOUT),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/pricing-engine",
                "Scaled up replica set pricing-engine-7b5d9c6f48 to 1",
            ),
        ),
        (
            ago(ROLLOUT + 1.4),
            (
                "Normal",
                "Started",
                "pod/pricing-engine-7b5d9c6f48-p2xkq",
                "Started container pricing-engine",
            ),
        ),
        (
            ago(ROLLOUT + 1.41),
            (
                "Normal",
                "Started",
                "pod/pricing-engine-7b5d9c6f48-p2xkq",
                "Started container istio-proxy",
            ),
        ),
        (
            ago(ROLLOUT + 1.45),
            (
                "Warning",
                "Unhealthy",
                "pod/pricing-engine-7b5d9c6f48-p2xkq",
                'Readiness probe failed: Get "http://10.12.3.41:15021/healthz/ready": dial tcp 10.12.3.41:15021: connect: connection refused',
            ),
        ),
        (
            ago(ROLLOUT + 2.2),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/pricing-engine",
                "Scaled up replica set pricing-engine-7b5d9c6f48 to 3 from 1",
            ),
        ),
        (
            ago(ROLLOUT + 3),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/pricing-engine",
                "Scaled down replica set pricing-engine-84f6c7d9b5 to 0 from 3",
            ),
        ),
    ]
    events = event_listing(routine, signal)

    pod = Pod(
        name="pricing-engine-7b5d9c6f48-p2xkq",
        namespace="promo",
        node=NODES[1],
        app="pricing-engine",
        ip="10.12.3.41",
        start_time="Wed, 14 Oct 2026 23:46:28 +0000",
        init_containers=[
            Container(
                name="istio-init",
                image="docker.io/istio/proxyv2:1.22.3",
                port="<none>",
                state=["Terminated", "  Reason:       Completed", "  Exit Code:    0"],
            )
        ],
        containers=[
            Container(
                name="pricing-engine",
                image="us-docker.pkg.dev/shop-prod/promo/pricing-engine:4.3.1",
                state=["Running", "  Started:      Wed, 14 Oct 2026 23:46:30 +0000"],
                limits={"memory": "512Mi"},
                requests={"cpu": "250m", "memory": "512Mi"},
            ),
            Container(
                name="istio-proxy",
                image="docker.io/istio/proxyv2:1.22.3",
                port="15090/TCP",
                state=["Running", "  Started:      Wed, 14 Oct 2026 23:46:30 +0000"],
                limits={"cpu": "2", "memory": "1Gi"},
                requests={"cpu": "100m", "memory": "128Mi"},
                probes=[
                    "Readiness:  http-get http://:15021/healthz/ready delay=0s timeout=3s period=15s #success=1 #failure=4"
                ],
            ),
        ],
    )
    described = describe_pod(pod, rng).replace(
        "Annotations:      <none>",
        'Annotations:      istio.io/rev: default\n                  kubectl.kubernetes.io/default-container: pricing-engine\n                  sidecar.istio.io/status: {"initContainers":["istio-init"],"containers":["istio-proxy"],"volumes":["workload-socket","credential-socket","istio-envoy","istio-data","istio-podinfo","istio-token","istiod-ca-cert"]...',
        1,
    )
    mesh = "\n".join(
        [
            "$ kubectl get ns promo --show-labels",
            "NAME    STATUS   AGE    LABELS",
            "promo   Active   418d   istio-injection=enabled,kubernetes.io/metadata.name=promo,team=growth",
            "",
            "$ kubectl get ns promo -o jsonpath='{.metadata.managedFields[?(@.manager==\"kubectl-label\")].time}'",
            "2026-10-14T23:20:11Z",
            "",
            "$ kubectl -n istio-system get configmap istio -o jsonpath='{.data.mesh}'",
            "accessLogFile: /dev/stdout",
            "defaultConfig:",
            "  discoveryAddress: istiod.istio-system.svc:15012",
            "  holdApplicationUntilProxyStarts: false",
            "  tracing:",
            "    zipkin:",
            "      address: zipkin.istio-system:9411",
            "enablePrometheusMerge: true",
            "rootNamespace: istio-system",
            "trustDomain: cluster.local",
            "",
            "$ kubectl -n promo get deploy pricing-engine -o jsonpath='{.spec.template.metadata.annotations}'",
            '{"kubectl.kubernetes.io/restartedAt":"2026-10-14T23:45:02Z"}',
            "",
        ]
    )
    return Bundle(
        question="Since about 16:47 PDT every promo code is rejected at checkout with PROMO_NOT_FOUND, although the codes exist in promo-rules. What is the root cause?",
        category="configuration",
        component="pricing-engine",
        statement="After the promo namespace was enrolled in Istio injection, pricing-engine's 16:45 PDT rollout added sidecars while the mesh leaves holdApplicationUntilProxyStarts false; pricing-engine started before istio-proxy was ready, its one-time load of promotion rules at start-up got connection refused, and it runs with 0 rules, answering PROMO_NOT_FOUND.",
        files={
            "kubectl-logs-pricing-engine-7b5d9c6f48-p2xkq.txt": app.render(),
            "kubectl-logs-pricing-engine-7b5d9c6f48-p2xkq-envoy.txt": proxy.render(),
            "logs/checkout.log": checkout.render(),
            "logs/promo-rules.log": rules.render(),
            "kubectl-get-events.txt": events,
            "kubectl-describe-pod-pricing-engine.txt": described,
            "kubectl-get-outputs.txt": mesh,
        },
        proofs=[
            Proof(
                "kubectl-logs-pricing-engine-7b5d9c6f48-p2xkq.txt",
                "promotion rules unavailable, starting with empty rule set",
            ),
            Proof("kubectl-logs-pricing-engine-7b5d9c6f48-p2xkq-envoy.txt", "Envoy proxy is ready"),
            Proof("kubectl-get-outputs.txt", "holdApplicationUntilProxyStarts: false"),
        ],
        decoys=[
            "gRPC config stream closed: 13",
            "slow query 1.41s: SELECT * FROM campaign_rules",
            "address validation service slow",
        ],
    )
