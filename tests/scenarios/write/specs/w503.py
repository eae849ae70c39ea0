# ruff: noqa: E501
# Log lines, kubectl output and YAML are data, kept whole on one line.
"""Kubernetes (GKE, Asia/Tokyo): chart release search-frontend 4.2.0 (deployed 01:10 UTC, quiet at
night) added `priorityClassName: tier1-serving`, a PriorityClass that exists only in the staging
cluster. The running pods are untouched because the rollout's new ReplicaSet cannot create any
pod; the Deployment keeps the old ReplicaSet at 3 replicas. At the Tokyo lunch peak the HPA asks
for 9 replicas and every create is refused (`no PriorityClass with name tier1-serving was
found`), so the three old pods saturate and the edge returns 503s. Decoys: the HPA's own
`FailedGetResourceMetric` blip, an Elasticsearch slow-log WARN, and a node auto-repair."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events
from records import NginxAccess, Pino
from scenes import at, loud
from traffic import http_access, traffic, web_api

JST = timezone(timedelta(hours=9))
START = datetime(2026, 4, 8, 1, 0, tzinfo=UTC)
NOW = datetime(2026, 4, 8, 3, 40, tzinfo=UTC)
RELEASE = 10.5  # 01:10:30 UTC
PEAK = 125.0  # 03:05 UTC, 12:05 JST


def describe_rs() -> str:
    return """$ kubectl -n search describe rs search-frontend-84c6f9d7b5
Name:           search-frontend-84c6f9d7b5
Namespace:      search
Selector:       app=search-frontend,pod-template-hash=84c6f9d7b5
Labels:         app=search-frontend
                pod-template-hash=84c6f9d7b5
Annotations:    deployment.kubernetes.io/desired-replicas: 9
                deployment.kubernetes.io/max-replicas: 12
                deployment.kubernetes.io/revision: 31
Controlled By:  Deployment/search-frontend
Replicas:       0 current / 3 desired
Pods Status:    0 Running / 0 Waiting / 0 Succeeded / 0 Failed
Pod Template:
  Labels:           app=search-frontend
                    pod-template-hash=84c6f9d7b5
  Service Account:  search-frontend
  Containers:
   web:
    Image:      asia-northeast1-docker.pkg.dev/kaiyo-prod/web/search-frontend:4.2.0
    Port:       3000/TCP
    Host Port:  0/TCP
    Limits:
      cpu:     1
      memory:  768Mi
    Requests:
      cpu:         500m
      memory:      512Mi
    Environment:   <none>
    Mounts:        <none>
  Volumes:         <none>
  Priority Class Name:  tier1-serving
Conditions:
  Type             Status  Reason
  ----             ------  ------
  ReplicaFailure   True    FailedCreate
Events:
  Type     Reason        Age                    From                   Message
  ----     ------        ----                   ----                   -------
  Warning  FailedCreate  4m12s (x37 over 149m)  replicaset-controller  Error creating: pods "search-frontend-84c6f9d7b5-" is forbidden: no PriorityClass with name tier1-serving was found

$ kubectl get priorityclass
NAME                      VALUE        GLOBAL-DEFAULT   AGE
batch-low                 -100         false            212d
system-cluster-critical   2000000000   false            1y93d
system-node-critical      2000001000   false            1y93d
"""


def deploy_and_hpa() -> str:
    return """$ kubectl -n search get deploy,rs,hpa -l app=search-frontend
NAME                              READY   UP-TO-DATE   AVAILABLE   AGE
deployment.apps/search-frontend   3/9     0            3           318d

NAME                                         DESIRED   CURRENT   READY   AGE
replicaset.apps/search-frontend-6f7d8b9c44   3         3         3       9d
replicaset.apps/search-frontend-84c6f9d7b5   3         0         0       149m

NAME                                                  REFERENCE                    TARGETS    MINPODS   MAXPODS   REPLICAS   AGE
horizontalpodautoscaler.autoscaling/search-frontend   Deployment/search-frontend   188%/60%   3         12        9          318d

$ kubectl -n search get deploy search-frontend -o jsonpath='{range .status.conditions[*]}{.type}={.status} {.reason}: {.message}{"\\n"}{end}'
Available=False MinimumReplicasUnavailable: Deployment does not have minimum availability.
Progressing=True ReplicaSetUpdated: ReplicaSet "search-frontend-84c6f9d7b5" is progressing.
ReplicaFailure=True FailedCreate: pods "search-frontend-84c6f9d7b5-" is forbidden: no PriorityClass with name tier1-serving was found

