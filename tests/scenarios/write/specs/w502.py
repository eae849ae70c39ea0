# ruff: noqa: E501
# Log lines, kubectl output and YAML are data, kept whole on one line.
"""Kubernetes (EKS, America/Chicago): at 14:05 UTC the security team rolled out nodeguard-agent
2.0.0, a runtime-scanning DaemonSet, with its CPU limit removed and a new full filesystem scan on
start. On every node the agent takes 3-4 cores; the booking-api pods, packed on the same 4-vCPU
nodes with small requests, slow down, their p99 grows and the gateway's upstream timeouts start
around 14:20. The quiet cause is the DaemonSet spec (no limits) and the agent's own INFO line about
the scan; the proof of the effect is `kubectl top`. Decoys: a GC pause WARN in booking-api, a
Redis reconnect in the gateway, and a node's NTP adjustment in events."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events
from records import JsonLines, Logfmt, Zap
from scenes import at, loud
from traffic import traffic, web_api

CHI = timezone(timedelta(hours=-6))
START = datetime(2026, 3, 3, 13, 30, tzinfo=UTC)
NOW = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)
ROLL = 35.0  # 14:05 UTC
NODES = [
    f"ip-10-60-{a}-{b}.us-east-2.compute.internal"
    for a, b in [(12, 41), (13, 7), (14, 199), (12, 88)]
]


def daemonset() -> str:
    return """$ kubectl -n security get ds nodeguard-agent -o yaml | sed -n '/template:/,$p' | head -40
  template:
    metadata:
      annotations:
        kubectl.kubernetes.io/restartedAt: "2026-03-03T08:04:51-06:00"
      labels:
        app: nodeguard-agent
    spec:
      containers:
      - args:
        - --mode=enforce
        - --scan-on-start=full
        - --scan-paths=/host/var/lib/containerd,/host/usr,/host/opt
        image: 118273645091.dkr.ecr.us-east-2.amazonaws.com/security/nodeguard-agent:2.0.0
        name: agent
        resources:
          requests:
            cpu: 100m
            memory: 256Mi
        securityContext:
          privileged: true
        volumeMounts:
        - mountPath: /host
          name: hostfs
          readOnly: true
      hostPID: true
      priorityClassName: system-node-critical
      tolerations:
      - operator: Exists
  updateStrategy:
    rollingUpdate:
      maxUnavailable: 25%
    type: RollingUpdate

$ kubectl -n security rollout history ds nodeguard-agent
daemonset.apps/nodeguard-agent
REVISION  CHANGE-CAUSE
6         nodeguard 1.8.3 (cpu limit 300m)
7         nodeguard 2.0.0: enable full scan on start, drop limits per vendor guidance SEC-1187
"""


def top() -> str:
    rows_nodes = "\n".join(
        f"{node}   {cpu}m         {pct}%       {mem}Mi         {mpct}%"
        for node, cpu, pct, mem, mpct in zip(
            NODES,
            [3874, 3911, 3796, 3902],
            [98, 99, 96, 99],
            [9412, 10118, 8876, 9960],
            [63, 68, 59, 67],
            strict=True,
        )
    )
    return f"""$ kubectl top nodes
NAME                                         CPU(cores)   CPU%   MEMORY(bytes)   MEMORY%
{rows_nodes}

$ kubectl top pods -A --sort-by=cpu | head -12
NAMESPACE     NAME                                CPU(cores)   MEMORY(bytes)
security      nodeguard-agent-8vq2k               3391m        1204Mi
security      nodeguard-agent-m4tzx               3322m        1177Mi
security      nodeguard-agent-2hfnw               3260m        1093Mi
security      nodeguard-agent-xr7dj               3187m        1150Mi
bookings      booking-api-7c9f6d5b8d-pl4wz        212m         611Mi
bookings      booking-api-7c9f6d5b8d-6cksq        204m         598Mi
bookings      booking-api-7c9f6d5b8d-w9n2r        198m         603Mi
bookings      booking-api-7c9f6d5b8d-dq8hv        191m         587Mi
bookings      edge-gateway-5f7b8c6d49-tt5ml       88m          140Mi
kube-system   aws-node-4jzqc                      11m          44Mi
kube-system   coredns-6b9f7d8c5f-h8xkd            6m           21Mi
"""


def node_describe() -> str:
    return f"""$ kubectl describe node {NODES[0]} | sed -n '/Non-terminated Pods/,/Events/p'
Non-terminated Pods:          (9 in total)
  Namespace                   Name                              CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age
  ---------                   ----                              ------------  ----------  ---------------  -------------  ---
  bookings                    booking-api-7c9f6d5b8d-pl4wz      250m (6%)     1 (25%)     512Mi (3%)       1Gi (6%)       3d4h
  bookings                    edge-gateway-5f7b8c6d49-tt5ml     100m (2%)     500m (12%)  128Mi (0%)       256Mi (1%)     3d4h
  kube-system                 aws-node-4jzqc                    25m (0%)      0 (0%)      0 (0%)           0 (0%)         41d
  kube-system                 kube-proxy-7dtkz                  100m (2%)     0 (0%)      0 (0%)           0 (0%)         41d
  kube-system                 ebs-csi-node-l2m8p                30m (0%)      0 (0%)      120Mi (0%)       768Mi (5%)     41d
  monitoring                  node-exporter-q9w4s               50m (1%)      250m (6%)   64Mi (0%)        128Mi (0%)     12d
  monitoring                  fluent-bit-zk6tn                  100m (2%)     500m (12%)  128Mi (0%)       512Mi (3%)     12d
  payments                    ledger-writer-66c5d9f7b4-q2sxl    250m (6%)     1 (25%)     512Mi (3%)       1Gi (6%)       2d1h
  security                    nodeguard-agent-8vq2k             100m (2%)     0 (0%)      256Mi (1%)       0 (0%)         55m
