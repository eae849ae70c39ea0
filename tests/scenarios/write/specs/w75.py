# ruff: noqa: E501
# Hand-written log lines and pasted shell output are data, kept whole on one line.
"""Debian's PHP leaves session cleanup to the phpsessionclean timer, which a hardening run
masked weeks ago; about 6.5 million session files exhaust the inodes of web-02's root
filesystem, so session_start() and every other file creation fail with ENOSPC while df -h
shows the disk only 38% full."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from records import NginxAccess, NginxError, Record, Syslog3164
from scenes import at, fixed, loud
from traffic import Line, host_traffic, traffic

START = datetime(2025, 10, 14, 6, 0, tzinfo=UTC)
HOST = "web-02"
FULL_MINUTE = 52.6
AGENTS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64)",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X)",
    "Googlebot/2.1 (+http://www.google.com/bot.html)",
]


@dataclass
class PhpFpm:
    """php-fpm's own log: `[14-Oct-2025 06:00:00] WARNING: [pool www] message`."""

    def render(self, record: Record) -> list[str]:
        level = {"WARN": "WARNING", "INFO": "NOTICE"}.get(record.level, record.level)
        return [f"[{record.time.strftime('%d-%b-%Y %H:%M:%S')}] {level}: {record.message}"]


def notes() -> str:
    return """# web-02 checkout errors, 2025-10-14

08:05 paged: shop checkout 500s, "No space left on device" in the PHP errors. Disk looks fine though?

```
deploy@web-02:~$ df -h
Filesystem      Size  Used Avail Use% Mounted on
udev            3.9G     0  3.9G   0% /dev
tmpfs           794M  1.1M  793M   1% /run
/dev/nvme0n1p1   99G   37G   58G  38% /
tmpfs           3.9G     0  3.9G   0% /dev/shm
tmpfs           5.0M     0  5.0M   0% /run/lock
/dev/nvme1n1    197G  121G   67G  65% /var/lib/mysql
/dev/nvme0n1p15 124M   12M  113M  10% /boot/efi
tmpfs           794M     0  794M   0% /run/user/1001
```

```
deploy@web-02:~$ df -i
Filesystem       Inodes   IUsed   IFree IUse% Mounted on
udev             999418     376  999042    1% /dev
tmpfs           1015880     682 1015198    1% /run
/dev/nvme0n1p1  6553600 6553600       0  100% /
tmpfs           1015880       1 1015879    1% /dev/shm
tmpfs           1015880       3 1015877    1% /run/lock
/dev/nvme1n1   13107200     214 13106986    1% /var/lib/mysql
/dev/nvme0n1p15       0       0       0     - /boot/efi
tmpfs            203176      25  203151    1% /run/user/1001
```

Tried `sudo apt-get clean` and rotating logs, freed 1.2G, no change. mysql looked suspicious (error 28 in its log) but its volume is /dev/nvme1n1 at 65%.

```
deploy@web-02:~$ sudo du -sh /var/lib/php/sessions
26G	/var/lib/php/sessions
deploy@web-02:~$ systemctl status phpsessionclean.timer
○ phpsessionclean.timer
     Loaded: masked (Reason: Unit phpsessionclean.timer is masked.)
     Active: inactive (dead)
deploy@web-02:~$ php -i | grep -E 'session.(gc_probability|gc_maxlifetime|save_path)'
session.gc_maxlifetime => 1440 => 1440
session.gc_probability => 0 => 0
session.save_path => /var/lib/php/sessions => /var/lib/php/sessions
```

Counting the files in there takes forever, will leave it running.
"""


def access_message(rng: random.Random) -> Line:
    path = rng.choice(
        [
            "/",
            "/category/shoes",
            f"/product/{rng.randrange(10**4)}",
            "/cart",
            "/checkout",
            "/wp-json/wc/store/v1/cart",
        ]
    )
    return (
        "INFO",
        f'"GET {path} HTTP/1.1" 200 {rng.randrange(900, 40000)} "-" "{rng.choice(AGENTS)}"',
        (),
    )


def php_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.6:
        return "NOTICE", f"[pool www] child {rng.randrange(20000, 40000)} started", ()
    if roll < 0.9:
        return (
            "NOTICE",
            f"[pool www] child {rng.randrange(20000, 40000)} exited with code 0 after {rng.randrange(100, 3000)}.{rng.randrange(10**6):06d} seconds from start",
            (),
        )
    return (
        "WARN",
        f'[pool www] child {rng.randrange(20000, 40000)} said into stderr: "NOTICE: PHP message: PHP Deprecated:  Creation of dynamic property WC_Product_Simple::$meta_cache is deprecated in /var/www/shop/wp-content/plugins/woocommerce/includes/abstracts/abstract-wc-product.php on line 84"',
        (),
    )


