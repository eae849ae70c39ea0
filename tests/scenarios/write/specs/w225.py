# ruff: noqa: E501
# Hand-written log lines, the Ansible diff and notes are data, kept whole on one line.
"""Load balancer, configuration: on Tuesday 09:40 UTC the platform team rolled a refactored
HAProxy role to edge-lb-1 first (edge-lb-2 is due on Thursday). The role now renders
`timeout server {{ haproxy_timeout_server }}` with the role default `5s`, where the old template
hard-coded `120s`; nobody set the variable for the API edge. Ordinary API calls take well under
a second, but CSV exports and reports take 8-60 s: through edge-lb-1 they end at exactly 5 s
with 504 and termination state `sH--`, through edge-lb-2 (DNS round robin) they succeed, so
about half the exports fail. Loud: reports-api's "Broken pipe" / client-abort errors (the
backend keeps working and finds the client gone) and customers' retries. Decoys: reports-api's
slow SQL warnings, a health-check flap of reports-3, and the certificate reload on edge-lb-2."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from records import Record, SpringBoot
from scenes import at, fixed, java_trace, loud
from traffic import traffic, web_api

START = datetime(2025, 10, 7, 8, 0, tzinfo=UTC)
END = datetime(2025, 10, 7, 11, 30, tzinfo=UTC)
ROLLOUT = datetime(2025, 10, 7, 9, 41, 12, tzinfo=UTC)
SHORT = [
    "/api/v2/orders/{id}",
    "/api/v2/customers/{id}",
    "/api/v2/invoices?page={id}",
    "/api/v2/me",
    "/api/v2/products/{id}",
]
LONG = [
    "/api/v2/exports/orders-{id}.csv",
    "/api/v2/reports/monthly-revenue?month=2025-{m}",
    "/api/v2/exports/invoices-{id}.csv",
]


@dataclass
class Haproxy:
    """HAProxy `option httplog` lines through syslog on `host`; records with a logger are HAProxy's own messages."""

    host: str
    rng: random.Random

    def render(self, record: Record) -> list[str]:
        stamp = record.time.strftime("%b ") + f"{record.time.day:2d}" + record.time.strftime(" %T")
        if record.logger:
            return [f"{stamp} {self.host} {record.logger}: {record.message}"]
        accept = (
            record.time.strftime("%d/%b/%Y:%H:%M:%S.") + f"{record.time.microsecond // 1000:03d}"
        )
        client = f"{self.rng.choice(['198.51.100', '203.0.113', '192.0.2'])}.{self.rng.randrange(1, 255)}:{self.rng.randrange(1024, 65535)}"
        return [
            f"{stamp} {self.host} haproxy[{2210 if self.host == 'edge-lb-1' else 1977}]: {client} [{accept}] fe_api~ {record.message}"
        ]


def access(rng: random.Random, cut: bool) -> str:
    server = f"be_api/reports-{rng.randrange(1, 4)}"
    counters = f"{rng.randrange(100, 400)}/{rng.randrange(100, 400)}/{rng.randrange(5, 40)}/{rng.randrange(1, 14)}/0 0/0"
    if rng.random() < 0.06:
        path = (
            rng.choice(LONG)
            .replace("{id}", str(rng.randrange(10**5)))
            .replace("{m}", f"{rng.randrange(1, 10):02d}")
        )
        if cut:
            return f'{server} 0/0/1/-1/{rng.randrange(5000, 5003)} 504 198 - - sH-- {counters} "GET {path} HTTP/1.1"'
        took = rng.randrange(8000, 61000)
        return f'{server} 0/0/1/{took}/{took + rng.randrange(5, 900)} 200 {rng.randrange(10**5, 4 * 10**7)} - - ---- {counters} "GET {path} HTTP/1.1"'
    path = rng.choice(SHORT).replace("{id}", str(rng.randrange(10**6)))
    took = rng.randrange(4, 400)
    status = rng.choices([200, 201, 304, 404, 401], [80, 6, 6, 5, 3])[0]
    return f'{server} 0/0/1/{took}/{took + 1} {status} {rng.randrange(200, 20000)} - - ---- {counters} "{"POST" if status == 201 else "GET"} {path} HTTP/1.1"'


