# ruff: noqa: E501
# Prometheus series, kubectl rows, pprof output and hand-written log lines are data, kept whole on one line.
"""Go service feed-api 2.7.0 (rolled out 09:12 UTC) fans profile enrichment out to one goroutine
per author and waits on an unbuffered channel with a 150 ms timeout; when the wait times out
nobody ever reads the channel, so every goroutine that answers late blocks forever on its send.
profile-service is a little slow at its usual p99, which is enough: go_goroutines grows by about
25 thousand an hour on each pod, memory follows, and from 13:32 the pods are OOMKilled at their
768Mi limit one after another, each restart dropping in-flight feed requests (502s at the
gateway). The goroutine dump shows 55 thousand goroutines parked in `chan send` at
enrich/client.go:142. Decoys: profile-service's own timeouts (steady, not new), the ingress'
502s, and a Redis `LOADING` error during a replica resync in the morning."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from kube import table
from metrics import Series, prometheus_text, steady
from records import Zap
from scenes import at, fixed, loud
from traffic import Line, traffic

START = datetime(2025, 8, 19, 8, 0, tzinfo=UTC)
RELEASE = datetime(2025, 8, 19, 9, 12, 30, tzinfo=UTC)
STEP = 60
POINTS = 8 * 60
RELEASE_INDEX = 72
PODS = {"feed-api-5d9c8b7f64-7kx2p": (350, 0.0), "feed-api-5d9c8b7f64-mq4zt": (375, 0.35)}


def goroutines(rng: random.Random, rate: float, kills: list[int]) -> Series:
    def value(index: int) -> float:
        if index < RELEASE_INDEX:
            return 410 + rng.gauss(0, 25)
        last = max([RELEASE_INDEX, *[k for k in kills if k <= index]])
        return 420 + (index - last) * rate + rng.gauss(0, 30)

    return value


def memory(rng: random.Random, rate: float, kills: list[int]) -> Series:
    def value(index: int) -> float:
        if index < RELEASE_INDEX:
            return (176 + rng.gauss(0, 3)) * 2**20
        last = max([RELEASE_INDEX, *[k for k in kills if k <= index]])
        return (180 + (index - last) * rate * 0.00602 + rng.gauss(0, 3)) * 2**20

    return value


def feed_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.6:
        return (
            "info",
            f"feed served user={rng.getrandbits(40):010x} items={rng.randrange(20, 51)} authors={rng.randrange(5, 40)} took_ms={rng.randrange(40, 190)}",
            (),
        )
    if roll < 0.8:
        return (
            "info",
            f"ranking model scores cached key=rank:{rng.getrandbits(32):08x} ttl=300s",
            (),
        )
    if roll < 0.95:
        return (
            "warn",
            f"profile enrichment timed out after 150ms, serving {rng.randrange(1, 6)} of {rng.randrange(6, 40)} authors without profile",
            (),
        )
    return (
        "debug",
        f"GET /healthz 200 remote=10.40.{rng.randrange(0, 4)}.{rng.randrange(2, 250)}",
        (),
    )


PPROF = """$ kubectl exec -n feed feed-api-5d9c8b7f64-mq4zt -- wget -qO- 'http://localhost:6060/debug/pprof/goroutine?debug=1' | head -40
goroutine profile: total 56579
55291 @ 0x43e2ae 0x40b79c 0x40b3d2 0x7a3f1d 0x472e01
#	0x7a3f1c	github.com/acme/feed-api/internal/enrich.(*Client).Profiles.func1+0x9c	/src/internal/enrich/client.go:142

612 @ 0x43e2ae 0x437c57 0x46be25 0x4b5a32 0x4b6d9a 0x4b6d88 0x5f8c85 0x60a9e5 0x6d3e1b 0x472e01
#	0x46be24	internal/poll.runtime_pollWait+0x84				/usr/local/go/src/runtime/netpoll.go:345
#	0x4b5a31	internal/poll.(*pollDesc).wait+0x31				/usr/local/go/src/internal/poll/fd_poll_runtime.go:84
#	0x4b6d99	internal/poll.(*FD).Read+0x279					/usr/local/go/src/internal/poll/fd_unix.go:164
#	0x5f8c84	net.(*conn).Read+0x44						/usr/local/go/src/net/net.go:185
#	0x6d3e1a	net/http.(*persistConn).readLoop+0x19a				/usr/local/go/src/net/http/transport.go:2141

