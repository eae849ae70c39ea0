# ruff: noqa: E501
# Hand-written log lines are data, kept whole on one line.
"""Single hosts: the media site's web servers mount `nas-02:/srv/export/media` over NFS (hard
mount). At 09:06 UTC unattended-upgrades on nas-02 upgraded nfs-kernel-server and restarted it;
the stop went through (`nfsd: last server has exited`), the start failed (`rpc.nfsd: unable to
set any sockets for nfsd`), and nothing noticed. On web-07 every PHP worker that touches an
uploaded file blocks in D state (`nfs: server nas-02 not responding, still trying`, hung-task
reports), php-fpm runs out of children and nginx times out on every request. Loud: nginx's 504s
and upstream timeouts, php-fpm's `max_children` and slow-request warnings, a load average over
200 with idle CPUs. Decoys: the max_children warning (raising it would not help), the load
average, and a MySQL slow query logged every few minutes."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from records import NginxAccess, NginxError, Record, Syslog3164
from scenes import at, fixed, loud
from traffic import host_traffic, traffic

START = datetime(2025, 11, 26, 8, 40, tzinfo=UTC)
STOP = datetime(2025, 11, 26, 9, 6, 44, 118000, tzinfo=UTC)
END = datetime(2025, 11, 26, 9, 38, tzinfo=UTC)
UPTIME_AT_START = 1204311.0


@dataclass
class Kernel:
    """Ubuntu's /var/log/kern.log: syslog prefix, then the kernel's `[uptime]` stamp."""

    host: str

    def render(self, record: Record) -> list[str]:
        stamp = record.time.strftime("%b ") + f"{record.time.day:2d}" + record.time.strftime(" %T")
        uptime = UPTIME_AT_START + (record.time - START).total_seconds()
        return [
            f"{stamp} {self.host} kernel: [{uptime:12.6f}] {line}"
            for line in (record.message, *record.trailer)
        ]


@dataclass
class MysqlSlow:
    """MySQL 8's slow query log: `# Time:` header, client, timings, then the statement."""

    def render(self, record: Record) -> list[str]:
        stamp = record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond:06d}Z"
        return [
            f"# Time: {stamp}",
            f"# User@Host: mediaport[mediaport] @  [10.30.1.27]  Id: {int(record.time.timestamp()) % 90000}",
            record.message,
            f"SET timestamp={int(record.time.timestamp())};",
            "SELECT id, title, slug FROM articles WHERE published = 1 ORDER BY views_24h DESC LIMIT 20;",
        ]


@dataclass
class PhpFpm:
    """php-fpm's error log: `[26-Nov-2025 09:13:02] WARNING: [pool www] ...`."""

    def render(self, record: Record) -> list[str]:
        level = {"WARN": "WARNING", "INFO": "NOTICE"}.get(record.level, record.level)
        return [f"[{record.time.strftime('%d-%b-%Y %H:%M:%S')}] {level}: {record.message}"]


