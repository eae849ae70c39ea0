# ruff: noqa: E501
# kubectl output, pino lines and nginx lines are data, kept whole on one line.
"""Kubernetes: node group ng-general-v5 came in with a new node image shipping containerd
2.0, whose systemd unit no longer sets LimitNOFILE, so containers on those nodes start with a
soft open-files limit of 1024 (ng-general-v4 nodes: 1048576). live-gateway (Node.js, which
does not raise its soft limit) holds ~1500 websockets per pod; its pods scheduled on v5 nodes
fail with EMFILE once past ~1000 descriptors, drop new connections and Redis connects.
Loud: websocket upgrade 502s at the ingress, EMFILE errors. Decoys: a heap-usage warning, a
cluster-autoscaler scale-up, another service's `upstream prematurely closed`."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events
from records import NginxAccess, NginxError, Pino
from scenes import at, fixed, loud
from traffic import traffic

START = datetime(2026, 7, 2, 0, 0, tzinfo=UTC)  # 09:00 JST
MINUTES = 120.0
FIRST = 41.0


def gw_ok(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    roll = rng.random()
    if roll < 0.45:
        return (
            "INFO",
            f"ws connected user={rng.randrange(10**6)} room=match-{rng.randrange(4000)} open={rng.randrange(700, 990)}",
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            f"ws closed user={rng.randrange(10**6)} code=1000 duration={rng.randrange(3, 3600)}s",
            (),
        )
    if roll < 0.95:
        return (
            "DEBUG",
            f"fanout match-{rng.randrange(4000)} subscribers={rng.randrange(1, 300)} took={rng.randrange(1, 9)}ms",
            (),
        )
    return "WARN", f"ws ping timeout user={rng.randrange(10**6)}, terminating", ()


def ingress_ok(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    took = rng.lognormvariate(0, 0.8) * 40
    return (
        "INFO",
        f'"GET /live/socket?room=match-{rng.randrange(4000)} HTTP/1.1" 101 {rng.randrange(200, 90000)} "-" "okhttp/4.12.0" {took:.3f} [live-live-gateway-3000] 10.44.{rng.randrange(1, 12)}.{rng.randrange(2, 250)}:3000',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(38017)
    good = LogFile(
        "kubectl-logs-live-gateway-7c6d9f5b8-hq2lm.txt",
        Pino("live-gateway-7c6d9f5b8-hq2lm", rng=rng),
    )
    good.add(traffic(rng, gw_ok, START, MINUTES, 2200))
    good.add(
        [
            at(
                START,
                55.0,
                "WARN",
                "heap used 78% of 1.5GB (threshold 75%), consider raising --max-old-space-size",
            )
        ]
    )

    bad = LogFile(
        "kubectl-logs-live-gateway-7c6d9f5b8-v8r4t.txt",
        Pino("live-gateway-7c6d9f5b8-v8r4t", rng=rng),
    )
    bad.add(traffic(rng, gw_ok, START, MINUTES, 1900))
    bad.add(
        [
            at(START, 0.5, "INFO", "live-gateway 4.12.0 listening on :3000 (node v20.17.0, pid 1)"),
            at(START, 0.51, "INFO", "process limits: RLIMIT_NOFILE soft=1024 hard=524288"),
        ]
    )
    bad.add(
        loud(
            rng,
            START,
            FIRST,
            MINUTES - FIRST - 1,
            600,
            lambda r: r.choice(
                [
                    (
                        "ERROR",
                        "server error: accept EMFILE",
                        ("Error: accept EMFILE", "    at TCP.onconnection (node:net:2085:24)"),
                    ),
                    (
                        "ERROR",
                        f"redis connect failed: connect EMFILE 10.44.9.{r.randrange(20, 30)}:6379 - Local (undefined:undefined)",
                        (
                            "Error: connect EMFILE 10.44.9.21:6379 - Local (undefined:undefined)",
                            "    at internalConnect (node:net:1094:16)",
                        ),
                    ),
                    (
                        "ERROR",
                        "failed to load room snapshot: EMFILE: too many open files, open '/app/dist/templates/room.json'",
                        (),
                    ),
                ]
            ),
        )
    )

    ing = LogFile("logs/ingress-nginx-access.log", NginxAccess(rng))
    ing.add(traffic(rng, ingress_ok, START, MINUTES, 3600))
    ing.add(
        loud(
            rng,
            START,
            FIRST + 0.2,
            MINUTES - FIRST - 1,
            520,
            fixed(
                "INFO",
                lambda r: (
                    f'"GET /live/socket?room=match-{r.randrange(4000)} HTTP/1.1" 502 150 "-" "okhttp/4.12.0" 0.00{r.randrange(1, 9)} [live-live-gateway-3000] 10.44.{r.choice([7, 11])}.{r.randrange(2, 250)}:3000'
                ),
            ),
        )
    )
    err = LogFile("logs/ingress-nginx-error.log", NginxError(rng))
    err.add(
        loud(
            rng,
            START,
            FIRST + 0.2,
            MINUTES - FIRST - 1,
            400,
            fixed(
                "ERROR",
                lambda r: (
                    f'recv() failed (104: Connection reset by peer) while reading response header from upstream, client: 10.20.{r.randrange(256)}.{r.randrange(1, 255)}, server: live.example.jp, request: "GET /live/socket HTTP/1.1", upstream: "http://10.44.{r.choice([7, 11])}.{r.randrange(2, 250)}:3000/live/socket", host: "live.example.jp"'
                ),
            ),
        )
    )
    err.add(
        [
            at(
                START,
                17.0,
                "ERROR",
                'upstream prematurely closed connection while reading response header from upstream, client: 10.20.4.17, server: shop.example.jp, request: "POST /api/cart HTTP/1.1", upstream: "http://10.44.3.58:8080/api/cart", host: "shop.example.jp"',
            )
        ]
    )

    pasted = "\n".join(
        [
            "$ kubectl get nodes -o wide -l workload=general",
            "NAME                  STATUS   ROLES    AGE   VERSION   INTERNAL-IP    EXTERNAL-IP   OS-IMAGE                        KERNEL-VERSION     CONTAINER-RUNTIME",
            "ng-general-v4-0a91c   Ready    <none>   61d   v1.31.4   10.44.2.10     <none>        Ubuntu 22.04.5 LTS              6.5.0-1027-aws     containerd://1.7.24",
            "ng-general-v4-3fd07   Ready    <none>   61d   v1.31.4   10.44.3.10     <none>        Ubuntu 22.04.5 LTS              6.5.0-1027-aws     containerd://1.7.24",
            "ng-general-v4-8c2e4   Ready    <none>   61d   v1.31.4   10.44.5.10     <none>        Ubuntu 22.04.5 LTS              6.5.0-1027-aws     containerd://1.7.24",
            "ng-general-v5-1b7aa   Ready    <none>   2d    v1.31.4   10.44.7.10     <none>        Ubuntu 24.04.2 LTS              6.8.0-1021-aws     containerd://2.0.3",
            "ng-general-v5-e4d19   Ready    <none>   2d    v1.31.4   10.44.11.10    <none>        Ubuntu 24.04.2 LTS              6.8.0-1021-aws     containerd://2.0.3",
            "",
            "$ kubectl -n live get pods -l app=live-gateway -o wide",
            "NAME                           READY   STATUS    RESTARTS      AGE   IP             NODE                  NOMINATED NODE   READINESS GATES",
            "live-gateway-7c6d9f5b8-2xk9p   1/1     Running   0             2d    10.44.2.77     ng-general-v4-0a91c   <none>           <none>",
            "live-gateway-7c6d9f5b8-hq2lm   1/1     Running   0             2d    10.44.3.41     ng-general-v4-3fd07   <none>           <none>",
            "live-gateway-7c6d9f5b8-p0w3n   1/1     Running   0             2d    10.44.5.19     ng-general-v4-8c2e4   <none>           <none>",
            "live-gateway-7c6d9f5b8-v8r4t   1/1     Running   0             2d    10.44.7.88     ng-general-v5-1b7aa   <none>           <none>",
            "live-gateway-7c6d9f5b8-zz61d   1/1     Running   0             2d    10.44.11.23    ng-general-v5-e4d19   <none>           <none>",
            "",
            "$ for p in live-gateway-7c6d9f5b8-hq2lm live-gateway-7c6d9f5b8-v8r4t; do echo \"== $p\"; kubectl -n live exec $p -- grep 'open files' /proc/1/limits; done",
            "== live-gateway-7c6d9f5b8-hq2lm",
            "Max open files            1048576              1048576              files",
            "== live-gateway-7c6d9f5b8-v8r4t",
            "Max open files            1024                 524288               files",
            "",
            "# pasted 11:20 JST",
            "",
        ]
    )
    nodes = [
        "ng-general-v4-0a91c",
        "ng-general-v4-3fd07",
        "ng-general-v5-1b7aa",
        "ng-general-v5-e4d19",
    ]
    routine = routine_events(
        rng, ["matchmaker", "profile", "leaderboard"], 25, nodes, namespace="live"
    )
    signal = [
        (
            6900,
            (
                "Normal",
                "TriggeredScaleUp",
                "pod/leaderboard-5d8c7b9f6-q2w7e",
                "pod triggered scale-up: [{eks-ng-general-v5-7ac9 3->4 (max: 8)}]",
            ),
        )
    ]
    events = event_listing(routine, signal)

    return Bundle(
        question="Since about 09:40 JST some players can't connect to live matches (websocket 502s), others are fine. What is the root cause?",
        category="file_descriptors",
        component="ng-general-v5",
        statement="The new ng-general-v5 nodes run containerd 2.0.3, which leaves containers with a soft open-files limit of 1024; live-gateway pods on those nodes run out of descriptors (accept/connect EMFILE) once past ~1000 websockets, so connections routed to them fail with 502 while pods on v4 nodes (limit 1048576) are fine.",
        files={
            "kubectl-pasted.txt": pasted,
            "kubectl-get-events.txt": events,
            "kubectl-logs-live-gateway-7c6d9f5b8-hq2lm.txt": good.render(),
            "kubectl-logs-live-gateway-7c6d9f5b8-v8r4t.txt": bad.render(),
            "logs/ingress-nginx-access.log": ing.render(),
            "logs/ingress-nginx-error.log": err.render(),
        },
        proofs=[
            Proof("kubectl-pasted.txt", "Max open files            1024                 524288"),
            Proof("kubectl-pasted.txt", "ng-general-v5-1b7aa   Ready"),
            Proof(
                "kubectl-logs-live-gateway-7c6d9f5b8-v8r4t.txt",
                "RLIMIT_NOFILE soft=1024 hard=524288",
            ),
        ],
        decoys=[
            "heap used 78% of 1.5GB",
            "pod triggered scale-up",
            "upstream prematurely closed connection",
        ],
    )
