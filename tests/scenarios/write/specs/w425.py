# ruff: noqa: E501
# Hand-written log rows, flow log records and pasted AWS CLI output are data, kept whole on one line.
"""Cloud networking, a new subnet's route table without the peering route: on 6 August a
Terraform change spread the quote-api Auto Scaling group over a third subnet, app-private-c,
with a new route table app-private-c-rt holding only the local route and the NAT gateway
default route; the route to the data VPC 10.60.0.0/16 over the peering connection exists only
in the a and b route tables. Instances launched into app-private-c send database traffic to
the NAT gateway, which drops it; their connections to the PostgreSQL and Redis hosts in the
data VPC time out. Their /healthz does not touch the database, so the ALB keeps them in
service and about a third of requests fail. Quiet: the plan and the route tables in a paste,
flow records without replies. Loud: dial timeouts and 500s from the c instances only.
Decoys: an InsufficientInstanceCapacity retry, a slow partner API, a context cancel."""

import csv
import io
import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, Proof
from scenes import at, fixed, loud
from traffic import traffic, web_api

START = datetime(2026, 8, 6, 13, 0, tzinfo=UTC)
MINUTES = 140.0
SCALE = 47.0
STREAMS_OK = [
    "quote-api/i-0b14c7e2a9d35f061",
    "quote-api/i-07f2d81c4e6a90b3d",
    "quote-api/i-0c9e33a7b1f28d4e5",
]
STREAMS_C = ["quote-api/i-0e8a51f6c2d7b9034", "quote-api/i-01d6b2e8f4a73c59a"]


