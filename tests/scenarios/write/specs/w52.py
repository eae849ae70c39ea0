# ruff: noqa: E501
# Hand-written log lines and kubectl rows are data, kept whole on one line.
"""A baseline NetworkPolicy denies egress from the analytics namespace except DNS and 443;
dashboards-api can no longer reach its PostgreSQL on 5432, and the database looks guilty."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import table
from records import JsonLines, Postgres, PythonLogging
from scenes import at, fixed, loud, python_traceback
from traffic import database_server, traffic, web_api

START = datetime(2025, 8, 19, 10, 0, tzinfo=UTC)
POLICY_MINUTE = 14.1
DB = "warehouse-pg.data.svc.cluster.local"


def describe_policies() -> str:
    lines = [
        "Name:         allow-ingress-from-gateway",
        "Namespace:    analytics",
        "Created on:   2024-11-02 09:41:55 +0000 UTC",
        "Labels:       app.kubernetes.io/managed-by=argocd",
        "Annotations:  <none>",
        "Spec:",
        "  PodSelector:     app=dashboards-api",
        "  Allowing ingress traffic:",
        "    To Port: 8000/TCP",
        "    From:",
        "      NamespaceSelector: kubernetes.io/metadata.name=gateway",
        "  Not affecting egress traffic",
        "  Policy Types: Ingress",
        "",
        "",
        "Name:         default-deny-egress",
        "Namespace:    analytics",
        "Created on:   2025-08-19 10:14:07 +0000 UTC",
        "Labels:       app.kubernetes.io/managed-by=argocd",
        "              policy-set=baseline-v2",
        "Annotations:  <none>",
        "Spec:",
        "  PodSelector:     <none> (Allowing the specific traffic to all pods in this namespace)",
        "  Not affecting ingress traffic",
        "  Allowing egress traffic:",
        "    To Port: 53/UDP",
        "    To Port: 53/TCP",
        "    To:",
        "      NamespaceSelector: kubernetes.io/metadata.name=kube-system",
        "      PodSelector: k8s-app=kube-dns",
        "    ----------",
        "    To Port: 443/TCP",
        "    To:",
        "      IPBlock:",
        "        CIDR: 0.0.0.0/0",
        "        Except: 10.0.0.0/8",
        "  Policy Types: Egress",
    ]
    return "\n".join(lines) + "\n"


def bundle() -> Bundle:
    rng = random.Random(152)
    api = LogFile(
        "dashboards-api.log",
        PythonLogging(("dashboards.api", "dashboards.db", "uvicorn.access"), rng),
    )
    api.add(
        traffic(
            rng,
            web_api("dashboards-api", ["dashboards", "panels", "queries"]),
            START,
            POLICY_MINUTE,
            640,
        )
    )
    api.add(
        traffic(
            rng,
            web_api("dashboards-api", ["dashboards", "panels"]),
            START.replace(minute=14, second=10),
            30,
            560,
        )
    )
    api.add(
        [
            at(
                START,
                POLICY_MINUTE + 0.2,
                "ERROR",
                "query for panel 4411 failed",
                python_traceback(
                    [
                        (
                            "/app/dashboards/db.py",
                            58,
                            "run_query",
                            "with pool.connection(timeout=10) as connection:",
                        ),
                        (
                            "/usr/local/lib/python3.12/site-packages/psycopg_pool/pool.py",
                            203,
                            "getconn",
                            "raise PoolTimeout(",
                        ),
                    ],
                    f'psycopg.OperationalError: connection is bad: connection to server at "{DB}" (10.96.14.7), port 5432 failed: timeout expired',
                ),
                logger="dashboards.db",
            )
        ]
    )
    api.add(
        loud(
            rng,
            START,
            POLICY_MINUTE + 0.3,
            30,
            420,
            fixed(
                "ERROR",
                lambda r: (
                    f"query for panel {r.randrange(1000, 9999)} failed: psycopg_pool.PoolTimeout: couldn't get a connection after 10.00 sec"
                ),
            ),
        )
    )
    api.add(
        loud(
            rng,
            START,
            POLICY_MINUTE + 0.5,
            30,
            180,
            fixed(
                "WARN",
                lambda r: (
                    f'connection to server at "{DB}" (10.96.14.7), port 5432 failed: timeout expired; pool has 0 of 20 connections'
                ),
            ),
        )
    )
    api.add(
        loud(
            rng,
            START,
            POLICY_MINUTE + 1,
            29,
            95,
            fixed(
                "INFO",
                lambda r: (
                    f"GET /api/v1/dashboards/{r.randrange(10**5)} 504 {r.randrange(10000, 10100)}ms client=10.44.{r.randrange(256)}.{r.randrange(1, 255)}"
                ),
            ),
        )
    )
    database = LogFile("warehouse-pg.log", Postgres(rng))
    database.add(traffic(rng, database_server(), START, 45, 1500))
    database.add(
        loud(
            rng,
            START,
            12,
            33,
            44,
            fixed(
                "WARN",
                lambda r: (
                    f"checkpoints are occurring too frequently ({r.randrange(8, 25)} seconds apart)"
                ),
            ),
        )
    )
    database.add(
        loud(
            rng,
            START,
            16,
            28,
            70,
            fixed(
                "ERROR",
                lambda r: (
                    f"canceling statement due to statement timeout (etl_loader, query {r.getrandbits(32):08x})"
                ),
            ),
        )
    )
    argocd = LogFile(
        "argocd-application-controller.log",
        JsonLines("argocd-application-controller", ("time", "level", "msg"), rng=rng),
    )
    argocd.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f"Reconciliation completed application={r.choice(['analytics', 'data-platform', 'gateway', 'monitoring'])} dedup_ms=0 diff_ms={r.randrange(1, 40)} git_ms={r.randrange(10, 400)} health_ms={r.randrange(0, 8)} live_ms={r.randrange(0, 8)} settings_ms=0 sync_ms=0 time_ms={r.randrange(40, 600)}"
                ),
            ),
            START,
            45,
            1300,
        )
    )
    argocd.add(
        [
            at(
                START,
                14.0,
                "INFO",
                "Initiated automated sync to '7f3a9c1e' application=security-baseline dest-namespace=analytics",
            ),
            at(
                START,
                14.11,
                "INFO",
                "Applying resource NetworkPolicy/default-deny-egress in cluster: https://kubernetes.default.svc, namespace: analytics application=security-baseline",
            ),
            at(
                START,
                14.13,
                "INFO",
                "Adding resource result, status: 'Synced', phase: 'Running', message: 'networkpolicy.networking.k8s.io/default-deny-egress created' application=security-baseline kind=NetworkPolicy name=default-deny-egress namespace=analytics",
            ),
            at(
                START,
                14.2,
                "INFO",
                "Updated sync status: OutOfSync -> Synced application=security-baseline",
            ),
        ]
    )
    policies = table(
        ("NAMESPACE", "NAME", "POD-SELECTOR", "AGE"),
        [
            ("analytics", "allow-ingress-from-gateway", "app=dashboards-api", "290d"),
            ("analytics", "default-deny-egress", "<none>", "31m"),
            ("data", "allow-from-analytics", "app=warehouse-pg", "290d"),
            ("data", "allow-from-etl", "app=warehouse-pg", "120d"),
            ("gateway", "default-deny-egress", "<none>", "31m"),
            ("gateway", "allow-egress-to-backends", "<none>", "31m"),
        ],
    )
    return Bundle(
        question="Dashboards stopped loading at 10:14 UTC with database timeouts. The DBA says warehouse-pg is healthy. What is wrong?",
        category="network",
        component="dashboards-api",
        statement="The security-baseline NetworkPolicy default-deny-egress, synced into the analytics namespace at 10:14, allows only DNS and port 443 outside 10.0.0.0/8, so dashboards-api's connections to warehouse-pg on 5432 are dropped and time out.",
        files={
            "dashboards-api.log": api.render(),
            "warehouse-pg.log": database.render(),
            "argocd-application-controller.log": argocd.render(),
            "describe-networkpolicy.txt": describe_policies(),
            "get-networkpolicy-all-namespaces.txt": "\n".join(policies) + "\n",
        },
        proofs=[
            Proof(
                "describe-networkpolicy.txt",
                "Name:         default-deny-egress",
                "Policy Types: Egress",
            ),
            Proof(
                "argocd-application-controller.log",
                "Applying resource NetworkPolicy/default-deny-egress",
            ),
        ],
        decoys=[
            "canceling statement due to statement timeout",
            "checkpoints are occurring too frequently",
            "PoolTimeout",
        ],
    )
