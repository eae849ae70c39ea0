# ruff: noqa: E501
# Log lines and pasted command output are data, kept whole on one line.
"""DNS on one host: at 13:21 UTC a configuration-management run applies a netplan file on
billing-worker-03 that still lists the resolver decommissioned last month (10.20.0.53) instead of
10.8.0.2. systemd-resolved switches to it; every lookup on that host times out, so the billing
worker there fails every job with `getaddrinfo EAI_AGAIN` for payments-db.internal and
api.stripe.com, while billing-worker-01 and -02 (not yet converged) keep working. Decoys:
payments-db (every error names it), an unrelated Stripe 500 at 12:48, and a queue backlog warning
from the scheduler."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import Pino, Syslog3164
from scenes import at, fixed, loud
from traffic import Line, host_traffic, traffic

START = datetime(2025, 10, 14, 12, 30, tzinfo=UTC)
MINUTES = 90
APPLY = 51.0


def job_ok(rng: random.Random) -> Line:
    roll = rng.random()
    invoice = f"in_{rng.getrandbits(64):016x}"
    if roll < 0.55:
        return (
            "INFO",
            f"invoice {invoice} charged customer=cus_{rng.getrandbits(40):010x} amount={rng.randrange(500, 90000)} currency=eur in {rng.randrange(180, 900)}ms",
            (),
        )
    if roll < 0.85:
        return (
            "INFO",
            f"job billing.charge completed id=job_{rng.getrandbits(32):08x} attempts=1",
            (),
        )
    if roll < 0.97:
        return (
            "INFO",
            f"fetched {rng.randrange(5, 60)} due invoices from payments-db.internal in {rng.randrange(3, 30)}ms",
            (),
        )
    return (
        "WARN",
        f"card declined for invoice {invoice}: card_declined (insufficient_funds), scheduling dunning e-mail",
        (),
    )


def job_fail(rng: random.Random) -> Line:
    if rng.random() < 0.6:
        return (
            "ERROR",
            f"job billing.charge failed id=job_{rng.getrandbits(32):08x} attempt={rng.randrange(1, 6)}: Error: getaddrinfo EAI_AGAIN payments-db.internal",
            (
                "Error: getaddrinfo EAI_AGAIN payments-db.internal",
                "    at GetAddrInfoReqWrap.onlookupall [as oncomplete] (node:dns:120:26)",
            ),
        )
    return (
        "ERROR",
        f"job billing.charge failed id=job_{rng.getrandbits(32):08x} attempt={rng.randrange(1, 6)}: StripeConnectionError: An error occurred with our connection to Stripe. Request was retried 2 times. (getaddrinfo EAI_AGAIN api.stripe.com)",
        (),
    )


def peer_ok(rng: random.Random) -> Line:
    return "INFO", f"job billing.charge completed id=job_{rng.getrandbits(32):08x} attempts=1", ()


RESOLVECTL = """billing worker 03 failing everything -- pasted by Tomasz (payments on-call), 14:05 UTC

workers 01 and 02 are fine (same release 7.3.1, same queue). payments-db itself is fine: 01/02
query it all the time, its dashboard is green. Stripe status page green.

billing-worker-03$ resolvectl status
Global
           Protocols: -LLMNR -mDNS -DNSOverTLS DNSSEC=no/unsupported
    resolv.conf mode: stub

Link 2 (ens5)
    Current Scopes: DNS
         Protocols: +DefaultRoute -LLMNR -mDNS -DNSOverTLS DNSSEC=no/unsupported
Current DNS Server: 10.20.0.53
       DNS Servers: 10.20.0.53
        DNS Domain: internal

billing-worker-01$ resolvectl status ens5 | grep -i 'dns server'
Current DNS Server: 10.8.0.2
       DNS Servers: 10.8.0.2

