# ruff: noqa: E501
# CI output, kubectl rows and hand-written log lines are data, kept whole on one line.
"""Kubernetes: release 2026.48 was meant to ship catalog-api 4.0.0 (new /api/v2 endpoints) and
then web-shop 5.2.0 that calls them. The catalog-api manifest also changed the Deployment's
`spec.selector` (a new `app.kubernetes.io/name` label); the selector is immutable, so `kubectl
apply` was rejected, but the deploy step ran with `|| echo` and the pipeline went on to roll
out web-shop. catalog-api is still 3.9.4 and answers 404 to every /api/v2 call: product pages
fail. Decoys: web-shop's slow image CDN warning, a catalog-api Elasticsearch deprecation
warning, and a failed CronJob pod in the same namespace."""

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events
from records import Pino, Record, SpringBoot
from scenes import at, fixed, loud
from traffic import traffic, web_api

MADRID = ZoneInfo("Europe/Madrid")
START = datetime(2026, 11, 24, 13, 0, tzinfo=UTC)  # 14:00 CET
NOW = datetime(2026, 11, 24, 14, 40, tzinfo=UTC)
DEPLOY = 52.0  # 13:52 UTC
NODES = ["k8s-w-prod-01", "k8s-w-prod-02", "k8s-w-prod-03", "k8s-w-prod-04"]


@dataclass
class CiLog:
    """A CI job log as the runner prints it: local time, section markers, the job's output."""

    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def render(self, record: Record) -> list[str]:
        stamp = record.time.astimezone(MADRID).strftime("%H:%M:%S")
        return [f"[{stamp}] {record.message}"]


