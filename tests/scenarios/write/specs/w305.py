# ruff: noqa: E501
# Hand-written application lines, flow log records and CloudWatch series are data, kept whole on one line.
"""Cloud networking, NAT gateway ports to one destination used up: feed-crawler 0.9.0, released
at 20:55 AEST (10:55 UTC) in the private subnets behind natgw-prod-b, fetches marketplace product
feeds with 3000 concurrent workers and keep-alive off, opening a new connection per request to
the marketplace API's two addresses. The NAT gateway allows about 55,000 concurrent connections
per destination; from 21:08 AEST ErrorPortAllocation climbs and new connections to the marketplace
from every service behind it fail, including orders-sync's order pushes (connect timeouts).
Loud: orders-sync's timeouts and unsynced orders. Decoys: a marketplace status notice about EU
latency, a one-off 429 from the marketplace, and a security group change on another subnet."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from metrics import csv_text, shift, steady
from records import Logfmt, Record, Zap
from scenes import at, fixed, loud
from traffic import traffic

START = datetime(2025, 7, 9, 10, 20, tzinfo=UTC)
MINUTES = 120.0
RELEASE = 35.0
EXHAUST = 48.0
MARKET = ["52.64.118.21", "52.64.119.207"]


class FlowLog:
    """VPC flow log records, version 2, as delivered to S3 (one space-separated record per line)."""

    def render(self, record: Record) -> list[str]:
        return [record.message]


def flow(r: random.Random, start: datetime, crawler: bool) -> str:
    begin = int(start.timestamp()) + r.randrange(0, int(MINUTES * 60))
    if crawler:
        src, dst, port = f"10.30.129.{r.randrange(10, 40)}", r.choice(MARKET), 443
    else:
        src, dst, port = (
            f"10.30.{r.choice([128, 129, 130])}.{r.randrange(10, 250)}",
            r.choice([*MARKET, "13.54.21.9", "3.105.7.118", "54.79.30.2"]),
            443,
        )
    packets = r.randrange(4, 60)
    return f"2 402211870033 eni-0b9e4a15a7f3b0c21 {src} {dst} {r.randrange(32768, 60999)} {port} 6 {packets} {packets * r.randrange(60, 900)} {begin} {begin + 60} ACCEPT OK"


def bundle() -> Bundle:
    rng = random.Random(30533)
    flows = LogFile("aws/vpc-flowlogs-natgw-prod-b-eni.log", FlowLog())
    release = START + timedelta(minutes=RELEASE)
    records = []
    for _ in range(1400):
        records.append(Record(START, "INFO", flow(rng, START, False)))
    for _ in range(2600):
        records.append(Record(START, "INFO", flow(rng, release, True)))
    records = [
        Record(
            START + timedelta(seconds=int(rec.message.split()[10]) - int(START.timestamp())),
            "INFO",
            rec.message,
        )
        for rec in records
    ]
    flows.records = [rec for rec in records if rec.time < START + timedelta(minutes=MINUTES)]
    flows.records.insert(
        0,
        Record(
            START - timedelta(seconds=1),
            "INFO",
            "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status",
        ),
    )

    crawler = LogFile("logs/feed-crawler.log", Logfmt("feed-crawler", rng))
    crawler.add(
        [
            at(
                START,
                RELEASE,
                "INFO",
                "feed-crawler 0.9.0 starting region=ap-southeast-2 subnet=subnet-0c41prod-b",
            ),
            at(
                START,
                RELEASE + 0.05,
                "INFO",
                "http client: workers=3000 keepalive=false max_idle_conns=0 dial_timeout=10s target=https://api.shopmarket.com.au",
            ),
        ]
    )
    crawler.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"fetched feed seller={r.randrange(10**5)} page={r.randrange(1, 400)} items={r.randrange(20, 200)} status=200 duration={r.randrange(80, 900)}ms",
                (),
            ),
            START + timedelta(minutes=RELEASE + 0.2),
            EXHAUST - RELEASE,
            900,
        )
    )
    crawler.add(
        loud(
            rng,
            START,
            EXHAUST,
            MINUTES - EXHAUST - 1,
            500,
            fixed(
                "WARN",
                lambda r: (
                    f'fetch failed seller={r.randrange(10**5)} page={r.randrange(1, 400)} err="dial tcp {r.choice(MARKET)}:443: i/o timeout" retry_in=2s'
                ),
            ),
        )
    )
    crawler.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"fetched feed seller={r.randrange(10**5)} page={r.randrange(1, 400)} items={r.randrange(20, 200)} status=200 duration={r.randrange(300, 4000)}ms",
                (),
            ),
            START + timedelta(minutes=EXHAUST),
            MINUTES - EXHAUST - 1,
            700,
        )
    )

    sync = LogFile(
        "logs/orders-sync.log",
        Zap(("sync/push.go:118", "sync/poll.go:64", "sync/ledger.go:201", "market/client.go:87")),
    )
    sync.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                r.choice(
                    [
                        f"pushed order MKT-{r.randrange(10**7, 10**8)} status=201 latency={r.randrange(90, 600)}ms",
                        f"poll: {r.randrange(0, 30)} new orders from store db",
                        f"ledger: {r.randrange(1, 40)} orders marked synced",
                    ]
                ),
                (),
            ),
            START,
            MINUTES,
            2800,
        )
    )
    sync.add(
        loud(
            rng,
            START,
            EXHAUST + 0.3,
            MINUTES - EXHAUST - 2,
            650,
            fixed(
                "ERROR",
                lambda r: (
                    f'push order MKT-{r.randrange(10**7, 10**8)} failed: Post "https://api.shopmarket.com.au/v3/orders": dial tcp {r.choice(MARKET)}:443: connect: connection timed out'
                ),
            ),
        )
    )
    sync.add(
        [
            at(
                START,
                14.0,
                "WARN",
                "push order MKT-40912277 got 429 Too Many Requests (Retry-After: 2), retried ok",
            ),
            at(START, 90.0, "WARN", f"backlog: {1843} orders waiting to be pushed (oldest 42m)"),
        ]
    )

    points = int(MINUTES)
    series = {
        "natgw_prod_b_ActiveConnectionCount": shift(rng, 9200, 111000, int(RELEASE) + 1, 0.03, 12),
        "natgw_prod_b_ConnectionEstablishedCount": shift(
            rng, 5200, 31000, int(RELEASE) + 1, 0.08, 6
        ),
        "natgw_prod_b_ErrorPortAllocation": shift(rng, 0, 8400, int(EXHAUST), 0.15, 3),
        "natgw_prod_b_PacketsDropCount": steady(rng, 3, 0.6),
        "natgw_prod_b_IdleTimeoutCount": steady(rng, 120, 0.2),
        "natgw_prod_b_BytesOutToDestination_MB": shift(rng, 210, 640, int(RELEASE) + 1, 0.08, 6),
        "natgw_prod_a_ErrorPortAllocation": shift(rng, 0, 0, 0, 0.0),
        "natgw_prod_a_ActiveConnectionCount": steady(rng, 8800, 0.04),
    }
    cloudwatch = csv_text(START, 60, points, series, decimals=0)

    notes = "\n".join(
        [
            "## orders not reaching the marketplace — Wed 9 Jul, 22:05 AEST",
            "",
            "- orders-sync (subnets prod-b) can't push orders to api.shopmarket.com.au since ~21:08 AEST; connect timeouts. curl from the office works fine.",
            "- shopmarket status page: 'Elevated latency for EU sellers' since 19:30 AEST. We are AU-only.",
            "- NET-2210 at 20:40 AEST: security group sg-0a11 (bastion, subnet prod-c) tightened, SSH only from VPN.",
            "- Nothing deployed on orders-sync since Monday. Other releases tonight: feed-crawler 0.9.0 (new, 20:55 AEST).",
            "- aws/ holds the NAT gateway ENI's flow logs (20:20-22:20 AEST) and metrics/ the CloudWatch export (per minute).",
            "",
        ]
    )
    return Bundle(
        question="orders-sync can't push orders to the marketplace API since about 21:08 AEST (connect timeouts), but it works from the office. What is the root cause?",
        category="network",
        component="feed-crawler",
        statement="feed-crawler 0.9.0 (20:55 AEST) opens a new connection per request with 3000 workers and keep-alive off to the marketplace API through natgw-prod-b, using up the NAT gateway's ports for those destinations (ErrorPortAllocation from 21:08), so orders-sync's new connections to the same API time out.",
        files={
            "notes.md": notes,
            "metrics/cloudwatch-nat.csv": cloudwatch,
            "aws/vpc-flowlogs-natgw-prod-b-eni.log": flows.render(),
            "logs/feed-crawler.log": crawler.render(),
            "logs/orders-sync.log": sync.render(),
        },
        proofs=[
            Proof("logs/feed-crawler.log", "workers=3000 keepalive=false"),
        ],
        decoys=["Elevated latency for EU sellers", "429 Too Many Requests", "NET-2210"],
    )