def hung_task(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    pid = rng.randrange(20000, 32000)
    return (
        "ERROR",
        f"INFO: task php-fpm8.2:{pid} blocked for more than {rng.choice([122, 245, 368])} seconds.",
        (
            "      Not tainted 6.8.0-45-generic #45-Ubuntu",
            '"echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.',
            f"task:php-fpm8.2    state:D stack:0     pid:{pid} tgid:{pid} ppid:1187   flags:0x00000002",
            "Call Trace:",
            " <TASK>",
            " __schedule+0x27c/0x6b0",
            " schedule+0x33/0x110",
            " rpc_wait_bit_killable+0x11/0x70 [sunrpc]",
            " __wait_on_bit+0x42/0x110",
            " out_of_line_wait_on_bit+0x8c/0xb0",
            " __rpc_execute+0x10b/0x460 [sunrpc]",
            " rpc_execute+0xb9/0xe0 [sunrpc]",
            " nfs4_do_call_sync+0x6b/0xa0 [nfsv4]",
            " _nfs4_proc_getattr+0x132/0x170 [nfsv4]",
            " nfs4_proc_getattr+0x6c/0x110 [nfsv4]",
            " __nfs_revalidate_inode+0xd2/0x2b0 [nfs]",
            " nfs_getattr+0x3b1/0x4a0 [nfs]",
            " vfs_statx+0x9f/0x1a0",
            " </TASK>",
        ),
    )


def access_ok(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    path = rng.choice(
        [
            "/",
            "/news",
            "/video/{id}",
            "/gallery/{id}",
            "/api/feed?page=2",
            "/media/thumbs/{id}.webp",
        ]
    ).replace("{id}", str(rng.randrange(10**6)))
    return (
        "INFO",
        f'"GET {path} HTTP/1.1" 200 {rng.randrange(900, 90000)} "-" "Mozilla/5.0 (Linux; Android 14)" {rng.randrange(8, 300) / 1000:.3f}',
        (),
    )


def access_timeout(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    path = rng.choice(["/", "/news", "/video/{id}", "/gallery/{id}", "/api/feed?page=2"]).replace(
        "{id}", str(rng.randrange(10**6))
    )
    return (
        "ERROR",
        f'"GET {path} HTTP/1.1" 504 562 "-" "Mozilla/5.0 (Linux; Android 14)" 60.00{rng.randrange(1, 9)}',
        (),
    )


def nginx_timeout(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    path = rng.choice(
        [
            "/",
            "/news",
            "/video/" + str(rng.randrange(10**6)),
            "/gallery/" + str(rng.randrange(10**6)),
        ]
    )
    client = f"{rng.choice([31, 46, 85, 178])}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
    return (
        "ERROR",
        f'upstream timed out (110: Connection timed out) while reading response header from upstream, client: {client}, server: www.mediaport.example, request: "GET {path} HTTP/1.1", upstream: "fastcgi://unix:/run/php/php8.2-fpm.sock:", host: "www.mediaport.example"',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(1145)
    total = (END - START).total_seconds() / 60
    stop = (STOP - START).total_seconds() / 60
    kern = LogFile("web-07/kern.log", Kernel("web-07"))
    kern.add(
        [
            at(
                START,
                3.2,
                "INFO",
                'audit: type=1400 audit(1764146592.311:1184): apparmor="DENIED" operation="open" class="file" profile="snap.amazon-ssm-agent.amazon-ssm-agent" name="/proc/1187/environ" pid=2210 comm="ssm-agent-worke" requested_mask="r" denied_mask="r" fsuid=0 ouid=33',
            )
        ]
    )
    kern.add([at(START, stop + 2.9, "WARN", "nfs: server nas-02 not responding, still trying")])
    kern.add(
        traffic(
            rng,
            fixed("WARN", lambda r: "nfs: server nas-02 not responding, still trying"),
            START + timedelta(minutes=stop + 3),
            total - stop - 3.1,
            22,
        )
    )
    kern.add(loud(rng, START, stop + 5.2, total - stop - 5.3, 16, hung_task))
    access = LogFile("web-07/nginx/access.log", NginxAccess(rng=rng))
    access.add(traffic(rng, access_ok, START, stop + 3, 3900))
    access.add(traffic(rng, access_ok, START + timedelta(minutes=stop + 3), total - stop - 3, 240))
    access.add(loud(rng, START, stop + 4, total - stop - 4.1, 1300, access_timeout))
    errors = LogFile("web-07/nginx/error.log", NginxError(rng=rng))
    errors.add(loud(rng, START, stop + 4, total - stop - 4.1, 1250, nginx_timeout))
    errors.add(
        [
            at(
                START,
                9.3,
                "WARN",
                'an upstream response is buffered to a temporary file /var/lib/nginx/fastcgi/3/41/0000001413 while reading upstream, client: 85.14.22.190, server: www.mediaport.example, request: "GET /api/feed?page=9 HTTP/1.1", upstream: "fastcgi://unix:/run/php/php8.2-fpm.sock:", host: "www.mediaport.example"',
            )
        ]
    )
    fpm = LogFile("web-07/php8.2-fpm.log", PhpFpm())
    fpm.add(
        traffic(
            rng,
            fixed("INFO", lambda r: f"[pool www] child {r.randrange(20000, 32000)} started"),
            START,
            stop,
            30,
        )
    )
    fpm.add(
        traffic(
            rng,
            fixed(
                "WARN",
                lambda r: (
                    f"[pool www] child {r.randrange(20000, 32000)}, script '/var/www/mediaport/public/index.php' (request: \"GET /index.php\") executing too slow ({r.uniform(5, 9):.6f} sec), logging"
                ),
            ),
            START + timedelta(minutes=stop + 3.1),
            total - stop - 3.2,
            160,
        )
    )
    fpm.add(
        traffic(
            rng,
            fixed(
                "WARN",
                lambda r: (
                    "[pool www] server reached pm.max_children setting (40), consider raising it"
                ),
            ),
            START + timedelta(minutes=stop + 4.5),
            total - stop - 4.6,
            26,
        )
    )
    nas = LogFile("nas-02/journal.txt", Syslog3164("nas-02", "systemd", 1))
    nas.add(host_traffic(rng, START, total, 260))
    nas.add(
        [
            at(
                START,
                stop - 1.3,
                "INFO",
                "Starting unattended-upgrades.service - Unattended Upgrades Shutdown...",
                logger="systemd[1]",
            ),
            at(
                START,
                stop - 1.25,
                "INFO",
                "Starting apt-daily-upgrade.service - Daily apt upgrade and clean activities...",
                logger="systemd[1]",
            ),
            at(
                START,
                stop - 0.9,
                "INFO",
                "Packages that will be upgraded: libnfsidmap1 nfs-common nfs-kernel-server",
                logger="unattended-upgrade[88213]",
            ),
            at(
                START,
                stop - 0.05,
                "INFO",
                "Stopping nfs-server.service - NFS server and services...",
                logger="systemd[1]",
            ),
            Record(
                STOP, "INFO", "nfsd: last server has exited, flushing export cache", (), "kernel"
            ),
            at(
                START,
                stop + 0.02,
                "INFO",
                "nfs-server.service: Deactivated successfully.",
                logger="systemd[1]",
            ),
            at(
                START,
                stop + 0.03,
                "INFO",
                "Stopped nfs-server.service - NFS server and services.",
                logger="systemd[1]",
            ),
            at(
                START,
                stop + 0.2,
                "INFO",
                "Starting nfs-server.service - NFS server and services...",
                logger="systemd[1]",
            ),
            at(
                START,
                stop + 0.21,
                "WARN",
                "rpc.nfsd: writing fd to kernel failed: errno 111 (Connection refused)",
                logger="rpc.nfsd[88702]",
            ),
            at(
                START,
                stop + 0.22,
                "ERROR",
                "rpc.nfsd: unable to set any sockets for nfsd",
                logger="rpc.nfsd[88702]",
            ),
            at(
                START,
                stop + 0.23,
                "INFO",
                "nfs-server.service: Main process exited, code=exited, status=1/FAILURE",
                logger="systemd[1]",
            ),
            at(
                START,
                stop + 0.24,
                "INFO",
                "nfs-server.service: Failed with result 'exit-code'.",
                logger="systemd[1]",
            ),
            at(
                START,
                stop + 0.25,
                "INFO",
                "Failed to start nfs-server.service - NFS server and services.",
                logger="systemd[1]",
            ),
            at(
                START,
                stop + 0.6,
                "INFO",
                "All upgrades installed",
                logger="unattended-upgrade[88213]",
            ),
            at(
                START,
                stop + 0.7,
                "INFO",
                "apt-daily-upgrade.service: Deactivated successfully.",
                logger="systemd[1]",
            ),
            at(
                START,
                stop + 0.71,
                "INFO",
                "Finished apt-daily-upgrade.service - Daily apt upgrade and clean activities.",
                logger="systemd[1]",
            ),
        ]
    )
    mysql = LogFile("db-03/mysql-slow.log", MysqlSlow())
    mysql.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f"# Query_time: {r.uniform(2.1, 4.8):.6f}  Lock_time: 0.000012 Rows_sent: 20  Rows_examined: {r.randrange(800000, 1400000)}"
                ),
            ),
            START,
            total,
            11,
        )
    )
    shell = "\n".join(
        [
            "web-07, 09:31 UTC:",
            "$ uptime",
            " 09:31:02 up 13 days, 22:41,  2 users,  load average: 214.37, 188.02, 112.65",
            "$ mpstat 1 1 | tail -1",
            "Average:     all    1.74    0.00    0.88    0.00    0.00    0.06    0.00    0.00    0.00   97.32",
            "$ ps -eo state,pid,wchan:24,cmd | awk '$1==\"D\"' | head -5",
            "D   21187 rpc_wait_bit_killable    php-fpm: pool www",
            "D   21190 rpc_wait_bit_killable    php-fpm: pool www",
            "D   21204 rpc_wait_bit_killable    php-fpm: pool www",
            "D   21233 rpc_wait_bit_killable    php-fpm: pool www",
            "D   31544 rpc_wait_bit_killable    du -sh /var/www/mediaport/public/uploads",
            "$ ps -eo state | grep -c D",
            "212",
            "$ grep uploads /proc/mounts",
            "nas-02:/srv/export/media /var/www/mediaport/public/uploads nfs4 rw,relatime,vers=4.2,rsize=1048576,wsize=1048576,namlen=255,hard,proto=tcp,timeo=600,retrans=2,sec=sys,clientaddr=10.30.1.27,local_lock=none,addr=10.30.4.12 0 0",
            "$ ls /var/www/mediaport/public/uploads",
            "^C   (hangs)",
            "",
        ]
    )
    files = {
        "web-07/shell.txt": shell,
        "web-07/kern.log": kern.render(),
        "web-07/nginx/access.log": access.render(),
        "web-07/nginx/error.log": errors.render(),
        "web-07/php8.2-fpm.log": fpm.render(),
        "nas-02/journal.txt": nas.render(),
        "db-03/mysql-slow.log": mysql.render(),
    }
    return Bundle(
        question="www.mediaport.example has been timing out (504) since about 09:10 UTC; web-07's load average is over 200. What is the root cause?",
        category="dependency",
        component="nas-02",
        statement="At 09:06:44 UTC unattended-upgrades restarted nfs-server on nas-02 and the start failed (`rpc.nfsd: unable to set any sockets for nfsd`), so the NFS export behind web-07's hard-mounted uploads directory stopped answering (`nfs: server nas-02 not responding`); PHP workers hang in D state, php-fpm runs out of children and nginx's requests end in 504.",
        files=files,
        proofs=[
            Proof("nas-02/journal.txt", "rpc.nfsd: unable to set any sockets for nfsd"),
            Proof("nas-02/journal.txt", "nfsd: last server has exited"),
        ],
        decoys=["server reached pm.max_children", "load average: 214.37", "Rows_examined"],
    )
