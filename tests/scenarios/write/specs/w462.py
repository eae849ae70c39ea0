# ruff: noqa: E501
# kubectl output, nginx lines and YAML are data, kept whole on one line.
"""Kubernetes: the storefront-web chart 3.8.0 (rolled out 11:04 UTC) turned on
`readOnlyRootFilesystem: true` in the container's securityContext as part of a hardening
change, but mounts no writable volume for the paths the nginx image writes at start-up
(/var/cache/nginx, /var/run). The entrypoint notes it cannot modify default.conf, then nginx
exits with `[emerg] mkdir() "/var/cache/nginx/client_temp" failed (30: Read-only file system)`.
The new ReplicaSet's pods crash-loop, the rollout stalls at ProgressDeadlineExceeded and the
old pods (2 of 4 after maxUnavailable) carry the traffic, so the ingress logs 503s and upstream
timeouts at peak. Decoys: a Kyverno audit-mode policy report, a slow image pull, the ingress's
503s, and a ConfigMap reload warning from another app."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events
from records import KubectlTimestamps, NginxAccess, Record
from scenes import fixed, loud
from traffic import http_access, traffic

START = datetime(2026, 4, 14, 10, 10, tzinfo=UTC)
NOW = datetime(2026, 4, 14, 11, 52, tzinfo=UTC)
ROLLOUT = 54.0
NODES = [
    "gke-shop-prod-default-4f1a2b3c-7kqd",
    "gke-shop-prod-default-4f1a2b3c-m2xv",
    "gke-shop-prod-default-4f1a2b3c-w9pz",
]
NEW_RS = "storefront-web-5c7b9f4d86"
OLD_RS = "storefront-web-74d8c6b9f5"


def crash_run(stamp: datetime) -> list:
    lines = [
        "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration",
        "/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/",
        "/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh",
        "10-listen-on-ipv6-by-default.sh: info: can not modify /etc/nginx/conf.d/default.conf (read-only file system?)",
        "/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh",
        "/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh",
        "/docker-entrypoint.sh: Configuration complete; ready for start up",
        f'{stamp.strftime("%Y/%m/%d %H:%M:%S")} [emerg] 1#1: mkdir() "/var/cache/nginx/client_temp" failed (30: Read-only file system)',
        'nginx: [emerg] mkdir() "/var/cache/nginx/client_temp" failed (30: Read-only file system)',
    ]
    return [
        Record(stamp + timedelta(milliseconds=17 * index), "INFO", line)
        for index, line in enumerate(lines)
    ]


@dataclass
class IngressLog:
    """ingress-nginx controller's stdout: access lines, nginx error lines and klog lines."""

    rng: random.Random

    def render(self, record: Record) -> list[str]:
        t = record.time
        if record.level == "WARN":
            return [f"W{t.strftime('%m%d %H:%M:%S')}.{t.microsecond:06d}       7 {record.message}"]
        if record.level == "ERROR":
            return [
                f"{t.strftime('%Y/%m/%d %H:%M:%S')} [error] 47#47: *{self.rng.randrange(10**6, 10**7)} {record.message}"
            ]
        return [
            f"10.128.0.{self.rng.randrange(2, 250)} - - [{t.strftime('%d/%b/%Y:%H:%M:%S +0000')}] {record.message} {self.rng.getrandbits(128):032x}"
        ]


