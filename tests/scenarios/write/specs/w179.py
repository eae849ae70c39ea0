# ruff: noqa: E501
# Hand-written kernel lines, journal lines and pasted shell output are data, kept whole on one line.
"""Single host shop-02 (6 GB, no swap) runs nginx, php-fpm (WooCommerce), MariaDB and clamd
(upload scanning). freshclam's two-hourly check pulls a new daily.cld at 11:02 and 13:02 UTC
and notifies clamd, which reloads its signatures concurrently (the default
ConcurrentDatabaseReload): for about a minute it holds the old and the new database, going from
about 1.1 GB to 2.1 GB resident. The host runs out of memory; `clamd invoked oom-killer`, and the
kernel kills the largest process, mariadbd (2.5 GB). systemd restarts MariaDB (crash recovery),
and for a few minutes each time the shop answers 500 `Error establishing a database
connection`. By the time on-call looks, clamd is back to 1.1 GB. Loud: PHP's mysqli errors,
nginx 500s, MariaDB's crash recovery. Decoys: php-fpm's pm.max_children warning, a WooCommerce
plugin auto-update at 10:55, and MariaDB's own `Aborted connection` / crash-recovery lines."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from records import NginxAccess, Record
from scenes import at, fixed, loud
from traffic import host_traffic, http_access, traffic

START = datetime(2025, 6, 10, 10, 30, tzinfo=UTC)
END = datetime(2025, 6, 10, 13, 35, tzinfo=UTC)
HOST = "shop-02"
UPDATES = [(32.0, 27664, 2071312, 911, 3114), (152.0, 27665, 2071540, 3114, 5120)]


@dataclass
class JournalIso:
    """`journalctl -o short-iso` lines, each record carrying its own program[pid]."""

    def render(self, record: Record) -> list[str]:
        stamp = record.time.strftime("%Y-%m-%dT%H:%M:%S+00:00")
        return [f"{stamp} {HOST} {record.logger}: {record.message}"]


@dataclass
class PhpErrorLog:
    """PHP's error_log: `[10-Jun-2025 11:02:09 UTC] PHP Warning:  message`."""

    def render(self, record: Record) -> list[str]:
        stamp = record.time.strftime("%d-%b-%Y %H:%M:%S UTC")
        return [f"[{stamp}] {record.message}"]


def oom_report(
    start: datetime, minute: float, clamd_pid: int, victim: int, seconds: float
) -> list[Record]:
    base = start + timedelta(minutes=minute, seconds=seconds)
    lines = [
        "clamd invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0",
        f"CPU: 1 PID: {clamd_pid + 7} Comm: clamd Not tainted 6.1.0-21-amd64 #1  Debian 6.1.90-1",
        "Hardware name: Hetzner vServer/Standard PC (Q35 + ICH9, 2009), BIOS 20171111 11/11/2017",
        "Call Trace:",
        " <TASK>",
        " dump_stack_lvl+0x44/0x5c",
        " dump_header+0x4a/0x211",
        " oom_kill_process.cold+0xb/0x10",
        " out_of_memory+0x1fd/0x4c0",
        " __alloc_pages_slowpath.constprop.0+0xcc5/0xe40",
        " __alloc_pages+0x305/0x330",
        " __folio_alloc+0x16/0x40",
        " vma_alloc_folio+0x1a8/0x380",
        " __handle_mm_fault+0x7b6/0xf60",
        " handle_mm_fault+0xdb/0x2d0",
        " do_user_addr_fault+0x191/0x550",
        " exc_page_fault+0x70/0x170",
        " asm_exc_page_fault+0x22/0x30",
        " </TASK>",
        "Mem-Info:",
        [
            "active_anon:1206117 inactive_anon:198512 isolated_anon:0",
            " active_file:412 inactive_file:377 isolated_file:0",
        ][0],
        "Node 0 Normal free:22844kB boost:0kB min:22920kB low:28648kB high:34376kB reserved_highatomic:0KB active_anon:3912644kB inactive_anon:794048kB",
        "Free swap  = 0kB",
        "Total swap = 0kB",
        "1572733 pages RAM",
        "Tasks state (memory values in pages):",
        "[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name",
        "[    402]     0   402    12391      874   110592        0          -250 systemd-journal",
        "[    655]     0   655     6012      412    81920        0             0 cron",
        "[    812]     0   812    15422     1130   151552        0         -1000 sshd",
        f"[  {victim:5d}]   106 {victim:5d}  1003086   663580  5632000        0             0 mariadbd",
        "[   1204]     0  1204    51133     2811   409600        0             0 nginx",
        "[   1205]    33  1205    51998     3907   413696        0             0 nginx",
        "[   1391]     0  1391    72210     4388   589824        0             0 php-fpm8.2",
    ]
    lines += [
        f"[   {pid}]    33  {pid}   101733    15511   811008        0             0 php-fpm8.2"
        for pid in range(1402, 1422)
    ]
    lines += [
        f"[  {clamd_pid:5d}]   113 {clamd_pid:5d}   741212   561300  4616192        0             0 clamd",
        f"[  {clamd_pid + 1804:5d}]   113 {clamd_pid + 1804:5d}    27611     5710   233472        0             0 freshclam",
        f"oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/system.slice/mariadb.service,task=mariadbd,pid={victim},uid=106",
        f"Out of memory: Killed process {victim} (mariadbd) total-vm:4012344kB, anon-rss:2654320kB, file-rss:0kB, shmem-rss:0kB, UID:106 pgtables:5500kB oom_score_adj:0",
    ]
    return [
        Record(base + timedelta(microseconds=index), "WARN", line, (), "kernel")
        for index, line in enumerate(lines)
    ]


