# ruff: noqa: E501
# kubectl output and hand-written log lines are data, kept whole on one line.
"""Kubernetes: the platform team's hardening values (pushed with chart helpdesk-web 2.9.0 at
08:41 UTC) set `runAsNonRoot: true` and `runAsUser: 101` on the helpdesk-web pod, whose nginx
image still listens on port 80. The new pods exit at once with `bind() to 0.0.0.0:80 failed
(13: Permission denied)` and crash-loop; the rollout stalls at one new pod and the two old pods
carry all traffic, so the edge sees slow pages and some 503s. Decoys: a failed liveness probe
on an old pod under the extra load, the nginx `conflicting server name` warning that every pod
prints, and a node's image garbage collection."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, Proof
from kube import (
    Container,
    Deployment,
    Pod,
    describe_deployment,
    describe_pod,
    event_listing,
    routine_events,
    table,
)
from records import KubectlTimestamps, NginxAccess, Record
from scenes import at
from traffic import Line, traffic

START = datetime(2026, 6, 3, 8, 0, tzinfo=UTC)
NOW = datetime(2026, 6, 3, 9, 27, tzinfo=UTC)
UPGRADE = 41.0
NS = "support"
NODES = [
    "gke-prod-pool-b-4e1c9a7d-k2pz",
    "gke-prod-pool-b-4e1c9a7d-r8wn",
    "gke-prod-pool-b-4e1c9a7d-x61q",
]
NEW = "helpdesk-web-5c6b8f97d4-m9t2x"
OLD = ["helpdesk-web-7d4f6b5c88-8hx2q", "helpdesk-web-7d4f6b5c88-wq5rk"]


def access_line(rng: random.Random) -> Line:
    path = rng.choice(
        [
            "/",
            "/tickets",
            f"/tickets/{rng.randrange(10**5)}",
            "/kb/search?q=vpn",
            "/assets/app.4c1d.js",
            "/healthz",
        ]
    )
    return (
        "INFO",
        f'"GET {path} HTTP/1.1" 200 {rng.randrange(300, 22000)} "-" "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/125.0" {rng.lognormvariate(0, 0.5) * 0.03:.3f}',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(342_603)
    crash = [
        "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration",
        "/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/",
        "10-listen-on-ipv6-by-default.sh: info: can not modify /etc/nginx/conf.d/default.conf (read-only file system?)",
        "/docker-entrypoint.sh: Configuration complete; ready for start up",
        'nginx: [warn] the "user" directive makes sense only if the master process runs with super-user privileges, ignored in /etc/nginx/nginx.conf:2',
        'nginx: [warn] conflicting server name "helpdesk.internal" on 0.0.0.0:80, ignored',
        "nginx: [emerg] bind() to 0.0.0.0:80 failed (13: Permission denied)",
    ]
    t0 = NOW - timedelta(seconds=71)
    logs_prev = (
        "$ kubectl -n support logs helpdesk-web-5c6b8f97d4-m9t2x --previous --timestamps\n"
        + "\n".join(
            KubectlTimestamps().render(
                Record(t0 + timedelta(milliseconds=9 * i + 4), "INFO", line)
            )[0]
            for i, line in enumerate(crash)
        )
        + "\n"
    )
    acc = NginxAccess(rng=rng)
    recs = traffic(rng, access_line, START, 87, 3300)
    old_text = (
        "$ kubectl -n support logs helpdesk-web-7d4f6b5c88-8hx2q --timestamps --since=90m\n"
        + "\n".join(
            KubectlTimestamps().render(at(r.time, 0, "INFO", acc.render(r)[0]))[0] for r in recs
        )
        + "\n"
    )
    new_pod = Pod(
        name=NEW,
        namespace=NS,
        node=NODES[2],
        app="helpdesk-web",
        status="Running",
        ip="10.52.2.37",
        start_time="Wed, 03 Jun 2026 08:41:22 +0000",
        conditions={
            "Initialized": "True",
            "Ready": "False",
            "ContainersReady": "False",
            "PodScheduled": "True",
        },
        containers=[
            Container(
                name="helpdesk-web",
                image="europe-docker.pkg.dev/acme-prod/web/helpdesk-web:3.14.2",
                state=["Waiting", "  Reason:       CrashLoopBackOff"],
                last_state=[
                    "Terminated",
                    "  Reason:       Error",
                    "  Exit Code:    1",
                    "  Started:      Wed, 03 Jun 2026 09:25:49 +0000",
                    "  Finished:     Wed, 03 Jun 2026 09:25:49 +0000",
                ],
                ready=False,
                restarts=13,
                limits={"cpu": "500m", "memory": "256Mi"},
                requests={"cpu": "100m", "memory": "128Mi"},
                probes=[
                    "Liveness:       http-get http://:80/healthz delay=5s timeout=2s period=10s #success=1 #failure=3",
                    "Readiness:      http-get http://:80/healthz delay=3s timeout=2s period=5s #success=1 #failure=3",
                ],
                port="80/TCP",
            )
        ],
        events=[
            (
                "Normal",
                "Scheduled",
                "46m",
                "default-scheduler",
                f"Successfully assigned support/{NEW} to {NODES[2]}",
            ),
            (
                "Normal",
                "Pulled",
                "46m",
                "kubelet",
                'Successfully pulled image "europe-docker.pkg.dev/acme-prod/web/helpdesk-web:3.14.2" in 1.93s',
            ),
            ("Normal", "Created", "44m (x5 over 46m)", "kubelet", "Created container helpdesk-web"),
            ("Normal", "Started", "44m (x5 over 46m)", "kubelet", "Started container helpdesk-web"),
            (
                "Warning",
                "BackOff",
                "71s (x201 over 46m)",
                "kubelet",
                "Back-off restarting failed container helpdesk-web in pod helpdesk-web-5c6b8f97d4-m9t2x_support(1f0c8e6a-3d2b-4f71-9a55-0b7e2c4d9f13)",
            ),
        ],
    )
    yaml = (
        "\n".join(
            [
                "$ kubectl -n support get deploy helpdesk-web -o yaml | sed -n '/template:/,/status:/p'",
                "  template:",
                "    metadata:",
                "      labels:",
                "        app: helpdesk-web",
                "    spec:",
                "      containers:",
                "      - image: europe-docker.pkg.dev/acme-prod/web/helpdesk-web:3.14.2",
                "        name: helpdesk-web",
                "        ports:",
                "        - containerPort: 80",
                "          protocol: TCP",
                "        securityContext:",
                "          allowPrivilegeEscalation: false",
                "          capabilities:",
                "            drop:",
                "            - ALL",
                "          readOnlyRootFilesystem: true",
                "        volumeMounts:",
                "        - mountPath: /var/cache/nginx",
                "          name: cache",
                "        - mountPath: /var/run",
                "          name: run",
                "      securityContext:",
                "        runAsNonRoot: true",
                "        runAsUser: 101",
                "        runAsGroup: 101",
                "        seccompProfile:",
                "          type: RuntimeDefault",
                "      volumes:",
                "      - emptyDir: {}",
                "        name: cache",
                "      - emptyDir: {}",
                "        name: run",
                "status:",
            ]
        )
        + "\n"
    )
    dep = describe_deployment(
        Deployment(
            name="helpdesk-web",
            namespace=NS,
            image="europe-docker.pkg.dev/acme-prod/web/helpdesk-web:3.14.2",
            replicas="3 desired | 1 updated | 3 total | 2 available | 1 unavailable",
            conditions=[
                ("Available", "True", "MinimumReplicasAvailable"),
                ("Progressing", "False", "ProgressDeadlineExceeded"),
            ],
            old_replica_set="helpdesk-web-7d4f6b5c88 (2/2 replicas created)",
            new_replica_set="helpdesk-web-5c6b8f97d4 (1/1 replicas created)",
            events=[
                (
                    "Normal",
                    "ScalingReplicaSet",
                    "46m",
                    "deployment-controller",
                    "Scaled up replica set helpdesk-web-5c6b8f97d4 to 1",
                ),
                (
                    "Normal",
                    "ScalingReplicaSet",
                    "46m",
                    "deployment-controller",
                    "Scaled down replica set helpdesk-web-7d4f6b5c88 to 2 from 3",
                ),
            ],
            port="80/TCP",
        )
    )
    get = (
        "\n".join(
            [
                "$ kubectl -n support get pods -o wide",
                *table(
                    ("NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE"),
                    [
                        (OLD[0], "1/1", "Running", "1 (12m ago)", "6d", "10.52.0.14", NODES[0]),
                        (OLD[1], "1/1", "Running", "0", "6d", "10.52.1.92", NODES[1]),
                        (
                            NEW,
                            "0/1",
                            "CrashLoopBackOff",
                            "13 (71s ago)",
                            "46m",
                            "10.52.2.37",
                            NODES[2],
                        ),
                        (
                            "helpdesk-api-69f7c4d8b5-5jz7p",
                            "1/1",
                            "Running",
                            "0",
                            "2d",
                            "10.52.0.61",
                            NODES[0],
                        ),
                        (
                            "helpdesk-api-69f7c4d8b5-tc4lw",
                            "1/1",
                            "Running",
                            "0",
                            "2d",
                            "10.52.2.11",
                            NODES[2],
                        ),
                    ],
                ),
                "",
                "$ helm -n support history helpdesk-web --max 2",
                *table(
                    ("REVISION", "UPDATED", "STATUS", "CHART", "APP VERSION", "DESCRIPTION"),
                    [
                        (
                            "21",
                            "Thu May 28 15:02:11 2026",
                            "superseded",
                            "helpdesk-web-2.8.4",
                            "3.14.2",
                            "Upgrade complete",
                        ),
                        (
                            "22",
                            "Wed Jun  3 08:41:19 2026",
                            "deployed",
                            "helpdesk-web-2.9.0",
                            "3.14.2",
                            "Upgrade complete",
                        ),
                    ],
                ),
            ]
        )
        + "\n"
    )
    age = int((NOW - START).total_seconds())
    routine = routine_events(
        rng, ["helpdesk-api", "mail-ingest", "sla-timer"], 45, NODES, namespace=NS
    )
    signal = [
        (
            age - int(UPGRADE * 60) - 3,
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/helpdesk-web",
                "Scaled up replica set helpdesk-web-5c6b8f97d4 to 1",
            ),
        ),
        (
            age - (74 * 60),
            (
                "Warning",
                "Unhealthy",
                f"pod/{OLD[0]}",
                'Liveness probe failed: Get "http://10.52.0.14:80/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
            ),
        ),
        (
            age - (75 * 60),
            (
                "Normal",
                "Killing",
                f"pod/{OLD[0]}",
                "Container helpdesk-web failed liveness probe, will be restarted",
            ),
        ),
        (
            age - (58 * 60),
            (
                "Normal",
                "ImageGCSuccess",
                f"node/{NODES[1]}",
                "Image garbage collection succeeded, freed 1.4GiB",
            ),
        ),
        (
            age - (61 * 60),
            (
                "Warning",
                "BackOff",
                f"pod/{NEW}",
                "Back-off restarting failed container helpdesk-web in pod helpdesk-web-5c6b8f97d4-m9t2x_support(1f0c8e6a-3d2b-4f71-9a55-0b7e2c4d9f13)",
            ),
        ),
    ]
    files = {
        "kubectl-get.txt": get,
        "kubectl-describe-deployment.txt": dep,
        "kubectl-get-deploy-yaml.txt": yaml,
        "kubectl-describe-pod.txt": describe_pod(new_pod, rng),
        "kubectl-logs-previous.txt": logs_prev,
        "kubectl-get-events.txt": "$ kubectl -n support get events --sort-by=.lastTimestamp\n"
        + event_listing(routine, signal),
        "kubectl-logs-helpdesk-web-old.txt": old_text,
    }
    return Bundle(
        question="The helpdesk-web rollout started at 08:41 UTC never finishes and the helpdesk is slow with some 503s. What is wrong?",
        category="permission",
        component="helpdesk-web",
        statement="Chart helpdesk-web-2.9.0 made the pod run as non-root user 101 while its nginx still listens on port 80; the new pods exit with `bind() to 0.0.0.0:80 failed (13: Permission denied)` and crash-loop, so the rollout stalls and two old pods carry the load.",
        files=files,
        proofs=[
            Proof(
                "kubectl-logs-previous.txt", "bind() to 0.0.0.0:80 failed (13: Permission denied)"
            ),
            Proof("kubectl-get-deploy-yaml.txt", "runAsUser: 101"),
        ],
        decoys=[
            "Liveness probe failed",
            "conflicting server name",
            "Image garbage collection succeeded",
        ],
    )
