# ruff: noqa: E501
# Hand-written ALB access log lines, application lines and pasted AWS CLI output are data, kept whole on one line.
"""Load balancer, a keep-alive race: profile-api 2.14.0 (16:28 UTC) drops the nginx sidecar that
sat between the ALB and Node (nginx `keepalive_timeout 75s`) and serves the ALB directly from
Node's http server with its default 5 s keepAliveTimeout, while the ALB's idle timeout is 60 s. The
ALB reuses idle connections that Node has just closed; a small share of requests get 502 with no
target response (-1 target times), at random and more often in quiet minutes. Loud: the ALB's
502s and mobile clients' retries. Decoys: 504s from the slow export endpoint on another target
group, a MongoDB slow query warning and a scale-in deregistration."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import Pino, Record
from scenes import at
from traffic import traffic, web_api

START = datetime(2025, 8, 14, 15, 40, tzinfo=UTC)
MINUTES = 180.0
RELEASE = 48.0
ALB = "app/prod-public-alb/7a2e4c19d0b3f581"
TG_PROFILE = "arn:aws:elasticloadbalancing:us-west-2:402211870033:targetgroup/profile-api-tg/2f0b9a1c44d7e613"
TG_EXPORT = (
    "arn:aws:elasticloadbalancing:us-west-2:402211870033:targetgroup/export-tg/88c1d0e2a9f4b750"
)
PROFILE_TARGETS = ["10.20.3.14:8080", "10.20.4.77:8080", "10.20.5.31:8080"]


@dataclass
class AlbLog:
    """AWS ALB access log entries; the record's message is the part after the ALB name."""

    def render(self, record: Record) -> list[str]:
        stamp = record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond:06d}Z"
        return [f"https {stamp} {ALB} {record.message}"]


def request(r: random.Random, status: int | None = None, target: str | None = None) -> str:
    client = f"{r.choice(['73', '98', '174', '24'])}.{r.randrange(256)}.{r.randrange(256)}.{r.randrange(1, 255)}:{r.randrange(1024, 65535)}"
    export = status is None and r.random() < 0.08
    path = (
        f"/v1/exports/{r.randrange(10**5)}"
        if export
        else r.choice(
            [
                f"/v1/profile/{r.randrange(10**7)}",
                "/v1/profile/me",
                f"/v1/profile/{r.randrange(10**7)}/avatar",
                "/v1/profile/me/preferences",
            ]
        )
    )
    tg = TG_EXPORT if export else TG_PROFILE
    host = target or (
        f"10.20.7.{r.randrange(10, 14)}:9000" if export else r.choice(PROFILE_TARGETS)
    )
    agent = r.choice(
        [
            "okhttp/4.12.0",
            "ProfileApp/7.3.1 CFNetwork/1494.0.7 Darwin/23.4.0",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15",
        ]
    )
    trace = f"Root=1-{r.getrandbits(32):08x}-{r.getrandbits(96):024x}"
    if status == 502:
        times, codes, target_code = "0.000 -1 -1", "502 -", "-"
    else:
        code = 200 if r.random() < 0.96 else r.choice([304, 404, 401])
        target_time = r.uniform(0.004, 0.09) if not export else r.uniform(0.4, 8)
        times, codes, target_code = f"0.000 {target_time:.3f} 0.000", f"{code} {code}", str(code)
    method = "GET" if r.random() < 0.8 else "PUT"
    return f'{client} {host} {times} {codes} {r.randrange(200, 900)} {272 if status == 502 else r.randrange(200, 9000)} "{method} https://api.lumenapp.io:443{path} HTTP/1.1" "{agent}" TLS_AES_128_GCM_SHA256 TLSv1.3 {tg} "{trace}" "api.lumenapp.io" "arn:aws:acm:us-west-2:402211870033:certificate/5e1d2c7a-91f0-4b38-a6e2-0c7d9b18f4a3" 1 2025-08-14T00:00:00.000000Z "forward" "-" "-" "{host}" "{target_code}" "-" "-"'


