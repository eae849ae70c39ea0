# ruff: noqa: E501
# kubectl output, nginx lines and hand-written log lines are data, kept whole on one line.
"""Kubernetes: catalog-web 3.8.0 (rolled out 11:03 UTC) adds a hardening change to the chart,
`securityContext.readOnlyRootFilesystem: true`, but no writable emptyDir for the nginx image's
cache and pid paths. Every new pod exits at start with `mkdir() "/var/cache/nginx/client_temp"
failed (30: Read-only file system)` and goes to CrashLoopBackOff; with maxUnavailable 50% the
rollout took one of two old pods away, so the remaining pod is saturated at the lunch peak and
ingress-nginx answers 504/503 for the storefront. Decoys: a cert-manager renewal event, the
checkout-api HPA missing metrics briefly, and a node upgrade's NodeNotReady on another pool."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events
from records import KubectlTimestamps, Record
from scenes import fixed, loud
from traffic import Line, traffic

START = datetime(2026, 5, 19, 10, 20, tzinfo=UTC)
NOW = datetime(2026, 5, 19, 11, 38, tzinfo=UTC)
ROLL = 43.0  # 11:03
NODES = [
    "gke-prod-web-pool-2b7c-4f1x",
    "gke-prod-web-pool-2b7c-9kq2",
    "gke-prod-web-pool-2b7c-tz8m",
]
NEW = "catalog-web-7f6d9c58b4"
OLD = "catalog-web-5c8b7d6f9d"


class IngressNginx:
    """ingress-nginx's upstreaminfo log format."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def render(self, record: Record) -> list[str]:
        client = (
            f"34.{self.rng.randrange(256)}.{self.rng.randrange(256)}.{self.rng.randrange(1, 255)}"
        )
        stamp = record.time.strftime("%d/%b/%Y:%H:%M:%S +0000")
        return [f"{client} - - [{stamp}] {record.message} {self.rng.getrandbits(128):032x}"]


def access_ok(
    rng: random.Random, upstreams: tuple[str, ...] = ("10.52.1.47", "10.52.2.61")
) -> Line:
    path = rng.choice(
        [
            "/",
            "/c/shoes",
            "/c/outdoor",
            f"/p/{rng.randrange(10**5)}",
            "/static/app.{}.js".format(rng.choice(["4f1c", "9a2e"])),
        ]
    )
    t = rng.randrange(3, 180) / 1000
    return (
        "INFO",
        f'"GET {path} HTTP/2.0" 200 {rng.randrange(900, 40000)} "-" "Mozilla/5.0" {rng.randrange(40, 400)} {t:.3f} [storefront-catalog-web-80] [] {rng.choice(upstreams)}:8080 {rng.randrange(900, 40000)} {t:.3f} 200',
        (),
    )


