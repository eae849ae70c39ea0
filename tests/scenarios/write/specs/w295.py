# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Online Boutique (RCAEval RE2 style wide CSV at 5 s; a node's kernel log pasted with
`journalctl -k -o short-iso`): a memory hog (stress-ng --vm in emailservice's container)
from 22:47:30 UTC. emailservice's memory climbs to its 256 MiB limit and stays there; the
cgroup's OOM killer removes a stress worker now and then (the hog respawns it) while the
Python server crawls under reclaim. checkoutservice waits on SendOrderConfirmation until its
deadline, logs `failed to send order confirmation`, and checkout becomes slow (p90 ~5 s);
customers get no confirmation emails. Decoys: checkoutservice's warnings, a kernel link
flap on the node's other NIC, and
currencyservice's ordinary `conversion request successful` chatter."""

import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, usual_series, wide_csv
from records import Record
from scenes import at, loud
from traffic import Line, traffic

START = datetime(2025, 11, 20, 22, 25, tzinfo=UTC)
MINUTES = 39
STEP = 5
FAULT = (22 * 60 + 30) // STEP


@dataclass
class Logrus:
    def render(self, record: Record) -> list[str]:
        body = json.loads(record.message)
        body["severity"] = record.level.lower().replace("warn", "warning")
        body["timestamp"] = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond:06d}527Z"
        )
        return [json.dumps(dict(sorted(body.items())))]


@dataclass
class PyJson:
    def render(self, record: Record) -> list[str]:
        stamp = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond // 1000:03d}Z"
        )
        return [
            json.dumps(
                {
                    "timestamp": stamp,
                    "severity": record.level,
                    "name": "emailservice-server",
                    "message": record.message,
                }
            )
        ]


@dataclass
class Kernel:
    def render(self, record: Record) -> list[str]:
        return [
            f"{record.time.strftime('%Y-%m-%dT%H:%M:%S+0000')} gke-boutique-pool-2-7c1e4d90-qx5h kernel: {record.message}",
            *(
                f"{record.time.strftime('%Y-%m-%dT%H:%M:%S+0000')} gke-boutique-pool-2-7c1e4d90-qx5h kernel: {line}"
                for line in record.trailer
            ),
        ]


