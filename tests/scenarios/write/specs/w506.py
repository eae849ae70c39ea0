# ruff: noqa: E501
# Log lines, kubectl output and YAML are data, kept whole on one line.
"""Kubernetes (k3s edge cluster, Australia/Perth): at 02:15 UTC the platform team enabled a Kyverno
ClusterPolicy `harden-capabilities` that mutates every new pod to `capabilities.drop: [ALL]`.
session-redis runs the stock redis image, whose entrypoint starts as root, chowns /data and
switches to the redis user with setpriv; without CAP_SETUID/SETGID/CHOWN that fails. The running
pod is untouched until the 05:52 node reboot (kernel patch) recreates it; then session-redis
crash-loops and the storefront's sessions fail. Decoys: a Kyverno background-scan report WARN
about an unrelated policy, a storefront template cache WARN, and a redis `overcommit_memory`
WARN from the previous day's log."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events
from records import JsonLines, Pino
from scenes import at, loud
from traffic import traffic, web_api

AWST = timezone(timedelta(hours=8))
START = datetime(2026, 7, 14, 2, 0, tzinfo=UTC)
NOW = datetime(2026, 7, 14, 6, 20, tzinfo=UTC)
POLICY = 15.0
REBOOT = 232.0  # 05:52 UTC


def kubectl_text() -> str:
    return """$ kubectl -n shop get pods -l app=session-redis
NAME              READY   STATUS             RESTARTS      AGE
session-redis-0   0/1     CrashLoopBackOff   7 (84s ago)   27m

$ kubectl -n shop logs session-redis-0 --previous
chown: changing ownership of '.': Operation not permitted
setpriv: setresgid failed: Operation not permitted

$ kubectl -n shop get pod session-redis-0 -o yaml | grep -B2 -A8 securityContext
    name: redis
    resources: {}
    securityContext:
      allowPrivilegeEscalation: false
      capabilities:
        drop:
        - ALL
    terminationMessagePath: /dev/termination-log
    terminationMessagePolicy: File

$ kubectl -n shop get pod session-redis-0 -o jsonpath='{.metadata.annotations.policies\\.kyverno\\.io/last-applied-patches}'
harden-capabilities.drop-all-capabilities.kyverno.io: added /spec/containers/0/securityContext/capabilities

$ kubectl get clusterpolicy harden-capabilities -o yaml | sed -n '1,30p'
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  annotations:
    policies.kyverno.io/title: Drop all capabilities
    policies.kyverno.io/description: Mutates new pods to drop every Linux capability (SEC-204).
  creationTimestamp: "2026-07-14T02:15:07Z"
  generation: 1
  name: harden-capabilities
spec:
  background: false
  rules:
  - match:
      any:
      - resources:
          kinds:
          - Pod
          namespaces:
          - shop
          - catalog
    mutate:
      patchStrategicMerge:
        spec:
          containers:
          - (name): "*"
            securityContext:
              allowPrivilegeEscalation: false
              capabilities:
                drop:
                - ALL
    name: drop-all-capabilities
"""


def bundle() -> Bundle:
    rng = random.Random(50647)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    front = LogFile("logs/storefront.log", Pino("storefront-6b7f9c5d8-lm2qt", rng=rng))
    front.add(
        traffic(rng, web_api("storefront", ["cart", "products", "account"]), START, total, 4000)
    )
    front.add([at(START, 140.0, "WARN", "template cache miss ratio 0.31 above 0.25, warming")])
    front.add(
        loud(
            rng,
            START,
            REBOOT + 0.5,
            total - REBOOT - 1,
            420,
            lambda r: (
                "ERROR",
                f"session store error: connect ECONNREFUSED 10.42.1.{r.randrange(20, 40)}:6379 sid={r.getrandbits(40):010x}, redirecting to /login",
                (),
            ),
        )
    )
    kyv = LogFile(
        "logs/kyverno-admission-controller.log",
        JsonLines("kyverno", keys=("ts", "level", "msg"), rng=rng, zone=AWST),
    )
    kyv.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"admission request handled kind=Pod namespace={r.choice(['shop', 'catalog', 'ops'])} operation=CREATE mutated={r.choice(['true', 'false'])} duration={r.randrange(2, 30)}ms",
                (),
            ),
            START,
            total,
            700,
        )
    )
    kyv.add(
        [
            at(
                START,
                POLICY,
                "INFO",
                "policy created name=harden-capabilities rules=1 validationFailureAction=Audit mutate=true namespaces=[shop catalog]",
            ),
            at(
                START,
                90.0,
                "WARN",
                "background scan: policy require-cost-label produced 14 failing results in namespace ops",
            ),
        ]
    )
    redis = LogFile("logs/session-redis-0.log", JsonLines("session-redis", rng=rng))
    redis.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"DB saved on disk ({r.randrange(10, 900)} changes in 60 seconds)",
                (),
            ),
            START,
            REBOOT - 1,
            200,
        )
    )
    redis.add(
        [
            at(
                START,
                1.0,
                "WARN",
                "WARNING Memory overcommit must be enabled! Without it, a background save or replication may fail under low memory condition.",
            )
        ]
    )
    routine = routine_events(
        rng, ["storefront", "catalog-api"], 12, ["edge-per-01", "edge-per-02"], namespace="shop"
    )
    signal = [
        (
            ago(REBOOT - 1),
            (
                "Normal",
                "Rebooted",
                "node/edge-per-02",
                "Node edge-per-02 has been rebooted, boot id: 5e0c6f1b-93a2-4d8e-b7c1-2f4a9d6e8b03",
            ),
        ),
        (
            ago(REBOOT),
            (
                "Normal",
                "SuccessfulCreate",
                "statefulset/session-redis",
                "create Pod session-redis-0 in StatefulSet session-redis successful",
            ),
        ),
        (
            ago(REBOOT) - 3,
            (
                "Normal",
                "PolicyApplied",
                "pod/session-redis-0",
                "Pod shop/session-redis-0: pass (1 rules applied, mutated)",
            ),
        ),
        (
            84,
            (
                "Warning",
                "BackOff",
                "pod/session-redis-0",
                "Back-off restarting failed container redis in pod session-redis-0_shop(7ac0e9d1-4b2f-4e6a-8d53-c1f0a2b9e746)",
            ),
        ),
    ]
    events = "$ kubectl -n shop get events --sort-by=.lastTimestamp\n" + event_listing(
        routine, signal
    )
    return Bundle(
        question="Every customer has been logged out and sent to the login page since about 13:52 Perth time, after the kernel patch reboot. What is the root cause?",
        category="permission",
        component="session-redis",
        statement="Kyverno ClusterPolicy harden-capabilities (created 02:15 UTC) mutates new pods to drop all capabilities; session-redis-0, recreated by the 05:52 reboot, can no longer chown its data directory or switch user in the redis entrypoint (Operation not permitted) and crash-loops, so the storefront cannot reach its session store.",
        files={
            "kubectl-output.txt": kubectl_text(),
            "kubectl-get-events.txt": events,
            front.name: front.render(),
            kyv.name: kyv.render(),
            redis.name: redis.render(),
        },
        proofs=[
            Proof("kubectl-output.txt", "setpriv: setresgid failed: Operation not permitted"),
            Proof("kubectl-output.txt", "harden-capabilities.drop-all-capabilities.kyverno.io"),
            Proof(kyv.name, "policy created name=harden-capabilities"),
        ],
        decoys=[
            "require-cost-label",
            "template cache miss ratio",
            "Memory overcommit must be enabled",
        ],
    )
