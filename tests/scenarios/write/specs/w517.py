# ruff: noqa: E501
# Hand-written Terraform, AWS CLI and service lines are data, kept whole on one line.
"""Cloud load balancing, cross-zone balancing turned off: at 14:12 UTC the platform team moved
the ingest Network Load Balancer `ingest-nlb` to a new shared Terraform module, whose NLB does
not set `enable_cross_zone_load_balancing` (an NLB's default is off). Each zone's NLB node now
sends its third of the traffic only to targets in its own zone; us-east-1a has 2 targets while
1b and 1c have 6 each, so the two 1a instances run at their limits and shed uploads with 503s
and timeouts. Decoys: a spot interruption notice in 1b, DynamoDB throttling retries, a
certificate expiry notice."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import csv_text, shift, steady
from records import Zap
from scenes import at, fixed, loud
from traffic import traffic, web_api

START = datetime(2025, 10, 7, 13, 0, tzinfo=UTC)
MINUTES = 150.0
APPLY = 72.0


def bundle() -> Bundle:
    rng = random.Random(51707)
    tf = "\n".join(
        [
            "$ terraform apply -target=module.ingest_edge   # CHG-5127, 14:10 UTC",
            "module.ingest_edge.aws_lb.this: Refreshing state... [id=arn:aws:elasticloadbalancing:us-east-1:401122334455:loadbalancer/net/ingest-nlb/7c1e0f9a2b3d4e5f]",
            "",
            "Terraform will perform the following actions:",
            "",
            "  # module.ingest_edge.aws_lb.this will be updated in-place",
            '  ~ resource "aws_lb" "this" {',
            '        id                               = "arn:aws:elasticloadbalancing:us-east-1:401122334455:loadbalancer/net/ingest-nlb/7c1e0f9a2b3d4e5f"',
            '        name                             = "ingest-nlb"',
            "      ~ enable_cross_zone_load_balancing = true -> false",
            "      ~ tags                             = {",
            '          + "module"     = "shared/nlb v2.3.0"',
            "            # (3 unchanged elements hidden)",
            "        }",
            "        # (12 unchanged attributes hidden)",
            "    }",
            "",
            "  # module.ingest_edge.aws_lb_listener.tls will be updated in-place",
            '  ~ resource "aws_lb_listener" "tls" {',
            '      ~ ssl_policy = "ELBSecurityPolicy-TLS13-1-2-2021-06" -> "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"',
            "        # (5 unchanged attributes hidden)",
            "    }",
            "",
            "Plan: 0 to add, 2 to change, 0 to destroy.",
            "module.ingest_edge.aws_lb.this: Modifying... [id=arn:aws:elasticloadbalancing:us-east-1:401122334455:loadbalancer/net/ingest-nlb/7c1e0f9a2b3d4e5f]",
            "module.ingest_edge.aws_lb.this: Modifications complete after 2s",
            "module.ingest_edge.aws_lb_listener.tls: Modifications complete after 1s",
            "",
            "Apply complete! Resources: 0 added, 2 changed, 0 destroyed.",
            "",
        ]
    )
    zones = {"i-0a11f3c2": "us-east-1a", "i-0a7be410": "us-east-1a"}
    for _k in range(6):
        zones[f"i-0b{rng.getrandbits(24):06x}"] = "us-east-1b"
        zones[f"i-0c{rng.getrandbits(24):06x}"] = "us-east-1c"
    health = [
        "$ aws elbv2 describe-target-health --target-group-arn arn:aws:elasticloadbalancing:us-east-1:401122334455:targetgroup/ingest-tcp/5a7d --output table",
        "-----------------------------------------------------------",
        "|                  DescribeTargetHealth                   |",
        "+-------------+-------------+-------+---------------------+",
        "| AZ          | Target      | Port  | State               |",
        "+-------------+-------------+-------+---------------------+",
    ]
    for target, zone in sorted(zones.items(), key=lambda item: item[1]):
        health.append(f"| {zone:<11} | {target:<11} | 8443  | healthy             |")
    health += ["+-------------+-------------+-------+---------------------+", ""]
    step, points = 60, int(MINUTES)
    series = {}
    for target, zone in zones.items():
        if zone == "us-east-1a":
            series[f"{target}_cpu_pct"] = shift(rng, 31, 97, int(APPLY) + 1, 0.03, ramp=3)
            series[f"{target}_active_conns"] = shift(rng, 1900, 5800, int(APPLY) + 1, 0.05, ramp=3)
        else:
            series[f"{target}_cpu_pct"] = shift(rng, 31, 24, int(APPLY) + 1, 0.06, ramp=3)
            series[f"{target}_active_conns"] = shift(rng, 1900, 1450, int(APPLY) + 1, 0.05, ramp=3)
    series["nlb_healthy_hosts"] = steady(rng, 14, 0.0)
    metrics = csv_text(START, step, points, series, 0)
    files: dict[str, str] = {}
    for target in ("i-0a11f3c2", sorted(t for t, z in zones.items() if z == "us-east-1b")[0]):
        log = LogFile(
            f"logs/ingest-{target}.log",
            Zap(("ingest/upload.go:142", "ingest/queue.go:77", "store/dynamo.go:58"), rng),
        )
        log.add(
            traffic(rng, web_api("ingest", ["uploads", "devices", "batches"]), START, MINUTES, 2600)
        )
        if zones[target] == "us-east-1a":
            log.add(
                loud(
                    rng,
                    START,
                    APPLY + 2,
                    MINUTES - APPLY - 3,
                    900,
                    fixed(
                        "ERROR",
                        lambda r: (
                            f"POST /v2/uploads 503 in {r.randrange(1, 30)}ms: ingest queue full (depth 4096/4096), shedding load device={r.getrandbits(40):010x}"
                        ),
                    ),
                )
            )
            log.add(
                loud(
                    rng,
                    START,
                    APPLY + 2,
                    MINUTES - APPLY - 3,
                    200,
                    fixed(
                        "WARN",
                        lambda r: (
                            f"upload handler latency p99 {r.randrange(4100, 9800)}ms over 1m window (cpu saturated, GOMAXPROCS=8)"
                        ),
                    ),
                )
            )
        else:
            log.add(
                [
                    at(
                        START,
                        101.0,
                        "WARN",
                        "EC2 instance rebalance recommendation received; spot interruption notice: instance will be stopped at 2025-10-07T14:43:10Z",
                        logger="ingest/spot.go:31",
                    )
                ]
            )
        log.add(
            loud(
                rng,
                START,
                0,
                MINUTES,
                15,
                fixed(
                    "WARN",
                    lambda r: (
                        f"dynamodb PutItem throttled (ProvisionedThroughputExceededException), retry {r.randrange(1, 3)} succeeded table=device-shadow"
                    ),
                ),
            )
        )
        log.add(
            [
                at(
                    START,
                    5.0,
                    "INFO",
                    "tls: serving certificate ingest.telemetry.example.com expires in 25 days (2025-11-01T00:00:00Z)",
                    logger="ingest/tls.go:20",
                )
            ]
        )
        files[f"logs/ingest-{target}.log"] = log.render()
    notes = "\n".join(
        [
            "INC-9902 telemetry uploads failing, opened 14:35 UTC",
            "- device fleet dashboard: ~30% of uploads fail (503 or connect timeout) since ~14:15",
            "- ingest ASG: 14 instances, all healthy in the target group; spot replacement in 1b pending",
            "- CHG-5127 (14:10): move ingest-nlb to the shared NLB module, 'no functional change expected'",
            "",
        ]
    )
    files.update(
        {
            "notes.md": notes,
            "terraform-apply.txt": tf,
            "target-health.txt": "\n".join(health),
            "metrics/ingest-targets.csv": metrics,
        }
    )
    return Bundle(
        question="About 30% of device telemetry uploads fail with 503s or connect timeouts since about 14:15 UTC. What is the root cause?",
        category="configuration",
        component="ingest-nlb",
        statement="Moving ingest-nlb to the shared Terraform module turned cross-zone load balancing off; each zone's NLB node now sends a third of the traffic to its own zone's instances, and the two us-east-1a instances (against six in each other zone) saturate and shed uploads.",
        files=files,
        proofs=[
            Proof("terraform-apply.txt", "enable_cross_zone_load_balancing = true -> false"),
            Proof("target-health.txt", "| us-east-1a  | i-0a11f3c2", "| us-east-1a  | i-0a7be410"),
        ],
        decoys=[
            "spot interruption notice",
            "ProvisionedThroughputExceededException",
            "expires in 25 days",
        ],
    )
