# ruff: noqa: E501
# Syslog lines and pasted command output are data, kept whole on one line.
"""Network: a new batch host, etl-worker-07, was built at 09:12 local time from a copied
netplan file and came up with the static address 10.20.4.15, which belongs to the MySQL server
mysql-orders-01. The two hosts now fight over the address in the neighbours' ARP caches: the
core switch logs `%IP-4-DUPADDR` for 10.20.4.15 from etl-worker-07's MAC, and orders-service
sees intermittent connection refusals and lost connections to the database (its packets reach
the wrong host half the time). Decoys: a long-running slow query on mysql-orders-01, an STP
topology change on an unrelated VLAN, and orders-service's HikariCP pool errors."""

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from records import Record, SpringBoot, Syslog3164
from scenes import at, loud
from traffic import host_traffic, traffic, web_api

CET = timezone(timedelta(hours=2))
START = datetime(2026, 9, 22, 8, 40, tzinfo=CET)
MINUTES = 120
BUILD = 32.0  # 09:12


@dataclass
class CiscoLog:
    """IOS messages forwarded to syslog: sequence number, the device's own time stamp, mnemonic."""

    seq: list[int] = field(default_factory=lambda: [40211])

    def render(self, record: Record) -> list[str]:
        self.seq[0] += 1
        local = record.time.astimezone(CET)
        own = local.strftime("%b %d %H:%M:%S.") + f"{local.microsecond // 1000:03d}"
        return [
            f"{local.strftime('%b %d %H:%M:%S')} core-sw1 {self.seq[0]}: {own} CEST: {record.message}"
        ]


@dataclass
class LocalJournal:
    """`journalctl -o short-iso` in the host's local time; a record's logger is its program."""

    host: str

    def render(self, record: Record) -> list[str]:
        local = record.time.astimezone(CET)
        return [
            f"{local.strftime('%Y-%m-%dT%H:%M:%S%z')} {self.host} {record.logger}: {record.message}"
        ]