def uid(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-a{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"


def email_line(rng: random.Random) -> Line:
    return (
        "INFO",
        f"A request to send order confirmation email to {rng.choice(['someone', 'l.ortega', 'pat', 'jun.w', 'asha'])}@example.com has been received.",
        (),
    )


def checkout_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.4:
        return (
            "INFO",
            json.dumps(
                {
                    "message": f'[PlaceOrder] user_id="{uid(rng)}" user_currency="{rng.choice(["USD", "EUR", "CAD", "JPY"])}"'
                }
            ),
            (),
        )
    if roll < 0.7:
        return (
            "INFO",
            json.dumps({"message": f"payment went through (transaction_id: {uid(rng)})"}),
            (),
        )
    return (
        "INFO",
        json.dumps(
            {
                "message": f'order confirmation email sent to "{rng.choice(["someone", "pat", "asha"])}@example.com"'
            }
        ),
        (),
    )


def checkout_warn(rng: random.Random) -> Line:
    return (
        "WARN",
        json.dumps(
            {
                "message": f'failed to send order confirmation to "{rng.choice(["someone", "l.ortega", "pat", "jun.w", "asha"])}@example.com": rpc error: code = DeadlineExceeded desc = context deadline exceeded'
            }
        ),
        (),
    )


def currency_line(rng: random.Random) -> Line:
    return (
        "INFO",
        json.dumps(
            {
                "message": rng.choice(
                    [
                        "Getting supported currencies...",
                        "conversion request successful",
                        "received conversion request",
                    ]
                )
            }
        ),
        (),
    )


def kernel_line(rng: random.Random) -> Line:
    return (
        "INFO",
        rng.choice(
            [
                f"cbr0: port {rng.randrange(2, 30)}(veth{rng.getrandbits(32):08x}) entered forwarding state",
                f"IPv6: ADDRCONF(NETDEV_CHANGE): veth{rng.getrandbits(32):08x}: link becomes ready",
                f"cbr0: port {rng.randrange(2, 30)}(veth{rng.getrandbits(32):08x}) entered disabled state",
            ]
        ),
        (),
    )


def oom(rng: random.Random) -> Line:
    pid = rng.randrange(200000, 260000)
    return (
        "WARN",
        f"Memory cgroup out of memory: Killed process {pid} (stress-ng-vm) total-vm:{rng.randrange(190000, 200000)}kB, anon-rss:{rng.randrange(150000, 170000)}kB, file-rss:{rng.randrange(900, 1400)}kB, shmem-rss:0kB, UID:1000 pgtables:{rng.randrange(380, 420)}kB oom_score_adj:984",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(20295)
    email = LogFile("logs/emailservice.log", PyJson())
    email.add(traffic(rng, email_line, START, 22.6, 260))
    email.add(traffic(rng, email_line, START + timedelta(minutes=22.6), MINUTES - 22.6, 70))
    checkout = LogFile("logs/checkoutservice.log", Logrus())
    checkout.add(traffic(rng, checkout_line, START, MINUTES, 900))
    checkout.add(loud(rng, START, 23.4, MINUTES - 23.5, 130, checkout_warn))
    currency = LogFile("logs/currencyservice.log", Logrus())
    currency.add(traffic(rng, currency_line, START, MINUTES, 2400))
    kern = LogFile("node-journal-kernel.txt", Kernel())
    kern.add(traffic(rng, kernel_line, START, MINUTES, 70))
    kern.add(
        [
            at(START, 9.2, "WARN", "eth1: Link is Down"),
            at(START, 9.25, "INFO", "eth1: Link is Up - 10Gbps Full Duplex, Flow Control: None"),
        ]
    )
    kern.add(
        [
            at(
                START,
                24.05,
                "WARN",
                "stress-ng-vm invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=984",
                (
                    "CPU: 3 PID: 231877 Comm: stress-ng-vm Not tainted 6.1.100+ #1",
                    "memory: usage 262144kB, limit 262144kB, failcnt 1187",
                    "swap: usage 0kB, limit 0kB, failcnt 0",
                    "Memory cgroup stats for /kubepods/burstable/pod5f1b6c8e-2a9d-4e7f-b3c1-9d0e8a7f6b54:",
                    "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=emailservice,mems_allowed=0,oom_memcg=/kubepods/burstable/pod5f1b6c8e-2a9d-4e7f-b3c1-9d0e8a7f6b54,task_memcg=/kubepods/burstable/pod5f1b6c8e-2a9d-4e7f-b3c1-9d0e8a7f6b54/cri-containerd-3c9a1e7b,task=stress-ng-vm,pid=231877,uid=1000",
                    "Memory cgroup out of memory: Killed process 231877 (stress-ng-vm) total-vm:198412kB, anon-rss:164220kB, file-rss:1208kB, shmem-rss:0kB, UID:1000 pgtables:404kB oom_score_adj:984",
                ),
            )
        ]
    )
    kern.add(loud(rng, START, 25.0, MINUTES - 25.5, 11, oom))
    levels = {
        "frontend": (0.214, 49.5, (0.0301, 0.0877), 41.3),
        "checkoutservice": (0.023, 22.6, (0.0395, 0.1066), 2.1),
        "emailservice": (0.026, 61.9, (0.0091, 0.0233), 2.1),
        "paymentservice": (0.012, 41.2, (0.0018, 0.0048), 2.1),
        "currencyservice": (0.142, 69.4, (0.0022, 0.0069), 65.0),
        "cartservice": (0.079, 70.8, (0.0050, 0.0150), 13.8),
        "productcatalogservice": (0.099, 20.1, (0.0018, 0.0057), 57.4),
        "shippingservice": (0.016, 17.4, (0.0016, 0.0045), 4.2),
    }
    services = {name: usual_series(rng, *value) for name, value in levels.items()}
    e = services["emailservice"]
    e["mem"] = shift(rng, 61.9, 255.2, FAULT, 0.003, ramp=8)
    e["latency-50"] = shift(rng, 0.0091, 1.931, FAULT + 8, 0.3)
    e["latency-90"] = shift(rng, 0.0233, 5.002, FAULT + 8, 0.02)
    e["cpu"] = shift(rng, 0.026, 0.412, FAULT, 0.1)
    c = services["checkoutservice"]
    c["latency-50"] = shift(rng, 0.0395, 1.972, FAULT + 9, 0.25)
    c["latency-90"] = shift(rng, 0.1066, 5.118, FAULT + 9, 0.03)
    services["frontend"]["latency-90"] = shift(rng, 0.0877, 0.1931, FAULT + 9, 0.1)
    files = {
        "metrics.csv": wide_csv(START, STEP, MINUTES * 60 // STEP, services),
        "node-journal-kernel.txt": kern.render(),
        "logs/checkoutservice.log": checkout.render(),
        "logs/emailservice.log": email.render(),
        "logs/currencyservice.log": currency.render(),
    }
    return Bundle(
        question="Since about 22:48 UTC placing an order takes five seconds or more and customers say their confirmation emails never arrive. What is the root cause?",
        category="memory",
        component="emailservice",
        statement="From 22:47:30 UTC a memory hog in emailservice's container pushes it from ~62 MiB to its 256 MiB limit; the cgroup OOM killer fires repeatedly in its pod and the email server crawls, so checkoutservice's SendOrderConfirmation calls hit their deadline and checkout takes ~5 s with no emails sent.",
        files=files,
        proofs=[
            Proof("metrics.csv", stamp(START, STEP, FAULT + 4)),
            Proof(
                "node-journal-kernel.txt",
                "stress-ng-vm invoked oom-killer",
                "Killed process 231877",
            ),
        ],
        decoys=[
            "failed to send order confirmation",
            "eth1: Link is Down",
            "conversion request successful",
        ],
    )