def bundle() -> Bundle:
    rng = random.Random(30231)
    alb = LogFile("aws/alb-access-2025-08-14.log", AlbLog())
    alb.add(traffic(rng, lambda r: ("INFO", request(r), ()), START, MINUTES, 6800))
    alb.add(
        traffic(
            rng,
            lambda r: ("INFO", request(r, 502), ()),
            START.replace(hour=16, minute=29),
            MINUTES - RELEASE - 2,
            120,
        )
    )
    alb.add(
        [
            at(
                START,
                22.0,
                "INFO",
                f'98.41.7.203:52114 10.20.7.11:9000 0.000 60.001 -1 504 - 412 202 "GET https://api.lumenapp.io:443/v1/exports/48211 HTTP/1.1" "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15" TLS_AES_128_GCM_SHA256 TLSv1.3 {TG_EXPORT} "Root=1-689e0a61-3f1c0b9d2e77a4c18b05e6d2" "api.lumenapp.io" "arn:aws:acm:us-west-2:402211870033:certificate/5e1d2c7a-91f0-4b38-a6e2-0c7d9b18f4a3" 1 2025-08-14T00:00:00.000000Z "forward" "-" "-" "10.20.7.11:9000" "-" "-" "-"',
            ),
        ]
    )
    alb.records = [
        Record(
            rec.time,
            rec.level,
            rec.message.replace(
                "2025-08-14T00:00:00.000000Z",
                rec.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{rec.time.microsecond:06d}Z",
            ),
            rec.trailer,
            rec.logger,
        )
        for rec in alb.records
    ]

    app = LogFile("logs/profile-api-10.20.3.14.log", Pino("ip-10-20-3-14", rng))
    app.add(
        traffic(
            rng, web_api("profile-api", ["profile", "avatar", "preferences"]), START, MINUTES, 3300
        )
    )
    app.add(
        [
            at(START, RELEASE - 0.5, "INFO", "SIGTERM received, draining (sidecar nginx stopping)"),
            at(
                START,
                RELEASE,
                "INFO",
                "profile-api 2.14.0 starting (node v20.15.1, NODE_ENV=production)",
            ),
            at(
                START,
                RELEASE + 0.05,
                "INFO",
                "HTTP server listening on 0.0.0.0:8080 (keepAliveTimeout=5000ms headersTimeout=60000ms requestTimeout=300000ms)",
            ),
            at(
                START,
                71.0,
                "WARN",
                'mongodb slow query 812ms: profiles.find({ "prefs.locale": "pt-BR" }) planSummary: COLLSCAN',
            ),
        ]
    )

    pasted = "\n".join(
        [
            "$ aws elbv2 describe-load-balancer-attributes --load-balancer-arn arn:aws:elasticloadbalancing:us-west-2:402211870033:loadbalancer/app/prod-public-alb/7a2e4c19d0b3f581 --query 'Attributes[?starts_with(Key, `idle`) || starts_with(Key, `routing.http`)]' --output table",
            "-----------------------------------------------------------------------",
            "|                 DescribeLoadBalancerAttributes                      |",
            "+-----------------------------------------------------+---------------+",
            "|                         Key                         |     Value     |",
            "+-----------------------------------------------------+---------------+",
            "|  idle_timeout.timeout_seconds                       |  60           |",
            "|  routing.http.drop_invalid_header_fields.enabled    |  true         |",
            "|  routing.http.desync_mitigation_mode                |  defensive    |",
            "|  routing.http.preserve_host_header.enabled          |  false        |",
            "+-----------------------------------------------------+---------------+",
            "$ aws elbv2 describe-target-health --target-group-arn "
            + TG_PROFILE
            + " --query 'TargetHealthDescriptions[].[Target.Id,Target.Port,TargetHealth.State]' --output text",
            "10.20.3.14\t8080\thealthy",
            "10.20.4.77\t8080\thealthy",
            "10.20.5.31\t8080\thealthy",
            "$ aws cloudwatch get-metric-statistics --namespace AWS/ApplicationELB --metric-name HTTPCode_ELB_502_Count --dimensions Name=LoadBalancer,Value=app/prod-public-alb/7a2e4c19d0b3f581 --start-time 2025-08-14T15:00:00Z --end-time 2025-08-14T18:40:00Z --period 1800 --statistics Sum --output text",
            "DATAPOINTS\t0.0\t2025-08-14T15:00:00+00:00\tCount",
            "DATAPOINTS\t0.0\t2025-08-14T15:30:00+00:00\tCount",
            "DATAPOINTS\t17.0\t2025-08-14T16:00:00+00:00\tCount",
            "DATAPOINTS\t22.0\t2025-08-14T16:30:00+00:00\tCount",
            "DATAPOINTS\t19.0\t2025-08-14T17:00:00+00:00\tCount",
            "DATAPOINTS\t24.0\t2025-08-14T17:30:00+00:00\tCount",
            "DATAPOINTS\t21.0\t2025-08-14T18:00:00+00:00\tCount",
            "DATAPOINTS\t17.0\t2025-08-14T18:30:00+00:00\tCount",
            "$ aws autoscaling describe-scaling-activities --auto-scaling-group-name export-workers --max-items 1 --query 'Activities[].Description' --output text",
            "Terminating EC2 instance: i-0c4be19a27d5f3e80",
            "",
        ]
    )
    notes = "\n".join(
        [
            "## API 502s (Thu 14 Aug, written 11:45 PDT)",
            "",
            "- Mobile team reports random 502s on profile calls since ~09:30 PDT; retries succeed. ~0.5% of profile requests.",
            "- 09:28 PDT: profile-api 2.14.0 rolled out (CHG-9012: remove nginx sidecar from the task definition, Node serves the ALB directly; nginx had keepalive_timeout 75s).",
            "- Targets all healthy, CPU < 25%, no restarts, no errors in profile-api's log for the failing requests.",
            "- export-tg had one 504 at 09:02 PDT (a 60 s export), known slow endpoint, ticket EXP-311.",
            "- export-workers ASG scaled in at 10:15 PDT.",
            "",
        ]
    )
    return Bundle(
        question="Since this morning about 0.5% of profile API calls get a 502 from the load balancer, randomly; retries work. What is the root cause?",
        category="configuration",
        component="profile-api",
        statement="profile-api 2.14.0 removed the nginx sidecar, so the ALB (idle timeout 60 s) now keeps connections to Node, whose http server closes idle keep-alive connections after 5 s (keepAliveTimeout=5000ms); the ALB sends requests on connections Node has just closed and answers 502 with no target response.",
        files={
            "notes.md": notes,
            "aws-cli.txt": pasted,
            "aws/alb-access-2025-08-14.log": alb.render(),
            "logs/profile-api-10.20.3.14.log": app.render(),
        },
        proofs=[
            Proof("logs/profile-api-10.20.3.14.log", "keepAliveTimeout=5000ms"),
            Proof("aws-cli.txt", "idle_timeout.timeout_seconds"),
        ],
        decoys=["0.000 60.001 -1 504 -", "mongodb slow query 812ms", "Terminating EC2 instance"],
    )