def bundle() -> Bundle:
    rng = random.Random(2225)
    total = (END - START).total_seconds() / 60
    rollout = (ROLLOUT - START).total_seconds() / 60

    lb1 = LogFile("logs/edge-lb-1-haproxy.log", Haproxy("edge-lb-1", rng))
    lb2 = LogFile("logs/edge-lb-2-haproxy.log", Haproxy("edge-lb-2", rng))
    for log, count, is_one in ((lb1, 4200, True), (lb2, 4100, False)):
        for offset in sorted(rng.random() * total for _ in range(count)):
            log.add(
                [
                    Record(
                        START + timedelta(minutes=offset),
                        "INFO",
                        access(rng, is_one and offset > rollout + 0.3),
                    )
                ]
            )
    lb1.add(
        [
            at(
                START,
                rollout,
                "INFO",
                "Proxy fe_api stopped (cumulated conns: FE: 88121, BE: 0).",
                logger="haproxy[1102]",
            ),
            at(
                START,
                rollout + 0.01,
                "INFO",
                "Proxy be_api stopped (cumulated conns: FE: 0, BE: 88119).",
                logger="haproxy[1102]",
            ),
            at(
                START,
                rollout + 0.02,
                "INFO",
                "Reloaded haproxy.service - HAProxy Load Balancer.",
                logger="systemd[1]",
            ),
        ]
    )
    lb2.add(
        [
            at(
                START,
                31.0,
                "INFO",
                "Reloaded haproxy.service - HAProxy Load Balancer.",
                logger="systemd[1]",
            ),
            at(
                START,
                30.9,
                "INFO",
                "certbot: renewed certificate /etc/haproxy/certs/api.shopbase.example.pem (expires 2026-01-05)",
                logger="certbot-deploy-hook[7711]",
            ),
        ]
    )
    for log in (lb1, lb2):
        log.add(
            [
                at(
                    START,
                    118.0,
                    "WARN",
                    "Server be_api/reports-3 is DOWN, reason: Layer7 timeout, check duration: 2001ms. 2 active and 0 backup servers left. 14 sessions active, 0 requeued, 0 remaining in queue.",
                    logger=f"haproxy[{2210 if log is lb1 else 1977}]",
                ),
                at(
                    START,
                    119.1,
                    "WARN",
                    "Server be_api/reports-3 is UP, reason: Layer7 check passed, code: 200, check duration: 4ms. 3 active and 0 backup servers online. 0 sessions requeued, 0 total in queue.",
                    logger=f"haproxy[{2210 if log is lb1 else 1977}]",
                ),
            ]
        )

    api = LogFile(
        "logs/reports-api.log",
        SpringBoot(
            (
                "c.s.reports.web.ExportController",
                "c.s.reports.export.CsvExporter",
                "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
            ),
            pid=7,
            rng=rng,
        ),
    )
    api.add(
        traffic(
            rng,
            web_api("reports-api", ["orders", "customers", "invoices", "exports"]),
            START,
            total,
            3400,
        )
    )
    api.add(
        loud(
            rng,
            START,
            rollout + 0.5,
            total - rollout - 1,
            260,
            fixed(
                "ERROR",
                lambda r: (
                    f"Export orders-{r.randrange(10**5)}.csv aborted after {r.randrange(5, 50)} s: client disconnected"
                ),
                lambda r: java_trace(
                    "org.apache.catalina.connector.ClientAbortException: java.io.IOException: Broken pipe",
                    [
                        "org.apache.catalina.connector.OutputBuffer.realWriteBytes(OutputBuffer.java:343)",
                        "org.apache.catalina.connector.OutputBuffer.flushByteBuffer(OutputBuffer.java:783)",
                        "com.shopbase.reports.export.CsvExporter.writeRows(CsvExporter.java:118)",
                    ],
                    [
                        "java.io.IOException: Broken pipe",
                        "java.base/sun.nio.ch.SocketDispatcher.write0(Native Method)",
                    ],
                    more=41,
                ),
            ),
        )
    )
    api.add(
        loud(
            rng,
            START,
            0,
            total,
            150,
            fixed(
                "WARN",
                lambda r: (
                    f"slow SQL ({r.randrange(3000, 19000)} ms): select o.id, o.created_at, o.total, c.email from orders o join customers c on c.id = o.customer_id where o.created_at between ? and ? order by o.id"
                ),
            ),
        )
    )

    diff = "\n".join(
        [
            "PLAY [edge load balancers (canary: edge-lb-1)] ***********************************",
            "",
            "TASK [haproxy : render haproxy.cfg] ****************************************************",
            "--- before: /etc/haproxy/haproxy.cfg",
            "+++ after: /home/deploy/.ansible/tmp/ansible-local-41877/tmp1x9kq2/haproxy.cfg.j2",
            "@@ -18,11 +18,12 @@",
            " defaults",
            "     mode http",
            "     log global",
            "     option httplog",
            "     option dontlognull",
            "+    option http-server-close",
            "     timeout connect 5s",
            "     timeout client 60s",
            "-    timeout server 120s",
            "+    timeout server 5s",
            "     timeout http-request 10s",
            "     timeout http-keep-alive 2s",
            "",
            "changed: [edge-lb-1]",
            "",
            "RUNNING HANDLER [haproxy : reload haproxy] *********************************************",
            "changed: [edge-lb-1]",
            "",
            "PLAY RECAP *****************************************************************************",
            "edge-lb-1                  : ok=14   changed=2    unreachable=0    failed=0    skipped=3    rescued=0    ignored=0",
            "",
        ]
    )
    notes = "\n".join(
        [
            "Ticket from customer success, 11:30 UTC",
            "",
            "Several customers say CSV exports and the monthly revenue report fail with 'Gateway Timeout' since this morning, sometimes they work on the second or third try.",
            "reports-api shows lots of Broken pipe / ClientAbortException, and slow SQL warnings on the orders export query.",
            "api.shopbase.example resolves round-robin to edge-lb-1 and edge-lb-2.",
            "Platform team deployed the new haproxy role this morning (ansible output attached), edge-lb-2 follows Thursday.",
            "",
        ]
    )
    files = {
        "notes.md": notes,
        "ansible-run.txt": diff,
        "logs/edge-lb-1-haproxy.log": lb1.render(),
        "logs/edge-lb-2-haproxy.log": lb2.render(),
        "logs/reports-api.log": api.render(),
    }
    return Bundle(
        question="Since this morning about half of our CSV exports and reports fail with 504 Gateway Timeout, and reports-api logs lots of Broken pipe errors. What is the root cause?",
        category="configuration",
        component="edge-lb-1",
        statement="The refactored HAProxy role rolled to edge-lb-1 at 09:41 UTC set `timeout server 5s` (was 120s), so exports and reports that take longer than five seconds are cut with 504 sH-- on edge-lb-1, while edge-lb-2, still on the old config, serves them; reports-api then finds its client gone (Broken pipe).",
        files=files,
        proofs=[
            Proof("ansible-run.txt", "-    timeout server 120s", "+    timeout server 5s"),
        ],
        decoys=[
            "slow SQL",
            "Server be_api/reports-3 is DOWN",
            "certbot: renewed certificate",
        ],
    )