def session_error(rng: random.Random) -> Line:
    session = f"{rng.getrandbits(128):032x}"[:26]
    return (
        "ERROR",
        f'FastCGI sent in stderr: "PHP message: PHP Warning:  session_start(): open(/var/lib/php/sessions/sess_{session}, O_RDWR) failed: No space left on device (28) in /var/www/shop/wp-content/plugins/shop-session/session.php on line 41PHP message: PHP Warning:  session_start(): Failed to read session data: files (path: /var/lib/php/sessions) in /var/www/shop/wp-content/plugins/shop-session/session.php on line 41" while reading response header from upstream, client: 10.0.{rng.randrange(4)}.{rng.randrange(2, 250)}, server: shop.example.net, request: "POST /checkout HTTP/1.1", upstream: "fastcgi://unix:/run/php/php8.2-fpm.sock:", host: "shop.example.net"',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(175)
    nginx = LogFile("nginx/error.log", NginxError(rng))
    nginx.add(
        loud(
            rng,
            START,
            1,
            50,
            40,
            fixed(
                "WARN",
                lambda r: (
                    f'an upstream response is buffered to a temporary file /var/cache/nginx/fastcgi_temp/{r.randrange(1, 9)}/{r.randrange(10, 99)}/00000{r.randrange(10000, 99999)} while reading upstream, client: 10.0.1.{r.randrange(2, 250)}, server: shop.example.net, request: "GET /category/shoes HTTP/1.1"'
                ),
            ),
        )
    )
    nginx.add(loud(rng, START, FULL_MINUTE + 0.05, 62, 610, session_error))
    nginx.add(
        loud(
            rng,
            START,
            FULL_MINUTE + 3,
            58,
            96,
            fixed(
                "ERROR",
                lambda r: (
                    f'upstream timed out (110: Connection timed out) while reading response header from upstream, client: 10.0.2.{r.randrange(2, 250)}, server: shop.example.net, request: "POST /checkout HTTP/1.1", upstream: "fastcgi://unix:/run/php/php8.2-fpm.sock:", host: "shop.example.net"'
                ),
            ),
        )
    )
    nginx.add(
        [
            at(
                START,
                FULL_MINUTE + 0.3,
                "ERROR",
                'open() "/var/cache/nginx/fastcgi_temp/3/41/0000041873" failed (28: No space left on device) while reading upstream, client: 10.0.3.17, server: shop.example.net, request: "GET /category/boots HTTP/1.1"',
            )
        ]
    )
    access = LogFile("nginx/access.log", NginxAccess(rng))
    access.add(traffic(rng, access_message, START, 120, 4200))
    access.add(
        loud(
            rng,
            START,
            FULL_MINUTE + 0.05,
            62,
            640,
            fixed(
                "ERROR",
                lambda r: (
                    f'"POST /checkout HTTP/1.1" 500 {r.randrange(180, 260)} "https://shop.example.net/cart" "{r.choice(AGENTS)}"'
                ),
            ),
        )
    )
    fpm = LogFile("php8.2-fpm.log", PhpFpm())
    fpm.add(traffic(rng, php_line, START, 120, 900))
    fpm.add(
        loud(
            rng,
            START,
            FULL_MINUTE + 4,
            50,
            44,
            fixed(
                "WARN",
                lambda r: (
                    "[pool www] server reached pm.max_children setting (40), consider raising it"
                ),
            ),
        )
    )
    fpm.add(
        loud(
            rng,
            START,
            FULL_MINUTE + 5,
            50,
            70,
            fixed(
                "WARN",
                lambda r: (
                    f"[pool www] child {r.randrange(20000, 40000)}, script '/var/www/shop/index.php' (request: \"POST /index.php\") executing too slow ({r.randrange(5, 30)}.{r.randrange(10**6):06d} sec), logging"
                ),
            ),
        )
    )
    syslog = LogFile("syslog", Syslog3164(HOST, "", 0))
    syslog.add(host_traffic(rng, START, 120, 1700))
    syslog.add(
        [
            Record(
                START + timedelta(minutes=FULL_MINUTE + 1.2),
                "ERROR",
                "logrotate.service: Main process exited, code=exited, status=1/FAILURE",
                (),
                "systemd[1]",
            ),
            Record(
                START + timedelta(minutes=FULL_MINUTE + 1.19),
                "ERROR",
                "error: error creating output file /var/log/nginx/access.log.1: No space left on device",
                (),
                "logrotate[41177]",
            ),
            Record(
                START + timedelta(minutes=FULL_MINUTE + 7.4),
                "ERROR",
                "2025-10-14T07:00:00.118302Z 0 [ERROR] [MY-012592] [InnoDB] Operating system error number 28 in a file operation.",
                (),
                "mysqld[1022]",
            ),
            Record(
                START + timedelta(minutes=FULL_MINUTE + 7.41),
                "ERROR",
                "2025-10-14T07:00:00.118390Z 0 [ERROR] [MY-012596] [InnoDB] Error number 28 means 'No space left on device'",
                (),
                "mysqld[1022]",
            ),
            Record(
                START + timedelta(minutes=FULL_MINUTE + 9),
                "WARN",
                "fatal: could not create queue file: No space left on device",
                (),
                "postfix/pickup[3012]",
            ),
            Record(
                START + timedelta(minutes=FULL_MINUTE + 30),
                "WARN",
                "Failed to open /run/systemd/transient/session-88213.scope: No space left on device",
                (),
                "systemd-logind[611]",
            ),
        ]
    )
    return Bundle(
        question="web-02: 'No space left on device' all over the checkout, but df -h says / is only 38% used. What is filling up?",
        category="disk",
        component="web-02",
        statement="The root filesystem of web-02 has run out of inodes (6553600 of 6553600 used) because PHP session files in /var/lib/php/sessions are never cleaned up (session GC is off and the phpsessionclean timer is masked), so creating any file fails with No space left on device while blocks are still free.",
        files={
            "notes.md": notes(),
            "nginx/access.log": access.render(),
            "nginx/error.log": nginx.render(),
            "php8.2-fpm.log": fpm.render(),
            "syslog": syslog.render(),
        },
        proofs=[
            Proof("notes.md", "/dev/nvme0n1p1  6553600 6553600       0  100% /"),
            Proof("notes.md", "Loaded: masked (Reason: Unit phpsessionclean.timer is masked.)"),
        ],
        decoys=[
            "server reached pm.max_children setting",
            "Operating system error number 28",
            "upstream timed out (110: Connection timed out)",
        ],
    )