def bundle() -> Bundle:
    rng = random.Random(42525)
    rows = []
    for record in traffic(
        rng, web_api("quote-api", ["quotes", "policies", "vehicles"]), START, MINUTES, 4400
    ):
        stream = rng.choice(
            STREAMS_OK + (STREAMS_C if record.time > START + timedelta(minutes=SCALE + 2) else [])
        )
        rows.append(
            (record.time, stream, f'{{"level":"{record.level.lower()}","msg":"{record.message}"}}')
        )
    for record in loud(
        rng,
        START,
        SCALE + 2.5,
        MINUTES - SCALE - 5,
        900,
        fixed(
            "ERROR",
            lambda r: r.choice(
                [
                    "quote 500: load rating factors: failed to connect to `host=pg-rating.data.internal user=quote database=rating`: dial error (dial tcp 10.60.12.41:5432: connect: connection timed out)",
                    f"quote 500: cache get vehicle:{r.randrange(10**6)}: dial tcp 10.60.14.9:6379: i/o timeout",
                    f"GET /v2/quotes/{r.randrange(10**6)} 500 {r.randrange(3000, 3100)}ms",
                ]
            ),
        ),
    ):
        rows.append(
            (record.time, rng.choice(STREAMS_C), f'{{"level":"error","msg":"{record.message}"}}')
        )
    extra = [
        at(
            START,
            20.0,
            "WARN",
            "partner pricing API https://rates.motorpool-partner.com took 2.9s, using last quote table",
        ),
        at(
            START,
            88.0,
            "WARN",
            "pq: canceling statement due to user request (client went away, GET /v2/quotes/88120)",
        ),
        at(
            START,
            SCALE + 2.0,
            "INFO",
            "quote-api 4.11.3 listening on :8080 (instance i-0e8a51f6c2d7b9034, az eu-west-1c, subnet subnet-0c4d7a19e2b58f360)",
        ),
    ]
    for index, record in enumerate(extra):
        stream = STREAMS_C[0] if index == 2 else STREAMS_OK[index]
        rows.append(
            (record.time, stream, f'{{"level":"{record.level.lower()}","msg":"{record.message}"}}')
        )
    rows.sort()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["@timestamp", "@logStream", "@message"])
    for time, stream, message in rows:
        writer.writerow(
            [
                time.strftime("%Y-%m-%d %H:%M:%S.") + f"{time.microsecond // 1000:03d}",
                stream,
                message,
            ]
        )
    logs_csv = out.getvalue()

    flows = [
        "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status"
    ]
    flow_rows = []
    for _ in range(1600):
        minute = rng.random() * MINUTES
        t0 = int((START + timedelta(minutes=minute)).timestamp())
        if rng.random() < 0.3 and minute > SCALE + 2:
            src = rng.choice(["10.50.36.118", "10.50.37.204"])
            eni = "eni-0f3c1a7d92e4b5c08" if src.endswith("118") else "eni-0a9d4e2c7b31f6a55"
            dst, port = rng.choice([("10.60.12.41", 5432), ("10.60.14.9", 6379)])
            flow_rows.append(
                (
                    t0,
                    f"2 418820337461 {eni} {src} {dst} {rng.randrange(32768, 60999)} {port} 6 {rng.randrange(2, 7)} {rng.randrange(120, 420)} {t0} {t0 + 60} ACCEPT OK",
                )
            )
            continue
        src = rng.choice(["10.50.4.21", "10.50.20.77", "10.50.5.140"])
        dst, port = rng.choice([("10.60.12.41", 5432), ("10.60.14.9", 6379)])
        sport = rng.randrange(32768, 60999)
        flow_rows.append(
            (
                t0,
                f"2 418820337461 eni-0{rng.getrandbits(64):016x} {src} {dst} {sport} {port} 6 {rng.randrange(10, 400)} {rng.randrange(2000, 90000)} {t0} {t0 + 60} ACCEPT OK",
            )
        )
        flow_rows.append(
            (
                t0,
                f"2 418820337461 eni-0{rng.getrandbits(64):016x} {dst} {src} {port} {sport} 6 {rng.randrange(10, 400)} {rng.randrange(2000, 90000)} {t0} {t0 + 60} ACCEPT OK",
            )
        )
    flows += [line for _, line in sorted(flow_rows)]
    flows_text = "\n".join(flows) + "\n"

    shell = "\n".join(
        [
            "$ aws ec2 describe-route-tables --filters Name=tag:Name,Values=app-private-a-rt,app-private-c-?t --query 'RouteTables[].{Name:Tags[?Key==`Name`]|[0].Value,Routes:Routes[].[DestinationCidrBlock,GatewayId||NatGatewayId||VpcPeeringConnectionId,State]}' --output text",
            "app-private-a-rt",
            "ROUTES\t10.50.0.0/16\tlocal\tactive",
            "ROUTES\t10.60.0.0/16\tpcx-0d2a7e91c3f4b8605\tactive",
            "ROUTES\t0.0.0.0/0\tnat-0a41f8c2d9e7b3016\tactive",
            "app-private-c-rt",
            "ROUTES\t10.50.0.0/16\tlocal\tactive",
            "ROUTES\t0.0.0.0/0\tnat-0c77e21b4a9d05f38\tactive",
            "$ aws ec2 describe-instances --filters Name=tag:aws:autoscaling:groupName,Values=quote-api-prod --query 'Reservations[].Instances[].[InstanceId,Placement.AvailabilityZone,PrivateIpAddress,SubnetId]' --output text",
            "i-0b14c7e2a9d35f061\teu-west-1a\t10.50.4.21\tsubnet-0a1f3e8c27d4b9105",
            "i-0c9e33a7b1f28d4e5\teu-west-1a\t10.50.5.140\tsubnet-0a1f3e8c27d4b9105",
            "i-07f2d81c4e6a90b3d\teu-west-1b\t10.50.20.77\tsubnet-09e4c2a7d1b83f562",
            "i-0e8a51f6c2d7b9034\teu-west-1c\t10.50.36.118\tsubnet-0c4d7a19e2b58f360",
            "i-01d6b2e8f4a73c59a\teu-west-1c\t10.50.37.204\tsubnet-0c4d7a19e2b58f360",
            "$ aws autoscaling describe-scaling-activities --auto-scaling-group-name quote-api-prod --max-items 3 --query 'Activities[].[StartTime,StatusCode,Description,StatusMessage]' --output text",
            "2026-08-06T13:49:12Z\tSuccessful\tLaunching a new EC2 instance: i-01d6b2e8f4a73c59a\tNone",
            "2026-08-06T13:47:40Z\tSuccessful\tLaunching a new EC2 instance: i-0e8a51f6c2d7b9034\tNone",
            "2026-08-06T13:47:02Z\tFailed\tLaunching a new EC2 instance.  Status Reason: We currently do not have sufficient m7g.large capacity in the Availability Zone you requested (eu-west-1c). Launching EC2 instance failed.\tInsufficientInstanceCapacity",
            "",
        ]
    )
    plan = "\n".join(
        [
            "Terraform plan for stack network-app (PR #2214 'spread quote-api over three AZs'), applied 2026-08-06 13:44 UTC",
            "",
            '  # aws_subnet.app_private["c"] will be created',
            '  + resource "aws_subnet" "app_private" {',
            '      + cidr_block        = "10.50.32.0/19"',
            '      + availability_zone = "eu-west-1c"',
            '      + tags              = { "Name" = "app-private-c" }',
            "    }",
            "  # aws_route_table.app_private_c will be created",
            '  + resource "aws_route_table" "app_private_c" {',
            '      + tags = { "Name" = "app-private-c-rt" }',
            "    }",
            "  # aws_route.app_private_c_default will be created",
            '  + resource "aws_route" "app_private_c_default" {',
            '      + destination_cidr_block = "0.0.0.0/0"',
            '      + nat_gateway_id         = "nat-0c77e21b4a9d05f38"',
            "    }",
            "  # aws_autoscaling_group.quote_api will be updated in-place",
            '  ~ resource "aws_autoscaling_group" "quote_api" {',
            "      ~ vpc_zone_identifier = [",
            '          + "subnet-0c4d7a19e2b58f360",',
            "            # (2 unchanged elements hidden)",
            "        ]",
            "      ~ desired_capacity    = 3 -> 5",
            "    }",
            "",
            "Plan: 4 to add, 1 to change, 0 to destroy.",
            "",
        ]
    )
    notes = "\n".join(
        [
            "quote-api errors, 6 Aug from ~13:50 UTC",
            "- ~35% of /v2/quotes fail with 500 after ~3 s; ALB target health all green (healthz is shallow)",
            "- DB team: pg-rating CPU 20%, connections normal, nothing in its log",
            "- motorpool partner API slow again this afternoon",
            "",
        ]
    )
    return Bundle(
        question="About a third of quote-api requests fail with 500 since about 13:50 UTC; the database team sees nothing wrong. What is the root cause?",
        category="network",
        component="app-private-c-rt",
        statement="The new subnet app-private-c added to the quote-api Auto Scaling group got a route table (app-private-c-rt) without the 10.60.0.0/16 peering route, so instances launched there send database and Redis traffic to the NAT gateway and their connections time out, while the shallow health check keeps them in service.",
        files={
            "notes.md": notes,
            "terraform-plan.txt": plan,
            "aws-cli.txt": shell,
            "logs/quote-api-cloudwatch.csv": logs_csv,
            "logs/vpc-flow-app.log": flows_text,
        },
        proofs=[
            Proof("aws-cli.txt", "app-private-c-rt", "ROUTES\t0.0.0.0/0\tnat-0c77e21b4a9d05f38"),
            Proof("aws-cli.txt", "ROUTES\t10.60.0.0/16\tpcx-0d2a7e91c3f4b8605"),
            Proof("terraform-plan.txt", 'resource "aws_route_table" "app_private_c"'),
        ],
        decoys=[
            "InsufficientInstanceCapacity",
            "motorpool-partner.com took 2.9s",
            "canceling statement due to user request",
        ],
    )
