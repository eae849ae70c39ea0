# ruff: noqa: E501
# Log lines, kubectl output and YAML are data, kept whole on one line.
"""Kubernetes 1.25 (self-managed on EC2, Europe/Berlin): release 5.2.0 of claims-processor at
07:48 UTC adds four `dnsConfig.searches` entries so the service can reach the mainframe gateway by
its short name `mfgw01`. The kubelet appends them after the three cluster domains and the node's
two host domains and cuts the list at six, so only the first added domain survives; kubelet warns
`DNSConfigForming`, the pods' resolv.conf lacks `mf.versicherung-nord.de`, and every claim that
needs a mainframe policy lookup fails with UnknownHostException. Decoys: CoreDNS's start-up HINFO
timeout, a Hikari pool warning, an HPA scale event."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events
from records import SpringBoot
from scenes import at, java_trace, loud
from traffic import traffic, web_api, worker

CEST = timezone(timedelta(hours=2))
START = datetime(2026, 9, 9, 7, 0, tzinfo=UTC)
NOW = datetime(2026, 9, 9, 8, 50, tzinfo=UTC)
REL = 48.0  # 07:48 UTC
APPLIED = "claims.svc.cluster.local svc.cluster.local cluster.local eu-central-1.compute.internal infra.versicherung-nord.de legacy.versicherung-nord.de"


def config() -> str:
    return f"""$ kubectl -n claims get deploy claims-processor -o yaml | grep -A12 'dnsConfig:'
      dnsConfig:
        options:
        - name: ndots
          value: "2"
        searches:
        - legacy.versicherung-nord.de
        - partner.versicherung-nord.de
        - mf.versicherung-nord.de
        - batch.versicherung-nord.de
      dnsPolicy: ClusterFirst
      enableServiceLinks: true
      restartPolicy: Always

$ kubectl -n claims exec claims-processor-7b5d9f6c48-kx2wq -- cat /etc/resolv.conf
search {APPLIED}
nameserver 10.96.0.10
options ndots:2

