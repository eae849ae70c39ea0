# ruff: noqa: E501
# Hand-written systemd, application lines and pasted ss and sysctl output are data, kept whole on one line.
"""Host, an ephemeral port range widened over a service's listening port: a sysctl tuning file
pushed to the ledger hosts on Monday sets `net.ipv4.ip_local_port_range = 1024 65000` to make
room for more outbound connections. Ports below 32768, including ledger-api's 8443, can now be
handed out as source ports. At 16:21 AEST (+10:00) Thursday's release restarts ledger-api on
app-node-14; in the seconds it is down, pgbouncer's outbound connection to the database takes
local port 8443, and ledger-api fails to bind, "address already in use", and systemd restarts it
in a loop. The other three nodes restarted cleanly. Loud: the restart loop, the balancer's
backend DOWN. Decoys: the release itself (a new version), a /var/log usage warning, a
deprecation warning in the new version's start-up."""

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from records import Logfmt, Record, Syslog3164
from scenes import at
from traffic import host_traffic, traffic, web_api

BRISBANE = ZoneInfo("Australia/Brisbane")
START = datetime(2026, 11, 5, 15, 10, tzinfo=BRISBANE)
MINUTES = 140.0
DEPLOY = 71.0


class Journal10(Syslog3164):
    """`journalctl -o short` on an AEST host: local time, `host program[pid]: message`."""

    def render(self, record: Record) -> list[str]:
        local = record.time.astimezone(BRISBANE)
        return super().render(
            Record(local, record.level, record.message, record.trailer, record.logger)
        )


