# ruff: noqa: E501
# Hand-written HAProxy, consul-template lines and pasted socket output are data, kept whole on one line.
"""Load balancer, a per-server connection cap copied into the wrong backend: at 15:12 IST
(+05:30) consul-template renders a new haproxy.cfg on lb-02 from a template refactor that puts
`default-server ... maxconn 32` into backend be_quotes (it was meant for be_pdf, a small
renderer). Off-peak nothing shows; from the 18:00 IST rush each quote-api server is capped at 32
concurrent requests, requests wait in HAProxy's queue and, after `timeout queue 20s`, get 503
with termination state sQ, while the quote-api servers sit half idle. Loud: 503s and queue
timeouts at the edge, the mobile gateway's errors. Decoys: a health-check flap on one server, a
TLS handshake failure from a scanner, quote-api's own slow-query warning."""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from records import NginxAccess, Record
from scenes import at, loud
from traffic import host_traffic, http_access, traffic

KOLKATA = ZoneInfo("Asia/Kolkata")
START = datetime(2026, 10, 6, 14, 30, tzinfo=KOLKATA)
MINUTES = 240.0
RENDER = 42.0
RUSH = 210.0


@dataclass
class HaproxySyslog:
    """HAProxy's httplog through rsyslog: `Mon dd hh:mm:ss lb-02 haproxy[pid]: ...` local time."""

    def render(self, record: Record) -> list[str]:
        local = record.time.astimezone(KOLKATA)
        stamp = local.strftime("%b ") + f"{local.day:2d}" + local.strftime(" %T")
        accept = local - timedelta(milliseconds=int(record.trailer[0]) if record.trailer else 0)
        text = record.message.replace(
            "{accept}", accept.strftime("%d/%b/%Y:%H:%M:%S.") + f"{accept.microsecond // 1000:03d}"
        )
        return [f"{stamp} lb-02 {record.logger or 'haproxy[2214]'}: {text}"]


