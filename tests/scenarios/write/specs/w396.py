# ruff: noqa: E501
# Hand-written syslog, nginx, uWSGI and pasted shell lines are data, kept whole on one line.
"""Host, a socket in /tmp removed by the daily tmpfiles cleanup: when the wiki moved to
wiki-app-01 (a new Ubuntu host) its uWSGI ini got `socket = /tmp/wiki.sock` instead of the old
/run/wiki path. uWSGI has run for 11 days without a restart; a listening socket's timestamps
never change, so at 04:12 JST on 18 November systemd-tmpfiles-clean (`q /tmp 1777 root root
10d`) deletes /tmp/wiki.sock as stale. uWSGI keeps listening on the now nameless socket and
logs nothing; nginx gets ENOENT on every connect and answers 502. Loud: nginx's "No such file
or directory" errors and 502s, uWSGI's log going silent. Decoys: a harakiri two hours before,
an unattended openssl upgrade, a client body too large."""

import random
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from records import NginxAccess, NginxError, Record, Syslog3164
from scenes import at, fixed, loud
from traffic import host_traffic, http_access, traffic

TOKYO = ZoneInfo("Asia/Tokyo")
START = datetime(2026, 11, 18, 1, 30, tzinfo=TOKYO)
MINUTES = 330.0
CLEAN = 162.4


@dataclass
class UwsgiLog:
    """uWSGI's request log and its own messages, local time in the request lines."""

    rng: random.Random

    def render(self, record: Record) -> list[str]:
        if record.logger != "req":
            return [record.message]
        local = record.time.astimezone(TOKYO)
        stamp = local.strftime("%a %b %d %H:%M:%S %Y")
        return [record.message.replace("STAMP", stamp)]


