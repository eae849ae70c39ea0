# ruff: noqa: E501
# Log lines, kubectl output and YAML are data, kept whole on one line.
"""Kubernetes (GKE, America/Los_Angeles customers, cluster tooling in Europe): the FinOps team
installed kube-downscaler on 2026-11-03 with `DEFAULT_UPTIME=Mon-Fri 07:00-19:00 Europe/Berlin`
meant for dev namespaces, but its `--namespace` exclusion list does not exclude the new
`claims-prod` namespace. At 18:00 UTC (19:00 Berlin, 10:00 Pacific) it scales the claims
Deployments to zero and annotates their original replicas; the Pacific-morning users get 503s.
Nothing in claims-prod changed. Decoys: an HPA `ScalingLimited` event, a claims-api JDBC WARN in
the morning, and an Istio gateway config push WARN."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events
from records import JsonLines, SpringBoot
from scenes import at, loud
from traffic import traffic, web_api

PST = timezone(timedelta(hours=-8))
START = datetime(2026, 11, 4, 16, 30, tzinfo=UTC)
NOW = datetime(2026, 11, 4, 18, 40, tzinfo=UTC)
DOWN = 90.0  # 18:00 UTC


def kubectl_text() -> str:
    return """$ kubectl -n claims-prod get deploy
NAME             READY   UP-TO-DATE   AVAILABLE   AGE
claims-api       0/0     0            0           6d
claims-ui        0/0     0            0           6d
claims-worker    0/0     0            0           6d

$ kubectl -n claims-prod get deploy claims-api -o jsonpath='{.metadata.annotations}' | jq .
{
  "deployment.kubernetes.io/revision": "9",
  "downscaler/original-replicas": "6",
  "meta.helm.sh/release-name": "claims"
}

$ kubectl -n kube-downscaler get deploy kube-downscaler -o yaml | sed -n '/containers:/,/image:/p'
      containers:
      - args:
        - --interval=60
        - --exclude-namespaces=kube-system,istio-system,monitoring,payments-prod,portal-prod
        env:
        - name: DEFAULT_UPTIME
          value: Mon-Fri 07:00-19:00 Europe/Berlin
        image: ghcr.io/example-mirror/kube-downscaler:24.8.2

