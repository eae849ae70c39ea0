# ruff: noqa: E501
# Hand-written journal lines, a Node stack, a pasted diff and notes are data, kept whole on one line.
"""Host, a dropped NODE_ENV: the 10:14 UTC deploy of storefront 4.2.0 to web-05 shipped a systemd
unit rendered from a new template that lost `Environment=NODE_ENV=production`. The app starts in
development mode and its hot-reload watcher walks /srv/storefront (node_modules included), runs
out of inotify watches (`ENOSPC: System limit for number of file watchers reached`) and exits;
systemd restarts it every 5 s. Loud: nginx 502s (connection refused to 127.0.0.1:3000), the
crash loop. Decoys: ENOSPC read as a full disk (/var at 91%), a Redis reconnect warning,
and an older nginx "upstream prematurely closed" error."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import NginxAccess, NginxError, Record
from scenes import at, fixed, loud
from traffic import host_traffic, http_access, traffic

START = datetime(2025, 11, 20, 9, 0, tzinfo=UTC)
MINUTES = 150.0
DEPLOY = 74.0

CRASH = [
    "node:internal/fs/watchers:247",
    "    const error = new UVException({",
    "                  ^",
    "",
    "Error: ENOSPC: System limit for number of file watchers reached, watch '/srv/storefront/node_modules/@babel/runtime/helpers/esm'",
    "    at FSWatcher.<computed> (node:internal/fs/watchers:247:19)",
    "    at Object.watch (node:fs:2473:36)",
    "    at createFsWatchInstance (/srv/storefront/node_modules/chokidar/lib/nodefs-handler.js:119:15)",
    "    at setFsWatchListener (/srv/storefront/node_modules/chokidar/lib/nodefs-handler.js:166:15)",
    "    at NodeFsHandler._watchWithNodeFs (/srv/storefront/node_modules/chokidar/lib/nodefs-handler.js:331:14)",
    "    at NodeFsHandler._handleDir (/srv/storefront/node_modules/chokidar/lib/nodefs-handler.js:567:19) {",
    "  errno: -28,",
    "  syscall: 'watch',",
    "  code: 'ENOSPC',",
    "  path: '/srv/storefront/node_modules/@babel/runtime/helpers/esm',",
    "  filename: '/srv/storefront/node_modules/@babel/runtime/helpers/esm'",
    "}",
    "",
    "Node.js v20.11.1",
]


class WebJournal:
    """`journalctl -o short-iso` on web-05; the record's logger is `program[pid]`."""

    def render(self, record: Record) -> list[str]:
        stamp = record.time.strftime("%Y-%m-%dT%H:%M:%S+0000")
        return [
            f"{stamp} web-05 {record.logger}: {line}" for line in [record.message, *record.trailer]
        ]


