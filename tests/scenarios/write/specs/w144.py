# ruff: noqa: E501
# Hand-written log lines are data, kept whole on one line.
"""Single host: the 07:55 UTC database password rotation made an Ansible run at 07:58:12 rewrite
`/etc/settlement-worker/settlement.env` from a new template that spells the variable as the
Spring property `spring.datasource.password=...`. systemd's EnvironmentFile= accepts only shell
variable names, so it logs `Ignoring invalid environment assignment` (once per start) and the
JVM falls back to the stale password in application.yml; PostgreSQL rejects it, the Spring
context fails, the process exits 1 and systemd restarts it every ~20 s (restart counter into
the hundreds). Loud: Hikari's `password authentication failed` stack traces, PostgreSQL's
FATAL lines and payouts piling up. Decoys: the password rotation itself (the new password is
right), PostgreSQL's authentication failures, and node_exporter's textfile collector error."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from records import Postgres, Record
from scenes import java_trace
from traffic import database_server, host_traffic, traffic

START = datetime(2025, 6, 3, 7, 20, tzinfo=UTC)
ANSIBLE = datetime(2025, 6, 3, 7, 58, 12, 407000, tzinfo=UTC)
END = datetime(2025, 6, 3, 8, 41, tzinfo=UTC)
HOST = "batch-02"
ENV = "/etc/settlement-worker/settlement.env"
UNIT = "settlement-worker.service"


@dataclass
class JournalIso:
    """`journalctl -o short-iso` with each record's own program[pid]."""

    host: str

    def render(self, record: Record) -> list[str]:
        stamp = record.time.strftime("%Y-%m-%dT%H:%M:%S+00:00")
        return [
            f"{stamp} {self.host} {record.logger}: {record.message}",
            *(f"{stamp} {self.host} {record.logger}: {line}" for line in record.trailer),
        ]