def bundle() -> Bundle:
    rng = random.Random(27509)
    switch = LogFile("logs/core-sw1.log", CiscoLog())
    switch.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"%LINEPROTO-5-UPDOWN: Line protocol on Interface GigabitEthernet1/0/{r.randrange(1, 48)}, changed state to {r.choice(['up', 'down'])}"
                if r.random() < 0.3
                else f"%SEC_LOGIN-5-LOGIN_SUCCESS: Login Success [user: netops] [Source: 10.20.0.{r.randrange(5, 40)}] [localport: 22]",
                (),
            ),
            START,
            MINUTES,
            90,
            logger="%",
        )
    )
    switch.add(
        [
            at(
                START,
                14.0,
                "WARN",
                "%SPANTREE-5-TOPOTRAP: Topology Change Trap for vlan 310",
                logger="%",
            ),
            at(
                START,
                BUILD + 0.6,
                "WARN",
                "%IP-4-DUPADDR: Duplicate address 10.20.4.15 on Vlan420, sourced by 5254.00a7.3c91",
                logger="%",
            ),
        ]
    )
    switch.add(
        loud(
            rng,
            START,
            BUILD + 5.0,
            MINUTES - BUILD - 6,
            14,
            lambda r: (
                "WARN",
                "%SYS-3-DUP_TIMER: Same duplicate address warning repeated, suppressed",
                (),
            ),
        )
    )
    etl = LogFile("logs/etl-worker-07-journal.log", LocalJournal("etl-worker-07"))
    etl.add(
        [
            at(
                START,
                BUILD,
                "INFO",
                "Started Initial cloud-init job (metadata service crawler).",
                logger="systemd[1]",
            ),
            at(
                START,
                BUILD + 0.1,
                "INFO",
                "ens3: Configured static address 10.20.4.15/24 via /etc/netplan/50-cloud-init.yaml (gateway 10.20.4.1)",
                logger="systemd-networkd[512]",
            ),
            at(START, BUILD + 0.11, "INFO", "ens3: Gained carrier", logger="systemd-networkd[512]"),
            at(
                START, BUILD + 0.3, "INFO", "Reached target Network is Online.", logger="systemd[1]"
            ),
            at(
                START,
                BUILD + 1.0,
                "INFO",
                "Started etl-runner.service - nightly ETL runner.",
                logger="systemd[1]",
            ),
        ]
    )
    etl.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"etl-runner: extracted {r.randrange(1000, 90000)} rows from s3://lake-raw/clicks/2026-09-2{r.randrange(0, 2)}/part-{r.randrange(999):05d}",
                (),
            ),
            START + timedelta(minutes=BUILD + 1.2),
            MINUTES - BUILD - 1.5,
            260,
            logger="etl-runner[1733]",
        )
    )
    db = LogFile("logs/mysql-orders-01-syslog.log", Syslog3164("mysql-orders-01", "mysqld", 1204))
    db.add(host_traffic(rng, START, MINUTES, 500))
    db.add(
        [
            at(
                START,
                47.0,
                "WARN",
                "[Warning] [MY-010055] [Server] IP address '10.20.4.15' could not be resolved: Name or service not known",
                logger="mysqld[1204]",
            )
        ]
    )
    db.add(
        [
            at(
                START,
                21.0,
                "WARN",
                "[Note] slow query: 38.412s SELECT customer_id, SUM(total) FROM orders WHERE created_at > '2026-01-01' GROUP BY customer_id (report-builder@10.20.5.33)",
                logger="mysqld[1204]",
            )
        ]
    )
    app = LogFile(
        "logs/orders-service.log",
        SpringBoot(
            ("com.quillshop.orders.OrderRepository", "com.zaxxer.hikari.pool.HikariPool"),
            rng=rng,
            zone=CET,
        ),
    )
    app.add(traffic(rng, web_api("orders-service", ["orders", "invoices"]), START, MINUTES, 3400))
    app.add(
        loud(
            rng,
            START,
            BUILD + 0.8,
            MINUTES - BUILD - 1,
            150,
            lambda r: (
                "ERROR",
                r.choice(
                    [
                        "Communications link failure: The last packet successfully received from the server was 11,203 milliseconds ago. The last packet sent successfully to the server was 11,204 milliseconds ago.",
                        "Could not create connection to database server. Attempted reconnect 3 times. Giving up. (java.net.ConnectException: Connection refused (Connection refused) to mysql-orders-01.dc2.quillshop.net:3306)",
                    ]
                ),
                (),
            ),
        )
    )
    app.add(
        loud(
            rng,
            START,
            BUILD + 3.0,
            MINUTES - BUILD - 4,
            60,
            lambda r: (
                "ERROR",
                "HikariPool-1 - Connection is not available, request timed out after 30000ms.",
                (),
            ),
        )
    )
    arp = "\n".join(
        [
            "$ ssh app-03 'sudo arping -D -I eth0 -c 4 10.20.4.15'",
            "ARPING 10.20.4.15 from 0.0.0.0 eth0",
            "Unicast reply from 10.20.4.15 [52:54:00:19:E2:04]  0.612ms",
            "Unicast reply from 10.20.4.15 [52:54:00:A7:3C:91]  0.744ms",
            "Sent 4 probes (4 broadcast(s))",
            "Received 2 response(s)",
            "",
            "$ ssh app-03 'ip neigh show 10.20.4.15; sleep 20; ip neigh show 10.20.4.15'",
            "10.20.4.15 dev eth0 lladdr 52:54:00:19:e2:04 REACHABLE",
            "10.20.4.15 dev eth0 lladdr 52:54:00:a7:3c:91 STALE",
            "",
            "$ ssh mysql-orders-01 'ip -br link show eth0'",
            "eth0             UP             52:54:00:19:e2:04 <BROADCAST,MULTICAST,UP,LOWER_UP>",
            "",
        ]
    )
    return Bundle(
        question="Since about 09:13 the orders service keeps losing its MySQL connections and sometimes gets 'connection refused', but MySQL itself looks fine. What is wrong?",
        category="network",
        component="etl-worker-07",
        statement="etl-worker-07, built at 09:12, came up with the static address 10.20.4.15 that belongs to mysql-orders-01; the duplicate address (switch `%IP-4-DUPADDR`, two MACs answering ARP) sends part of orders-service's database traffic to the wrong host, giving lost connections and connection refusals.",
        files={
            "logs/core-sw1.log": switch.render(),
            "logs/etl-worker-07-journal.log": etl.render(),
            "logs/mysql-orders-01-syslog.log": db.render(),
            "logs/orders-service.log": app.render(),
            "arp.txt": arp,
        },
        proofs=[
            Proof("logs/etl-worker-07-journal.log", "Configured static address 10.20.4.15/24"),
            Proof("logs/core-sw1.log", "%IP-4-DUPADDR"),
            Proof(
                "arp.txt",
                "Unicast reply from 10.20.4.15 [52:54:00:19:E2:04]",
                "Unicast reply from 10.20.4.15 [52:54:00:A7:3C:91]",
            ),
        ],
        decoys=[
            "Topology Change Trap for vlan 310",
            "slow query: 38.412s",
            "HikariPool-1 - Connection is not available",
        ],
    )
