# ruff: noqa: E501
# Hand-written log lines and command output are data, kept whole on one line.
"""An Ansible run rewrites /etc/logrotate.d/orders-api with a stray line; from the next night
logrotate rejects the file and skips it, orders-api's 3 GB/day log is never rotated, /var
fills three days later, and then orders-api's spool writes, PostgreSQL's WAL and nginx's
temp files all fail with No space left on device."""

import random
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import PythonLogging, Record, Syslog3164
from scenes import at, fixed, loud, python_traceback
from traffic import Line, database_server, host_traffic, traffic

HOST = "ord-app-03"
START = datetime(2024, 11, 18, 8, 0, tzinfo=UTC)
FULL = datetime(2024, 11, 21, 14, 2, 11, tzinfo=UTC)
APP_START = datetime(2024, 11, 21, 12, 0, tzinfo=UTC)
APP_MINUTES = 150

NOTES = """## ord-app-03 — pasted by on-call, 21 Nov 14:31 UTC

Logs attached: `remote-syslog.log` is ord-app-03's stream as received by the central rsyslog
server (postgres and nginx log to syslog there); `orders-api.log` is the app's OTLP log stream
exported from Grafana Loki.

```
$ df -h
Filesystem                 Size  Used Avail Use% Mounted on
udev                       7.8G     0  7.8G   0% /dev
tmpfs                      1.6G  1.2M  1.6G   1% /run
/dev/mapper/vg0-root        20G  6.1G   13G  32% /
/dev/mapper/vg0-var         50G   50G     0 100% /var
/dev/nvme0n1p1             511M  6.1M  505M   2% /boot/efi
tmpfs                      1.6G     0  1.6G   0% /run/user/1001

$ sudo du -xsh /var/* 2>/dev/null | sort -h | tail -5
412M    /var/cache
1.1G    /var/lib
11G     /var/spool
38G     /var/log

$ sudo du -sh /var/log/* | sort -h | tail -4
96M     /var/log/journal
212M    /var/log/nginx
1.4G    /var/log/postgresql
36G     /var/log/orders-api

$ ls -lh /var/log/orders-api/
total 36G
-rw-r----- 1 orders adm  36G Nov 21 14:02 app.log
-rw-r----- 1 orders adm 212M Nov 18 06:25 app.log.1.gz
-rw-r----- 1 orders adm 208M Nov 17 06:25 app.log.2.gz

$ cat /etc/logrotate.d/orders-api
# Managed by Ansible (role: orders_api) - do not edit by hand
/var/log/orders-api/app.log
{{ orders_api_log_dir }}/access.log
{
    daily
    rotate 14
    compress
    delaycompress
    missingok
    notifempty
    copytruncate
    create 0640 orders adm
}

$ grep orders-api /var/lib/logrotate/status
"/var/log/orders-api/app.log" 2024-11-18-6:25:1
```
"""


def app_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.45:
        return (
            "INFO",
            f"order {rng.getrandbits(40):010x} accepted items={rng.randrange(1, 8)} total={rng.randrange(5, 900)}.{rng.randrange(100):02d}",
            (),
        )
    if roll < 0.7:
        return (
            "DEBUG",
            f"inventory reservation ok sku={rng.randrange(10**6)} qty={rng.randrange(1, 4)} took={rng.randrange(2, 40)}ms",
            (),
        )
    if roll < 0.9:
        return (
            "INFO",
            f"webhook payload written to /var/spool/orders-api/outbox/{rng.getrandbits(64):016x}.json",
            (),
        )
    return "INFO", f"outbox flushed {rng.randrange(1, 60)} messages to broker", ()


def spool_error(rng: random.Random) -> Line:
    name = f"{rng.getrandbits(64):016x}"
    return (
        "ERROR",
        f"failed to persist order {rng.getrandbits(40):010x} to outbox",
        tuple(
            python_traceback(
                [
                    (
                        "/opt/orders-api/orders/outbox.py",
                        88,
                        "persist",
                        "with open(tmp_path, 'w') as handle:",
                    ),
                ],
                f"OSError: [Errno 28] No space left on device: '/var/spool/orders-api/outbox/{name}.json.tmp'",
            )
        ),
    )


