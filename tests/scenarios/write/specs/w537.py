# ruff: noqa: E501
# Log lines, kubectl output and YAML are data, kept whole on one line.
"""Kubernetes (kubeadm on bare metal, America/Los_Angeles): quote-engine's chart 3.9.0, rolled out
at 17:12 UTC, adds a pod `securityContext.sysctls` entry `net.core.somaxconn=8192` to ride out
connection bursts. That sysctl is not in the kubelet's safe set and no node allows it with
`--allowed-unsafe-sysctls`, so the kubelet rejects every new pod (SysctlForbidden). The rolling
update has scaled the old ReplicaSet down to 6 of 8 and cannot go further; at the afternoon peak
the remaining pods saturate and the web tier's quote calls time out. Decoys: a Memcached eviction
warning, a node's NTP step, a readiness failure of an unrelated pod."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
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
from records import Logfmt, NginxError
from scenes import at, loud
from traffic import traffic, web_api

START = datetime(2026, 1, 27, 16, 30, tzinfo=UTC)
NOW = datetime(2026, 1, 27, 18, 20, tzinfo=UTC)
ROLL = 42.0  # 17:12 UTC
NODES = ["bm-r2-w05", "bm-r2-w06", "bm-r3-w01", "bm-r3-w02"]


def yaml() -> str:
    return """$ kubectl -n quoting get deploy quote-engine -o jsonpath='{.spec.template.spec.securityContext}' | jq .
{
  "fsGroup": 10001,
  "runAsNonRoot": true,
  "sysctls": [
    {
      "name": "net.core.somaxconn",
      "value": "8192"
    }
  ]
}
"""


def pods() -> str:
    rows = []
    for i, suffix in enumerate(
        ["4kq9z", "8vtrw", "c2mxl", "gh7fp", "m5n8d", "q9ws2", "t3zbk", "x6rlc", "z1pfe"]
    ):
        rows.append(
            (
                f"quote-engine-6f9d8c7b5-{suffix}",
                "0/1",
                "SysctlForbidden",
                "0",
                f"{(9 - i) * 5 + 3}m",
            )
        )
    for suffix in ["2xbfd", "7kdmq", "bw4nt", "fh8zs", "pl2vc", "vr6ke"]:
        rows.append((f"quote-engine-84b7c9d6f8-{suffix}", "1/1", "Running", "0", "6d2h"))
    header = ("NAME", "READY", "STATUS", "RESTARTS", "AGE")
    return (
        "$ kubectl -n quoting get pods -l app=quote-engine\n"
        + "\n".join(table(header, rows))
        + "\n"
    )


def bundle() -> Bundle:
    rng = random.Random(53761)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    pod = Pod(
        name="quote-engine-6f9d8c7b5-x6rlc",
        namespace="quoting",
        node="bm-r3-w01",
        app="quote-engine",
        status="Failed",
        ip="",
        start_time="Tue, 27 Jan 2026 10:07:52 -0800",
        containers=[
            Container(
                name="quote-engine",
                image="registry.corp.lan/quoting/quote-engine:3.9.0",
                state=["Waiting", "  Reason:       ContainerCreating"],
                ready=False,
                limits={"cpu": "2", "memory": "1Gi"},
                requests={"cpu": "1", "memory": "1Gi"},
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
                "12m",
                "default-scheduler",
                "Successfully assigned quoting/quote-engine-6f9d8c7b5-x6rlc to bm-r3-w01",
            ),
            (
                "Warning",
                "SysctlForbidden",
                "12m",
                "kubelet",
                'forbidden sysctl: "net.core.somaxconn" not allowlisted',
            ),
        ],
    )
    described = "\n".join(
        line
        for line in describe_pod(pod, rng).split("\n")
        if "Container ID:" not in line and "Image ID:" not in line
    )
    described = described.replace(
        "IP:\nIPs:\n  IP:           \n", "IP:\nIPs:              <none>\n"
    ).replace(
        "Status:           Failed\n",
        'Status:           Failed\nReason:           SysctlForbidden\nMessage:          Pod forbidden sysctl: "net.core.somaxconn" not allowlisted\n',
    )

    dep = Deployment(
        name="quote-engine",
        namespace="quoting",
        image="registry.corp.lan/quoting/quote-engine:3.9.0",
        replicas="8 desired | 2 updated | 8 total | 6 available | 2 unavailable",
        conditions=[
            ("Available", "True", "MinimumReplicasAvailable"),
            ("Progressing", "True", "ReplicaSetUpdated"),
        ],
        old_replica_set="quote-engine-84b7c9d6f8 (6/6 replicas created)",
        new_replica_set="quote-engine-6f9d8c7b5 (2/2 replicas created)",
        events=[
            (
                "Normal",
                "ScalingReplicaSet",
                "66m",
                "deployment-controller",
                "Scaled up replica set quote-engine-6f9d8c7b5 to 2",
            ),
            (
                "Normal",
                "ScalingReplicaSet",
                "66m",
                "deployment-controller",
                "Scaled down replica set quote-engine-84b7c9d6f8 to 6 from 8",
            ),
        ],
    )

    qe = LogFile("logs/quote-engine-84b7c9d6f8-2xbfd.log", Logfmt("quote-engine", rng=rng))
    qe.add(
        traffic(rng, web_api("quote-engine", ["quotes", "rates", "coverages"]), START, total, 2600)
    )
    qe.add(
        [
            at(
                START,
                24.0,
                "WARN",
                "memcached: evictions rising on mc-quoting-1 (412/min), hit ratio 0.83",
            )
        ]
    )
    qe.add(
        loud(
            rng,
            START,
            ROLL + 22,
            total - ROLL - 22.5,
            240,
            lambda r: (
                "WARN",
                f"worker pool saturated: {r.randrange(64, 65)}/64 busy, {r.randrange(40, 400)} requests queued, p99 {r.randrange(2100, 7800)}ms",
                (),
            ),
        )
    )

    web = LogFile("logs/web-nginx-error.log", NginxError(rng=rng))

    def web_line(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
        return (
            "WARN",
            f"an upstream response is buffered to a temporary file /var/cache/nginx/proxy_temp/{r.randrange(10)}/{r.randrange(10, 99)}/00000{r.randrange(10000, 99999)} while reading upstream, client: 10.{r.randrange(256)}.{r.randrange(256)}.{r.randrange(256)}, server: www.pinecoast-insure.com",
            (),
        )

    web.add(traffic(rng, web_line, START, total, 180))
    web.add(
        loud(
            rng,
            START,
            ROLL + 25,
            total - ROLL - 25.5,
            330,
            lambda r: (
                "ERROR",
                f'upstream timed out (110: Connection timed out) while reading response header from upstream, client: 10.{r.randrange(256)}.{r.randrange(256)}.{r.randrange(256)}, server: www.pinecoast-insure.com, request: "POST /api/quote HTTP/1.1", upstream: "http://10.233.{r.randrange(64, 90)}.{r.randrange(2, 250)}:8080/v1/quotes", host: "www.pinecoast-insure.com"',
                (),
            ),
        )
    )

    routine = routine_events(rng, ["rating-tables", "policy-docs"], 12, NODES, namespace="quoting")
    signal = [
        (
            ago(ROLL) - 5,
            (
                "Warning",
                "SysctlForbidden",
                "pod/quote-engine-6f9d8c7b5-4kq9z",
                'forbidden sysctl: "net.core.somaxconn" not allowlisted',
            ),
        ),
        (
            ago(ROLL) - 9,
            (
                "Normal",
                "SuccessfulCreate",
                "replicaset/quote-engine-6f9d8c7b5",
                "Created pod: quote-engine-6f9d8c7b5-8vtrw",
            ),
        ),
        (
            ago(ROLL) - 10,
            (
                "Warning",
                "SysctlForbidden",
                "pod/quote-engine-6f9d8c7b5-8vtrw",
                'forbidden sysctl: "net.core.somaxconn" not allowlisted',
            ),
        ),
        (
            ago(ROLL + 30),
            (
                "Normal",
                "SuccessfulCreate",
                "replicaset/quote-engine-6f9d8c7b5",
                "Created pod: quote-engine-6f9d8c7b5-x6rlc",
            ),
        ),
        (
            ago(ROLL + 30) - 2,
            (
                "Warning",
                "SysctlForbidden",
                "pod/quote-engine-6f9d8c7b5-x6rlc",
                'forbidden sysctl: "net.core.somaxconn" not allowlisted',
            ),
        ),
        (
            ago(ROLL + 40),
            (
                "Warning",
                "Unhealthy",
                "pod/policy-docs-5d4c8b7f9-wq2rz",
                "Readiness probe failed: HTTP probe failed with statuscode: 503",
            ),
        ),
        (
            ago(20),
            (
                "Warning",
                "ClockStepped",
                "node/bm-r2-w06",
                "chronyd stepped system clock by 0.84 seconds",
            ),
        ),
    ]
    events = "$ kubectl -n quoting get events --sort-by=.lastTimestamp\n" + event_listing(
        routine, signal
    )

    return Bundle(
        question="Quote requests on the website started timing out around 9:35 Pacific at the afternoon peak. What is the root cause?",
        category="configuration",
        component="quote-engine",
        statement="quote-engine 3.9.0 added the pod sysctl net.core.somaxconn, which is unsafe and not allowed on any kubelet, so every new pod is rejected with SysctlForbidden; the rollout is stuck with the old ReplicaSet at 6 of 8 pods, too few for the peak.",
        files={
            "kubectl-quote-engine-securitycontext.txt": yaml(),
            "kubectl-get-pods.txt": pods(),
            "kubectl-describe-pod-quote-engine.txt": "$ kubectl -n quoting describe pod quote-engine-6f9d8c7b5-x6rlc\n"
            + described,
            "kubectl-describe-deploy-quote-engine.txt": "$ kubectl -n quoting describe deploy quote-engine\n"
            + describe_deployment(dep),
            "kubectl-get-events.txt": events,
            qe.name: qe.render(),
            web.name: web.render(),
        },
        proofs=[
            Proof("kubectl-quote-engine-securitycontext.txt", '"name": "net.core.somaxconn"'),
            Proof(
                "kubectl-describe-pod-quote-engine.txt", "Message:          Pod forbidden sysctl"
            ),
            Proof("kubectl-describe-deploy-quote-engine.txt", "Replicas:  "),
        ],
        decoys=["evictions rising on mc-quoting-1", "ClockStepped", "policy-docs-5d4c8b7f9-wq2rz"],
    )
