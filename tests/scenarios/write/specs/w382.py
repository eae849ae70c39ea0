# ruff: noqa: E501
# Argo CD output, kubectl output and hand-written log lines are data, kept whole on one line.
"""Kubernetes/Argo CD: on 8 September the trust team added three embargoed regions and refreshed
the CIDR lists in edge-gateway's geo rules, which are shipped as the ConfigMap
`edge-geo-rules`. The data grew past 1 MiB; the API server rejects the ConfigMap
(`Too long: must have at most 1048576 bytes`), Argo CD's sync fails and it keeps retrying, the
application shows OutOfSync but Healthy, and the running edge-gateway keeps serving the
1 September rules. Compliance's probe keeps getting 200 from the new regions. Decoys: an Argo
repo-server git fetch timeout, edge-gateway's rate-limiter warnings, a single origin 502."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from records import JsonLines, Record
from scenes import at, fixed, loud
from traffic import traffic

EDT = timezone(timedelta(hours=-4))
START = datetime(2026, 9, 8, 13, 0, tzinfo=UTC)  # 09:00 EDT
MINUTES = 240.0
COMMIT = 62.0


class ArgoLogrus:
    """Argo CD's logrus text: time="..." level=info msg="..." with extra fields."""

    def render(self, record: Record) -> list[str]:
        stamp = record.time.strftime("%Y-%m-%dT%H:%M:%SZ")
        return [
            f'time="{stamp}" level={record.level.lower().replace("warn", "warning")} {record.message}'
        ]


