# ruff: noqa: E501
# Hand-written flow-log records, Terraform output and application lines are data, kept whole on one line.
"""Cloud networking, a stateless network ACL without its return rule: at 09:06 EDT (-04:00) a
Terraform apply of the network module's new version replaces the data subnets' network ACL
rules (`data-tier-nacl`). Its egress now allows only 443 and 5432 to the VPC; the old rule for
ephemeral ports 1024-65535 back to the app subnets is gone. NACLs are stateless, so pg-billing's
replies to the app hosts' ephemeral ports are dropped: every new and existing connection from
billing-worker and invoice-api to the database times out. Loud: the applications' connection
timeouts. Decoys: a CloudWatch burst-balance alarm on another volume, a Redis latency warning,
an unrelated security-group change in the same apply window."""

import random
from datetime import datetime
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from records import PythonLogging
from scenes import at, fixed, loud, python_traceback
from traffic import traffic, web_api

NEW_YORK = ZoneInfo("America/New_York")
START = datetime(2026, 6, 24, 8, 10, tzinfo=NEW_YORK)
MINUTES = 130.0
APPLY = 56.0
DB = "10.20.30.15"


def flow_logs(rng: random.Random) -> str:
    lines = [
        "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status"
    ]
    begin = int(START.timestamp())
    cut = begin + int(APPLY * 60) + 25
    for window in range(begin, begin + int(MINUTES * 60), 60):
        for _ in range(rng.randrange(12, 18)):
            app = f"10.20.{rng.choice([10, 11])}.{rng.randrange(10, 60)}"
            port = rng.randrange(32768, 61000)
            packets = rng.randrange(3, 80)
            lines.append(
                f"2 418302771956 eni-0d41f0a9c3b27e615 {app} {DB} {port} 5432 6 {packets} {packets * rng.randrange(60, 400)} {window} {window + 60} ACCEPT OK"
            )
            action = "REJECT" if window >= cut else "ACCEPT"
            lines.append(
                f"2 418302771956 eni-0d41f0a9c3b27e615 {DB} {app} 5432 {port} 6 {packets} {packets * rng.randrange(60, 1400)} {window} {window + 60} {action} OK"
            )
        if rng.random() < 0.3:
            lines.append(
                f"2 418302771956 eni-0d41f0a9c3b27e615 {DB} 52.94.{rng.randrange(256)}.{rng.randrange(1, 255)} {rng.randrange(32768, 61000)} 443 6 {rng.randrange(5, 40)} {rng.randrange(1000, 40000)} {window} {window + 60} ACCEPT OK"
            )
    return "\n".join(lines) + "\n"


