# ruff: noqa: E501
# Hand-written log lines, BMC output and series definitions are data, kept whole on one line.
"""Bare metal: a fan of render-bm-04 (one of six tile-render hosts behind HAProxy) stops at
06:38:50 UTC. Its CPU package heats up; from 06:41:22 the kernel logs thermal throttling and the
average clock falls from about 3.2 GHz to 1.1-1.4 GHz. Every tile rendered there takes three to
four times longer, HAProxy's least-connections balancing keeps sending it work, p99 of the map
API climbs to seconds and some requests to render-bm-04 hit the 5 s server timeout (504). The
evidence: HAProxy's log, per-host metrics, render-bm-04's kernel log, the BMC's event log, and
the on-call's notes. Decoys: the tile-render 5.3.1 rollout at 06:05 on every host, the kernel's
`perf: interrupt took too long` warning, smartd's pending-sector warning on render-bm-02, and
HAProxy's health-check flaps of render-bm-04 (a symptom)."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from metrics import csv_text, shift
from records import Record, Syslog3164
from scenes import at
from traffic import Line, traffic

START = datetime(2025, 11, 17, 5, 50, tzinfo=UTC)
FAN = datetime(2025, 11, 17, 6, 38, 50, tzinfo=UTC)
THROTTLE = datetime(2025, 11, 17, 6, 41, 22, tzinfo=UTC)
NOW = datetime(2025, 11, 17, 7, 20, tzinfo=UTC)
HOSTS = [f"render-bm-0{number}" for number in range(1, 7)]
SICK = "render-bm-04"
STEP = 30


class HaproxyLog:
    """HAProxy's HTTP log line under syslog; the record's message is everything after the date."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def render(self, record: Record) -> list[str]:
        rng = self.rng
        stamp = (
            record.time.strftime("%b ")
            + f"{record.time.day:2d}"
            + record.time.strftime(" %H:%M:%S")
        )
        accept = (
            record.time.strftime("%d/%b/%Y:%H:%M:%S.") + f"{record.time.microsecond // 1000:03d}"
        )
        if record.logger == "plain":
            return [f"{stamp} lb-01 haproxy[2231]: {record.message}"]
        client = f"100.{rng.randrange(64, 128)}.{rng.randrange(256)}.{rng.randrange(1, 255)}:{rng.randrange(1024, 65535)}"
        return [f"{stamp} lb-01 haproxy[2231]: {client} [{accept}] fe_tiles~ {record.message}"]


def tile(rng: random.Random) -> str:
    zoom = rng.choice([12, 13, 14, 14, 15, 16])
    return f"/tiles/v2/{zoom}/{rng.randrange(2**zoom)}/{rng.randrange(2**zoom)}.png"


def request(rng: random.Random, server: str, slow: float, timeout: bool = False) -> str:
    if timeout:
        return f'be_render/{server} 0/0/1/-1/5001 504 198 - - sH-- {rng.randrange(380, 460)}/{rng.randrange(360, 440)}/{rng.randrange(90, 140)}/{rng.randrange(30, 48)}/0 0/0 "GET {tile(rng)} HTTP/1.1"'
    took = max(4, int(rng.lognormvariate(0, 0.5) * 95 * slow))
    return f'be_render/{server} 0/0/{rng.randrange(0, 2)}/{took}/{took + rng.randrange(0, 3)} 200 {rng.randrange(3000, 90000)} - - ---- {rng.randrange(300, 420)}/{rng.randrange(290, 400)}/{rng.randrange(40, 100)}/{rng.randrange(4, 20)}/0 0/0 "GET {tile(rng)} HTTP/1.1"'


def before(rng: random.Random) -> Line:
    return "INFO", request(rng, rng.choice(HOSTS), 1.0), ()


def after(rng: random.Random) -> Line:
    server = rng.choices(HOSTS, [10, 10, 10, 16, 10, 10])[0]
    if server == SICK:
        if rng.random() < 0.09:
            return "ERROR", request(rng, server, 1, timeout=True), ()
        return "INFO", request(rng, server, 3.6), ()
    return "INFO", request(rng, server, 1.05), ()