def ok_line(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
    tr = r.randrange(15, 160)
    path = r.choice(["GET /v2/quotes/", "POST /v2/quotes/", "GET /v2/policies/", "GET /pdf/"])
    backend = "be_pdf/pdf-1" if path == "GET /pdf/" else f"be_quotes/quote-{r.randrange(1, 7)}"
    return (
        "INFO",
        f'10.{r.randrange(20, 30)}.{r.randrange(256)}.{r.randrange(1, 255)}:{r.randrange(30000, 61000)} [{{accept}}] fe_https~ {backend} 0/0/1/{tr}/{tr + 1} 200 {r.randrange(400, 9000)} - - ---- {r.randrange(60, 300)}/{r.randrange(60, 300)}/{r.randrange(5, 30)}/{r.randrange(1, 6)}/0 0/0 "{path}{r.randrange(10**6)} HTTP/1.1"',
        (str(tr + 1),),
    )


def queued_line(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
    return (
        "INFO",
        f'10.{r.randrange(20, 30)}.{r.randrange(256)}.{r.randrange(1, 255)}:{r.randrange(30000, 61000)} [{{accept}}] fe_https~ be_quotes/<NOSRV> 0/20001/-1/-1/20001 503 217 - - sQ-- {r.randrange(900, 1400)}/{r.randrange(900, 1400)}/{r.randrange(190, 193)}/0/0 0/{r.randrange(300, 900)} "{r.choice(["GET", "POST"])} /v2/quotes/{r.randrange(10**6)} HTTP/1.1"',
        ("20001",),
    )


def bundle() -> Bundle:
    rng = random.Random(36247)
    hap = LogFile("logs/lb-02-haproxy.log", HaproxySyslog())
    hap.add(traffic(rng, ok_line, START, MINUTES, 4200))
    hap.add(loud(rng, START, RUSH + 0.4, MINUTES - RUSH - 1, 700, queued_line))
    hap.add(
        [
            at(
                START,
                95.0,
                "WARN",
                "Server be_quotes/quote-4 is DOWN, reason: Layer7 timeout, check duration: 2001ms. 5 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.",
                logger="haproxy[2214]",
            ),
            at(
                START,
                95.5,
                "WARN",
                "Server be_quotes/quote-4 is UP, reason: Layer7 check passed, code: 200, check duration: 11ms. 6 active and 0 backup servers online. 0 sessions requeued, 0 total in queue.",
                logger="haproxy[2214]",
            ),
            at(
                START,
                130.0,
                "INFO",
                "198.51.100.77:40112 [{accept}] fe_https/1: SSL handshake failure",
                logger="haproxy[2214]",
            ),
        ]
    )
    msgs = LogFile("logs/lb-02-messages", HaproxySyslog())
    msgs.add(host_traffic(rng, START, MINUTES, 500))
    msgs.add(
        [
            at(
                START,
                RENDER,
                "INFO",
                '2026/10/06 09:42:11.402Z [INFO] (runner) rendered "/etc/consul-template/haproxy.cfg.ctmpl" => "/etc/haproxy/haproxy.cfg"',
                logger="consul-template[911]",
            ),
            at(
                START,
                RENDER + 0.01,
                "INFO",
                '2026/10/06 09:42:11.409Z [INFO] (runner) executing command "/usr/local/bin/haproxy-check-reload" from "/etc/consul-template/haproxy.cfg.ctmpl" => "/etc/haproxy/haproxy.cfg"',
                logger="consul-template[911]",
            ),
            at(
                START,
                RENDER + 0.02,
                "INFO",
                "Reloading haproxy.service - HAProxy Load Balancer...",
                logger="systemd[1]",
            ),
            at(
                START,
                RENDER + 0.04,
                "INFO",
                "Reloaded haproxy.service - HAProxy Load Balancer.",
                logger="systemd[1]",
            ),
        ]
    )
    api = LogFile("logs/quote-3-access.log", NginxAccess(rng, KOLKATA))
    api.add(
        traffic(
            rng,
            http_access(["/v2/quotes/{id}", "/v2/policies/{id}", "/healthz"], 60),
            START,
            MINUTES,
            2600,
        )
    )
    api.add(
        [
            at(
                START,
                150.0,
                "INFO",
                '"GET /v2/quotes/883120?expand=history HTTP/1.1" 200 88211 "-" "okhttp/4.12.0" 4.812',
            )
        ]
    )
    sock = "\n".join(
        [
            "lb-02$ echo 'show stat' | socat stdio /run/haproxy/admin.sock | cut -d, -f1,2,3,4,5,6,7,18 | grep -E '^#|be_quotes'",
            "# pxname,svname,qcur,qmax,scur,smax,slim,status",
            "be_quotes,quote-1,141,188,32,32,32,UP",
            "be_quotes,quote-2,133,190,32,32,32,UP",
            "be_quotes,quote-3,138,187,32,32,32,UP",
            "be_quotes,quote-4,129,191,32,32,32,UP",
            "be_quotes,quote-5,140,186,32,32,32,UP",
            "be_quotes,quote-6,136,189,32,32,32,UP",
            "be_quotes,BACKEND,0,0,192,192,2000,UP",
            "lb-02$ sed -n '/^backend be_quotes/,/^$/p' /etc/haproxy/haproxy.cfg",
            "backend be_quotes",
            "    balance leastconn",
            "    option httpchk GET /healthz",
            "    timeout queue 20s",
            "    default-server inter 2s fall 3 rise 2 check maxconn 32",
            "    server quote-1 10.30.4.11:8080",
            "    server quote-2 10.30.4.12:8080",
            "    server quote-3 10.30.4.13:8080",
            "    server quote-4 10.30.4.14:8080",
            "    server quote-5 10.30.4.15:8080",
            "    server quote-6 10.30.4.16:8080",
            "quote-3$ uptime",
            " 18:41:07 up 41 days,  3:12,  1 user,  load average: 3.12, 3.40, 3.22   (16 vCPU)",
            "",
        ]
    )
    notes = "\n".join(
        [
            "18:25 IST P1: quote journeys failing in the app, 503 at the edge since ~18:00.",
            "- quote-api dashboards: CPU ~25%, p99 120 ms, DB fine. Nothing deployed on quote-api today.",
            "- networking PR 'haproxy template: move per-service defaults into default-server' merged 15:05 IST.",
            "",
        ]
    )
    return Bundle(
        question="Since about 18:00 IST quote requests get 503 from the load balancer after ~20 seconds, while the quote-api servers are mostly idle. What is the root cause?",
        category="configuration",
        component="lb-02",
        statement="A consul-template refactor rendered at 15:12 IST put `default-server ... maxconn 32` into lb-02's be_quotes backend; at the evening rush every quote-api server is capped at 32 concurrent requests, the rest wait in HAProxy's queue and get 503 (sQ) after timeout queue 20s.",
        files={
            "notes.md": notes,
            "lb-02-stat.txt": sock,
            "logs/lb-02-haproxy.log": hap.render(),
            "logs/lb-02-messages": msgs.render(),
            "logs/quote-3-access.log": api.render(),
        },
        proofs=[
            Proof("lb-02-stat.txt", "check maxconn 32"),
            Proof("lb-02-stat.txt", "be_quotes,quote-1,141"),
            Proof("logs/lb-02-messages", "(runner) rendered"),
        ],
        decoys=[
            "quote-4 is DOWN, reason: Layer7 timeout",
            "SSL handshake failure",
            "expand=history",
        ],
    )
