# ruff: noqa: E501
# Hand-written log lines, ALB records, pasted shell output and series definitions are data, kept whole on one line.
"""CPU credits: geo-api-2 is a t3.xlarge in `standard` credit mode (baseline 40% of its 4
vCPUs). It also runs the nightly tile re-index from cron, which this week took over five hours
(new OSM extract) instead of two and drained its CPU credit balance; at about 09:20 UTC the
balance reaches 0 and the hypervisor holds the instance at its baseline. CPUUtilization flattens
at 40%, `vmstat` shows 55-60% steal, and geo-api-2's request latency climbs from 40 ms to
seconds; the ALB times out requests routed to it (504) and marks it unhealthy now and then. Its
twins geo-api-1 and geo-api-3 are fine. Decoys: the geo-api 1.18.3 deploy at 08:30 on all three
hosts, Redis `latency spike` warnings in the app log, and the ALB's HealthyHostCount alert."""

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from metrics import csv_text, shift, steady
from records import Logfmt, Record
from scenes import at, fixed, loud
from traffic import Line, traffic

START = datetime(2025, 4, 14, 8, 0, tzinfo=UTC)
EMPTY = datetime(2025, 4, 14, 9, 20, tzinfo=UTC)
END = datetime(2025, 4, 14, 10, 10, tzinfo=UTC)
TARGETS = {"geo-api-1": "10.30.1.41", "geo-api-2": "10.30.2.17", "geo-api-3": "10.30.3.62"}


@dataclass
class AlbLog:
    """AWS ALB access log entries (the record's message holds the part after the time)."""

    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def render(self, record: Record) -> list[str]:
        stamp = record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond:06d}Z"
        return [f"https {stamp} app/geo-public/5c2f9e1a7b3d4c60 {record.message}"]


def alb_entry(rng: random.Random, target: str, seconds: float, elb: int, status: str) -> str:
    client = f"{rng.choice(['31.', '46.', '79.', '185.'])}{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}:{rng.randrange(30000, 65000)}"
    path = rng.choice(
        ["/v2/geocode?q=", "/v2/reverse?lat=", "/v2/tiles/14/", "/v2/route?from="]
    ) + str(rng.randrange(10**6))
    trace = f"Root=1-{rng.getrandbits(32):08x}-{rng.getrandbits(96):024x}"
    target_part = f"{TARGETS[target]}:8080" if target else "-"
    processing = f"{seconds:.3f} 0.000" if elb != 504 else "-1 -1"
    sent = rng.randrange(300, 40000) if elb == 200 else 0
    return f'{client} {target_part} 0.000 {processing} {elb} {status} {rng.randrange(200, 900)} {sent} "GET https://geo.kartwerk.io:443{path} HTTP/2.0" "{rng.choice(["okhttp/4.12.0", "Kartwerk-iOS/5.2 CFNetwork/1496.0.7", "Mozilla/5.0 (X11; Linux x86_64)"])}" TLS_AES_128_GCM_SHA256 TLSv1.3 arn:aws:elasticloadbalancing:eu-central-1:413920177120:targetgroup/geo-api/8d1c7e2f3a4b5c6d "{trace}" "geo.kartwerk.io" "arn:aws:acm:eu-central-1:413920177120:certificate/0f4e2a9c-1b7d-4e3a-9c8f-2d6b5a4e3f21" 0 {record_time_placeholder()} "forward" "-" "-" "{target_part}" "{status}" "-" "-"'


def record_time_placeholder() -> str:
    return "@CREATED@"


def app_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.65:
        return (
            "INFO",
            f"request done method=GET path={rng.choice(['/v2/geocode', '/v2/reverse', '/v2/tiles', '/v2/route'])} status=200 dur={max(3, int(rng.lognormvariate(0, 0.5) * 40))}ms",
            (),
        )
    if roll < 0.85:
        return (
            "DEBUG",
            f"tile cache hit z=14 x={rng.randrange(8000, 9000)} y={rng.randrange(5000, 6000)}",
            (),
        )
    if roll < 0.97:
        return (
            "INFO",
            f"pg pool stats open={rng.randrange(8, 20)} in_use={rng.randrange(0, 6)} idle={rng.randrange(4, 14)}",
            (),
        )
    return (
        "WARN",
        f"redis latency spike cmd=GET took={rng.randrange(60, 180)}ms key=tile:{rng.randrange(10**6)}",
        (),
    )


