# ruff: noqa: E501
# kubectl output and hand-written log lines are data, kept whole on one line.
"""Kubernetes: release 5.3.0 of invoice-renderer (rolled out 16:12 UTC) mounts its new
ConfigMap `invoice-renderer-flags` at `/app/config`, the directory where the image ships
`settings.toml` and `logging.yaml`. The mount hides the image's files, so every new pod exits
with `FileNotFoundError: [Errno 2] No such file or directory: '/app/config/logging.yaml'`; after
the rollout's surge the old pods are gone (maxUnavailable 100%), and billing-api's PDF calls fail
with 503. Decoys: billing-api's loud 503s, a Pending batch pod short of CPU, and the ConfigMap
reload warning from another app."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events, table
from records import KubectlTimestamps, PythonLogging, Record
from scenes import at, loud, python_traceback
from traffic import Line, traffic, web_api

START = datetime(2026, 7, 21, 15, 40, tzinfo=UTC)
NOW = datetime(2026, 7, 21, 16, 44, tzinfo=UTC)
ROLLOUT = 32.0
NS = "billing"
NODES = [
    "ip-172-20-33-14.eu-west-1.compute.internal",
    "ip-172-20-41-201.eu-west-1.compute.internal",
    "ip-172-20-57-90.eu-west-1.compute.internal",
]
PODS = [
    "invoice-renderer-8d5f7b6c4-4xw2j",
    "invoice-renderer-8d5f7b6c4-d7m9s",
    "invoice-renderer-8d5f7b6c4-qtn5v",
]


def api_error(rng: random.Random) -> Line:
    return (
        "ERROR",
        f"render failed for invoice INV-{rng.randrange(10**6, 10**7)}: 503 Service Unavailable from http://invoice-renderer.billing.svc:8000/render (no healthy upstream)",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(343_721)
    crash_t = NOW - timedelta(seconds=95)
    tb = python_traceback(
        [
            (
                "/app/renderer/main.py",
                14,
                "<module>",
                'setup_logging(Path(CONFIG_DIR) / "logging.yaml")',
            ),
            ("/app/renderer/logs.py", 22, "setup_logging", "with path.open() as handle:"),
            (
                "/usr/local/lib/python3.12/pathlib.py",
                1013,
                "open",
                "return io.open(self, mode, buffering, encoding, errors, newline)",
            ),
        ],
        "FileNotFoundError: [Errno 2] No such file or directory: '/app/config/logging.yaml'",
    )
    lines = [
        "invoice-renderer 5.3.0 starting (python 3.12.4, CONFIG_DIR=/app/config)",
        'feature flags loaded from /app/config/flags.json: {"pdf_a3": true, "qr_payments": false}',
        *tb,
    ]
    prev = (
        "$ kubectl -n billing logs invoice-renderer-8d5f7b6c4-4xw2j --previous --timestamps\n"
        + "\n".join(
            KubectlTimestamps().render(
                Record(crash_t + timedelta(milliseconds=40 + i), "INFO", line)
            )[0]
            for i, line in enumerate(lines)
        )
        + "\n"
    )
    yaml = (
        "\n".join(
            [
                "$ kubectl -n billing get deploy invoice-renderer -o yaml | sed -n '/strategy:/,/status:/p'",
                "  strategy:",
                "    rollingUpdate:",
                "      maxSurge: 100%",
                "      maxUnavailable: 100%",
                "    type: RollingUpdate",
                "  template:",
                "    metadata:",
                "      annotations:",
                "        checksum/flags: 3c1f0a9e7b4d2c6f8e0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6a",
                "      labels:",
                "        app: invoice-renderer",
                "        version: 5.3.0",
                "    spec:",
                "      containers:",
                "      - env:",
                "        - name: CONFIG_DIR",
                "          value: /app/config",
                "        image: 318274650921.dkr.ecr.eu-west-1.amazonaws.com/billing/invoice-renderer:5.3.0",
                "        name: invoice-renderer",
                "        ports:",
                "        - containerPort: 8000",
                "        readinessProbe:",
                "          httpGet:",
                "            path: /ready",
                "            port: 8000",
                "        volumeMounts:",
                "        - mountPath: /app/config",
                "          name: flags",
                "          readOnly: true",
                "      volumes:",
                "      - configMap:",
                "          name: invoice-renderer-flags",
                "        name: flags",
                "status:",
            ]
        )
        + "\n"
    )
    get = (
        "\n".join(
            [
                "$ kubectl -n billing get pods -o wide",
                *table(
                    ("NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE"),
                    [
                        *[
                            (
                                p,
                                "0/1",
                                "CrashLoopBackOff",
                                f"{n} ({a} ago)",
                                "32m",
                                f"172.20.{x}.{y}",
                                nd,
                            )
                            for p, n, a, x, y, nd in zip(
                                PODS,
                                [11, 11, 10],
                                ["95s", "2m", "4m11s"],
                                [33, 41, 57],
                                [118, 36, 201],
                                NODES,
                                strict=True,
                            )
                        ],
                        (
                            "billing-api-6b9d7f8c5-2ptrz",
                            "1/1",
                            "Running",
                            "0",
                            "3d",
                            "172.20.41.77",
                            NODES[1],
                        ),
                        (
                            "billing-api-6b9d7f8c5-zx8kq",
                            "1/1",
                            "Running",
                            "0",
                            "3d",
                            "172.20.57.12",
                            NODES[2],
                        ),
                        (
                            "ledger-export-28683950-jw4lp",
                            "0/1",
                            "Pending",
                            "0",
                            "14m",
                            "<none>",
                            "<none>",
                        ),
                    ],
                ),
                "",
                "$ kubectl -n billing get configmap invoice-renderer-flags -o yaml",
                "apiVersion: v1",
                "data:",
                '  flags.json: \'{"pdf_a3": true, "qr_payments": false}\'',
                "kind: ConfigMap",
                "metadata:",
                '  creationTimestamp: "2026-07-21T16:11:48Z"',
                "  labels:",
                "    app.kubernetes.io/managed-by: Helm",
                "  name: invoice-renderer-flags",
                "  namespace: billing",
            ]
        )
        + "\n"
    )
    age = int((NOW - START).total_seconds())
    routine = routine_events(
        rng, ["billing-api", "dunning-worker", "ledger-export"], 40, NODES, namespace=NS
    )
    signal = [
        (
            age - int(ROLLOUT * 60),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/invoice-renderer",
                "Scaled up replica set invoice-renderer-8d5f7b6c4 to 3",
            ),
        ),
        (
            age - int(ROLLOUT * 60) + 1,
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/invoice-renderer",
                "Scaled down replica set invoice-renderer-5f7c9d84b6 to 0 from 3",
            ),
        ),
        (
            95,
            (
                "Warning",
                "BackOff",
                f"pod/{PODS[0]}",
                f"Back-off restarting failed container invoice-renderer in pod {PODS[0]}_billing(7e2d1c4b-9a8f-4e3d-b2c1-0f9e8d7c6b5a)",
            ),
        ),
        (
            14 * 60,
            (
                "Warning",
                "FailedScheduling",
                "pod/ledger-export-28683950-jw4lp",
                "0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.",
            ),
        ),
        (
            47 * 60,
            (
                "Warning",
                "ConfigReloadFailed",
                "pod/dunning-worker-79c5d6b8f4-kh2mv",
                "config-reloader: ignoring invalid key 'retry.max_delay' in ConfigMap dunning-worker-config",
            ),
        ),
    ]
    api = LogFile(
        "kubectl-logs-billing-api.txt",
        PythonLogging(("billing.api", "billing.invoices", "uvicorn.access")),
    )
    api.add(
        traffic(rng, web_api("billing-api", ["invoices", "payments", "customers"]), START, 64, 2800)
    )
    api.add(loud(rng, START, ROLLOUT + 0.3, 64 - ROLLOUT - 0.5, 410, api_error))
    api.add([at(START, 8.0, "WARN", "Stripe webhook signature check slow: 1.9s")])
    files = {
        "kubectl-get.txt": get,
        "kubectl-get-deploy-yaml.txt": yaml,
        "kubectl-logs-previous.txt": prev,
        "kubectl-get-events.txt": "$ kubectl -n billing get events --sort-by=.lastTimestamp\n"
        + event_listing(routine, signal),
        "kubectl-logs-billing-api.txt": api.render(),
    }
    return Bundle(
        question="Invoice PDFs have failed with 503 since about 16:12 UTC. What is the root cause?",
        category="configuration",
        component="invoice-renderer",
        statement="invoice-renderer 5.3.0 mounts ConfigMap invoice-renderer-flags over /app/config, hiding the image's logging.yaml and settings.toml; every pod exits with FileNotFoundError for /app/config/logging.yaml and crash-loops, so billing-api's render calls get 503.",
        files=files,
        proofs=[
            Proof("kubectl-get-deploy-yaml.txt", "- mountPath: /app/config"),
            Proof("kubectl-logs-previous.txt", "FileNotFoundError: [Errno 2]"),
        ],
        decoys=[
            "no healthy upstream",
            "Insufficient cpu",
            "ignoring invalid key 'retry.max_delay'",
        ],
    )
