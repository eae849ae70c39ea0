# ruff: noqa: E501
# kubectl rows, access-log lines and hand-written log lines are data, kept whole on one line.
"""Kubernetes: catalog-web 4.0.0 (rollout at 09:20 UTC) moved to a distroless `nonroot` base image
(USER 65532), but the Deployment still sets `HTTP_ADDR=:80`. An unprivileged process cannot bind
a port below 1024 without NET_BIND_SERVICE, so the new pods exit at start (`bind: permission
denied`) and crash-loop; the rollout stalls with one old pod gone and the edge sees more 503s
and slower pages under the remaining pods. Decoys: a Redis failover notice in the old pods, an
ingress-nginx config reload, and a 404 storm from a crawler."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events
from records import KubectlTimestamps, NginxAccess, Record
from scenes import at, loud
from traffic import http_access, traffic

START = datetime(2026, 8, 5, 8, 30, tzinfo=UTC)
NOW = datetime(2026, 8, 5, 10, 12, tzinfo=UTC)
ROLLOUT = 50.0  # 09:20 UTC
NODES = ["worker-eu-3a-07", "worker-eu-3b-02", "worker-eu-3c-11"]


def bundle() -> Bundle:
    rng = random.Random(6053)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    edge = LogFile("ingress-nginx-controller-access.log", NginxAccess(rng=rng))
    edge.add(
        traffic(
            rng,
            http_access(["/", "/c/{id}", "/p/{id}", "/search?q=lamp", "/static/app.{id}.js"], 60),
            START,
            total,
            5200,
        )
    )

    def unavailable(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
        return (
            "ERROR",
            f'"GET /p/{r.randrange(10**6)} HTTP/1.1" 503 190 "-" "Mozilla/5.0 (X11; Linux x86_64)" {r.randrange(1, 40) / 1000:.3f}',
            (),
        )

    def crawler(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
        return (
            "WARN",
            f'"GET /wp-admin/{r.choice(["setup-config.php", "install.php", "admin-ajax.php"])} HTTP/1.1" 404 153 "-" "Mozilla/5.0 (compatible; Bytespider)" 0.004',
            (),
        )

    edge.add(loud(rng, START, ROLLOUT + 1, total - ROLLOUT - 1, 260, unavailable))
    edge.add(loud(rng, START, 22.0, 3.0, 180, crawler))

    previous = LogFile("kubectl-logs-catalog-web-previous.txt", KubectlTimestamps())
    crash = START + timedelta(minutes=total - 1.2)
    previous.add(
        [
            Record(
                crash,
                "INFO",
                '{"level":"info","ts":"2026-08-05T10:10:48.000Z","msg":"catalog-web starting","version":"4.0.0","commit":"9c1e7b2","go":"go1.23.4"}',
            ),
            Record(
                crash + timedelta(milliseconds=40),
                "INFO",
                '{"level":"info","ts":"2026-08-05T10:10:48.040Z","msg":"connected to redis","addr":"catalog-cache.shop.svc:6379"}',
            ),
            Record(
                crash + timedelta(milliseconds=52),
                "INFO",
                '{"level":"info","ts":"2026-08-05T10:10:48.052Z","msg":"loaded 18231 products from catalog-api"}',
            ),
            Record(
                crash + timedelta(milliseconds=53),
                "ERROR",
                '{"level":"fatal","ts":"2026-08-05T10:10:48.053Z","msg":"http server failed","addr":":80","uid":65532,"error":"listen tcp :80: bind: permission denied"}',
            ),
        ]
    )
    previous_text = (
        "$ kubectl -n shop logs catalog-web-6d8b9f7c5d-x7kqm --previous --timestamps\n"
        + previous.render()
    )

    old_logs = LogFile("kubectl-logs-catalog-web-old.txt", KubectlTimestamps())
    old_logs.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f'{{"level":"info","ts":"-","msg":"request","method":"GET","path":"/p/{r.randrange(10**6)}","status":200,"dur_ms":{r.randrange(8, 140)}}}',
                (),
            ),
            START,
            total,
            2600,
        )
    )
    old_logs.add(
        [
            at(
                START,
                37.5,
                "WARN",
                '{"level":"warn","ts":"-","msg":"redis: sentinel switched master","from":"10.40.2.17:6379","to":"10.40.1.90:6379"}',
            )
        ]
    )
    old_text = (
        "$ kubectl -n shop logs catalog-web-58c7d4b6f9-2pwlz --timestamps --since=2h\n"
        + "".join(
            line.replace('"ts":"-"', f'"ts":"{line[:23]}Z"') + "\n"
            for line in old_logs.render().splitlines()
        )
    )

    pod = Pod(
        name="catalog-web-6d8b9f7c5d-x7kqm",
        namespace="shop",
        node=NODES[1],
        app="catalog-web",
        start_time="Wed, 05 Aug 2026 09:20:14 +0000",
        ip="10.40.6.51",
        containers=[
            Container(
                name="catalog-web",
                image="ghcr.io/lampshop/catalog-web:4.0.0",
                port="80/TCP",
                state=["Waiting", "  Reason:       CrashLoopBackOff"],
                last_state=[
                    "Terminated",
                    "  Reason:       Error",
                    "  Exit Code:    1",
                    "  Started:      Wed, 05 Aug 2026 10:10:48 +0000",
                    "  Finished:     Wed, 05 Aug 2026 10:10:48 +0000",
                ],
                ready=False,
                restarts=15,
                limits={"memory": "512Mi"},
                requests={"cpu": "200m", "memory": "256Mi"},
                probes=[
                    "Readiness:  http-get http://:80/healthz delay=3s timeout=1s period=5s #success=1 #failure=3"
                ],
                environment=[
                    "HTTP_ADDR:     :80",
                    "REDIS_ADDR:    catalog-cache.shop.svc:6379",
                    "CATALOG_API:   http://catalog-api.shop.svc:8080",
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
                "Scheduled",
                "52m",
                "default-scheduler",
                f"Successfully assigned shop/catalog-web-6d8b9f7c5d-x7kqm to {NODES[1]}",
            ),
            (
                "Normal",
                "Pulled",
                "52m",
                "kubelet",
                'Successfully pulled image "ghcr.io/lampshop/catalog-web:4.0.0" in 3.912s (3.912s including waiting). Image size: 21873354 bytes.',
            ),
            ("Normal", "Created", "50m (x5 over 52m)", "kubelet", "Created container catalog-web"),
            ("Normal", "Started", "50m (x5 over 52m)", "kubelet", "Started container catalog-web"),
            (
                "Warning",
                "BackOff",
                "2m (x228 over 52m)",
                "kubelet",
                "Back-off restarting failed container catalog-web in pod catalog-web-6d8b9f7c5d-x7kqm_shop(81f2c0d7-4b6a-49e3-a9d1-7e2c5f038b64)",
            ),
        ],
    )
    describe = "$ kubectl -n shop describe pod catalog-web-6d8b9f7c5d-x7kqm\n" + describe_pod(
        pod, rng
    )

    get_text = "\n".join(
        [
            "$ kubectl -n shop get pods -l app=catalog-web -o wide",
            "NAME                           READY   STATUS             RESTARTS        AGE   IP           NODE              NOMINATED NODE   READINESS GATES",
            f"catalog-web-58c7d4b6f9-2pwlz   1/1     Running            0               3d    10.40.2.33   {NODES[0]}   <none>           <none>",
            f"catalog-web-58c7d4b6f9-g9vns   1/1     Running            0               3d    10.40.9.12   {NODES[2]}   <none>           <none>",
            f"catalog-web-58c7d4b6f9-rq5hd   1/1     Running            0               3d    10.40.6.20   {NODES[1]}   <none>           <none>",
            f"catalog-web-6d8b9f7c5d-x7kqm   0/1     CrashLoopBackOff   15 (1m ago)     52m   10.40.6.51   {NODES[1]}   <none>           <none>",
            f"catalog-web-6d8b9f7c5d-zc2tf   0/1     CrashLoopBackOff   15 (3m ago)     52m   10.40.9.77   {NODES[2]}   <none>           <none>",
            "",
            "$ crane config ghcr.io/lampshop/catalog-web:4.0.0 | jq '.config | {User, WorkingDir, Entrypoint, ExposedPorts}'",
            "{",
            '  "User": "65532",',
            '  "WorkingDir": "/home/nonroot",',
            '  "Entrypoint": [',
            '    "/catalog-web"',
            "  ],",
            '  "ExposedPorts": null',
            "}",
            "$ crane config ghcr.io/lampshop/catalog-web:3.14.2 | jq '.config | {User, WorkingDir, Entrypoint, ExposedPorts}'",
            "{",
            '  "User": "",',
            '  "WorkingDir": "/app",',
            '  "Entrypoint": [',
            '    "/app/catalog-web"',
            "  ],",
            '  "ExposedPorts": {',
            '    "80/tcp": {}',
            "  }",
            "}",
            "",
        ]
    )

    routine = routine_events(
        rng, ["catalog-api", "checkout", "catalog-web"], 24, NODES, namespace="shop"
    )
    signal = [
        (
            ago(ROLLOUT),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/catalog-web",
                "Scaled up replica set catalog-web-6d8b9f7c5d to 1",
            ),
        ),
        (
            ago(ROLLOUT + 0.1),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/catalog-web",
                "Scaled down replica set catalog-web-58c7d4b6f9 to 3 from 4",
            ),
        ),
        (
            ago(ROLLOUT + 0.15),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/catalog-web",
                "Scaled up replica set catalog-web-6d8b9f7c5d to 2 from 1",
            ),
        ),
        (
            ago(ROLLOUT + 1.5),
            (
                "Warning",
                "BackOff",
                "pod/catalog-web-6d8b9f7c5d-zc2tf",
                "Back-off restarting failed container catalog-web in pod catalog-web-6d8b9f7c5d-zc2tf_shop(2b9d6e14-0c7f-4a85-b3e2-94f1a0c8d765)",
            ),
        ),
        (
            ago(12.0),
            (
                "Normal",
                "RELOAD",
                "pod/ingress-nginx-controller-7b9c6d5f48-kq8mz",
                "NGINX reload triggered due to a change in configuration",
            ),
        ),
    ]
    events = "$ kubectl -n shop get events --sort-by=.lastTimestamp\n" + event_listing(
        routine, signal
    )

    return Bundle(
        question="The catalog-web 4.0.0 rollout at 09:20 UTC never finished: the new pods crash-loop and product pages return more 503s since. 4.0.0 passed CI. What is wrong?",
        category="permission",
        component="catalog-web",
        statement="catalog-web 4.0.0 runs as the distroless nonroot user (uid 65532) but is still told to listen on :80 (HTTP_ADDR); without root or NET_BIND_SERVICE the bind to a privileged port is refused, so the new pods exit at start and crash-loop.",
        files={
            "ingress-nginx-controller-access.log": edge.render(),
            "kubectl-logs-catalog-web-previous.txt": previous_text,
            "kubectl-logs-catalog-web-old.txt": old_text,
            "kubectl-describe-pod-catalog-web.txt": describe,
            "kubectl-get-catalog-web.txt": get_text,
            "kubectl-get-events-shop.txt": events,
        },
        proofs=[
            Proof(
                "kubectl-logs-catalog-web-previous.txt", "listen tcp :80: bind: permission denied"
            ),
            Proof("kubectl-get-catalog-web.txt", '"User": "65532"'),
            Proof("kubectl-describe-pod-catalog-web.txt", "HTTP_ADDR:     :80"),
        ],
        decoys=[
            "redis: sentinel switched master",
            "NGINX reload triggered due to a change in configuration",
            "Bytespider",
        ],
    )
