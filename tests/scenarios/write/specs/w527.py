# ruff: noqa: E501
# kubectl output and hand-written log lines are data, kept whole on one line.
"""Kubernetes: Kyverno's admission controller runs with the chart's 384Mi memory limit; the
cluster's object count has grown and since 11:06 UTC it is OOMKilled shortly after every start
(CrashLoopBackOff). Its webhooks have `failurePolicy: Fail`, so with no endpoint behind
kyverno-svc every pod creation is rejected. At the lunchtime peak the checkout HPA asks for
more replicas; the ReplicaSet's creates fail (`failed calling webhook ... no endpoints
available for service "kyverno-svc"`) and checkout, stuck at 4 pods, answers slowly and with
503s at the ingress. Decoys: Kyverno's audit-mode policy violations, checkout's slow
payment-provider calls, and the HPA's scaling events themselves."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events, table
from records import JsonLines, KubectlTimestamps, Record
from scenes import at, loud
from traffic import Line, traffic, web_api

START = datetime(2026, 8, 14, 10, 5, tzinfo=UTC)
NOW = datetime(2026, 8, 14, 12, 26, tzinfo=UTC)
FIRST_OOM = 61.0  # 11:06
PEAK = 88.0  # 11:33
NODES = [
    "aks-user-31884602-vmss000004",
    "aks-user-31884602-vmss000007",
    "aks-user-31884602-vmss00000a",
    "aks-user-31884602-vmss00000c",
]
KPOD = "kyverno-admission-controller-7d6c9f8b5-vx4q2"
WEBHOOK = 'Error creating: Internal error occurred: failed calling webhook "mutate.kyverno.svc-fail": failed to call webhook: Post "https://kyverno-svc.kyverno.svc:443/mutate/fail?timeout=10s": no endpoints available for service "kyverno-svc"'


class Kyverno:
    """Kyverno's logr/zap console lines as `kubectl logs` prints them."""

    def render(self, record: Record) -> list[str]:
        stamp = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond // 1000:03d}Z"
        )
        return [f"{stamp}\t{record.level}\t{record.message}"]


def kyverno_line(rng: random.Random) -> Line:
    roll = rng.random()
    kind = rng.choice(["Pod", "ConfigMap", "Secret", "Deployment", "ReplicaSet", "Job", "Service"])
    ns = rng.choice(["shop", "search", "billing", "ops", "data-jobs", "identity"])
    if roll < 0.5:
        return (
            "INFO",
            f'webhooks.resource.validate\thandlers/admission.go:45\tadmission request done\t{{"gvk": "/v1, Kind={kind}", "namespace": "{ns}", "operation": "{rng.choice(["CREATE", "UPDATE", "DELETE"])}", "uid": "{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-a{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}", "took": "{rng.randrange(1, 40)}.{rng.randrange(1000):03d}ms"}}',
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            f'webhooks.resource.mutate\tresource/handlers.go:139\tprocessing policies for mutate admission request\t{{"kind": "{kind}", "namespace": "{ns}", "policies": {rng.randrange(9, 14)}}}',
            (),
        )
    return (
        "INFO",
        f'cache\tgeneric/controller.go:82\tsynced informer cache\t{{"resource": "{rng.choice(["configmaps", "secrets", "policyreports.wgpolicyk8s.io", "pods"])}", "objects": {rng.randrange(9000, 41000)}}}',
        (),
    )


def checkout_line(rng: random.Random) -> Line:
    return web_api("checkout", ["orders", "baskets", "payments"])(rng)


def slow_checkout(rng: random.Random) -> Line:
    return (
        "WARN",
        f"request POST /api/v1/orders took {rng.randrange(2600, 9800)}ms (inflight={rng.randrange(180, 260)}, workers=64)",
        (),
    )


def ingress_ok(rng: random.Random) -> Line:
    path = rng.choice(["/api/v1/orders", "/api/v1/baskets/current", "/api/v1/payments/intent"])
    return (
        "INFO",
        f'"POST {path} HTTP/2.0" 200 {rng.randrange(200, 3000)} "https://shop.example.de/checkout" "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X)" {rng.randrange(400, 900)} {rng.randrange(20, 400) / 1000:.3f} [shop-checkout-80] [] 10.244.{rng.randrange(1, 6)}.{rng.randrange(2, 250)}:8080 {rng.randrange(200, 3000)} {rng.randrange(20, 400) / 1000:.3f} 200 {rng.getrandbits(128):032x}',
        (),
    )


