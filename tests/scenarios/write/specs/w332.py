# ruff: noqa: E501
# Hand-written zap, journald lines, pasted openssl output and CSV rows are data, kept whole on one line.
"""TLS, an expired mTLS client certificate: payout-worker authenticates to the bank partner's
gateway with a client certificate renewed by a systemd timer. The timer has failed daily since
1 September (its enrolment token expired) and nobody noticed; at 00:00 UTC on 30 September the
client certificate expires. The bank's gateway rejects the handshake with an alert, every payout
call fails and the payout backlog climbs. Decoys: the partner's maintenance notice for another
region, a slow ledger query, a one-off 502 the week before."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from metrics import csv_text, shift, steady
from records import Record, Zap
from scenes import at, fixed, loud
from traffic import host_traffic, traffic

START = datetime(2026, 9, 29, 21, 0, tzinfo=UTC)
MINUTES = 420.0
EXPIRY = 180.0


@dataclass
class JournalByProgram:
    """`journalctl -o short-iso` where each record names its own program[pid]."""

    host: str

    def render(self, record: Record) -> list[str]:
        stamp = record.time.strftime("%Y-%m-%dT%H:%M:%S+0000")
        return [f"{stamp} {self.host} {record.logger}: {record.message}"]


def payout_line(r: random.Random):
    roll = r.random()
    if roll < 0.6:
        return (
            "INFO",
            f"payout {r.getrandbits(40):010x} sent to bank gateway: status=ACCEPTED amount_cents={r.randrange(500, 900000)} currency=EUR latency_ms={r.randrange(80, 600)}",
            (),
        )
    if roll < 0.85:
        return (
            "INFO",
            f"claimed {r.randrange(1, 40)} payouts from queue payouts.pending (backlog {r.randrange(0, 60)})",
            (),
        )
    if roll < 0.97:
        return (
            "DEBUG",
            f"ledger entry {r.getrandbits(40):010x} posted in {r.randrange(2, 30)}ms",
            (),
        )
    return (
        "WARN",
        f"payout {r.getrandbits(40):010x}: gateway answered 409 DUPLICATE_REFERENCE, treating as sent",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(33206)
    callers = ("payout/sender.go:141", "payout/queue.go:77", "ledger/post.go:58")
    app = LogFile("logs/payout-worker.log", Zap(callers, rng))
    app.add(traffic(rng, payout_line, START, MINUTES, 3800))
    app.add(
        loud(
            rng,
            START,
            EXPIRY + 0.2,
            MINUTES - EXPIRY - 1,
            1300,
            fixed(
                "ERROR",
                lambda r: (
                    f'payout {r.getrandbits(40):010x} failed: Post "https://api.gw.nordbank-partner.example/v3/payouts": remote error: tls: expired certificate (attempt {r.randrange(1, 6)}/5)'
                ),
            ),
        )
    )
    app.add(
        [
            at(
                START,
                60.0,
                "WARN",
                "slow ledger query: SELECT ... FROM ledger_entries WHERE account_id = $1 took 2.81s",
                logger="ledger/post.go:92",
            ),
            at(
                START,
                EXPIRY - 170.0,
                "INFO",
                "loaded client certificate /etc/payout/tls/client.crt subject=CN=payout-worker.acme-pay,O=Acme Pay notAfter=2026-09-30T00:00:00Z",
                logger="payout/tlsconf.go:33",
            ),
        ]
    )
    journal = LogFile("logs/payout-01-journal.txt", JournalByProgram("payout-01"))
    day0 = datetime(2026, 9, 28, 0, 0, tzinfo=UTC)
    journal.add(host_traffic(rng, day0, 52 * 60.0, 1100))
    for day, left in ((0, "2d"), (1, "1d")):
        t = day0 + timedelta(days=day, hours=3)
        journal.add(
            [
                at(
                    t,
                    0.0,
                    "INFO",
                    "Starting partner-cert-renew.service - Renew partner mTLS client certificate...",
                    logger="systemd[1]",
                ),
                at(
                    t,
                    0.02,
                    "INFO",
                    f"requesting renewal of /etc/payout/tls/client.crt (notAfter 2026-09-30T00:00:00Z, {left} left) from https://ca.internal/enroll",
                    logger=f"partner-cert-renew[{40112 + day * 977}]",
                ),
                at(
                    t,
                    0.05,
                    "ERROR",
                    'enroll failed: HTTP 401 {"error":"enrollment token expired","expired_at":"2026-08-31T23:59:59Z"}',
                    logger=f"partner-cert-renew[{40112 + day * 977}]",
                ),
                at(
                    t,
                    0.06,
                    "ERROR",
                    "partner-cert-renew.service: Main process exited, code=exited, status=1/FAILURE",
                    logger="systemd[1]",
                ),
                at(
                    t,
                    0.07,
                    "ERROR",
                    "partner-cert-renew.service: Failed with result 'exit-code'.",
                    logger="systemd[1]",
                ),
            ]
        )
    text = journal.render()
    tls = "\n".join(
        [
            "[root@payout-01 ~]# openssl x509 -in /etc/payout/tls/client.crt -noout -subject -issuer -dates",
            "subject=CN = payout-worker.acme-pay, O = Acme Pay",
            "issuer=CN = Acme Pay Partner Issuing CA 2",
            "notBefore=Jul  2 00:00:00 2026 GMT",
            "notAfter=Sep 30 00:00:00 2026 GMT",
            "[root@payout-01 ~]# systemctl list-timers partner-cert-renew.timer --all",
            "NEXT                        LEFT     LAST                        PASSED  UNIT                     ACTIVATES",
            "Wed 2026-09-30 03:00:00 UTC 1h 7min  Tue 2026-09-29 03:00:00 UTC 22h ago partner-cert-renew.timer partner-cert-renew.service",
            "[root@payout-01 ~]# systemctl is-failed partner-cert-renew.service",
            "failed",
            "",
        ]
    )
    points = 84
    csv = csv_text(
        START,
        300,
        points,
        {
            "payouts_sent_per_min": shift(rng, 42, 0, 36, 0.1),
            "payouts_backlog": shift(rng, 25, 3900, 37, 0.05, ramp=46),
            "gateway_p99_ms": steady(rng, 540, 0.1),
            "ledger_p99_ms": steady(rng, 35, 0.15),
        },
    )
    notes = "\n".join(
        [
            "On-call 30 Sep 01:50 UTC — payouts failing since ~00:00 UTC, backlog ~3k and climbing.",
            "Nordbank partner status page: 'planned maintenance 29/30 Sep 23:00-02:00 CET for the SEPA instant cluster (Frankfurt)'.",
            "Last week we saw a single 502 from the gateway, resolved by retry.",
            "",
        ]
    )
    return Bundle(
        question="Every payout to the bank partner fails since around midnight UTC and the backlog keeps growing. What is the root cause?",
        category="tls",
        component="payout-worker",
        statement="payout-worker's mTLS client certificate expired at 2026-09-30 00:00 UTC because its renewal timer has been failing (enrolment token expired); the bank gateway rejects the handshake with 'expired certificate', so every payout fails.",
        files={
            "notes.txt": notes,
            "payout-01-openssl.txt": tls,
            "metrics/payouts.csv": csv,
            "logs/payout-worker.log": app.render(),
            "logs/payout-01-journal.txt": text,
        },
        proofs=[
            Proof("payout-01-openssl.txt", "notAfter=Sep 30 00:00:00 2026 GMT"),
            Proof("logs/payout-worker.log", "notAfter=2026-09-30T00:00:00Z"),
            Proof(
                "logs/payout-01-journal.txt",
                "1d left) from",
                'enrollment token expired","expired_at":"2026-08-31T23:59:59Z"}',
            ),
        ],
        decoys=["planned maintenance 29/30 Sep", "slow ledger query", "409 DUPLICATE_REFERENCE"],
    )
