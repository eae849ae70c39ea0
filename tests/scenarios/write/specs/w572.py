# ruff: noqa: E501
# kubectl and aws output, controller and hand-written log lines are data, kept whole on one line.
"""Kubernetes with External Secrets Operator: at 10:05 Dublin time the database team moved
payouts-api's credentials to the new secret name `prod-eu/payouts/db` and pointed the
ExternalSecret payouts-db at it. The operator's IAM role eso-prod-reader may read only
`secret:prod/*`, so every sync fails with AccessDeniedException (SecretSyncedError) and the
Kubernetes Secret keeps the old password. At 11:00 the rotation job revoked the old password;
payouts-api's new database connections fail authentication and payouts stop. Decoys: an HPA
metrics hiccup, a slow bank API and another ExternalSecret's refresh warning."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events
from records import JsonLines, Postgres, SpringBoot
from scenes import at, fixed, loud
from traffic import database_server, traffic, web_api

DUBLIN = timezone(timedelta(hours=1))
START = datetime(2026, 7, 7, 8, 30, tzinfo=UTC)
NOW = datetime(2026, 7, 7, 10, 45, tzinfo=UTC)
MOVED = 35.0  # 09:05 UTC = 10:05 Dublin
REVOKED = 90.0  # 10:00 UTC = 11:00 Dublin
NODES = [
    "ip-10-40-11-87.eu-west-1.compute.internal",
    "ip-10-40-22-140.eu-west-1.compute.internal",
    "ip-10-40-33-12.eu-west-1.compute.internal",
]
DENIED = "AccessDeniedException: User: arn:aws:sts::518274093611:assumed-role/eso-prod-reader/external-secrets-provider-aws is not authorized to perform: secretsmanager:GetSecretValue on resource: prod-eu/payouts/db because no identity-based policy allows the secretsmanager:GetSecretValue action"


def bundle() -> Bundle:
    rng = random.Random(5720)
    total = (NOW - START).total_seconds() / 60
    eso = LogFile(
        "logs/external-secrets.log",
        JsonLines("external-secrets", keys=("ts", "level", "msg"), service_key="logger", rng=rng),
    )
    eso.add(
        loud(
            rng,
            START,
            0,
            total,
            700,
            fixed(
                "INFO",
                lambda r: (
                    f"reconciled secret (ExternalSecret {r.choice(['payments/psp-keys', 'ledger/ledger-db', 'payouts/bank-api-token', 'web/session-keys'])}) refreshed in {r.randrange(30, 400)}ms"
                ),
            ),
        )
    )
    eso.add(
        loud(
            rng,
            START,
            MOVED + 0.2,
            total - MOVED - 0.5,
            130,
            fixed(
                "ERROR",
                lambda r: (
                    f"error processing spec.data[0] (key: prod-eu/payouts/db), err: {DENIED} (ExternalSecret payouts/payouts-db)"
                ),
            ),
        )
    )
    eso.add(
        [
            at(
                START,
                12.0,
                "WARN",
                "refreshInterval 0 on ExternalSecret web/feature-flags: secret will not be refreshed after creation",
            )
        ]
    )

    api = LogFile(
        "logs/payouts-api.log",
        SpringBoot(
            (
                "c.b.payouts.PayoutService",
                "c.b.payouts.bank.BankApiClient",
                "com.zaxxer.hikari.pool.HikariPool",
            ),
            rng=rng,
            zone=DUBLIN,
        ),
    )
    api.add(
        traffic(
            rng, web_api("payouts-api", ["payouts", "beneficiaries", "batches"]), START, total, 3000
        )
    )
    api.add(
        loud(
            rng,
            START,
            REVOKED + 1,
            total - REVOKED - 2,
            320,
            fixed(
                "ERROR",
                lambda r: (
                    f'HikariPool-1 - Exception during pool initialization / add connection: FATAL: password authentication failed for user "payouts_app" (pool total={r.randrange(0, 3)}, active={r.randrange(0, 3)}, waiting={r.randrange(5, 60)})'
                ),
            ),
        )
    )
    api.add(
        loud(
            rng,
            START,
            REVOKED + 4,
            total - REVOKED - 5,
            240,
            fixed(
                "ERROR",
                lambda r: (
                    f"payout batch PB-{r.randrange(10**5)} failed: CannotCreateTransactionException: HikariPool-1 - Connection is not available, request timed out after 30000ms"
                ),
            ),
        )
    )
    api.add(
        [
            at(
                START,
                51.0,
                "WARN",
                "bank API /v2/transfers answered in 4.8s (SLA 2s), retrying idempotently with key tr_7fq21",
            )
        ]
    )

    db = LogFile("logs/postgresql.log", Postgres(rng=rng))
    db.add(traffic(rng, database_server(), START, total, 1400))
    db.add(
        loud(
            rng,
            START,
            REVOKED + 1,
            total - REVOKED - 2,
            200,
            fixed("FATAL", lambda r: 'password authentication failed for user "payouts_app"'),
        )
    )
    db.add(
        [
            at(
                START,
                REVOKED - 0.1,
                "INFO",
                "statement: ALTER ROLE payouts_app WITH ENCRYPTED PASSWORD 'SCRAM-SHA-256$4096:Zm9vYmFyc2FsdA==$q1Xo0c3W6b8pQ2mZr5T9vYl7eN4sK1aD0fG6hJ2kL8=:mN3bV7cX1zQ9wE5rT2yU8iO4pA6sD0fG3hJ1kL7zX9c=' -- payouts-db-rotate finish",
            )
        ]
    )

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    routine = routine_events(
        rng, ["payouts-api", "beneficiary-sync", "statement-export"], 16, NODES, namespace="payouts"
    )
    signal = [
        (
            ago(MOVED + 0.3),
            (
                "Warning",
                "UpdateFailed",
                "externalsecret/payouts-db",
                f"error retrieving secret at .data[0], key: prod-eu/payouts/db, err: {DENIED}",
            ),
        ),
        (
            ago(62),
            (
                "Warning",
                "FailedGetResourceMetric",
                "horizontalpodautoscaler/payouts-api",
                "failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API",
            ),
        ),
    ]
    events = event_listing(routine, signal)

    paste = "\n".join(
        [
            "$ kubectl -n payouts describe externalsecret payouts-db",
            "Name:         payouts-db",
            "Namespace:    payouts",
            "API Version:  external-secrets.io/v1beta1",
            "Kind:         ExternalSecret",
            "Metadata:",
            "  Generation:  7",
            "Spec:",
            "  Data:",
            "    Remote Ref:",
            "      Conversion Strategy:  Default",
            "      Decoding Strategy:    None",
            "      Key:                  prod-eu/payouts/db",
            "      Property:             password",
            "    Secret Key:             DB_PASSWORD",
            "  Refresh Interval:         15m",
            "  Secret Store Ref:",
            "    Kind:  ClusterSecretStore",
            "    Name:  aws-secretsmanager",
            "  Target:",
            "    Creation Policy:  Owner",
            "    Deletion Policy:  Retain",
            "    Name:             payouts-db",
            "Status:",
            "  Binding:",
            "    Name:  payouts-db",
            "  Conditions:",
            "    Last Transition Time:  2026-07-07T09:05:14Z",
            "    Message:               could not get secret data from provider",
            "    Reason:                SecretSyncedError",
            "    Status:                False",
            "    Type:                  Ready",
            "  Refresh Time:            2026-07-07T08:51:02Z",
            "  Synced Resource Version: 6-1c9f0e2b7d4a8e35f6c1b0a9d2e7f4c8",
            "Events:",
            "  Type     Reason        Age                   From              Message",
            "  ----     ------        ----                  ----              -------",
            f"  Warning  UpdateFailed  2m (x47 over 99m)     external-secrets  error retrieving secret at .data[0], key: prod-eu/payouts/db, err: {DENIED}",
            "",
            "$ aws iam get-role-policy --role-name eso-prod-reader --policy-name read-prod-secrets --query PolicyDocument.Statement",
            "[",
            "    {",
            '        "Effect": "Allow",',
            '        "Action": [',
            '            "secretsmanager:GetSecretValue",',
            '            "secretsmanager:DescribeSecret"',
            "        ],",
            '        "Resource": "arn:aws:secretsmanager:eu-west-1:518274093611:secret:prod/*"',
            "    }",
            "]",
            "",
            "$ aws secretsmanager list-secrets --filters Key=name,Values=payouts --query 'SecretList[].[Name,LastChangedDate]' --output text",
            "prod/payouts/db\t2026-04-02T11:20:41.512000+01:00",
            "prod-eu/payouts/db\t2026-07-07T10:03:58.114000+01:00",
            "",
        ]
    )
    return Bundle(
        question="payouts-api started failing around 11:00 Dublin time with database authentication errors and payout batches are stuck. What is the root cause?",
        category="permission",
        component="external-secrets",
        statement="The ExternalSecret payouts-db was pointed at the new secret prod-eu/payouts/db at 10:05, but the External Secrets Operator's IAM role eso-prod-reader may only read secret:prod/*, so every sync fails with AccessDeniedException and the Kubernetes Secret keeps the old password; once the rotation revoked that password at 11:00, payouts-api's database logins fail.",
        files={
            "logs/external-secrets.log": eso.render(),
            "logs/payouts-api.log": api.render(),
            "logs/postgresql.log": db.render(),
            "kubectl-get-events.txt": events,
            "kubectl-and-aws.txt": paste,
        },
        proofs=[
            Proof("kubectl-and-aws.txt", "Reason:                SecretSyncedError"),
            Proof("kubectl-and-aws.txt", "Warning  UpdateFailed  2m (x47 over 99m)"),
            Proof(
                "kubectl-and-aws.txt",
                '"Resource": "arn:aws:secretsmanager:eu-west-1:518274093611:secret:prod/*"',
            ),
        ],
        decoys=[
            "failed to get cpu utilization",
            "bank API /v2/transfers answered in 4.8s",
            "refreshInterval 0 on ExternalSecret web/feature-flags",
        ],
    )
