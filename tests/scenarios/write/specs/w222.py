# ruff: noqa: E501
# Hand-written maillog lines, pasted command output and notes are data, kept whole on one line.
"""Mail relay, rate limit: mail-relay-01 (Postfix) sends the shop's transactional mail (password
resets, order confirmations) from 203.0.113.25. Marketing's spring campaign, moved this week from
the ESP to "our own relay" to save cost, was injected by nl-batch-02 at 08:00 UTC: 180,000
recipients in 360 messages of 500 recipients each, through mail-relay-01. Within minutes Gmail and
then Outlook rate-limit the relay's IP (421-4.7.28 "unusual rate of unsolicited mail",
451 4.7.500 "Server busy"), and every message to those domains, transactional ones included, is
deferred; the queue grows to 150,000. Loud: deferrals and support tickets about missing reset
mails; accounts-api itself reports every mail accepted ("250 2.0.0 Ok: queued"). Decoys:
Postfix's "hostname ... does not resolve" warnings, one DMARC reject from a small provider, and
a /var/spool disk usage warning."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from records import JsonLines, Record
from scenes import at, fixed, loud
from traffic import traffic

START = datetime(2025, 4, 15, 6, 30, tzinfo=UTC)
END = datetime(2025, 4, 15, 10, 0, tzinfo=UTC)
CAMPAIGN = datetime(2025, 4, 15, 8, 0, 3, tzinfo=UTC)
GMAIL = "gmail-smtp-in.l.google.com[142.250.102.27]:25"
OUTLOOK = "shopexample-mail-protection-outlook-com.mail.protection.outlook.com[52.101.68.14]:25"
ALPHABET = "0123456789BCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz"


@dataclass
class Maillog:
    """`/var/log/maillog` through rsyslog: `Apr 15 08:00:03 mail-relay-01 postfix/smtp[2211]: ...`; the record's logger is the program."""

    def render(self, record: Record) -> list[str]:
        stamp = record.time.strftime("%b ") + f"{record.time.day:2d}" + record.time.strftime(" %T")
        return [f"{stamp} mail-relay-01 {record.logger}: {record.message}"]


def queue_id(rng: random.Random) -> str:
    return "4" + "".join(rng.choice(ALPHABET) for _ in range(11))


def recipient(rng: random.Random, domain: str) -> str:
    return f"{rng.choice(['anna', 'ben', 'chris', 'dana', 'eli', 'fatma', 'greg', 'hana', 'ivan', 'jo'])}.{rng.choice(['k', 'm', 'schmidt', 'lee', 'ortiz', 'nguyen', 'b'])}{rng.randrange(1, 999)}@{domain}"


def delivered(rng: random.Random) -> list[tuple[str, str]]:
    qid = queue_id(rng)
    domain = rng.choices(
        ["gmail.com", "outlook.com", "web.de", "gmx.net", "icloud.com", "shop-partner.de"],
        [40, 25, 12, 10, 8, 5],
    )[0]
    relay = (
        GMAIL
        if domain == "gmail.com"
        else OUTLOOK
        if domain == "outlook.com"
        else f"mx.{domain}[{rng.randrange(80, 212)}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}]:25"
    )
    client = f"app-{rng.randrange(1, 7):02d}.prod.internal[10.30.1.{rng.randrange(11, 17)}]"
    pid = rng.randrange(2000, 9000)
    total = rng.uniform(0.3, 2.4)
    return [
        (f"postfix/smtpd[{pid}]", f"{qid}: client={client}"),
        (
            f"postfix/cleanup[{rng.randrange(2000, 9000)}]",
            f"{qid}: message-id=<{rng.getrandbits(64):016x}@accounts.shop.example>",
        ),
        (
            "postfix/qmgr[1187]",
            f"{qid}: from=<no-reply@shop.example>, size={rng.randrange(6000, 24000)}, nrcpt=1 (queue active)",
        ),
        (
            f"postfix/smtp[{rng.randrange(2000, 9000)}]",
            f"{qid}: to=<{recipient(rng, domain)}>, relay={relay}, delay={total:.1f}, delays=0.01/0.01/{total / 3:.2f}/{total / 2:.2f}, dsn=2.0.0, status=sent (250 2.0.0 OK  {rng.randrange(1713100000, 1713200000)} {rng.getrandbits(40):010x}.{rng.randrange(100, 999)} - gsmtp)"
            if domain == "gmail.com"
            else f"{qid}: to=<{recipient(rng, domain)}>, relay={relay}, delay={total:.1f}, delays=0.01/0.01/{total / 3:.2f}/{total / 2:.2f}, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as {rng.getrandbits(40):010X})",
        ),
        ("postfix/qmgr[1187]", f"{qid}: removed"),
    ]


