# ruff: noqa: E501
# HAProxy lines, config diffs and hand-written log lines are data, kept whole on one line.
"""TLS: the nightly configuration run at 02:10 UTC pushed a hardened TLS baseline to the edge
load balancer edge-lb-01 (`ssl-default-bind-options ssl-min-ver TLSv1.2` and a cipher list with
only ECDHE-GCM suites). The older in-store payment terminals (an embedded Java 7 stack that speaks
TLS 1.0 only) can no longer complete a handshake: HAProxy logs `SSL handshake failure` for their
addresses, and store-sync sees those stores go silent. Newer terminals and browsers are fine.
Decoys: an expiring-certificate notice for another host name, a slow backend warning on
pos-intake, and store-sync's 'no heartbeat' warnings."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import PythonLogging, Record, Syslog3164
from scenes import at, loud
from traffic import Line, host_traffic, traffic, web_api

START = datetime(2026, 10, 14, 1, 30, tzinfo=UTC)
MINUTES = 420
CHANGE = 40.0  # 02:10
OLD = [
    f"81.14.{a}.{b}" for a, b in [(3, 21), (3, 88), (7, 140), (9, 12), (12, 201), (12, 77), (20, 5)]
]


@dataclass
class HaproxyLog:
    def render(self, record: Record) -> list[str]:
        stamp = record.time.strftime("%b %d %H:%M:%S")
        inner = (
            record.time.strftime("%d/%b/%Y:%H:%M:%S.") + f"{record.time.microsecond // 1000:03d}"
        )
        return [f"{stamp} edge-lb-01 haproxy[2231]: " + record.message.replace("@T@", inner)]


def ok(rng: random.Random) -> Line:
    client = f"{rng.choice(['81.14', '92.40', '185.3'])}.{rng.randrange(256)}.{rng.randrange(1, 255)}:{rng.randrange(1024, 65535)}"
    path, backend = rng.choice(
        [
            ("POST /v2/txn", "be_pos_intake/pos-intake-0"),
            ("POST /v2/heartbeat", "be_store_sync/store-sync-0"),
            ("GET /app/", "be_web/web-0"),
        ]
    )
    server = f"{backend}{rng.randrange(1, 4)}"
    return (
        "INFO",
        f'{client} [@T@] fe_https~ {server} 0/0/{rng.randrange(0, 3)}/{rng.randrange(4, 90)}/{rng.randrange(5, 95)} 200 {rng.randrange(200, 3000)} - - ---- {rng.randrange(40, 400)}/{rng.randrange(30, 380)}/0/0/0 0/0 "{path} HTTP/1.1"',
        (),
    )


def fail(rng: random.Random) -> Line:
    return (
        "WARN",
        f"{rng.choice(OLD)}:{rng.randrange(1024, 65535)} [@T@] fe_https/1: SSL handshake failure",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(27610)
    lb = LogFile("logs/edge-lb-01-haproxy.log", HaproxyLog())
    lb.add(traffic(rng, ok, START, MINUTES, 5600))
    lb.add(loud(rng, START, CHANGE + 0.6, MINUTES - CHANGE - 1, 420, fail))
    lb.add(
        [
            at(START, CHANGE + 0.1, "INFO", "Proxy fe_https started."),
            at(START, CHANGE + 0.05, "WARN", "Reexecuting Master process"),
            at(
                START,
                12.0,
                "WARN",
                "Server be_pos_intake/pos-intake-02 is UP, reason: Layer7 check passed, code: 200, check duration: 1843ms. 3 active and 0 backup servers online. 0 sessions requeued, 0 total in queue.",
            ),
        ]
    )
    cm = LogFile("logs/edge-lb-01-syslog.log", Syslog3164("edge-lb-01", "ansible", 0))
    cm.add(host_traffic(rng, START, MINUTES, 900))
    cm.add(
        [
            at(
                START,
                CHANGE - 0.4,
                "INFO",
                "Invoked with src=haproxy.cfg.j2 dest=/etc/haproxy/haproxy.cfg validate=haproxy -c -f %s backup=True (role: tls_baseline v3.2.0)",
                logger="ansible-ansible.legacy.template[88214]",
            ),
            at(
                START,
                CHANGE - 0.1,
                "INFO",
                "Reloading haproxy.service - HAProxy Load Balancer...",
                logger="systemd[1]",
            ),
            at(
                START,
                CHANGE,
                "INFO",
                "Reloaded haproxy.service - HAProxy Load Balancer.",
                logger="systemd[1]",
            ),
            at(
                START,
                95.0,
                "WARN",
                "cert-check: certificate for shop-legacy.vantor-retail.com expires in 12 days (Oct 26 23:59:59 2026 GMT)",
                logger="cert-check[4410]",
            ),
        ]
    )
    sync = LogFile(
        "logs/store-sync.log", PythonLogging(("storesync.heartbeat", "storesync.api"), rng=rng)
    )
    sync.add(traffic(rng, web_api("store-sync", ["stores", "terminals"]), START, MINUTES, 2600))
    sync.add(
        loud(
            rng,
            START,
            CHANGE + 16,
            MINUTES - CHANGE - 17,
            230,
            lambda r: (
                "WARN",
                f"no heartbeat from terminal T-{r.randrange(1100, 1180)} (store {r.choice(['0112', '0147', '0203', '0288', '0341', '0390', '0415'])}) for {r.randrange(15, 300)} min; firmware POS-J7 2.4.11",
                (),
            ),
        )
    )
    sync.add(
        [
            at(
                START,
                210.0,
                "WARN",
                "pos-intake answered /v2/txn in 2874 ms (slow backend threshold 2000 ms)",
            )
        ]
    )
    diff = "\n".join(
        [
            "$ ssh edge-lb-01 'diff /etc/haproxy/haproxy.cfg.2026-10-14@02:10:07~ /etc/haproxy/haproxy.cfg'",
            "8,9c8,9",
            "<     ssl-default-bind-options ssl-min-ver TLSv1.0 no-tls-tickets",
            "<     ssl-default-bind-ciphers ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:AES128-SHA:AES256-SHA:DES-CBC3-SHA",
            "---",
            ">     ssl-default-bind-options ssl-min-ver TLSv1.2 no-tls-tickets",
            ">     ssl-default-bind-ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384",
            "",
            "$ openssl s_client -connect pos.vantor-retail.com:443 -tls1 </dev/null 2>&1 | head -3",
            "CONNECTED(00000003)",
            "40F7E1B8A47F0000:error:0A00042E:SSL routines:ssl3_read_bytes:tlsv1 alert protocol version:../ssl/record/rec_layer_s3.c:1584:SSL alert number 70",
            "",
        ]
    )
    return Bundle(
        question="Since early this morning terminals in about 40 stores can't submit card transactions; other stores and the web shop are fine. What is the root cause?",
        category="tls",
        component="edge-lb-01",
        statement="The configuration run at 02:10 UTC raised edge-lb-01's minimum TLS version to 1.2 and removed the non-ECDHE ciphers; the older POS-J7 terminals only speak TLS 1.0, so their handshakes fail (`SSL handshake failure`) and those stores can no longer reach the payment intake.",
        files={
            "logs/edge-lb-01-haproxy.log": lb.render(),
            "logs/edge-lb-01-syslog.log": cm.render(),
            "logs/store-sync.log": sync.render(),
            "haproxy-diff.txt": diff,
        },
        proofs=[
            Proof("haproxy-diff.txt", ">     ssl-default-bind-options ssl-min-ver TLSv1.2"),
            Proof("logs/edge-lb-01-syslog.log", "role: tls_baseline v3.2.0"),
        ],
        decoys=[
            "certificate for shop-legacy.vantor-retail.com expires in 12 days",
            "slow backend threshold 2000 ms",
            "no heartbeat from terminal",
        ],
    )