$ helm -n search history search-frontend --max 2
REVISION  UPDATED                   STATUS      CHART                  APP VERSION  DESCRIPTION
30        Wed Apr  1 10:22:17 2026  superseded  search-frontend-4.1.3  4.1.3        Upgrade complete
31        Wed Apr  8 10:10:30 2026  deployed    search-frontend-4.2.0  4.2.0        Upgrade complete
"""


def bundle() -> Bundle:
    rng = random.Random(50377)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    web = LogFile("logs/search-frontend.log", Pino("search-frontend-6f7d8b9c44-kx2pd", rng=rng))
    web.add(
        traffic(
            rng, web_api("search-frontend", ["search", "suggest", "listings"]), START, total, 3600
        )
    )
    web.add(
        [
            at(
                START,
                44.0,
                "WARN",
                "elasticsearch slow response took=1420ms index=listings-v12 query=suggest",
            )
        ]
    )
    web.add(
        loud(
            rng,
            START,
            PEAK + 2,
            total - PEAK - 2.5,
            260,
            lambda r: (
                "WARN",
                f"event loop lag {r.randrange(180, 900)}ms, shedding request GET /search?q={r.getrandbits(24):06x}",
                (),
            ),
        )
    )

    edge = LogFile("logs/edge-nginx-access.log", NginxAccess(rng=rng, zone=JST))
    edge.add(traffic(rng, http_access(["/search", "/suggest", "/listing/"]), START, total, 4200))
    edge.add(
        loud(
            rng,
            START,
            PEAK + 4,
            total - PEAK - 4.5,
            420,
            lambda r: (
                "ERROR",
                f'"GET /search?q={r.getrandbits(24):06x} HTTP/1.1" 503 190 "-" "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X)" {r.uniform(3, 10):.3f}',
                (),
            ),
        )
    )

    routine = routine_events(
        rng,
        ["listing-indexer", "search-frontend", "suggest-cache"],
        14,
        [
            "gke-kaiyo-prod-web-0c1e7a2d-4q8m",
            "gke-kaiyo-prod-web-0c1e7a2d-9ztp",
            "gke-kaiyo-prod-web-51b9f3e6-vk2c",
        ],
        namespace="search",
    )
    signal = [
        (
            ago(RELEASE),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/search-frontend",
                "Scaled up replica set search-frontend-84c6f9d7b5 to 1",
            ),
        ),
        (
            ago(RELEASE) - 1,
            (
                "Warning",
                "FailedCreate",
                "replicaset/search-frontend-84c6f9d7b5",
                'Error creating: pods "search-frontend-84c6f9d7b5-" is forbidden: no PriorityClass with name tier1-serving was found',
            ),
        ),
        (
            ago(PEAK),
            (
                "Normal",
                "SuccessfulRescale",
                "horizontalpodautoscaler/search-frontend",
                "New size: 6; reason: cpu resource utilization (percentage of request) above target",
            ),
        ),
        (
            ago(PEAK + 6),
            (
                "Normal",
                "SuccessfulRescale",
                "horizontalpodautoscaler/search-frontend",
                "New size: 9; reason: cpu resource utilization (percentage of request) above target",
            ),
        ),
        (
            ago(70),
            (
                "Warning",
                "FailedGetResourceMetric",
                "horizontalpodautoscaler/search-frontend",
                "failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API",
            ),
        ),
        (
            ago(90),
            (
                "Normal",
                "NodeRepair",
                "node/gke-kaiyo-prod-web-51b9f3e6-vk2c",
                "Node auto-repair: recreating node after failed health checks",
            ),
        ),
    ]
    events = "$ kubectl -n search get events --sort-by=.lastTimestamp\n" + event_listing(
        routine, signal
    )

    return Bundle(
        question="Search has been returning 503s since around 12:10 JST at the lunch peak; the HPA says 9 replicas but only 3 pods are running. What is the root cause?",
        category="configuration",
        component="search-frontend",
        statement="The search-frontend 4.2.0 chart (01:10 UTC) set priorityClassName tier1-serving, which does not exist in this cluster; the new ReplicaSet cannot create any pod, so the HPA's scale-out to 9 at the peak never happens and three old pods saturate.",
        files={
            "kubectl-describe-rs.txt": describe_rs(),
            "kubectl-get-deploy-hpa.txt": deploy_and_hpa(),
            "kubectl-get-events.txt": events,
            web.name: web.render(),
            edge.name: edge.render(),
        },
        proofs=[
            Proof("kubectl-describe-rs.txt", "  Priority Class Name:  tier1-serving"),
            Proof("kubectl-describe-rs.txt", "Warning  FailedCreate  4m12s"),
            Proof("kubectl-get-deploy-hpa.txt", "31        Wed Apr  8 10:10:30 2026"),
        ],
        decoys=["FailedGetResourceMetric", "elasticsearch slow response", "Node auto-repair"],
    )
