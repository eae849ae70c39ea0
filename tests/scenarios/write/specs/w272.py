# ruff: noqa: E501
# nginx lines, kubectl output and hand-written log lines are data, kept whole on one line.
"""Kubernetes: profile-api 3.0.0 (rolled out 08:15 UTC) replaced its Express server with
Node's plain `http` server, whose keep-alive timeout stays at Node's default of 5 s. The
ingress-nginx controller keeps upstream connections idle for 60 s (`upstream-keepalive-timeout`),
so it regularly reuses a connection profile-api has just closed: a steady trickle of 502s with
`upstream prematurely closed connection while reading response header from upstream` and
`recv() failed (104: Connection reset by peer)`, only on quiet-ish connections, only on
profile-api. Decoys: clients' 499s, a redis reconnect in profile-api, and an unrelated 503 on
a scaled-to-zero preview service."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import KubectlTimestamps, Pino, Record
from scenes import at, loud
from traffic import Line, traffic

START = datetime(2026, 6, 16, 7, 50, tzinfo=UTC)
MINUTES = 115
ROLLOUT = 25.0


@dataclass
class IngressLog:
    """The controller's access and error lines behind `kubectl logs --timestamps`."""

    def render(self, record: Record) -> list[str]:
        message = record.message.replace("@ACC@", record.time.strftime("%d/%b/%Y:%H:%M:%S +0000"))
        message = message.replace("@NGX@", record.time.strftime("%Y/%m/%d %H:%M:%S"))
        return KubectlTimestamps().render(Record(record.time, record.level, message))


def access(rng: random.Random, upstream: str, status: int, path: str, took: float) -> str:
    ip = f"{rng.choice([84, 91, 188, 37])}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
    pod = (
        f"10.244.{rng.randrange(1, 6)}.{rng.randrange(2, 250)}:3000"
        if upstream == "profile"
        else f"10.244.{rng.randrange(1, 6)}.{rng.randrange(2, 250)}:8080"
    )
    return f'{ip} - - [@ACC@] "GET {path} HTTP/2.0" {status} {rng.randrange(90, 5000)} "-" "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X)" {rng.randrange(30, 90)} {took:.3f} [accounts-{upstream}-api-80] [] {pod} {rng.randrange(90, 5000)} {took:.3f} {status} {rng.getrandbits(128):032x}'


def ok(rng: random.Random) -> Line:
    upstream = rng.choice(["profile", "profile", "settings", "billing"])
    path = {
        "profile": f"/v2/profile/{rng.randrange(10**6)}",
        "settings": "/v1/settings",
        "billing": "/v1/billing/summary",
    }[upstream]
    status = rng.choices([200, 304, 404, 499], [88, 6, 4, 2])[0]
    return "INFO", access(rng, upstream, status, path, rng.lognormvariate(0, 0.5) * 0.03), ()


def bad(rng: random.Random) -> Line:
    if rng.random() < 0.5:
        conn = rng.randrange(10**6)
        ip = f"10.244.{rng.randrange(1, 6)}.{rng.randrange(2, 250)}"
        msg = rng.choice(
            [
                "upstream prematurely closed connection while reading response header from upstream",
                "recv() failed (104: Connection reset by peer) while reading response header from upstream",
            ]
        )
        return (
            "ERROR",
            f'@NGX@ [error] {rng.randrange(30, 44)}#{rng.randrange(30, 44)}: *{conn} {msg}, client: 91.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(255)}, server: accounts.lumora.app, request: "GET /v2/profile/{rng.randrange(10**6)} HTTP/2.0", upstream: "http://{ip}:3000/v2/profile/{rng.randrange(10**6)}", host: "accounts.lumora.app"',
            (),
        )
    return "ERROR", access(rng, "profile", 502, f"/v2/profile/{rng.randrange(10**6)}", 0.001), ()


