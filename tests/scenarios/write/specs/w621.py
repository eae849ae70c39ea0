# ruff: noqa: E501
# Journal lines, app log lines and pasted command output are data, kept whole on one line.
"""Linux host, a power-saving tuned profile on a rebuilt host: search-api-04 was reimaged on
the 12th from a generic base image whose kickstart sets `tuned-adm profile powersave`; the other
search hosts run `throughput-performance`. Its cores sit at 800 MHz-1.2 GHz under load, so the
same queries take about three times as long there; from the 09:00 (+01:00) ramp its request
latency climbs and the balancer's p99 breaches the SLO, with only a quarter of requests
affected. Decoys: a correctable ECC notice on another host, a search-api GC pause line, and an
index refresh warning."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from metrics import csv_text, shift, steady
from records import Record, Zap
from scenes import at, fixed, loud
from traffic import traffic, web_api

CET = timezone(timedelta(hours=1))
START = datetime(2026, 11, 13, 7, 0, tzinfo=UTC)  # 08:00 CET
MINUTES = 180.0
RAMP = 60.0  # 08:00 UTC / 09:00 CET


@dataclass
class JournalIso:
    """`journalctl -o short-iso` with each record's own program (its logger)."""

    host: str

    def render(self, record: Record) -> list[str]:
        stamp = record.time.astimezone(CET).strftime("%Y-%m-%dT%H:%M:%S%z")
        return [f"{stamp} {self.host} {record.logger or 'systemd[1]'}: {record.message}"]


def bundle() -> Bundle:
    rng = random.Random(62109)
    callers = (
        "search/handler.go:141",
        "search/query.go:88",
        "index/refresh.go:52",
        "server/http.go:211",
    )
    app4 = LogFile("search-api-04/search-api.log", Zap(callers, rng))
    app4.add(
        traffic(rng, web_api("search-api", ["query", "suggest", "facets"]), START, MINUTES, 3000)
    )
    app4.add(
        loud(
            rng,
            START,
            RAMP + 2,
            MINUTES - RAMP - 3,
            520,
            fixed(
                "WARN",
                lambda r: (
                    f"slow query q={r.choice(['boots', 'jacket', 'lamp', 'sofa', 'desk', 'tent'])} shards=12 took {r.randrange(900, 2600)}ms (threshold 400ms) cpu_ms={r.randrange(850, 2500)}"
                ),
            ),
        )
    )
    app4.add(
        [at(START, 40.0, "INFO", "gc: pause 212ms heap=5.1GiB->2.8GiB", logger="runtime/gc.go:1")]
    )
    app2 = LogFile("search-api-02/search-api.log", Zap(callers, rng))
    app2.add(
        traffic(rng, web_api("search-api", ["query", "suggest", "facets"]), START, MINUTES, 3000)
    )
    app2.add(
        [
            at(
                START,
                100.0,
                "WARN",
                "index refresh took 4.2s for segment batch 88121 (threshold 3s)",
                logger="index/refresh.go:52",
            )
        ]
    )
    journal = LogFile("search-api-04/journal.txt", JournalIso("search-api-04"))
    journal.add(
        traffic(
            rng,
            lambda r: r.choice(
                [
                    (
                        "INFO",
                        f"Started session-{r.randrange(10**4)}.scope - Session of User deploy.",
                        (),
                    ),
                    ("INFO", "Finished logrotate.service - Rotate log files.", ()),
                    (
                        "INFO",
                        f"dnf-makecache.service: Consumed {r.randrange(2, 9)}.{r.randrange(100, 999)}s CPU time.",
                        (),
                    ),
                ]
            ),
            START,
            MINUTES,
            260,
        )
    )
    journal.add(
        [
            at(
                START,
                -1440.0 * 1 + 3.0,
                "INFO",
                "tuned: Profile 'powersave' applied (from kickstart %post: tuned-adm profile powersave)",
                logger="tuned[812]",
            ),
            at(
                START,
                -1440.0 * 1 + 3.1,
                "INFO",
                "intel_pstate: CPU model not supported for HWP, using governor 'powersave' with energy_performance_preference=power",
                logger="kernel",
            ),
        ]
    )
    other = LogFile("search-api-01/journal.txt", JournalIso("search-api-01"))
    other.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"Started session-{r.randrange(10**4)}.scope - Session of User deploy.",
                (),
            ),
            START,
            MINUTES,
            120,
        )
    )
    other.add(
        [
            at(
                START,
                75.0,
                "WARN",
                "EDAC MC0: 1 CE memory read error on CPU_SrcID#0_Ha#0_Chan#1_DIMM#0 (channel:1 slot:0 page:0x4a1f2 offset:0x0 grain:32 syndrome:0x0)",
                logger="kernel",
            )
        ]
    )
    series = {}
    for host in ("search-api-01", "search-api-02", "search-api-03", "search-api-04"):
        slow = host == "search-api-04"
        series[f"{host}_p99_ms"] = shift(
            rng, 380 if slow else 140, 2100 if slow else 210, 12, 0.1, 4
        )
        series[f"{host}_cpu_mhz_avg"] = steady(rng, 1150 if slow else 3350, 0.05)
        series[f"{host}_cpu_util_pct"] = shift(
            rng, 38 if slow else 18, 97 if slow else 44, 12, 0.05, 4
        )
    metrics = csv_text(START, 300, 36, series)
    shell = "\n".join(
        [
            "[ops@search-api-04 ~]$ tuned-adm active",
            "Current active profile: powersave",
            "[ops@search-api-04 ~]$ cpupower frequency-info | egrep 'governor|current CPU frequency'",
            '                  The governor "powersave" may decide which speed to use',
            "  current CPU frequency: 1.05 GHz (asserted by call to kernel)",
            "[ops@search-api-04 ~]$ grep MHz /proc/cpuinfo | sort | uniq -c | sort -rn | head -3",
            "     31 cpu MHz\t\t: 800.000",
            "     11 cpu MHz\t\t: 1200.117",
            "      6 cpu MHz\t\t: 1187.440",
            "",
            "[ops@search-api-02 ~]$ tuned-adm active",
            "Current active profile: throughput-performance",
            "[ops@search-api-02 ~]$ cpupower frequency-info | egrep 'governor|current CPU frequency'",
            '                  The governor "performance" may decide which speed to use',
            "  current CPU frequency: 3.41 GHz (asserted by call to kernel)",
            "",
        ]
    )
    return Bundle(
        question="Search p99 latency has been breaching the SLO since about 09:00 CET this morning, for roughly a quarter of requests. What is the root cause?",
        category="cpu",
        component="search-api-04",
        statement="search-api-04 was reimaged with a kickstart that applies the tuned profile powersave, so its CPUs run at 0.8-1.2 GHz instead of ~3.4 GHz; under the morning load its queries take three times as long and it saturates its CPUs, driving the p99 up for the requests it serves.",
        files={
            "search-metrics.csv": metrics,
            "search-hosts-shell.txt": shell,
            "search-api-04/journal.txt": journal.render(),
            "search-api-04/search-api.log": app4.render(),
            "search-api-02/search-api.log": app2.render(),
            "search-api-01/journal.txt": other.render(),
        },
        proofs=[
            Proof("search-hosts-shell.txt", "Current active profile: powersave"),
            Proof("search-hosts-shell.txt", "current CPU frequency: 1.05 GHz"),
            Proof("search-api-04/journal.txt", "Profile 'powersave' applied"),
        ],
        decoys=["EDAC MC0: 1 CE memory read error", "gc: pause 212ms", "index refresh took 4.2s"],
    )