def deferred(rng: random.Random, domain: str, longest: float) -> list[tuple[str, str]]:
    qid = queue_id(rng)
    delay = rng.uniform(1, max(2.0, longest))
    if domain == "gmail.com":
        reply = f"host {GMAIL.removesuffix(':25')} said: 421-4.7.28 [203.0.113.25      15] Our system has detected an unusual rate of 421-4.7.28 unsolicited mail originating from your IP address. To protect our 421-4.7.28 users from spam, mail sent from your IP address has been temporarily 421-4.7.28 rate limited. For more information, go to 421-4.7.28  https://support.google.com/mail/?p=UnsolicitedRateLimitError to 421 4.7.28 review our Bulk Email Senders Guidelines. {rng.getrandbits(40):010x}.{rng.randrange(100, 999)} - gsmtp (in reply to end of data command)"
        relay = GMAIL
        dsn = "4.7.28"
    else:
        reply = f"host {OUTLOOK.removesuffix(':25')} said: 451 4.7.500 Server busy. Please try again later from [203.0.113.25]. (S77719) [AM{rng.randrange(1, 9)}PEPF0000{rng.getrandbits(24):06X}.eurprd05.prod.outlook.com 2025-04-15T{rng.randrange(8, 10):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d}.{rng.randrange(10**7):07d}Z {rng.getrandbits(64):016X}] (in reply to MAIL FROM command)"
        relay = OUTLOOK
        dsn = "4.7.500"
    return [
        (
            f"postfix/smtp[{rng.randrange(2000, 9000)}]",
            f"{qid}: to=<{recipient(rng, domain)}>, relay={relay}, delay={delay:.0f}, delays={max(0.1, delay - 1):.1f}/0.02/0.41/0.3, dsn={dsn}, status=deferred ({reply})",
        )
    ]