$ kubectl -n claims exec claims-processor-7b5d9f6c48-kx2wq -- getent hosts mfgw01.mf.versicherung-nord.de
10.212.40.17    mfgw01.mf.versicherung-nord.de
$ kubectl -n claims exec claims-processor-7b5d9f6c48-kx2wq -- getent hosts mfgw01
command terminated with exit code 2
"""


def bundle() -> Bundle:
    rng = random.Random(53659)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    proc = LogFile(
        "logs/claims-processor.log",
        SpringBoot(
            (
                "d.vn.claims.PolicyLookup",
                "d.vn.claims.ClaimWorkflow",
                "com.zaxxer.hikari.pool.HikariPool",
            ),
            rng=rng,
            zone=CEST,
        ),
    )
    proc.add(
        traffic(
            rng,
            worker("claims-processor", ["claims.submitted", "claims.documents"]),
            START,
            total,
            2400,
        )
    )
    proc.add(
        [
            at(
                START,
                16.0,
                "WARN",
                "HikariPool-1 - Thread starvation or clock leap detected (housekeeper delta=1m2s).",
                logger="com.zaxxer.hikari.pool.HikariPool",
            )
        ]
    )
    proc.add(
        [
            at(
                START,
                REL + 0.8,
                "INFO",
                "Started ClaimsProcessorApplication in 21.44 seconds (process running for 23.1)",
                logger="d.vn.claims.ClaimsProcessorApplication",
            )
        ]
    )
    trace = java_trace(
        "java.net.UnknownHostException: mfgw01: Name or service not known",
        [
            "java.base/java.net.Inet6AddressImpl.lookupAllHostAddr(Native Method)",
            "java.base/java.net.InetAddress.getAllByName0(InetAddress.java:1533)",
            "d.vn.claims.mainframe.MfGatewayClient.policy(MfGatewayClient.java:64)",
            "d.vn.claims.PolicyLookup.resolve(PolicyLookup.java:41)",
        ],
    )
    proc.add(
        loud(
            rng,
            START,
            REL + 1.5,
            total - REL - 2,
            280,
            lambda r: (
                "ERROR",
                f"claim CL-{r.randrange(2026000000, 2026999999)} parked: policy lookup failed (mainframe gateway mfgw01 unreachable)",
                tuple(trace) if r.random() < 0.15 else (),
            ),
        )
    )

    api = LogFile(
        "logs/claims-api.log",
        SpringBoot(
            ("d.vn.claims.api.ClaimController", "d.vn.claims.api.StatusService"), rng=rng, zone=CEST
        ),
    )
    api.add(
        traffic(rng, web_api("claims-api", ["claims", "documents", "policies"]), START, total, 2600)
    )
    api.add(
        loud(
            rng,
            START,
            REL + 20,
            total - REL - 20.5,
            130,
            lambda r: (
                "WARN",
                f"claim CL-{r.randrange(2026000000, 2026999999)} status PARKED for {r.randrange(15, 60)}m, SLA breach warning sent to broker portal",
                (),
            ),
        )
    )

    dns = "\n".join(
        [
            "$ kubectl -n kube-system logs deploy/coredns --since=3h",
            ".:53",
            "[INFO] plugin/reload: Running configuration SHA512 = 591cf328cccc12bc490481273e738df59329c62c0b729d94e8b61db9961c2fa5f046dd37f1cf888b953814040d180f52594972691cd6ff41be96639138a43908",
            "CoreDNS-1.9.3",
            "linux/amd64, go1.18.2, 45b0a11",
            "[ERROR] plugin/errors: 2 8215370196734402933.3960384581273398264. HINFO: read udp 10.244.3.7:41822->10.212.0.2:53: i/o timeout",
            "",
        ]
    )

    routine = routine_events(
        rng,
        ["claims-api", "document-store"],
        12,
        [
            "ip-10-212-8-41.eu-central-1.compute.internal",
            "ip-10-212-9-13.eu-central-1.compute.internal",
        ],
        namespace="claims",
    )
    signal = [
        (
            ago(REL),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/claims-processor",
                "Scaled up replica set claims-processor-7b5d9f6c48 to 3",
            ),
        ),
        (
            ago(REL) - 15,
            (
                "Warning",
                "DNSConfigForming",
                "pod/claims-processor-7b5d9f6c48-kx2wq",
                f"Search Line limits were exceeded, some search paths have been omitted, the applied search line is: {APPLIED}",
            ),
        ),
        (
            ago(REL) - 40,
            (
                "Warning",
                "DNSConfigForming",
                "pod/claims-processor-7b5d9f6c48-p8t4n",
                f"Search Line limits were exceeded, some search paths have been omitted, the applied search line is: {APPLIED}",
            ),
        ),
        (
            ago(REL) - 65,
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/claims-processor",
                "Scaled down replica set claims-processor-59f6c8d7b4 to 0 from 3",
            ),
        ),
        (
            ago(70),
            (
                "Normal",
                "SuccessfulRescale",
                "horizontalpodautoscaler/claims-api",
                "New size: 4; reason: cpu resource utilization (percentage of request) above target",
            ),
        ),
    ]
    events = "$ kubectl -n claims get events --sort-by=.lastTimestamp\n" + event_listing(
        routine, signal
    )

    return Bundle(
        question="Since about 09:50 CEST almost every new claim ends up PARKED because the mainframe policy lookup fails. What is the root cause?",
        category="dns",
        component="claims-processor",
        statement="claims-processor 5.2.0 added four dnsConfig search domains; kubelet appends them after the cluster and node domains and truncates the search line at six, dropping mf.versicherung-nord.de, so the short name mfgw01 no longer resolves (DNSConfigForming) and policy lookups fail.",
        files={
            "kubectl-claims-processor-pod.txt": config(),
            "kubectl-get-events.txt": events,
            "kubectl-logs-coredns.txt": dns,
            proc.name: proc.render(),
            api.name: api.render(),
        },
        proofs=[
            Proof(
                "kubectl-get-events.txt", "claims-processor-7b5d9f6c48-kx2wq   Search Line limits"
            ),
            Proof(
                "kubectl-claims-processor-pod.txt",
                "        searches:",
                "- batch.versicherung-nord.de",
            ),
            Proof("kubectl-claims-processor-pod.txt", f"search {APPLIED}"),
        ],
        decoys=["HINFO: read udp", "Thread starvation or clock leap", "SuccessfulRescale"],
    )