def bundle() -> Bundle:
    rng = random.Random(36519)
    journal = LogFile("logs/app-node-14-journal.txt", Journal10("app-node-14", "systemd", 1))
    journal.add(host_traffic(rng, START, MINUTES, 700))
    journal.add(
        [
            at(
                START,
                30.0,
                "WARN",
                "/var/log is 82% full (threshold 80%), largest: /var/log/ledger/audit.log.1 (6.1G)",
                logger="disk-watch[3321]",
            ),
            at(
                START,
                DEPLOY - 0.2,
                "INFO",
                "deploy: ledger-api 2026.11.5-1 -> 2026.11.5-2 (artifact sha256:8f1e0c7d), restarting ledger-api.service",
                logger="deployd[1188]",
            ),
            at(
                START,
                DEPLOY,
                "INFO",
                "Stopping ledger-api.service - Ledger API...",
                logger="systemd[1]",
            ),
            at(
                START,
                DEPLOY + 0.05,
                "INFO",
                "ledger-api.service: Deactivated successfully.",
                logger="systemd[1]",
            ),
            at(
                START,
                DEPLOY + 0.06,
                "INFO",
                "Stopped ledger-api.service - Ledger API.",
                logger="systemd[1]",
            ),
            at(
                START,
                DEPLOY + 0.07,
                "INFO",
                "Started ledger-api.service - Ledger API.",
                logger="systemd[1]",
            ),
        ]
    )
    for attempt in range(1, 40):
        minute = DEPLOY + 0.12 + attempt * 0.45
        if minute > MINUTES - 1:
            break
        pid = 52000 + attempt * 37
        utc = (
            (START + timedelta(minutes=minute + 0.005))
            .astimezone(UTC)
            .strftime("%Y-%m-%dT%H:%M:%SZ")
        )
        journal.add(
            [
                at(
                    START,
                    minute,
                    "WARN",
                    f'time={utc} level=warn msg="deprecated config key http.keepalive_secs, use http.idle_timeout" version=2026.11.5-2',
                    logger=f"ledger-api[{pid}]",
                ),
                at(
                    START,
                    minute + 0.01,
                    "ERROR",
                    f'time={utc} level=fatal msg="listen failed" addr=0.0.0.0:8443 err="listen tcp 0.0.0.0:8443: bind: address already in use" attempt={attempt}',
                    logger=f"ledger-api[{pid}]",
                ),
                at(
                    START,
                    minute + 0.02,
                    "ERROR",
                    "ledger-api.service: Main process exited, code=exited, status=1/FAILURE",
                    logger="systemd[1]",
                ),
                at(
                    START,
                    minute + 0.03,
                    "ERROR",
                    "ledger-api.service: Failed with result 'exit-code'.",
                    logger="systemd[1]",
                ),
                at(
                    START,
                    minute + 0.4,
                    "INFO",
                    f"ledger-api.service: Scheduled restart job, restart counter is at {attempt}.",
                    logger="systemd[1]",
                ),
            ]
        )
    pgb = LogFile("logs/app-node-14-pgbouncer.log", Journal10("app-node-14", "pgbouncer", 911))
    pgb.add(
        traffic(
            rng,
            lambda r: r.choice(
                [
                    (
                        "INFO",
                        f"stats: {r.randrange(100, 900)} xacts/s, {r.randrange(100, 1900)} queries/s, in {r.randrange(10**4, 10**5)} B/s, out {r.randrange(10**5, 10**6)} B/s, xact {r.randrange(300, 2000)} us, query {r.randrange(200, 900)} us, wait {r.randrange(0, 40)} us",
                        (),
                    ),
                    (
                        "INFO",
                        f"S-0x{r.getrandbits(40):010x}: ledger/ledger_app@10.40.1.20:5432 closing because: server idle timeout (age={r.randrange(600, 700)}s)",
                        (),
                    ),
                    (
                        "INFO",
                        f"S-0x{r.getrandbits(40):010x}: ledger/ledger_app@10.40.1.20:5432 new connection to server (from 10.40.3.14:{r.randrange(1024, 65000)})",
                        (),
                    ),
                ]
            ),
            START,
            MINUTES,
            900,
        )
    )
    pgb.add(
        [
            at(
                START,
                DEPLOY + 0.09,
                "INFO",
                "S-0x55d1c2e07a10: ledger/ledger_app@10.40.1.20:5432 new connection to server (from 10.40.3.14:8443)",
            )
        ]
    )
    lb = LogFile("logs/lb-ledger-haproxy.log", Syslog3164("lb-ledger-1", "haproxy", 1402))
    lb.add(
        [
            at(
                START,
                DEPLOY + 0.03,
                "WARN",
                'Server be_ledger/app-node-14 is DOWN, reason: Layer4 connection problem, info: "Connection refused", check duration: 0ms. 3 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.',
            ),
            at(
                START,
                DEPLOY - 9.0,
                "WARN",
                'Server be_ledger/app-node-11 is DOWN, reason: Layer4 connection problem, info: "Connection refused", check duration: 0ms. 3 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.',
            ),
            at(
                START,
                DEPLOY - 8.6,
                "INFO",
                "Server be_ledger/app-node-11 is UP, reason: Layer7 check passed, code: 200, check duration: 3ms. 4 active and 0 backup servers online. 0 sessions requeued, 0 total in queue.",
            ),
            at(
                START,
                DEPLOY - 4.0,
                "WARN",
                'Server be_ledger/app-node-12 is DOWN, reason: Layer4 connection problem, info: "Connection refused", check duration: 0ms. 3 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.',
            ),
            at(
                START,
                DEPLOY - 3.7,
                "INFO",
                "Server be_ledger/app-node-12 is UP, reason: Layer7 check passed, code: 200, check duration: 2ms. 4 active and 0 backup servers online. 0 sessions requeued, 0 total in queue.",
            ),
        ]
    )
    app = LogFile("logs/app-node-13-ledger-api.log", Logfmt("ledger-api", rng))
    app.add(
        traffic(
            rng, web_api("ledger-api", ["ledgers", "entries", "accounts"]), START, MINUTES, 2600
        )
    )
    shell = "\n".join(
        [
            "[ops@app-node-14 ~]$ sudo ss -tanp '( sport = :8443 or dport = :8443 )'",
            "State  Recv-Q Send-Q Local Address:Port  Peer Address:Port Process",
            'ESTAB  0      0         10.40.3.14:8443    10.40.1.20:5432  users:(("pgbouncer",pid=911,fd=41))',
            "[ops@app-node-14 ~]$ sysctl net.ipv4.ip_local_port_range net.ipv4.ip_local_reserved_ports",
            "net.ipv4.ip_local_port_range = 1024\t65000",
            "net.ipv4.ip_local_reserved_ports = ",
            "[ops@app-node-14 ~]$ grep -r ip_local /etc/sysctl.d/",
            "/etc/sysctl.d/90-net-tuning.conf:net.ipv4.ip_local_port_range = 1024 65000",
            "[ops@app-node-14 ~]$ ls -l --time-style=long-iso /etc/sysctl.d/90-net-tuning.conf",
            "-rw-r--r--. 1 root root 212 2026-11-02 09:14 /etc/sysctl.d/90-net-tuning.conf",
            "",
        ]
    )
    notes = "\n".join(
        [
            "Thu 5 Nov 16:40 AEST - ledger release 2026.11.5-2 rolled to app-node-11..14.",
            "11, 12, 13 came back fine. app-node-14 stuck restarting since 16:21, pool running on 3 of 4 nodes.",
            "Considering rolling back 2026.11.5-2?",
            "",
        ]
    )
    return Bundle(
        question="After today's ledger-api release app-node-14 keeps restarting ledger-api and never comes back into the pool, while the other nodes took the same release fine. Should we roll back, and what is the root cause?",
        category="configuration",
        component="app-node-14",
        statement="A sysctl file pushed on Monday widened app-node-14's ip_local_port_range to 1024-65000, so ledger-api's listening port 8443 is handed out as an ephemeral source port; during the restart pgbouncer's outbound database connection took local port 8443 and ledger-api cannot bind it (address already in use), looping in restarts. The release is not at fault.",
        files={
            "notes.txt": notes,
            "app-node-14-shell.txt": shell,
            "logs/app-node-14-journal.txt": journal.render(),
            "logs/app-node-14-pgbouncer.log": pgb.render(),
            "logs/lb-ledger-haproxy.log": lb.render(),
            "logs/app-node-13-ledger-api.log": app.render(),
        },
        proofs=[
            Proof("app-node-14-shell.txt", "10.40.3.14:8443    10.40.1.20:5432"),
            Proof("app-node-14-shell.txt", "90-net-tuning.conf:net.ipv4.ip_local_port_range"),
            Proof("logs/app-node-14-pgbouncer.log", "(from 10.40.3.14:8443)"),
        ],
        decoys=[
            "deprecated config key http.keepalive_secs",
            "/var/log is 82% full",
            "ledger-api 2026.11.5-1 -> 2026.11.5-2",
        ],
    )