def kernel_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return (
            "INFO",
            f"[{rng.randrange(3_100_000, 3_300_000)}.{rng.randrange(10**6):06d}] IPv4: martian source 10.12.{rng.randrange(256)}.{rng.randrange(255)} from 10.12.0.1, on dev bond0",
            (),
        )
    return (
        "INFO",
        f"[{rng.randrange(3_100_000, 3_300_000)}.{rng.randrange(10**6):06d}] nfs: server nfs-tiles-01 OK",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(1155)
    total = (NOW - START).total_seconds() / 60
    throttle = (THROTTLE - START).total_seconds() / 60
    haproxy = LogFile("haproxy.log", HaproxyLog(rng))
    haproxy.add(traffic(rng, before, START, throttle + 0.5, 6200))
    haproxy.add(
        traffic(rng, after, START + timedelta(minutes=throttle + 0.5), total - throttle - 0.5, 5400)
    )
    for minute, state in (
        (throttle + 9.3, "DOWN"),
        (throttle + 9.6, "UP"),
        (throttle + 22.1, "DOWN"),
        (throttle + 22.5, "UP"),
    ):
        if state == "DOWN":
            message = f"Server be_render/{SICK} is DOWN, reason: Layer7 timeout, check duration: 2001ms. 5 active and 0 backup servers left. {rng.randrange(20, 60)} sessions active, 0 requeued, 0 remaining in queue."
        else:
            message = f"Server be_render/{SICK} is UP, reason: Layer7 check passed, code: 200, check duration: {rng.randrange(900, 1900)}ms. 6 active and 0 backup servers online. 0 sessions requeued, 0 total in queue."
        haproxy.add([Record(START + timedelta(minutes=minute), "WARN", message, (), "plain")])
    for index, host in enumerate(HOSTS):
        haproxy.add(
            [
                Record(
                    START + timedelta(minutes=15.2 + index * 0.7),
                    "WARN",
                    f'Server be_render/{host} is DOWN, reason: Layer4 connection problem, info: "Connection refused", check duration: 0ms. 5 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.',
                    (),
                    "plain",
                ),
                Record(
                    START + timedelta(minutes=15.45 + index * 0.7),
                    "WARN",
                    f"Server be_render/{host} is UP, reason: Layer7 check passed, code: 200, check duration: 3ms. 6 active and 0 backup servers online. 0 sessions requeued, 0 total in queue.",
                    (),
                    "plain",
                ),
            ]
        )

    kern = LogFile("render-bm-04-kern.log", Syslog3164(SICK, "kernel", 0))
    kern.add(traffic(rng, kernel_line, START, total, 160))
    uptime = 3_204_117.0
    kern.add(
        [
            at(
                START,
                30.6,
                "WARN",
                f"[{uptime + 1800:.6f}] perf: interrupt took too long (2518 > 2500), lowering kernel.perf_event_max_sample_rate to 79250",
            )
        ]
    )
    events = 0
    for step in range(0, int((NOW - THROTTLE).total_seconds() // 60)):
        when = THROTTLE + timedelta(
            minutes=step,
            seconds=rng.randrange(0, 20) if step else 0,
            microseconds=rng.randrange(10**6) if step else 118_406,
        )
        events += rng.randrange(900, 2600) if step else 1
        second = uptime + (when - START).total_seconds()
        for cpu in rng.sample(range(32), 3 if step else 2):
            kind = rng.choice(["Package", "Core"])
            kern.add(
                [
                    Record(
                        when + timedelta(microseconds=cpu),
                        "WARN",
                        f"[{second + cpu / 10**6:.6f}] mce: CPU{cpu}: {kind} temperature above threshold, cpu clock throttled (total events = {events + cpu})",
                    )
                ]
            )
        if step % 5 == 4:
            kern.add(
                [
                    Record(
                        when + timedelta(seconds=40),
                        "INFO",
                        f"[{second + 40:.6f}] mce: CPU{rng.randrange(32)}: Core temperature/speed normal (total events = {events})",
                    )
                ]
            )

    sel = "\n".join(
        [
            f"root@{SICK}:~# ipmitool sel elist | tail -8",
            "  1f3 | 10/02/2025 | 14:12:09 | Power Supply PS2 Status | Power Supply AC lost | Asserted",
            "  1f4 | 10/02/2025 | 14:12:41 | Power Supply PS2 Status | Power Supply AC lost | Deasserted",
            "  1f5 | 11/17/2025 | 06:38:50 | Fan FAN3 | Lower Critical going low  | Asserted | Reading 0 < Threshold 600 RPM",
            "  1f6 | 11/17/2025 | 06:38:52 | Fan FAN3 | Lower Non-recoverable going low  | Asserted | Reading 0 < Threshold 360 RPM",
            "  1f7 | 11/17/2025 | 06:38:55 | Fan Redundancy | Redundancy Lost | Asserted",
            "  1f8 | 11/17/2025 | 06:41:19 | Temperature CPU1 Temp | Upper Non-critical going high | Asserted | Reading 88 > Threshold 87 degrees C",
            "  1f9 | 11/17/2025 | 06:44:02 | Temperature CPU2 Temp | Upper Non-critical going high | Asserted | Reading 88 > Threshold 87 degrees C",
            "  1fa | 11/17/2025 | 06:52:37 | Temperature Exhaust Temp | Upper Non-critical going high | Asserted | Reading 71 > Threshold 70 degrees C",
            f"root@{SICK}:~# ipmitool sdr type Fan",
            "FAN1             | 30h | ok  |  7.1 | 9120 RPM",
            "FAN2             | 31h | ok  |  7.1 | 9240 RPM",
            "FAN3             | 32h | nr  |  7.1 | 0 RPM",
            "FAN4             | 33h | ok  |  7.1 | 9000 RPM",
            "FAN5             | 34h | ok  |  7.1 | 9360 RPM",
            "FAN6             | 35h | ok  |  7.1 | 9240 RPM",
            "Fan Redundancy   | 36h | ok  |  7.1 | Redundancy Lost",
            "",
        ]
    )

    points = int((NOW - START).total_seconds() // STEP)
    at_throttle = int((THROTTLE - START).total_seconds() // STEP)
    at_fan = int((FAN - START).total_seconds() // STEP)
    series = {}
    for host in HOSTS:
        base_mhz = rng.uniform(3150, 3260)
        base_temp = rng.uniform(61, 67)
        base_p99 = rng.uniform(280, 330)
        if host == SICK:
            series[f"{host}_cpu_mhz_avg"] = shift(
                rng, base_mhz, 1240, at_throttle + 1, 0.025, ramp=4
            )
            series[f"{host}_cpu_temp_c"] = shift(rng, base_temp, 89.5, at_fan + 1, 0.01, ramp=6)
            series[f"{host}_p99_ms"] = shift(rng, base_p99, 4310, at_throttle + 2, 0.12, ramp=4)
        else:
            series[f"{host}_cpu_mhz_avg"] = shift(rng, base_mhz, base_mhz, 0, 0.01)
            series[f"{host}_cpu_temp_c"] = shift(
                rng, base_temp, base_temp + 1.5, at_throttle, 0.015, ramp=10
            )
            series[f"{host}_p99_ms"] = shift(
                rng, base_p99, base_p99 * 1.15, at_throttle + 2, 0.08, ramp=6
            )
    series["render-bm-02_smart_pending_sectors"] = shift(rng, 8, 8, 0, 0)
    metrics = csv_text(START, STEP, points, series, decimals=0)

    smartd = "\n".join(
        [
            "Nov 17 06:20:44 render-bm-02 smartd[1411]: Device: /dev/sdb [SAT], 8 Currently unreadable (pending) sectors",
            "Nov 17 06:20:44 render-bm-02 smartd[1411]: Device: /dev/sdb [SAT], 8 Offline uncorrectable sectors",
            "Nov 17 06:50:44 render-bm-02 smartd[1411]: Device: /dev/sdb [SAT], 8 Currently unreadable (pending) sectors",
            "Nov 17 06:50:44 render-bm-02 smartd[1411]: Device: /dev/sdb [SAT], 8 Offline uncorrectable sectors",
            "",
        ]
    )
    notes = "\n".join(
        [
            "## tiles slow - 07:20 UTC",
            "",
            "- map API p99 went from ~300 ms to 3-4 s at about 06:41, some 504s from the LB; p50 only a little worse",
            "- tile-render 5.3.1 went out to all six hosts at 06:05 (new PNG encoder), rollback prepared but not done yet",
            "- renders are CPU bound, no DB in the path; NFS tile cache looks fine",
            "- render-bm-02 has pending sectors on sdb (ticket DC-4471 from last week)",
            "- pasted below: smartd from bm-02",
            "",
            smartd,
        ]
    )
    files = {
        "haproxy.log": haproxy.render(),
        "metrics.csv": metrics,
        "render-bm-04-kern.log": kern.render(),
        "render-bm-04-bmc.txt": sel,
        "notes.md": notes,
    }
    first_cpu = next(
        line for line in files["render-bm-04-kern.log"].splitlines() if "above threshold" in line
    )
    return Bundle(
        question="Map tiles have been slow since about 06:41 UTC (API p99 from 300 ms to 3-4 s, some 504s from the load balancer); we rolled out tile-render 5.3.1 at 06:05. What is going on?",
        category="hardware",
        component=SICK,
        statement="Fan FAN3 of render-bm-04 stopped at 06:38:50 UTC; its CPUs overheated and from 06:41:22 the kernel throttles their clock (about 3.2 GHz down to 1.2 GHz), so every tile rendered there takes three to four times longer and some requests hit HAProxy's 5 s timeout, raising the map API's p99.",
        files=files,
        proofs=[
            Proof(
                "render-bm-04-bmc.txt",
                "Fan FAN3 | Lower Critical going low",
                "Fan Redundancy | Redundancy Lost",
            ),
            Proof("render-bm-04-kern.log", first_cpu.split("] ", 1)[1]),
            Proof(
                "metrics.csv",
                (
                    THROTTLE + timedelta(seconds=STEP - (THROTTLE - START).total_seconds() % STEP)
                ).strftime("%Y-%m-%dT%H:%M:%SZ,"),
            ),
        ],
        decoys=[
            "perf: interrupt took too long",
            "Currently unreadable (pending) sectors",
            "is DOWN, reason: Layer7 timeout",
        ],
    )
