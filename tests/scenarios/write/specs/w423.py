# ruff: noqa: E501
# Hand-written HAProxy and probe lines, pasted shell output and CSV rows are data, kept whole on one line.
"""Host, every NIC interrupt on one CPU: edge-lb-04 was reinstalled on 2 April from the new
minimal image, which no longer ships irqbalance. All 16 receive queues of ens5f0 keep their
interrupts on CPU0, so at the evening peak (about 18:20 UTC) CPU0 sits at 100% softirq while
the other 31 CPUs idle; the kernel drops packets from the backlog (softnet_stat's second
column), clients retransmit, and requests through edge-lb-04 take one to three seconds longer
or time out. Its peer edge-lb-03, same HAProxy version and config, is fine. Quiet: the missing
irqbalance unit, /proc/interrupts and mpstat in a paste, one metric series moving first.
Loud: HAProxy client timeouts and synthetic probe failures. Decoys: api-07 failing its health
check during a deploy, a DDoS suspicion, a TLS ticket key reload."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import csv_text, shift
from records import Logfmt, Record, Syslog5424
from scenes import at, fixed, loud
from traffic import traffic

START = datetime(2026, 4, 3, 17, 0, tzinfo=UTC)
MINUTES = 150.0
PEAK = 80.0
PATHS = ["/v1/feed", "/v1/items/{id}", "/v1/search?q={id}", "/v1/cart", "/static/bundle.js"]


def hap_line(r: random.Random, host_ip: str, slow: bool) -> str:
    client = f"{r.randrange(30, 220)}.{r.randrange(256)}.{r.randrange(256)}.{r.randrange(1, 255)}:{r.randrange(1024, 65535)}"
    server = f"api-{r.randrange(1, 9):02d}"
    path = r.choice(PATHS).replace("{id}", str(r.randrange(10**6)))
    if slow:
        tr = r.randrange(1000, 3200)
        if r.random() < 0.35:
            return f'{client} [{{stamp}}] fe_https~ be_api/<NOSRV> -1/-1/-1/-1/{r.randrange(5000, 5100)} 408 212 - - cR-- {r.randrange(900, 1400)}/{r.randrange(880, 1380)}/{r.randrange(20, 90)}/0/0 0/0 "<BADREQ>"'
        return f'{client} [{{stamp}}] fe_https~ be_api/{server} {tr}/0/1/{r.randrange(8, 60)}/{tr + r.randrange(10, 90)} 200 {r.randrange(300, 9000)} - - ---- {r.randrange(900, 1400)}/{r.randrange(880, 1380)}/{r.randrange(20, 90)}/{r.randrange(1, 9)}/0 0/0 "GET {path} HTTP/1.1"'
    tr = r.randrange(8, 60)
    return f'{client} [{{stamp}}] fe_https~ be_api/{server} 0/0/1/{tr}/{tr + r.randrange(1, 30)} {r.choice([200, 200, 200, 200, 304, 404])} {r.randrange(300, 9000)} - - ---- {r.randrange(300, 900)}/{r.randrange(290, 880)}/{r.randrange(5, 40)}/{r.randrange(1, 9)}/0 0/0 "GET {path} HTTP/1.1"'


def stamped(records: list[Record]) -> list[Record]:
    return [
        Record(
            x.time,
            x.level,
            x.message.replace(
                "{stamp}",
                x.time.strftime("%d/%b/%Y:%H:%M:%S.") + f"{x.time.microsecond // 1000:03d}",
            ),
            x.trailer,
            x.logger,
        )
        for x in records
    ]


def bundle() -> Bundle:
    rng = random.Random(42323)
    lb4 = LogFile("logs/edge-lb-04-haproxy.log", Syslog5424("edge-lb-04", "haproxy", 2214, 23))
    lb4.add(
        stamped(traffic(rng, lambda r: ("INFO", hap_line(r, "4", False), ()), START, MINUTES, 4200))
    )
    lb4.add(
        stamped(
            loud(
                rng,
                START,
                PEAK + 1,
                MINUTES - PEAK - 3,
                900,
                lambda r: ("INFO", hap_line(r, "4", True), ()),
            )
        )
    )
    lb4.add(
        [
            at(
                START,
                34.0,
                "WARN",
                'Server be_api/api-07 is DOWN, reason: Layer7 wrong status, code: 503, info: "Service Unavailable", check duration: 3ms. 7 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.',
            ),
            at(
                START,
                36.5,
                "WARN",
                "Server be_api/api-07 is UP, reason: Layer7 check passed, code: 200, check duration: 2ms. 8 active and 0 backup servers online. 0 sessions requeued, 0 total in queue.",
            ),
            at(
                START,
                61.0,
                "INFO",
                "TLS ticket keys file /etc/haproxy/tls-ticket-keys reloaded (3 keys)",
            ),
        ]
    )
    lb3 = LogFile("logs/edge-lb-03-haproxy.log", Syslog5424("edge-lb-03", "haproxy", 2190, 23))
    lb3.add(
        stamped(traffic(rng, lambda r: ("INFO", hap_line(r, "3", False), ()), START, MINUTES, 3900))
    )
    lb3.add(
        [
            at(
                START,
                34.1,
                "WARN",
                'Server be_api/api-07 is DOWN, reason: Layer7 wrong status, code: 503, info: "Service Unavailable", check duration: 4ms. 7 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.',
            ),
        ]
    )
    probe = LogFile("logs/synthetics.logfmt", Logfmt("synthetics", rng))

    def probe_ok(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
        lb = r.choice(["edge-lb-03", "edge-lb-04"])
        return (
            "INFO",
            f"probe ok target=https://{lb}.edge.example.net/v1/feed region={r.choice(['us-east', 'eu-west', 'ap-south'])} connect_ms={r.randrange(2, 40)} ttfb_ms={r.randrange(30, 120)}",
            (),
        )

    probe.add(traffic(rng, probe_ok, START, MINUTES, 1700))
    probe.add(
        loud(
            rng,
            START,
            PEAK + 1,
            MINUTES - PEAK - 3,
            260,
            fixed(
                "ERROR",
                lambda r: r.choice(
                    [
                        f'probe failed target=https://edge-lb-04.edge.example.net/v1/feed region={r.choice(["us-east", "eu-west", "ap-south"])} err="context deadline exceeded (Client.Timeout exceeded while awaiting headers)" elapsed_ms=5000',
                        f"probe slow target=https://edge-lb-04.edge.example.net/v1/feed region={r.choice(['us-east', 'eu-west', 'ap-south'])} connect_ms={r.choice([1003, 1011, 3008, 1020])} ttfb_ms={r.randrange(1100, 4200)}",
                    ]
                ),
            ),
        )
    )
    series = {}
    for host in ("edge-lb-03", "edge-lb-04"):
        series[f"{host}_requests_per_s"] = shift(rng, 21000, 46000, PEAK - 25, 0.04, ramp=30)
        if host == "edge-lb-04":
            series[f"{host}_cpu0_softirq_pct"] = shift(rng, 38, 100, PEAK - 12, 0.03, ramp=12)
            series[f"{host}_cpu_avg_pct"] = shift(rng, 6, 9, PEAK - 12, 0.08, ramp=12)
            series[f"{host}_softnet_dropped_per_s"] = shift(rng, 0.1, 5200, PEAK, 0.2, ramp=4)
        else:
            series[f"{host}_cpu0_softirq_pct"] = shift(rng, 4, 9, PEAK - 12, 0.1, ramp=12)
            series[f"{host}_cpu_avg_pct"] = shift(rng, 8, 17, PEAK - 25, 0.08, ramp=30)
            series[f"{host}_softnet_dropped_per_s"] = shift(rng, 0.05, 0.05, 0, 0.5)
    csv = csv_text(START, 60, int(MINUTES), series, decimals=1)
    shell = "\n".join(
        [
            "root@edge-lb-04:~# systemctl status irqbalance",
            "Unit irqbalance.service could not be found.",
            "root@edge-lb-04:~# grep -E 'CPU0|ens5f0-TxRx-(0|1|7|15)$' /proc/interrupts",
            "            CPU0       CPU1       CPU2       CPU3       CPU4       CPU5",
            " 131:  918221044          0          0          0          0          0   IR-PCI-MSIX-0000:3b:00.0    1-edge      ens5f0-TxRx-0",
            " 132:  902117310          0          0          0          0          0   IR-PCI-MSIX-0000:3b:00.0    2-edge      ens5f0-TxRx-1",
            " 138:  899003127          0          0          0          0          0   IR-PCI-MSIX-0000:3b:00.0    8-edge      ens5f0-TxRx-7",
            " 146:  911482206          0          0          0          0          0   IR-PCI-MSIX-0000:3b:00.0   16-edge      ens5f0-TxRx-15",
            "root@edge-lb-04:~# mpstat -P 0,1,2 1 1 | tail -4",
            "Average:     CPU    %usr   %nice    %sys %iowait    %irq   %soft  %steal  %guest  %gnice   %idle",
            "Average:       0    0.00    0.00    0.00    0.00    0.00  100.00    0.00    0.00    0.00    0.00",
            "Average:       1    7.92    0.00    2.97    0.00    0.00    0.00    0.00    0.00    0.00   89.11",
            "Average:       2    8.08    0.00    3.03    0.00    0.00    0.00    0.00    0.00    0.00   88.89",
            "root@edge-lb-04:~# head -2 /proc/net/softnet_stat",
            "a41f00c2 0015c8e1 0009f1a7 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000",
            "0000a812 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000001",
            "root@edge-lb-04:~# cat /proc/irq/131/smp_affinity_list /proc/irq/146/smp_affinity_list",
            "0",
            "0",
            "",
            "root@edge-lb-03:~# systemctl is-active irqbalance; cat /proc/irq/131/smp_affinity_list",
            "active",
            "12",
            "",
        ]
    )
    notes = "\n".join(
        [
            "edge latency, 3 Apr from ~18:20 UTC",
            "- synthetics: only edge-lb-04 slow/timeouts; edge-lb-03 fine. Both HAProxy 2.8.9, same config from git",
            "- NOC asked whether it is a DDoS: request mix and sources look like a normal Friday peak, no single source above 0.1%",
            "- api-07 was deployed at 17:34 and bounced in the pool for 2 minutes",
            "- edge-lb-04 reinstalled on 2 Apr from image minimal-2604 (hardware ticket HW-771 closed)",
            "",
        ]
    )
    return Bundle(
        question="Since about 18:20 UTC requests through edge-lb-04 are slow or time out, while edge-lb-03 is fine. What is the root cause?",
        category="cpu",
        component="edge-lb-04",
        statement="edge-lb-04 was reinstalled from an image without irqbalance, so every receive queue of ens5f0 interrupts CPU0; at the evening peak CPU0 is saturated by softirq (100% %soft) and the kernel drops packets (softnet_stat), so clients retransmit and requests through edge-lb-04 slow down or time out.",
        files={
            "notes.md": notes,
            "edge-lb-shell.txt": shell,
            "metrics/edge-lbs.csv": csv,
            "logs/edge-lb-04-haproxy.log": lb4.render(),
            "logs/edge-lb-03-haproxy.log": lb3.render(),
            "logs/synthetics.logfmt": probe.render(),
        },
        proofs=[
            Proof("edge-lb-shell.txt", "Unit irqbalance.service could not be found."),
            Proof(
                "edge-lb-shell.txt",
                "Average:       0    0.00    0.00    0.00    0.00    0.00  100.00",
            ),
            Proof("edge-lb-shell.txt", " 131:  918221044", "ens5f0-TxRx-15"),
        ],
        decoys=["Server be_api/api-07 is DOWN", "whether it is a DDoS", "TLS ticket keys file"],
    )