def ingress_bad(rng: random.Random) -> Line:
    code, t = rng.choice(
        [(503, "10.001"), (504, "60.000"), (200, f"{rng.randrange(3000, 9900) / 1000:.3f}")]
    )
    return (
        "ERROR",
        f'"POST /api/v1/orders HTTP/2.0" {code} {rng.randrange(150, 600)} "https://shop.example.de/checkout" "Mozilla/5.0 (Windows NT 10.0; Win64; x64)" {rng.randrange(400, 900)} {t} [shop-checkout-80] [] 10.244.{rng.randrange(1, 6)}.{rng.randrange(2, 250)}:8080 0 {t} {code} {rng.getrandbits(128):032x}',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(52707)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    kpod = Pod(
        name=KPOD,
        namespace="kyverno",
        node=NODES[2],
        app="kyverno",
        service_account="kyverno-admission-controller",
        status="Running",
        ip="10.244.3.37",
        start_time="Thu, 06 Aug 2026 07:41:18 +0000",
        labels=[
            "app.kubernetes.io/component=admission-controller",
            "app.kubernetes.io/instance=kyverno",
            "app.kubernetes.io/name=kyverno",
            "app.kubernetes.io/version=3.2.6",
            "pod-template-hash=7d6c9f8b5",
        ],
        conditions={
            "Initialized": "True",
            "Ready": "False",
            "ContainersReady": "False",
            "PodScheduled": "True",
        },
        containers=[
            Container(
                name="kyverno",
                image="reg.kyverno.io/kyverno/kyverno:v1.12.6",
                state=["Waiting", "  Reason:       CrashLoopBackOff"],
                last_state=[
                    "Terminated",
                    "  Reason:       OOMKilled",
                    "  Exit Code:    137",
                    "  Started:      Fri, 14 Aug 2026 12:20:12 +0000",
                    "  Finished:     Fri, 14 Aug 2026 12:21:02 +0000",
                ],
                ready=False,
                restarts=23,
                limits={"memory": "384Mi"},
                requests={"cpu": "100m", "memory": "128Mi"},
                probes=[
                    "Liveness:   http-get https://:9443/health/liveness delay=15s timeout=5s period=30s #success=1 #failure=2",
                    "Readiness:  http-get https://:9443/health/readiness delay=5s timeout=5s period=10s #success=1 #failure=6",
                ],
                port="9443/TCP",
            )
        ],
        init_containers=[
            Container(
                name="kyverno-pre",
                image="reg.kyverno.io/kyverno/kyvernopre:v1.12.6",
                state=[
                    "Terminated",
                    "  Reason:       Completed",
                    "  Exit Code:    0",
                    "  Started:      Thu, 06 Aug 2026 07:41:20 +0000",
                    "  Finished:     Thu, 06 Aug 2026 07:41:23 +0000",
                ],
                limits={"memory": "256Mi"},
                requests={"cpu": "10m", "memory": "64Mi"},
                port="<none>",
            ),
        ],
        events=[
            (
                "Warning",
                "BackOff",
                "2m (x241 over 80m)",
                "kubelet",
                f"Back-off restarting failed container kyverno in pod {KPOD}_kyverno(4c2a9e17-0b6d-4f83-9d55-71e2c8a0f3b4)",
            ),
            (
                "Normal",
                "Pulled",
                "5m (x24 over 8d)",
                "kubelet",
                'Container image "reg.kyverno.io/kyverno/kyverno:v1.12.6" already present on machine',
            ),
        ],
    )
    describe = f"$ kubectl -n kyverno describe pod {KPOD}\n" + describe_pod(kpod, rng)
    state = "\n".join(
        [
            "$ kubectl -n kyverno get pods,endpoints -o wide",
            *table(
                ("NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE"),
                [
                    (
                        f"pod/{KPOD}",
                        "0/1",
                        "CrashLoopBackOff",
                        "23 (2m ago)",
                        "8d",
                        "10.244.3.37",
                        NODES[2],
                    ),
                    (
                        "pod/kyverno-background-controller-5b8c7f4d69-j2qnl",
                        "1/1",
                        "Running",
                        "0",
                        "8d",
                        "10.244.1.90",
                        NODES[0],
                    ),
                    (
                        "pod/kyverno-cleanup-controller-6f4d8b7c5-pz8tm",
                        "1/1",
                        "Running",
                        "0",
                        "8d",
                        "10.244.2.14",
                        NODES[1],
                    ),
                    (
                        "pod/kyverno-reports-controller-7c9b6d5f84-w6rkd",
                        "1/1",
                        "Running",
                        "1 (3d ago)",
                        "8d",
                        "10.244.4.201",
                        NODES[3],
                    ),
                ],
            ),
            "",
            *table(
                ("NAME", "ENDPOINTS", "AGE"),
                [
                    ("endpoints/kyverno-svc", "<none>", "203d"),
                    ("endpoints/kyverno-svc-metrics", "<none>", "203d"),
                    ("endpoints/kyverno-cleanup-controller", "10.244.2.14:9443", "203d"),
                ],
            ),
            "",
            '$ kubectl get mutatingwebhookconfiguration kyverno-resource-mutating-webhook-cfg -o jsonpath=\'{range .webhooks[*]}{.name}{"\\t"}{.failurePolicy}{"\\t"}{.timeoutSeconds}{"\\n"}{end}\'',
            "mutate.kyverno.svc-ignore\tIgnore\t10",
            "mutate.kyverno.svc-fail\tFail\t10",
            "",
            "$ kubectl -n kyverno top pod --containers",
            *table(
                ("POD", "NAME", "CPU(cores)", "MEMORY(bytes)"),
                [
                    ("kyverno-background-controller-5b8c7f4d69-j2qnl", "controller", "6m", "171Mi"),
                    ("kyverno-cleanup-controller-6f4d8b7c5-pz8tm", "controller", "2m", "58Mi"),
                    ("kyverno-reports-controller-7c9b6d5f84-w6rkd", "controller", "41m", "598Mi"),
                ],
            ),
            "",
        ]
    )
    klog = LogFile("logs/kyverno-admission-controller.previous.log", Kyverno())
    restart = total - 5.8
    base = START + timedelta(minutes=restart)
    klog.add(
        [
            at(
                base,
                0.0,
                "INFO",
                'setup\tinternal/setup.go:27\tsetup logger...\t{"name": "kyverno", "version": "v1.12.6"}',
            ),
            at(base, 0.02, "INFO", "setup\tinternal/maxprocs.go:12\tsetup maxprocs..."),
            at(
                base,
                0.03,
                "INFO",
                'setup\tinternal/memlimit.go:14\tsetup memlimit...\t{"GOMEMLIMIT": "362387865"}',
            ),
            at(
                base,
                0.05,
                "INFO",
                'setup\tinternal/client.go:26\tcreate kube client...\t{"kubeconfig": "", "qps": 20, "burst": 50}',
            ),
            at(
                base,
                0.1,
                "INFO",
                'setup\tkyverno/main.go:412\tstarting informers...\t{"count": 14}',
            ),
        ]
    )
    klog.add(traffic(rng, kyverno_line, base + timedelta(seconds=8), 0.6, 60))
    klog.add(
        [
            at(
                base,
                0.79,
                "INFO",
                'cache\tgeneric/controller.go:82\tsynced informer cache\t{"resource": "policyreports.wgpolicyk8s.io", "objects": 188412}',
            )
        ]
    )
    checkout = LogFile(
        "logs/checkout.log", JsonLines("checkout", keys=("ts", "level", "msg"), rng=rng)
    )
    checkout.add(traffic(rng, checkout_line, START, total, 4200))
    checkout.add(loud(rng, START, PEAK + 2, total - PEAK - 3, 380, slow_checkout))
    checkout.add(
        loud(
            rng,
            START,
            0,
            total,
            16,
            lambda r: (
                "WARN",
                f"payment provider adyen-eu call took {r.randrange(1200, 2900)}ms (threshold 1000ms)",
                (),
            ),
        )
    )
    ingress = LogFile("logs/ingress-nginx-controller.log", KubectlTimestamps())
    ingress.add(traffic(rng, ingress_ok, START, total, 2600))
    ingress.add(loud(rng, START, PEAK + 4, total - PEAK - 5, 420, ingress_bad))
    routine = routine_events(rng, ["catalog", "search-api", "basket"], 20, NODES, namespace="shop")
    signal = [
        (
            ago(PEAK - 1.0),
            (
                "Normal",
                "SuccessfulRescale",
                "horizontalpodautoscaler/checkout",
                "New size: 7; reason: cpu resource utilization (percentage of request) above target",
            ),
        ),
        (
            ago(PEAK - 0.9),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/checkout",
                "Scaled up replica set checkout-84f9c6d7b5 to 7 from 4",
            ),
        ),
        (ago(total - 0.8), ("Warning", "FailedCreate", "replicaset/checkout-84f9c6d7b5", WEBHOOK)),
        (
            ago(PEAK + 20.0),
            (
                "Normal",
                "SuccessfulRescale",
                "horizontalpodautoscaler/checkout",
                "New size: 10; reason: cpu resource utilization (percentage of request) above target",
            ),
        ),
        (ago(total - 1.6), ("Warning", "FailedCreate", "job/order-export-29771040", WEBHOOK)),
        (
            ago(total - 4.0),
            (
                "Warning",
                "PolicyViolation",
                "pod/catalog-5c8d7b9f46-q8wzl",
                "policy require-requests-limits/validate-resources fail: validation error: CPU and memory resource requests and limits are required. rule validate-resources failed at path /spec/containers/0/resources/limits/",
            ),
        ),
    ]
    events = "$ kubectl -n shop get events --sort-by=.lastTimestamp\n" + event_listing(
        routine, signal
    )
    hpa = "\n".join(
        [
            "$ kubectl -n shop get hpa,deploy,rs -l app=checkout",
            *table(
                ("NAME", "REFERENCE", "TARGETS", "MINPODS", "MAXPODS", "REPLICAS", "AGE"),
                [
                    (
                        "horizontalpodautoscaler.autoscaling/checkout",
                        "Deployment/checkout",
                        "cpu: 187%/65%",
                        "4",
                        "16",
                        "10",
                        "1y",
                    )
                ],
            ),
            "",
            *table(
                ("NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"),
                [("deployment.apps/checkout", "4/10", "4", "4", "1y")],
            ),
            "",
            *table(
                ("NAME", "DESIRED", "CURRENT", "READY", "AGE"),
                [("replicaset.apps/checkout-84f9c6d7b5", "10", "4", "4", "6d")],
            ),
            "",
        ]
    )
    return Bundle(
        question="Checkout has been slow with 503s since the lunchtime peak (about 11:35 UTC) and the autoscaler is not helping: the HPA says 10 replicas, only 4 run. What is the root cause?",
        category="memory",
        component="kyverno-admission-controller",
        statement="Kyverno's admission controller is OOMKilled at its 384Mi memory limit after each start (CrashLoopBackOff since about 11:06 UTC), so kyverno-svc has no endpoints; its mutating webhook has failurePolicy Fail, every pod creation is rejected, and checkout's ReplicaSet cannot scale past 4 pods at the peak.",
        files={
            f"kubectl-describe-pod-{KPOD}.txt": describe,
            "kubectl-kyverno-state.txt": state,
            klog.name: klog.render(),
            "kubectl-get-events-shop.txt": events,
            "kubectl-get-hpa.txt": hpa,
            checkout.name: checkout.render(),
            ingress.name: ingress.render(),
        },
        proofs=[
            Proof(f"kubectl-describe-pod-{KPOD}.txt", "Reason:       OOMKilled"),
            Proof(f"kubectl-describe-pod-{KPOD}.txt", "memory: 384Mi"),
            Proof("kubectl-kyverno-state.txt", "endpoints/kyverno-svc "),
            Proof("kubectl-get-events-shop.txt", "replicaset/checkout-84f9c6d7b5"),
        ],
        decoys=[
            "policy require-requests-limits/validate-resources fail",
            "payment provider adyen-eu call took",
            "New size: 10; reason: cpu resource utilization",
        ],
    )
