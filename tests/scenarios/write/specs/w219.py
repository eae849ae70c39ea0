# ruff: noqa: E501
# Hand-written log lines, pasted shell output and series definitions are data, kept whole on one line.
"""Single host, network: ingest-gw-01 terminates the MQTT-over-TLS sessions of a sensor fleet on
the flat 10.40.0.0/20 plant VLAN and forwards readings to the tsdb-writer nodes on the same
VLAN. On Monday the second hall's 2,300 sensors were moved onto that VLAN, so the gateway has
more than 3,000 on-link neighbours, while its kernel keeps the default
`net.ipv4.neigh.default.gc_thresh3 = 1024`. From 06:40 UTC the kernel prints "neighbour:
arp_cache: neighbor table overflow!" (rate-limited, a handful of lines); new ARP entries cannot
be created, so sensors reconnect in loops and forwards to tsdb-writer time out at random.
Loud: thousands of MQTT keepalive timeouts and forward i/o timeouts. Decoys: tsdb-writer's slow
compaction warnings, old-firmware sensors failing TLS with a bad certificate, and an eno1 link
flap last Thursday."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from metrics import csv_text, shift, steady
from records import Record, Syslog3164, Zap
from scenes import at, fixed, loud
from traffic import Line, host_traffic, traffic

START = datetime(2025, 3, 10, 5, 0, tzinfo=UTC)
END = datetime(2025, 3, 10, 8, 30, tzinfo=UTC)
KNEE = datetime(2025, 3, 10, 6, 40, tzinfo=UTC)
WRITERS = ["10.40.2.17", "10.40.2.18", "10.40.2.19"]


def sensor_id(rng: random.Random) -> str:
    return f"s-{rng.choice(['h1', 'h1', 'h2'])}-{rng.randrange(1, 3400):04d}"


def sensor_ip(rng: random.Random) -> str:
    return f"10.40.{rng.randrange(4, 15)}.{rng.randrange(2, 254)}"


def ordinary(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.55:
        return (
            "INFO",
            f"forwarded batch sensor={sensor_id(rng)} points={rng.randrange(20, 400)} writer={rng.choice(WRITERS)}:9000 took={rng.randrange(2, 40)}ms",
            (),
        )
    if roll < 0.7:
        return (
            "INFO",
            f"mqtt client connected client_id={sensor_id(rng)} remote={sensor_ip(rng)}:{rng.randrange(30000, 60000)} tls=1.3",
            (),
        )
    if roll < 0.82:
        return (
            "INFO",
            f"mqtt client disconnected client_id={sensor_id(rng)} reason=client_close",
            (),
        )
    if roll < 0.9:
        return "DEBUG", f"pingresp sent client_id={sensor_id(rng)}", ()
    if roll < 0.97:
        return (
            "INFO",
            f"stats sessions={rng.randrange(3900, 4100)} inflight={rng.randrange(0, 90)} queue_depth={rng.randrange(0, 40)}",
            (),
        )
    return (
        "WARN",
        f"mqtt client_id={sensor_id(rng)} sent QoS1 publish with duplicate packet id {rng.randrange(1, 65535)}, ignored",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(2219)
    total = (END - START).total_seconds() / 60
    knee = (KNEE - START).total_seconds() / 60

    gateway = LogFile(
        "logs/ingest-gw.log",
        Zap(
            (
                "mqtt/server.go:211",
                "mqtt/session.go:94",
                "forward/writer.go:142",
                "forward/pool.go:77",
                "stats/stats.go:51",
            ),
            rng=rng,
        ),
    )
    gateway.add(traffic(rng, ordinary, START, total, 4200))
    gateway.add(
        loud(
            rng,
            START,
            knee + 1,
            total - knee - 1,
            900,
            fixed(
                "WARN",
                lambda r: (
                    f"mqtt client_id={sensor_id(r)} keepalive timeout after 90s, closing session"
                ),
            ),
        )
    )
    gateway.add(
        loud(
            rng,
            START,
            knee + 2,
            total - knee - 2,
            520,
            fixed(
                "ERROR",
                lambda r: (
                    f"forward to {r.choice(WRITERS)}:9000 failed: dial tcp {r.choice(WRITERS)}:9000: i/o timeout (attempt {r.randrange(1, 4)}/3)"
                ),
            ),
        )
    )
    gateway.add(
        loud(
            rng,
            START,
            knee + 4,
            total - knee - 4,
            60,
            fixed(
                "ERROR",
                lambda r: (
                    f"dropping {r.randrange(100, 2000)} buffered points: writer queue full (capacity 50000)"
                ),
            ),
        )
    )
    gateway.add(
        loud(
            rng,
            START,
            0,
            total,
            70,
            fixed(
                "WARN",
                lambda r: (
                    f"tls handshake failed remote={sensor_ip(r)}:{r.randrange(30000, 60000)}: remote error: tls: bad certificate"
                ),
            ),
        )
    )

    kern = LogFile("logs/ingest-gw-01-syslog.log", Syslog3164("ingest-gw-01", "kernel", 0))
    kern.add(host_traffic(rng, START - timedelta(days=4), total + 4 * 1440, 2600))
    kern.add(
        [
            at(
                START - timedelta(days=4),
                201.0,
                "WARN",
                "igb 0000:03:00.0 eno1: igb: eno1 NIC Link is Down",
                logger="kernel",
            ),
            at(
                START - timedelta(days=4),
                201.1,
                "INFO",
                "igb 0000:03:00.0 eno1: igb: eno1 NIC Link is Up 1000 Mbps Full Duplex, Flow Control: RX/TX",
                logger="kernel",
            ),
            at(
                START - timedelta(days=4),
                201.2,
                "INFO",
                "bond0: (slave eno1): link status definitely up, 1000 Mbps full duplex",
                logger="kernel",
            ),
            at(
                START,
                knee,
                "WARN",
                "neighbour: arp_cache: neighbor table overflow!",
                logger="kernel",
            ),
            at(
                START,
                knee + 0.02,
                "WARN",
                "net_ratelimit: 217 callbacks suppressed",
                logger="kernel",
            ),
            at(
                START,
                knee + 6.3,
                "WARN",
                "net_ratelimit: 1841 callbacks suppressed",
                logger="kernel",
            ),
            at(
                START,
                knee + 31.8,
                "WARN",
                "net_ratelimit: 2290 callbacks suppressed",
                logger="kernel",
            ),
            at(
                START,
                knee + 77.2,
                "WARN",
                "net_ratelimit: 2517 callbacks suppressed",
                logger="kernel",
            ),
        ]
    )
    for minute in (knee + 6.29, knee + 31.79, knee + 77.19):
        kern.add(
            [
                Record(
                    START + timedelta(minutes=minute),
                    "WARN",
                    "neighbour: arp_cache: neighbor table overflow!",
                    (),
                    "kernel",
                )
            ]
        )

    boot = START - timedelta(days=41, seconds=8812.4)
    kern.records = [
        Record(
            r.time,
            r.level,
            f"[{(r.time - boot).total_seconds():12.6f}] {r.message}",
            r.trailer,
            r.logger,
        )
        if r.logger == "kernel"
        else r
        for r in kern.records
    ]

    writer = LogFile(
        "logs/tsdb-writer-2.log", Zap(("storage/compact.go:388", "http/write.go:61"), rng=rng)
    )
    writer.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"write ok points={r.randrange(200, 9000)} series={r.randrange(20, 400)} took={r.randrange(1, 30)}ms",
                (),
            ),
            START,
            total,
            1500,
        )
    )
    writer.add(
        loud(
            rng,
            START,
            0,
            total,
            24,
            fixed(
                "WARN",
                lambda r: (
                    f"compaction of block 01J{r.getrandbits(60):015X} took {r.randrange(31, 58)}s (level 2, {r.randrange(2, 6)} blocks), writes were throttled"
                ),
            ),
        )
    )

    points = int(total * 60 // 60)
    at_knee = int(knee)
    metrics = csv_text(
        START,
        60,
        points,
        {
            "ingest_gw_01_arp_neighbours": lambda index: (
                min(1024, 980 + index * 0.4 + rng.randrange(-6, 6)) if index < at_knee - 1 else 1024
            ),
            "ingest_gw_01_mqtt_sessions": shift(rng, 4010, 2650, at_knee, 0.03, ramp=8),
            "ingest_gw_01_tcp_retrans_per_s": shift(rng, 4, 180, at_knee, 0.15, ramp=3),
            "ingest_gw_01_cpu_percent": steady(rng, 34, 0.08),
            "ingest_gw_01_forward_errors_per_min": shift(rng, 0.2, 14, at_knee, 0.3, ramp=3),
            "tsdb_writer_2_write_p99_ms": steady(rng, 38, 0.3),
        },
    )
    notes = "\n".join(
        [
            "Plant telemetry gaps - handover 08:30 UTC",
            "",
            "Sensors drop off and reconnect since ~06:40, dashboards show holes for random sensors in both halls.",
            "Hall 2 migration: on Monday its 2,300 sensors were re-addressed into the plant VLAN 10.40.0.0/20 (same L2 as hall 1, same gateway).",
            "tsdb-writer-2 has compaction warnings, we already raised its compaction concurrency - no change.",
            "",
            "ops@ingest-gw-01:~$ sysctl net.ipv4.neigh.default.gc_thresh1 net.ipv4.neigh.default.gc_thresh2 net.ipv4.neigh.default.gc_thresh3",
            "net.ipv4.neigh.default.gc_thresh1 = 128",
            "net.ipv4.neigh.default.gc_thresh2 = 512",
            "net.ipv4.neigh.default.gc_thresh3 = 1024",
            "ops@ingest-gw-01:~$ ip -4 neigh show dev bond0 | wc -l",
            "1024",
            "ops@ingest-gw-01:~$ ping -c 3 10.40.2.18",
            "PING 10.40.2.18 (10.40.2.18) 56(84) bytes of data.",
            "64 bytes from 10.40.2.18: icmp_seq=1 ttl=64 time=0.212 ms",
            "64 bytes from 10.40.2.18: icmp_seq=3 ttl=64 time=0.198 ms",
            "",
            "--- 10.40.2.18 ping statistics ---",
            "3 packets transmitted, 2 received, 33.3333% packet loss, time 2031ms",
            "rtt min/avg/max/mdev = 0.198/0.205/0.212/0.007 ms",
            "",
        ]
    )
    files = {
        "notes.md": notes,
        "logs/ingest-gw.log": gateway.render(),
        "logs/ingest-gw-01-syslog.log": kern.render(),
        "logs/tsdb-writer-2.log": writer.render(),
        "gateway-metrics.csv": metrics,
    }
    return Bundle(
        question="Since about 06:40 UTC sensors keep dropping off and reconnecting and the gateway's forwards to the tsdb writers time out. Which component is at fault and why?",
        category="network",
        component="ingest-gw-01",
        statement="After hall 2's sensors joined the flat plant VLAN, ingest-gw-01 has over 3,000 on-link neighbours but keeps the default gc_thresh3 of 1024; from 06:40 UTC its ARP neighbour table overflows ('neighbour: arp_cache: neighbor table overflow!'), so new neighbour entries fail, sensors time out and forwards to tsdb-writer time out at random.",
        files=files,
        proofs=[
            Proof(
                "logs/ingest-gw-01-syslog.log",
                "[3557212.",
                "net_ratelimit: 217 callbacks suppressed",
            ),
            Proof("notes.md", "net.ipv4.neigh.default.gc_thresh3 = 1024"),
        ],
        decoys=[
            "compaction of block",
            "tls: bad certificate",
            "eno1 NIC Link is Down",
        ],
    )
