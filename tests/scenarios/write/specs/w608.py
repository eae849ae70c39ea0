# ruff: noqa: E501
# Controller log lines, kubectl and helm output are data, kept whole on one line.
"""Kubernetes: ingress-nginx was upgraded by `helm upgrade` at 02:10 Chicago time (07:10 UTC)
without the platform values file, so the controller ConfigMap lost `proxy-buffer-size: 16k` and
went back to nginx's 4k default. auth-service's OIDC callback answers with about 6 KB of
Set-Cookie headers (the session cookie carries the group claims), which no longer fit: nginx
logs `upstream sent too big header` and every login callback gets 502 while other pages work.
Decoys: a certificate-expiry warning for another host, an SSL handshake error from a scanner,
and a slow Redis call in auth-service."""

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events
from records import Pino, Record
from scenes import at, fixed, loud
from traffic import traffic, web_api

START = datetime(2026, 6, 11, 6, 20, tzinfo=UTC)
NOW = datetime(2026, 6, 11, 8, 35, tzinfo=UTC)
UPGRADE = 50.0  # 07:10 UTC
NODES = [
    "aks-system-40718263-vmss000001",
    "aks-system-40718263-vmss000002",
    "aks-apps-40718263-vmss000005",
]
UPSTREAMS = {
    "login.harborline.example.com": ("identity-auth-service-8080", "10.12.4.", "/auth/"),
    "www.harborline.example.com": ("web-storefront-web-80", "10.12.5.", "/"),
    "api.harborline.example.com": ("api-orders-api-8080", "10.12.6.", "/v1/"),
}


@dataclass
class Controller:
    """ingress-nginx controller stdout: klog lines, nginx error_log lines and its access format."""

    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def render(self, record: Record) -> list[str]:
        t = record.time
        if record.logger == "klog":
            return [
                f"{record.level[0]}{t:%m%d %H:%M:%S}.{t.microsecond:06d}       7 {record.message}"
            ]
        if record.logger == "error":
            return [
                f"{t:%Y/%m/%d %H:%M:%S} [{'warn' if record.level == 'WARN' else 'error'}] {self.rng.randrange(30, 40)}#{self.rng.randrange(30, 40)}: *{self.rng.randrange(10**5, 10**7)} {record.message}"
            ]
        client = f"{self.rng.choice([73, 98, 174, 24])}.{self.rng.randrange(256)}.{self.rng.randrange(256)}.{self.rng.randrange(1, 255)}"
        return [
            f"{client} - - [{t:%d/%b/%Y:%H:%M:%S} +0000] {record.message} {self.rng.getrandbits(128):032x}"
        ]


