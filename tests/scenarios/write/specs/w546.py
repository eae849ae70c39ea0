# ruff: noqa: E501
# Hand-written zap lines, flow log records and pasted Terraform and AWS CLI output are data, kept whole on one line.
"""Cloud networking, NLB hairpin with client IP preservation: on Tuesday 10:15 AEDT a Terraform
refactor (NET-880) recreated inventory-nlb's target group with `target_type = "instance"` instead
of `"ip"`; for instance targets client IP preservation is on by default. order-sync runs on the
same three EC2 instances as inventory-api and calls it through the internal NLB; whenever the
NLB picks the caller's own instance, the packet arrives with the instance's own address as
source and the reply never makes it back, so about a third of calls hang until the connect
timeout. Decoys: a CloudWatch CPU alarm on inv-b, a Route 53 health check flap of an unrelated
endpoint, and an order-sync retry budget warning from the day before."""

import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import Record, Zap
from scenes import at, fixed, loud
from traffic import traffic

START = datetime(2026, 3, 9, 22, 30, tzinfo=UTC)
MINUTES = 100.0
APPLY = 45.0
HOSTS = {"inv-a": "10.70.3.44", "inv-b": "10.70.4.19", "inv-c": "10.70.5.102"}


@dataclass
class FlowLog:
    """VPC flow log records (version 2 default format); the message is the record after the account."""

    def render(self, record: Record) -> list[str]:
        begin = int(record.time.timestamp())
        return [record.message.replace("@S", str(begin)).replace("@E", str(begin + 58))]