def bundle() -> Bundle:
    rng = random.Random(1179)
    total = (END - START).total_seconds() / 60
    clamd_pid = 2231
    journal = LogFile("journal-shop-02.txt", JournalIso())
    journal.add(host_traffic(rng, START, total, 900))
    journal.add(
        traffic(
            rng,
            fixed("INFO", lambda r: "SelfCheck: Database status OK."),
            START,
            total,
            19,
            logger=f"clamd[{clamd_pid}]",
        )
    )
    journal.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f"/var/www/shop/wp-content/uploads/wc-uploads/{r.getrandbits(40):010x}.pdf: OK"
                ),
            ),
            START,
            total,
            260,
            logger=f"clamd[{clamd_pid}]",
        )
    )
    journal.add(
        traffic(
            rng,
            fixed(
                "WARN",
                lambda r: (
                    "[pool www] server reached pm.max_children setting (20), consider raising it"
                ),
            ),
            START,
            total,
            14,
            logger="php-fpm8.2[1391]",
        )
    )
    journal.add(
        [
            at(
                START,
                25.0,
                "INFO",
                "Started wp-cron.service - WordPress cron for shop.",
                logger="systemd[1]",
            ),
            at(
                START,
                25.1,
                "INFO",
                "Success: Updated 1 of 1 plugins (woocommerce-gateway-stripe 8.3.1 -> 8.4.0).",
                logger="wp[88213]",
            ),
            at(
                START,
                25.2,
                "INFO",
                "wp-cron.service: Deactivated successfully.",
                logger="systemd[1]",
            ),
        ]
    )
    php = LogFile("php-error.log", PhpErrorLog())
    php.add(
        traffic(
            rng,
            fixed(
                "WARN",
                lambda r: (
                    f"PHP Deprecated:  Creation of dynamic property WC_Gateway_Invoice::${r.choice(['instructions', 'enable_for_methods'])} is deprecated in /var/www/shop/wp-content/plugins/wc-invoice-gateway/class-gateway.php on line {r.choice([41, 42])}"
                ),
            ),
            START,
            total,
            380,
        )
    )
    access = LogFile("nginx-access.log", NginxAccess(rng=rng))
    access.add(
        traffic(
            rng,
            http_access(
                [
                    "/",
                    "/shop/",
                    "/product/{id}/",
                    "/cart/",
                    "/checkout/",
                    "/wp-json/wc/store/v1/cart",
                    "/wp-content/uploads/2025/05/{id}.webp",
                ],
                upstream_ms=180,
            ),
            START,
            total,
            6400,
        )
    )
    for minute, version, sigs, victim, new_pid in UPDATES:
        journal.add(
            [
                at(
                    START,
                    minute,
                    "INFO",
                    f"Tue Jun 10 {(START + timedelta(minutes=minute)).strftime('%H:%M:%S')} 2025 -> daily.cld updated (version: {version}, sigs: {sigs}, f-level: 90, builder: raynman)",
                    logger="freshclam[4035]",
                ),
                at(
                    START,
                    minute + 0.01,
                    "INFO",
                    f"Tue Jun 10 {(START + timedelta(minutes=minute, seconds=1)).strftime('%H:%M:%S')} 2025 -> Clamd successfully notified about the update.",
                    logger="freshclam[4035]",
                ),
                at(
                    START,
                    minute + 0.02,
                    "INFO",
                    "Reading databases from /var/lib/clamav",
                    logger=f"clamd[{clamd_pid}]",
                ),
                at(
                    START,
                    minute + 1.2,
                    "INFO",
                    f"Database correctly reloaded ({sigs + 6640926} signatures)",
                    logger=f"clamd[{clamd_pid}]",
                ),
                at(
                    START,
                    minute + 1.21,
                    "INFO",
                    "Activating the newly loaded database...",
                    logger=f"clamd[{clamd_pid}]",
                ),
            ]
        )
        journal.add(oom_report(START, minute, clamd_pid, victim, 41.3))
        kill = START + timedelta(minutes=minute, seconds=41.3)
        journal.add(
            [
                Record(
                    kill + timedelta(milliseconds=210),
                    "WARN",
                    "mariadb.service: A process of this unit has been killed by the OOM killer.",
                    (),
                    "systemd[1]",
                ),
                Record(
                    kill + timedelta(milliseconds=380),
                    "WARN",
                    "mariadb.service: Main process exited, code=killed, status=9/KILL",
                    (),
                    "systemd[1]",
                ),
                Record(
                    kill + timedelta(milliseconds=390),
                    "WARN",
                    "mariadb.service: Failed with result 'oom-kill'.",
                    (),
                    "systemd[1]",
                ),
                Record(
                    kill + timedelta(seconds=5, milliseconds=400),
                    "INFO",
                    "mariadb.service: Scheduled restart job, restart counter is at 1.",
                    (),
                    "systemd[1]",
                ),
                Record(
                    kill + timedelta(seconds=5, milliseconds=500),
                    "INFO",
                    "Starting mariadb.service - MariaDB 10.11.6 database server...",
                    (),
                    "systemd[1]",
                ),
                Record(
                    kill + timedelta(seconds=6),
                    "INFO",
                    "2025-06-10 "
                    + (kill + timedelta(seconds=6)).strftime("%H:%M:%S")
                    + " 0 [Note] InnoDB: Starting crash recovery from checkpoint LSN="
                    + str(rng.randrange(10**10, 10**11)),
                    (),
                    f"mariadbd[{new_pid}]",
                ),
                Record(
                    kill + timedelta(seconds=118),
                    "INFO",
                    "2025-06-10 "
                    + (kill + timedelta(seconds=118)).strftime("%H:%M:%S")
                    + " 0 [Note] InnoDB: Rolled back recovered transaction "
                    + str(rng.randrange(10**6, 10**7)),
                    (),
                    f"mariadbd[{new_pid}]",
                ),
                Record(
                    kill + timedelta(seconds=171),
                    "INFO",
                    "2025-06-10 "
                    + (kill + timedelta(seconds=171)).strftime("%H:%M:%S")
                    + " 0 [Note] /usr/sbin/mariadbd: ready for connections.",
                    (),
                    f"mariadbd[{new_pid}]",
                ),
                Record(
                    kill + timedelta(seconds=171, milliseconds=300),
                    "INFO",
                    "Started mariadb.service - MariaDB 10.11.6 database server.",
                    (),
                    "systemd[1]",
                ),
            ]
        )
        journal.add(
            traffic(
                rng,
                fixed(
                    "WARN",
                    lambda r: (
                        f"[Warning] Aborted connection {r.randrange(10**4, 10**5)} to db: 'shop_wp' user: 'shop' host: 'localhost' (Got an error reading communication packets)"
                    ),
                ),
                kill - timedelta(minutes=25),
                20,
                6,
                logger=f"mariadbd[{victim}]",
            )
        )
        down = (kill - START).total_seconds() / 60
        php.add(
            loud(
                rng,
                START,
                down + 0.01,
                2.8,
                230,
                fixed(
                    "ERROR",
                    lambda r: (
                        "PHP Warning:  mysqli_real_connect(): (HY000/2002): No such file or directory in /var/www/shop/wp-includes/class-wpdb.php on line 1982"
                    ),
                ),
            )
        )
        php.add(
            loud(
                rng,
                START,
                down + 0.01,
                2.8,
                120,
                fixed(
                    "ERROR",
                    lambda r: (
                        f"WordPress database error Error establishing a database connection for query SELECT option_value FROM wp_options WHERE option_name = 'woocommerce_cart_session_{r.getrandbits(32):08x}' LIMIT 1 made by require('wp-blog-header.php'), wp()"
                    ),
                ),
            )
        )
        access.add(
            loud(
                rng,
                START,
                down + 0.01,
                2.8,
                420,
                fixed(
                    "ERROR",
                    lambda r: (
                        f'"GET {r.choice(["/", "/shop/", "/cart/", "/checkout/", "/product/" + str(r.randrange(10**4)) + "/"])} HTTP/1.1" 500 2731 "-" "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X)" {r.uniform(0.01, 0.09):.3f}'
                    ),
                ),
            )
        )

    notes = "\n".join(
        [
            "shop-02 - on-call notes 13:31 UTC",
            "",
            "Shop showed 'Error establishing a database connection' twice today (~11:03 and ~13:03), a few minutes each.",
            "MariaDB got restarted by systemd both times. The Stripe plugin auto-updated at 10:55, maybe related?",
            "",
            "$ free -m",
            "               total        used        free      shared  buff/cache   available",
            "Mem:            5981        4862         311          58         807         1037",
            "Swap:              0           0           0",
            "",
            "$ ps -eo pid,rss,comm --sort=-rss | head -6",
            "    PID   RSS COMMAND",
            "   5120 2601312 mariadbd",
            "   2231 1146828 clamd",
            "   1414 64120 php-fpm8.2",
            "   1409 63884 php-fpm8.2",
            "   1402 62512 php-fpm8.2",
            "",
            "$ grep -E '^(innodb_buffer_pool_size|max_connections)' /etc/mysql/mariadb.conf.d/50-server.cnf",
            "innodb_buffer_pool_size = 2G",
            "max_connections = 120",
            "",
            "$ grep -E '^pm' /etc/php/8.2/fpm/pool.d/www.conf",
            "pm = static",
            "pm.max_children = 20",
            "",
        ]
    )
    files = {
        "notes.md": notes,
        "journal-shop-02.txt": journal.render(),
        "php-error.log": php.render(),
        "nginx-access.log": access.render(),
    }
    return Bundle(
        question="The shop on shop-02 went down with 'Error establishing a database connection' around 11:03 and again 13:03 UTC; MariaDB was restarted both times. What is killing it?",
        category="memory",
        component="clamd",
        statement="At 11:02 and 13:02 UTC freshclam's update makes clamd reload its signature database concurrently, roughly doubling its memory to 2.1 GB on the 6 GB swapless shop-02; the host runs out of memory, `clamd invoked oom-killer` and the kernel kills the largest process, mariadbd, so the shop fails until MariaDB's crash recovery finishes.",
        files=files,
        proofs=[
            Proof(
                "journal-shop-02.txt",
                "11:02:41+00:00 shop-02 kernel: clamd invoked oom-killer",
                "Out of memory: Killed process 911 (mariadbd)",
            ),
            Proof(
                "journal-shop-02.txt",
                "11:02:00+00:00 shop-02 freshclam[4035]: Tue Jun 10 11:02:00 2025 -> daily.cld updated",
            ),
        ],
        decoys=[
            "server reached pm.max_children setting (20)",
            "woocommerce-gateway-stripe 8.3.1 -> 8.4.0",
            "InnoDB: Starting crash recovery",
        ],
    )