def bundle() -> Bundle:
    rng = random.Random(36603)
    worker = LogFile(
        "logs/billing-worker.log",
        PythonLogging(("billing.worker", "billing.charges", "celery.worker"), rng),
    )
    worker.add(
        traffic(
            rng,
            lambda r: r.choice(
                [
                    (
                        "INFO",
                        f"Task billing.charges.capture[{r.getrandbits(64):016x}] succeeded in {r.random() * 2:.3f}s: None",
                        (),
                    ),
                    (
                        "INFO",
                        f"Task billing.invoices.render[{r.getrandbits(64):016x}] received",
                        (),
                    ),
                    (
                        "DEBUG",
                        f"charge {r.randrange(10**8)} captured amount={r.randrange(100, 90000)} currency=USD",
                        (),
                    ),
                ]
            ),
            START,
            APPLY + 0.4,
            1400,
        )
    )
    trace = python_traceback(
        [
            ("/app/billing/charges.py", 88, "capture", "with db.connection() as conn:"),
            (
                "/usr/local/lib/python3.11/site-packages/psycopg_pool/pool.py",
                170,
                "connection",
                "conn = self.getconn(timeout=timeout)",
            ),
            (
                "/usr/local/lib/python3.11/site-packages/psycopg_pool/pool.py",
                204,
                "getconn",
                "raise PoolTimeout(",
            ),
        ],
        "psycopg_pool.PoolTimeout: couldn't get a connection after 30.00 sec",
    )
    worker.add(
        loud(
            rng,
            START,
            APPLY + 0.9,
            MINUTES - APPLY - 1.5,
            420,
            fixed(
                "ERROR",
                lambda r: (
                    f'Task billing.charges.capture[{r.getrandbits(64):016x}] raised unexpected: PoolTimeout("couldn\'t get a connection after 30.00 sec")'
                ),
                lambda r: trace,
            ),
        )
    )
    worker.add(
        loud(
            rng,
            START,
            APPLY + 0.5,
            MINUTES - APPLY - 1,
            240,
            fixed(
                "WARN",
                lambda r: (
                    f"error connecting in 'pool-1': connection timeout expired (host=pg-billing.data.internal hostaddr={DB} port=5432 connect_timeout=10)"
                ),
            ),
        )
    )
    worker.add(
        [
            at(
                START,
                20.0,
                "WARN",
                "redis latency 212ms for GET rate:tenant:4411 (threshold 100ms)",
                logger="billing.ratelimit",
            )
        ]
    )
    api = LogFile("logs/invoice-api.log", PythonLogging(("invoice.api", "uvicorn.access"), rng))
    api.add(traffic(rng, web_api("invoice-api", ["invoices", "payments"]), START, MINUTES, 2400))
    api.add(
        loud(
            rng,
            START,
            APPLY + 0.6,
            MINUTES - APPLY - 1,
            380,
            fixed(
                "ERROR",
                lambda r: (
                    f"GET /api/v1/invoices/{r.randrange(10**6)} 503 10021ms: database unavailable (connection timeout expired, hostaddr={DB})"
                ),
            ),
        )
    )
    tf = "\n".join(
        [
            "$ terraform apply -target=module.network   # network module v3.4.0 -> v4.0.1, change NET-882",
            "",
            "  # module.network.aws_network_acl.data will be updated in-place",
            '  ~ resource "aws_network_acl" "data" {',
            '        id         = "acl-07c2d91e4b5a0f3d6"',
            '        tags       = { "Name" = "data-tier-nacl" }',
            "      - egress {",
            '          - action     = "allow"',
            '          - cidr_block = "10.20.0.0/16"',
            "          - from_port  = 1024",
            '          - protocol   = "6"',
            "          - rule_no    = 120",
            "          - to_port    = 65535",
            "        }",
            "      + egress {",
            '          + action     = "allow"',
            '          + cidr_block = "10.20.0.0/16"',
            "          + from_port  = 5432",
            '          + protocol   = "6"',
            "          + rule_no    = 120",
            "          + to_port    = 5432",
            "        }",
            "        # (3 unchanged blocks hidden)",
            "    }",
            "",
            "  # module.network.aws_security_group_rule.bastion_ssh will be updated in-place",
            '  ~ resource "aws_security_group_rule" "bastion_ssh" {',
            '      ~ cidr_blocks = ["203.0.113.0/28"] -> ["203.0.113.16/28"]',
            "    }",
            "",
            "Plan: 0 to add, 2 to change, 0 to destroy.",
            "module.network.aws_network_acl.data: Modifying... [id=acl-07c2d91e4b5a0f3d6]",
            "module.network.aws_security_group_rule.bastion_ssh: Modifying... [id=sgrule-2290311742]",
            "module.network.aws_network_acl.data: Modifications complete after 2s [id=acl-07c2d91e4b5a0f3d6]",
            "module.network.aws_security_group_rule.bastion_ssh: Modifications complete after 1s [id=sgrule-2290311742]",
            "",
            "Apply complete! Resources: 0 added, 2 changed, 0 destroyed.",
            "(applied 2026-06-24 09:06 EDT)",
            "",
        ]
    )
    alarms = "\n".join(
        [
            "CloudWatch alarms, 2026-06-24 (times EDT)",
            "08:41 ALARM  ebs-burst-balance-reports-vol  BurstBalance < 20 for 3 datapoints (vol-0f2e77a1, reports-etl-1)",
            "09:07 ALARM  billing-capture-failures  Sum(FailedCaptures) > 50",
            "09:08 ALARM  invoice-api-5xx  HTTPCode_Target_5XX_Count > 100",
            "09:15 OK     pg-billing-cpu  CPUUtilization 4% (was 38%)",
            "",
        ]
    )
    return Bundle(
        question="Since about 09:07 EDT billing-worker and invoice-api time out connecting to pg-billing; the database host looks idle and healthy. What is the root cause?",
        category="network",
        component="data-tier-nacl",
        statement="The 09:06 EDT Terraform apply replaced data-tier-nacl's egress rule for ephemeral ports 1024-65535 with one for port 5432 only; network ACLs are stateless, so pg-billing's replies to the app hosts' ephemeral ports are rejected and every database connection times out.",
        files={
            "terraform-run.txt": tf,
            "cloudwatch-alarms.txt": alarms,
            "flow-logs/eni-0d41f0a9c3b27e615.log": flow_logs(rng),
            "logs/billing-worker.log": worker.render(),
            "logs/invoice-api.log": api.render(),
        },
        proofs=[
            Proof("terraform-run.txt", "          - to_port    = 65535"),
            Proof("terraform-run.txt", "          + from_port  = 5432"),
        ],
        decoys=[
            "ebs-burst-balance-reports-vol",
            "redis latency 212ms",
            "bastion_ssh",
        ],
    )