604 @ 0x43e2ae 0x44ee45 0x6d5431 0x472e01
#	0x6d5430	net/http.(*persistConn).writeLoop+0xf0	/usr/local/go/src/net/http/transport.go:2444

58 @ 0x43e2ae 0x437c57 0x46be25 0x4b5a32 0x4b6d9a 0x4b6d88 0x5f8c85 0x6c4b15 0x472e01
#	0x6c4b14	net/http.(*connReader).backgroundRead+0x54	/usr/local/go/src/net/http/server.go:681

12 @ 0x43e2ae 0x44ee45 0x8a2c71 0x472e01
#	0x8a2c70	github.com/redis/go-redis/v9/internal/pool.(*ConnPool).reaper+0xb0	/go/pkg/mod/github.com/redis/go-redis/v9@v9.5.1/internal/pool/pool.go:513
"""


def kubectl_text() -> str:
    pods = [
        ("NAME", "READY", "STATUS", "RESTARTS", "AGE"),
        ("feed-api-5d9c8b7f64-7kx2p", "1/1", "Running", "1 (2h8m ago)", "6h47m"),
        ("feed-api-5d9c8b7f64-mq4zt", "1/1", "Running", "1 (2h27m ago)", "6h47m"),
        ("profile-service-7b4f9d6c85-2nqlw", "1/1", "Running", "0", "12d"),
        ("profile-service-7b4f9d6c85-h8vxt", "1/1", "Running", "0", "12d"),
        ("redis-feed-0", "1/1", "Running", "0", "33d"),
        ("redis-feed-1", "1/1", "Running", "1 (9h ago)", "33d"),
    ]
    return "\n".join(
        [
            "$ kubectl get pods -n feed",
            *table(pods[0], pods[1:]),
            "",
            "$ kubectl describe pod feed-api-5d9c8b7f64-7kx2p -n feed | sed -n '/Containers:/,/Restart Count/p'",
            "Containers:",
            "  feed-api:",
            "    Container ID:   containerd://9a4e1f7c2b8d3e6a0c5f1b9d7e3a2c6f8b0d4e1a7c9f3b5d2e8a6c0f4b1d7e9a",
            "    Image:          ghcr.io/acme/feed-api:2.7.0",
            "    Image ID:       ghcr.io/acme/feed-api@sha256:3c1f8e0a9b7d5c2e4f6a8b0d1c3e5f7a9b2d4c6e8f0a1b3c5d7e9f2a4b6c8d0e",
            "    Ports:          8080/TCP, 6060/TCP",
            "    Host Ports:     0/TCP, 0/TCP",
            "    State:          Running",
            "      Started:      Tue, 19 Aug 2025 13:51:04 +0000",
            "    Last State:     Terminated",
            "      Reason:       OOMKilled",
            "      Exit Code:    137",
            "      Started:      Tue, 19 Aug 2025 09:12:41 +0000",
            "      Finished:     Tue, 19 Aug 2025 13:51:01 +0000",
            "    Ready:          True",
            "    Restart Count:  1",
            "",
            "$ kubectl rollout history deployment/feed-api -n feed | tail -3",
            "11        ghcr.io/acme/feed-api:2.6.3",
            "12        ghcr.io/acme/feed-api:2.7.0 (parallel author enrichment)",
            "",
        ]
    )


def bundle() -> Bundle:
    rng = random.Random(1136)
    series: dict[tuple[tuple[str, str], ...], Series] = {}
    kills = {
        "feed-api-5d9c8b7f64-7kx2p": [RELEASE_INDEX + 279],
        "feed-api-5d9c8b7f64-mq4zt": [RELEASE_INDEX + 260],
    }
    for pod, (rate, _) in PODS.items():
        labels = (("namespace", "feed"), ("pod", pod), ("container", "feed-api"))
        series[(("__name__", "go_goroutines"), *labels)] = goroutines(rng, rate, kills[pod])
    for pod, (rate, _) in PODS.items():
        labels = (("namespace", "feed"), ("pod", pod), ("container", "feed-api"))
        series[(("__name__", "container_memory_working_set_bytes"), *labels)] = memory(
            rng, rate, kills[pod]
        )
    for pod in ("profile-service-7b4f9d6c85-2nqlw", "profile-service-7b4f9d6c85-h8vxt"):
        series[
            (
                ("__name__", "go_goroutines"),
                ("namespace", "feed"),
                ("pod", pod),
                ("container", "profile-service"),
            )
        ] = steady(rng, 220, 0.09)
    log = LogFile(
        "logs/feed-api.log",
        Zap(("feed/handler.go:77", "enrich/client.go:118", "rank/cache.go:51"), rng=rng),
    )
    log.add(traffic(rng, feed_line, START, 8 * 60, 5200))
    log.add(
        [
            at(
                RELEASE,
                0.0,
                "info",
                "feed-api 2.7.0 (commit 4be91d2) starting: enrichment.mode=parallel enrichment.timeout=150ms",
                logger="cmd/feed-api/main.go:58",
            ),
            at(
                START,
                40.2,
                "error",
                "rank cache read failed: LOADING Redis is loading the dataset in memory",
                logger="rank/cache.go:51",
            ),
            at(
                START,
                40.5,
                "error",
                "rank cache read failed: LOADING Redis is loading the dataset in memory",
                logger="rank/cache.go:51",
            ),
        ]
    )
    for pod, kill in (("7kx2p", RELEASE_INDEX + 279), ("mq4zt", RELEASE_INDEX + 260)):
        started = START + timedelta(minutes=kill, seconds=2)
        log.add(
            [
                at(
                    started,
                    0.0,
                    "info",
                    f"feed-api 2.7.0 (commit 4be91d2) starting: enrichment.mode=parallel enrichment.timeout=150ms pod=feed-api-5d9c8b7f64-{pod}",
                    logger="cmd/feed-api/main.go:58",
                )
            ]
        )
    gateway = LogFile("logs/edge-proxy.log", Zap(("proxy/upstream.go:212",), rng=rng))
    for kill in (RELEASE_INDEX + 279, RELEASE_INDEX + 260):
        gateway.add(
            loud(
                rng,
                START,
                kill - 0.2,
                1.4,
                160,
                fixed(
                    "error",
                    lambda r: (
                        f"upstream feed-api returned 502: read tcp 10.40.1.{r.randrange(2, 250)}:{r.randrange(30000, 60000)}->10.40.2.{r.randrange(2, 250)}:8080: read: connection reset by peer path=/v2/feed"
                    ),
                ),
            )
        )
    gateway.add(
        traffic(
            rng,
            fixed(
                "info",
                lambda r: (
                    f"upstream feed-api slow response {r.randrange(1000, 2500)}ms path=/v2/feed"
                ),
            ),
            START,
            8 * 60,
            300,
        )
    )
    return Bundle(
        question="feed-api pods keep restarting this afternoon and users get 502s on the feed every time. What is going on?",
        category="memory",
        component="feed-api",
        statement="feed-api 2.7.0, rolled out at 09:12 UTC, leaks a goroutine every time a profile enrichment call outlives its 150 ms timeout (blocked forever on a channel send at enrich/client.go:142); goroutines and memory grow steadily until the pods are OOMKilled at their 768Mi limit (13:32 and 13:51 UTC), and each kill shows up as a burst of 502s for users.",
        files={
            "prometheus-query-range.json": prometheus_text(START, STEP, POINTS, series),
            "logs/feed-api.log": log.render(),
            "logs/edge-proxy.log": gateway.render(),
            "kubectl.txt": kubectl_text(),
            "pprof.txt": PPROF,
        },
        proofs=[
            Proof("pprof.txt", "55291 @", "enrich/client.go:142"),
            Proof(
                "logs/feed-api.log",
                'feed-api 2.7.0 (commit 4be91d2) starting: enrichment.mode=parallel enrichment.timeout=150ms"',
            ),
        ],
        decoys=[
            "profile enrichment timed out",
            "LOADING Redis is loading",
            "upstream feed-api returned 502",
        ],
    )