def postgres_records(records: list[Record]) -> list[Record]:
    """PostgreSQL records as `log_destination = syslog` sends them: `postgres[pid]: [n-1] LEVEL:  message`."""
    names = {"INFO": "LOG", "WARN": "WARNING", "DEBUG": "DEBUG", "FATAL": "FATAL", "PANIC": "PANIC"}
    return [
        replace(
            record,
            message=f"[{index % 9 + 1}-1] {names.get(record.level, 'ERROR')}:  {record.message}",
            logger=f"postgres[{88211 if record.level == 'PANIC' else 17000 + (index * 7919) % 40000}]",
        )
        for index, record in enumerate(records)
    ]


def nginx_records(records: list[Record]) -> list[Record]:
    """nginx `error_log syslog:server=...` records: nginx's own stamp and level inside the message."""
    levels = {"WARN": "warn", "FATAL": "crit"}
    return [
        replace(
            record,
            message=f"{record.time.strftime('%Y/%m/%d %H:%M:%S')} [{levels.get(record.level, 'error')}] 2231#2231: *{(index * 7907) % 99991 + 1} {record.message}",
            logger="nginx",
        )
        for index, record in enumerate(records)
    ]


def nginx_line(rng: random.Random) -> Line:
    return (
        "WARN",
        f'an upstream response is buffered to a temporary file /var/cache/nginx/proxy_temp/{rng.randrange(10)}/{rng.randrange(10, 99)}/{rng.randrange(10**10):010d} while reading upstream, client: 10.40.{rng.randrange(256)}.{rng.randrange(255)}, server: orders.internal, request: "GET /orders/export HTTP/1.1", upstream: "http://127.0.0.1:8081/orders/export"',
        (),
    )


def maker(level: str, message: Callable[[random.Random], str]) -> Callable[[random.Random], Line]:
    return fixed(level, message)


