# ruff: noqa: E501
# Hand-written log lines and stack frames are data, kept whole on one line.
"""A Puppet run leaves an invalid line in etl-04's chrony.conf; after the 02:04 kernel-patch
reboot chronyd refuses to start and the clock comes up from a drifted hardware clock 6m40s
behind. The KDC answers every Kerberos request from etl-04 with CLOCK_SKEW, so the Spark
tasks Airflow places on etl-04 fail loudly while etl-01..03 keep working."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from records import Record, Syslog3164
from scenes import java_trace
from traffic import host_traffic

START = datetime(2024, 5, 14, 1, 30, tzinfo=UTC)
END_MINUTE = 90
PUPPET_MINUTE = 18.2
REBOOT_MINUTE = 34.0
BOOTED_MINUTE = 35.1
SKEW = timedelta(seconds=-400)
HOSTS = {
    "etl-01": "10.30.4.21",
    "etl-02": "10.30.4.22",
    "etl-03": "10.30.4.23",
    "etl-04": "10.30.4.24",
}
ETYPES = "(3 etypes {aes256-cts-hmac-sha1-96(18), aes128-cts-hmac-sha1-96(17), aes256-cts-hmac-sha384-192(20)})"
TASKS = [
    "load_orders",
    "load_payments",
    "build_sessions",
    "dedupe_events",
    "export_finance",
    "compact_clicks",
]


@dataclass
class Airflow:
    """Airflow's `[%(asctime)s] {file:line} LEVEL - message` with ISO time and offset."""

    skewed_after: datetime | None = None

    def render(self, record: Record) -> list[str]:
        time = record.time
        if self.skewed_after and time >= self.skewed_after:
            time = time + SKEW
        text = time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{time.microsecond // 1000:03d}+0000"
        level = {"WARN": "WARNING"}.get(record.level, record.level)
        return [
            f"[{text}] {{{record.logger or 'taskinstance.py:1138'}}} {level} - {record.message}",
            *record.trailer,
        ]


@dataclass
class SkewedSyslog:
    """BSD syslog written by a host whose clock runs `SKEW` behind after it boots."""

    host: str
    skewed_after: datetime

    def render(self, record: Record) -> list[str]:
        time = record.time + SKEW if record.time >= self.skewed_after else record.time
        stamp = time.strftime("%b ") + f"{time.day:2d}" + time.strftime(" %T")
        return [f"{stamp} {self.host} {record.logger}: {record.message}"]


def minute(value: float) -> datetime:
    return START + timedelta(minutes=value)


def kdc_records(rng: random.Random) -> list[Record]:
    records = []
    for offset in sorted(rng.random() * END_MINUTE for _ in range(2600)):
        roll = rng.random()
        host = rng.choice(list(HOSTS))
        address = (
            HOSTS[host] if roll < 0.6 else f"10.30.{rng.choice([2, 3, 7])}.{rng.randrange(10, 200)}"
        )
        principal = (
            "svc-etl"
            if roll < 0.6
            else rng.choice(["alice.m", "j.okafor", "svc-reporting", "svc-backup", "k.lindqvist"])
        )
        authtime = int(minute(offset).timestamp())
        skewed = host == "etl-04" and roll < 0.6 and offset > BOOTED_MINUTE + 0.4
        if skewed:
            message = f"AS_REQ {ETYPES} {address}: CLOCK_SKEW: {principal}@CORP.EXAMPLE.COM for krbtgt/CORP.EXAMPLE.COM@CORP.EXAMPLE.COM, Clock skew too great"
        elif (
            host == "etl-04" and roll < 0.6 and REBOOT_MINUTE - 0.3 < offset <= BOOTED_MINUTE + 0.4
        ):
            continue
        elif rng.random() < 0.45:
            message = f"AS_REQ {ETYPES} {address}: ISSUE: authtime {authtime}, etypes {{rep=aes256-cts-hmac-sha1-96(18), tkt=aes256-cts-hmac-sha1-96(18), ses=aes256-cts-hmac-sha1-96(18)}}, {principal}@CORP.EXAMPLE.COM for krbtgt/CORP.EXAMPLE.COM@CORP.EXAMPLE.COM"
        else:
            service = rng.choice(
                [
                    "nn/namenode-1.corp.example.com",
                    "HTTP/yarn-rm.corp.example.com",
                    "hive/hms-1.corp.example.com",
                ]
            )
            message = f"TGS_REQ (3 etypes {{aes256-cts-hmac-sha1-96(18), aes128-cts-hmac-sha1-96(17), aes256-cts-hmac-sha384-192(20)}}) {address}: ISSUE: authtime {authtime - rng.randrange(60, 30000)}, etypes {{rep=aes256-cts-hmac-sha1-96(18), tkt=aes256-cts-hmac-sha1-96(18), ses=aes256-cts-hmac-sha1-96(18)}}, {principal}@CORP.EXAMPLE.COM for {service}@CORP.EXAMPLE.COM"
        records.append(Record(minute(offset), "INFO", message, (), "krb5kdc[1423](info)"))
    records.append(
        Record(
            minute(BOOTED_MINUTE + 0.41),
            "INFO",
            f"AS_REQ {ETYPES} 10.30.4.24: CLOCK_SKEW: host/etl-04.corp.example.com@CORP.EXAMPLE.COM for krbtgt/CORP.EXAMPLE.COM@CORP.EXAMPLE.COM, Clock skew too great",
            (),
            "krb5kdc[1423](info)",
        )
    )
    return records


def journal_records(rng: random.Random) -> list[Record]:
    records = host_traffic(rng, START, END_MINUTE, 700)
    records = [
        record
        for record in records
        if not REBOOT_MINUTE - 0.2
        < (record.time - START).total_seconds() / 60
        < BOOTED_MINUTE + 0.5
    ]
    records += [
        Record(
            minute(PUPPET_MINUTE),
            "INFO",
            "(/Stage[main]/Profile::Time/File[/etc/chrony/chrony.conf]/content) content changed '{sha256}9f3b1c0e7a' to '{sha256}41d7e2a8c5'",
            (),
            "puppet-agent[20114]",
        ),
        Record(
            minute(PUPPET_MINUTE + 0.02),
            "INFO",
            "(/Stage[main]/Profile::Time/Service[chrony]) Triggered 'refresh' from 1 event",
            (),
            "puppet-agent[20114]",
        ),
        Record(
            minute(PUPPET_MINUTE + 0.03),
            "INFO",
            "Applied catalog in 41.07 seconds",
            (),
            "puppet-agent[20114]",
        ),
        Record(
            minute(REBOOT_MINUTE - 0.1),
            "INFO",
            "unattended-upgrade: reboot required by linux-image-5.15.0-107-generic, rebooting now",
            (),
            "unattended-upgrade[30121]",
        ),
        Record(
            minute(REBOOT_MINUTE),
            "INFO",
            "Stopping chrony.service - chrony, an NTP client/server...",
            (),
            "systemd[1]",
        ),
        Record(minute(REBOOT_MINUTE + 0.005), "INFO", "chronyd exiting", (), "chronyd[1187]"),
        Record(
            minute(REBOOT_MINUTE + 0.02),
            "INFO",
            "Reached target reboot.target - System Reboot.",
            (),
            "systemd[1]",
        ),
        Record(
            minute(BOOTED_MINUTE),
            "INFO",
            "Linux version 5.15.0-107-generic (buildd@lcy02-amd64-017) (gcc (Ubuntu 11.4.0-1ubuntu1~22.04) 11.4.0) #117-Ubuntu SMP Fri Apr 26 12:26:49 UTC 2024",
            (),
            "kernel",
        ),
        Record(
            minute(BOOTED_MINUTE + 0.001),
            "INFO",
            "rtc_cmos 00:01: setting system clock to 2024-05-14T01:58:26 UTC (1715651906)",
            (),
            "kernel",
        ),
        Record(
            minute(BOOTED_MINUTE + 0.12),
            "INFO",
            "Starting chrony.service - chrony, an NTP client/server...",
            (),
            "systemd[1]",
        ),
        Record(
            minute(BOOTED_MINUTE + 0.121),
            "INFO",
            "Fatal error : Invalid command at line 7 in file /etc/chrony/chrony.conf",
            (),
            "chronyd[811]",
        ),
        Record(
            minute(BOOTED_MINUTE + 0.122),
            "INFO",
            "chrony.service: Control process exited, code=exited, status=1/FAILURE",
            (),
            "systemd[1]",
        ),
        Record(
            minute(BOOTED_MINUTE + 0.123),
            "INFO",
            "chrony.service: Failed with result 'exit-code'.",
            (),
            "systemd[1]",
        ),
        Record(
            minute(BOOTED_MINUTE + 0.124),
            "INFO",
            "Failed to start chrony.service - chrony, an NTP client/server.",
            (),
            "systemd[1]",
        ),
        Record(
            minute(BOOTED_MINUTE + 0.2),
            "INFO",
            "Started airflow-worker.service - Airflow celery worker.",
            (),
            "systemd[1]",
        ),
        Record(
            minute(BOOTED_MINUTE + 0.25),
            "INFO",
            "Reached target multi-user.target - Multi-User System.",
            (),
            "systemd[1]",
        ),
    ]
    return records


def spark_failure(rng: random.Random) -> list[str]:
    return java_trace(
        "org.apache.hadoop.security.KerberosAuthException: failure to login: for principal: svc-etl@CORP.EXAMPLE.COM from keytab /etc/security/keytabs/svc-etl.keytab javax.security.auth.login.LoginException: Clock skew too great (37)",
        [
            "org.apache.hadoop.security.UserGroupInformation.doSubjectLogin(UserGroupInformation.java:1986)",
            "org.apache.hadoop.security.UserGroupInformation.loginUserFromKeytabAndReturnUGI(UserGroupInformation.java:1345)",
            "org.apache.spark.deploy.SparkSubmit.prepareSubmitEnvironment(SparkSubmit.scala:385)",
        ],
        [
            "javax.security.auth.login.LoginException: Clock skew too great (37)",
            "jdk.security.auth/com.sun.security.auth.module.Krb5LoginModule.attemptAuthentication(Krb5LoginModule.java:781)",
            "Caused by: KrbException: Clock skew too great (37)",
        ],
        more=23,
    )


def worker_records(rng: random.Random) -> list[Record]:
    records = []
    offset = 1.0
    while offset < END_MINUTE - 1:
        task = rng.choice(TASKS)
        run_id = f"scheduled__{minute(offset).strftime('%Y-%m-%dT%H')}:00:00+00:00"
        if REBOOT_MINUTE - 0.3 < offset < BOOTED_MINUTE + 0.4:
            offset += 1.3
            continue
        records.append(
            Record(
                minute(offset),
                "INFO",
                f"Executing command in Celery: ['airflow', 'tasks', 'run', 'hourly_ingest', '{task}', '{run_id}', '--local', '--subdir', 'DAGS_FOLDER/hourly_ingest.py']",
                (),
                "celery_executor_utils.py:136",
            )
        )
        if offset > BOOTED_MINUTE + 0.4:
            records.append(
                Record(
                    minute(offset + 0.08),
                    "ERROR",
                    f"Task failed with exception (dag_id=hourly_ingest, task_id={task})",
                    tuple(spark_failure(rng)),
                    "taskinstance.py:2905",
                )
            )
            records.append(
                Record(
                    minute(offset + 0.09),
                    "INFO",
                    f"Marking task as UP_FOR_RETRY. dag_id=hourly_ingest, task_id={task}, run_id={run_id}",
                    (),
                    "taskinstance.py:1206",
                )
            )
            records.append(
                Record(
                    minute(offset + 0.1),
                    "INFO",
                    "Task exited with return code 1",
                    (),
                    "local_task_job_runner.py:240",
                )
            )
        else:
            records.append(
                Record(
                    minute(offset + 0.4),
                    "INFO",
                    f"Marking task as SUCCESS. dag_id=hourly_ingest, task_id={task}, run_id={run_id}",
                    (),
                    "taskinstance.py:1206",
                )
            )
            records.append(
                Record(
                    minute(offset + 0.41),
                    "INFO",
                    "Task exited with return code 0",
                    (),
                    "local_task_job_runner.py:240",
                )
            )
        offset += rng.uniform(0.5, 1.6)
    return records


def scheduler_records(rng: random.Random) -> list[Record]:
    records = []
    offset = 0.2
    while offset < END_MINUTE - 0.5:
        host = rng.choice(list(HOSTS))
        task = rng.choice(TASKS)
        failed = host == "etl-04" and offset > BOOTED_MINUTE + 0.4
        state = "up_for_retry" if failed else "success"
        records.append(
            Record(
                minute(offset),
                "INFO",
                f"Received executor event with state {state if failed else 'success'} for task instance TaskInstanceKey(dag_id='hourly_ingest', task_id='{task}', run_id='scheduled__{minute(offset).strftime('%Y-%m-%dT%H')}:00:00+00:00', try_number={rng.randrange(1, 3)}, map_index=-1)",
                (),
                "scheduler_job_runner.py:696",
            )
        )
        records.append(
            Record(
                minute(offset + 0.001),
                "INFO",
                f"TaskInstance Finished: dag_id=hourly_ingest, task_id={task}, state={state}, hostname={host}.corp.example.com, run_duration={rng.uniform(3, 9) if failed else rng.uniform(20, 300):.3f}, operator=SparkSubmitOperator",
                (),
                "scheduler_job_runner.py:733",
            )
        )
        if failed and rng.random() < 0.5:
            records.append(
                Record(
                    minute(offset + 0.002),
                    "WARN",
                    f"SLA miss for dag hourly_ingest task {task}: {rng.randrange(5, 60)} minutes late",
                    (),
                    "dag_processing.py:412",
                )
            )
        offset += rng.uniform(0.15, 0.45)
    return records


def bundle() -> Bundle:
    rng = random.Random(186)
    booted = minute(BOOTED_MINUTE)
    kdc = LogFile("kdc01-krb5kdc.log", Syslog3164("kdc01", "krb5kdc", 1423))
    kdc.add(kdc_records(rng))
    journal = LogFile("etl-04/journal.log", SkewedSyslog("etl-04", booted))
    journal.add(journal_records(rng))
    worker = LogFile("etl-04/airflow-worker.log", Airflow(skewed_after=booted))
    worker.add(worker_records(rng))
    scheduler = LogFile("airflow-scheduler.log", Airflow())
    scheduler.add(scheduler_records(rng))
    return Bundle(
        question="hourly_ingest keeps failing with Kerberos login errors since about 02:05 UTC, but only some runs. Did someone rotate the svc-etl keytab?",
        category="clock",
        component="etl-04",
        statement="chronyd on etl-04 fails to start after the 02:04 UTC reboot (invalid line 7 in the chrony.conf Puppet had just rewritten), so the host runs on its drifted hardware clock about 400 s behind and the KDC rejects every Kerberos login from it with Clock skew too great.",
        files={
            "airflow-scheduler.log": scheduler.render(),
            "etl-04/airflow-worker.log": worker.render(),
            "etl-04/journal.log": journal.render(),
            "kdc01-krb5kdc.log": kdc.render(),
        },
        proofs=[
            Proof(
                "etl-04/journal.log",
                "Fatal error : Invalid command at line 7",
                "Failed to start chrony.service",
            ),
            Proof("etl-04/journal.log", "rtc_cmos 00:01: setting system clock"),
            Proof("kdc01-krb5kdc.log", "CLOCK_SKEW: host/etl-04.corp.example.com"),
        ],
        decoys=[
            "Task exited with return code 1",
            "failure to login: for principal: svc-etl",
            "SLA miss for dag hourly_ingest",
        ],
    )
