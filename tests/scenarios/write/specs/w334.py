# ruff: noqa: E501
# Hand-written logfmt and cloud-init lines and pasted AWS CLI output are data, kept whole on one line.
"""Cloud networking, a NAT instance replaced with source/destination check on: the private
subnet of us-east-2b routes 0.0.0.0/0 through nat-b, an EC2 NAT instance in a one-instance
Auto Scaling group. At 02:14 CDT the group replaces nat-b after a failed status check; the new
instance boots from launch template version 7, whose user data no longer turns off the
source/destination check. EC2 drops every packet nat-b should forward, so hosts in subnet b
cannot reach the internet: webhook-dispatcher-b's deliveries time out, subnet a is fine.
Decoys: an S3 SlowDown retry, a partner's 410, dispatcher GC."""

import json
import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from records import Logfmt, Syslog3164
from scenes import at, fixed, loud
from traffic import host_traffic, traffic

CDT = ZoneInfo("America/Chicago")
START = datetime(2026, 7, 8, 0, 50, tzinfo=CDT)
MINUTES = 240.0
SWAP = 84.0


def delivery(r: random.Random):
    roll = r.random()
    host = r.choice(
        [
            "hooks.slack.com",
            "api.partner-crm.example",
            "events.ticketdesk.example",
            "hooks.zapier.com",
        ]
    )
    if roll < 0.8:
        return (
            "INFO",
            f"webhook delivered id=wh_{r.getrandbits(40):010x} endpoint=https://{host}/in/{r.randrange(10**5)} status=200 duration_ms={r.randrange(60, 900)}",
            (),
        )
    if roll < 0.95:
        return "DEBUG", f"claimed batch size={r.randrange(1, 50)} queue=webhooks.outbound", ()
    return (
        "WARN",
        f"webhook rejected id=wh_{r.getrandbits(40):010x} endpoint=https://{host}/in/{r.randrange(10**5)} status=410 Gone, endpoint disabled",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(33408)
    disp_b = LogFile("logs/webhook-dispatcher-b.log", Logfmt("webhook-dispatcher", rng))
    disp_b.add(traffic(rng, delivery, START, SWAP + 1.5, 1700))
    disp_b.add(
        traffic(
            rng,
            lambda r: (
                "DEBUG",
                f"claimed batch size={r.randrange(1, 50)} queue=webhooks.outbound",
                (),
            ),
            START,
            MINUTES,
            600,
        )
    )
    disp_b.add(
        loud(
            rng,
            START,
            SWAP + 1.6,
            MINUTES - SWAP - 2,
            1400,
            fixed(
                "ERROR",
                lambda r: (
                    f'webhook failed id=wh_{r.getrandbits(40):010x} endpoint=https://{r.choice(["hooks.slack.com", "api.partner-crm.example", "hooks.zapier.com"])}/in/{r.randrange(10**5)} err="dial tcp {r.choice(["34.226.14.9", "52.4.118.70", "18.205.93.2"])}:443: i/o timeout" attempt={r.randrange(1, 8)}'
                ),
            ),
        )
    )
    disp_b.add(
        [
            at(
                START,
                40.0,
                "WARN",
                "archive upload s3://wh-archive/2026/07/08/00.jsonl.gz: SlowDown: Please reduce your request rate (retry 1 succeeded)",
            )
        ]
    )
    disp_a = LogFile("logs/webhook-dispatcher-a.log", Logfmt("webhook-dispatcher", rng))
    disp_a.add(traffic(rng, delivery, START, MINUTES, 3300))
    disp_a.add([at(START, 150.0, "WARN", "gc pause 412ms heap_in_use=1.81GiB (GOGC=100)")])
    utc = START.astimezone(UTC)
    boot = LogFile("logs/nat-b-messages", Syslog3164("ip-10-40-32-11", "cloud-init", 911))
    boot.add(host_traffic(rng, utc + timedelta(minutes=SWAP + 1), MINUTES - SWAP - 1, 140))
    boot.add(
        [
            at(
                utc,
                SWAP + 0.9,
                "INFO",
                "Cloud-init v. 22.2.2 running 'modules:final' at Wed, 08 Jul 2026 07:14:54 +0000. Up 21.44 seconds.",
            ),
            at(
                utc,
                SWAP + 0.91,
                "INFO",
                "nat-bootstrap: launch template lt-0c4e19a7b2f31d600 version 7 (nat-al2023-hardened)",
            ),
            at(utc, SWAP + 0.92, "INFO", "nat-bootstrap: net.ipv4.ip_forward = 1"),
            at(
                utc,
                SWAP + 0.93,
                "INFO",
                "nat-bootstrap: iptables -t nat -A POSTROUTING -o ens5 -s 10.40.32.0/20 -j MASQUERADE ... ok",
            ),
            at(
                utc,
                SWAP + 0.94,
                "INFO",
                "nat-bootstrap: associating EIP eipalloc-07a1d2c33e9f40b1e ... ok",
            ),
            at(
                utc,
                SWAP + 0.95,
                "INFO",
                "nat-bootstrap: replacing route 0.0.0.0/0 in rtb-0b77e1f0d4c2a9e31 -> eni-0f2d81c6b7a3e5512 ... ok",
            ),
            at(utc, SWAP + 0.96, "INFO", "nat-bootstrap: done in 6.2 s"),
            at(
                utc,
                SWAP + 0.97,
                "INFO",
                "Cloud-init v. 22.2.2 finished at Wed, 08 Jul 2026 07:15:00 +0000. Datasource DataSourceEc2Local.  Up 28.61 seconds",
            ),
        ]
    )
    activities = json.dumps(
        {
            "Activities": [
                {
                    "ActivityId": "5f2c8e0a-1b7d-4c3e-9a61-0d7e2b4f9c11",
                    "AutoScalingGroupName": "nat-b",
                    "Description": "Launching a new EC2 instance: i-09d3b7e51c2a4f870",
                    "Cause": "At 2026-07-08T07:14:09Z an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 0 to 1.",
                    "StartTime": "2026-07-08T07:14:11.402Z",
                    "EndTime": "2026-07-08T07:14:44Z",
                    "StatusCode": "Successful",
                    "Details": '{"Subnet ID":"subnet-0a5c3e4d2b1f7e690","Availability Zone":"us-east-2b","InstanceType":"c7gn.medium","LaunchTemplateVersion":"7"}',
                },
                {
                    "ActivityId": "8b4d1e62-0c3a-47f9-b2e8-6a9d0f1c3e57",
                    "AutoScalingGroupName": "nat-b",
                    "Description": "Terminating EC2 instance: i-02a8f6c4d1e3b7095",
                    "Cause": "At 2026-07-08T07:13:52Z an instance was taken out of service in response to an EC2 instance status check failure.",
                    "StartTime": "2026-07-08T07:13:52.118Z",
                    "EndTime": "2026-07-08T07:14:09Z",
                    "StatusCode": "Successful",
                },
            ]
        },
        indent=4,
    )
    shell = "\n".join(
        [
            "$ aws autoscaling describe-scaling-activities --auto-scaling-group-name nat-b --max-items 2",
            activities,
            "$ aws ec2 describe-instances --filters Name=tag:Role,Values=nat --query 'Reservations[].Instances[].[Tags[?Key==`Name`]|[0].Value,InstanceId,SourceDestCheck,Placement.AvailabilityZone]' --output text",
            "nat-a\ti-0c61f0e2b9a7d4318\tFalse\tus-east-2a",
            "nat-b\ti-09d3b7e51c2a4f870\tTrue\tus-east-2b",
            "$ aws ec2 describe-launch-template-versions --launch-template-id lt-0c4e19a7b2f31d600 --versions 6 7 --query 'LaunchTemplateVersions[].[VersionNumber,VersionDescription]' --output text",
            "6\tnat-al2023 + user data (ip_forward, masquerade, EIP, route, no-source-dest-check)",
            "7\tnat-al2023-hardened: IMDSv2 only, user data from hardened bootstrap",
            "[ec2-user@ip-10-40-32-11 ~]$ sudo iptables -t nat -L POSTROUTING -v -n",
            "Chain POSTROUTING (policy ACCEPT 1204 packets, 88113 bytes)",
            " pkts bytes target     prot opt in     out     source               destination",
            "    0     0 MASQUERADE  all  --  *      ens5    10.40.32.0/20        0.0.0.0/0",
            "",
        ]
    )
    notes = "\n".join(
        [
            "Webhook delivery alarm (03:05 CDT): failures from the us-east-2b dispatchers only, since ~02:15 CDT. 2a dispatchers deliver fine.",
            "- nat-b was auto-replaced at 02:14 CDT (status check failure), ASG shows success and the route points at the new ENI.",
            "- S3 archive had a SlowDown retry at 01:30, unrelated?",
            "",
        ]
    )
    return Bundle(
        question="Since about 02:15 CDT every webhook delivery from the us-east-2b dispatchers times out, while us-east-2a delivers fine. What is the root cause?",
        category="network",
        component="nat-b",
        statement="The Auto Scaling group replaced the NAT instance nat-b at 02:14 CDT from launch template version 7, whose user data no longer disables the source/destination check; EC2 drops the packets nat-b should forward, so subnet b's outbound connections time out.",
        files={
            "notes.md": notes,
            "aws-cli.txt": shell,
            "logs/nat-b-messages": boot.render(),
            "logs/webhook-dispatcher-b.log": disp_b.render(),
            "logs/webhook-dispatcher-a.log": disp_a.render(),
        },
        proofs=[
            Proof("aws-cli.txt", "nat-b\ti-09d3b7e51c2a4f870\tTrue"),
            Proof("aws-cli.txt", "7\tnat-al2023-hardened"),
            Proof("logs/nat-b-messages", "launch template lt-0c4e19a7b2f31d600 version 7"),
        ],
        decoys=["SlowDown: Please reduce your request rate", "status=410 Gone", "gc pause 412ms"],
    )
