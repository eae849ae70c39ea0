# ruff: noqa: E501
# JSON log lines and pasted AWS CLI output are data, kept whole on one line.
"""Cloud networking: the NAT instance `nat-az-a` runs in an auto scaling group of one. At
03:12 UTC it failed its system status check and the group replaced it; the new instance has a
new network interface, and nothing updates the private route table `rtb-private-a`, whose
default route still names the terminated instance's interface and is now a blackhole. Workers
in the az-a private subnet cannot reach anything on the internet (partner APIs time out);
az-c workers and S3 through the gateway endpoint still work. Decoys: a CPU alarm on nat-az-c,
S3 throttling retried successfully, a partner API 503 before the replacement."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from records import JsonLines
from scenes import at, fixed, loud
from traffic import traffic, worker

JST = timezone(timedelta(hours=9))
START = datetime(2026, 8, 4, 2, 0, tzinfo=UTC)
MINUTES = 180.0
SWAP = 72.0  # 03:12 UTC


def bundle() -> Bundle:
    rng = random.Random(45610)
    logs = {}
    for name, zone_az in (("export-worker-a1", "a"), ("export-worker-c1", "c")):
        log = LogFile(
            f"logs/{name}.jsonl", JsonLines(name, ("time", "level", "msg"), "host", True, rng, JST)
        )
        log.add(
            traffic(
                rng, worker("export-worker", ["exports", "invoices", "edi"]), START, MINUTES, 2200
            )
        )
        if zone_az == "a":
            log.add(
                loud(
                    rng,
                    START,
                    SWAP + 0.8,
                    MINUTES - SWAP - 1,
                    520,
                    fixed(
                        "ERROR",
                        lambda r: (
                            f"delivery {r.getrandbits(40):010x} to {r.choice(['edi.partner-one.example:443', 'api.carrier-two.example:443', 'sftp.bank-three.example:22'])} failed: dial tcp {r.choice(['52.68.3.', '13.112.40.', '54.250.9.'])}{r.randrange(2, 250)}: i/o timeout (attempt {r.randrange(1, 6)}/5)"
                        ),
                    ),
                )
            )
            log.add(
                [
                    at(
                        START,
                        40.2,
                        "WARN",
                        "s3 PutObject s3://exports-prod-apne1/edi/2026/08/04/batch-0412.gz throttled (SlowDown), retry 1 succeeded",
                    )
                ]
            )
        else:
            log.add(
                [
                    at(
                        START,
                        51.7,
                        "WARN",
                        "delivery 0c41d2e8aa to api.carrier-two.example:443 got HTTP 503 Service Unavailable, retrying in 30s",
                    )
                ]
            )
        logs[f"logs/{name}.jsonl"] = log.render()

    aws = "\n".join(
        [
            "$ aws autoscaling describe-scaling-activities --auto-scaling-group-name nat-az-a --max-items 2 --query 'Activities[].[StartTime,Description,Cause]' --output text",
            "2026-08-04T03:12:47.318000+00:00\tLaunching a new EC2 instance: i-0b7e51c2d9a4f3861\tAt 2026-08-04T03:12:40Z an instance was launched in response to an unhealthy instance needing to be replaced.",
            "2026-08-04T03:12:40.102000+00:00\tTerminating EC2 instance: i-04f9a3c1e8b27d650\tAt 2026-08-04T03:12:40Z an instance was taken out of service in response to an EC2 instance status check failure.",
            "",
            "$ aws ec2 describe-route-tables --route-table-ids rtb-0a4c7e19f2d36b580 --query 'RouteTables[0].{Name:Tags[?Key==`Name`]|[0].Value,Routes:Routes}'",
            "{",
            '    "Name": "rtb-private-a",',
            '    "Routes": [',
            "        {",
            '            "DestinationCidrBlock": "10.60.0.0/16",',
            '            "GatewayId": "local",',
            '            "Origin": "CreateRouteTable",',
            '            "State": "active"',
            "        },",
            "        {",
            '            "DestinationCidrBlock": "0.0.0.0/0",',
            '            "InstanceId": "i-04f9a3c1e8b27d650",',
            '            "NetworkInterfaceId": "eni-0d83b6a1c5e7f2049",',
            '            "Origin": "CreateRoute",',
            '            "State": "blackhole"',
            "        },",
            "        {",
            '            "DestinationPrefixListId": "pl-61a54008",',
            '            "GatewayId": "vpce-0e2a9c4b71d38f566",',
            '            "Origin": "CreateRoute",',
            '            "State": "active"',
            "        }",
            "    ]",
            "}",
            "",
            "$ aws ec2 describe-instances --filters Name=tag:Name,Values=nat-az-a Name=instance-state-name,Values=running --query 'Reservations[].Instances[].[InstanceId,NetworkInterfaces[0].NetworkInterfaceId,SourceDestCheck]' --output text",
            "i-0b7e51c2d9a4f3861\teni-07c2f9d4b1a86e3e5\tFalse",
            "",
            "$ aws cloudwatch describe-alarms --state-value ALARM --query 'MetricAlarms[].[AlarmName,StateReason]' --output text",
            "nat-az-c-cpu-high\tThreshold Crossed: 1 datapoint [83.4 (04/08/26 04:05:00)] was greater than the threshold (80.0).",
            "",
        ]
    )
    return Bundle(
        question="Since about 12:15 JST half of our partner deliveries fail with timeouts, always from export-worker-a1; export-worker-c1 is fine. What is the root cause?",
        category="network",
        component="nat-az-a",
        statement="At 03:12 UTC the auto scaling group replaced the NAT instance nat-az-a after a status check failure; rtb-private-a's default route still points at the terminated instance's interface (eni-0d83b6a1c5e7f2049) and is a blackhole, so the az-a private subnet has no internet egress.",
        files={
            **logs,
            "aws-cli.txt": aws,
        },
        proofs=[
            Proof("aws-cli.txt", '"State": "blackhole"'),
            Proof("aws-cli.txt", "Terminating EC2 instance: i-04f9a3c1e8b27d650"),
        ],
        decoys=[
            "nat-az-c-cpu-high",
            "throttled (SlowDown), retry 1 succeeded",
            "HTTP 503 Service Unavailable",
        ],
    )
