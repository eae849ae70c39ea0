# ruff: noqa: E501
# HAProxy syslog lines, gateway logback lines and pasted openssl output are data, kept whole on one line.
"""HAProxy, a cipher list without the terminals' suite: the hardening role applied to
tp-edge-01 at 08:14 UTC (09:14 BST) replaced `ssl-default-bind-ciphers` with an AEAD-only
list. The shop card terminals speak TLS 1.2 with CBC suites only (ECDHE-RSA-AES128-SHA256,
AES128-SHA256); their handshakes now fail with "no shared cipher" and they show "host
unreachable". The mobile app and web checkout negotiate GCM suites and are fine. Decoys: a
certificate renewed two days ago, a backend server briefly DOWN during a deploy, and routine
handshakes aborted by scanners."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from records import Journal, SpringBoot, Syslog3164
from scenes import at, fixed, loud
from traffic import host_traffic, traffic, web_api

START = datetime(2026, 8, 19, 6, 40, tzinfo=UTC)
MINUTES = 160.0
APPLY = 94.0  # 08:14 UTC


def http_line(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    client = f"{rng.choice([31, 82, 86, 109, 176])}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}:{rng.randrange(1024, 65535)}"
    stamp = "DATE"
    fe, be, server = rng.choice(
        [("fe_public~", "be_api", "api-0"), ("fe_terminals~", "be_terminal_gw", "tgw-0")]
    )
    path = (
        rng.choice(["/v3/payments", "/v3/payments/auth", "/v3/session", "/v3/catalog"])
        if be == "be_api"
        else rng.choice(["/t/v1/auth", "/t/v1/heartbeat", "/t/v1/settle"])
    )
    status = rng.choices([200, 201, 204, 400, 404], [70, 10, 10, 6, 4])[0]
    return (
        "INFO",
        f'{client} [{stamp}] {fe} {be}/{server}{rng.randrange(1, 4)} 0/0/{rng.randrange(0, 3)}/{rng.randrange(5, 140)}/{rng.randrange(6, 150)} {status} {rng.randrange(200, 4000)} - - ---- {rng.randrange(50, 400)}/{rng.randrange(40, 300)}/{rng.randrange(0, 20)}/{rng.randrange(0, 8)}/0 0/0 "{rng.choice(["GET", "POST"])} {path} HTTP/1.1"',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(57907)
    hap = LogFile("tp-edge-01/haproxy.log", Syslog3164("tp-edge-01", "haproxy", 2811))
    records = traffic(rng, http_line, START, MINUTES, 5200)
    for record in records:
        record_stamp = (
            record.time.strftime("%d/%b/%Y:%H:%M:%S.") + f"{record.time.microsecond // 1000:03d}"
        )
        hap.add(
            [
                record.__class__(
                    record.time,
                    record.level,
                    record.message.replace("DATE", record_stamp),
                    record.trailer,
                    record.logger,
                )
            ]
        )
    hap.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"{r.choice([45, 89, 185, 193])}.{r.randrange(256)}.{r.randrange(256)}.{r.randrange(1, 255)}:{r.randrange(1024, 65535)} [DATE] fe_public/1: Connection closed during SSL handshake",
                (),
            ),
            START,
            MINUTES,
            40,
        )
    )

    def no_shared(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
        return (
            "INFO",
            f"{r.choice([81, 86, 92, 151])}.{r.randrange(256)}.{r.randrange(256)}.{r.randrange(1, 255)}:{r.randrange(1024, 65535)} [DATE] fe_terminals/1: SSL handshake failure (error:0A0000C1:SSL routines::no shared cipher)",
            (),
        )

    hap.add(loud(rng, START, APPLY + 0.3, MINUTES - APPLY - 1, 1300, no_shared))
    hap.records = [
        r
        for r in hap.records
        if not (
            "fe_terminals~" in r.message
            and r.time > START + timedelta(minutes=APPLY)
            and rng.random() < 0.8
        )
    ]
    hap.records = [
        r.__class__(
            r.time,
            r.level,
            r.message.replace(
                "DATE", r.time.strftime("%d/%b/%Y:%H:%M:%S.") + f"{r.time.microsecond // 1000:03d}"
            ),
            r.trailer,
            r.logger,
        )
        for r in hap.records
    ]
    hap.add(
        [
            at(
                START,
                33.0,
                "WARN",
                'Server be_api/api-02 is DOWN, reason: Layer7 wrong status, code: 503, info: "Service Unavailable", check duration: 4ms. 2 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.',
            ),
            at(
                START,
                34.1,
                "INFO",
                "Server be_api/api-02 is UP, reason: Layer7 check passed, code: 200, check duration: 3ms. 3 active and 0 backup servers online. 0 sessions requeued, 0 total in queue.",
            ),
        ]
    )
    journal = LogFile("tp-edge-01/journalctl.txt", Journal("tp-edge-01", "ansible-playbook", 0))
    journal.add(
        [
            at(
                START,
                -2880.0,
                "INFO",
                "certbot: Congratulations, all renewals succeeded: /etc/letsencrypt/live/pay.tillpoint.example/fullchain.pem (success)",
            ),
            at(
                START,
                -2879.8,
                "INFO",
                "systemd[1]: Reloaded haproxy.service - HAProxy Load Balancer.",
            ),
            at(
                START,
                APPLY - 0.4,
                "INFO",
                "ansible-playbook: TASK [edge_hardening : Render haproxy.cfg] changed: [tp-edge-01]",
            ),
            at(
                START,
                APPLY - 0.39,
                "INFO",
                "ansible-playbook: --- before: /etc/haproxy/haproxy.cfg",
            ),
            at(
                START, APPLY - 0.38, "INFO", "ansible-playbook: +++ after: /etc/haproxy/haproxy.cfg"
            ),
            at(
                START,
                APPLY - 0.37,
                "INFO",
                "ansible-playbook: -    ssl-default-bind-ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-SHA256:AES128-SHA256",
            ),
            at(
                START,
                APPLY - 0.36,
                "INFO",
                "ansible-playbook: +    ssl-default-bind-ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305",
            ),
            at(
                START,
                APPLY - 0.35,
                "INFO",
                "ansible-playbook:      ssl-default-bind-options ssl-min-ver TLSv1.2 no-tls-tickets",
            ),
            at(
                START,
                APPLY - 0.1,
                "INFO",
                "ansible-playbook: RUNNING HANDLER [edge_hardening : reload haproxy] changed: [tp-edge-01]",
            ),
            at(
                START,
                APPLY,
                "INFO",
                "systemd[1]: Reloaded haproxy.service - HAProxy Load Balancer.",
            ),
        ]
    )
    journal.records = [
        r.__class__(r.time, r.level, r.message.split(": ", 1)[1], r.trailer, r.logger)
        for r in journal.records
    ]
    host = host_traffic(rng, START - timedelta(days=2), 2 * 24 * 60 + MINUTES, 1400)
    jtext = []
    for r in sorted(journal.records + host, key=lambda r: r.time):
        program = r.logger or (
            "systemd[1]"
            if r.message.startswith("Reloaded")
            else ("certbot[40122]" if "renewals" in r.message else "ansible-playbook[77410]")
        )
        jtext.append(
            f"{r.time.strftime('%Y-%m-%dT%H:%M:%S+0000')} tp-edge-01 {program}: {r.message}"
        )
    gw = LogFile(
        "terminal-gateway/terminal-gateway.log",
        SpringBoot(
            (
                "c.t.gw.auth.AuthController",
                "c.t.gw.fleet.HeartbeatMonitor",
                "c.t.gw.settle.SettlementJob",
            ),
            pid=1,
            rng=rng,
        ),
    )
    gw.add(
        traffic(
            rng,
            web_api("terminal-gateway", ["terminals", "auth", "settlements"]),
            START,
            MINUTES,
            3000,
        )
    )
    gw.add(
        loud(
            rng,
            START,
            APPLY + 3,
            MINUTES - APPLY - 4,
            140,
            fixed(
                "WARN",
                lambda r: (
                    f"fleet heartbeat: {r.randrange(900, 2300)} of 2412 terminals silent for > 3 min (last ok before 08:14Z); stores affected: {r.randrange(120, 310)}"
                ),
            ),
        )
    )
    checks = "\n".join(
        [
            "$ openssl s_client -connect tp-edge-01:443 -servername pay.tillpoint.example -tls1_2 -cipher 'ECDHE-RSA-AES128-SHA256:AES128-SHA256' </dev/null",
            "CONNECTED(00000003)",
            "40F7A1D2E67F0000:error:0A000410:SSL routines:ssl3_read_bytes:sslv3 alert handshake failure:../ssl/record/rec_layer_s3.c:1584:SSL alert number 40",
            "---",
            "no peer certificate available",
            "---",
            "No client certificate CA names sent",
            "---",
            "SSL handshake has read 7 bytes and written 208 bytes",
            "Verification: OK",
            "---",
            "New, (NONE), Cipher is (NONE)",
            "",
            "$ openssl s_client -connect tp-edge-01:443 -servername pay.tillpoint.example -tls1_2 </dev/null 2>/dev/null | grep -E 'Protocol|Cipher|NotAfter'",
            "    Protocol  : TLSv1.2",
            "    Cipher    : ECDHE-RSA-AES128-GCM-SHA256",
            "",
            "From the vendor sheet of the TP-400 terminals (firmware 5.2): TLS 1.2; cipher suites ECDHE-RSA-AES128-SHA256, AES128-SHA256.",
            "",
        ]
    )
    return Bundle(
        question="Since about 09:15 BST a large share of the card terminals in our shops show 'host unreachable' and cannot take payments; the mobile app and web checkout work. What is the root cause?",
        category="tls",
        component="tp-edge-01",
        statement="At 08:14 UTC the edge hardening role reloaded tp-edge-01 with an AEAD-only ssl-default-bind-ciphers list that dropped ECDHE-RSA-AES128-SHA256 and AES128-SHA256, the only suites the shops' TP-400 card devices support, so their handshakes fail with 'no shared cipher'.",
        files={
            "tp-edge-01/haproxy.log": hap.render(),
            "tp-edge-01/journalctl.txt": "\n".join(jtext) + "\n",
            "tp-edge-01/openssl-checks.txt": checks,
            "terminal-gateway/terminal-gateway.log": gw.render(),
        },
        proofs=[
            Proof(
                "tp-edge-01/journalctl.txt",
                "+    ssl-default-bind-ciphers ECDHE-ECDSA-AES128-GCM-SHA256",
            ),
            Proof("tp-edge-01/openssl-checks.txt", "sslv3 alert handshake failure"),
        ],
        decoys=[
            "Congratulations, all renewals succeeded",
            "Server be_api/api-02 is DOWN",
            "Connection closed during SSL handshake",
        ],
    )
