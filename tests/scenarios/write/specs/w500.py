# ruff: noqa: E501
# Host command output and hand-written log lines are data, kept whole on one line.
"""Hosts / DNS: Airflow worker etl-batch-07 was rebuilt on 2026-06-10 from an old image
template whose netplan file lists 10.20.0.2 (a resolver retired in May) before 10.20.0.3, with
systemd-resolved disabled. glibc tries 10.20.0.2 first and waits its 5 s timeout before asking
10.20.0.3, so every name lookup on that host takes ~5 s. Tasks scheduled on etl-batch-07 make
hundreds of HTTP calls each: they run ten times longer and hit `execution_timeout`, and the
nightly load misses its 05:00 SLA. Decoys: an S3 SlowDown retry, the scheduler's slow DAG
parse warning, and a warehouse lock wait on etl-batch-05."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import PythonLogging, Syslog3164
from scenes import at, fixed, loud, python_traceback
from traffic import Line, host_traffic, traffic

START = datetime(2026, 6, 11, 1, 0, tzinfo=UTC)
MINUTES = 250
HOSTS = ["etl-batch-05", "etl-batch-06", "etl-batch-07"]
TASKS = [
    "extract_fx_rates",
    "extract_partner_orders",
    "load_orders_fact",
    "enrich_customers",
    "extract_shipments",
    "refresh_dim_product",
]
APIS = [
    "rates.internal.example",
    "orders-api.internal.example",
    "crm.internal.example",
    "shipping-api.internal.example",
]


def worker_ok(rng: random.Random) -> Line:
    return (
        "INFO",
        f"GET https://{rng.choice(APIS)}/v2/{rng.choice(['fx', 'orders', 'customers', 'shipments'])}?page={rng.randrange(1, 400)} -> 200 in {rng.uniform(0.05, 0.6):.2f}s",
        (),
    )


def worker_slow(rng: random.Random) -> Line:
    return (
        "INFO",
        f"GET https://{rng.choice(APIS)}/v2/{rng.choice(['fx', 'orders', 'customers', 'shipments'])}?page={rng.randrange(1, 400)} -> 200 in {rng.uniform(5.04, 5.7):.2f}s",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(50003)
    files: dict[str, str] = {}
    for host in HOSTS:
        log = LogFile(
            f"logs/worker-{host}.log", PythonLogging(("airflow.task", "etl.http"), rng=rng)
        )
        if host == "etl-batch-07":
            log.add(traffic(rng, worker_slow, START, MINUTES, 1500))
            log.add(
                traffic(
                    rng,
                    fixed(
                        "INFO",
                        lambda r: (
                            f"Executing <Task(PythonOperator): {r.choice(TASKS)}> on 2026-06-10 00:00:00+00:00"
                        ),
                    ),
                    START,
                    MINUTES,
                    60,
                )
            )
            tb = python_traceback(
                [
                    (
                        "/opt/airflow/dags/etl/http.py",
                        57,
                        "get_page",
                        "resp = self.session.get(url, params=params, timeout=(3.05, 30))",
                    ),
                    (
                        "/usr/local/lib/python3.11/site-packages/urllib3/util/connection.py",
                        60,
                        "create_connection",
                        "for res in socket.getaddrinfo(host, port, family, socket.SOCK_STREAM):",
                    ),
                    (
                        "/usr/local/lib/python3.11/socket.py",
                        962,
                        "getaddrinfo",
                        "for res in _socket.getaddrinfo(host, port, family, type, proto, flags):",
                    ),
                    (
                        "/home/airflow/.local/lib/python3.11/site-packages/airflow/utils/timeout.py",
                        69,
                        "handle_timeout",
                        "raise AirflowTaskTimeout(self.error_message)",
                    ),
                ],
                "airflow.exceptions.AirflowTaskTimeout: Timeout, PID: 48211",
            )
            log.add(
                loud(
                    rng,
                    START,
                    95,
                    MINUTES - 96,
                    14,
                    fixed(
                        "ERROR",
                        lambda r: (
                            f"Task failed with exception (task {r.choice(TASKS)}, try {r.randrange(1, 3)} of 3)"
                        ),
                        lambda r, tb=tb: tb,
                    ),
                )
            )
        else:
            log.add(traffic(rng, worker_ok, START, MINUTES, 3000))
            log.add(
                traffic(
                    rng,
                    fixed(
                        "INFO",
                        lambda r: (
                            f"Executing <Task(PythonOperator): {r.choice(TASKS)}> on 2026-06-10 00:00:00+00:00"
                        ),
                    ),
                    START,
                    MINUTES,
                    90,
                )
            )
        if host == "etl-batch-05":
            log.add(
                [
                    at(
                        START,
                        77.2,
                        "WARN",
                        "snowflake: statement 01b4c2e1-0402-7a31-0000-5d2105f3e0c2 waited 41s for lock on ANALYTICS.ORDERS_FACT (held by MERGE from refresh job)",
                    )
                ]
            )
        if host == "etl-batch-06":
            log.add(
                [
                    at(
                        START,
                        133.6,
                        "WARN",
                        "botocore: retrying PutObject s3://acme-lake-raw/partner_orders/dt=2026-06-10/part-0041.parquet after SlowDown (attempt 2/10)",
                    )
                ]
            )
        files[f"logs/worker-{host}.log"] = log.render()
    sched = LogFile(
        "logs/airflow-scheduler.log",
        PythonLogging(
            (
                "airflow.jobs.scheduler_job_runner.SchedulerJobRunner",
                "airflow.executors.celery_executor",
            ),
            rng=rng,
        ),
    )
    sched.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f"Setting external_id for <TaskInstance: nightly_warehouse.{r.choice(TASKS)} scheduled__2026-06-10T00:00:00+00:00 [queued]> to {r.getrandbits(128):032x}"
                ),
            ),
            START,
            MINUTES,
            1200,
        )
    )
    sched.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f"TaskInstance Finished: dag_id=nightly_warehouse, task_id={r.choice(TASKS)}, run_id=scheduled__2026-06-10T00:00:00+00:00, map_index={r.randrange(0, 48)}, run_start_date=2026-06-11 0{r.randrange(1, 5)}:{r.randrange(10, 59)}:{r.randrange(10, 59)}, state=success, executor_state=success, try_number=1, hostname={r.choice(HOSTS[:2])}"
                ),
            ),
            START,
            MINUTES,
            900,
        )
    )
    sched.add(
        loud(
            rng,
            START,
            96,
            MINUTES - 97,
            14,
            fixed(
                "ERROR",
                lambda r: (
                    f"TaskInstance Finished: dag_id=nightly_warehouse, task_id={r.choice(TASKS)}, run_id=scheduled__2026-06-10T00:00:00+00:00, map_index={r.randrange(0, 48)}, state=up_for_retry, executor_state=failed, try_number={r.randrange(1, 3)}, hostname=etl-batch-07"
                ),
            ),
        )
    )
    sched.add(
        [
            at(
                START,
                240.0,
                "WARN",
                "SLA miss for DAG nightly_warehouse: tasks load_orders_fact, refresh_dim_product not finished by 05:00:00 UTC",
            )
        ]
    )
    sched.add(
        [
            at(
                START,
                12.5,
                "WARN",
                "DagFileProcessorManager: processing /opt/airflow/dags/partner_sync.py took 41.83 seconds (dag_file_processor_timeout 50)",
            )
        ]
    )
    syslog = LogFile("syslog-etl-batch-07.txt", Syslog3164("etl-batch-07", "", 0))
    syslog.add(host_traffic(rng, START, MINUTES, 900))
    files["logs/airflow-scheduler.log"] = sched.render()
    files["syslog-etl-batch-07.txt"] = syslog.render()
    files["host-checks-etl-batch-07.txt"] = "\n".join(
        [
            "$ cat /etc/resolv.conf",
            "# Generated by cloud-init from /etc/netplan/50-cloud-init.yaml (template etl-worker-2024.11)",
            "nameserver 10.20.0.2",
            "nameserver 10.20.0.3",
            "search internal.example",
            "",
            "$ systemctl is-enabled systemd-resolved",
            "masked",
            "",
            "$ time getent hosts rates.internal.example",
            "10.44.8.19      rates.internal.example",
            "",
            "real\t0m5.013s",
            "user\t0m0.001s",
            "sys\t0m0.002s",
            "",
            "$ dig +tries=1 +time=2 @10.20.0.2 rates.internal.example",
            ";; communications error to 10.20.0.2#53: timed out",
            "",
            "; <<>> DiG 9.18.28-0ubuntu0.22.04.1-Ubuntu <<>> +tries=1 +time=2 @10.20.0.2 rates.internal.example",
            "; (1 server found)",
            ";; global options: +cmd",
            ";; no servers could be reached",
            "",
            "$ ssh etl-batch-06 time getent hosts rates.internal.example",
            "10.44.8.19      rates.internal.example",
            "",
            "real\t0m0.004s",
            "user\t0m0.001s",
            "sys\t0m0.000s",
            "",
            "$ ssh etl-batch-06 grep nameserver /etc/resolv.conf",
            "nameserver 10.20.0.3",
            "nameserver 10.20.0.4",
            "",
        ]
    )
    return Bundle(
        question="The nightly_warehouse load missed its 05:00 UTC SLA; several tasks hit their execution timeout and were retried. Nothing in the DAG changed. What is the root cause?",
        category="dns",
        component="etl-batch-07",
        statement="etl-batch-07, rebuilt from an old template, lists the retired resolver 10.20.0.2 first in /etc/resolv.conf (systemd-resolved masked), so every name lookup waits 5 s for it before using 10.20.0.3; tasks on that worker make hundreds of HTTP calls, each ~5 s slower, and hit execution_timeout, so the load misses its SLA.",
        files=files,
        proofs=[
            Proof("host-checks-etl-batch-07.txt", "nameserver 10.20.0.2"),
            Proof(
                "host-checks-etl-batch-07.txt", ";; communications error to 10.20.0.2#53: timed out"
            ),
        ],
        decoys=[
            "after SlowDown (attempt 2/10)",
            "took 41.83 seconds (dag_file_processor_timeout 50)",
            "waited 41s for lock on ANALYTICS.ORDERS_FACT",
        ],
    )