def access(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
    host = r.choice(list(UPSTREAMS))
    name, net, prefix = UPSTREAMS[host]
    path = r.choice(
        [f"{prefix}session", f"{prefix}userinfo"]
        if "login" in host
        else [
            f"{prefix}",
            f"{prefix}products/{r.randrange(10**5)}",
            f"{prefix}orders/{r.randrange(10**6)}",
        ]
    )
    status = r.choices([200, 204, 302, 304, 404], [72, 6, 8, 10, 4])[0]
    t = r.randrange(2, 180) / 1000
    return (
        "INFO",
        f'"GET {path} HTTP/2.0" {status} {r.randrange(0, 40000)} "https://{host}/" "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 Safari/605.1.15" {r.randrange(30, 600)} {t:.3f} [{name}] [] {net}{r.randrange(10, 250)}:{name.rsplit("-", 1)[1]} {r.randrange(0, 40000)} {t:.3f} {status}',
        (),
    )


def callback_ok(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
    t = r.randrange(40, 300) / 1000
    return (
        "INFO",
        f'"GET /auth/callback?code={r.getrandbits(96):024x}&state={r.getrandbits(48):012x} HTTP/2.0" 302 0 "https://sso.harborline.example.com/" "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/125.0" {r.randrange(400, 900)} {t:.3f} [identity-auth-service-8080] [] 10.12.4.{r.randrange(10, 250)}:8080 0 {t:.3f} 302',
        (),
    )


def callback_bad(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
    t = r.randrange(40, 300) / 1000
    return (
        "ERROR",
        f'"GET /auth/callback?code={r.getrandbits(96):024x}&state={r.getrandbits(48):012x} HTTP/2.0" 502 552 "https://sso.harborline.example.com/" "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/125.0" {r.randrange(400, 900)} {t:.3f} [identity-auth-service-8080] [] 10.12.4.{r.randrange(10, 250)}:8080 0 {t:.3f} 502',
        (),
    )


def too_big(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
    ip = f"10.12.4.{r.choice([37, 112, 203])}"
    code = f"{r.getrandbits(96):024x}"
    return (
        "ERROR",
        f'upstream sent too big header while reading response header from upstream, client: {r.choice([73, 98, 174])}.{r.randrange(256)}.{r.randrange(256)}.{r.randrange(1, 255)}, server: login.harborline.example.com, request: "GET /auth/callback?code={code} HTTP/2.0", upstream: "http://{ip}:8080/auth/callback?code={code}", host: "login.harborline.example.com", referrer: "https://sso.harborline.example.com/"',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(6089)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    ctl = LogFile("kubectl-logs-ingress-nginx-controller.txt", Controller(rng=rng))
    ctl.add(traffic(rng, access, START, total, 5200, logger="access"))
    ctl.add(traffic(rng, callback_ok, START, UPGRADE, 260, logger="access"))
    ctl.add(loud(rng, START, UPGRADE + 0.6, total - UPGRADE - 0.6, 0, callback_ok))
    bad = traffic(
        rng,
        callback_bad,
        START + timedelta(minutes=UPGRADE + 0.6),
        total - UPGRADE - 0.6,
        430,
        logger="access",
    )
    ctl.add(bad)
    ctl.add(
        [
            Record(item.time - timedelta(milliseconds=1), "ERROR", too_big(rng)[1], (), "error")
            for item in bad
        ]
    )
    ctl.add(
        [
            Record(
                START + timedelta(minutes=17.2),
                "WARN",
                "SSL_do_handshake() failed (SSL: error:0A00006C:SSL routines::bad key share) while SSL handshaking, client: 185.220.101.46, server: 0.0.0.0:443",
                (),
                "error",
            ),
            Record(
                START + timedelta(minutes=UPGRADE + 0.3),
                "INFO",
                'main.go:205] "Running in Kubernetes cluster" major="1" minor="29" git="v1.29.7" state="clean" platform="linux/amd64"',
                (),
                "klog",
            ),
            Record(
                START + timedelta(minutes=UPGRADE + 0.31),
                "INFO",
                'main.go:109] "SSL fake certificate created" file="/etc/ingress-controller/ssl/default-fake-certificate.pem"',
                (),
                "klog",
            ),
            Record(
                START + timedelta(minutes=UPGRADE + 0.33),
                "INFO",
                'store.go:440] "Found valid IngressClass" ingress="identity/auth-service" ingressclass="nginx"',
                (),
                "klog",
            ),
            Record(
                START + timedelta(minutes=UPGRADE + 0.35),
                "INFO",
                'controller.go:213] "Backend successfully reloaded"',
                (),
                "klog",
            ),
            Record(
                START + timedelta(minutes=UPGRADE + 0.36),
                "INFO",
                'controller.go:224] "Initial sync, sleeping for 1 second"',
                (),
                "klog",
            ),
            Record(
                START + timedelta(minutes=83.0),
                "WARN",
                'backend_ssl.go:47] "Error obtaining X.509 certificate" err="unexpected error creating SSL Cert: certificate partners.harborline.example.com expires in 6 days"',
                (),
                "klog",
            ),
        ]
    )
    controller_text = (
        "$ kubectl -n ingress-nginx logs deploy/ingress-nginx-controller --since=135m\n"
        + ctl.render()
    )

    auth = LogFile("logs/auth-service.log", Pino(hostname="auth-service-6c9f8b7d45-4kzqr", rng=rng))
    auth.add(
        traffic(
            rng, web_api("auth-service", ["sessions", "userinfo", "tokens"]), START, total, 3000
        )
    )
    auth.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f"oidc callback ok user={r.randrange(10**6)} groups={r.randrange(38, 61)} set-cookie bytes={r.randrange(5700, 6400)} -> 302 /"
                ),
            ),
            START,
            total,
            900,
        )
    )
    auth.add([at(START, 66.4, "WARN", "redis GET session:7b1c... took 412ms (pool 18/20)")])

    config = "\n".join(
        [
            "$ helm -n ingress-nginx history ingress-nginx",
            "REVISION\tUPDATED                 \tSTATUS    \tCHART               \tAPP VERSION\tDESCRIPTION",
            "6       \tTue Mar 10 09:14:03 2026\tsuperseded\tingress-nginx-4.10.0\t1.10.0     \tUpgrade complete",
            "7       \tWed Apr 22 15:40:51 2026\tsuperseded\tingress-nginx-4.10.1\t1.10.1     \tUpgrade complete",
            "8       \tThu Jun 11 07:10:02 2026\tdeployed  \tingress-nginx-4.11.2\t1.11.2     \tUpgrade complete",
            "",
            "$ helm -n ingress-nginx get values ingress-nginx --revision 7",
            "USER-SUPPLIED VALUES:",
            "controller:",
            "  config:",
            "    large-client-header-buffers: 4 16k",
            '    proxy-buffer-size: "16k"',
            '    use-forwarded-headers: "true"',
            "  replicaCount: 3",
            "",
            "$ helm -n ingress-nginx get values ingress-nginx --revision 8",
            "USER-SUPPLIED VALUES:",
            "null",
            "",
            "$ kubectl -n ingress-nginx get configmap ingress-nginx-controller -o yaml",
            "apiVersion: v1",
            "data:",
            '  allow-snippet-annotations: "false"',
            "kind: ConfigMap",
            "metadata:",
            "  annotations:",
            "    meta.helm.sh/release-name: ingress-nginx",
            "    meta.helm.sh/release-namespace: ingress-nginx",
            '  creationTimestamp: "2025-01-08T11:20:44Z"',
            "  name: ingress-nginx-controller",
            "  namespace: ingress-nginx",
            '  resourceVersion: "418822917"',
            "",
            "$ kubectl -n ingress-nginx exec deploy/ingress-nginx-controller -- grep -m2 -e proxy_buffer_size -e large_client /etc/nginx/nginx.conf",
            "\tlarge_client_header_buffers     4 8k;",
            "\t\t\tproxy_buffer_size                       4k;",
            "",
        ]
    )

    routine = routine_events(rng, ["ingress-nginx-controller"], 6, NODES, namespace="ingress-nginx")
    signal = [
        (
            ago(UPGRADE),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/ingress-nginx-controller",
                "Scaled up replica set ingress-nginx-controller-5d7c9b6f84 to 1",
            ),
        ),
        (
            ago(UPGRADE + 0.3),
            (
                "Normal",
                "RELOAD",
                "pod/ingress-nginx-controller-5d7c9b6f84-wq7tn",
                "NGINX reload triggered due to a change in configuration",
            ),
        ),
        (
            ago(UPGRADE + 1.5),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/ingress-nginx-controller",
                "Scaled down replica set ingress-nginx-controller-6b8f4c7d59 to 0 from 1",
            ),
        ),
    ]
    events = "$ kubectl -n ingress-nginx get events --sort-by=.lastTimestamp\n" + event_listing(
        routine, signal
    )

    return Bundle(
        question="Since about 2:10 am Central, nobody can log in: the login page works but the redirect back to login.harborline.example.com/auth/callback ends in a 502. The rest of the site is fine. Why?",
        category="configuration",
        component="ingress-nginx",
        statement="The ingress-nginx chart upgrade at 07:10 UTC (revision 8) was applied without the platform values, so proxy-buffer-size fell back to 4k; auth-service's callback responses carry about 6 KB of Set-Cookie headers, and nginx rejects them with 'upstream sent too big header', answering 502.",
        files={
            "kubectl-logs-ingress-nginx-controller.txt": controller_text,
            "logs/auth-service.log": auth.render(),
            "helm-kubectl-ingress-nginx.txt": config,
            "kubectl-get-events.txt": events,
        },
        proofs=[
            Proof("helm-kubectl-ingress-nginx.txt", '    proxy-buffer-size: "16k"'),
            Proof("helm-kubectl-ingress-nginx.txt", "proxy_buffer_size                       4k;"),
            Proof("helm-kubectl-ingress-nginx.txt", "8       \tThu Jun 11 07:10:02 2026"),
        ],
        decoys=[
            "certificate partners.harborline.example.com expires in 6 days",
            "SSL_do_handshake() failed",
            "redis GET session:7b1c... took 412ms",
        ],
    )