Allocated resources:
  (Total limits may be over 100 percent, i.e., overcommitted.)
  Resource           Requests      Limits
  --------           --------      ------
  cpu                1005m (25%)   3250m (83%)
  memory             1480Mi (9%)   3712Mi (24%)
Events:              <none>
"""


def bundle() -> Bundle:
    rng = random.Random(50233)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    agent = LogFile("logs/nodeguard-agent-8vq2k.log", Logfmt("nodeguard-agent", rng=rng))
    agent.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"event verdict=allow rule=proc-exec pid={r.randrange(1000, 90000)} comm={r.choice(['java', 'sh', 'node', 'containerd-shim'])}",
                (),
            ),
            START + timedelta(minutes=ROLL),
            total - ROLL,
            900,
        )
    )
    agent.add(
        [
            at(START, ROLL + 0.2, "INFO", "nodeguard-agent 2.0.0 starting node=" + NODES[0]),
            at(
                START,
                ROLL + 0.25,
                "INFO",
                "cgroup cpu quota: none (unlimited), scan workers=auto(4)",
            ),
            at(
                START,
                ROLL + 0.3,
                "INFO",
                "full scan started paths=/host/var/lib/containerd,/host/usr,/host/opt workers=4 nice=0",
            ),
            at(
                START,
                81.0,
                "INFO",
                "full scan progress files=1840221 hashed=1129038 elapsed=45m48s",
            ),
        ]
    )

    api = LogFile(
        "logs/booking-api.log",
        Zap(("api/handler.go:142", "store/pg.go:77", "cache/redis.go:51"), rng=rng),
    )
    api.add(
        traffic(rng, web_api("booking-api", ["bookings", "slots", "customers"]), START, total, 3800)
    )
    api.add([at(START, 20.0, "WARN", "runtime: GC pause 84ms exceeded 50ms target heap=412MB")])
    api.add(
        loud(
            rng,
            START,
            ROLL + 8,
            total - ROLL - 8.5,
            240,
            lambda r: (
                "WARN",
                f"slow request POST /api/v1/bookings took {r.randrange(1800, 7400)}ms (sched_wait={r.randrange(900, 5000)}ms)",
                (),
            ),
        )
    )

    gw = LogFile("logs/edge-gateway.log", JsonLines("edge-gateway", rng=rng, zone=CHI))
    gw.add(traffic(rng, web_api("edge-gateway", ["bookings", "availability"]), START, total, 2600))
    gw.add(
        [
            at(
                START,
                12.0,
                "WARN",
                "redis: connection reset, reconnected to sessions-redis:6379 in 38ms",
            )
        ]
    )
    gw.add(
        loud(
            rng,
            START,
            ROLL + 15,
            total - ROLL - 15.5,
            300,
            lambda r: (
                "ERROR",
                f"upstream timeout: booking-api POST /api/v1/bookings after 5000ms status=504 req={r.getrandbits(48):012x}",
                (),
            ),
        )
    )

    routine = routine_events(rng, ["booking-api", "edge-gateway"], 10, NODES, namespace="bookings")
    signal = [
        (
            ago(ROLL) - i * 20,
            (
                "Normal",
                "SuccessfulCreate",
                "daemonset/nodeguard-agent",
                f"Created pod: nodeguard-agent-{n}",
            ),
        )
        for i, n in enumerate(["8vq2k", "m4tzx", "2hfnw", "xr7dj"])
    ]
    signal.append(
        (
            ago(25),
            (
                "Normal",
                "ClockAdjusted",
                f"node/{NODES[2]}",
                "chronyd stepped system clock by +0.412s",
            ),
        )
    )
    events = "$ kubectl get events -A --sort-by=.lastTimestamp | cut -c1-220\n" + event_listing(
        routine, signal
    )

    return Bundle(
        question="booking-api has been slow and the edge gateway is returning 504s since about 08:20 Chicago time; nothing was deployed to bookings today. What is the root cause?",
        category="cpu",
        component="nodeguard-agent",
        statement="The nodeguard-agent DaemonSet was rolled out at 14:05 UTC as 2.0.0 with its CPU limit removed and a full filesystem scan on start; on every node it uses 3-4 cores, starving the co-located booking-api pods of CPU, so bookings slow down and the gateway times out.",
        files={
            "kubectl-get-ds-nodeguard.txt": daemonset(),
            "kubectl-top.txt": top(),
            "kubectl-describe-node.txt": node_describe(),
            "kubectl-get-events.txt": events,
            agent.name: agent.render(),
            api.name: api.render(),
            gw.name: gw.render(),
        },
        proofs=[
            Proof("kubectl-get-ds-nodeguard.txt", "7         nodeguard 2.0.0: enable full scan"),
            Proof("kubectl-top.txt", "nodeguard-agent-8vq2k               3391m"),
            Proof(agent.name, "cgroup cpu quota: none (unlimited)"),
        ],
        decoys=["GC pause 84ms", "redis: connection reset", "chronyd stepped system clock"],
    )