def argo_line(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    app = rng.choice(["edge-gateway", "origin-cache", "status-page", "cert-sync", "edge-gateway"])
    roll = rng.random()
    if roll < 0.5:
        return (
            "INFO",
            f'msg="Refreshing app status (normal refresh requested), level ({rng.randrange(0, 3)})" application=argocd/{app}',
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            f'msg="Reconciliation completed" application=argocd/{app} comparison-level={rng.randrange(0, 3)} dedup_ms=0 dest-name= dest-namespace=edge dest-server="https://kubernetes.default.svc" diff_ms={rng.randrange(1, 40)} fields.level={rng.randrange(0, 3)} git_ms={rng.randrange(1, 200)} health_ms={rng.randrange(0, 5)} live_ms={rng.randrange(0, 9)} patch_ms=0 setop_ms=0 settings_ms=0 sync_ms={rng.randrange(0, 5)} time_ms={rng.randrange(20, 400)}',
            (),
        )
    return (
        "INFO",
        f'msg="Skipping auto-sync: application status is Synced" application=argocd/{app}',
        (),
    )


def edge_line(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    cc = rng.choice(["US", "US", "CA", "DE", "GB", "BR", "JP", "IN", "FR", "MX"])
    return (
        "INFO",
        f"request path=/{rng.choice(['', 'app', 'api/v2/feed', 'static/main.js', 'login'])} status=200 country={cc} asn=AS{rng.randrange(1000, 65000)} geo_rule=allow bytes={rng.randrange(300, 90000)} took_ms={max(1, int(rng.lognormvariate(0, 0.6) * 22))}",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(38288)
    argo = LogFile("logs/argocd-application-controller.log", ArgoLogrus())
    argo.add(traffic(rng, argo_line, START, MINUTES, 2600))
    argo.add(
        [
            at(
                START,
                31.0,
                "WARN",
                'msg="git fetch failed, retrying" error="context deadline exceeded" repo="https://git.example.net/platform/edge-config.git" attempt=1',
            ),
            at(
                START,
                COMMIT + 0.6,
                "INFO",
                'msg="Initiated automated sync to \'9d4e1b7a3c\'" application=argocd/edge-gateway dest-namespace=edge dest-server="https://kubernetes.default.svc"',
            ),
            at(
                START,
                COMMIT + 0.7,
                "INFO",
                'msg="Applying resource ConfigMap/edge-geo-rules in cluster: https://10.0.0.1:443, namespace: edge" application=argocd/edge-gateway',
            ),
            at(
                START,
                COMMIT + 0.72,
                "INFO",
                "msg=\"Adding resource result, status: 'SyncFailed', phase: 'Failed', message: 'ConfigMap \\\"edge-geo-rules\\\" is invalid: []: Too long: must have at most 1048576 bytes'\" application=argocd/edge-gateway kind=ConfigMap name=edge-geo-rules namespace=edge phase=Sync syncId=00017-XqZpb",
            ),
            at(
                START,
                COMMIT + 0.74,
                "INFO",
                'msg="Updating operation state. phase: Running -> Failed, message: \'one or more objects failed to apply, reason: ConfigMap \\"edge-geo-rules\\" is invalid: []: Too long: must have at most 1048576 bytes\'" application=argocd/edge-gateway syncId=00017-XqZpb',
            ),
        ]
    )
    argo.add(
        loud(
            rng,
            START,
            COMMIT + 4,
            MINUTES - COMMIT - 5,
            45,
            fixed(
                "INFO",
                lambda r: (
                    'msg="Skipping auto-sync: failed previous sync attempt to [9d4e1b7a3c]" application=argocd/edge-gateway'
                ),
            ),
        )
    )

    edge = LogFile(
        "logs/edge-gateway.log",
        JsonLines("edge-gateway", keys=("ts", "severity", "msg"), rng=rng, zone=EDT),
    )
    edge.add(traffic(rng, edge_line, START, MINUTES, 4200))
    edge.add(
        [
            at(
                START - timedelta(days=7),
                2 * 60 + 14.0,
                "INFO",
                "geo rules loaded from /etc/edge/geo/rules.yaml version=2026-09-01.2 blocked_regions=14 cidrs=47122",
            ),
            at(
                START,
                118.0,
                "WARN",
                "upstream origin-eu returned 502 for GET /api/v2/feed, served stale copy (age 41s)",
            ),
        ]
    )
    edge.add(
        loud(
            rng,
            START,
            140,
            25,
            60,
            fixed(
                "WARN",
                lambda r: (
                    f"rate limiter: client 203.0.113.{r.randrange(1, 255)} exceeded 300 req/min on /login, responding 429"
                ),
            ),
        )
    )

    audit = LogFile(
        "logs/compliance-geo-probe.log", JsonLines("compliance-geo-probe", rng=rng, zone=EDT)
    )
    audit.add(
        loud(
            rng,
            START,
            0,
            MINUTES,
            480,
            fixed(
                "INFO",
                lambda r: (
                    f"probe region={r.choice(['CU', 'IR', 'KP', 'SY'])} vantage=vp-{r.randrange(1, 9)} status=451 expected=451 ok=true"
                ),
            ),
        )
    )
    audit.add(
        loud(
            rng,
            START,
            COMMIT + 30,
            MINUTES - COMMIT - 31,
            170,
            fixed(
                "ERROR",
                lambda r: (
                    f"probe region={r.choice(['R7', 'R8', 'R9'])} vantage=vp-{r.randrange(1, 9)} status=200 expected=451 ok=false rule_set_effective=2026-09-08"
                ),
            ),
        )
    )

    pasted = "\n".join(
        [
            "$ argocd app get edge-gateway",
            "Name:               argocd/edge-gateway",
            "Project:            edge",
            "Server:             https://kubernetes.default.svc",
            "Namespace:          edge",
            "URL:                https://argocd.example.net/applications/edge-gateway",
            "Source:",
            "- Repo:             https://git.example.net/platform/edge-config.git",
            "  Target:           main",
            "  Path:             apps/edge-gateway",
            "SyncWindow:         Sync Allowed",
            "Sync Policy:        Automated (Prune)",
            "Sync Status:        OutOfSync from main (9d4e1b7a3c)",
            "Health Status:      Healthy",
            "",
            "Operation:          Sync",
            "Sync Revision:      9d4e1b7a3c5f20e8b61d47a9c03e2f1b58d6a7e4",
            "Phase:              Failed",
            "Start:              2026-09-08 10:02:36 -0400 EDT",
            "Finished:           2026-09-08 10:02:37 -0400 EDT",
            "Duration:           1s",
            'Message:            one or more objects failed to apply, reason: ConfigMap "edge-geo-rules" is invalid: []: Too long: must have at most 1048576 bytes',
            "",
            "GROUP  KIND        NAMESPACE  NAME                    STATUS     HEALTH   HOOK  MESSAGE",
            '       ConfigMap   edge       edge-geo-rules          OutOfSync                 ConfigMap "edge-geo-rules" is invalid: []: Too long: must have at most 1048576 bytes',
            "       Service     edge       edge-gateway            Synced     Healthy        service/edge-gateway unchanged",
            "apps   Deployment  edge       edge-gateway            Synced     Healthy        deployment.apps/edge-gateway unchanged",
            "",
            "$ git -C edge-config log --stat -1 9d4e1b7a3c",
            "commit 9d4e1b7a3c5f20e8b61d47a9c03e2f1b58d6a7e4",
            "Author: trust-bot <trust-bot@example.net>",
            "Date:   Tue Sep 8 10:01:52 2026 -0400",
            "",
            "    geo: embargo R7, R8, R9; refresh CIDR lists from feed 2026-09-08",
            "",
            " apps/edge-gateway/geo/rules.yaml | 18314 ++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++-",
            " 1 file changed, 18103 insertions(+), 211 deletions(-)",
            "",
            "$ wc -c edge-config/apps/edge-gateway/geo/rules.yaml",
            "1371904 edge-config/apps/edge-gateway/geo/rules.yaml",
            "",
            "$ kubectl -n edge get configmap edge-geo-rules -o jsonpath='{.metadata.annotations.edge\\.example\\.net/rules-version}'",
            "2026-09-01.2",
            "",
            "# pasted 12:55 EDT",
            "",
        ]
    )
    return Bundle(
        question="Compliance reports that since this morning's update the newly embargoed regions (R7, R8, R9) still get 200 from the edge instead of 451. What's wrong?",
        category="configuration",
        component="edge-gateway",
        statement="The 8 September geo-rules commit grew edge-gateway's ConfigMap `edge-geo-rules` past the 1 MiB object limit; the API server rejects it (`Too long: must have at most 1048576 bytes`), Argo CD's sync fails and stops retrying that revision, and edge-gateway keeps running the 2026-09-01.2 rules without the new regions.",
        files={
            "argocd-and-kubectl.txt": pasted,
            "logs/argocd-application-controller.log": argo.render(),
            "logs/edge-gateway.log": edge.render(),
            "logs/compliance-geo-probe.log": audit.render(),
        },
        proofs=[
            Proof(
                "logs/argocd-application-controller.log",
                "Adding resource result, status: 'SyncFailed'",
            ),
            Proof("argocd-and-kubectl.txt", "1371904 edge-config"),
            Proof(
                "argocd-and-kubectl.txt", "ConfigMap   edge       edge-geo-rules          OutOfSync"
            ),
        ],
        decoys=[
            "git fetch failed, retrying",
            "rate limiter: client 203.0.113.",
            "upstream origin-eu returned 502",
        ],
    )