def request(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
    path = r.choice(
        [
            "/wiki/Onboarding",
            "/wiki/Runbooks/Payments",
            "/wiki/Special:Search?q=vpn",
            "/wiki/Team/Platform",
            "/api.php?action=query&format=json",
            "/load.php?modules=startup",
        ]
    )
    code = r.choices([200, 304, 302, 404], [80, 10, 6, 4])[0]
    return (
        "INFO",
        f"[pid: {r.choice([1211, 1212, 1214])}|app: 0|req: {r.randrange(1, 9000)}/{r.randrange(40000, 90000)}] 10.44.{r.randrange(1, 30)}.{r.randrange(2, 250)} () {{{r.randrange(36, 48)} vars in {r.randrange(600, 1200)} bytes}} [STAMP] GET {path} => generated {r.randrange(300, 90000)} bytes in {r.randrange(4, 400)} msecs (HTTP/1.1 {code}) {r.randrange(5, 9)} headers in {r.randrange(200, 400)} bytes (1 switches on core 0)",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(39610)
    syslog = LogFile("logs/wiki-app-01-syslog", Syslog3164("wiki-app-01", "systemd", 1))
    syslog.add(host_traffic(rng, START, MINUTES, 800))
    syslog.add(
        [
            at(
                START,
                CLEAN - 0.02,
                "INFO",
                "Starting systemd-tmpfiles-clean.service - Cleanup of Temporary Directories...",
                logger="systemd[1]",
            ),
            at(
                START,
                CLEAN + 0.01,
                "INFO",
                "systemd-tmpfiles-clean.service: Deactivated successfully.",
                logger="systemd[1]",
            ),
            at(
                START,
                CLEAN + 0.02,
                "INFO",
                "Finished systemd-tmpfiles-clean.service - Cleanup of Temporary Directories.",
                logger="systemd[1]",
            ),
            at(
                START,
                290.0,
                "INFO",
                "Starting apt-daily-upgrade.service - Daily apt upgrade and clean activities...",
                logger="systemd[1]",
            ),
            at(
                START,
                291.2,
                "INFO",
                "Packages that will be upgraded: libssl3 openssl",
                logger="unattended-upgrade[88412]",
            ),
            at(
                START,
                292.0,
                "INFO",
                "Finished apt-daily-upgrade.service - Daily apt upgrade and clean activities.",
                logger="systemd[1]",
            ),
        ]
    )
    uwsgi = LogFile("logs/uwsgi-wiki.log", UwsgiLog(rng))
    uwsgi.add(traffic(rng, request, START, CLEAN - 0.1, 2100, logger="req"))
    uwsgi.add(
        [
            at(
                START,
                41.0,
                "WARN",
                "Wed Nov 18 02:11:04 2026 - *** HARAKIRI ON WORKER 3 (pid: 1213, try: 1, graceful: yes) ***",
                logger="msg",
            ),
            at(
                START,
                41.01,
                "WARN",
                "Wed Nov 18 02:11:04 2026 - HARAKIRI !!! worker 3 status !!!",
                logger="msg",
            ),
            at(
                START,
                41.02,
                "WARN",
                "Wed Nov 18 02:11:04 2026 - HARAKIRI [core 0] 10.44.7.19 - GET /wiki/Special:Export?pages=All",
                logger="msg",
            ),
            at(START, 41.5, "INFO", "Respawned uWSGI worker 3 (new pid: 1388)", logger="msg"),
        ]
    )
    access = LogFile("logs/nginx-wiki-access.log", NginxAccess(rng, TOKYO))
    access.add(
        traffic(
            rng,
            http_access(["/wiki/{id}", "/load.php", "/api.php", "/skins/common.css"], 60),
            START,
            CLEAN,
            2300,
        )
    )
    access.add(
        loud(
            rng,
            START,
            CLEAN + 0.05,
            MINUTES - CLEAN - 0.1,
            2600,
            fixed(
                "INFO",
                lambda r: (
                    f'"GET /wiki/{r.choice(["Onboarding", "Runbooks/Payments", "Team/Platform", "Main_Page"])} HTTP/1.1" 502 166 "-" "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6)" 0.000'
                ),
            ),
        )
    )
    error = LogFile("logs/nginx-wiki-error.log", NginxError(rng))
    error.add(
        [
            at(
                START,
                77.0,
                "ERROR",
                'client intended to send too large body: 31457722 bytes, client: 10.44.12.80, server: wiki.corp.tsubame.jp, request: "POST /api.php HTTP/1.1", host: "wiki.corp.tsubame.jp"',
            )
        ]
    )
    error.add(
        loud(
            rng,
            START,
            CLEAN + 0.05,
            MINUTES - CLEAN - 0.1,
            2500,
            fixed(
                "ERROR",
                lambda r: (
                    f'connect() to unix:/tmp/wiki.sock failed (2: No such file or directory) while connecting to upstream, client: 10.44.{r.randrange(1, 30)}.{r.randrange(2, 250)}, server: wiki.corp.tsubame.jp, request: "GET /wiki/{r.choice(["Onboarding", "Main_Page", "Team/Platform"])} HTTP/1.1", upstream: "uwsgi://unix:/tmp/wiki.sock:", host: "wiki.corp.tsubame.jp"'
                ),
            ),
        )
    )
    shell = "\n".join(
        [
            "tanaka@wiki-app-01:~$ systemctl status uwsgi-wiki --no-pager | head -4",
            "● uwsgi-wiki.service - uWSGI wiki",
            "     Loaded: loaded (/etc/systemd/system/uwsgi-wiki.service; enabled; preset: enabled)",
            "     Active: active (running) since Sat 2026-11-07 03:58:21 JST; 1 week 4 days ago",
            "   Main PID: 1207 (uwsgi)",
            "tanaka@wiki-app-01:~$ grep -n socket /etc/uwsgi/wiki.ini",
            "7:socket = /tmp/wiki.sock",
            "8:chmod-socket = 660",
            "tanaka@wiki-app-01:~$ ls -l /tmp/wiki.sock",
            "ls: cannot access '/tmp/wiki.sock': No such file or directory",
            "tanaka@wiki-app-01:~$ sudo ss -xlp | grep uwsgi",
            'u_str LISTEN 0      100    /tmp/wiki.sock 31877            * 0    users:(("uwsgi",pid=1214,fd=3),("uwsgi",pid=1388,fd=3),("uwsgi",pid=1212,fd=3),("uwsgi",pid=1211,fd=3),("uwsgi",pid=1207,fd=3))',
            "tanaka@wiki-app-01:~$ cat /usr/lib/tmpfiles.d/tmp.conf | grep -v '^#'",
            "D /tmp 1777 root root -",
            "q /var/tmp 1777 root root 30d",
            "tanaka@wiki-app-01:~$ cat /etc/tmpfiles.d/tmp.conf",
            "# local: clean /tmp after 10 days (CIS hardening, OPS-311)",
            "q /tmp 1777 root root 10d",
            "tanaka@wiki-app-01:~$ systemctl list-timers systemd-tmpfiles-clean.timer --no-pager",
            "NEXT                        LEFT     LAST                        PASSED  UNIT                         ACTIVATES",
            "Thu 2026-11-19 04:12:23 JST 21h left Wed 2026-11-18 04:12:23 JST 2h ago  systemd-tmpfiles-clean.timer systemd-tmpfiles-clean.service",
            "",
        ]
    )
    return Bundle(
        question="The internal wiki answers 502 Bad Gateway for everyone since early this morning (JST), but uwsgi-wiki is running and its log shows no errors. What is the root cause?",
        category="configuration",
        component="wiki-app-01",
        statement="On wiki-app-01 uWSGI's socket lives at /tmp/wiki.sock and /tmp is cleaned of files older than 10 days; uWSGI has run for 11 days, so systemd-tmpfiles-clean deleted the socket at 04:12 JST and nginx's connects to unix:/tmp/wiki.sock fail with ENOENT (502).",
        files={
            "wiki-app-01-shell.txt": shell,
            "logs/wiki-app-01-syslog": syslog.render(),
            "logs/uwsgi-wiki.log": uwsgi.render(),
            "logs/nginx-wiki-access.log": access.render(),
            "logs/nginx-wiki-error.log": error.render(),
        },
        proofs=[
            Proof("logs/wiki-app-01-syslog", "Starting systemd-tmpfiles-clean.service"),
            Proof("wiki-app-01-shell.txt", "7:socket = /tmp/wiki.sock"),
            Proof("wiki-app-01-shell.txt", "q /tmp 1777 root root 10d"),
            Proof("wiki-app-01-shell.txt", "ls: cannot access '/tmp/wiki.sock'"),
        ],
        decoys=[
            "HARAKIRI ON WORKER 3",
            "Packages that will be upgraded: libssl3 openssl",
            "client intended to send too large body",
        ],
    )
