# ruff: noqa: E501
# kubectl output, AWS CLI output and hand-written log lines are data, kept whole on one line.
"""Kubernetes: orders-api's egress NetworkPolicy allows PostgreSQL only to `10.30.0.0/20`, the
subnet of the RDS primary's availability zone. At 21:38 UTC RDS failed over (Multi-AZ) to the
standby in another subnet (10.30.71.12): the DNS name now points there, orders-api's new
connections are dropped by the policy and time out, while the reporting service in a namespace
without that policy reconnects within a minute. Decoys: the RDS failover itself (it is routine
and completed), a Redis READONLY retry during the ElastiCache maintenance, and an unrelated
HPA warning."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events
from records import Logfmt, PythonLogging
from scenes import at, fixed, loud
from traffic import traffic, web_api

START = datetime(2026, 11, 30, 20, 50, tzinfo=UTC)  # 07:50 AEDT
NOW = datetime(2026, 11, 30, 22, 35, tzinfo=UTC)  # 09:35 AEDT
FAILOVER = 48.0  # 21:38 UTC
NODES = [
    "ip-10-30-112-40.ap-southeast-2.compute.internal",
    "ip-10-30-128-9.ap-southeast-2.compute.internal",
    "ip-10-30-145-201.ap-southeast-2.compute.internal",
]

PASTED = """$ kubectl -n commerce get networkpolicy orders-api-egress -o yaml
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  creationTimestamp: "2026-05-12T02:14:09Z"
  generation: 3
  name: orders-api-egress
  namespace: commerce
spec:
  egress:
  - ports:
    - port: 53
      protocol: UDP
    - port: 53
      protocol: TCP
    to:
    - namespaceSelector:
        matchLabels:
          kubernetes.io/metadata.name: kube-system
  - ports:
    - port: 5432
      protocol: TCP
    to:
    - ipBlock:
        cidr: 10.30.0.0/20
  - ports:
    - port: 6379
      protocol: TCP
    to:
    - ipBlock:
        cidr: 10.30.0.0/16
  - ports:
    - port: 443
      protocol: TCP
    to:
    - ipBlock:
        cidr: 0.0.0.0/0
        except:
        - 10.0.0.0/8
  podSelector:
    matchLabels:
      app: orders-api
  policyTypes:
  - Egress

$ aws rds describe-events --source-identifier orders-pg --source-type db-instance --duration 180 --query 'Events[].[Date,Message]' --output text
2026-11-30T21:37:41.118Z	Multi-AZ instance failover started.
2026-11-30T21:38:02.904Z	DB instance restarted
2026-11-30T21:38:49.377Z	Multi-AZ instance failover completed.

$ aws ec2 describe-subnets --filters Name=vpc-id,Values=vpc-0c1d2e3f4a5b6c7d8 Name=tag:tier,Values=data --query 'Subnets[].[SubnetId,AvailabilityZone,CidrBlock]' --output text
subnet-0a1b2c3d4e5f60718	ap-southeast-2a	10.30.0.0/20
subnet-0b2c3d4e5f6071829	ap-southeast-2b	10.30.64.0/20
subnet-0c3d4e5f607182930	ap-southeast-2c	10.30.80.0/20

$ kubectl -n commerce exec deploy/orders-api -- getent hosts orders-pg.c9x2k4mz1abc.ap-southeast-2.rds.amazonaws.com
10.30.71.12     orders-pg.c9x2k4mz1abc.ap-southeast-2.rds.amazonaws.com

$ kubectl -n commerce exec deploy/orders-api -- nc -zv -w 3 10.30.71.12 5432
nc: 10.30.71.12 (10.30.71.12:5432): Operation timed out
command terminated with exit code 1