def access_bad(rng: random.Random) -> Line:
    code = rng.choice([504, 504, 503])
    t = 10.0 if code == 504 else 0.0
    upstream = "10.52.1.47:8080" if code == 504 else "-"
    return (
        "ERROR",
        f'"GET {rng.choice(["/", "/c/shoes", "/c/garden"])} HTTP/2.0" {code} 160 "-" "Mozilla/5.0" {rng.randrange(40, 400)} {t:.3f} [storefront-catalog-web-80] [] {upstream} 0 {t:.3f} {code}',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(43131)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    access = LogFile("logs/edge-proxy.log", IngressNginx(rng))
    access.add(traffic(rng, access_ok, START, ROLL, 2900))
    access.add(
        traffic(
            rng,
            lambda r: access_ok(r, ("10.52.1.47",)),
            START + timedelta(minutes=ROLL),
            total - ROLL,
            1900,
        )
    )
    access.add(loud(rng, START, ROLL + 2.0, total - ROLL - 2.1, 640, access_bad))
    crashed = LogFile("kubectl-logs-catalog-web-previous.txt", KubectlTimestamps())
    crash_at = START + timedelta(minutes=total - 1.2)
    crashed.add(
        [
            Record(
                crash_at,
                "INFO",
                "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration",
            ),
            Record(
                crash_at + timedelta(milliseconds=3),
                "INFO",
                "/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/",
            ),
            Record(
                crash_at + timedelta(milliseconds=5),
                "INFO",
                "/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh",
            ),
            Record(
                crash_at + timedelta(milliseconds=9),
                "INFO",
                "10-listen-on-ipv6-by-default.sh: info: can not modify /etc/nginx/conf.d/default.conf (read-only file system?)",
            ),
            Record(
                crash_at + timedelta(milliseconds=11),
                "INFO",
                "/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh",
            ),
            Record(
                crash_at + timedelta(milliseconds=14),
                "INFO",
                "/docker-entrypoint.sh: Configuration complete; ready for start up",
            ),
            Record(
                crash_at + timedelta(milliseconds=17),
                "ERROR",
                '2026/05/19 11:36:48 [emerg] 1#1: mkdir() "/var/cache/nginx/client_temp" failed (30: Read-only file system)',
            ),
            Record(
                crash_at + timedelta(milliseconds=18),
                "ERROR",
                'nginx: [emerg] mkdir() "/var/cache/nginx/client_temp" failed (30: Read-only file system)',
            ),
        ]
    )
    old_logs = LogFile("kubectl-logs-catalog-web-running.txt", KubectlTimestamps())
    old_logs.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f'10.52.0.{r.randrange(2, 40)} - - "GET {r.choice(["/", "/c/shoes", "/p/" + str(r.randrange(10**5))])} HTTP/1.1" 200 {r.randrange(900, 40000)} "-" "Mozilla/5.0" "34.{r.randrange(256)}.{r.randrange(256)}.{r.randrange(256)}"'
                ),
            ),
            START,
            total,
            2600,
        )
    )
    old_logs.add(
        loud(
            rng,
            START,
            ROLL + 2.0,
            total - ROLL - 2.1,
            90,
            fixed(
                "WARN",
                lambda r: (
                    f"{(START).strftime('%Y/%m/%d')} 11:{r.randrange(5, 38):02d}:{r.randrange(60):02d} [warn] 29#29: 1024 worker_connections are not enough, reusing connections"
                ),
            ),
        )
    )
    pod = Pod(
        name=f"{NEW}-x7kqp",
        namespace="storefront",
        node=NODES[1],
        app="catalog-web",
        status="Running",
        ip="10.52.2.118",
        volumes=[
            "  site-config:",
            "    Type:      ConfigMap (a volume populated by a ConfigMap)",
            "    Name:      catalog-web-site",
            "    Optional:  false",
        ],
        start_time="Tue, 19 May 2026 11:03:12 +0000",
        conditions={
            "Initialized": "True",
            "Ready": "False",
            "ContainersReady": "False",
            "PodScheduled": "True",
        },
        containers=[
            Container(
                name="catalog-web",
                image="europe-docker.pkg.dev/shopfront-prod/web/catalog-web:3.8.0",
                state=["Waiting", "  Reason:       CrashLoopBackOff"],
                last_state=[
                    "Terminated",
                    "  Reason:       Error",
                    "  Exit Code:    1",
                    "  Started:      Tue, 19 May 2026 11:36:48 +0000",
                    "  Finished:     Tue, 19 May 2026 11:36:48 +0000",
                ],
                ready=False,
                restarts=11,
                limits={"cpu": "1", "memory": "256Mi"},
                requests={"cpu": "250m", "memory": "128Mi"},
                probes=[
                    "Readiness:      http-get http://:8080/healthz delay=3s timeout=1s period=5s #success=1 #failure=3"
                ],
            )
        ],
        events=[
            (
                "Normal",
                "Scheduled",
                "35m",
                "default-scheduler",
                f"Successfully assigned storefront/{NEW}-x7kqp to {NODES[1]}",
            ),
            (
                "Normal",
                "Pulled",
                "35m",
                "kubelet",
                'Successfully pulled image "europe-docker.pkg.dev/shopfront-prod/web/catalog-web:3.8.0" in 2.112s (2.112s including waiting)',
            ),
            ("Normal", "Created", "33m (x5 over 35m)", "kubelet", "Created container catalog-web"),
            ("Normal", "Started", "33m (x5 over 35m)", "kubelet", "Started container catalog-web"),
            (
                "Warning",
                "BackOff",
                "28s (x162 over 35m)",
                "kubelet",
                f"Back-off restarting failed container catalog-web in pod {NEW}-x7kqp_storefront(5b0e7c21-8d4a-4f6e-9a13-c7e2f0b4d981)",
            ),
        ],
    )
    pods = "\n".join(
        [
            "$ kubectl -n storefront get pods -o wide",
            "NAME                            READY   STATUS             RESTARTS        AGE     IP            NODE                          NOMINATED NODE   READINESS GATES",
            f"{OLD}-m4w2z     1/1     Running            0               6d2h    10.52.1.47    {NODES[0]}   <none>           <none>",
            f"{NEW}-x7kqp     0/1     CrashLoopBackOff   11 (62s ago)    35m     10.52.2.118   {NODES[1]}   <none>           <none>",
            f"{NEW}-bq9s4     0/1     CrashLoopBackOff   11 (70s ago)    35m     10.52.0.91    {NODES[2]}   <none>           <none>",
            "checkout-api-6d5f8b7c9-2lq8d    1/1     Running            0               2d1h    10.52.0.33    gke-prod-web-pool-2b7c-tz8m   <none>           <none>",
            "checkout-api-6d5f8b7c9-vn7xk    1/1     Running            0               2d1h    10.52.1.76    gke-prod-web-pool-2b7c-4f1x   <none>           <none>",
            "search-proxy-84c9f7d6b5-h2trs   1/1     Running            1 (4d ago)      9d      10.52.2.12    gke-prod-web-pool-2b7c-9kq2   <none>           <none>",
            "",
        ]
    )
    yaml = "\n".join(
        [
            "$ kubectl -n storefront get deploy catalog-web -o yaml | sed -n '/^spec:/,/^status:/p'",
            "spec:",
            "  progressDeadlineSeconds: 600",
            "  replicas: 2",
            "  revisionHistoryLimit: 10",
            "  selector:",
            "    matchLabels:",
            "      app: catalog-web",
            "  strategy:",
            "    rollingUpdate:",
            "      maxSurge: 0",
            "      maxUnavailable: 50%",
            "    type: RollingUpdate",
            "  template:",
            "    metadata:",
            "      annotations:",
            "        helm.sh/chart: catalog-web-3.8.0",
            '        kubectl.kubernetes.io/restartedAt: "2026-05-12T09:14:03Z"',
            "      labels:",
            "        app: catalog-web",
            "    spec:",
            "      containers:",
            "      - image: europe-docker.pkg.dev/shopfront-prod/web/catalog-web:3.8.0",
            "        imagePullPolicy: IfNotPresent",
            "        name: catalog-web",
            "        ports:",
            "        - containerPort: 8080",
            "          name: http",
            "          protocol: TCP",
            "        readinessProbe:",
            "          httpGet:",
            "            path: /healthz",
            "            port: 8080",
            "          initialDelaySeconds: 3",
            "          periodSeconds: 5",
            "        resources:",
            "          limits:",
            '            cpu: "1"',
            "            memory: 256Mi",
            "          requests:",
            "            cpu: 250m",
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
            "        - mountPath: /etc/nginx/conf.d",
            "          name: site-config",
            "      volumes:",
            "      - configMap:",
            "          defaultMode: 420",
            "          name: catalog-web-site",
            "        name: site-config",
            "",
            "$ helm -n storefront history catalog-web --max 3",
            "REVISION  UPDATED                   STATUS      CHART              APP VERSION  DESCRIPTION",
            "40        Tue May 12 09:14:01 2026  superseded  catalog-web-3.7.2  3.7.2        Upgrade complete",
            "41        Tue May 19 11:02:57 2026  deployed    catalog-web-3.8.0  3.8.0        Upgrade complete (SEC-412 container hardening)",
            "",
        ]
    )
    routine = routine_events(
        rng, ["checkout-api", "search-proxy", "reco-worker"], 20, NODES, namespace="storefront"
    )
    signal = [
        (
            ago(ROLL - 0.05),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/catalog-web",
                f"Scaled down replica set {OLD} to 1 from 2",
            ),
        ),
        (
            ago(ROLL),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/catalog-web",
                f"Scaled up replica set {NEW} to 2 from 0",
            ),
        ),
        (
            ago(ROLL + 1.5),
            (
                "Warning",
                "BackOff",
                f"pod/{NEW}-bq9s4",
                f"Back-off restarting failed container catalog-web in pod {NEW}-bq9s4_storefront(0f3c9a7e-5b21-4d8e-a6f4-8e1d2c7b9a30)",
            ),
        ),
        (
            ago(21),
            (
                "Normal",
                "Issuing",
                "certificate/storefront-tls",
                "The certificate has been successfully issued",
            ),
        ),
        (
            ago(29),
            (
                "Warning",
                "FailedGetResourceMetric",
                "horizontalpodautoscaler/checkout-api",
                "failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API",
            ),
        ),
        (
            ago(12),
            ("Warning", "NodeNotReady", "node/gke-prod-batch-pool-7d1e-c2pw", "Node is not ready"),
        ),
    ]
    return_files = {
        "kubectl-get-pods.txt": pods,
        "kubectl-describe-pod.txt": f"$ kubectl -n storefront describe pod {NEW}-x7kqp\n"
        + describe_pod(pod, rng),
        "kubectl-get-deploy-yaml.txt": yaml,
        "kubectl-get-events.txt": "$ kubectl -n storefront get events --sort-by=.lastTimestamp\n"
        + event_listing(routine, signal),
        "kubectl-logs-catalog-web-previous.txt": f"$ kubectl -n storefront logs {NEW}-x7kqp --previous --timestamps\n"
        + crashed.render(),
        "kubectl-logs-catalog-web-running.txt": f"$ kubectl -n storefront logs {OLD}-m4w2z --timestamps --since=80m\n"
        + old_logs.render(),
        "logs/edge-proxy.log": access.render(),
    }
    return Bundle(
        question="Since about 11:05 UTC a good share of storefront page loads time out or return 503/504. What is the root cause?",
        category="configuration",
        component="catalog-web",
        statement='Chart catalog-web-3.8.0, rolled out at 11:03 UTC, sets `readOnlyRootFilesystem: true` without a writable volume for nginx\'s cache directory, so every new pod exits with `mkdir() "/var/cache/nginx/client_temp" failed (30: Read-only file system)` and crash-loops; the stuck rollout left one old pod serving the storefront, which is overloaded and ingress-nginx answers 504/503.',
        files=return_files,
        proofs=[
            Proof("kubectl-get-deploy-yaml.txt", "readOnlyRootFilesystem: true"),
            Proof(
                "kubectl-logs-catalog-web-previous.txt",
                'nginx: [emerg] mkdir() "/var/cache/nginx/client_temp"',
            ),
        ],
        decoys=[
            "The certificate has been successfully issued",
            "FailedGetResourceMetric",
            "node/gke-prod-batch-pool-7d1e-c2pw",
        ],
    )
