# ruff: noqa: E501
# Hand-written syslog, nginx and tilesrv lines and pasted shell output are data, kept whole on one line.
"""Host, a log rotated away from under its writer: on 3 November the Ansible role
logging-baseline replaced /etc/logrotate.d/tilesrv on maptile-03 with a template without
`copytruncate` and without a postrotate signal. At 00:00 UTC logrotate renamed tilesrv.log to
tilesrv.log.1, created an empty tilesrv.log and compressed .1 into .1.gz, unlinking it; tilesrv
(a JVM with a plain logback FileAppender) keeps writing about 1.9 GB an hour into the deleted
inode, so /var fills while `du` finds nothing and tilesrv.log stays at 0 bytes. At 20:31 UTC
/var is full: tile cache writes fail and nginx answers 500. Loud: nginx's 500s and ENOSPC
errors, logback's IO failure on stdout. Decoys: a tile-cache prune job that skipped a run, a
disk's pending sectors in smartd, an OpenJDK update awaiting a restart."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import Log4j, NginxAccess, NginxError, Record, Syslog3164
from scenes import at, fixed, loud
from traffic import host_traffic, http_access, traffic

DAY = datetime(2025, 11, 4, 0, 0, tzinfo=UTC)
SYS_START = datetime(2025, 11, 3, 16, 0, tzinfo=UTC)
SYS_MINUTES = 29.5 * 60
WEB_START = datetime(2025, 11, 4, 18, 40, tzinfo=UTC)
WEB_MINUTES = 170.0
FULL = 111.0
TILE_LOGGERS = (
    "io.maptile.srv.TileHandler",
    "io.maptile.srv.cache.DiskTileCache",
    "io.maptile.srv.render.MetatileRenderer",
    "io.maptile.srv.style.StyleRegistry",
)


def _tile_line(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    z = rng.randrange(3, 18)
    x, y = rng.randrange(2**z), rng.randrange(2**z)
    style = rng.choice(["osm-bright", "positron", "dark-matter", "terrain"])
    roll = rng.random()
    if roll < 0.55:
        return (
            "INFO",
            f"GET /tiles/{style}/{z}/{x}/{y}.png 200 cache=HIT {rng.randrange(1, 9)}ms bytes={rng.randrange(900, 48000)}",
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            f"GET /tiles/{style}/{z}/{x}/{y}.png 200 cache=MISS rendered metatile {z}/{x // 8 * 8}/{y // 8 * 8} in {rng.randrange(40, 900)}ms",
            (),
        )
    if roll < 0.9:
        return (
            "INFO",
            f"stored metatile {style}/{z}/{x // 8 * 8}/{y // 8 * 8} in /var/lib/tilesrv/cache ({rng.randrange(40, 900)} KiB)",
            (),
        )
    if roll < 0.97:
        return "WARN", f"GET /tiles/{style}/{z}/{x}/{y}.png 404 tile outside style bounds", ()
    return (
        "WARN",
        f"render of {style}/{z}/{x // 8 * 8}/{y // 8 * 8} took {rng.randrange(3000, 9000)}ms (slow PostGIS query on planet_osm_polygon)",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(49007)
    syslog = LogFile("logs/maptile-03-syslog", Syslog3164("maptile-03", "kernel", 0))
    syslog.add(host_traffic(rng, SYS_START, SYS_MINUTES, 1700))
    syslog.add(
        [
            at(
                SYS_START,
                14.0,
                "INFO",
                "Started session-48213.scope - Session 48213 of User ansible.",
                logger="systemd[1]",
            ),
            at(
                SYS_START,
                15.2,
                "INFO",
                "ansible-ansible.legacy.copy Invoked with dest=/etc/logrotate.d/tilesrv src=/home/ansible/.ansible/tmp/ansible-tmp-1762186512.41-7716/source mode=0644 owner=root group=root backup=False force=True follow=False unsafe_writes=False _original_basename=logrotate-app.j2 checksum=8d1f0e4c2a7b95e3d610cc4f9a28e0b7d3c51a6e validate=None",
                logger="python3[771604]",
            ),
            Record(
                DAY,
                "INFO",
                "Starting logrotate.service - Rotate log files...",
                (),
                "systemd[1]",
            ),
            at(
                DAY,
                14.5,
                "INFO",
                "logrotate.service: Deactivated successfully.",
                logger="systemd[1]",
            ),
            at(
                DAY,
                14.51,
                "INFO",
                "Finished logrotate.service - Rotate log files.",
                logger="systemd[1]",
            ),
            at(
                DAY,
                14.52,
                "INFO",
                "logrotate.service: Consumed 14min 2.377s CPU time.",
                logger="systemd[1]",
            ),
            at(
                SYS_START,
                190.0,
                "WARN",
                "tilesrv-prune: skipped: lock /run/tilesrv-prune.lock held by pid 402117 (previous run still active)",
                logger="tilesrv-prune[402981]",
            ),
            at(
                DAY,
                382.0,
                "INFO",
                "Packages that will be upgraded: openjdk-17-jre-headless openjdk-17-jdk-headless",
                logger="unattended-upgrade[611204]",
            ),
            at(
                DAY,
                384.5,
                "WARN",
                "needrestart: Service restarts being deferred: tilesrv.service (uses outdated libjvm.so)",
                logger="needrestart[611877]",
            ),
            at(
                DAY,
                522.0,
                "WARN",
                "Device: /dev/sdb [SAT], 8 Currently unreadable (pending) sectors",
                logger="smartd[812]",
            ),
            at(
                DAY,
                1182.0,
                "WARN",
                "Device: /dev/sdb [SAT], 8 Currently unreadable (pending) sectors",
                logger="smartd[812]",
            ),
        ]
    )
    for minute, pct in ((16 * 60 + 4.0, 85), (18 * 60 + 11.0, 91), (19 * 60 + 33.0, 96)):
        syslog.add(
            [
                at(
                    DAY,
                    minute,
                    "WARN",
                    f"WARNING: filesystem /var at {pct}% used (threshold 85%)",
                    logger="check-disk[3310]",
                )
            ]
        )
    full = WEB_START.replace(hour=20, minute=31)
    syslog.add(
        [
            at(
                full,
                0.1,
                "ERROR",
                "CRITICAL: filesystem /var at 100% used, 0 B available",
                logger="check-disk[3310]",
            ),
            at(
                full,
                0.12,
                "ERROR",
                "20:31:07,552 |-ERROR in ch.qos.logback.core.FileAppender[FILE] - IO failure in appender java.io.IOException: No space left on device",
                logger="tilesrv[2214]",
            ),
        ]
    )
    syslog.add(
        [
            at(
                full,
                minute,
                "ERROR",
                "CRITICAL: filesystem /var at 100% used, 0 B available",
                logger="check-disk[3310]",
            )
            for minute in range(5, 60, 5)
        ]
    )

    tiles = LogFile("logs/tilesrv.log.1", Log4j(TILE_LOGGERS, threads="qtp1418370913", rng=rng))
    tiles.add(traffic(rng, _tile_line, SYS_START, 8 * 60, 4200))

    paths = [
        "/tiles/osm-bright/{id}.png",
        "/tiles/positron/{id}.png",
        "/tiles/terrain/{id}.png",
        "/styles/osm-bright/style.json",
    ]
    access = LogFile("logs/nginx-access.log", NginxAccess(rng))
    access.add(traffic(rng, http_access(paths, 15), WEB_START, WEB_MINUTES, 4800))
    access.add(
        loud(
            rng,
            WEB_START,
            FULL + 0.2,
            WEB_MINUTES - FULL - 0.5,
            1300,
            lambda r: (
                "INFO",
                f'"GET /tiles/{r.choice(["osm-bright", "positron", "terrain"])}/{r.randrange(10, 17)}/{r.randrange(10**4)}/{r.randrange(10**4)}.png HTTP/1.1" 500 {r.choice([0, 219])} "https://maps.skarnland.no/" "Mozilla/5.0 (X11; Linux x86_64)" {r.uniform(0.05, 1.2):.3f}',
                (),
            ),
        )
    )
    error = LogFile("logs/nginx-error.log", NginxError(rng))
    error.add(
        traffic(
            rng,
            lambda r: (
                "ERROR",
                f'open() "/usr/share/nginx/html/tiles/{r.randrange(10, 17)}/{r.randrange(10**4)}/{r.randrange(10**4)}.png" failed (2: No such file or directory), client: 10.{r.randrange(256)}.{r.randrange(256)}.{r.randrange(1, 255)}, server: tiles.skarnland.no, request: "GET /tiles/{r.randrange(10, 17)}/{r.randrange(10**4)}/{r.randrange(10**4)}.png HTTP/1.1", host: "tiles.skarnland.no"',
                (),
            ),
            WEB_START,
            WEB_MINUTES,
            120,
        )
    )
    error.add(
        loud(
            rng,
            WEB_START,
            FULL,
            WEB_MINUTES - FULL - 0.5,
            520,
            fixed(
                "FATAL",
                lambda r: (
                    f'pwrite() "/var/cache/nginx/tiles/temp/{r.randrange(10)}/{r.randrange(10, 99)}/00000{r.randrange(10000, 99999)}" failed (28: No space left on device) while reading upstream, client: 10.{r.randrange(256)}.{r.randrange(256)}.{r.randrange(1, 255)}, server: tiles.skarnland.no, request: "GET /tiles/positron/{r.randrange(10, 17)}/{r.randrange(10**4)}/{r.randrange(10**4)}.png HTTP/1.1", upstream: "http://127.0.0.1:8080/tiles/positron/{r.randrange(10, 17)}/{r.randrange(10**4)}/{r.randrange(10**4)}.png", host: "tiles.skarnland.no"'
                ),
            ),
        )
    )

    shell = "\n".join(
        [
            "[ops@maptile-03 ~]$ df -h /var",
            "Filesystem               Size  Used Avail Use% Mounted on",
            "/dev/mapper/vg0-var       79G   76G     0 100% /var",
            "[ops@maptile-03 ~]$ sudo du -xsh /var/* 2>/dev/null | sort -h | tail -5",
            "452M\t/var/tmp",
            "1.1G\t/var/spool",
            "6.2G\t/var/cache",
            "7.3G\t/var/log",
            "21G\t/var/lib",
            "[ops@maptile-03 ~]$ sudo du -xsh /var",
            "36G\t/var",
            "[ops@maptile-03 ~]$ ls -l /var/log/tilesrv/",
            "total 7507240",
            "-rw-r----- 1 tilesrv tilesrv          0 Nov  4 00:00 tilesrv.log",
            "-rw-r----- 1 tilesrv tilesrv 3719304881 Nov  4 00:00 tilesrv.log.1.gz",
            "-rw-r----- 1 tilesrv tilesrv 3968021450 Nov  3 00:00 tilesrv.log.2.gz",
            "[ops@maptile-03 ~]$ sudo lsof -nP +L1 /var",
            "COMMAND    PID    USER   FD   TYPE DEVICE    SIZE/OFF NLINK    NODE NAME",
            "java      2214 tilesrv    7w   REG  253,2 43061870592     0 1311004 /var/log/tilesrv/tilesrv.log.1 (deleted)",
            "[ops@maptile-03 ~]$ cat /etc/logrotate.d/tilesrv",
            "# Managed by Ansible (role logging-baseline, template logrotate-app.j2). Local changes will be overwritten.",
            "/var/log/tilesrv/*.log {",
            "    daily",
            "    rotate 7",
            "    compress",
            "    missingok",
            "    notifempty",
            "    create 0640 tilesrv tilesrv",
            "}",
            "[ops@maptile-03 ~]$ grep tilesrv /var/lib/logrotate/status",
            '"/var/log/tilesrv/tilesrv.log" 2025-11-4-0:0:1',
            "[ops@maptile-03 ~]$ ps -o pid,lstart,etime,cmd -p 2214 | cut -c1-120",
            "    PID                  STARTED     ELAPSED CMD",
            "   2214 Mon Oct 20 09:12:44 2025 15-11:28:51 /usr/bin/java -Xms4g -Xmx4g -Dlogback.configurationFile=/etc/tilesrv/logback.xml -jar /opt/tilesrv/",
            "[ops@maptile-03 ~]$ sudo grep -A3 '<appender name=\"FILE\"' /etc/tilesrv/logback.xml",
            '  <appender name="FILE" class="ch.qos.logback.core.FileAppender">',
            "    <file>/var/log/tilesrv/tilesrv.log</file>",
            "    <append>true</append>",
            "    <encoder><pattern>%d [%t] %-5level %logger - %msg%n</pattern></encoder>",
            "[ops@maptile-03 ~]$ sudo tail -n 2 /proc/2214/fd/7",
            "2025-11-04 20:41:12,908 [qtp1418370913-41] ERROR io.maptile.srv.cache.DiskTileCache - cannot store metatile positron/14/8824/5376: No space left on device",
            "2025-11-04 20:41:12,913 [qtp1418370913-41] ERROR io.maptile.srv.TileHandler - GET /tiles/positron/14/8826/5379.png 500 cache store failed",
            "",
        ]
    )
    notes = "\n".join(
        [
            "## maptile-03 /var full (21:40 UTC)",
            "",
            "- check-disk went critical at 20:31; tiles.skarnland.no returns 500 for cache misses since then.",
            "- First guess was the tile cache (/var/lib/tilesrv/cache): the prune timer skipped a run last night. Cache is 19G, same as last week.",
            "- tilesrv's own log looks dead: tilesrv.log is empty since midnight. Attached logs/tilesrv.log.1 is the last 8 h of `zcat tilesrv.log.1.gz`.",
            "- smartd on /dev/sdb (data disk, not /var) reports 8 pending sectors since Oct 29, ticket HW-3312 open.",
            "- unattended-upgrades installed OpenJDK 17.0.17 this morning; tilesrv not restarted yet.",
            "- CHG-5120 (3 Nov 16:15): logging-baseline role rolled out to the maptile hosts.",
            "",
        ]
    )
    return Bundle(
        question="maptile-03's /var filled up this evening and tile requests fail with 500 since 20:31 UTC. What is the root cause?",
        category="disk",
        component="maptile-03",
        statement="CHG-5120's logging-baseline role replaced maptile-03's logrotate config for tilesrv with one without copytruncate or a postrotate signal; at 00:00 logrotate renamed and compressed tilesrv.log, but tilesrv keeps writing to the deleted tilesrv.log.1 (43 GB held open), so /var filled at 20:31 while du sees only 36G and tile cache writes fail.",
        files={
            "notes.md": notes,
            "maptile-03-shell.txt": shell,
            "logs/maptile-03-syslog": syslog.render(),
            "logs/tilesrv.log.1": tiles.render(),
            "logs/nginx-access.log": access.render(),
            "logs/nginx-error.log": error.render(),
        },
        proofs=[
            Proof("maptile-03-shell.txt", "java      2214 tilesrv    7w"),
            Proof("maptile-03-shell.txt", "/var/log/tilesrv/*.log {", "    create 0640"),
            Proof("maptile-03-shell.txt", "/dev/mapper/vg0-var"),
            Proof("maptile-03-shell.txt", "36G\t/var"),
            Proof("logs/maptile-03-syslog", "dest=/etc/logrotate.d/tilesrv"),
        ],
        decoys=["tilesrv-prune", "Currently unreadable (pending) sectors", "needrestart"],
    )