$ kubectl -n analytics exec deploy/reporting -- nc -zv -w 3 10.30.71.12 5432
10.30.71.12 (10.30.71.12:5432) open
"""


def bundle() -> Bundle:
    rng = random.Random(35105)
    total = (NOW - START).total_seconds() / 60

    orders = LogFile("logs/orders-api.log", Logfmt("orders-api", rng=rng))
    orders.add(traffic(rng, web_api("orders-api", ["orders", "returns"]), START, FAILOVER, 1900))
    orders.add(
        loud(
            rng,
            START,
            FAILOVER,
            total - FAILOVER,
            380,
            fixed(
                "DEBUG",
                lambda r: f"cache hit key=catalog:{r.randrange(10**6)} ttl={r.randrange(60, 600)}s",
            ),
        )
    )
    orders.add(
        [
            at(
                START,
                22.0,
                "WARN",
                "redis: READONLY You can't write against a read only replica; retrying against new primary (attempt 1), ok",
            ),
            at(
                START,
                FAILOVER - 0.2,
                "WARN",
                "pgx: conn closed: unexpected EOF on orders-pg.c9x2k4mz1abc.ap-southeast-2.rds.amazonaws.com:5432; discarding 18 pooled connections",
            ),
        ]
    )
    orders.add(
        loud(
            rng,
            START,
            FAILOVER + 0.1,
            total - FAILOVER - 0.1,
            640,
            fixed(
                "ERROR",
                lambda r: (
                    f'POST /api/v1/orders 500 {r.randrange(5000, 5030)}ms err="failed to connect to `host=orders-pg.c9x2k4mz1abc.ap-southeast-2.rds.amazonaws.com user=orders database=orders`: dial error (dial tcp 10.30.71.12:5432: i/o timeout)"'
                ),
            ),
        )
    )

    reporting = LogFile(
        "logs/reporting.log",
        PythonLogging(("reporting.jobs", "reporting.db", "uvicorn.access"), rng=rng),
    )
    reporting.add(traffic(rng, web_api("reporting", ["reports", "exports"]), START, total, 1700))
    reporting.add(
        [
            at(
                START,
                FAILOVER - 0.15,
                "WARN",
                "psycopg.OperationalError: server closed the connection unexpectedly; pool will reconnect",
                logger="reporting.db",
            ),
            at(
                START,
                FAILOVER + 0.9,
                "INFO",
                "pool reconnected to orders-pg.c9x2k4mz1abc.ap-southeast-2.rds.amazonaws.com (10.30.71.12) in 53.2s",
                logger="reporting.db",
            ),
        ]
    )

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    routine = routine_events(
        rng, ["orders-api", "cart-api", "storefront"], 22, NODES, namespace="commerce"
    )
    signal = [
        (
            ago(FAILOVER + 4),
            (
                "Warning",
                "Unhealthy",
                "pod/orders-api-5f6c7d8e9a-7rj2k",
                "Readiness probe failed: HTTP probe failed with statuscode: 503",
            ),
        ),
        (
            ago(FAILOVER + 4.1),
            (
                "Warning",
                "Unhealthy",
                "pod/orders-api-5f6c7d8e9a-dq8mv",
                "Readiness probe failed: HTTP probe failed with statuscode: 503",
            ),
        ),
        (
            ago(30),
            (
                "Warning",
                "FailedGetResourceMetric",
                "horizontalpodautoscaler/storefront",
                "failed to get memory utilization: missing request for memory in container storefront of Pod storefront-6d8e9f0a1b-2xk4p",
            ),
        ),
    ]
    events = event_listing(routine, signal)

    return Bundle(
        question="Since about 08:40 AEDT every order placement fails with a 500 after five seconds. AWS says the RDS failover finished fine and reporting is working. What is the root cause?",
        category="network",
        component="orders-api",
        statement="orders-api's egress NetworkPolicy (orders-api-egress) only allows port 5432 to 10.30.0.0/20, the old primary's subnet; after the RDS Multi-AZ failover the database answers from 10.30.71.12 in 10.30.64.0/20, so orders-api's connections are dropped and time out while reporting, without that policy, reconnects.",
        files={
            "pasted-kubectl-aws.txt": PASTED,
            "logs/orders-api.log": orders.render(),
            "logs/reporting.log": reporting.render(),
            "kubectl-get-events.txt": events,
        },
        proofs=[
            Proof("pasted-kubectl-aws.txt", "    - port: 5432", "cidr: 10.30.0.0/20"),
            Proof("pasted-kubectl-aws.txt", "10.30.71.12     orders-pg"),
            Proof(
                "pasted-kubectl-aws.txt", "nc: 10.30.71.12 (10.30.71.12:5432): Operation timed out"
            ),
        ],
        decoys=[
            "Multi-AZ instance failover completed.",
            "redis: READONLY You can't write against a read only replica",
            "missing request for memory in container storefront",
        ],
    )
