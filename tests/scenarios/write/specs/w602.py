# ruff: noqa: E501
# Journal, access-log and pasted command lines are data, kept whole on one line.
"""Clock: a configuration push on Saturday left a directive chronyd 4.2 does not know in
/etc/chrony/chrony.conf on auth-02; chronyd failed to restart there and nobody noticed. Without
time sync, auth-02's clock runs ahead by roughly 19 s a day; by Tuesday morning it is more than
the 30 s leeway that orders-api and profile-api allow, so every token auth-02 issues is
rejected as "used before issued" and half of the logins (the ones balanced to auth-02) bounce
straight back to the sign-in page. Decoys: auth-01's JWKS cache refresh warning, orders-api's
Postgres pool wait, and the gateway's ordinary 401s for expired refresh tokens."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from records import Journal, NginxAccess, Record, Syslog3164, Zap
from scenes import at, loud
from traffic import Line, host_traffic, traffic

START = datetime(2025, 5, 13, 8, 0, tzinfo=UTC)
NOW = datetime(2025, 5, 13, 10, 30, tzinfo=UTC)
OVER = 52.0  # 08:52, skew passes 30 s
SKEW = 31


def auth_line(host: str):
    def line(rng: random.Random) -> Line:
        roll = rng.random()
        if roll < 0.6:
            return (
                "INFO",
                f"issued access token sub=u{rng.randrange(10**6):06d} client=web-spa kid={host}-2025q2 ttl=900s",
                (),
            )
        if roll < 0.85:
            return (
                "INFO",
                f"refresh token rotated sub=u{rng.randrange(10**6):06d} family={rng.getrandbits(40):010x}",
                (),
            )
        return (
            "INFO",
            f"password login ok sub=u{rng.randrange(10**6):06d} mfa={rng.choice(['totp', 'webauthn', 'none'])}",
            (),
        )

    return line


def api_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.7:
        return (
            "INFO",
            f"request handled method=GET path=/v1/orders?page={rng.randrange(1, 5)} status=200 duration_ms={rng.randrange(4, 90)} kid={rng.choice(['auth-01-2025q2', 'auth-02-2025q2'])}",
            (),
        )
    return (
        "INFO",
        f"request handled method=POST path=/v1/orders status=201 duration_ms={rng.randrange(20, 200)}",
        (),
    )


def gw_ok(rng: random.Random) -> Line:
    path = rng.choice(
        ["/api/v1/orders", "/api/v1/profile", "/auth/token", "/auth/refresh", "/api/v1/cart"]
    )
    status = 401 if path == "/auth/refresh" and rng.random() < 0.08 else 200
    return (
        "INFO",
        f'"GET {path} HTTP/1.1" {status} {rng.randrange(90, 4000)} "https://shop.lumacart.example/" "Mozilla/5.0" {rng.randrange(3, 120) / 1000:.3f}',
        (),
    )


def gw_401(rng: random.Random) -> Line:
    return (
        "WARN",
        f'"GET /api/v1/{rng.choice(["orders", "profile", "cart"])} HTTP/1.1" 401 61 "https://shop.lumacart.example/" "Mozilla/5.0" 0.00{rng.randrange(2, 9)}',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(60283)
    total = (NOW - START).total_seconds() / 60
    a1 = LogFile("logs/auth-01.log", Journal("auth-01", "authd", 912))
    a1.add(traffic(rng, auth_line("auth-01"), START, total, 1800))
    a1.add(
        [
            at(
                START,
                41.0,
                "WARN",
                "jwks cache refresh from https://auth-01.internal:8443/.well-known/jwks.json took 2310ms (peer auth-02 slow to answer), serving cached keys",
            )
        ]
    )
    a2 = LogFile("logs/auth-02.log", Journal("auth-02", "authd", 933))
    a2.add(
        traffic(rng, auth_line("auth-02"), START + timedelta(seconds=SKEW), total, 1800)
    )  # its own clock
    j2 = LogFile("auth-02-syslog.txt", Syslog3164("auth-02", "systemd", 1))
    j2.add(host_traffic(rng, START + timedelta(seconds=SKEW), total, 900))
    api = LogFile(
        "logs/orders-api.log",
        Zap(("handler/orders.go:88", "middleware/auth.go:141", "store/pg.go:52"), rng=rng),
    )
    api.add(traffic(rng, api_line, START, total, 3600))
    api.add(
        [
            at(
                START,
                17.5,
                "WARN",
                "pgxpool: acquire waited 840ms (max conns 30 in use 30)",
                logger="store/pg.go:52",
            ),
            at(
                START,
                OVER + 0.05,
                "WARN",
                "token rejected: token has invalid claims: token used before issued iat=1747126354 now=1747126323 leeway=30s kid=auth-02-2025q2 path=/v1/orders",
                logger="middleware/auth.go:141",
            ),
        ]
    )
    for offset in sorted(rng.uniform(OVER + 0.3, total - 0.1) for _ in range(560)):
        when = START + timedelta(minutes=offset)
        now = int(when.timestamp())
        api.add(
            [
                Record(
                    when,
                    "WARN",
                    f"token rejected: token has invalid claims: token used before issued iat={now + SKEW + rng.randrange(0, 3)} now={now} leeway=30s kid=auth-02-2025q2 path=/v1/{rng.choice(['orders', 'orders/recent', 'cart'])}",
                    (),
                    "middleware/auth.go:141",
                )
            ]
        )
    gw = LogFile("logs/gateway-access.log", NginxAccess(rng=rng))
    gw.add(traffic(rng, gw_ok, START, total, 4200))
    gw.add(loud(rng, START, OVER + 0.1, total - OVER - 0.2, 700, gw_401))
    paste = (
        "\n".join(
            [
                "$ for h in auth-01 auth-02 orders-api-1; do ssh $h 'echo $(hostname) $(date -u +%s.%N)'; done",
                "auth-01 1747131424.418273310",
                "auth-02 1747131456.102944871",
                "orders-api-1 1747131425.733190442",
                "",
                "$ ssh auth-02 'timedatectl; systemctl status chrony --no-pager -n 5'",
                "               Local time: Tue 2025-05-13 10:17:36 UTC",
                "           Universal time: Tue 2025-05-13 10:17:36 UTC",
                "                 RTC time: Tue 2025-05-13 10:17:04",
                "                Time zone: Etc/UTC (UTC, +0000)",
                "System clock synchronized: no",
                "              NTP service: inactive",
                "          RTC in local TZ: no",
                "\u00d7 chrony.service - chrony, an NTP client/server",
                "     Loaded: loaded (/usr/lib/systemd/system/chrony.service; enabled; preset: enabled)",
                "     Active: failed (Result: exit-code) since Sat 2025-05-10 22:14:05 UTC; 2 days ago",
                "    Process: 48211 ExecStart=/usr/lib/systemd/scripts/chronyd-starter.sh $DAEMON_OPTS (code=exited, status=1/FAILURE)",
                "May 10 22:14:05 auth-02 systemd[1]: Starting chrony.service - chrony, an NTP client/server...",
                "May 10 22:14:05 auth-02 chronyd[48213]: Fatal error : Invalid directive at line 14 in file /etc/chrony/chrony.conf",
                "May 10 22:14:05 auth-02 systemd[1]: chrony.service: Control process exited, code=exited, status=1/FAILURE",
                "May 10 22:14:05 auth-02 systemd[1]: chrony.service: Failed with result 'exit-code'.",
                "May 10 22:14:05 auth-02 systemd[1]: Failed to start chrony.service - chrony, an NTP client/server.",
                "",
                "$ ssh auth-02 'sed -n 12,15p /etc/chrony/chrony.conf'",
                "pool ntp.lumacart.internal iburst maxsources 4",
                "leapsectz right/UTC",
                "ntsdumpdir /var/lib/chrony ntsrefresh 2419200",
                "makestep 1 3",
                "",
                "$ ssh auth-01 'chronyc tracking | sed -n 3,5p'",
                "Stratum         : 3",
                "Ref time (UTC)  : Tue May 13 10:16:51 2025",
                "System time     : 0.000021877 seconds slow of NTP time",
                "",
            ]
        )
        + "\n"
    )
    return Bundle(
        question="Since a little before 09:00 UTC about half of our customers get sent back to the login page right after signing in; the gateway shows 401s on /api/v1/orders. What is the root cause?",
        category="clock",
        component="auth-02",
        statement="chronyd on auth-02 has been down since Saturday 22:14 (an invalid directive in chrony.conf after a config push), so its clock drifted about 31 s ahead; since about 08:52 UTC the tokens it issues carry an iat beyond orders-api's 30 s leeway and are rejected as 'used before issued', logging out every user whose login went to auth-02.",
        files={
            "logs/auth-01.log": a1.render(),
            "logs/auth-02.log": a2.render(),
            "auth-02-syslog.txt": j2.render(),
            "logs/orders-api.log": api.render(),
            "logs/gateway-access.log": gw.render(),
            "auth-hosts-cli.txt": paste,
        },
        proofs=[
            Proof("auth-hosts-cli.txt", "auth-02 1747131456.102944871"),
            Proof("auth-hosts-cli.txt", "System clock synchronized: no"),
            Proof("auth-hosts-cli.txt", "Fatal error : Invalid directive at line 14"),
            Proof("logs/orders-api.log", "iat=1747126354 now=1747126323"),
        ],
        decoys=[
            "jwks cache refresh",
            "pgxpool: acquire waited 840ms",
            '/auth/refresh HTTP/1.1" 401',
        ],
    )
