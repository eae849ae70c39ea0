# ruff: noqa: E501
# Hand-written MySQL, Spring Boot and Ansible lines are data, kept whole on one line.
"""MySQL, max_allowed_packet back at its default after a host migration: on 11 March the
docvault database moved from mysql-docs-01 to mysql-docs-02, built by the shared Ansible
`mysql_server` role whose my.cnf template carries no `max_allowed_packet` (the old host had 64M
in a hand-edited my.cnf). MySQL 8 starts with 4194304 bytes. From the cutover at 07:40 CET every
contract upload over 4 MB fails: Connector/J refuses the INSERT with PacketTooBigException and
large batched updates are aborted by the server. Loud: docvault's 500s and the server's aborted
connections. Decoys: a self-signed CA warning at start-up, a Hikari clock-leap warning, a slow
thumbnail service."""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from records import Record, SpringBoot
from scenes import at, fixed, java_trace, loud
from traffic import traffic, web_api

AMS = ZoneInfo("Europe/Amsterdam")
START = datetime(2026, 3, 11, 7, 5, tzinfo=AMS)
MINUTES = 200.0
RESTART = 12.0
CUTOVER = 35.0


@dataclass
class MySQLError:
    """MySQL 8 error log: `2026-03-11T07:17:02.123456+01:00 0 [System] [MY-010116] [Server] ...`."""

    rng: random.Random

    def render(self, record: Record) -> list[str]:
        local = record.time.astimezone(AMS)
        stamp = local.strftime("%Y-%m-%dT%H:%M:%S.") + f"{local.microsecond:06d}+01:00"
        label = {
            "INFO": "Note",
            "WARN": "Warning",
            "ERROR": "ERROR",
            "FATAL": "ERROR",
            "DEBUG": "System",
        }.get(record.level, "Note")
        code, thread = (record.logger or "MY-010914 0").split()
        if record.level == "INFO" and record.logger is None:
            thread = str(self.rng.randrange(4000, 90000))
        return [f"{stamp} {thread} [{label}] [{code}] [Server] {record.message}"]


