# ruff: noqa: E501
# kubectl output, ping output and hand-written log lines are data, kept whole on one line.
"""Kubernetes on vSphere (1500-byte network): at 09:20 IST a GitOps change set Calico's
`veth_mtu` to "1500" although the cluster runs VXLAN (50 bytes of overhead, 1450 before).
calico-node rolled out and every pod created afterwards gets a 1500-byte eth0; full-size
packets between nodes no longer fit the VXLAN tunnel and are dropped. Small requests work,
large responses stall: catalog-api times out reading inventory-svc's bodies. Decoys: a Typha
reconnect, catalog-api 404s on unknown SKUs and a failed reports-cron probe."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events
from records import Logfmt, SpringBoot
from scenes import at, fixed, loud
from traffic import traffic, web_api

IST = timezone(timedelta(hours=5, minutes=30))
START = datetime(2026, 6, 2, 3, 20, tzinfo=UTC)
NOW = datetime(2026, 6, 2, 5, 35, tzinfo=UTC)
CHANGE = 30.0  # 03:50 UTC = 09:20 IST
ROLLED = 44.0
NODES = ["k8s-w-blr-04", "k8s-w-blr-05", "k8s-w-blr-06", "k8s-w-blr-07"]


def bundle() -> Bundle:
    rng = random.Random(5642)
    total = (NOW - START).total_seconds() / 60
    catalog = LogFile("logs/catalog-api.log", Logfmt("catalog-api", rng=rng))
    catalog.add(
        traffic(rng, web_api("catalog-api", ["products", "categories", "skus"]), START, total, 3300)
    )
    catalog.add(
        loud(
            rng,
            START,
            ROLLED + 2,
            total - ROLLED - 3,
            420,
            fixed(
                "ERROR",
                lambda r: (
                    f"GET /v2/products/{r.randrange(10**5)}/availability 504: upstream inventory-svc: net/http: request canceled (Client.Timeout or context cancellation while reading body) after 10.00s, bytes_read={r.choice([2896, 4344, 1448, 5792])}"
                ),
            ),
        )
    )
    catalog.add(
        loud(
            rng,
            START,
            5,
            total - 10,
            60,
            fixed("WARN", lambda r: f"GET /v2/skus/ZX-{r.randrange(10**4)} 404 sku not found"),
        )
    )
    inventory = LogFile(
        "logs/inventory-svc.log",
        SpringBoot(
            (
                "c.e.inventory.api.StockController",
                "c.e.inventory.repo.StockRepository",
                "o.s.web.servlet.DispatcherServlet",
            ),
            rng=rng,
            zone=IST,
        ),
    )
    inventory.add(
        traffic(rng, web_api("inventory-svc", ["stock", "warehouses"]), START, total, 2600)
    )
    inventory.add(
        loud(
            rng,
            START,
            ROLLED + 2,
            total - ROLLED - 3,
            90,
            fixed(
                "WARN",
                lambda r: (
                    f"Broken pipe while writing response for GET /stock/bulk?ids={r.randrange(100, 300)} items (client 10.42.{r.choice([1, 5, 7])}.{r.randrange(2, 250)} went away)"
                ),
            ),
        )
    )

    calico = LogFile("logs/calico-node-k8s-w-blr-05.log", Logfmt("calico-node", rng=rng))
    calico.add(
        loud(
            rng,
            START,
            0,
            total,
            500,
            fixed(
                "INFO",
                lambda r: (
                    f"Felix: Applying dataplane updates ipsetsToUpdate={r.randrange(0, 4)} routesChanged={r.randrange(0, 6)} took={r.randrange(2, 40)}ms"
                ),
            ),
        )
    )
    calico.add(
        [
            at(
                START,
                ROLLED - 1.2,
                "INFO",
                "Felix starting up GOMAXPROCS=8 builddate=2026-03-18 version=v3.28.2",
            ),
            at(
                START,
                ROLLED - 1.1,
                "INFO",
                "Loaded config from environment: FELIX_VXLANENABLED=true FELIX_IPINIPMTU=0 FELIX_VXLANMTU=1450 CNI veth MTU (from calico-config) = 1500",
            ),
            at(
                START,
                ROLLED - 1.0,
                "INFO",
                "VXLAN device vxlan.calico up mtu=1450 vni=4096 port=4789 parent=ens192 (mtu 1500)",
            ),
            at(
                START,
                71.3,
                "WARN",
                "Connection to Typha at 10.43.18.9:5473 reset by peer, reconnecting",
            ),
            at(START, 71.4, "INFO", "Connected to Typha at 10.43.18.9:5473"),
        ]
    )

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    routine = routine_events(
        rng, ["catalog-api", "inventory-svc", "search-indexer"], 20, NODES, namespace="retail"
    )
    signal = [
        (
            ago(CHANGE),
            (
                "Normal",
                "SuccessfulCreate",
                "daemonset/calico-node",
                "Created pod: calico-node-9fxq2",
            ),
        ),
        (
            ago(CHANGE + 3),
            (
                "Normal",
                "SuccessfulDelete",
                "daemonset/calico-node",
                "Deleted pod: calico-node-rt5wz",
            ),
        ),
        (
            ago(ROLLED),
            (
                "Normal",
                "SuccessfulCreate",
                "daemonset/calico-node",
                "Created pod: calico-node-l2v8d",
            ),
        ),
        (
            ago(ROLLED + 6),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/catalog-api",
                "Scaled up replica set catalog-api-7c6b5d9f8 to 6 from 4",
            ),
        ),
        (
            ago(88),
            (
                "Warning",
                "Unhealthy",
                "pod/reports-cron-29133840-7wq6n",
                'Liveness probe failed: Get "http://10.42.4.31:9102/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
            ),
        ),
    ]
    events = event_listing(routine, signal)
    paste = "\n".join(
        [
            "$ kubectl -n kube-system get configmap calico-config -o yaml | grep -E 'calico_backend|veth_mtu|ipam'",
            '  calico_backend: "vxlan"',
            '  veth_mtu: "1500"',
            '      "ipam": { "type": "calico-ipam" },',
            "",
            "$ git -C platform-gitops log -1 --format='%h %ad %s' --date=iso -- clusters/blr-prod/calico/values.yaml",
            "5e81c0a 2026-06-02 09:19:48 +0530 calico: align MTU with the 1500 network (ticket NET-2291)",
            "",
            "$ kubectl -n retail exec catalog-api-7c6b5d9f8-h7d2x -- cat /sys/class/net/eth0/mtu",
            "1500",
            "$ kubectl -n retail exec catalog-api-5f4d8b7c6-q9wlm -- cat /sys/class/net/eth0/mtu",
            "1450",
            "",
            "$ kubectl -n retail exec catalog-api-7c6b5d9f8-h7d2x -- ping -c 3 -M do -s 1400 10.42.6.44",
            "PING 10.42.6.44 (10.42.6.44) 1400(1428) bytes of data.",
            "1408 bytes from 10.42.6.44: icmp_seq=1 ttl=62 time=0.612 ms",
            "1408 bytes from 10.42.6.44: icmp_seq=2 ttl=62 time=0.544 ms",
            "1408 bytes from 10.42.6.44: icmp_seq=3 ttl=62 time=0.577 ms",
            "--- 10.42.6.44 ping statistics ---",
            "3 packets transmitted, 3 received, 0% packet loss, time 2003ms",
            "$ kubectl -n retail exec catalog-api-7c6b5d9f8-h7d2x -- ping -c 3 -M do -s 1472 10.42.6.44",
            "PING 10.42.6.44 (10.42.6.44) 1472(1500) bytes of data.",
            "--- 10.42.6.44 ping statistics ---",
            "3 packets transmitted, 0 received, 100% packet loss, time 2046ms",
            "",
            "$ kubectl -n retail get pods -o wide -l app=inventory-svc",
            "NAME                             READY   STATUS    RESTARTS   AGE    IP            NODE           NOMINATED NODE   READINESS GATES",
            "inventory-svc-6d9f7b8c4-2mkx9    1/1     Running   0          3d4h   10.42.6.44    k8s-w-blr-07   <none>           <none>",
            "inventory-svc-6d9f7b8c4-w5tzr    1/1     Running   0          3d4h   10.42.5.19    k8s-w-blr-06   <none>           <none>",
            "",
        ]
    )
    return Bundle(
        question="Since about 10:05 IST catalog-api returns 504s on product availability pages, while health checks and small calls look fine. What is going on?",
        category="network",
        component="calico-node",
        statement="A GitOps change at 09:20 IST set Calico's veth_mtu to 1500 on a VXLAN cluster whose tunnel MTU is 1450; pods created after calico-node rolled out get a 1500-byte eth0, so full-size packets between nodes are dropped and inventory-svc's large responses to catalog-api stall until the client times out.",
        files={
            "logs/catalog-api.log": catalog.render(),
            "logs/inventory-svc.log": inventory.render(),
            "logs/calico-node-k8s-w-blr-05.log": calico.render(),
            "kubectl-get-events-retail.txt": events,
            "kubectl-exec-session.txt": paste,
        },
        proofs=[
            Proof("kubectl-exec-session.txt", 'veth_mtu: "1500"'),
            Proof("logs/calico-node-k8s-w-blr-05.log", "CNI veth MTU (from calico-config) = 1500"),
            Proof(
                "kubectl-exec-session.txt", "3 packets transmitted, 0 received, 100% packet loss"
            ),
        ],
        decoys=[
            "Connection to Typha at 10.43.18.9:5473 reset by peer",
            "404 sku not found",
            "reports-cron-29133840-7wq6n",
        ],
    )
