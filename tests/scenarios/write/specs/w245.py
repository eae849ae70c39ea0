# ruff: noqa: E501
# ALB access lines, kubectl rows and hand-written log lines are data, kept whole on one line.
"""Kubernetes: quote-service 2.0.0 (rolled out 10:05 UTC) moved to a distroless image, but the
Deployment kept its `preStop: exec: ["/bin/sh", "-c", "sleep 20"]` hook. There is no shell in
the image, so the hook fails at once (FailedPreStopHook, `stat /bin/sh: no such file or
directory`) and every terminating pod gets SIGTERM while the ALB still routes to it: a burst of
502s at the rollout and at each HPA scale-in since. Decoys: the HPA scale-in events (the trigger,
not the cause), a health check failure on another target group, and a Postgres connection
reset in quote-service."""

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events
from records import JsonLines, Record
from scenes import at, loud
from traffic import traffic, web_api

START = datetime(2026, 11, 3, 9, 30, tzinfo=UTC)
NOW = datetime(2026, 11, 3, 11, 40, tzinfo=UTC)
ROLLOUT = 35.0  # 10:05
SCALE_INS = [72.0, 113.0]  # 10:42, 11:23
NODES = [
    "ip-10-90-1-23.ap-southeast-2.compute.internal",
    "ip-10-90-2-140.ap-southeast-2.compute.internal",
    "ip-10-90-3-66.ap-southeast-2.compute.internal",
]
TG = "arn:aws:elasticloadbalancing:ap-southeast-2:210987654321:targetgroup/k8s-pricing-quotesvc-4c1e9a2b7d/9f3b2c1d0e8a7f65"
HOOK = 'Exec lifecycle hook ([/bin/sh -c sleep 20]) for Container "quote-service" in Pod "%s_pricing(%s)" failed - error: command \'/bin/sh -c sleep 20\' exited with 126: , message: "OCI runtime exec failed: exec failed: unable to start container process: exec: \\"/bin/sh\\": stat /bin/sh: no such file or directory: unknown\\r\\n"'


@dataclass
class AlbLog:
    """An AWS Application Load Balancer access log entry; the message holds the fields after the client."""

    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def render(self, record: Record) -> list[str]:
        stamp = record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond:06d}Z"
        client = f"{self.rng.choice([1, 27, 49, 101, 203])}.{self.rng.randrange(256)}.{self.rng.randrange(256)}.{self.rng.randrange(1, 255)}:{self.rng.randrange(1024, 65535)}"
        trace = f"Root=1-{int(record.time.timestamp()):08x}-{self.rng.getrandbits(96):024x}"
        created = (record.time - timedelta(milliseconds=self.rng.randrange(1, 200))).strftime(
            "%Y-%m-%dT%H:%M:%S.%fZ"
        )
        return [
            f"https {stamp} app/k8s-pricing-ingress-7e2d4b9c1a/3a9f0c2e5d7b8146 {client} {record.message.replace('TRACE', trace).replace('CREATED', created)}"
        ]


