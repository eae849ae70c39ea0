# ruff: noqa: E501
# Hand-written log lines are data, kept whole on one line.
"""An RBAC cleanup removes the autoscaler's ClusterRoleBinding; it can no longer list pods."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import JsonLines, Zap
from scenes import at, fixed, loud
from traffic import traffic, web_api


def scaler_line(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    deployment = rng.choice(["checkout", "cart", "search", "catalog"])
    return (
        "INFO",
        f"evaluated shop/{deployment}: desired={rng.randrange(2, 9)} current={rng.randrange(2, 9)} queue_depth={rng.randrange(0, 400)}",
        (),
    )


START = datetime(2025, 8, 4, 9, 0, tzinfo=UTC)


def bundle() -> Bundle:
    rng = random.Random(131)
    scaler = LogFile(
        "autoscaler.log",
        Zap(("scaler/loop.go:77", "scaler/metrics.go:120", "k8s/client.go:54"), rng),
    )
    scaler.add(traffic(rng, scaler_line, START, 20, 520))
    scaler.add(
        [
            at(
                START,
                20.0,
                "ERROR",
                'pods is forbidden: User "system:serviceaccount:ops:queue-autoscaler" cannot list resource "pods" in API group "" in the namespace "shop"',
                logger="k8s/client.go:54",
            )
        ]
    )
    scaler.add(
        loud(
            rng,
            START,
            20.1,
            30,
            222,
            fixed(
                "ERROR",
                lambda r: (
                    f"scale loop failed for shop/{r.choice(['checkout', 'cart', 'search', 'catalog'])}: cannot read pod metrics, keeping current replicas"
                ),
            ),
        )
    )
    audit = LogFile(
        "argocd.log", JsonLines("argocd-application-controller", ("time", "level", "msg"), rng=rng)
    )
    audit.add(traffic(rng, web_api("argocd", ["applications", "sync"]), START, 50, 446))
    audit.add(
        [
            at(
                START,
                19.5,
                "INFO",
                "sync of application platform-rbac: pruned rbac.authorization.k8s.io/ClusterRoleBinding queue-autoscaler-view (not in git since commit 4be21c0 'remove unused bindings')",
            )
        ]
    )
    checkout = LogFile("checkout.log", JsonLines("checkout", ("ts", "level", "msg"), rng=rng))
    checkout.add(traffic(rng, web_api("checkout", ["checkout"]), START, 50, 594))
    checkout.add(
        loud(
            rng,
            START,
            28,
            22,
            222,
            fixed(
                "WARN",
                lambda r: (
                    f"request queue depth {r.randrange(400, 4000)} above 400, p99 {r.randrange(2000, 9000)}ms"
                ),
            ),
        )
    )
    return Bundle(
        question="checkout did not scale up during the 09:30 traffic peak. Why didn't the queue autoscaler react?",
        category="permission",
        component="queue-autoscaler",
        statement="The ClusterRoleBinding queue-autoscaler-view was pruned by a GitOps sync, so the queue-autoscaler service account is forbidden to list pods and cannot scale.",
        files={
            "autoscaler.log": scaler.render(),
            "argocd.log": audit.render(),
            "checkout.log": checkout.render(),
        },
        proofs=[
            Proof("autoscaler.log", "pods is forbidden: User"),
            Proof(
                "argocd.log",
                "pruned rbac.authorization.k8s.io/ClusterRoleBinding queue-autoscaler-view",
            ),
        ],
        decoys=["request queue depth", "keeping current replicas"],
    )