def slow_line(rng: random.Random) -> Line:
    return (
        "WARN",
        f"request done method=GET path={rng.choice(['/v2/geocode', '/v2/reverse', '/v2/tiles', '/v2/route'])} status=200 dur={rng.randrange(1800, 14000)}ms slow=true",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(1185)
    total = (END - START).total_seconds() / 60
    empty = (EMPTY - START).total_seconds() / 60

    app = LogFile("logs/geo-api-2.log", Logfmt("geo-api", rng=rng))
    app.add(traffic(rng, app_line, START, empty, 1900))
    app.add(traffic(rng, app_line, EMPTY, total - empty, 500))
    app.add(loud(rng, START, empty + 1, total - empty - 1.5, 820, slow_line))
    app.add(
        loud(
            rng,
            START,
            empty + 6,
            total - empty - 7,
            140,
            fixed(
                "ERROR",
                lambda r: (
                    f'request canceled method=GET path=/v2/route status=499 dur={r.randrange(9000, 10000)}ms err="context canceled"'
                ),
            ),
        )
    )
    app.add(
        [
            at(START, 30.0, "INFO", "shutting down: signal=terminated"),
            at(
                START,
                30.2,
                "INFO",
                "geo-api starting version=1.18.3 commit=e71b4a0 go=go1.23.4 GOMAXPROCS=4",
            ),
            at(START, 30.3, "INFO", "listening addr=:8080"),
        ]
    )

    alb = LogFile("alb-access.log", AlbLog(rng=rng))
    raw: list[Record] = []
    for record in traffic(rng, lambda r: ("INFO", "", ()), START, total, 5200):
        target = rng.choice(list(TARGETS))
        degraded = target == "geo-api-2" and record.time >= EMPTY + timedelta(minutes=1)
        if degraded and rng.random() < 0.35:
            raw.append(Record(record.time, "ERROR", alb_entry(rng, target, 10.0, 504, "-")))
        elif degraded:
            raw.append(
                Record(
                    record.time, "INFO", alb_entry(rng, target, rng.uniform(1.8, 9.5), 200, "200")
                )
            )
        else:
            raw.append(
                Record(
                    record.time,
                    "INFO",
                    alb_entry(
                        rng, target, max(0.003, rng.lognormvariate(0, 0.5) * 0.04), 200, "200"
                    ),
                )
            )
    for record in raw:
        created = record.time - timedelta(milliseconds=rng.randrange(1, 40))
        stamp = created.strftime("%Y-%m-%dT%H:%M:%S.") + f"{created.microsecond:06d}Z"
        alb.add([Record(record.time, record.level, record.message.replace("@CREATED@", stamp))])

    index = int(empty / 5)
    metrics = csv_text(
        START,
        300,
        int(total / 5) + 1,
        {
            "geo-api-1_CPUCreditBalance": steady(rng, 2110, 0.01),
            "geo-api-2_CPUCreditBalance": shift(rng, 118, 0.0, 1, 0.0, ramp=index),
            "geo-api-3_CPUCreditBalance": steady(rng, 2240, 0.01),
            "geo-api-1_CPUUtilization": steady(rng, 31, 0.08),
            "geo-api-2_CPUUtilization": shift(rng, 47, 40.0, index + 1, 0.01),
            "geo-api-3_CPUUtilization": steady(rng, 29, 0.08),
            "geo-api-1_latency_p99_ms": steady(rng, 140, 0.1),
            "geo-api-2_latency_p99_ms": shift(rng, 150, 9400, index + 1, 0.08, ramp=3),
            "geo-api-3_latency_p99_ms": steady(rng, 135, 0.1),
            "alb_HealthyHostCount": shift(rng, 3, 2.4, index + 3, 0.0),
            "alb_HTTPCode_ELB_5XX_Count": shift(rng, 0.5, 310, index + 1, 0.2, ramp=2),
            "redis_tiles_latency_p99_ms": steady(rng, 3.1, 0.3),
        },
    )
    notes = "\n".join(
        [
            "geo.kartwerk.io slow / 504s - on-call notes, 10:05 UTC",
            "",
            "Alert: ALB geo-public HealthyHostCount < 3 (fired 09:31, flapping). Deployed geo-api 1.18.3 to all three hosts at 08:30 (only a dependency bump).",
            "",
            "ubuntu@geo-api-2:~$ vmstat 5 4",
            "procs -----------memory---------- ---swap-- -----io---- -system-- -------cpu-------",
            " r  b   swpd   free   buff  cache   si   so    bi    bo   in   cs us sy id wa st gu",
            " 9  0      0 6712320 210448 5820112    0    0     1    22 2104 4418 34  5  0  0 61  0",
            "11  0      0 6711204 210448 5820136    0    0     0    31 2066 4391 35  5  0  0 60  0",
            "10  0      0 6710882 210452 5820140    0    0     0    18 2091 4402 33  6  0  0 61  0",
            "12  0      0 6710514 210452 5820148    0    0     0    27 2110 4420 34  5  0  0 61  0",
            "",
            "ubuntu@geo-api-2:~$ grep -h reindex /var/log/syslog | tail -2",
            "Apr 14 01:00:01 geo-api-2 CRON[88121]: (tiles) CMD (/opt/tiles/bin/reindex --extract /data/osm/europe-latest.osm.pbf)",
            "Apr 14 06:14:37 geo-api-2 reindex[88123]: reindex finished: 41,208,772 tiles in 5h14m36s",
            "",
            "$ aws ec2 describe-instance-credit-specifications --instance-ids i-0a4c2e9f71b3d5e68 --output text",
            "INSTANCECREDITSPECIFICATIONS\tstandard\ti-0a4c2e9f71b3d5e68",
            "$ aws ec2 describe-instances --instance-ids i-0a4c2e9f71b3d5e68 --query 'Reservations[].Instances[].[InstanceType,Tags[?Key==`Name`].Value|[0]]' --output text",
            "t3.xlarge\tgeo-api-2",
            "",
            "Redis for tiles looks fine on its dashboard (p99 ~3 ms).",
            "",
        ]
    )
    files = {
        "notes.md": notes,
        "cloudwatch-5m.csv": metrics,
        "logs/geo-api-2.log": app.render(),
        "alb-access.log": alb.render(),
    }
    return Bundle(
        question="geo.kartwerk.io has been slow with intermittent 504s since about 09:20 UTC and the ALB keeps flapping a target. What is the root cause?",
        category="cpu",
        component="geo-api-2",
        statement="geo-api-2, a t3.xlarge in standard credit mode, drained its CPU credits with the five-hour nightly tile re-index; at about 09:20 UTC its CPUCreditBalance reaches 0 and it is held at its 40% baseline (about 60% steal), so its requests take seconds and the ALB times them out with 504.",
        files=files,
        proofs=[
            Proof("notes.md", " 9  0      0 6712320 210448 5820112", "12  0      0 6710514"),
            Proof("notes.md", "INSTANCECREDITSPECIFICATIONS\tstandard"),
        ],
        decoys=[
            "geo-api starting version=1.18.3",
            "redis latency spike",
            "HealthyHostCount < 3",
        ],
    )