def bundle() -> Bundle:
    rng = random.Random(26408)
    journal = LogFile("logs/web-05-journal.txt", WebJournal())
    journal.add(host_traffic(rng, START, MINUTES, 600))
    journal.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                r.choice(
                    [
                        f"GET /product/{r.randrange(10**5)} 200 in {r.randrange(20, 200)}ms",
                        f"cart {r.getrandbits(32):08x} updated",
                        f"render /category/{r.choice(['shoes', 'bags', 'sale'])} {r.randrange(30, 300)}ms",
                        f"redis GET session:{r.getrandbits(48):012x} hit",
                    ]
                ),
                (),
            ),
            START,
            DEPLOY,
            1400,
            "storefront[30112]",
        )
    )
    journal.add(
        [
            at(
                START,
                12.5,
                "WARN",
                "redis: connection to redis-sessions.internal:6379 reset, reconnecting (attempt 1) ... reconnected",
                logger="storefront[30112]",
            ),
            at(START, DEPLOY - 0.3, "INFO", "Reloading.", logger="systemd[1]"),
            at(
                START,
                DEPLOY - 0.2,
                "INFO",
                "Stopping storefront.service - Storefront web app...",
                logger="systemd[1]",
            ),
            at(
                START,
                DEPLOY - 0.18,
                "INFO",
                "storefront.service: Deactivated successfully.",
                logger="systemd[1]",
            ),
            at(
                START,
                DEPLOY - 0.17,
                "INFO",
                "Started storefront.service - Storefront web app.",
                logger="systemd[1]",
            ),
        ]
    )
    when = DEPLOY - 0.16
    pid = 41800
    count = 1
    while when < MINUTES - 0.5:
        journal.add(
            [
                at(
                    START,
                    when + 0.005,
                    "INFO",
                    "> storefront@4.2.0 start",
                    logger=f"storefront[{pid}]",
                ),
                at(
                    START,
                    when + 0.011,
                    "INFO",
                    "storefront 4.2.0: NODE_ENV is not 'production', starting in development mode (hot reload enabled, watching /srv/storefront)",
                    logger=f"storefront[{pid}]",
                ),
                at(START, when + 0.021, "ERROR", CRASH[0], CRASH[1:], logger=f"storefront[{pid}]"),
                at(
                    START,
                    when + 0.031,
                    "ERROR",
                    "storefront.service: Main process exited, code=exited, status=1/FAILURE",
                    logger="systemd[1]",
                ),
                at(
                    START,
                    when + 0.032,
                    "ERROR",
                    "storefront.service: Failed with result 'exit-code'.",
                    logger="systemd[1]",
                ),
                at(
                    START,
                    when + 0.12,
                    "INFO",
                    f"storefront.service: Scheduled restart job, restart counter is at {count}.",
                    logger="systemd[1]",
                ),
                at(
                    START,
                    when + 0.121,
                    "INFO",
                    "Started storefront.service - Storefront web app.",
                    logger="systemd[1]",
                ),
            ]
        )
        when += 0.125 + (0.8 if count % 5 == 0 else 0)
        pid += rng.randrange(20, 90)
        count += 1

    error = LogFile("logs/nginx-error.log", NginxError(rng))
    error.add(
        loud(
            rng,
            START,
            DEPLOY,
            MINUTES - DEPLOY - 0.5,
            1100,
            fixed(
                "ERROR",
                lambda r: (
                    f'connect() failed (111: Connection refused) while connecting to upstream, client: 10.9.{r.randrange(256)}.{r.randrange(1, 255)}, server: shop.example.com, request: "GET /product/{r.randrange(10**5)} HTTP/2.0", upstream: "http://127.0.0.1:3000/product/{r.randrange(10**5)}", host: "shop.example.com"'
                ),
            ),
        )
    )
    error.add(
        [
            at(
                START,
                33.0,
                "ERROR",
                'upstream prematurely closed connection while reading response header from upstream, client: 10.9.44.120, server: shop.example.com, request: "GET /api/stock HTTP/2.0", upstream: "http://127.0.0.1:3000/api/stock", host: "shop.example.com"',
            )
        ]
    )
    access = LogFile("logs/nginx-access.log", NginxAccess(rng))
    access.add(
        traffic(
            rng,
            http_access(["/product/{id}", "/category/shoes", "/cart", "/static/app.{id}.js"], 60),
            START,
            MINUTES,
            3800,
        )
    )
    access.add(
        loud(
            rng,
            START,
            DEPLOY,
            MINUTES - DEPLOY - 0.5,
            1200,
            fixed(
                "INFO",
                lambda r: (
                    f'"GET /product/{r.randrange(10**5)} HTTP/2.0" 502 157 "-" "Mozilla/5.0 (X11; Linux x86_64)" 0.000'
                ),
            ),
        )
    )

    diff = "\n".join(
        [
            "$ git -C deploy-config show --stat --patch 7c41e0a -- hosts/web/storefront.service.j2",
            "commit 7c41e0a9b3d2f1e6a8c47d5e0f92b1a3c6d84e21",
            "Author: build-bot <build-bot@shop.example.com>",
            "Date:   Thu Nov 20 10:09:51 2025 +0000",
            "",
            "    web role: move units to shared service template (PLAT-912)",
            "",
            " hosts/web/storefront.service.j2 | 4 ++--",
            "",
            "@@ -6,10 +6,10 @@ After=network-online.target",
            " [Service]",
            " User=storefront",
            " WorkingDirectory=/srv/storefront",
            "-Environment=NODE_ENV=production",
            "-Environment=PORT=3000",
            "+EnvironmentFile=-/etc/default/storefront",
            "+Environment=PORT={{ app_port }}",
            " ExecStart=/usr/bin/npm start",
            " Restart=always",
            " RestartSec=5",
            "",
            "web-05$ cat /etc/default/storefront",
            "cat: /etc/default/storefront: No such file or directory",
            "web-05$ cat /proc/sys/fs/inotify/max_user_watches",
            "8192",
            "web-05$ df -h /var /srv",
            "Filesystem      Size  Used Avail Use% Mounted on",
            "/dev/sda3        20G   18G  1.8G  91% /var",
            "/dev/sdb1       100G   31G   70G  31% /srv",
            "",
        ]
    )
    notes = "\n".join(
        [
            "#inc-shop 11:30 UTC: shop.example.com returns 502 for everything since ~10:15.",
            "- deploy of storefront 4.2.0 at 10:14 (pipeline green).",
            "- someone saw ENOSPC in the journal -> disk full? /var is at 91% (alerting threshold 90% since Monday).",
            "- rollback not tried yet.",
            "",
        ]
    )
    return Bundle(
        question="shop.example.com answers 502 for every page since about 10:15 UTC. What is the root cause?",
        category="configuration",
        component="storefront",
        statement="The 10:14 UTC deploy rendered storefront's systemd unit from a new template that dropped Environment=NODE_ENV=production (its EnvironmentFile does not exist), so storefront starts in development mode, its file watcher exhausts the 8192 inotify watches (ENOSPC) and it exits; systemd restarts it in a loop and nginx's connections to 127.0.0.1:3000 are refused (502).",
        files={
            "notes.md": notes,
            "deploy-and-host.txt": diff,
            "logs/web-05-journal.txt": journal.render(),
            "logs/nginx-error.log": error.render(),
            "logs/nginx-access.log": access.render(),
        },
        proofs=[
            Proof("deploy-and-host.txt", "-Environment=NODE_ENV=production"),
            Proof("deploy-and-host.txt", "cat: /etc/default/storefront: No such file or directory"),
        ],
        decoys=["91% /var", "reconnecting (attempt 1)", "upstream prematurely closed connection"],
    )
