# ruff: noqa: E501
# kubectl rows, YAML and hand-written log lines are data, kept whole on one line.
"""Kubernetes: storefront-web's chart 4.2.0 (a security-audit follow-up, deployed 15:26 UTC) sets
`securityContext.readOnlyRootFilesystem: true` on the nginx container but adds no writable
volume for /var/cache/nginx or /var/run. nginx cannot create its temp directories and exits at
start (`mkdir() "/var/cache/nginx/client_temp" failed (30: Read-only file system)`); the new pod
crash-loops, the rollout stops at one updated replica, and the pipeline's `rollout status` times
out. The old pods keep serving. Decoys: the new pod's readiness failures (a symptom), an old
pod's upstream timeout to catalog-api, the entrypoint's `can not modify default.conf` info line,
and a cert-manager renewal event."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events, table
from records import NginxAccess, NginxError
from scenes import at
from traffic import http_access, traffic

START = datetime(2026, 5, 19, 14, 40, tzinfo=UTC)
NOW = datetime(2026, 5, 19, 16, 5, tzinfo=UTC)
ROLLOUT = 46.0  # 15:26
NODES = [
    f"ip-10-61-{a}-{b}.eu-central-1.compute.internal"
    for a, b in ((12, 40), (13, 201), (14, 77), (12, 159))
]
NEW = "storefront-web-5d7c9b8f46-pl6qh"
OLD = [
    "storefront-web-7f9d4c6b85-4nmxs",
    "storefront-web-7f9d4c6b85-jr8tw",
    "storefront-web-7f9d4c6b85-x2cgv",
]
IMAGE = "381492066150.dkr.ecr.eu-central-1.amazonaws.com/web/storefront-web:4.2.0"


def bundle() -> Bundle:
    rng = random.Random(49745)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    access = LogFile("logs/storefront-web-access.log", NginxAccess(rng=rng))
    access.add(
        traffic(
            rng,
            http_access(
                [
                    "/",
                    "/de/",
                    "/static/js/app.4f2c91.js",
                    "/static/css/main.9b1e.css",
                    "/api/catalog/products?page=1",
                    "/de/p/sneaker-runner-2",
                    "/favicon.ico",
                ]
            ),
            START,
            total,
            4800,
        )
    )
    errors = LogFile("logs/storefront-web-error.log", NginxError(rng=rng))
    errors.add(
        [
            at(
                START,
                23.8,
                "ERROR",
                'upstream timed out (110: Connection timed out) while reading response header from upstream, client: 10.61.13.9, server: _, request: "GET /api/catalog/products?page=4 HTTP/1.1", upstream: "http://172.20.81.14:8080/products?page=4", host: "www.shop.example.de"',
            )
        ]
    )
    routine = routine_events(
        rng, ["catalog-api", "checkout-api", "storefront-web"], 24, NODES, namespace="web"
    )
    signal = [
        (
            ago(ROLLOUT),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/storefront-web",
                "Scaled up replica set storefront-web-5d7c9b8f46 to 1",
            ),
        ),
        (
            ago(ROLLOUT - 0.1),
            (
                "Normal",
                "Pulled",
                f"pod/{NEW}",
                f'Successfully pulled image "{IMAGE}" in 2.874s (2.874s including waiting). Image size: 19204611 bytes.',
            ),
        ),
        (
            ago(ROLLOUT - 0.2),
            (
                "Warning",
                "Unhealthy",
                f"pod/{NEW}",
                'Readiness probe failed: Get "http://10.61.14.212:8080/healthz": dial tcp 10.61.14.212:8080: connect: connection refused',
            ),
        ),
        (
            60,
            (
                "Warning",
                "BackOff",
                f"pod/{NEW}",
                f"Back-off restarting failed container nginx in pod {NEW}_web(3c8e1f70-9a24-4d6b-b5e2-7f0d1c9a4e83)",
            ),
        ),
        (
            ago(12),
            (
                "Normal",
                "Issuing",
                "certificate/shop-example-de-tls",
                "The certificate has been successfully issued",
            ),
        ),
    ]
    events = event_listing(routine, signal)
    prev = "\n".join(
        [
            f"$ kubectl -n web logs {NEW} -c nginx --previous",
            "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration",
            "/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/",
            "/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh",
            "10-listen-on-ipv6-by-default.sh: info: can not modify /etc/nginx/conf.d/default.conf (read-only file system?)",
            "/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh",
            "/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh",
            "/docker-entrypoint.sh: Configuration complete; ready for start up",
            '2026/05/19 16:02:51 [emerg] 1#1: mkdir() "/var/cache/nginx/client_temp" failed (30: Read-only file system)',
            'nginx: [emerg] mkdir() "/var/cache/nginx/client_temp" failed (30: Read-only file system)',
            "",
        ]
    )
    pod = Pod(
        name=NEW,
        namespace="web",
        node=NODES[2],
        app="storefront-web",
        containers=[
            Container(
                "nginx",
                IMAGE,
                state=["Waiting", "  Reason:       CrashLoopBackOff"],
                last_state=[
                    "Terminated",
                    "  Reason:       Error",
                    "  Exit Code:    1",
                    "  Started:      Tue, 19 May 2026 16:02:51 +0000",
                    "  Finished:     Tue, 19 May 2026 16:02:51 +0000",
                ],
                ready=False,
                restarts=11,
                limits={"cpu": "500m", "memory": "256Mi"},
                requests={"cpu": "100m", "memory": "128Mi"},
                probes=[
                    "Readiness:      http-get http://:8080/healthz delay=2s timeout=1s period=5s #success=1 #failure=3"
                ],
            )
        ],
        conditions={
            "Initialized": "True",
            "Ready": "False",
            "ContainersReady": "False",
            "PodScheduled": "True",
        },
        events=[
            (
                "Normal",
                "Pulled",
                "2m14s (x11 over 38m)",
                "kubelet",
                f'Container image "{IMAGE}" already present on machine',
            ),
            (
                "Warning",
                "BackOff",
                "60s (x171 over 38m)",
                "kubelet",
                f"Back-off restarting failed container nginx in pod {NEW}_web(3c8e1f70-9a24-4d6b-b5e2-7f0d1c9a4e83)",
            ),
        ],
        ip="10.61.14.212",
        start_time="Tue, 19 May 2026 15:26:04 +0000",
    )
    describe = f"$ kubectl -n web describe pod {NEW}\n" + describe_pod(pod, rng)
    get = "\n".join(
        [
            "$ kubectl -n web get pods -l app=storefront-web",
            *table(
                ("NAME", "READY", "STATUS", "RESTARTS", "AGE"),
                [(o, "1/1", "Running", "0", "9d") for o in OLD]
                + [(NEW, "0/1", "CrashLoopBackOff", "11 (60s ago)", "39m")],
            ),
            "",
            "$ kubectl -n web rollout history deploy/storefront-web | tail -2",
            "31        helm upgrade storefront-web chart 4.1.7",
            "32        helm upgrade storefront-web chart 4.2.0 (SEC-2291 container hardening)",
            "",
            '$ kubectl -n web get deploy storefront-web -o yaml | yq \'.spec.template.spec.containers[0] | {"securityContext": .securityContext, "volumeMounts": .volumeMounts}\'',
            "securityContext:",
            "  allowPrivilegeEscalation: false",
            "  capabilities:",
            "    drop:",
            "      - ALL",
            "  readOnlyRootFilesystem: true",
            "  runAsNonRoot: true",
            "  runAsUser: 101",
            "volumeMounts:",
            "  - mountPath: /etc/nginx/conf.d/site.conf",
            "    name: site-config",
            "    subPath: site.conf",
            "",
            "$ kubectl -n web rollout status deploy/storefront-web --timeout=5s",
            'Waiting for deployment "storefront-web" rollout to finish: 1 out of 3 new replicas have been updated...',
            "error: timed out waiting for the condition",
            "",
        ]
    )
    return Bundle(
        question="The storefront-web 4.2.0 release started at 15:26 UTC and the pipeline timed out waiting for the rollout; the new pod keeps restarting. What is the root cause?",
        category="configuration",
        component="storefront-web",
        statement='Chart 4.2.0 sets readOnlyRootFilesystem: true on storefront-web\'s nginx container without mounting a writable volume for /var/cache/nginx, so nginx fails at start with `mkdir() "/var/cache/nginx/client_temp" failed (30: Read-only file system)`, the new pod crash-loops and the rollout never progresses.',
        files={
            "logs/storefront-web-access.log": access.render(),
            "logs/storefront-web-error.log": errors.render(),
            "kubectl-get-events.txt": events,
            "kubectl-get.txt": get,
            "kubectl-describe-pod.txt": describe,
            "kubectl-logs-previous.txt": prev,
        },
        proofs=[
            Proof(
                "kubectl-logs-previous.txt",
                'nginx: [emerg] mkdir() "/var/cache/nginx/client_temp" failed',
            ),
            Proof("kubectl-get.txt", "  readOnlyRootFilesystem: true"),
        ],
        decoys=[
            'Readiness probe failed: Get "http://10.61.14.212:8080/healthz"',
            "upstream timed out (110: Connection timed out)",
            "can not modify /etc/nginx/conf.d/default.conf",
            "The certificate has been successfully issued",
        ],
    )