def bundle() -> Bundle:
    rng = random.Random(2222)
    total = (END - START).total_seconds() / 60
    campaign = (CAMPAIGN - START).total_seconds() / 60

    log = LogFile("logs/maillog", Maillog())
    for offset in sorted(rng.random() * total for _ in range(900)):
        when = START + timedelta(minutes=offset)
        if offset > campaign + 4 and rng.random() < 0.7:
            for index, (program, message) in enumerate(delivered(rng)[:3]):
                log.add(
                    [
                        Record(
                            when + timedelta(milliseconds=index * 30), "INFO", message, (), program
                        )
                    ]
                )
            continue
        for index, (program, message) in enumerate(delivered(rng)):
            log.add(
                [
                    Record(
                        when + timedelta(milliseconds=index * rng.randrange(20, 600)),
                        "INFO",
                        message,
                        (),
                        program,
                    )
                ]
            )
    for offset in sorted(rng.uniform(campaign + 3, total) for _ in range(2400)):
        program, message = deferred(
            rng, rng.choice(["gmail.com", "gmail.com", "outlook.com"]), (offset - campaign) * 60
        )[0]
        log.add([Record(START + timedelta(minutes=offset), "INFO", message, (), program)])
    log.add(
        loud(
            rng,
            START,
            0,
            total,
            120,
            fixed(
                "WARN",
                lambda r: (
                    f"warning: hostname {r.choice(['dsl', 'pool', 'dyn'])}-{r.randrange(10, 250)}-{r.randrange(10, 250)}.isp.example does not resolve to address 198.18.{r.randrange(256)}.{r.randrange(1, 255)}: Name or service not known"
                ),
            ),
        )
    )
    log.records = [
        Record(
            r.time,
            r.level,
            r.message,
            r.trailer,
            r.logger or f"postfix/smtpd[{rng.randrange(2000, 9000)}]",
        )
        for r in log.records
    ]
    batch = [
        ("postfix/smtpd[30412]", "connect from nl-batch-02.prod.internal[10.30.4.22]"),
        (
            "postfix/smtpd[30412]",
            "Anonymous TLS connection established from nl-batch-02.prod.internal[10.30.4.22]: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)",
        ),
    ]
    for index, (program, message) in enumerate(batch):
        log.add(
            [Record(CAMPAIGN + timedelta(milliseconds=index * 40), "INFO", message, (), program)]
        )
    first = queue_id(rng)
    log.add(
        [
            Record(
                CAMPAIGN + timedelta(milliseconds=210),
                "INFO",
                f"{first}: client=nl-batch-02.prod.internal[10.30.4.22]",
                (),
                "postfix/smtpd[30412]",
            ),
            Record(
                CAMPAIGN + timedelta(milliseconds=260),
                "INFO",
                f"{first}: message-id=<spring25-000001@mail.shop.example>",
                (),
                "postfix/cleanup[30418]",
            ),
            Record(
                CAMPAIGN + timedelta(milliseconds=330),
                "INFO",
                f"{first}: from=<news@mail.shop.example>, size=61877, nrcpt=500 (queue active)",
                (),
                "postfix/qmgr[1187]",
            ),
        ]
    )
    for number in range(2, 361):
        when = CAMPAIGN + timedelta(seconds=number * 0.9 + rng.random() * 0.3)
        qid = queue_id(rng)
        log.add(
            [
                Record(
                    when,
                    "INFO",
                    f"{qid}: client=nl-batch-02.prod.internal[10.30.4.22]",
                    (),
                    "postfix/smtpd[30412]",
                ),
                Record(
                    when + timedelta(milliseconds=40),
                    "INFO",
                    f"{qid}: message-id=<spring25-{number:06d}@mail.shop.example>",
                    (),
                    f"postfix/cleanup[{30418 + number % 3}]",
                ),
                Record(
                    when + timedelta(milliseconds=90),
                    "INFO",
                    f"{qid}: from=<news@mail.shop.example>, size={rng.randrange(61000, 62500)}, nrcpt=500 (queue active)",
                    (),
                    "postfix/qmgr[1187]",
                ),
            ]
        )
    log.add(
        [
            Record(
                CAMPAIGN + timedelta(seconds=330),
                "INFO",
                "disconnect from nl-batch-02.prod.internal[10.30.4.22] ehlo=2 starttls=1 mail=360 rcpt=180000 data=360 quit=1 commands=1084",
                (),
                "postfix/smtpd[30412]",
            ),
            at(
                START,
                47.0,
                "INFO",
                f"{queue_id(rng)}: to=<info@kleinmail.example>, relay=mx01.kleinmail.example[185.22.41.9]:25, delay=1.2, delays=0.01/0/0.6/0.6, dsn=5.7.1, status=bounced (host mx01.kleinmail.example[185.22.41.9] said: 550 5.7.1 Message rejected due to DMARC policy of sender domain (in reply to end of data command))",
                logger="postfix/smtp[4410]",
            ),
            at(
                START,
                171.0,
                "WARN",
                "warning: not enough free space in mail queue: 2147483648 bytes < 1.5*message size limit",
                logger="postfix/smtpd[7781]",
            ),
        ]
    )

    api = LogFile(
        "logs/accounts-api.log",
        JsonLines("accounts-api", keys=("time", "level", "message"), rng=rng),
    )
    api.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                r.choice(
                    [
                        f"login ok user={r.randrange(10**6)}",
                        f"token refreshed user={r.randrange(10**6)}",
                        f"GET /v1/me 200 {r.randrange(3, 40)}ms",
                        f"password reset requested user={r.randrange(10**6)}; mail submitted to mail-relay-01:587: 250 2.0.0 Ok: queued as {queue_id(r)}",
                    ]
                ),
                (),
            ),
            START,
            total,
            3000,
        )
    )
    api.add(
        loud(
            rng,
            START,
            campaign + 30,
            total - campaign - 31,
            240,
            fixed(
                "WARN",
                lambda r: (
                    f"password reset requested again within 10 min user={r.randrange(10**6)} (attempt {r.randrange(2, 6)}); mail submitted to mail-relay-01:587: 250 2.0.0 Ok: queued as {queue_id(r)}"
                ),
            ),
        )
    )

    mailq = "\n".join(
        [
            "[root@mail-relay-01 ~]# mailq | tail -1",
            "-- 9166212 Kbytes in 151883 Requests.",
            "[root@mail-relay-01 ~]# qshape -s deferred | head -6",
            "                                    T  5 10 20 40 80 160 320 640 1280 1280+",
            "                             TOTAL 151883 1211 2420 4980 10177 31812 101283 0 0 0 0",
            "                         gmail.com 98112 781 1561 3217 6577 20551 65425 0 0 0 0",
            "                       outlook.com 41877 333 667 1371 2806 8771 27929 0 0 0 0",
            "                       hotmail.com 8121 65 129 266 544 1701 5416 0 0 0 0",
            "                     googlemail.com 3773 32 63 126 250 789 2513 0 0 0 0",
            "[root@mail-relay-01 ~]# df -h /var/spool/postfix",
            "Filesystem                 Size  Used Avail Use% Mounted on",
            "/dev/mapper/vg0-spool       20G   17G  3.1G  85% /var/spool",
            "",
        ]
    )
    notes = "\n".join(
        [
            "Support escalation 10:00 UTC",
            "",
            "- Since ~08:10 customers complain they don't get password reset and order confirmation mails (mostly gmail / outlook users). About 300 tickets.",
            "- accounts-api shows every mail accepted by the relay (250 Ok: queued).",
            "- Marketing: spring campaign went out at 08:00 as planned, 180k recipients.",
            "- Ops: /var/spool on mail-relay-01 at 85%, alert fired 09:21.",
            "- DMARC: one bounce from kleinmail.example this morning, their policy is strict, known issue.",
            "",
        ]
    )
    files = {
        "notes.md": notes,
        "mail-relay-01-queue.txt": mailq,
        "logs/maillog": log.render(),
        "logs/accounts-api.log": api.render(),
    }
    return Bundle(
        question="Customers stopped receiving password reset and order confirmation emails around 08:10 UTC, although our API says every mail is accepted. What is going on?",
        category="rate_limit",
        component="mail-relay-01",
        statement="At 08:00 UTC marketing's campaign (180,000 recipients from nl-batch-02) was sent through the transactional relay mail-relay-01; Gmail (421-4.7.28) and Outlook (451 4.7.500) then rate-limit the relay's IP 203.0.113.25, so from about 08:04 every message to those domains, resets and confirmations included, is deferred and the queue grows to 150,000.",
        files=files,
        proofs=[
            Proof(
                "logs/maillog",
                "]: connect from nl-batch-02.prod.internal[10.30.4.22]",
                "nrcpt=500 (queue active)",
            ),
            Proof("logs/maillog", "disconnect from nl-batch-02.prod.internal"),
        ],
        decoys=[
            "does not resolve to address",
            "Message rejected due to DMARC policy",
            "not enough free space in mail queue",
        ],
    )