def java(
    time: datetime, pid: int, level: str, logger: str, message: str, trailer: tuple[str, ...] = ()
) -> Record:
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{time.microsecond // 1000:03d}Z"
    return Record(
        time,
        "INFO",
        f"{stamp} {level:>5} {pid} --- [settlement-worker] [           main] {logger:<40} : {message}",
        trailer,
        f"java[{pid}]",
    )


def healthy_run(rng: random.Random, pid: int, begin: datetime, end: datetime) -> list[Record]:
    records = []
    time = begin
    while time < end:
        batch = rng.randrange(10**6)
        records.append(
            java(
                time,
                pid,
                "INFO",
                "c.a.settlement.PayoutBatchJob",
                f"settled payout batch {batch}: {rng.randrange(20, 400)} transfers, {rng.randrange(1000, 90000)}.{rng.randrange(100):02d} EUR in {rng.randrange(200, 3000)} ms",
            )
        )
        time += timedelta(seconds=rng.uniform(8, 30))
    return records


def failed_start(
    rng: random.Random, begin: datetime, counter: int
) -> tuple[list[Record], datetime]:
    pid = rng.randrange(20000, 60000)
    t = begin
    records = [
        Record(
            t,
            "INFO",
            f"{UNIT}: Ignoring invalid environment assignment 'spring.datasource.password=q7Lr2VxN9pTzK4mB8wEc': {ENV}",
            (),
            "systemd[1]",
        ),
        Record(
            t + timedelta(milliseconds=12),
            "INFO",
            "Started settlement-worker.service - Settlement worker.",
            (),
            "systemd[1]",
        ),
    ]
    t += timedelta(seconds=rng.uniform(2.1, 2.6))
    records.append(
        java(
            t,
            pid,
            "INFO",
            "c.a.settlement.SettlementApplication",
            f"Starting SettlementApplication v4.12.1 using Java 21.0.3 with PID {pid} (/opt/settlement-worker/settlement-worker.jar started by settle in /opt/settlement-worker)",
        )
    )
    t += timedelta(seconds=rng.uniform(3.5, 4.5))
    records.append(
        java(t, pid, "INFO", "com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Starting...")
    )
    t += timedelta(milliseconds=rng.randrange(60, 140))
    records.append(
        java(
            t,
            pid,
            "ERROR",
            "com.zaxxer.hikari.pool.HikariPool",
            "HikariPool-1 - Exception during pool initialization.",
            tuple(
                java_trace(
                    'org.postgresql.util.PSQLException: FATAL: password authentication failed for user "settlement"',
                    [
                        "org.postgresql.core.v3.ConnectionFactoryImpl.doAuthentication(ConnectionFactoryImpl.java:693)",
                        "org.postgresql.core.v3.ConnectionFactoryImpl.tryConnect(ConnectionFactoryImpl.java:203)",
                        "org.postgresql.core.v3.ConnectionFactoryImpl.openConnectionImpl(ConnectionFactoryImpl.java:258)",
                        "com.zaxxer.hikari.pool.HikariPool.checkFailFast(HikariPool.java:554)",
                    ],
                    more=62,
                )
            ),
        )
    )
    t += timedelta(milliseconds=rng.randrange(300, 600))
    records.append(java(t, pid, "ERROR", "o.s.boot.SpringApplication", "Application run failed"))
    t += timedelta(milliseconds=rng.randrange(200, 500))
    records += [
        Record(
            t,
            "INFO",
            f"{UNIT}: Main process exited, code=exited, status=1/FAILURE",
            (),
            "systemd[1]",
        ),
        Record(
            t + timedelta(milliseconds=1),
            "INFO",
            f"{UNIT}: Failed with result 'exit-code'.",
            (),
            "systemd[1]",
        ),
        Record(
            t + timedelta(milliseconds=2),
            "INFO",
            f"{UNIT}: Consumed {rng.uniform(11, 15):.3f}s CPU time.",
            (),
            "systemd[1]",
        ),
    ]
    t += timedelta(seconds=10, milliseconds=rng.randrange(50, 150))
    records.append(
        Record(
            t,
            "INFO",
            f"{UNIT}: Scheduled restart job, restart counter is at {counter}.",
            (),
            "systemd[1]",
        )
    )
    records.append(
        Record(
            t + timedelta(milliseconds=3),
            "INFO",
            "Stopped settlement-worker.service - Settlement worker.",
            (),
            "systemd[1]",
        )
    )
    return records, t + timedelta(milliseconds=rng.randrange(5, 20))


def bundle() -> Bundle:
    rng = random.Random(1144)
    journal = LogFile(f"journal-{HOST}.txt", JournalIso(HOST))
    journal.add(host_traffic(rng, START, (END - START).total_seconds() / 60, 700))
    journal.add(healthy_run(rng, 41877, START, ANSIBLE + timedelta(seconds=6)))
    python_pid = 63318
    ansible = [
        (
            0,
            "ansible-ansible.legacy.setup Invoked with gather_subset=['all'] gather_timeout=10 filter=[] fact_path=/etc/ansible/facts.d",
        ),
        (
            3.1,
            f"ansible-ansible.legacy.stat Invoked with path={ENV} follow=False get_md5=False get_checksum=True get_mime=True get_attributes=True checksum_algorithm=sha1",
        ),
        (
            4.2,
            f"ansible-ansible.legacy.copy Invoked with dest={ENV} mode=0640 owner=root group=settle src=/home/deploy/.ansible/tmp/ansible-tmp-1748937496.41-63102-188611404116244/source backup=True force=True follow=False unsafe_writes=False",
        ),
        (
            6.3,
            "ansible-ansible.legacy.systemd Invoked with name=settlement-worker state=restarted daemon_reload=False daemon_reexec=False scope=system no_block=False enabled=None force=None masked=None",
        ),
    ]
    for offset, message in ansible:
        journal.add(
            [
                Record(
                    ANSIBLE + timedelta(seconds=offset),
                    "INFO",
                    message,
                    (),
                    f"python3[{python_pid + int(offset)}]",
                )
            ]
        )
    stop = ANSIBLE + timedelta(seconds=6.4)
    journal.add(
        [
            Record(
                stop,
                "INFO",
                "Stopping settlement-worker.service - Settlement worker...",
                (),
                "systemd[1]",
            ),
            java(
                stop + timedelta(milliseconds=90),
                41877,
                "INFO",
                "o.s.b.w.e.tomcat.GracefulShutdown",
                "Commencing graceful shutdown. Waiting for active requests to complete",
            ),
            Record(
                stop + timedelta(seconds=1.8),
                "INFO",
                f"{UNIT}: Deactivated successfully.",
                (),
                "systemd[1]",
            ),
            Record(
                stop + timedelta(seconds=1.81),
                "INFO",
                "Stopped settlement-worker.service - Settlement worker.",
                (),
                "systemd[1]",
            ),
            Record(
                stop + timedelta(seconds=1.82),
                "INFO",
                f"{UNIT}: Consumed 3h 41min 12.907s CPU time.",
                (),
                "systemd[1]",
            ),
        ]
    )
    begin = stop + timedelta(seconds=1.83)
    counter = 1
    while begin < END:
        records, begin = failed_start(rng, begin, counter)
        journal.add(records)
        counter += 1
    for minute in range(0, 81, 5):
        when = START + timedelta(minutes=minute, seconds=17)
        message = f'ts={when.strftime("%Y-%m-%dT%H:%M:%S")}.201Z caller=textfile.go:227 level=error collector=textfile msg="failed to collect textfile data" file=settlement_backlog.prom err="failed to parse textfile data from \\"/var/lib/node_exporter/textfile/settlement_backlog.prom\\": text format parsing error in line 3: expected float as value, got \\"NaN%\\""'
        journal.add([Record(when, "INFO", message, (), "node_exporter[902]")])
    first = journal.records
    postgres = LogFile("logs/db-01-postgresql.log", Postgres(rng=rng))
    postgres.add(traffic(rng, database_server(), START, (END - START).total_seconds() / 60, 1500))
    failures = sorted(
        record.time for record in first if "Exception during pool initialization" in record.message
    )
    postgres.add(
        [
            Record(
                time - timedelta(milliseconds=8),
                "FATAL",
                'password authentication failed for user "settlement"',
            )
            for time in failures
        ]
    )
    notes = "\n".join(
        [
            "settlement payouts are stuck since ~08:00 UTC; backlog 3,400 and growing.",
            "Today 07:55 UTC: quarterly rotation of the settlement DB password (Vault + ALTER ROLE done by DBA, confirmed working with psql).",
            "",
            f"$ systemctl status {UNIT}",
            "● settlement-worker.service - Settlement worker",
            "     Loaded: loaded (/etc/systemd/system/settlement-worker.service; enabled; preset: enabled)",
            "     Active: activating (auto-restart) (Result: exit-code) since Tue 2025-06-03 08:40:52 UTC; 6s ago",
            "    Process: 58114 ExecStart=/usr/bin/java -Xmx2g -jar /opt/settlement-worker/settlement-worker.jar (code=exited, status=1/FAILURE)",
            "   Main PID: 58114 (code=exited, status=1/FAILURE)",
            "        CPU: 12.904s",
            "",
            f"$ systemctl cat {UNIT} | grep -E 'Environment|Restart'",
            f"EnvironmentFile={ENV}",
            "Restart=on-failure",
            "RestartSec=10",
            "",
        ]
    )
    files = {
        "notes.md": notes,
        f"journal-{HOST}.txt": journal.render(),
        "logs/db-01-postgresql.log": postgres.render(),
    }
    return Bundle(
        question="settlement-worker on batch-02 has been restarting over and over since about 08:00 UTC and no payouts go out. What is the root cause?",
        category="configuration",
        component="settlement-worker",
        statement="The Ansible run at 07:58 UTC rewrote /etc/settlement-worker/settlement.env with the key `spring.datasource.password=...`, which systemd's EnvironmentFile= rejects (`Ignoring invalid environment assignment`), so settlement-worker starts with the stale password from application.yml, fails PostgreSQL authentication, exits 1 and is restarted by systemd in a loop.",
        files=files,
        proofs=[Proof(f"journal-{HOST}.txt", FIRST_IGNORED)],
        decoys=[
            "password authentication failed",
            "failed to collect textfile data",
            "quarterly rotation",
        ],
    )


FIRST_IGNORED = "07:58:20+00:00 batch-02 systemd[1]: settlement-worker.service: Ignoring invalid"
