# ruff: noqa: E501
# kubectl output, pasted YAML and hand-written log lines are data, kept whole on one line.
"""Kubernetes: at 14:22 UTC the labelgen chart 2.9.0 (platform hardening ticket SEC-1187) added
`readOnlyRootFilesystem: true` to labelgen's container securityContext. gunicorn already keeps
its worker heartbeat files in /dev/shm, so the pods start, pass readiness and the rollout
completes; but labelgen renders every shipping label to LABEL_CACHE_DIR=/var/cache/labelgen on
the container's root filesystem, and no emptyDir was mounted there. Every POST /v1/labels fails
with `OSError: [Errno 30] Read-only file system` and a 500; dispatch-api, which calls it for each
shipment, pushes shipments to the manual print queue. Loud: dispatch-api's label-step errors.
Decoys: a Kyverno audit report about another workload (pickwave), a readiness probe failing
during the rollout's start-up, and a carrier 429 retried successfully before the change."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events
from records import Record, Zap, space_millis
from scenes import at, fixed, loud, python_traceback
from traffic import traffic, web_api

START = datetime(2026, 2, 17, 13, 0, tzinfo=UTC)
NOW = datetime(2026, 2, 17, 15, 34, tzinfo=UTC)
ROLLOUT = 82.0  # 14:22 UTC
NODES = [
    "gke-wh-prod-pool-b-6f1c2a9e-2kxm",
    "gke-wh-prod-pool-b-6f1c2a9e-9qzt",
    "gke-wh-prod-pool-b-6f1c2a9e-tf4w",
]
NEW_RS = "labelgen-5b9f7d6c84"
OLD_RS = "labelgen-7c4d8e9f15"
POD = f"{NEW_RS}-h2vtn"
CARRIERS = ["ups", "dhl", "fedex", "dpd", "postnl"]


@dataclass
class GunicornPython:
    """Python logging `%(asctime)s %(levelname)s [%(name)s] %(message)s`; the `raw` logger writes
    the line as is (gunicorn's own and C libraries' stderr lines)."""

    rng: random.Random

    def render(self, record: Record) -> list[str]:
        if record.logger == "raw":
            return [record.message, *record.trailer]
        level = {"WARN": "WARNING", "FATAL": "CRITICAL"}.get(record.level, record.level)
        logger = record.logger or self.rng.choice(
            ("labelgen.api", "labelgen.render", "labelgen.carriers", "labelgen.store")
        )
        stamp = space_millis(record.time, ",")
        return [f"{stamp} {level} [{logger}] {record.message}", *record.trailer]


def render_trace(shipment: str, carrier: str) -> list[str]:
    return python_traceback(
        [
            (
                "/app/labelgen/api.py",
                88,
                "create_label",
                "path = renderer.render(shipment, carrier=req.carrier)",
            ),
            (
                "/app/labelgen/render.py",
                141,
                "render",
                "with open(target, 'wb') as fh:",
            ),
        ],
        f"OSError: [Errno 30] Read-only file system: '/var/cache/labelgen/{carrier}/{shipment}.pdf'",
    )


def gunicorn_boot(minute: float, pid: int) -> list[Record]:
    stamp = (START + timedelta(minutes=minute)).strftime("%Y-%m-%d %H:%M:%S")
    lines = [
        f"[{stamp} +0000] [1] [INFO] Starting gunicorn 21.2.0",
        f"[{stamp} +0000] [1] [INFO] Listening at: http://0.0.0.0:8000 (1)",
        f"[{stamp} +0000] [1] [INFO] Using worker: gthread",
        f"[{stamp} +0000] [{pid}] [INFO] Booting worker with pid: {pid}",
        f"[{stamp} +0000] [{pid + 1}] [INFO] Booting worker with pid: {pid + 1}",
    ]
    return [
        at(START, minute + index * 0.011, "INFO", line, logger="raw")
        for index, line in enumerate(lines)
    ]


def bundle() -> Bundle:
    rng = random.Random(55117)
    total = (NOW - START).total_seconds() / 60

    labelgen = LogFile("logs/labelgen.log", GunicornPython(rng))
    labelgen.add(
        traffic(
            rng, web_api("labelgen", ["manifests", "carriers", "templates"]), START, total, 3100
        )
    )
    labelgen.add(
        loud(
            rng,
            START,
            0,
            ROLLOUT - 1,
            520,
            fixed(
                "INFO",
                lambda r: (
                    f"label written shipment=SHP-{r.randrange(10**7, 10**8)} carrier={r.choice(CARRIERS)} path=/var/cache/labelgen/ pages=1 bytes={r.randrange(18000, 64000)} in {r.randrange(40, 260)}ms"
                ),
            ),
        )
    )
    for boot in (ROLLOUT + 0.3, ROLLOUT + 1.0, ROLLOUT + 1.1):
        labelgen.add(gunicorn_boot(boot, 8))
        labelgen.add(
            [
                at(
                    START,
                    boot + 0.12,
                    "WARN",
                    "Fontconfig error: No writable cache directories",
                    logger="raw",
                ),
                at(
                    START,
                    boot + 0.15,
                    "INFO",
                    "labelgen 3.4.1 ready: cache_dir=/var/cache/labelgen carriers=ups,dhl,fedex,dpd,postnl templates=42",
                    logger="labelgen.api",
                ),
            ]
        )
    for stop in (ROLLOUT + 1.05, ROLLOUT + 1.15, ROLLOUT + 1.3):
        stamp = (START + timedelta(minutes=stop)).strftime("%Y-%m-%d %H:%M:%S")
        labelgen.add(
            [
                at(
                    START,
                    stop,
                    "INFO",
                    f"[{stamp} +0000] [1] [INFO] Handling signal: term",
                    logger="raw",
                )
            ]
        )
    labelgen.add(
        [
            at(
                START,
                ROLLOUT + 1.9,
                "ERROR",
                "render failed shipment=SHP-40418872 carrier=dhl",
                render_trace("SHP-40418872", "dhl"),
                logger="labelgen.render",
            ),
        ]
    )

    def failure(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
        shipment = f"SHP-{r.randrange(10**7, 10**8)}"
        carrier = r.choice(CARRIERS)
        return (
            "ERROR",
            f"render failed shipment={shipment} carrier={carrier}",
            tuple(render_trace(shipment, carrier)),
        )

    labelgen.add(loud(rng, START, ROLLOUT + 2.0, total - ROLLOUT - 2.1, 430, failure))
    labelgen.add(
        loud(
            rng,
            START,
            ROLLOUT + 2.0,
            total - ROLLOUT - 2.1,
            430,
            fixed(
                "INFO",
                lambda r: (
                    f'10.52.{r.randrange(0, 4)}.{r.randrange(2, 250)} "POST /v1/labels HTTP/1.1" 500 141 {r.randrange(8, 40)}ms'
                ),
            ),
        )
    )

    dispatch = LogFile(
        "logs/dispatch-api.log",
        Zap(
            (
                "shipments/handler.go:131",
                "labels/client.go:77",
                "carriers/rates.go:54",
                "queue/publisher.go:42",
            ),
            rng=rng,
        ),
    )
    dispatch.add(
        traffic(rng, web_api("dispatch-api", ["shipments", "waves", "parcels"]), START, total, 3600)
    )
    dispatch.add(
        loud(
            rng,
            START,
            0,
            ROLLOUT,
            300,
            fixed(
                "INFO",
                lambda r: (
                    f"label ready shipment=SHP-{r.randrange(10**7, 10**8)} station=pack-{r.randrange(1, 24):02d} latency_ms={r.randrange(60, 340)}"
                ),
            ),
        )
    )
    dispatch.add(
        loud(
            rng,
            START,
            ROLLOUT + 2.0,
            total - ROLLOUT - 2.1,
            820,
            fixed(
                "ERROR",
                lambda r: (
                    f'label step failed shipment=SHP-{r.randrange(10**7, 10**8)} station=pack-{r.randrange(1, 24):02d}: POST http://labelgen.fulfil.svc.cluster.local:8000/v1/labels: unexpected status 500 Internal Server Error (body: {{"error":"label rendering failed"}})'
                ),
                lambda r: (),
            ),
        )
    )
    dispatch.add(
        loud(
            rng,
            START,
            ROLLOUT + 2.5,
            total - ROLLOUT - 3,
            260,
            fixed(
                "WARN",
                lambda r: (
                    f"shipment SHP-{r.randrange(10**7, 10**8)} moved to manual_print queue after 3 label attempts (wave W-{r.randrange(3000, 3400)})"
                ),
            ),
        )
    )
    dispatch.add(
        [
            at(
                START,
                35.2,
                "WARN",
                "carrier fedex rate quote returned 429 Too Many Requests, retry 1/3 after 2s succeeded",
                logger="carriers/rates.go:54",
            )
        ]
    )

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    routine = routine_events(
        rng,
        ["pickwave", "dispatch-api", "carrier-sync", "wave-planner"],
        24,
        NODES,
        namespace="fulfil",
    )
    signal = [
        (
            ago(ROLLOUT),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/labelgen",
                f"Scaled up replica set {NEW_RS} to 1",
            ),
        ),
        (
            ago(ROLLOUT + 0.2),
            (
                "Warning",
                "Unhealthy",
                f"pod/{POD}",
                'Readiness probe failed: Get "http://10.52.1.77:8000/healthz": dial tcp 10.52.1.77:8000: connect: connection refused',
            ),
        ),
        (
            ago(ROLLOUT + 1.1),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/labelgen",
                f"Scaled down replica set {OLD_RS} to 0 from 3",
            ),
        ),
        (
            ago(ROLLOUT + 1.2),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/labelgen",
                f"Scaled up replica set {NEW_RS} to 3 from 2",
            ),
        ),
        (
            ago(61),
            (
                "Warning",
                "PolicyViolation",
                "pod/pickwave-6d8b9c7f5d-q8wzr",
                "policy restrict-root-fs/check-readonly-rootfs fail (audit): validation error: Root filesystem must be read-only. rule check-readonly-rootfs failed at path /spec/containers/0/securityContext/readOnlyRootFilesystem/",
            ),
        ),
    ]
    events = event_listing(routine, signal)

    pod = Pod(
        name=POD,
        namespace="fulfil",
        node=NODES[1],
        app="labelgen",
        ip="10.52.1.77",
        start_time="Tue, 17 Feb 2026 14:22:14 +0000",
        service_account="labelgen",
        containers=[
            Container(
                "labelgen",
                "europe-west4-docker.pkg.dev/wh-prod/apps/labelgen:3.4.1",
                state=["Running", "  Started:      Tue, 17 Feb 2026 14:22:30 +0000"],
                limits={"cpu": "1", "memory": "768Mi"},
                requests={"cpu": "250m", "memory": "512Mi"},
                probes=[
                    "Readiness:  http-get http://:8000/healthz delay=5s timeout=2s period=10s #success=1 #failure=3"
                ],
                environment=[
                    "LABEL_CACHE_DIR:   /var/cache/labelgen",
                    "LABEL_TEMPLATES:   /etc/labelgen/templates",
                    "GUNICORN_WORKERS:  2",
                ],
                port="8000/TCP",
            )
        ],
        volumes=[
            "  templates:",
            "    Type:      ConfigMap (a volume populated by a ConfigMap)",
            "    Name:      labelgen-templates",
            "    Optional:  false",
        ],
    )
    describe = describe_pod(pod, rng).replace(
        "    Mounts:\n      /var/run/secrets",
        "    Mounts:\n      /etc/labelgen/templates from templates (ro)\n      /var/run/secrets",
    )

    deploy = "\n".join(
        [
            "$ kubectl -n fulfil rollout history deploy/labelgen",
            "deployment.apps/labelgen",
            "REVISION  CHANGE-CAUSE",
            "17        helm upgrade labelgen 2.8.3 (labelgen 3.4.1)",
            "18        helm upgrade labelgen 2.9.0: pod security baseline (SEC-1187)",
            "",
            "$ kubectl -n fulfil get deploy labelgen -o yaml | sed -n '/^spec:/,/^status:/p'",
            "spec:",
            "  progressDeadlineSeconds: 600",
            "  replicas: 3",
            "  revisionHistoryLimit: 10",
            "  selector:",
            "    matchLabels:",
            "      app: labelgen",
            "  strategy:",
            "    rollingUpdate:",
            "      maxSurge: 25%",
            "      maxUnavailable: 25%",
            "    type: RollingUpdate",
            "  template:",
            "    metadata:",
            "      labels:",
            "        app: labelgen",
            "    spec:",
            "      containers:",
            "      - args:",
            "        - --bind=0.0.0.0:8000",
            "        - --workers=2",
            "        - --threads=4",
            "        - --worker-tmp-dir=/dev/shm",
            "        - labelgen.wsgi:app",
            "        command:",
            "        - gunicorn",
            "        env:",
            "        - name: LABEL_CACHE_DIR",
            "          value: /var/cache/labelgen",
            "        - name: LABEL_TEMPLATES",
            "          value: /etc/labelgen/templates",
            "        - name: GUNICORN_WORKERS",
            '          value: "2"',
            "        image: europe-west4-docker.pkg.dev/wh-prod/apps/labelgen:3.4.1",
            "        imagePullPolicy: IfNotPresent",
            "        name: labelgen",
            "        ports:",
            "        - containerPort: 8000",
            "          name: http",
            "          protocol: TCP",
            "        readinessProbe:",
            "          failureThreshold: 3",
            "          httpGet:",
            "            path: /healthz",
            "            port: 8000",
            "            scheme: HTTP",
            "          initialDelaySeconds: 5",
            "          periodSeconds: 10",
            "          successThreshold: 1",
            "          timeoutSeconds: 2",
            "        resources:",
            "          limits:",
            '            cpu: "1"',
            "            memory: 768Mi",
            "          requests:",
            "            cpu: 250m",
            "            memory: 512Mi",
            "        securityContext:",
            "          allowPrivilegeEscalation: false",
            "          capabilities:",
            "            drop:",
            "            - ALL",
            "          readOnlyRootFilesystem: true",
            "          runAsNonRoot: true",
            "          runAsUser: 10001",
            "        terminationMessagePath: /dev/termination-log",
            "        terminationMessagePolicy: File",
            "        volumeMounts:",
            "        - mountPath: /etc/labelgen/templates",
            "          name: templates",
            "          readOnly: true",
            "      dnsPolicy: ClusterFirst",
            "      restartPolicy: Always",
            "      schedulerName: default-scheduler",
            "      securityContext:",
            "        fsGroup: 10001",
            "        seccompProfile:",
            "          type: RuntimeDefault",
            "      serviceAccountName: labelgen",
            "      terminationGracePeriodSeconds: 30",
            "      volumes:",
            "      - configMap:",
            "          defaultMode: 420",
            "          name: labelgen-templates",
            "        name: templates",
            "status:",
            "",
            "$ kubectl -n fulfil get pods -l app=labelgen -o wide",
            "NAME                        READY   STATUS    RESTARTS   AGE   IP            NODE                               NOMINATED NODE   READINESS GATES",
            f"{NEW_RS}-h2vtn   1/1     Running   0          71m   10.52.1.77    {NODES[1]}   <none>           <none>",
            f"{NEW_RS}-rk5c2   1/1     Running   0          70m   10.52.0.141   {NODES[0]}   <none>           <none>",
            f"{NEW_RS}-x7p9d   1/1     Running   0          70m   10.52.2.19    {NODES[2]}   <none>           <none>",
            "",
        ]
    )
    return Bundle(
        question="Since about 14:25 UTC the packing stations can't print shipping labels: dispatch-api logs a label step failure for almost every shipment and they all end up in the manual print queue. Nothing changed in dispatch-api today. What is the root cause?",
        category="configuration",
        component="labelgen",
        statement="The labelgen chart 2.9.0 hardening release (SEC-1187, 14:22 UTC) set readOnlyRootFilesystem: true on labelgen's container without mounting a writable emptyDir at LABEL_CACHE_DIR=/var/cache/labelgen, so every label render fails with `OSError: [Errno 30] Read-only file system` and labelgen answers dispatch-api's POST /v1/labels with 500.",
        files={
            "logs/dispatch-api.log": dispatch.render(),
            "logs/labelgen.log": labelgen.render(),
            "kubectl-get-events.txt": events,
            f"kubectl-describe-pod-{POD}.txt": describe,
            "kubectl-labelgen-deploy.txt": deploy,
        },
        proofs=[
            Proof("kubectl-labelgen-deploy.txt", "readOnlyRootFilesystem: true"),
            Proof(
                "logs/labelgen.log",
                "render failed shipment=SHP-40418872",
                "OSError: [Errno 30] Read-only file system: '/var/cache/labelgen/dhl/SHP-40418872.pdf'",
            ),
            Proof("kubectl-labelgen-deploy.txt", "18        helm upgrade labelgen 2.9.0"),
        ],
        decoys=[
            "policy restrict-root-fs/check-readonly-rootfs fail (audit)",
            'Readiness probe failed: Get "http://10.52.1.77:8000/healthz"',
            "carrier fedex rate quote returned 429 Too Many Requests",
        ],
    )