def alb_ok(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    target = f"10.90.{rng.randrange(1, 4)}.{rng.randrange(10, 250)}:8080"
    t = rng.randrange(8, 140) / 1000
    path = rng.choice(["/v1/quotes", "/v1/quotes/preview", "/v1/rates/current"])
    method = "POST" if path != "/v1/rates/current" else "GET"
    status = rng.choices([200, 201, 400, 404], [80, 12, 5, 3])[0]
    return (
        "INFO",
        f'{target} 0.000 {t:.3f} 0.000 {status} {status} {rng.randrange(300, 2000)} {rng.randrange(200, 6000)} "{method} https://api.broker.example.com:443{path} HTTP/1.1" "broker-portal/5.4 (+okhttp)" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 {TG} "TRACE" "api.broker.example.com" "arn:aws:acm:ap-southeast-2:210987654321:certificate/1b2c3d4e-5f60-4718-9a0b-c1d2e3f4a5b6" 0 CREATED "forward" "-" "-" "{target}" "{status}" "-" "-"',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(2450)
    total = (NOW - START).total_seconds() / 60
    alb = LogFile("alb-access.log", AlbLog(rng=rng))
    alb.add(traffic(rng, alb_ok, START, total, 4200))
    for moment, victims in (
        (ROLLOUT, ["10.90.1.87", "10.90.2.201", "10.90.3.14"]),
        (SCALE_INS[0], ["10.90.2.33"]),
        (SCALE_INS[1], ["10.90.1.151", "10.90.3.92"]),
    ):

        def reset(
            r: random.Random, victims: list[str] = victims
        ) -> tuple[str, str, tuple[str, ...]]:
            target = f"{r.choice(victims)}:8080"
            code, tcode = r.choice([("502", "-"), ("502", "-"), ("504", "-")])
            return (
                "ERROR",
                f'{target} -1 -1 -1 {code} {tcode} {r.randrange(300, 2000)} 272 "POST https://api.broker.example.com:443/v1/quotes HTTP/1.1" "broker-portal/5.4 (+okhttp)" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 {TG} "TRACE" "api.broker.example.com" "arn:aws:acm:ap-southeast-2:210987654321:certificate/1b2c3d4e-5f60-4718-9a0b-c1d2e3f4a5b6" 0 CREATED "forward" "-" "-" "{target}" "-" "-" "-"',
                (),
            )

        alb.add(loud(rng, START, moment + 0.05, 1.1, 160 * len(victims), reset))

    quote = LogFile(
        "logs/quote-service.log",
        JsonLines("quote-service", keys=("time", "level", "message"), rng=rng),
    )
    quote.add(traffic(rng, web_api("quote-service", ["quotes", "rates"]), START, total, 3000))
    quote.add(
        [
            at(
                START,
                19.6,
                "WARN",
                "pgx: conn reset by peer on pricing-db.pricing.svc:5432, reconnected (pool 9/20)",
            ),
            at(START, ROLLOUT + 0.05, "INFO", "received terminated signal, closing listener :8080"),
            at(
                START,
                ROLLOUT + 0.06,
                "INFO",
                "http server stopped (in-flight requests: 37 aborted)",
            ),
            at(
                START,
                SCALE_INS[0] + 0.05,
                "INFO",
                "received terminated signal, closing listener :8080",
            ),
            at(
                START,
                SCALE_INS[1] + 0.05,
                "INFO",
                "received terminated signal, closing listener :8080",
            ),
        ]
    )

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    routine = routine_events(
        rng, ["broker-portal", "rates-sync", "quote-service"], 22, NODES, namespace="pricing"
    )
    signal = [
        (
            ago(ROLLOUT - 0.3),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/quote-service",
                "Scaled up replica set quote-service-69d4b7c8f2 to 3",
            ),
        ),
        (
            ago(ROLLOUT),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/quote-service",
                "Scaled down replica set quote-service-5f8c9a6d41 to 0 from 3",
            ),
        ),
        (
            ago(ROLLOUT + 0.02),
            (
                "Warning",
                "FailedPreStopHook",
                "pod/quote-service-5f8c9a6d41-7hxqv",
                HOOK % ("quote-service-5f8c9a6d41-7hxqv", "0d6f3a2b-81c4-4e97-b5a2-c3e8f9017d64"),
            ),
        ),
        (
            ago(SCALE_INS[0] - 0.1),
            (
                "Normal",
                "SuccessfulRescale",
                "horizontalpodautoscaler/quote-service",
                "New size: 5; reason: All metrics below target",
            ),
        ),
        (
            ago(SCALE_INS[0]),
            (
                "Warning",
                "FailedPreStopHook",
                "pod/quote-service-69d4b7c8f2-k2m9w",
                HOOK % ("quote-service-69d4b7c8f2-k2m9w", "7a41e9c0-25bd-4f36-9c18-e0b2d4a6f853"),
            ),
        ),
        (
            ago(SCALE_INS[1] - 0.1),
            (
                "Normal",
                "SuccessfulRescale",
                "horizontalpodautoscaler/quote-service",
                "New size: 3; reason: All metrics below target",
            ),
        ),
        (
            ago(SCALE_INS[1]),
            (
                "Warning",
                "FailedPreStopHook",
                "pod/quote-service-69d4b7c8f2-s8tq4",
                HOOK % ("quote-service-69d4b7c8f2-s8tq4", "c93e1b07-4d52-4a8f-8e61-2f7b0d9c5a13"),
            ),
        ),
        (
            ago(51),
            (
                "Warning",
                "Unhealthy",
                "pod/rates-sync-6c8d7f9b5-jq4lz",
                'Readiness probe failed: Get "http://10.90.2.77:9000/ready": dial tcp 10.90.2.77:9000: connect: connection refused',
            ),
        ),
    ]
    events = event_listing(routine, signal)
    spec = "\n".join(
        [
            '$ kubectl -n pricing get deploy quote-service -o jsonpath=\'{.spec.template.spec.terminationGracePeriodSeconds}{"\\n"}{.spec.template.spec.containers[0].image}{"\\n"}{.spec.template.spec.containers[0].lifecycle}{"\\n"}\'',
            "45",
            "210987654321.dkr.ecr.ap-southeast-2.amazonaws.com/pricing/quote-service:2.0.0-distroless",
            '{"preStop":{"exec":{"command":["/bin/sh","-c","sleep 20"]}}}',
            "",
            "$ kubectl -n pricing rollout history deploy/quote-service | tail -3",
            "14        quote-service 1.19.3 (alpine base)",
            "15        quote-service 2.0.0 (distroless static base, no shell)",
            "",
            "$ aws elbv2 describe-target-health --target-group-arn arn:aws:elasticloadbalancing:ap-southeast-2:210987654321:targetgroup/k8s-pricing-ratessyn-81d2f0c4aa/4e6b1c9d2a7f3e05 --query 'TargetHealthDescriptions[].TargetHealth.State' --output text",
            "healthy\tunhealthy\thealthy",
            "",
        ]
    )
    return Bundle(
        question="Brokers get bursts of 502 from the quote API since this morning: once around 10:05 and again at 10:42 and 11:23 UTC. Each burst lasts about a minute. Why?",
        category="deployment",
        component="quote-service",
        statement="quote-service 2.0.0, rolled out at 10:05 UTC on a distroless image, kept the Deployment's preStop hook `/bin/sh -c sleep 20`; with no shell the hook fails immediately (FailedPreStopHook), so pods are terminated while the ALB still sends them requests, giving 502 bursts at the rollout and at each HPA scale-in (10:42, 11:23).",
        files={
            "alb-access.log": alb.render(),
            "logs/quote-service.log": quote.render(),
            "kubectl-get-events.txt": events,
            "kubectl-get.txt": spec,
        },
        proofs=[
            Proof(
                "kubectl-get-events.txt", "FailedPreStopHook   pod/quote-service-5f8c9a6d41-7hxqv"
            ),
            Proof(
                "kubectl-get.txt", '{"preStop":{"exec":{"command":["/bin/sh","-c","sleep 20"]}}}'
            ),
        ],
        decoys=[
            "New size: 5; reason: All metrics below target",
            "healthy\tunhealthy\thealthy",
            "pgx: conn reset by peer on pricing-db.pricing.svc:5432",
        ],
    )
