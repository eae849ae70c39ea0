# ruff: noqa: E501
# Hand-written ALB, nginx, Auto Scaling and deployment lines are data, kept whole on one line.
"""Load balancer, health checks redirected: at 13:21 AEST (+10:00) on 8 September a config
push to the shopweb hosts adds a catch-all `return 301 https://$host$request_uri;` to nginx's
port-80 server block for any request without `X-Forwarded-Proto: https` (SEC-771, "force
HTTPS everywhere"); users' requests through the ALB carry that header and are served. The ALB's target group health-checks
`GET /healthz` over HTTP on port 80 expecting 200, now gets 301, and marks every target
unhealthy; the Auto Scaling group uses ELB health checks, so it terminates the "unhealthy"
instances one after another and launches new ones that pull the same config and fail too.
Loud: 502 and 503 at the ALB during the churn, too few targets. Decoys: a php-fpm busy-pool
warning, an RDS CPU alarm, an ACM renewal notice."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from records import NginxAccess, NginxError, Record
from scenes import at, fixed, loud
from traffic import http_access, traffic

SYD = ZoneInfo("Australia/Sydney")
START = datetime(2026, 9, 8, 13, 0, tzinfo=SYD)
MINUTES = 120.0
PUSH = 21.0
TG = "arn:aws:elasticloadbalancing:ap-southeast-2:481516234200:targetgroup/tg-shopweb-80/9c2e41d07ab35f18"


@dataclass
class AlbLog:
    """AWS Application Load Balancer access log entry (UTC, space separated)."""

    rng: random.Random

    def render(self, record: Record) -> list[str]:
        stamp = (
            record.time.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.")
            + f"{record.time.microsecond:06d}Z"
        )
        client = f"{self.rng.choice([49, 101, 120, 203])}.{self.rng.randrange(256)}.{self.rng.randrange(256)}.{self.rng.randrange(1, 255)}:{self.rng.randrange(1024, 65535)}"
        trace = f"Root=1-{int(record.time.timestamp()):08x}-{self.rng.getrandbits(96):024x}"
        return [
            f"https {stamp} app/shop-alb/7f3c0e21a9d4b6c1 {client} {record.message.replace('TRACE', trace).replace('TGARN', TG)}"
        ]


def alb_ok(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
    path = r.choice(
        ["/", "/cart", "/product/{id}", "/search?q=shoes", "/checkout", "/static/app.{id}.js"]
    ).replace("{id}", str(r.randrange(10**5)))
    target = f"10.20.{r.randrange(1, 4)}.{r.randrange(10, 60)}:80"
    code = r.choices([200, 200, 302, 304, 404], [60, 20, 8, 8, 4])[0]
    took = r.lognormvariate(0, 0.5) * 0.06
    return (
        "INFO",
        f'{target} 0.000 {took:.3f} 0.000 {code} {code} {r.randrange(200, 900)} {r.randrange(300, 40000)} "GET https://shop.koalagear.com.au:443{path} HTTP/2.0" "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X)" TLS_AES_128_GCM_SHA256 TLSv1.3 TGARN "TRACE" "shop.koalagear.com.au" "session-reused" 0 - "forward" "-" "-" "{target}" "{code}" "-" "-"',
        (),
    )


def alb_fail(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
    path = r.choice(["/", "/cart", "/checkout", "/product/" + str(r.randrange(10**5))])
    if r.random() < 0.55:
        return (
            "INFO",
            f'- -1 -1 -1 503 - {r.randrange(200, 900)} 345 "GET https://shop.koalagear.com.au:443{path} HTTP/2.0" "Mozilla/5.0 (Windows NT 10.0; Win64; x64)" TLS_AES_128_GCM_SHA256 TLSv1.3 TGARN "TRACE" "shop.koalagear.com.au" "session-reused" 0 - "forward" "-" "-" "-" "-" "-" "-"',
            (),
        )
    target = f"10.20.{r.randrange(1, 4)}.{r.randrange(10, 60)}:80"
    return (
        "INFO",
        f'{target} 0.000 -1 -1 502 - {r.randrange(200, 900)} 277 "GET https://shop.koalagear.com.au:443{path} HTTP/2.0" "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5)" TLS_AES_128_GCM_SHA256 TLSv1.3 TGARN "TRACE" "shop.koalagear.com.au" "session-reused" 0 - "forward" "-" "-" "{target}" "-" "-" "-"',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(39206)
    alb = LogFile(
        "alb-logs/481516234200_elasticloadbalancing_ap-southeast-2_app.shop-alb.log", AlbLog(rng)
    )
    alb.add(traffic(rng, alb_ok, START, MINUTES, 4800))
    alb.add(loud(rng, START, PUSH + 9, MINUTES - PUSH - 10, 900, alb_fail))
    access = LogFile("logs/shopweb-i-0b71c3e5-access.log", NginxAccess(rng, SYD))
    access.add(
        traffic(
            rng,
            http_access(["/", "/cart", "/product/{id}", "/checkout", "/search"], 50),
            START,
            MINUTES,
            2600,
        )
    )
    access.add(
        loud(
            rng,
            START,
            0,
            PUSH,
            int(PUSH * 12),
            fixed(
                "INFO", lambda r: '"GET /healthz HTTP/1.1" 200 2 "-" "ELB-HealthChecker/2.0" 0.001'
            ),
        )
    )
    access.add(
        loud(
            rng,
            START,
            PUSH + 0.05,
            MINUTES - PUSH - 0.1,
            int((MINUTES - PUSH) * 12),
            fixed(
                "INFO",
                lambda r: '"GET /healthz HTTP/1.1" 301 169 "-" "ELB-HealthChecker/2.0" 0.000',
            ),
        )
    )
    error = LogFile("logs/shopweb-i-0b71c3e5-error.log", NginxError(rng))
    error.add(
        [
            at(START, PUSH, "INFO", "signal process started"),
            at(
                START,
                47.0,
                "WARN",
                "[pool www] seems busy (you may need to increase pm.start_servers, or pm.min/max_spare_servers), spawning 8 children, there are 0 idle, and 11 total children",
            ),
        ]
    )
    error.add(
        loud(
            rng,
            START,
            0,
            MINUTES,
            40,
            fixed(
                "WARN",
                lambda r: (
                    f'open() "/var/www/shop/public/favicon-{r.randrange(16, 256)}.png" failed (2: No such file or directory), client: 10.20.{r.randrange(1, 4)}.{r.randrange(2, 9)}, server: shop.koalagear.com.au, request: "GET /favicon-{r.randrange(16, 256)}.png HTTP/1.1"'
                ),
            ),
        )
    )
    push_at = START + timedelta(minutes=PUSH)
    deploy = "\n".join(
        [
            f'[{(push_at - timedelta(seconds=40)).strftime("%Y-%m-%d %H:%M:%S")} AEST] salt-run state.orch orch.shopweb-nginx pillar=\'{{"change": "SEC-771"}}\'',
            "shopweb_nginx_conf:",
            "    ----------",
            "          ID: /etc/nginx/conf.d/shop.conf",
            "    Function: file.managed",
            "      Result: True",
            "     Comment: File /etc/nginx/conf.d/shop.conf updated",
            "     Changes:",
            "              ----------",
            "              diff:",
            "                  ---",
            "                  +++",
            "                  @@ -1,9 +1,13 @@",
            "                   server {",
            "                       listen 80 default_server;",
            "                       server_name shop.koalagear.com.au;",
            "                  +    # SEC-771 force HTTPS everywhere",
            '                  +    if ($http_x_forwarded_proto != "https") {',
            "                  +        return 301 https://$host$request_uri;",
            "                  +    }",
            "                       location = /healthz {",
            "                           return 200 'ok';",
            "                       }",
            "                       location / {",
            "                           proxy_pass http://127.0.0.1:8080;",
            "          ID: nginx",
            "    Function: service.running",
            "      Result: True",
            "     Comment: Service reloaded",
            "Summary for shopweb (4 minions): Succeeded: 8 (changed=8) Failed: 0",
            "",
            "Note from change ticket SEC-771: TLS terminates at the ALB (listener 443 -> target group tg-shopweb-80, HTTP:80).",
            "",
        ]
    )
    aws = "\n".join(
        [
            "$ aws elbv2 describe-target-health --target-group-arn "
            + TG
            + " --query 'TargetHealthDescriptions[].[Target.Id,TargetHealth.State,TargetHealth.Reason,TargetHealth.Description]' --output text",
            "i-0b71c3e5d2a9f4410\tunhealthy\tTarget.ResponseCodeMismatch\tHealth checks failed with these codes: [301]",
            "i-04e9a1bb73c6d0e21\tdraining\tTarget.DeregistrationInProgress\tTarget deregistration is in progress",
            "i-0c2f8d61e0b5a7734\tinitial\tElb.RegistrationInProgress\tTarget registration is in progress",
            "i-09d3e7a4c1f2b8065\tunhealthy\tTarget.ResponseCodeMismatch\tHealth checks failed with these codes: [301]",
            "",
            "$ aws elbv2 describe-target-groups --names tg-shopweb-80 --query 'TargetGroups[0].[HealthCheckProtocol,HealthCheckPort,HealthCheckPath,Matcher.HttpCode,HealthyThresholdCount,UnhealthyThresholdCount]' --output text",
            "HTTP\ttraffic-port\t/healthz\t200\t3\t2",
            "",
            "$ aws autoscaling describe-scaling-activities --auto-scaling-group-name asg-shopweb --max-items 6 --query 'Activities[].[StartTime,Description,Cause]' --output text",
            "2026-09-08T04:41:17Z\tLaunching a new EC2 instance: i-0c2f8d61e0b5a7734\tAt 2026-09-08T04:41:10Z an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 3 to 4.",
            "2026-09-08T04:40:52Z\tTerminating EC2 instance: i-04e9a1bb73c6d0e21\tAt 2026-09-08T04:40:52Z an instance was taken out of service in response to an ELB system health check failure.",
            "2026-09-08T04:12:30Z\tLaunching a new EC2 instance: i-09d3e7a4c1f2b8065\tAt 2026-09-08T04:12:24Z an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 3 to 4.",
            "2026-09-08T04:11:58Z\tTerminating EC2 instance: i-0e51f0c2b9a4d7316\tAt 2026-09-08T04:11:58Z an instance was taken out of service in response to an ELB system health check failure.",
            "2026-09-08T03:37:05Z\tLaunching a new EC2 instance: i-0ab3c9e27d51f6088\tAt 2026-09-08T03:36:59Z an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 3 to 4.",
            "2026-09-08T03:36:40Z\tTerminating EC2 instance: i-07f2d5b8e1c3a9402\tAt 2026-09-08T03:36:40Z an instance was taken out of service in response to an ELB system health check failure.",
            "",
            "CloudWatch alarms in ALARM: rds-shop-prod-cpu (CPUUtilization 71% > 70%), since 13:52 AEST",
            "ACM: certificate for shop.koalagear.com.au renewal pending validation (expires in 41 days)",
            "",
        ]
    )
    return Bundle(
        question="The shop has been throwing 502/503 errors on and off since about 13:30 AEST and the Auto Scaling group keeps replacing instances. What is the root cause?",
        category="configuration",
        component="shopweb",
        statement="The SEC-771 config push at 13:21 AEST made nginx on the shopweb hosts redirect (301) every port-80 request without X-Forwarded-Proto: https, which includes the ALB's GET /healthz checks; the target group expects 200, marks all targets unhealthy, and the ASG's ELB health checks terminate and replace the instances in a loop, causing 502/503s.",
        files={
            "salt-orch-SEC-771.txt": deploy,
            "aws-cli.txt": aws,
            "alb-logs/481516234200_elasticloadbalancing_ap-southeast-2_app.shop-alb.log": alb.render(),
            "logs/shopweb-i-0b71c3e5-access.log": access.render(),
            "logs/shopweb-i-0b71c3e5-error.log": error.render(),
        },
        proofs=[
            Proof(
                "salt-orch-SEC-771.txt", "+    if ($http_x_forwarded_proto", "return 301 https://"
            ),
            Proof("aws-cli.txt", "i-0b71c3e5d2a9f4410\tunhealthy"),
            Proof("aws-cli.txt", "HTTP\ttraffic-port\t/healthz\t200"),
        ],
        decoys=[
            "[pool www] seems busy",
            "rds-shop-prod-cpu",
            "renewal pending validation",
        ],
    )