def bundle() -> Bundle:
    rng = random.Random(196)
    minutes = (APP_START - START).total_seconds() / 60 + APP_MINUTES
    full = (FULL - START).total_seconds() / 60
    syslog = LogFile("remote-syslog.log", Syslog3164(HOST, "", 0))
    syslog.add(
        [
            record
            for record in host_traffic(rng, START, minutes, 3800)
            if "logrotate" not in record.message
        ]
    )
    syslog.add(
        [
            at(
                START,
                134.0,
                "INFO",
                "Invoked with dest=/etc/logrotate.d/orders-api src=/home/deploy/.ansible/tmp/ansible-tmp-1731924841.2-18211/source mode=0644 owner=root group=root backup=False force=True follow=False unsafe_writes=False",
                logger="ansible-ansible.legacy.copy",
            ),
            at(
                START,
                134.2,
                "INFO",
                "Invoked with name=orders-api state=restarted daemon_reload=False",
                logger="ansible-ansible.legacy.systemd",
            ),
        ]
    )
    for day in range(1, 4):
        minute = day * 1440 - 95 + 0.4
        pid = f"logrotate[{40211 + day * 977}]"
        syslog.add(
            [
                at(
                    START,
                    minute,
                    "INFO",
                    "Starting logrotate.service - Rotate log files...",
                    logger="systemd[1]",
                ),
                at(
                    START,
                    minute + 0.012,
                    "ERROR",
                    "error: /etc/logrotate.d/orders-api:3 lines must begin with a keyword or a filename (possibly in double quotes)",
                    logger=pid,
                ),
                at(
                    START,
                    minute + 0.024,
                    "ERROR",
                    "error: found error in file orders-api, skipping",
                    logger=pid,
                ),
                at(
                    START,
                    minute + 0.036,
                    "INFO",
                    "logrotate.service: Main process exited, code=exited, status=1/FAILURE",
                    logger="systemd[1]",
                ),
                at(
                    START,
                    minute + 0.048,
                    "WARN",
                    "logrotate.service: Failed with result 'exit-code'.",
                    logger="systemd[1]",
                ),
            ]
        )
    syslog.add(
        [
            at(
                START,
                full + 0.5,
                "WARN",
                "file '/var/log/syslog': write error - see https://www.rsyslog.com/solving-rsyslog-write-errors/ for help OS error: No space left on device [v8.2302.0 try https://www.rsyslog.com/e/2027 ]",
                logger="rsyslogd",
            ),
            at(
                START,
                full + 1.5,
                "WARN",
                "Failed to write entry (9 items, 312 bytes), ignoring: No space left on device",
                logger="systemd-journald[412]",
            ),
        ]
    )
    postgres = traffic(rng, database_server(), START, minutes, 2600)
    full_offset = (FULL - APP_START).total_seconds() / 60
    postgres += [
        at(
            APP_START,
            full_offset + 1.21,
            "PANIC",
            'could not write to file "pg_wal/xlogtemp.88211": No space left on device',
        ),
        at(
            APP_START,
            full_offset + 1.3,
            "INFO",
            "server process (PID 88211) was terminated by signal 6: Aborted",
        ),
        at(APP_START, full_offset + 1.31, "INFO", "terminating any other active server processes"),
        at(APP_START, full_offset + 1.6, "INFO", "all server processes terminated; reinitializing"),
        at(
            APP_START,
            full_offset + 1.7,
            "FATAL",
            'could not write lock file "postmaster.pid": No space left on device',
        ),
    ]
    postgres += loud(
        rng,
        APP_START,
        full_offset + 1.8,
        APP_MINUTES - full_offset - 3,
        160,
        maker("FATAL", lambda r: "the database system is in recovery mode"),
    )
    syslog.add(postgres_records(sorted(postgres, key=lambda record: record.time)))
    nginx = traffic(rng, nginx_line, START, minutes, 260)
    nginx += loud(
        rng,
        APP_START,
        full_offset + 0.2,
        APP_MINUTES - full_offset - 1,
        302,
        maker(
            "ERROR",
            lambda r: (
                f'upstream prematurely closed connection while reading response header from upstream, client: 10.40.{r.randrange(256)}.{r.randrange(255)}, server: orders.internal, request: "POST /orders HTTP/1.1", upstream: "http://127.0.0.1:8081/orders", host: "orders.internal"'
            ),
        ),
    )
    nginx += loud(
        rng,
        APP_START,
        full_offset + 0.4,
        APP_MINUTES - full_offset - 2,
        71,
        maker(
            "FATAL",
            lambda r: (
                f'pwrite() "/var/cache/nginx/client_temp/{r.randrange(10**10):010d}" failed (28: No space left on device), client: 10.40.{r.randrange(256)}.{r.randrange(255)}, server: orders.internal, request: "POST /orders/import HTTP/1.1", host: "orders.internal"'
            ),
        ),
    )
    syslog.add(nginx_records(sorted(nginx, key=lambda record: record.time)))
    app = LogFile(
        "orders-api.log",
        PythonLogging(("orders.api", "orders.outbox", "orders.inventory"), rng=rng),
    )
    app.add(traffic(rng, app_line, APP_START, APP_MINUTES, 3600))
    app.add(
        loud(rng, APP_START, full_offset + 0.05, APP_MINUTES - full_offset - 1, 214, spool_error)
    )
    app.add(
        loud(
            rng,
            APP_START,
            full_offset + 2,
            APP_MINUTES - full_offset - 3,
            176,
            fixed(
                "ERROR",
                lambda r: (
                    f"POST /orders 500: sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) server closed the connection unexpectedly (order {r.getrandbits(40):010x})"
                ),
            ),
        )
    )
    return Bundle(
        question="ord-app-03 started throwing 500s on POST /orders around 14:00 UTC and postgres on that box crashed. What's going on?",
        category="disk",
        component=HOST,
        statement="/var on ord-app-03 filled to 100% at 14:02 UTC because logrotate has rejected the Ansible-templated /etc/logrotate.d/orders-api (a stray unrendered line) and skipped it every night since 18 Nov, so orders-api's app.log grew to 36 GB and writes by orders-api, PostgreSQL and nginx now fail with No space left on device.",
        files={
            "notes.md": NOTES,
            "remote-syslog.log": syslog.render(),
            "orders-api.log": app.render(),
        },
        proofs=[
            Proof("remote-syslog.log", "logrotate[41188]: error: /etc/logrotate.d/orders-api:3"),
            Proof("notes.md", "/dev/mapper/vg0-var         50G   50G     0 100% /var"),
            Proof("notes.md", "36G     /var/log/orders-api"),
        ],
        decoys=[
            "PANIC:  could not write to file",
            "the database system is in recovery mode",
            "upstream prematurely closed connection",
        ],
    )