billing-worker-03$ getent hosts payments-db.internal; echo $?
2
"""


def bundle() -> Bundle:
    rng = random.Random(1196)
    syslog = LogFile(
        "logs/billing-worker-03-syslog.log", Syslog3164("billing-worker-03", "kernel", 0)
    )
    syslog.add(host_traffic(rng, START, MINUTES, 700))
    syslog.add(
        [
            at(
                START,
                APPLY - 0.4,
                "INFO",
                "Applying Salt state netplan.ens5 (highstate job 20251014132031604118)",
                logger="salt-minion[1187]",
            ),
            at(
                START,
                APPLY - 0.3,
                "INFO",
                "File /etc/netplan/50-cloud-init.yaml updated: nameservers.addresses: [10.8.0.2] -> [10.20.0.53]",
                logger="salt-minion[1187]",
            ),
            at(
                START,
                APPLY - 0.1,
                "INFO",
                "ens5: Reconfiguring with /run/systemd/network/10-netplan-ens5.network.",
                logger="systemd-networkd[611]",
            ),
            at(
                START,
                APPLY + 0.3,
                "WARN",
                "Using degraded feature set UDP instead of UDP+EDNS0 for DNS server 10.20.0.53.",
                logger="systemd-resolved[602]",
            ),
            at(
                START,
                APPLY + 2.2,
                "WARN",
                "Using degraded feature set UDP instead of UDP+EDNS0 for DNS server 10.20.0.53.",
                logger="systemd-resolved[602]",
            ),
        ]
    )
    worker = LogFile("logs/billing-worker-03.log", Pino("billing-worker-03", rng=rng))
    worker.add(traffic(rng, job_ok, START, APPLY + 0.2, 1800))
    worker.add(loud(rng, START, APPLY + 0.4, MINUTES - APPLY - 0.5, 520, job_fail))
    worker.add(
        [
            at(
                START,
                18.3,
                "ERROR",
                "job billing.charge failed id=job_5c1e09a3 attempt=1: StripeAPIError: (Status 500) An unknown error occurred (request req_Q4mT7bX2kP9wLz)",
            ),
            at(START, 18.9, "INFO", "job billing.charge completed id=job_5c1e09a3 attempts=2"),
        ]
    )
    peers = LogFile("logs/billing-worker-01.log", Pino("billing-worker-01", rng=rng))
    peers.add(traffic(rng, job_ok, START, MINUTES, 2400))
    sched = LogFile("logs/billing-scheduler.log", Pino("billing-scheduler", rng=rng))
    sched.add(
        loud(
            rng,
            START,
            0,
            MINUTES,
            180,
            fixed(
                "INFO",
                lambda r: (
                    f"enqueued {r.randrange(10, 80)} billing.charge jobs, queue depth {r.randrange(5, 60)}"
                ),
            ),
        )
    )
    sched.add(
        loud(
            rng,
            START,
            APPLY + 8,
            MINUTES - APPLY - 9,
            40,
            fixed(
                "WARN",
                lambda r: (
                    f"queue billing.charge backlog {r.randrange(900, 4000)} jobs, oldest {r.randrange(8, 40)}m; consider scaling workers"
                ),
            ),
        )
    )
    files = {
        "notes.md": RESOLVECTL,
        "logs/billing-worker-03.log": worker.render(),
        "logs/billing-worker-01.log": peers.render(),
        "logs/billing-worker-03-syslog.log": syslog.render(),
        "logs/billing-scheduler.log": sched.render(),
    }
    return Bundle(
        question="Since about 13:21 UTC one of our three billing workers fails every job while the other two are fine. What is the root cause?",
        category="dns",
        component="billing-worker-03",
        statement="At 13:21 UTC a Salt run rewrote billing-worker-03's netplan nameservers from 10.8.0.2 to the decommissioned resolver 10.20.0.53; every DNS lookup on that host then times out, so its jobs fail with getaddrinfo EAI_AGAIN for payments-db.internal and api.stripe.com.",
        files=files,
        proofs=[
            Proof(
                "logs/billing-worker-03-syslog.log",
                "nameservers.addresses: [10.8.0.2] -> [10.20.0.53]",
            ),
            Proof("notes.md", "Current DNS Server: 10.20.0.53"),
        ],
        decoys=[
            "getaddrinfo EAI_AGAIN payments-db.internal",
            "StripeAPIError: (Status 500)",
            "consider scaling workers",
        ],
    )
