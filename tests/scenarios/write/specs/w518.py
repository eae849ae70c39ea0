# ruff: noqa: E501
# Hand-written Python, dig and AWS CLI lines are data, kept whole on one line.
"""Cloud DNS, a private hosted zone not associated with a new VPC: the nightly ETL moved to the
new VPC `data-prod-2` (vpc-0e4d7a19c55b2f801) at 01:30 JST. The peering and routes were set
up, but the Route 53 private hosted zone `corp.internal` is still associated only with the core
VPC, so the new VPC's resolver answers NXDOMAIN for every corp.internal name: etl-runner cannot
resolve the warehouse database or the metadata API, and the morning dashboards are empty.
Decoys: an S3 slow-down retry, a deprecation warning from pandas, a peering connection for
another team still pending acceptance."""

import json
import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from records import PythonLogging
from scenes import at, fixed, loud, python_traceback
from traffic import traffic, worker

JST = timezone(timedelta(hours=9))
START = datetime(2025, 5, 19, 15, 0, tzinfo=UTC)
MINUTES = 360.0
MOVE = 30.0  # 01:30 JST
NEW_VPC = "vpc-0e4d7a19c55b2f801"
CORE_VPC = "vpc-03a9b1c7e2d4f6a80"


def bundle() -> Bundle:
    rng = random.Random(51808)
    etl = LogFile(
        "logs/etl-runner.log",
        PythonLogging(("etl.runner", "etl.extract", "etl.load", "botocore.retryhandler"), rng),
    )
    etl.add(traffic(rng, worker("etl-runner", ["clickstream", "orders_cdc"]), START, MOVE - 1, 700))
    etl.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f"s3 object s3://dp-landing/clickstream/dt=2025-05-19/part-{r.randrange(10**4):05d}.parquet staged ({r.randrange(10, 900)} MB)"
                ),
            ),
            START + timedelta(minutes=MOVE + 2),
            MINUTES - MOVE - 3,
            1400,
        )
    )
    etl.add(
        [
            at(
                START,
                MOVE + 1.0,
                "INFO",
                f"etl-runner 4.2.0 starting on ip-10-88-14-203.ap-northeast-1.compute.internal (vpc {NEW_VPC}, subnet subnet-0f1e2d3c4b5a69788)",
                logger="etl.runner",
            ),
            at(
                START,
                44.0,
                "WARN",
                "FutureWarning: Series.__getitem__ treating keys as positions is deprecated",
                logger="py.warnings",
            ),
            at(
                START,
                61.0,
                "INFO",
                "Retry needed, action of: 0.31 (SlowDown) for s3 PutObject dp-curated/orders",
                logger="botocore.retryhandler",
            ),
        ]
    )
    etl.add(
        loud(
            rng,
            START,
            MOVE + 3,
            MINUTES - MOVE - 4,
            70,
            fixed(
                "ERROR",
                lambda r: (
                    f"task load_{r.choice(['orders', 'sessions', 'inventory', 'refunds'])} failed, attempt {r.randrange(1, 4)}/3"
                ),
                lambda r: python_traceback(
                    [
                        (
                            "/app/etl/load.py",
                            88,
                            "connect",
                            "conn = psycopg2.connect(dsn, connect_timeout=10)",
                        ),
                        (
                            "/usr/local/lib/python3.12/site-packages/psycopg2/__init__.py",
                            122,
                            "connect",
                            "conn = _connect(dsn, connection_factory=connection_factory, **kwasync)",
                        ),
                    ],
                    'psycopg2.OperationalError: could not translate host name "pg-warehouse.corp.internal" to address: Name or service not known',
                ),
            ),
        )
    )
    etl.add(
        loud(
            rng,
            START,
            MOVE + 3,
            MINUTES - MOVE - 4,
            60,
            fixed(
                "ERROR",
                lambda r: (
                    "metadata lookup failed: HTTPConnectionPool(host='catalog.corp.internal', port=8080): Max retries exceeded with url: /v1/datasets (Caused by NameResolutionError(\"<urllib3.connection.HTTPConnection object>: Failed to resolve 'catalog.corp.internal' ([Errno -2] Name or service not known)\"))"
                ),
            ),
        )
    )
    etl.records = [
        r.__class__(r.time.astimezone(JST), r.level, r.message, r.trailer, r.logger)
        for r in etl.records
    ]
    dig = "\n".join(
        [
            "[ec2-user@ip-10-88-14-203 ~]$ dig pg-warehouse.corp.internal",
            "",
            "; <<>> DiG 9.18.28 <<>> pg-warehouse.corp.internal",
            ";; global options: +cmd",
            ";; Got answer:",
            ";; ->>HEADER<<- opcode: QUERY, status: NXDOMAIN, id: 40218",
            ";; flags: qr rd ra; QUERY: 1, ANSWER: 0, AUTHORITY: 1, ADDITIONAL: 1",
            "",
            ";; QUESTION SECTION:",
            ";pg-warehouse.corp.internal.\tIN\tA",
            "",
            ";; AUTHORITY SECTION:",
            ".\t\t\t10800\tIN\tSOA\ta.root-servers.net. nstld.verisign-grs.com. 2025051900 1800 900 604800 86400",
            "",
            ";; Query time: 3 msec",
            ";; SERVER: 10.88.0.2#53(10.88.0.2) (UDP)",
            ";; WHEN: Tue May 20 07:41:12 JST 2025",
            "",
            "[ec2-user@ip-10-20-3-77 ~]$ dig +short pg-warehouse.corp.internal   # a host in the core VPC",
            "10.20.7.41",
            "",
        ]
    )
    zone = {
        "HostedZone": {
            "Id": "/hostedzone/Z0718233QW1ERTY2UIOP",
            "Name": "corp.internal.",
            "Config": {"Comment": "internal names", "PrivateZone": True},
            "ResourceRecordSetCount": 214,
        },
        "VPCs": [{"VPCRegion": "ap-northeast-1", "VPCId": CORE_VPC}],
    }
    peering = {
        "VpcPeeringConnections": [
            {
                "VpcPeeringConnectionId": "pcx-0a1b2c3d4e5f60718",
                "Status": {"Code": "active", "Message": "Active"},
                "AccepterVpcInfo": {"VpcId": CORE_VPC, "CidrBlock": "10.20.0.0/16"},
                "RequesterVpcInfo": {"VpcId": NEW_VPC, "CidrBlock": "10.88.0.0/16"},
            },
            {
                "VpcPeeringConnectionId": "pcx-0f9e8d7c6b5a40312",
                "Status": {
                    "Code": "pending-acceptance",
                    "Message": "Pending Acceptance by 556677889900",
                },
                "AccepterVpcInfo": {"VpcId": "vpc-0bb1e2f3a4c5d6e70", "CidrBlock": "10.95.0.0/16"},
                "RequesterVpcInfo": {"VpcId": NEW_VPC, "CidrBlock": "10.88.0.0/16"},
            },
        ]
    }
    aws = "\n".join(
        [
            "$ aws route53 get-hosted-zone --id Z0718233QW1ERTY2UIOP",
            json.dumps(zone, indent=4),
            "$ aws ec2 describe-vpc-peering-connections --filters Name=requester-vpc-info.vpc-id,Values="
            + NEW_VPC,
            json.dumps(peering, indent=4),
            "",
        ]
    )
    notes = "\n".join(
        [
            "DATA-771 07:30 JST: BI dashboards empty this morning, nightly load did not finish",
            "- ETL moved to the new data-prod-2 VPC last night (migration plan step 4: peering + routes + SGs done)",
            "- security groups allow 5432 from 10.88.0.0/16 on pg-warehouse",
            "",
        ]
    )
    return Bundle(
        question="The nightly ETL load failed and this morning's BI dashboards are empty. What is the root cause?",
        category="dns",
        component="corp.internal",
        statement="The Route 53 private hosted zone corp.internal is associated only with the core VPC; after the ETL workers moved to the new VPC data-prod-2, that VPC's resolver answers NXDOMAIN for pg-warehouse.corp.internal and catalog.corp.internal, so every load task fails to connect.",
        files={
            "notes.md": notes,
            "dig-from-etl-host.txt": dig,
            "aws-cli.txt": aws,
            "logs/etl-runner.log": etl.render(),
        },
        proofs=[
            Proof("aws-cli.txt", '"VPCs": [', f'"VPCId": "{CORE_VPC}"'),
            Proof("dig-from-etl-host.txt", "status: NXDOMAIN"),
        ],
        decoys=["SlowDown", "FutureWarning", "pending-acceptance"],
    )