def bundle() -> Bundle:
    rng = random.Random(38802)
    mysql = LogFile("logs/mysql-docs-02-error.log", MySQLError(rng))
    boot = [
        ("DEBUG", "MY-010116 0", "/usr/sbin/mysqld (mysqld 8.0.36) starting as process 2217"),
        ("DEBUG", "MY-013576 1", "InnoDB initialization has started."),
        ("DEBUG", "MY-013577 1", "InnoDB initialization has ended."),
        ("WARN", "MY-010068 0", "CA certificate ca.pem is self signed."),
        (
            "INFO",
            "MY-013602 0",
            "Channel mysql_main configured to support TLS. Encrypted connections are now supported for this channel.",
        ),
        (
            "DEBUG",
            "MY-011323 0",
            "X Plugin ready for connections. Bind-address: '::' port: 33060, socket: /var/run/mysqld/mysqlx.sock",
        ),
        (
            "DEBUG",
            "MY-010931 0",
            "/usr/sbin/mysqld: ready for connections. Version: '8.0.36'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community Server - GPL.",
        ),
    ]
    mysql.add(
        [
            at(START, RESTART + index * 0.02, level, message, logger=logger)
            for index, (level, logger, message) in enumerate(boot)
        ]
    )
    mysql.add(
        traffic(
            rng,
            lambda r: r.choice(
                [
                    (
                        "INFO",
                        f"Aborted connection {r.randrange(100, 9000)} to db: 'docvault' user: 'docvault' host: '10.44.{r.randrange(1, 9)}.{r.randrange(2, 250)}' (Got timeout reading communication packets).",
                        (),
                    ),
                    (
                        "INFO",
                        f"Aborted connection {r.randrange(100, 9000)} to db: 'reporting' user: 'metabase' host: '10.44.9.{r.randrange(2, 250)}' (Got an error reading communication packets).",
                        (),
                    ),
                ]
            ),
            START + timedelta(minutes=RESTART + 1),
            MINUTES - RESTART - 1,
            90,
        )
    )
    mysql.add(
        loud(
            rng,
            START,
            CUTOVER + 3,
            MINUTES - CUTOVER - 4,
            160,
            fixed(
                "INFO",
                lambda r: (
                    f"Aborted connection {r.randrange(9000, 60000)} to db: 'docvault' user: 'docvault' host: '10.44.{r.randrange(1, 9)}.{r.randrange(2, 250)}' (Got a packet bigger than 'max_allowed_packet' bytes)."
                ),
            ),
        )
    )
    app = LogFile(
        "logs/docvault.log",
        SpringBoot(
            (
                "c.a.docvault.web.ContractController",
                "c.a.docvault.store.BlobRepository",
                "c.a.docvault.search.IndexClient",
                "o.s.web.servlet.DispatcherServlet",
            ),
            rng=rng,
            zone=AMS,
        ),
    )
    app.add(
        traffic(
            rng, web_api("docvault", ["contracts", "folders", "signatures"]), START, MINUTES, 5200
        )
    )
    app.add(
        [
            at(
                START,
                CUTOVER,
                "INFO",
                "HikariPool-1 - Starting... jdbcUrl=jdbc:mysql://mysql-docs-02.db.internal:3306/docvault",
                logger="com.zaxxer.hikari.HikariDataSource",
            ),
            at(
                START,
                CUTOVER + 0.1,
                "INFO",
                "HikariPool-1 - Start completed.",
                logger="com.zaxxer.hikari.HikariDataSource",
            ),
            at(
                START,
                57.0,
                "WARN",
                "HikariPool-1 - Thread starvation or clock leap detected (housekeeper delta=1m2s31ms).",
                logger="com.zaxxer.hikari.pool.HikariPool",
            ),
        ]
    )
    app.add(
        loud(
            rng,
            START,
            CUTOVER + 2,
            MINUTES - CUTOVER - 3,
            210,
            fixed(
                "ERROR",
                lambda r: (
                    f"upload of contract {r.randrange(10**6)} failed ({r.randrange(4200, 31000)} KiB)"
                ),
                lambda r: java_trace(
                    f"com.mysql.cj.jdbc.exceptions.PacketTooBigException: Packet for query is too large ({r.randrange(4_300_000, 32_000_000):,} > 4,194,304). You can change this value on the server by setting the 'max_allowed_packet' variable.",
                    [
                        "com.mysql.cj.jdbc.exceptions.SQLExceptionsMapping.translateException(SQLExceptionsMapping.java:107)",
                        "com.mysql.cj.jdbc.ClientPreparedStatement.executeInternal(ClientPreparedStatement.java:916)",
                        "com.mysql.cj.jdbc.ClientPreparedStatement.executeUpdateInternal(ClientPreparedStatement.java:1061)",
                        "com.zaxxer.hikari.pool.HikariProxyPreparedStatement.executeUpdate(HikariProxyPreparedStatement.java)",
                        "c.a.docvault.store.BlobRepository.insertContent(BlobRepository.java:88)",
                    ],
                ),
            ),
        )
    )
    app.add(
        loud(
            rng,
            START,
            CUTOVER + 2,
            MINUTES - CUTOVER - 3,
            230,
            fixed(
                "WARN",
                lambda r: (
                    f"POST /api/v1/contracts/{r.randrange(10**6)}/content 500 {r.randrange(200, 2400)}ms client=10.61.{r.randrange(256)}.{r.randrange(1, 255)}"
                ),
            ),
        )
    )
    app.add(
        loud(
            rng,
            START,
            90.0,
            20.0,
            30,
            fixed(
                "WARN",
                lambda r: (
                    f"thumbnail service slow: GET http://thumbs.internal/render/{r.randrange(10**6)} took {r.randrange(2100, 4800)}ms"
                ),
            ),
        )
    )
    ansible = "\n".join(
        [
            "$ ansible-playbook -i inventories/prod site-db.yml --limit mysql-docs-02",
            "",
            "PLAY [mysql servers] ***********************************************************",
            "",
            "TASK [Gathering Facts] *********************************************************",
            "ok: [mysql-docs-02]",
            "",
            "TASK [mysql_server : install mysql-server-8.0] *********************************",
            "changed: [mysql-docs-02]",
            "",
            "TASK [mysql_server : template /etc/mysql/mysql.conf.d/mysqld.cnf] **************",
            "changed: [mysql-docs-02]",
            "",
            "TASK [mysql_server : set innodb_buffer_pool_size from facts] *******************",
            "ok: [mysql-docs-02] => (item=innodb_buffer_pool_size=24G)",
            "",
            "TASK [mysql_server : tls certificates] *****************************************",
            "changed: [mysql-docs-02]",
            "",
            "RUNNING HANDLER [mysql_server : restart mysql] *********************************",
            "changed: [mysql-docs-02]",
            "",
            "PLAY RECAP *********************************************************************",
            "mysql-docs-02              : ok=14   changed=4    unreachable=0    failed=0    skipped=2    rescued=0    ignored=0",
            "",
            "$ ssh mysql-docs-01 grep -n packet /etc/mysql/my.cnf",
            "41:max_allowed_packet = 64M",
            "$ ssh mysql-docs-02 grep -rn packet /etc/mysql/",
            "$ mysql -h mysql-docs-02 -e \"SHOW GLOBAL VARIABLES LIKE 'max_allowed_packet'\"",
            "+--------------------+---------+",
            "| Variable_name      | Value   |",
            "+--------------------+---------+",
            "| max_allowed_packet | 4194304 |",
            "+--------------------+---------+",
            "",
        ]
    )
    notes = "\n".join(
        [
            "# CHG-2231 docvault DB move mysql-docs-01 -> mysql-docs-02 (11 Mar, CET)",
            "",
            "* 07:17 mysqld started on -02 from the standard role, replication caught up",
            "* 07:40 docvault switched to mysql-docs-02 (config push), -01 read-only",
            "* 08:05 support: 'large contract PDFs fail to upload', small ones fine",
            "* thumbnails slow around 08:35 (separate ticket THB-88, render farm)",
            "* rollback not possible without losing writes since 07:40",
            "",
        ]
    )
    return Bundle(
        question="Since this morning's database move, uploading larger contracts in docvault fails with a 500 while small ones work. What is the root cause?",
        category="configuration",
        component="mysql-docs-02",
        statement="mysql-docs-02 was built from the shared Ansible role whose my.cnf has no max_allowed_packet, so it runs with the 4 MB default instead of the old host's 64M; since the 07:40 cutover every contract insert over 4 MB is refused (PacketTooBigException, aborted connections).",
        files={
            "CHG-2231.md": notes,
            "ansible-and-checks.txt": ansible,
            "logs/mysql-docs-02-error.log": mysql.render(),
            "logs/docvault.log": app.render(),
        },
        proofs=[
            Proof("ansible-and-checks.txt", "| max_allowed_packet | 4194304 |"),
            Proof("ansible-and-checks.txt", "41:max_allowed_packet = 64M"),
        ],
        decoys=[
            "CA certificate ca.pem is self signed",
            "Thread starvation or clock leap detected",
            "thumbnail service slow",
        ],
    )