def bundle() -> Bundle:
    rng = random.Random(54606)
    sync = LogFile(
        "logs/order-sync-inv-a.jsonl",
        Zap(
            (
                "sync/loop.go:88",
                "sync/inventory.go:141",
                "sync/inventory.go:163",
                "httpx/client.go:57",
            ),
            rng,
        ),
    )
    sync.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"reserved stock order={r.randrange(10**7)} sku=SKU-{r.randrange(10**5)} qty={r.randrange(1, 6)} took_ms={r.randrange(4, 60)} peer=10.70.{r.randrange(3, 6)}.{r.randrange(2, 250)}",
                (),
            ),
            START,
            MINUTES,
            3800,
        )
    )
    sync.add(
        loud(
            rng,
            START,
            APPLY + 2.2,
            MINUTES - APPLY - 3,
            900,
            fixed(
                "ERROR",
                lambda r: (
                    f'reserve stock failed order={r.randrange(10**7)}: Post "http://inventory-nlb-int-5f2a1c.elb.ap-southeast-2.amazonaws.com:8080/v1/reserve": dial tcp 10.70.{r.choice([3, 4, 5])}.{r.choice([9, 137, 221])}:8080: i/o timeout (Client.Timeout exceeded while awaiting headers) after 3000ms'
                ),
            ),
        )
    )
    sync.add(
        [
            at(
                START,
                8.0,
                "WARN",
                "retry budget for inventory 18% used in last 24h (threshold 20%)",
                logger="sync/loop.go:88",
            )
        ]
    )
    flows = LogFile("vpc-flow-logs/eni-inv-a.txt", FlowLog())
    flows.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"2 381204557716 eni-0c41e7a9b2d08f113 10.70.{r.choice([4, 5])}.{r.randrange(2, 250)} 10.70.3.44 {r.randrange(30000, 60000)} 8080 6 {r.randrange(4, 40)} {r.randrange(800, 9000)} @S @E ACCEPT OK",
                (),
            ),
            START,
            MINUTES,
            1200,
        )
    )
    flows.add(
        loud(
            rng,
            START,
            APPLY + 2.2,
            MINUTES - APPLY - 3,
            140,
            fixed(
                "INFO",
                lambda r: (
                    f"2 381204557716 eni-0c41e7a9b2d08f113 10.70.3.44 10.70.3.44 {r.randrange(30000, 60000)} 8080 6 {r.randrange(1, 4)} {r.randrange(60, 240)} @S @E REJECT OK"
                ),
            ),
        )
    )
    tf = "\n".join(
        [
            "Terraform will perform the following actions:   (NET-880, applied by ci-infra at 2026-03-10 10:15 AEDT)",
            "",
            "  # module.inventory_lb.aws_lb_target_group.api must be replaced",
            '+/- resource "aws_lb_target_group" "api" {',
            '      ~ arn                                = "arn:aws:elasticloadbalancing:ap-southeast-2:381204557716:targetgroup/inventory-api/7a1e0c2b9d" -> (known after apply)',
            '        name                               = "inventory-api"',
            "        port                               = 8080",
            '        protocol                           = "TCP"',
            '      ~ target_type                        = "ip" -> "instance" # forces replacement',
            '      ~ preserve_client_ip                 = "false" -> (known after apply)',
            '        vpc_id                             = "vpc-0f3e91a2c4"',
            "    }",
            "",
            '  # module.inventory_lb.aws_lb_target_group_attachment.api["inv-a"] must be replaced',
            '  # module.inventory_lb.aws_lb_target_group_attachment.api["inv-b"] must be replaced',
            '  # module.inventory_lb.aws_lb_target_group_attachment.api["inv-c"] must be replaced',
            "",
            "Plan: 4 to add, 0 to change, 4 to destroy.",
            "",
        ]
    )
    attrs = json.dumps(
        {
            "Attributes": [
                {"Key": "deregistration_delay.timeout_seconds", "Value": "300"},
                {"Key": "stickiness.enabled", "Value": "false"},
                {"Key": "proxy_protocol_v2.enabled", "Value": "false"},
                {"Key": "preserve_client_ip.enabled", "Value": "true"},
                {
                    "Key": "target_health_state.unhealthy.connection_termination.enabled",
                    "Value": "true",
                },
            ]
        },
        indent=4,
    ).splitlines()
    cli = "\n".join(
        [
            "$ aws elbv2 describe-target-groups --names inventory-api --query 'TargetGroups[0].[TargetType,Protocol,Port]' --output text",
            "instance\tTCP\t8080",
            "$ aws elbv2 describe-target-group-attributes --target-group-arn arn:aws:elasticloadbalancing:ap-southeast-2:381204557716:targetgroup/inventory-api/c41f8e0a62",
            *attrs,
            "$ aws elbv2 describe-target-health --target-group-arn arn:aws:elasticloadbalancing:ap-southeast-2:381204557716:targetgroup/inventory-api/c41f8e0a62 --output table",
            "|  Target.Id             | Port | State   |",
            "|  i-0a13f8c2d9e4b7a01   | 8080 | healthy |",
            "|  i-04c9e21b7f3a6d550   | 8080 | healthy |",
            "|  i-0e7d3b59a1c2f8864   | 8080 | healthy |",
            "",
        ]
    )
    alarms = "\n".join(
        [
            "2026-03-10 09:02 AEDT  ALARM  inv-b-cpu-high  CPUUtilization > 80 for 3 datapoints (i-04c9e21b7f3a6d550) -> OK at 09:14",
            "2026-03-10 10:41 AEDT  ALARM  r53-hc-partner-sftp  Route 53 health check 6c1e... failed from 3 of 8 regions -> OK at 10:44",
            "2026-03-10 10:19 AEDT  ALARM  order-sync-error-rate  errors/min > 50 (order-sync on inv-a, inv-b, inv-c)",
            "",
        ]
    )
    return Bundle(
        question="Since around 10:17 AEDT roughly a third of order-sync's stock reservations time out against inventory, on all three hosts, while inventory-api's own health is green. What is the root cause?",
        category="network",
        component="inventory-nlb",
        statement="NET-880 recreated inventory-nlb's target group with instance targets, which preserve the client IP; order-sync calls the NLB from the same instances that are its targets, so connections the NLB sends back to the caller's own instance (source = destination) are dropped and about a third of calls time out.",
        files={
            "terraform-plan-NET-880.txt": tf,
            "aws-cli-output.txt": cli,
            "cloudwatch-alarms.txt": alarms,
            "vpc-flow-logs/eni-inv-a.txt": flows.render(),
            "logs/order-sync-inv-a.jsonl": sync.render(),
        },
        proofs=[
            Proof(
                "terraform-plan-NET-880.txt",
                'target_type                        = "ip" -> "instance"',
            ),
            Proof("aws-cli-output.txt", '"Key": "preserve_client_ip.enabled"', '"Value": "true"'),
        ],
        decoys=["inv-b-cpu-high", "r53-hc-partner-sftp", "retry budget for inventory"],
    )