def profile_line(rng: random.Random) -> Line:
    return (
        "INFO",
        f'{{"msg":"request completed","req":{{"method":"GET","url":"/v2/profile/{rng.randrange(10**6)}"}},"res":{{"statusCode":200}},"responseTime":{rng.randrange(3, 60)}}}',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(27206)
    ingress = LogFile("logs/ingress-nginx-controller.log", IngressLog())
    ingress.add(traffic(rng, ok, START, MINUTES, 5200))
    ingress.add(loud(rng, START, ROLLOUT + 1.0, MINUTES - ROLLOUT - 1.1, 240, bad))
    ingress.add([at(START, 61.0, "WARN", access(rng, "preview", 503, "/v1/preview/render", 0.0))])
    profile = LogFile("logs/profile-api.log", Pino("profile-api-6f7c9d8b44-t2wzl", rng=rng))
    profile.add(traffic(rng, profile_line, START, MINUTES, 2400))
    profile.add(
        [
            at(
                START,
                ROLLOUT + 0.3,
                "INFO",
                "profile-api 3.0.0 starting (node v20.14.0, NODE_ENV=production)",
            ),
            at(
                START,
                ROLLOUT + 0.32,
                "INFO",
                "http server listening on 0.0.0.0:3000 (keepAliveTimeout=5000ms headersTimeout=60000ms requestTimeout=300000ms)",
            ),
            at(START, 47.3, "WARN", "redis connection lost (ECONNRESET), reconnecting in 200ms"),
            at(START, 47.31, "INFO", "redis reconnected to redis-accounts-master:6379"),
        ]
    )
    config = "\n".join(
        [
            "$ kubectl -n ingress-nginx get configmap ingress-nginx-controller -o yaml",
            "apiVersion: v1",
            "data:",
            '  allow-snippet-annotations: "false"',
            '  keep-alive: "75"',
            "  proxy-body-size: 8m",
            '  upstream-keepalive-connections: "320"',
            '  upstream-keepalive-requests: "10000"',
            '  upstream-keepalive-timeout: "60"',
            '  use-forwarded-headers: "true"',
            "kind: ConfigMap",
            "metadata:",
            "  name: ingress-nginx-controller",
            "  namespace: ingress-nginx",
            "",
            "$ kubectl -n accounts rollout history deployment/profile-api",
            "deployment.apps/profile-api",
            "REVISION  CHANGE-CAUSE",
            "17        profile-api 2.9.4 (express 4)",
            "18        profile-api 3.0.0 (drop express, node:http server)",
            "",
            "$ kubectl -n accounts get pods -l app=profile-api -o wide",
            "NAME                           READY   STATUS    RESTARTS   AGE   IP             NODE                 NOMINATED NODE   READINESS GATES",
            "profile-api-6f7c9d8b44-t2wzl   1/1     Running   0          89m   10.244.2.31    aks-apps-18273645-2  <none>           <none>",
            "profile-api-6f7c9d8b44-k8d4n   1/1     Running   0          89m   10.244.4.208   aks-apps-18273645-4  <none>           <none>",
            "profile-api-6f7c9d8b44-x9vbq   1/1     Running   0          88m   10.244.1.77    aks-apps-18273645-1  <none>           <none>",
            "",
        ]
    )
    return Bundle(
        question="Since this morning around 08:16 UTC the mobile app gets random 502s from accounts.lumora.app, a few per minute, never reproducible by hand. The pods look healthy. What is going on?",
        category="configuration",
        component="profile-api",
        statement="profile-api 3.0.0 (08:15 UTC) serves with Node's http server at its default keepAliveTimeout of 5 s, shorter than ingress-nginx's 60 s upstream keep-alive; nginx reuses connections profile-api has already closed and returns 502 (`upstream prematurely closed connection`, connection reset).",
        files={
            "logs/ingress-nginx-controller.log": ingress.render(),
            "logs/profile-api.log": profile.render(),
            "kubectl.txt": config,
        },
        proofs=[
            Proof("logs/profile-api.log", "keepAliveTimeout=5000ms"),
            Proof("kubectl.txt", 'upstream-keepalive-timeout: "60"'),
        ],
        decoys=["redis connection lost (ECONNRESET)", "[accounts-preview-api-80]", " 499 "],
    )