def ingress_line(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    path = rng.choice(
        [
            "/",
            "/basket",
            f"/c/{rng.randrange(999)}",
            f"/p/{rng.randrange(10**5)}",
            "/assets/app.css",
        ]
    )
    size = rng.randrange(400, 24000)
    took = rng.randrange(2, 60) / 1000
    upstream = rng.choice(["10.44.1.64", "10.44.2.151", "10.44.0.93", "10.44.2.18"])
    return (
        "INFO",
        f'"GET {path} HTTP/2.0" 200 {size} "-" "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X)" {rng.randrange(30, 400)} {took:.3f} [shop-storefront-web-8080] [] {upstream}:8080 {size} {took:.3f} 200',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(46262)
    total = (NOW - START).total_seconds() / 60
    crashed = LogFile("logs/storefront-web-5c7b9f4d86-h7tqs-previous.log", KubectlTimestamps())
    crashed.add(crash_run(datetime(2026, 4, 14, 11, 49, 3, tzinfo=UTC)))
    access = LogFile("logs/storefront-web-74d8c6b9f5-2xrlk.log", NginxAccess(rng))
    paths = [
        "/",
        "/c/{id}",
        "/p/{id}",
        "/assets/app.{id}.js",
        "/assets/app.css",
        "/healthz",
        "/basket",
    ]
    access.add(traffic(rng, http_access(paths, 18), START, total, 5200))
    ingress = LogFile("logs/ingress-nginx-controller.log", IngressLog(rng))
    ingress.add(traffic(rng, ingress_line, START, total, 3000))
    ingress.add(
        loud(
            rng,
            START,
            ROLLOUT + 9,
            total - ROLLOUT - 10,
            520,
            fixed(
                "ERROR",
                lambda r: (
                    f'upstream timed out (110: Operation timed out) while reading response header from upstream, client: 10.128.0.{r.randrange(2, 250)}, server: shop.tallowmere.com, request: "GET /{r.choice(["", "basket", "c/" + str(r.randrange(999))])} HTTP/2.0", upstream: "http://10.44.{r.choice([1, 2])}.{r.randrange(2, 250)}:8080/", host: "shop.tallowmere.com"'
                ),
            ),
        )
    )
    ingress.add(
        loud(
            rng,
            START,
            0,
            total,
            14,
            fixed(
                "WARN",
                lambda r: (
                    'controller.go:1214] Service "shop/recommendations" does not have any active Endpoint.'
                ),
            ),
        )
    )
    manifest = "\n".join(
        [
            "$ kubectl -n shop get deploy storefront-web -o yaml | sed -n '/^spec:/,/^status:/p'",
            "spec:",
            "  progressDeadlineSeconds: 600",
            "  replicas: 4",
            "  revisionHistoryLimit: 10",
            "  selector:",
            "    matchLabels:",
            "      app.kubernetes.io/name: storefront-web",
            "  strategy:",
            "    rollingUpdate:",
            "      maxSurge: 25%",
            "      maxUnavailable: 50%",
            "    type: RollingUpdate",
            "  template:",
            "    metadata:",
            "      annotations:",
            "        checksum/config: 9e1b77c0d4a2f3e58b61c9d07a3f2e14c5b8d6a7e9f01234b5c6d7e8f9a0b1c2",
            "      labels:",
            "        app.kubernetes.io/name: storefront-web",
            "        app.kubernetes.io/version: 3.8.0",
            "        helm.sh/chart: storefront-web-3.8.0",
            "    spec:",
            "      containers:",
            "      - image: europe-west1-docker.pkg.dev/tallowmere-prod/web/storefront-web:2026.04.14-1",
            "        imagePullPolicy: IfNotPresent",
            "        livenessProbe:",
            "          httpGet:",
            "            path: /healthz",
            "            port: http",
            "          periodSeconds: 10",
            "        name: storefront-web",
            "        ports:",
            "        - containerPort: 8080",
            "          name: http",
            "          protocol: TCP",
            "        resources:",
            "          limits:",
            "            memory: 256Mi",
            "          requests:",
            "            cpu: 100m",
            "            memory: 128Mi",
            "        securityContext:",
            "          allowPrivilegeEscalation: false",
            "          capabilities:",
            "            drop:",
            "            - ALL",
            "          readOnlyRootFilesystem: true",
            "          runAsNonRoot: true",
            "          runAsUser: 101",
            "        volumeMounts:",
            "        - mountPath: /etc/nginx/conf.d/storefront.conf",
            "          name: site-config",
            "          subPath: storefront.conf",
            "          readOnly: true",
            "      volumes:",
            "      - configMap:",
            "          name: storefront-web-site",
            "        name: site-config",
            "",
            "$ kubectl -n shop get pods -l app.kubernetes.io/name=storefront-web -o wide",
            "NAME                              READY   STATUS             RESTARTS        AGE   IP            NODE                                   NOMINATED NODE   READINESS GATES",
            "storefront-web-5c7b9f4d86-h7tqs   0/1     CrashLoopBackOff   11 (2m49s ago)  47m   10.44.1.212   gke-shop-prod-default-4f1a2b3c-7kqd   <none>           <none>",
            "storefront-web-5c7b9f4d86-pk3mw   0/1     CrashLoopBackOff   11 (3m2s ago)   47m   10.44.2.37    gke-shop-prod-default-4f1a2b3c-m2xv   <none>           <none>",
            "storefront-web-5c7b9f4d86-vd8nq   0/1     CrashLoopBackOff   11 (2m55s ago)  47m   10.44.0.118   gke-shop-prod-default-4f1a2b3c-w9pz   <none>           <none>",
            "storefront-web-74d8c6b9f5-2xrlk   1/1     Running            0               6d    10.44.1.64    gke-shop-prod-default-4f1a2b3c-7kqd   <none>           <none>",
            "storefront-web-74d8c6b9f5-qq5tz   1/1     Running            0               6d    10.44.2.151   gke-shop-prod-default-4f1a2b3c-m2xv   <none>           <none>",
            "",
            "$ kubectl -n shop rollout status deploy/storefront-web --timeout=5s",
            'Waiting for deployment "storefront-web" rollout to finish: 3 out of 4 new replicas have been updated...',
            'error: deployment "storefront-web" exceeded its progress deadline',
            "",
            "$ kubectl get policyreport -n shop",
            "NAME                                   KIND         NAME                   PASS   FAIL   WARN   ERROR   SKIP   AGE",
            "a41c7e2d-3b9f-4c8e-9d10-5e6f7a8b9c0d   Deployment   recommendations        4      1      0      0       0      9d",
            "",
        ]
    )

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    routine = routine_events(
        rng, ["checkout-web", "recommendations", "storefront-web"], 26, NODES, namespace="shop"
    )
    signal = [
        (
            ago(ROLLOUT),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/storefront-web",
                f"Scaled up replica set {NEW_RS} to 1",
            ),
        ),
        (
            ago(ROLLOUT + 0.01),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/storefront-web",
                f"Scaled down replica set {OLD_RS} to 2 from 4",
            ),
        ),
        (
            ago(ROLLOUT + 0.02),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/storefront-web",
                f"Scaled up replica set {NEW_RS} to 3 from 1",
            ),
        ),
        (
            ago(ROLLOUT + 0.7),
            (
                "Normal",
                "Pulled",
                f"pod/{NEW_RS}-h7tqs",
                'Successfully pulled image "europe-west1-docker.pkg.dev/tallowmere-prod/web/storefront-web:2026.04.14-1" in 41.208s (41.208s including waiting). Image size: 19204117 bytes.',
            ),
        ),
        (
            ago(ROLLOUT + 1.5),
            (
                "Warning",
                "BackOff",
                f"pod/{NEW_RS}-h7tqs",
                f"Back-off restarting failed container storefront-web in pod {NEW_RS}-h7tqs_shop(5a2d9c71-0e4b-4f38-8c6d-1b7e9f203a45)",
            ),
        ),
        (
            ago(ROLLOUT + 1.6),
            (
                "Warning",
                "BackOff",
                f"pod/{NEW_RS}-pk3mw",
                f"Back-off restarting failed container storefront-web in pod {NEW_RS}-pk3mw_shop(c0e81f4a-2d7b-46a9-b153-8e4f6a9d0c27)",
            ),
        ),
        (
            ago(ROLLOUT + 11),
            (
                "Warning",
                "ProgressDeadlineExceeded",
                "deployment/storefront-web",
                f'ReplicaSet "{NEW_RS}" has timed out progressing.',
            ),
        ),
        (
            ago(22),
            (
                "Warning",
                "PolicyViolation",
                "deployment/recommendations",
                "policy require-run-as-nonroot/autogen-run-as-non-root fail (audit): validation error: Running as root is not allowed.",
            ),
        ),
    ]
    events = event_listing(routine, signal)
    return Bundle(
        question="The storefront-web rollout started at 11:04 UTC never finished, and since then the shop has been slow with 504s at peak. What is wrong?",
        category="configuration",
        component="storefront-web",
        statement="storefront-web's chart 3.8.0 set `readOnlyRootFilesystem: true` without mounting writable volumes for nginx's cache and run directories, so nginx exits with `mkdir() \"/var/cache/nginx/client_temp\" failed (30: Read-only file system)`; the new pods crash-loop, the rollout exceeds its deadline and only two old pods serve traffic.",
        files={
            "kubectl-get.txt": manifest,
            "kubectl-get-events.txt": events,
            "logs/storefront-web-5c7b9f4d86-h7tqs-previous.log": crashed.render(),
            "logs/storefront-web-74d8c6b9f5-2xrlk.log": access.render(),
            "logs/ingress-nginx-controller.log": ingress.render(),
        },
        proofs=[
            Proof(
                "logs/storefront-web-5c7b9f4d86-h7tqs-previous.log",
                'nginx: [emerg] mkdir() "/var/cache/nginx/client_temp" failed',
            ),
            Proof("kubectl-get.txt", "readOnlyRootFilesystem: true"),
        ],
        decoys=[
            "require-run-as-nonroot",
            "Successfully pulled image",
            "upstream timed out (110: Operation timed out)",
            "does not have any active Endpoint",
        ],
    )