$ kubectl get ns --sort-by=.metadata.creationTimestamp | tail -4
NAME              STATUS   AGE
payments-prod     Active   211d
portal-prod       Active   97d
claims-prod       Active   6d
"""


def bundle() -> Bundle:
    rng = random.Random(51033)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    ds = LogFile(
        "logs/kube-downscaler.log",
        JsonLines(
            "kube-downscaler", keys=("asctime", "levelname", "message"), lower_level=False, rng=rng
        ),
    )
    ds.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"Deployment {r.choice(['dev-tools', 'qa-env', 'sandbox'])}/{r.choice(['api', 'web', 'jobs'])} within uptime, nothing to do",
                (),
            ),
            START,
            total,
            400,
        )
    )
    ds.add(
        [
            at(
                START,
                DOWN + 0.1,
                "INFO",
                "Scaling down Deployment claims-prod/claims-api from 6 to 0 replicas (uptime: Mon-Fri 07:00-19:00 Europe/Berlin, downtime: never)",
            ),
            at(
                START,
                DOWN + 0.12,
                "INFO",
                "Scaling down Deployment claims-prod/claims-ui from 4 to 0 replicas (uptime: Mon-Fri 07:00-19:00 Europe/Berlin, downtime: never)",
            ),
            at(
                START,
                DOWN + 0.14,
                "INFO",
                "Scaling down Deployment claims-prod/claims-worker from 3 to 0 replicas (uptime: Mon-Fri 07:00-19:00 Europe/Berlin, downtime: never)",
            ),
        ]
    )
    api = LogFile(
        "logs/claims-api.log",
        SpringBoot(
            ("c.h.claims.ClaimController", "com.zaxxer.hikari.HikariDataSource"), rng=rng, zone=PST
        ),
    )
    api.add(
        traffic(rng, web_api("claims-api", ["claims", "documents", "policies"]), START, DOWN, 2400)
    )
    api.add(
        [
            at(
                START,
                12.0,
                "WARN",
                "HikariPool-1 - Failed to validate connection org.postgresql.jdbc.PgConnection@5e3a1b (This connection has been closed.). Possibly consider using a shorter maxLifetime value.",
                logger="com.zaxxer.hikari.pool.PoolBase",
            )
        ]
    )
    api.add(
        [
            at(
                START,
                DOWN + 0.2,
                "INFO",
                "Commencing graceful shutdown. Waiting for active requests to complete",
                logger="o.s.b.w.e.tomcat.GracefulShutdown",
            )
        ]
    )
    gw = LogFile(
        "logs/istio-ingressgateway.log",
        JsonLines("istio-ingressgateway", keys=("start_time", "level", "msg"), rng=rng),
    )
    gw.add(traffic(rng, web_api("istio-ingressgateway", ["claims", "portal"]), START, total, 2200))
    gw.add(
        [
            at(
                START,
                40.0,
                "WARN",
                "gRPC config for type.googleapis.com/envoy.config.route.v3.RouteConfiguration rejected: duplicate domain portal.example.com, keeping last good",
            )
        ]
    )
    gw.add(
        loud(
            rng,
            START,
            DOWN + 0.5,
            total - DOWN - 1,
            500,
            lambda r: (
                "ERROR",
                f'"GET /api/claims/{r.randrange(100000, 999999)} HTTP/2" 503 UH no_healthy_upstream upstream_cluster=outbound|8080||claims-api.claims-prod.svc.cluster.local',
                (),
            ),
        )
    )
    routine = routine_events(
        rng,
        ["claims-api", "claims-ui"],
        10,
        ["gke-core-prod-default-8d2e1c4f-3kqw", "gke-core-prod-default-8d2e1c4f-x9lm"],
        namespace="claims-prod",
    )
    signal = [
        (
            ago(DOWN),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/claims-api",
                "Scaled down replica set claims-api-7b5d9c8f6d to 0 from 6",
            ),
        ),
        (
            ago(DOWN),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/claims-ui",
                "Scaled down replica set claims-ui-5f8c6d7b9c to 0 from 4",
            ),
        ),
        (
            ago(DOWN) - 1,
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/claims-worker",
                "Scaled down replica set claims-worker-6c9d7f5b8 to 0 from 3",
            ),
        ),
        (
            ago(60),
            (
                "Normal",
                "ScalingLimited",
                "horizontalpodautoscaler/claims-ui",
                "the desired replica count is less than the minimum replica count",
            ),
        ),
    ]
    events = "$ kubectl -n claims-prod get events --sort-by=.lastTimestamp\n" + event_listing(
        routine, signal
    )
    return Bundle(
        question="The claims portal has been down with 503 no_healthy_upstream since 10:00 Pacific; every claims deployment shows 0/0 and nobody on the team scaled anything. What is the root cause?",
        category="configuration",
        component="kube-downscaler",
        statement="kube-downscaler runs with DEFAULT_UPTIME Mon-Fri 07:00-19:00 Europe/Berlin and does not exclude the new claims-prod namespace, so at 18:00 UTC (19:00 Berlin) it scaled claims-api, claims-ui and claims-worker to zero in the middle of the Pacific business day.",
        files={
            "kubectl-output.txt": kubectl_text(),
            "kubectl-get-events.txt": events,
            ds.name: ds.render(),
            api.name: api.render(),
            gw.name: gw.render(),
        },
        proofs=[
            Proof(ds.name, "Scaling down Deployment claims-prod/claims-api from 6 to 0"),
            Proof(
                "kubectl-output.txt",
                "--exclude-namespaces=kube-system",
                "value: Mon-Fri 07:00-19:00 Europe/Berlin",
            ),
        ],
        decoys=[
            "ScalingLimited",
            "Failed to validate connection",
            "duplicate domain portal.example.com",
        ],
    )