def bundle() -> Bundle:
    rng = random.Random(35206)
    total = (NOW - START).total_seconds() / 60

    ci = LogFile("ci-deploy-job-118274.log", CiLog(rng=rng))
    lines = [
        "Running with gitlab-runner 17.5.2 (c1e6f7a2) on k8s-deployer-2 x9Qm2",
        "$ export RELEASE=2026.48",
        "$ kubectl config use-context prod-mad",
        'Switched to context "prod-mad".',
        "section_start:deploy_catalog_api",
        "$ kubectl -n shop apply -f k8s/catalog-api/ || echo 'apply returned non-zero, continuing'",
        "service/catalog-api unchanged",
        "configmap/catalog-api-config configured",
        'The Deployment "catalog-api" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"catalog-api", "app.kubernetes.io/name":"catalog-api"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
        "apply returned non-zero, continuing",
        "$ kubectl -n shop rollout status deploy/catalog-api --timeout=300s",
        'deployment "catalog-api" successfully rolled out',
        "section_end:deploy_catalog_api",
        "section_start:deploy_web_shop",
        "$ kubectl -n shop apply -f k8s/web-shop/",
        "deployment.apps/web-shop configured",
        "service/web-shop unchanged",
        "$ kubectl -n shop rollout status deploy/web-shop --timeout=300s",
        'Waiting for deployment "web-shop" rollout to finish: 1 out of 4 new replicas have been updated...',
        'Waiting for deployment "web-shop" rollout to finish: 3 of 4 updated replicas are available...',
        'deployment "web-shop" successfully rolled out',
        "section_end:deploy_web_shop",
        "Cleaning up project directory and file based variables",
        "Job succeeded",
    ]
    ci.add(
        [
            at(START, DEPLOY - 1.5 + index * 0.02 + (1.2 if index >= 13 else 0), "INFO", line)
            for index, line in enumerate(lines)
        ]
    )

    shop = LogFile("logs/web-shop.log", Pino("web-shop-6c9d8e7f5b-h2p4q", rng=rng))
    shop.add(traffic(rng, web_api("web-shop", ["pages", "basket"]), START, total, 2600))
    shop.add(
        [
            at(
                START,
                17.0,
                "WARN",
                "image CDN slow: GET https://img.shop-cdn.example/p/88213/main.webp took 2431ms",
            ),
            at(
                START,
                DEPLOY + 1.3,
                "INFO",
                "web-shop 5.2.0 listening on :3000 (catalog client: CATALOG_API_VERSION=v2)",
            ),
        ]
    )
    shop.add(
        loud(
            rng,
            START,
            DEPLOY + 1.4,
            total - DEPLOY - 1.4,
            560,
            fixed(
                "ERROR",
                lambda r: (
                    f"render /p/{r.randrange(10000, 99999)} failed: catalog request GET http://catalog-api.shop.svc:8080/api/v2/products/{r.randrange(10000, 99999)} returned 404 Not Found"
                ),
            ),
        )
    )

    catalog = LogFile(
        "logs/catalog-api.log",
        SpringBoot(
            (
                "c.s.catalog.web.ProductController",
                "c.s.catalog.search.EsClient",
                "o.s.web.servlet.PageNotFound",
            ),
            rng=rng,
            zone=MADRID,
        ),
    )
    catalog.add(
        traffic(rng, web_api("catalog-api", ["products", "categories"]), START, total, 2800)
    )
    catalog.add(
        [
            at(
                START,
                4.0,
                "INFO",
                "Started CatalogApiApplication in 18.204 seconds (process running for 19.1); version 3.9.4",
                logger="c.s.catalog.CatalogApiApplication",
            ),
            at(
                START,
                33.0,
                "WARN",
                "Elasticsearch deprecation: [types removal] Specifying types in search requests is deprecated.",
                logger="c.s.catalog.search.EsClient",
            ),
        ]
    )
    catalog.add(
        loud(
            rng,
            START,
            DEPLOY + 1.4,
            total - DEPLOY - 1.4,
            420,
            fixed(
                "WARN",
                lambda r: f"No mapping for GET /api/v2/products/{r.randrange(10000, 99999)}",
                None,
            ),
        )
    )

    rs = "\n".join(
        [
            "$ kubectl -n shop get rs -l app=catalog-api -o wide",
            "NAME                     DESIRED   CURRENT   READY   AGE   CONTAINERS    IMAGES                                       SELECTOR",
            "catalog-api-58b7c6d9f4   4         4         4       20d   catalog-api   registry.shop.internal/catalog-api:3.9.4     app=catalog-api,pod-template-hash=58b7c6d9f4",
            "catalog-api-7a6c5b4d3e   0         0         0       41d   catalog-api   registry.shop.internal/catalog-api:3.9.1     app=catalog-api,pod-template-hash=7a6c5b4d3e",
            "",
            "$ kubectl -n shop get rs -l app=web-shop -o wide",
            "NAME                  DESIRED   CURRENT   READY   AGE   CONTAINERS   IMAGES                                  SELECTOR",
            "web-shop-6c9d8e7f5b   4         4         4       47m   web-shop     registry.shop.internal/web-shop:5.2.0   app=web-shop,pod-template-hash=6c9d8e7f5b",
            "web-shop-5b8c7d6e4a   0         0         0       20d   web-shop     registry.shop.internal/web-shop:5.1.3   app=web-shop,pod-template-hash=5b8c7d6e4a",
            "",
        ]
    )

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    routine = routine_events(
        rng, ["basket-api", "web-shop", "catalog-api"], 20, NODES, namespace="shop"
    )
    signal = [
        (
            ago(DEPLOY + 0.3),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/web-shop",
                "Scaled up replica set web-shop-6c9d8e7f5b to 1",
            ),
        ),
        (
            ago(DEPLOY + 1.2),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/web-shop",
                "Scaled down replica set web-shop-5b8c7d6e4a to 0 from 1",
            ),
        ),
        (
            ago(40),
            (
                "Warning",
                "BackoffLimitExceeded",
                "job/sitemap-rebuild-29046120",
                "Job has reached the specified backoff limit",
            ),
        ),
    ]
    events = event_listing(routine, signal)

    return Bundle(
        question="Product pages on the shop have been erroring since about 14:53 CET, right after today's release went out green. What is the root cause?",
        category="deployment",
        component="catalog-api",
        statement="Release 2026.48 changed catalog-api's Deployment selector; the API server rejected the apply as `spec.selector ... field is immutable`, the pipeline ignored the failure and rolled out web-shop 5.2.0, which calls catalog-api's /api/v2 endpoints while catalog-api is still 3.9.4 and answers 404.",
        files={
            "ci-deploy-job-118274.log": ci.render(),
            "logs/web-shop.log": shop.render(),
            "logs/catalog-api.log": catalog.render(),
            "kubectl-get-rs.txt": rs,
            "kubectl-get-events.txt": events,
        },
        proofs=[
            Proof(
                "ci-deploy-job-118274.log",
                "field is immutable",
                "apply returned non-zero, continuing",
            ),
            Proof("kubectl-get-rs.txt", "catalog-api-58b7c6d9f4   4"),
        ],
        decoys=[
            "image CDN slow: GET https://img.shop-cdn.example",
            "Elasticsearch deprecation: [types removal]",
            "Job has reached the specified backoff limit",
        ],
    )
