# ruff: noqa: E501
# kubectl and helm output, nginx lines and hand-written log lines are data, kept whole on one line.
"""Kubernetes/ingress-nginx: the internal tools (grafana, kibana, argocd) are protected by
`nginx.ingress.kubernetes.io/whitelist-source-range` allowing the office ranges. At 16:18
(+03:00) the platform team upgraded the ingress-nginx release with a refactored values file
that no longer sets `controller.service.externalTrafficPolicy: Local`; the controller's
LoadBalancer Service fell back to `Cluster`, so connections arrive SNATed from node addresses
and the allow-list no longer sees the office IPs. Every request to the tools gets 403 (`access
forbidden by rule`); public sites, which have no allow-list, are fine. Decoys: Grafana's cookie
lookup failures, a scanner's TLS handshake errors, and a slow Kibana saved-objects migration."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from records import Logfmt, NginxAccess, NginxError
from scenes import at, fixed, loud
from traffic import traffic

TRT = timezone(timedelta(hours=3))
START = datetime(2026, 2, 10, 12, 30, tzinfo=UTC)  # 15:30 +03:00
MINUTES = 110.0
FLIP = 48.5
TOOLS = {
    "grafana.corp.example": "ops-grafana-3000",
    "kibana.corp.example": "ops-kibana-5601",
    "argocd.corp.example": "argocd-argocd-server-443",
}
NODES = ["10.0.12.4", "10.0.13.9", "10.0.14.22"]


def before(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    if rng.random() < 0.45:
        host = rng.choice(list(TOOLS))
        took = max(0.002, rng.lognormvariate(0, 0.6) * 0.05)
        client = f"198.18.{rng.choice([40, 41])}.{rng.randrange(2, 250)}"
        return (
            "INFO",
            f'{client}|"GET /{rng.choice(["api/ds/query", "d/kube-nodes", "app/discover", "api/v1/applications", "public/build/app.js"])} HTTP/2.0" 200 {rng.randrange(300, 40000)} "-" "Mozilla/5.0" {rng.randrange(60, 600)} {took:.3f} [{TOOLS[host]}] [] 10.42.{rng.randrange(1, 9)}.{rng.randrange(2, 250)}:3000 {rng.randrange(300, 40000)} {took:.3f} 200',
            (),
        )
    return public(rng)


def public(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    took = max(0.002, rng.lognormvariate(0, 0.6) * 0.04)
    client = f"{rng.choice([31, 46, 78, 85, 176])}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
    return (
        "INFO",
        f'{client}|"GET /{rng.choice(["", "tr/urunler", "api/v1/stock", "static/app.css"])} HTTP/2.0" 200 {rng.randrange(300, 40000)} "-" "Mozilla/5.0" {rng.randrange(60, 600)} {took:.3f} [web-storefront-8080] [] 10.42.{rng.randrange(1, 9)}.{rng.randrange(2, 250)}:8080 {rng.randrange(300, 40000)} {took:.3f} 200',
        (),
    )


def after(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    if rng.random() < 0.4:
        return (
            "INFO",
            f'{rng.choice(NODES)}|"GET /{rng.choice(["api/ds/query", "d/kube-nodes", "app/discover", "api/v1/applications", "login"])} HTTP/2.0" 403 146 "-" "Mozilla/5.0" {rng.randrange(60, 600)} 0.000 [{rng.choice(list(TOOLS.values()))}] [] - - - - {rng.getrandbits(128):032x}',
            (),
        )
    level, message, _ = public(rng)
    return level, rng.choice(NODES) + "|" + message.split("|", 1)[1], ()


class Access(NginxAccess):
    def render(self, record):
        client, _, rest = record.message.partition("|")
        local = record.time.astimezone(TRT)
        return [f"{client} - - [{local.strftime('%d/%b/%Y:%H:%M:%S %z')}] {rest}"]


def bundle() -> Bundle:
    rng = random.Random(38623)
    acc = LogFile("logs/ingress-nginx-access.log", Access(rng))
    acc.add(traffic(rng, before, START, FLIP, 2100))
    acc.add(traffic(rng, after, START + timedelta(minutes=FLIP + 0.2), MINUTES - FLIP - 0.2, 2900))

    err = LogFile("logs/ingress-nginx-error.log", NginxError(rng))
    err.add(
        loud(
            rng,
            START,
            FLIP + 0.2,
            MINUTES - FLIP - 1,
            700,
            lambda r: (
                lambda host: (
                    "ERROR",
                    f'access forbidden by rule, client: {r.choice(NODES)}, server: {host}, request: "GET /{r.choice(["api/ds/query", "app/discover", "api/v1/applications"])} HTTP/2.0", host: "{host}"',
                    (),
                )
            )(r.choice(list(TOOLS))),
        )
    )
    err.add(
        loud(
            rng,
            START,
            5,
            30,
            24,
            fixed(
                "ERROR",
                lambda r: (
                    f"SSL_do_handshake() failed (SSL: error:0A000438:SSL routines::tlsv1 alert internal error) while SSL handshaking, client: 45.{r.randrange(256)}.{r.randrange(256)}.{r.randrange(255)}, server: 0.0.0.0:443"
                ),
            ),
        )
    )

    graf = LogFile("logs/grafana.log", Logfmt("grafana", rng=rng))
    graf.add(
        loud(
            rng,
            START,
            0,
            FLIP,
            900,
            fixed(
                "INFO",
                lambda r: (
                    f"Request Completed method=GET path=/api/ds/query status=200 remote_addr=198.18.{r.choice([40, 41])}.{r.randrange(2, 250)} time_ms={r.randrange(4, 300)} size={r.randrange(300, 40000)}"
                ),
            ),
        )
    )
    graf.add(
        [
            at(
                START,
                20.0,
                "WARN",
                'Failed to look up user based on cookie error="user token not found" (session expired, redirecting to login)',
            )
        ]
    )
    graf.add(
        loud(
            rng,
            START,
            FLIP,
            MINUTES - FLIP,
            40,
            fixed(
                "INFO",
                lambda r: (
                    "Request Completed method=GET path=/api/health status=200 remote_addr=10.42.0.1 time_ms=1 size=70"
                ),
            ),
        )
    )

    kib = LogFile("logs/kibana.log", Logfmt("kibana", rng=rng))
    kib.add(
        loud(
            rng,
            START,
            0,
            MINUTES,
            260,
            fixed(
                "INFO",
                lambda r: (
                    f"[plugins.taskManager] Task ML:saved-objects-sync-task completed in {r.randrange(20, 400)}ms"
                ),
            ),
        )
    )
    kib.add(
        [
            at(
                START,
                9.0,
                "WARN",
                "[savedobjects-service] Migration of .kibana_task_manager took 48212ms (slow), completed",
            )
        ]
    )

    pasted = "\n".join(
        [
            "$ helm -n ingress-nginx history ingress-nginx --max 2",
            "REVISION\tUPDATED                 \tSTATUS    \tCHART               \tAPP VERSION\tDESCRIPTION",
            "17      \tTue Jan 13 11:04:51 2026\tsuperseded\tingress-nginx-4.11.3\t1.11.3     \tUpgrade complete",
            "18      \tTue Feb 10 16:18:22 2026\tdeployed  \tingress-nginx-4.12.0\t1.12.0     \tUpgrade complete",
            "",
            "$ helm -n ingress-nginx get values ingress-nginx --revision 17 | grep -n -A4 'service:'",
            "14:  service:",
            "15-    annotations:",
            "16-      service.beta.kubernetes.io/azure-load-balancer-health-probe-request-path: /healthz",
            "17-    externalTrafficPolicy: Local",
            "18-  metrics:",
            "$ helm -n ingress-nginx get values ingress-nginx --revision 18 | grep -n -A4 'service:'",
            "21:  service:",
            "22-    annotations:",
            "23-      service.beta.kubernetes.io/azure-load-balancer-health-probe-request-path: /healthz",
            "24-  metrics:",
            "25-    enabled: true",
            "",
            "$ kubectl -n ingress-nginx describe svc ingress-nginx-controller",
            "Name:                     ingress-nginx-controller",
            "Namespace:                ingress-nginx",
            "Labels:                   app.kubernetes.io/component=controller",
            "                          app.kubernetes.io/instance=ingress-nginx",
            "                          app.kubernetes.io/name=ingress-nginx",
            "                          app.kubernetes.io/version=1.12.0",
            "                          helm.sh/chart=ingress-nginx-4.12.0",
            "Annotations:              meta.helm.sh/release-name: ingress-nginx",
            "                          service.beta.kubernetes.io/azure-load-balancer-health-probe-request-path: /healthz",
            "Selector:                 app.kubernetes.io/component=controller,app.kubernetes.io/instance=ingress-nginx,app.kubernetes.io/name=ingress-nginx",
            "Type:                     LoadBalancer",
            "IP Family Policy:         SingleStack",
            "IP Families:              IPv4",
            "IP:                       10.0.88.14",
            "IPs:                      10.0.88.14",
            "LoadBalancer Ingress:     20.81.166.42 (VIP)",
            "Port:                     http  80/TCP",
            "TargetPort:               http/TCP",
            "NodePort:                 http  30852/TCP",
            "Endpoints:                10.42.3.17:80,10.42.6.8:80",
            "Port:                     https  443/TCP",
            "TargetPort:               https/TCP",
            "NodePort:                 https  31544/TCP",
            "Endpoints:                10.42.3.17:443,10.42.6.8:443",
            "Session Affinity:         None",
            "External Traffic Policy:  Cluster",
            "Internal Traffic Policy:  Cluster",
            "Events:",
            "  Type    Reason                 Age   From                Message",
            "  ----    ------                 ----  ----                -------",
            "  Normal  ExternalTrafficPolicy  71m   service-controller  Local -> Cluster",
            "  Normal  EnsuringLoadBalancer   71m   service-controller  Ensuring load balancer",
            "  Normal  EnsuredLoadBalancer    70m   service-controller  Ensured load balancer",
            "",
            "$ kubectl -n ops get ingress grafana -o jsonpath='{.metadata.annotations}'",
            '{"cert-manager.io/cluster-issuer":"corp-ca","nginx.ingress.kubernetes.io/whitelist-source-range":"198.18.40.0/24,198.18.41.0/24"}',
            "",
            "# pasted 17:29 (+03:00)",
            "",
        ]
    )
    return Bundle(
        question="Since about 16:20 everyone in the office gets 403 Forbidden on Grafana, Kibana and Argo CD; the public site works. What's the root cause?",
        category="configuration",
        component="ingress-nginx-controller",
        statement="The 16:18 ingress-nginx upgrade (chart 4.12.0, refactored values) dropped `externalTrafficPolicy: Local`, so the ingress-nginx-controller Service switched to `Cluster`; client addresses are SNATed to node IPs (10.0.12.x-10.0.14.x), the tools' whitelist-source-range of the office ranges no longer matches and nginx answers 403 `access forbidden by rule`.",
        files={
            "kubectl-helm-pasted.txt": pasted,
            "logs/ingress-nginx-access.log": acc.render(),
            "logs/ingress-nginx-error.log": err.render(),
            "logs/grafana.log": graf.render(),
            "logs/kibana.log": kib.render(),
        },
        proofs=[
            Proof("kubectl-helm-pasted.txt", "External Traffic Policy:  Cluster"),
            Proof("kubectl-helm-pasted.txt", "ExternalTrafficPolicy  71m"),
            Proof("kubectl-helm-pasted.txt", "17-    externalTrafficPolicy: Local"),
        ],
        decoys=[
            "Failed to look up user based on cookie",
            "SSL_do_handshake() failed",
            "Migration of .kibana_task_manager took 48212ms",
        ],
    )
