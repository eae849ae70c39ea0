# ruff: noqa: E501
# kubectl and helm output and hand-written log lines are data, kept whole on one line.
"""Kubernetes/gRPC: ranker moved from namespace `ml` to `reco` this morning (helm install of
the 2.0 chart built on the shared library chart). The library's Service template has no
`clusterIP: None`, so `ranker` is now a ClusterIP Service instead of headless. feed-api's gRPC
client uses `dns:///` with round_robin: it now resolves one virtual IP, opens one HTTP/2
connection and kube-proxy pins it to a single pod. That pod sits at its 2-CPU limit
(throttled) while the other seven idle; the HPA's average stays low. feed-api's Rank calls hit
their 300 ms deadline. Decoys: a feature-store slow call, ranker's model warm-up time, and
feed-api's cache miss ratio after its own restart."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from records import Logfmt, Zap
from scenes import at, fixed, loud
from traffic import traffic

START = datetime(2026, 3, 23, 15, 0, tzinfo=UTC)  # 08:00 PDT
MINUTES = 120.0
MOVE = 35.0
HOT = "ranker-6f9d8c7b5-4xk2p"


def rank_ok(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    return (
        "INFO",
        f"Rank served user={rng.randrange(10**7)} candidates={rng.randrange(200, 800)} model=ltr-v44 took_ms={max(2, int(rng.lognormvariate(0, 0.4) * 21))}",
        (),
    )


def feed_ok(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    roll = rng.random()
    if roll < 0.7:
        return (
            "INFO",
            f"GET /v2/feed user={rng.randrange(10**7)} status=200 items={rng.randrange(20, 60)} rank_ms={max(3, int(rng.lognormvariate(0, 0.4) * 26))} total_ms={max(9, int(rng.lognormvariate(0, 0.4) * 70))}",
            (),
        )
    if roll < 0.9:
        return (
            "DEBUG",
            f"feature-store get keys={rng.randrange(20, 120)} took_ms={rng.randrange(1, 9)}",
            (),
        )
    return "INFO", f"prefetch page=2 user={rng.randrange(10**7)} items={rng.randrange(20, 60)}", ()


def bundle() -> Bundle:
    rng = random.Random(38519)
    feed = LogFile("logs/feed-api.log", Logfmt("feed-api", rng=rng))
    feed.add(traffic(rng, feed_ok, START, MINUTES, 4800))
    feed.add(
        [
            at(
                START,
                2.0,
                "INFO",
                "grpc: ranker target dns:///ranker.ml.svc.cluster.local:50051 loadBalancingPolicy=round_robin",
            ),
            at(START, 2.01, "INFO", "grpc: resolver for ranker returned 8 address(es)"),
            at(
                START,
                MOVE + 2.0,
                "INFO",
                "config reloaded: RANKER_TARGET=dns:///ranker.reco.svc.cluster.local:50051 (was dns:///ranker.ml.svc.cluster.local:50051)",
            ),
            at(
                START,
                MOVE + 2.05,
                "INFO",
                "grpc: ranker target dns:///ranker.reco.svc.cluster.local:50051 loadBalancingPolicy=round_robin",
            ),
            at(START, MOVE + 2.06, "INFO", "grpc: resolver for ranker returned 1 address(es)"),
            at(
                START,
                MOVE + 3.0,
                "WARN",
                "local cache miss ratio 0.61 over last 60s (restart warm-up)",
            ),
            at(
                START,
                18.0,
                "WARN",
                "feature-store get keys=112 took_ms=842 (slow, threshold 250ms)",
            ),
        ]
    )
    feed.add(
        loud(
            rng,
            START,
            MOVE + 8,
            MINUTES - MOVE - 9,
            900,
            fixed(
                "ERROR",
                lambda r: (
                    f"rank failed, serving unranked feed user={r.randrange(10**7)}: rpc error: code = DeadlineExceeded desc = context deadline exceeded (deadline 300ms)"
                ),
            ),
        )
    )

    hot = LogFile(
        f"kubectl-logs-{HOT}.txt", Zap(("server/rank.go:88", "server/rank.go:131"), rng=rng)
    )
    hot.add(traffic(rng, rank_ok, START + timedelta(minutes=MOVE - 1), MINUTES - MOVE + 1, 3900))
    hot.add(
        [
            at(START, MOVE - 1.2, "INFO", "ranker 2.0.1 starting, GOMAXPROCS=2, model ltr-v44"),
            at(START, MOVE - 0.6, "INFO", "model warm-up finished in 38.4s"),
        ]
    )
    hot.add(
        loud(
            rng,
            START,
            MOVE + 7,
            MINUTES - MOVE - 8,
            320,
            fixed(
                "WARN",
                lambda r: (
                    f"request waited {r.randrange(180, 900)}ms in queue before scoring (inflight={r.randrange(64, 129)}/128)"
                ),
            ),
        )
    )
    idle = LogFile("kubectl-logs-ranker-6f9d8c7b5-q8m1t.txt", Zap(("server/rank.go:88",), rng=rng))
    idle.add(traffic(rng, rank_ok, START + timedelta(minutes=MOVE - 1), 4, 40))
    idle.add(
        [
            at(START, MOVE - 1.1, "INFO", "ranker 2.0.1 starting, GOMAXPROCS=2, model ltr-v44"),
            at(START, MOVE - 0.5, "INFO", "model warm-up finished in 37.9s"),
        ]
    )

    pasted = "\n".join(
        [
            "$ helm -n reco history ranker",
            "REVISION\tUPDATED                 \tSTATUS  \tCHART       \tAPP VERSION\tDESCRIPTION",
            "1       \tMon Mar 23 08:33:40 2026\tdeployed\tranker-2.0.0\t2.0.1      \tInstall complete",
            "",
            "$ kubectl -n reco get svc ranker -o wide",
            "NAME     TYPE        CLUSTER-IP      EXTERNAL-IP   PORT(S)     AGE   SELECTOR",
            "ranker   ClusterIP   10.100.42.17    <none>        50051/TCP   87m   app.kubernetes.io/name=ranker",
            "",
            "$ kubectl -n ml get svc ranker -o wide   # old namespace, before cleanup",
            "NAME     TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)     AGE    SELECTOR",
            "ranker   ClusterIP   None         <none>        50051/TCP   411d   app=ranker",
            "",
            "$ kubectl -n reco get endpointslices -l kubernetes.io/service-name=ranker",
            "NAME           ADDRESSTYPE   PORTS   ENDPOINTS                                            AGE",
            "ranker-7kq2d   IPv4          50051   10.12.3.41,10.12.5.18,10.12.1.77 + 5 more...         87m",
            "",
            "$ kubectl -n reco top pods -l app.kubernetes.io/name=ranker",
            "NAME                     CPU(cores)   MEMORY(bytes)",
            "ranker-6f9d8c7b5-4xk2p   1994m        1311Mi",
            "ranker-6f9d8c7b5-7wq9d   4m           1204Mi",
            "ranker-6f9d8c7b5-c2v8n   3m           1198Mi",
            "ranker-6f9d8c7b5-h5t1r   5m           1207Mi",
            "ranker-6f9d8c7b5-k9z3x   3m           1201Mi",
            "ranker-6f9d8c7b5-p0m6j   4m           1196Mi",
            "ranker-6f9d8c7b5-q8m1t   6m           1210Mi",
            "ranker-6f9d8c7b5-x7b4f   3m           1199Mi",
            "",
            "$ kubectl -n reco get hpa ranker",
            "NAME     REFERENCE           TARGETS        MINPODS   MAXPODS   REPLICAS   AGE",
            "ranker   Deployment/ranker   cpu: 13%/60%   8         24        8          87m",
            "",
            "# pasted 10:00 PDT",
            "",
        ]
    )
    return Bundle(
        question="Since the ranker move this morning (~08:45 PDT) feed-api serves unranked feeds because Rank calls time out, although ranker has 8 healthy pods at low average CPU. What's the root cause?",
        category="configuration",
        component="ranker",
        statement="The ranker chart 2.0 recreated the `ranker` Service in namespace reco as a ClusterIP Service (10.100.42.17) instead of headless (`clusterIP: None`); feed-api's round_robin gRPC client resolves a single address, so all Rank calls ride one connection pinned to ranker-6f9d8c7b5-4xk2p, which saturates its 2-CPU limit while seven pods idle, and calls exceed their 300 ms deadline.",
        files={
            "kubectl-helm-pasted.txt": pasted,
            "logs/feed-api.log": feed.render(),
            f"kubectl-logs-{HOT}.txt": hot.render(),
            "kubectl-logs-ranker-6f9d8c7b5-q8m1t.txt": idle.render(),
        },
        proofs=[
            Proof("kubectl-helm-pasted.txt", "ranker   ClusterIP   10.100.42.17"),
            Proof("logs/feed-api.log", "resolver for ranker returned 1 address(es)"),
            Proof("kubectl-helm-pasted.txt", "ranker-6f9d8c7b5-4xk2p   1994m"),
        ],
        decoys=[
            "feature-store get keys=112 took_ms=842",
            "model warm-up finished in 38.4s",
            "local cache miss ratio 0.61",
        ],
    )
