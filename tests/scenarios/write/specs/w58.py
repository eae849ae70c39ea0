# ruff: noqa: E501
# Hand-written log lines and kubectl rows are data, kept whole on one line.
"""The istio-proxy sidecar of the payments pods is OOMKilled at its 256Mi limit since the mesh
config it loads grew; each kill cuts payments off, while payments blames its database and
checkout blames payments."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events, table
from records import JsonLines, SpringBoot
from scenes import fixed, java_trace, loud
from traffic import traffic, web_api

START = datetime(2025, 11, 3, 13, 0, tzinfo=UTC)
NODES = [
    "aks-app-31870512-vmss000004",
    "aks-app-31870512-vmss000007",
    "aks-app-31870512-vmss00000a",
    "aks-app-31870512-vmss00000c",
]
POD = "payments-58d4c7f9b6-w7qzn"


def top_containers() -> str:
    rows = [
        (POD, "payments", "212m", "688Mi"),
        (POD, "istio-proxy", "388m", "251Mi"),
        ("payments-58d4c7f9b6-9hkt2", "payments", "198m", "702Mi"),
        ("payments-58d4c7f9b6-9hkt2", "istio-proxy", "402m", "249Mi"),
        ("checkout-7f6b5c4d9-x2lmr", "checkout", "141m", "412Mi"),
        ("checkout-7f6b5c4d9-x2lmr", "istio-proxy", "96m", "118Mi"),
        ("ledger-6d8c9b7f5-t4nqp", "ledger", "77m", "388Mi"),
        ("ledger-6d8c9b7f5-t4nqp", "istio-proxy", "61m", "109Mi"),
    ]
    return "\n".join(table(("POD", "NAME", "CPU(cores)", "MEMORY(bytes)"), rows)) + "\n"


def bundle() -> Bundle:
    rng = random.Random(158)
    app = Container(
        name="payments",
        image="acmeregistry.azurecr.io/payments:5.14.2",
        state=["Running", "  Started:      Mon, 03 Nov 2025 08:02:19 +0000"],
        limits={"cpu": "1", "memory": "1536Mi"},
        requests={"cpu": "250m", "memory": "768Mi"},
        probes=[
            "Readiness:  http-get http://:15020/app-health/payments/readyz delay=10s timeout=2s period=10s #success=1 #failure=3"
        ],
        environment=[
            "SPRING_PROFILES_ACTIVE:  prod",
            "DB_HOST:                 payments-db.payments.svc.cluster.local",
        ],
    )
    proxy = Container(
        name="istio-proxy",
        image="docker.io/istio/proxyv2:1.22.3",
        state=["Running", "  Started:      Mon, 03 Nov 2025 13:41:56 +0000"],
        last_state=[
            "Terminated",
            "  Reason:       OOMKilled",
            "  Exit Code:    137",
            "  Started:      Mon, 03 Nov 2025 13:33:12 +0000",
            "  Finished:     Mon, 03 Nov 2025 13:41:54 +0000",
        ],
        ready=True,
        restarts=17,
        limits={"cpu": "2", "memory": "256Mi"},
        requests={"cpu": "100m", "memory": "128Mi"},
        probes=[
            "Readiness:  http-get http://:15021/healthz/ready delay=0s timeout=3s period=15s #success=1 #failure=4"
        ],
        environment=[
            "ISTIO_META_CLUSTER_ID:  Kubernetes",
            'PROXY_CONFIG:           {"concurrency":2}',
        ],
        port="15090/TCP",
    )
    pod = Pod(
        name=POD,
        namespace="payments",
        node=NODES[1],
        app="payments",
        containers=[app, proxy],
        start_time="Mon, 03 Nov 2025 08:02:11 +0000",
        ip="10.244.7.41",
        labels=[
            "app=payments",
            "pod-template-hash=58d4c7f9b6",
            "security.istio.io/tlsMode=istio",
            "service.istio.io/canonical-name=payments",
        ],
        events=[
            (
                "Warning",
                "Unhealthy",
                "19m (x23 over 5h)",
                "kubelet",
                'Readiness probe failed: Get "http://10.244.7.41:15021/healthz/ready": dial tcp 10.244.7.41:15021: connect: connection refused',
            ),
            (
                "Normal",
                "Pulled",
                "19m (x18 over 5h)",
                "kubelet",
                'Container image "docker.io/istio/proxyv2:1.22.3" already present on machine',
            ),
            ("Normal", "Started", "19m (x18 over 5h)", "kubelet", "Started container istio-proxy"),
        ],
    )
    routine = routine_events(
        rng, ["checkout", "ledger", "payments", "risk"], 610, NODES, namespace="payments"
    )
    signal = [
        (
            2390,
            (
                "Warning",
                "BackOff",
                "pod/risk-5b9d8c7f6-m3kq8",
                "Back-off restarting failed container risk in pod risk-5b9d8c7f6-m3kq8_payments(8a1f2e3d-4c5b-4a69-8d7e-1f2a3b4c5d6e)",
            ),
        ),
        (1460, ("Normal", "Started", f"pod/{POD}", "Started container istio-proxy")),
        (
            1140,
            (
                "Warning",
                "Unhealthy",
                f"pod/{POD}",
                'Readiness probe failed: Get "http://10.244.7.41:15021/healthz/ready": dial tcp 10.244.7.41:15021: connect: connection refused',
            ),
        ),
        (
            900,
            (
                "Warning",
                "FailedGetResourceMetric",
                "horizontalpodautoscaler/checkout",
                "failed to get cpu utilization: did not receive metrics for targeted pods (pods might be unready)",
            ),
        ),
    ]
    payments = LogFile(
        "payments.log",
        SpringBoot(
            (
                "c.a.payments.api.ChargeController",
                "c.a.payments.ledger.LedgerClient",
                "o.s.web.servlet.DispatcherServlet",
            ),
            rng=rng,
        ),
    )
    payments.add(
        traffic(rng, web_api("payments", ["charges", "refunds", "methods"]), START, 45, 1620)
    )
    payments.add(
        loud(
            rng,
            START,
            2,
            42,
            168,
            fixed(
                "ERROR",
                lambda r: f"charge {r.getrandbits(40):010x} failed: could not reach ledger",
                lambda r: java_trace(
                    'org.springframework.web.client.ResourceAccessException: I/O error on POST request for "http://ledger.payments.svc.cluster.local:8080/v1/entries": Connection refused',
                    [
                        "org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:905)",
                        "c.a.payments.ledger.LedgerClient.post(LedgerClient.java:61)",
                    ],
                    [
                        "java.net.ConnectException: Connection refused",
                        "java.base/sun.nio.ch.Net.pollConnect(Native Method)",
                    ],
                    more=48,
                ),
            ),
        )
    )
    payments.add(
        loud(
            rng,
            START,
            2.5,
            42,
            131,
            fixed(
                "WARN",
                lambda r: (
                    f"HikariPool-1 - Failed to validate connection org.postgresql.jdbc.PgConnection@{r.getrandbits(28):07x} (This connection has been closed.). Possibly consider using a shorter maxLifetime value."
                ),
            ),
        )
    )
    checkout = LogFile(
        "checkout.log",
        JsonLines("checkout", ("time", "severity", "message"), lower_level=False, rng=rng),
    )
    checkout.add(
        traffic(rng, web_api("checkout", ["orders", "payments", "carts"]), START, 45, 1390)
    )
    checkout.add(
        loud(
            rng,
            START,
            2,
            42,
            402,
            fixed(
                "ERROR",
                lambda r: (
                    f"payment for order {r.randrange(10**7)} failed: upstream connect error or disconnect/reset before headers. retried and the latest reset reason: remote connection failure, transport failure reason: delayed connect error: 111 (HTTP 503 from payments)"
                ),
            ),
        )
    )
    return Bundle(
        question="payments keeps failing in bursts since this morning and checkout shows 503s from it, but the payments container never restarts. What's going on?",
        category="memory",
        component="payments",
        statement="The istio-proxy sidecar in the payments pods is OOMKilled at its 256Mi memory limit (17 restarts), and every kill cuts the pod's inbound and outbound traffic until the proxy is back.",
        files={
            "describe-pod.txt": describe_pod(pod, rng),
            "top-pod-containers.txt": top_containers(),
            "events.txt": event_listing(routine, signal),
            "payments.log": payments.render(),
            "checkout.log": checkout.render(),
        },
        proofs=[
            Proof("describe-pod.txt", "Reason:       OOMKilled", "Exit Code:    137"),
            Proof("top-pod-containers.txt", f"{POD}   istio-proxy"),
        ],
        decoys=[
            "Connection refused",
            "HikariPool-1 - Failed to validate connection",
            "upstream connect error or disconnect/reset before headers",
        ],
    )
