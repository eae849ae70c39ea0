# ruff: noqa: E501
# kubectl output, flow-log records and hand-written log lines are data, kept whole on one line.
"""Kubernetes: partner-gateway is a `type: LoadBalancer` Service with
`loadBalancerSourceRanges` listing each partner's egress range. The carrier partner
Kestrel Freight announced weeks ago that from 5 October 06:00 UTC (11:30 IST) its calls leave
from 192.0.2.128/27; nobody added that range. From 11:30 IST its SYNs are dropped by the load
balancer's firewall rules (flow logs REJECT), its shipment callbacks time out on its side and
stop arriving in partner-gateway, while other partners are fine. Decoys: another partner's 401s
on a revoked key, a JWT clock-skew warning, and a slow kube-proxy sync."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from records import Journal, Record, SpringBoot
from scenes import at, fixed, loud
from traffic import traffic

IST = timezone(timedelta(hours=5, minutes=30))
START = datetime(2026, 10, 5, 4, 30, tzinfo=UTC)  # 10:00 IST
MINUTES = 150.0
CUT = 90.0
PARTNERS = {
    "kestrel-freight": "203.0.113.7",
    "bluefin-parcel": "198.51.100.23",
    "orbit-couriers": "198.51.100.41",
}


def gw_line(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    partner = rng.choice(list(PARTNERS))
    return (
        "INFO",
        f"POST /v1/callbacks/shipment-status partner={partner} src={PARTNERS[partner]} status=202 events={rng.randrange(1, 40)} took={max(2, int(rng.lognormvariate(0, 0.5) * 25))}ms",
        (),
    )


def gw_after(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    partner = rng.choice(["bluefin-parcel", "orbit-couriers"])
    return (
        "INFO",
        f"POST /v1/callbacks/shipment-status partner={partner} src={PARTNERS[partner]} status=202 events={rng.randrange(1, 40)} took={max(2, int(rng.lognormvariate(0, 0.5) * 25))}ms",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(38391)
    gw = LogFile(
        "logs/partner-gateway.log",
        SpringBoot(
            (
                "i.e.partner.CallbackController",
                "i.e.partner.auth.PartnerAuthFilter",
                "i.e.partner.ShipmentPublisher",
            ),
            rng=rng,
            zone=IST,
        ),
    )
    gw.add(traffic(rng, gw_line, START, CUT, 2300))
    gw.add(loud(rng, START, CUT, MINUTES - CUT, 1500, gw_after))
    gw.add(
        loud(
            rng,
            START,
            0,
            MINUTES,
            900,
            fixed(
                "INFO",
                lambda r: (
                    f"published shipment.status.changed shipment=SHP{r.randrange(10**8)} partition={r.randrange(16)}"
                ),
            ),
        )
    )
    gw.add(
        [
            at(
                START,
                22.0,
                "WARN",
                "JWT for partner bluefin-parcel issued 2s in the future, accepted within 5s leeway",
                logger="i.e.partner.auth.PartnerAuthFilter",
            ),
        ]
    )
    gw.add(
        loud(
            rng,
            START,
            47,
            14,
            38,
            fixed(
                "WARN",
                lambda r: (
                    "POST /v1/callbacks/shipment-status partner=orbit-couriers src=198.51.100.41 status=401 reason=api key ok_live_...9f2 revoked on 2026-10-04"
                ),
            ),
        )
    )

    backlog = LogFile(
        "logs/shipment-tracker.log",
        SpringBoot(
            ("i.e.tracker.StaleShipmentSweeper", "i.e.tracker.StatusConsumer"), rng=rng, zone=IST
        ),
    )
    backlog.add(
        loud(
            rng,
            START,
            0,
            MINUTES,
            1200,
            fixed(
                "INFO",
                lambda r: (
                    f"status update applied shipment=SHP{r.randrange(10**8)} carrier={r.choice(['kestrel-freight', 'bluefin-parcel', 'orbit-couriers'])} state={r.choice(['PICKED_UP', 'IN_TRANSIT', 'OUT_FOR_DELIVERY', 'DELIVERED'])}"
                ),
            ),
        )
    )
    backlog.add(
        loud(
            rng,
            START,
            CUT + 20,
            MINUTES - CUT - 21,
            140,
            fixed(
                "WARN",
                lambda r: (
                    f"no status from carrier kestrel-freight for shipment=SHP{r.randrange(10**8)} in {r.randrange(31, 70)} min (SLA 30 min), flagging as stale"
                ),
            ),
        )
    )

    node = LogFile("ip-10-30-1-15-journal.txt", Journal("ip-10-30-1-15", "kube-proxy", 1877))
    for r in loud(rng, START, 0, MINUTES, 50, fixed("INFO", lambda x: "")):
        node.add(
            [
                Record(
                    r.time,
                    "INFO",
                    f'I1005 {r.time.strftime("%H:%M:%S.%f")}    1877 proxier.go:820] "SyncProxyRules complete" elapsed="{rng.randrange(90, 240)}ms"',
                )
            ]
        )
    node.add(
        [
            at(
                START,
                66.0,
                "WARN",
                'I1005 05:36:00.208811    1877 proxier.go:820] "SyncProxyRules complete" elapsed="1.214s"',
            )
        ]
    )

    flows = [
        "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status"
    ]
    for r in loud(rng, START, 0, MINUTES, 260, fixed("INFO", lambda x: "")):
        minute = (r.time - START).total_seconds() / 60
        src = (
            "192.0.2." + str(rng.randrange(129, 159))
            if minute >= CUT and rng.random() < 0.5
            else rng.choice(
                ["198.51.100.23", "198.51.100.41", *(["203.0.113.7"] if minute < CUT else [])]
            )
        )
        if minute < CUT and src.startswith("192.0.2."):
            continue
        action = "REJECT" if src.startswith("192.0.2.") else "ACCEPT"
        t = int(r.time.timestamp())
        pkts = 2 if action == "REJECT" else rng.randrange(8, 40)
        flows.append(
            f"2 417823906655 eni-0c7a1f3b9e25d4a06 {src} 10.30.1.15 {rng.randrange(32768, 60999)} 443 6 {pkts} {pkts * 60 if action == 'REJECT' else pkts * rng.randrange(200, 1400)} {t} {t + 58} {action} OK"
        )

    pasted = "\n".join(
        [
            "$ kubectl -n partners describe svc partner-gateway",
            "Name:                     partner-gateway",
            "Namespace:                partners",
            "Labels:                   app=partner-gateway",
            "Annotations:              service.beta.kubernetes.io/aws-load-balancer-type: nlb",
            "Selector:                 app=partner-gateway",
            "Type:                     LoadBalancer",
            "IP Family Policy:         SingleStack",
            "IP Families:              IPv4",
            "IP:                       172.20.118.40",
            "IPs:                      172.20.118.40",
            "LoadBalancer Ingress:     a3f1c9e07b2d64e58a1b-1f3c9d2e4b.elb.ap-south-1.amazonaws.com",
            "Port:                     https  443/TCP",
            "TargetPort:               8443/TCP",
            "NodePort:                 https  31443/TCP",
            "Endpoints:                10.30.1.77:8443,10.30.2.19:8443,10.30.3.54:8443",
            "Session Affinity:         None",
            "External Traffic Policy:  Local",
            "HealthCheck NodePort:     32119",
            "LoadBalancer Source Ranges:  198.51.100.0/26,203.0.113.0/28",
            "Events:                   <none>",
            "",
            "# pasted 13:05 IST",
            "",
        ]
    )
    notice = "\n".join(
        [
            "From: network-ops@kestrel-freight.example",
            "To: integrations@example.in",
            "Date: Mon, 14 Sep 2026 09:12:40 +0000",
            "Subject: [Action required] Kestrel Freight API egress address change",
            "",
            "Hello integration partner,",
            "",
            "As part of our data-centre move, all outbound API calls and webhooks from Kestrel Freight",
            "will originate from 192.0.2.128/27 starting 5 October 2026 06:00 UTC.",
            "The current range 203.0.113.0/28 will stop sending traffic at that time.",
            "Please update any allow-lists before the cut-over.",
            "",
            "Ticket on our side: KF-NET-4471 (no reply received yet)",
            "",
            "---- forwarded by partner manager, 5 Oct 12:40 IST: 'Kestrel says our endpoint times out since 11:30 IST:'",
            "curl: (28) Failed to connect to partners-api.example.in port 443 after 10002 ms: Timeout was reached",
            "",
        ]
    )
    return Bundle(
        question="Kestrel Freight's shipment callbacks stopped arriving around 11:30 IST; they say our endpoint times out. Other carriers are fine. What's the cause?",
        category="network",
        component="partner-gateway",
        statement="Kestrel Freight moved its egress to 192.0.2.128/27 at 06:00 UTC (11:30 IST), but partner-gateway's LoadBalancer Service still allows only 198.51.100.0/26 and 203.0.113.0/28 in `loadBalancerSourceRanges`, so its connections are rejected (flow logs REJECT) and its callbacks time out.",
        files={
            "kubectl-describe-svc.txt": pasted,
            "kestrel-notice.eml.txt": notice,
            "vpc-records.txt": "\n".join(flows) + "\n",
            "logs/partner-gateway.log": gw.render(),
            "logs/shipment-tracker.log": backlog.render(),
            "ip-10-30-1-15-journal.txt": node.render(),
        },
        proofs=[
            Proof(
                "kubectl-describe-svc.txt",
                "LoadBalancer Source Ranges:  198.51.100.0/26,203.0.113.0/28",
            ),
            Proof("kestrel-notice.eml.txt", "will originate from 192.0.2.128/27"),
        ],
        decoys=[
            "revoked on 2026-10-04",
            "issued 2s in the future",
            'elapsed="1.214s"',
        ],
    )
