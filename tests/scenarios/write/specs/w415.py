# ruff: noqa: E501
# kubectl rows, vault output and hand-written log lines are data, kept whole on one line.
"""Kubernetes: ledger-api was moved from namespace `finance` to its own namespace `ledger` at
09:31 BST (the Argo CD app was re-pointed and the old pods pruned). Its pods get their database
credentials from the Vault agent injector, and Vault's Kubernetes auth role `ledger-api` is still
bound only to `bound_service_account_namespaces=[finance]`: every login from the new namespace
is refused with 403 "namespace not authorized", the vault-agent-init container never finishes,
the pods stay Init:0/1 and payments-gateway gets 503s. Decoys: a Vault audit-device warning,
an Argo CD sync warning about a pruned ConfigMap, and a slow JDBC pool start in
payments-gateway."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events
from records import Record, SpringBoot
from scenes import at, fixed, loud
from traffic import traffic, web_api

BST = timezone(timedelta(hours=1))
START = datetime(2026, 4, 14, 7, 40, tzinfo=UTC)  # 08:40 BST
NOW = datetime(2026, 4, 14, 10, 5, tzinfo=UTC)
MOVE = 51.0  # 08:31 UTC = 09:31 BST
NODES = [
    "aks-apps-21456789-vmss000002",
    "aks-apps-21456789-vmss000005",
    "aks-apps-21456789-vmss000006",
]
POD = "ledger-api-79c4f6d8b5-wq5hn"


@dataclass
class HcLog:
    """HashiCorp hclog as vault agent prints it: `2026-04-14T08:31:02.118Z [ERROR] name: message`."""

    def render(self, record: Record) -> list[str]:
        stamp = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond // 1000:03d}Z"
        )
        return [f"{stamp} [{record.level}] {record.message}"]


def bundle() -> Bundle:
    rng = random.Random(4159)
    total = (NOW - START).total_seconds() / 60

    gw = LogFile(
        "logs/payments-gateway.log",
        SpringBoot(
            loggers=(
                "c.n.gateway.web.PaymentController",
                "c.n.gateway.ledger.LedgerClient",
                "com.zaxxer.hikari.HikariDataSource",
            ),
            rng=rng,
            zone=BST,
        ),
    )
    gw.add(
        traffic(
            rng,
            web_api("payments-gateway", ["payments", "refunds", "accounts"]),
            START,
            total,
            3400,
        )
    )
    gw.add(
        [
            at(
                START,
                14.0,
                "WARN",
                "HikariPool-1 - Thread starvation or clock leap detected (housekeeper delta=1m2s).",
                logger="com.zaxxer.hikari.pool.HikariPool",
            )
        ]
    )
    gw.add(
        loud(
            rng,
            START,
            MOVE + 1.5,
            total - MOVE - 2,
            680,
            fixed(
                "ERROR",
                lambda r: (
                    f"ledger post failed for payment pay_{r.getrandbits(40):010x}: 503 Service Unavailable from http://ledger-api.ledger.svc.cluster.local:8080/v2/entries (no healthy upstream)"
                ),
            ),
        )
    )

    agent = LogFile(f"kubectl-logs-{POD}-vault-agent-init.txt", HcLog())
    agent.add(
        [
            at(START, MOVE + 0.8, "INFO", "agent.sink.file: creating file sink"),
            at(START, MOVE + 0.81, "INFO", "agent.auth.handler: starting auth handler"),
            at(START, MOVE + 0.82, "INFO", "agent.auth.handler: authenticating"),
            at(START, MOVE + 0.83, "INFO", "agent.template.server: starting template server"),
            at(
                START,
                MOVE + 0.84,
                "ERROR",
                'agent.auth.handler: error authenticating: error="Error making API request.\\n\\nURL: PUT https://vault.nimbus.internal:8200/v1/auth/kubernetes/login\\nCode: 403. Errors:\\n\\n* namespace not authorized" backoff=1.04s',
            ),
        ]
    )

    def refuse(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
        return (
            "ERROR",
            'agent.auth.handler: error authenticating: error="Error making API request.\\n\\nURL: PUT https://vault.nimbus.internal:8200/v1/auth/kubernetes/login\\nCode: 403. Errors:\\n\\n* namespace not authorized" backoff=5m0s',
            (),
        )

    agent.add(loud(rng, START, MOVE + 3, total - MOVE - 4, 17, refuse))

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    routine = routine_events(
        rng, ["payments-gateway", "fx-rates", "statement-svc"], 20, NODES, namespace="finance"
    )
    signal = [
        (
            ago(MOVE),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/ledger-api",
                "Scaled up replica set ledger-api-79c4f6d8b5 to 3",
            ),
        ),
        (
            ago(MOVE - 0.2),
            (
                "Normal",
                "Killing",
                "pod/ledger-api-6d5b8f7c49-r7kxp",
                "Stopping container ledger-api",
            ),
        ),
        (
            ago(MOVE - 0.3),
            (
                "Warning",
                "OutOfSync",
                "application/ledger-api",
                "prune: ConfigMap finance/ledger-api-flags deleted (no longer in desired state)",
            ),
        ),
        (
            ago(22),
            (
                "Warning",
                "AuditDeviceSlow",
                "pod/vault-0",
                "audit device file/ took 1.4s to write request log",
            ),
        ),
    ]
    events = event_listing(routine, signal)

    pod = Pod(
        name=POD,
        namespace="ledger",
        node=NODES[1],
        app="ledger-api",
        status="Pending",
        ip="10.244.5.38",
        service_account="ledger-api",
        start_time="Tue, 14 Apr 2026 09:31:07 +0100",
        conditions={
            "Initialized": "False",
            "Ready": "False",
            "ContainersReady": "False",
            "PodScheduled": "True",
        },
        init_containers=[
            Container(
                name="vault-agent-init",
                image="hashicorp/vault:1.17.2",
                state=["Running", "  Started:      Tue, 14 Apr 2026 09:31:09 +0100"],
                ready=False,
                limits={"cpu": "500m", "memory": "128Mi"},
                requests={"cpu": "250m", "memory": "64Mi"},
                environment=[
                    "VAULT_ADDR:  https://vault.nimbus.internal:8200",
                    "VAULT_CONFIG:  <set to the key 'config-init.hcl' of config map 'ledger-api-vault-agent'>",
                ],
                port="<none>",
            )
        ],
        containers=[
            Container(
                name="ledger-api",
                image="nimbuscr.azurecr.io/finance/ledger-api:3.9.4",
                state=["Waiting", "  Reason:       PodInitializing"],
                ready=False,
                limits={"memory": "1Gi"},
                requests={"cpu": "300m", "memory": "1Gi"},
                probes=[
                    "Readiness:  http-get http://:8080/health/ready delay=5s timeout=2s period=10s #success=1 #failure=3"
                ],
                environment=["SPRING_CONFIG_IMPORT:  optional:file:/vault/secrets/db.properties"],
            )
        ],
    )

    vault = "\n".join(
        [
            "$ kubectl -n ledger get pods",
            "NAME                          READY   STATUS     RESTARTS   AGE",
            f"{POD}   0/1     Init:0/1   0          94m",
            "ledger-api-79c4f6d8b5-b6m2c   0/1     Init:0/1   0          94m",
            "ledger-api-79c4f6d8b5-tz8lq   0/1     Init:0/1   0          94m",
            "",
            "$ kubectl -n finance get pods -l app=ledger-api",
            "No resources found in finance namespace.",
            "",
            "$ vault read auth/kubernetes/role/ledger-api",
            "Key                                 Value",
            "---                                 -----",
            "alias_name_source                   serviceaccount_uid",
            "bound_service_account_names         [ledger-api]",
            "bound_service_account_namespaces    [finance]",
            "token_max_ttl                       0s",
            "token_policies                      [ledger-db-creds]",
            "token_ttl                           1h",
            "token_type                          default",
            "",
        ]
    )
    return Bundle(
        question="payments-gateway has been failing every ledger post with 503 since about 09:32 BST this morning. What is the root cause?",
        category="permission",
        component="ledger-api",
        statement="ledger-api moved to namespace ledger at 09:31 BST, but Vault's Kubernetes auth role ledger-api is still bound only to namespace finance; every vault-agent-init login is refused with 403 namespace not authorized, so the new pods stay Init:0/1 and the ledger has no ready endpoints.",
        files={
            "logs/payments-gateway.log": gw.render(),
            f"kubectl-logs-{POD}-vault-agent-init.txt": agent.render(),
            f"kubectl-describe-pod-{POD}.txt": describe_pod(pod, rng),
            "kubectl-get-events.txt": events,
            "ledger-vault.txt": vault,
        },
        proofs=[
            Proof("ledger-vault.txt", "bound_service_account_namespaces    [finance]"),
            Proof(f"kubectl-logs-{POD}-vault-agent-init.txt", "backoff=1.04s"),
        ],
        decoys=[
            "Thread starvation or clock leap detected",
            "prune: ConfigMap finance/ledger-api-flags deleted",
            "audit device file/ took 1.4s",
        ],
    )
