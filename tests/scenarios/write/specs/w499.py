# ruff: noqa: E501
# Host command output and hand-written log lines are data, kept whole on one line.
"""Hosts: the old NTP server 10.8.0.53 was decommissioned on 2026-04-02. api-gw-01 and api-gw-02
had been rebuilt with the new chrony pool (169.254.169.123); api-gw-03 still pointed only at
10.8.0.53, so its chronyd logged `Can't synchronise: no selectable sources` and stopped
disciplining the clock. Eleven days later api-gw-03 is ~94 s slow. The gateways validate JWTs
with 30 s leeway: on api-gw-03 freshly issued tokens are `not valid yet` (iat/nbf in its future),
so about a third of requests right after login get 401 and the mobile app logs users out. Its
own log timestamps lag too. Decoys: auth-service's login rate limiting of one user, an upstream
reset on api-gw-01, and the load balancer's certificate expiry notice."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from records import Logfmt, Record, Syslog3164
from scenes import at, fixed, loud
from traffic import Line, host_traffic, traffic

START = datetime(2026, 4, 13, 7, 0, tzinfo=UTC)
MINUTES = 150
SKEW = timedelta(seconds=-94.2)
PATHS = [
    "/v1/me",
    "/v1/orders",
    "/v1/orders/recent",
    "/v1/catalog/home",
    "/v1/wallet",
    "/v1/notifications",
]


@dataclass
class Skewed:
    """A format whose timestamps come from a host clock that is off by `skew`."""

    inner: Logfmt
    skew: timedelta

    def render(self, record: Record) -> list[str]:
        return self.inner.render(
            Record(
                record.time + self.skew, record.level, record.message, record.trailer, record.logger
            )
        )


def gw_ok(rng: random.Random) -> Line:
    return (
        "INFO",
        f"{rng.choice(['GET', 'GET', 'POST'])} {rng.choice(PATHS)} status={rng.choice([200, 200, 200, 204, 304])} upstream={rng.choice(['orders-svc', 'catalog-svc', 'wallet-svc', 'profile-svc'])} dur_ms={rng.randrange(4, 180)} sub=u{rng.randrange(10**6, 10**7)}",
        (),
    )


def gw_nbf(rng: random.Random) -> Line:
    return (
        "WARN",
        f'{rng.choice(["GET", "POST"])} {rng.choice(PATHS)} status=401 reason=invalid_token err="token is not valid yet" iat_in_future_s={rng.randrange(31, 94)} leeway_s=30 sub=u{rng.randrange(10**6, 10**7)}',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(49907)
    files: dict[str, str] = {}
    for host, count in (("api-gw-01", 2600), ("api-gw-02", 2550), ("api-gw-03", 2500)):
        fmt = Logfmt("api-gateway", rng=rng)
        log = LogFile(f"logs/{host}.log", Skewed(fmt, SKEW) if host == "api-gw-03" else fmt)
        log.add(traffic(rng, gw_ok, START, MINUTES, count))
        if host == "api-gw-03":
            log.add(loud(rng, START, 0.5, MINUTES - 1, 610, gw_nbf))
        if host == "api-gw-01":
            log.add(
                [
                    at(
                        START,
                        48.2,
                        "ERROR",
                        'GET /v1/wallet status=502 upstream=wallet-svc err="read tcp 10.30.1.14:51844->10.30.7.22:8080: read: connection reset by peer"',
                    )
                ]
            )
        files[f"logs/{host}.log"] = log.render()
    auth = LogFile("logs/auth-service.log", Logfmt("auth-service", rng=rng))
    auth.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f"token issued sub=u{r.randrange(10**6, 10**7)} client=mobile-{r.choice(['ios', 'android'])} ttl=900s grant={r.choice(['password', 'refresh_token', 'refresh_token'])}"
                ),
            ),
            START,
            MINUTES,
            1900,
        )
    )
    auth.add(
        loud(
            rng,
            START,
            62,
            6,
            18,
            fixed("WARN", lambda r: "login throttled sub=u4471902 attempts=12 window=300s"),
        )
    )
    mobile = LogFile("logs/mobile-telemetry.log", Logfmt("mobile-bff", rng=rng))
    mobile.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f"session ok client=mobile-{r.choice(['ios', 'android'])} app_version=7.{r.randrange(10, 14)}.{r.randrange(0, 5)}"
                ),
            ),
            START,
            MINUTES,
            800,
        )
    )
    mobile.add(
        loud(
            rng,
            START,
            1,
            MINUTES - 2,
            230,
            fixed(
                "ERROR",
                lambda r: (
                    f"forced logout after 401 within {r.randrange(1, 20)}s of login client=mobile-{r.choice(['ios', 'android'])}"
                ),
            ),
        )
    )
    syslog = LogFile("syslog-api-gw-03.txt", Syslog3164("api-gw-03", "", 0))
    syslog.add(
        [
            Record(r.time + SKEW, r.level, r.message, r.trailer, r.logger)
            for r in host_traffic(rng, START, MINUTES, 1300)
        ]
    )
    files["logs/auth-service.log"] = auth.render()
    files["logs/mobile-bff.log"] = mobile.render()
    files["syslog-api-gw-03.txt"] = syslog.render()
    files["lb-notices.txt"] = (
        "2026-04-13T07:30:00Z elb/api-public: ACM certificate api.tessera.example expires in 27 days (2026-05-10); renewal pending DNS validation\n"
    )
    files["host-checks.txt"] = "\n".join(
        [
            "$ for h in api-gw-01 api-gw-02 api-gw-03; do printf '%s ' $h; ssh $h date -u +%H:%M:%S.%N; done",
            "api-gw-01 09:27:41.118204553",
            "api-gw-02 09:27:41.402977130",
            "api-gw-03 09:26:07.691534018",
            "",
            "$ ssh api-gw-03 chronyc tracking",
            "Reference ID    : 00000000 ()",
            "Stratum         : 0",
            "Ref time (UTC)  : Thu Apr 02 06:48:13 2026",
            "System time     : 0.000000000 seconds fast of NTP time",
            "Last offset     : +0.000021764 seconds",
            "RMS offset      : 0.000058302 seconds",
            "Frequency       : 95.412 ppm slow",
            "Residual freq   : +0.000 ppm",
            "Skew            : 0.000 ppm",
            "Root delay      : 1.000000000 seconds",
            "Root dispersion : 1.000000000 seconds",
            "Update interval : 0.0 seconds",
            "Leap status     : Not synchronised",
            "",
            "$ ssh api-gw-03 chronyc -n sources",
            "MS Name/IP address         Stratum Poll Reach LastRx Last sample",
            "===============================================================================",
            "^? 10.8.0.53                     0  10     0     -     +0ns[   +0ns] +/-    0ns",
            "",
            "$ ssh api-gw-01 chronyc -n sources",
            "MS Name/IP address         Stratum Poll Reach LastRx Last sample",
            "===============================================================================",
            "^* 169.254.169.123               3   4   377    11    -18us[  -22us] +/-  511us",
            "",
            "$ ssh api-gw-03 journalctl -u chronyd --since 2026-04-01 --no-pager",
            "Apr 01 02:10:44 api-gw-03 chronyd[741]: Selected source 10.8.0.53",
            "Apr 02 06:58:31 api-gw-03 chronyd[741]: Can't synchronise: no selectable sources",
            "",
        ]
    )
    return Bundle(
        question="Since this morning mobile users get logged out right after signing in (401s), but only some of the time. auth-service looks fine. What is the root cause?",
        category="clock",
        component="api-gw-03",
        statement="api-gw-03's chronyd has had no reachable NTP source since 2026-04-02 (it still points only at the decommissioned 10.8.0.53), so its clock has drifted ~94 s slow; with 30 s JWT leeway it rejects freshly issued tokens as not valid yet, giving 401s and forced logouts for the share of traffic it serves.",
        files=files,
        proofs=[
            Proof("host-checks.txt", "Can't synchronise: no selectable sources"),
            Proof("host-checks.txt", "api-gw-03 09:26:07.691534018"),
        ],
        decoys=[
            "login throttled sub=u4471902",
            "read: connection reset by peer",
            "expires in 27 days",
        ],
    )
