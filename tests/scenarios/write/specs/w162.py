# ruff: noqa: E501
# kubectl YAML, pasted notes and hand-written log lines are data, kept whole on one line.
"""Kubernetes (EKS): chart 1.8.0 of ingest-gateway, rolled out at 10:31 UTC, sets
`hostNetwork: true` so that field devices can send syslog to port 514 on the nodes, but keeps the
default `dnsPolicy: ClusterFirst`; a host-network pod with that policy gets the node's
resolv.conf (the VPC resolver 10.20.0.2), which cannot resolve cluster names. ingest-gateway can
no longer look up its Kafka brokers (`lookup kafka-0.kafka-headless.streaming.svc.cluster.local
on 10.20.0.2:53: no such host`), buffers, then drops events; event-enricher goes idle and the
dashboards go stale. Decoys: CoreDNS's upstream timeouts for an external zone, a Kafka ISR
shrink on broker 2, and event-enricher's idle-poll warnings."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from records import Logfmt, Record, Zap
from scenes import at, fixed, loud
from traffic import Line, traffic, worker

START = datetime(2025, 9, 3, 10, 0, tzinfo=UTC)
NOW = datetime(2025, 9, 3, 11, 12, tzinfo=UTC)
ROLL = 31.0
POD = "ingest-gateway-6f7d8b9c5-hw2rk"


class CoreDNS:
    """CoreDNS's log and errors plugin lines as `kubectl logs --timestamps` shows them."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def render(self, record: Record) -> list[str]:
        stamp = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.")
            + f"{record.time.microsecond:06d}{self.rng.randrange(1000):03d}Z"
        )
        return [f"{stamp} {record.message}"]


def dns_line(rng: random.Random) -> Line:
    names = [
        "kafka-0.kafka-headless.streaming.svc.cluster.local.",
        "kafka-1.kafka-headless.streaming.svc.cluster.local.",
        "schema-registry.streaming.svc.cluster.local.",
        "event-enricher.streaming.svc.cluster.local.",
        "postgres.analytics.svc.cluster.local.",
    ]
    client = f"10.20.{rng.randrange(32, 63)}.{rng.randrange(2, 250)}"
    return (
        "INFO",
        f'[INFO] {client}:{rng.randrange(30000, 60000)} - {rng.randrange(1, 65535)} "A IN {rng.choice(names)} udp {rng.randrange(60, 110)} false 1232" NOERROR qr,aa,rd {rng.randrange(120, 220)} 0.000{rng.randrange(100, 999)}s',
        (),
    )


def gateway_ok(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.7:
        return (
            "info",
            f"batch produced topic=device-events partition={rng.randrange(24)} records={rng.randrange(50, 900)} bytes={rng.randrange(20_000, 400_000)}",
            (),
        )
    if roll < 0.9:
        return (
            "debug",
            f"syslog listener udp/514 received {rng.randrange(300, 2000)} datagrams in last 10s",
            (),
        )
    return (
        "info",
        f"device {rng.getrandbits(32):08x} re-registered from 172.{rng.randrange(16, 31)}.{rng.randrange(256)}.{rng.randrange(1, 255)}",
        (),
    )


def lookup_fail(rng: random.Random) -> Line:
    broker = rng.choice(["kafka-0", "kafka-1", "kafka-2"])
    return (
        "error",
        f"unable to dial broker: dial tcp: lookup {broker}.kafka-headless.streaming.svc.cluster.local on 10.20.0.2:53: no such host",
        (),
    )


def dropping(rng: random.Random) -> Line:
    return (
        "warn",
        f"produce buffer full (262144/262144 records), dropping {rng.randrange(200, 2000)} events from syslog listener",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(1162)
    total = (NOW - START).total_seconds() / 60
    gateway = LogFile(
        f"logs/{POD}.log",
        Zap(("gateway/produce.go:141", "gateway/syslog.go:66", "gateway/devices.go:212"), rng=rng),
    )
    gateway.add(
        [
            at(
                START,
                ROLL + 0.3,
                "INFO",
                "ingest-gateway 1.8.0 starting (commit 2be41c7)",
                logger="cmd/gateway/main.go:38",
            ),
            at(
                START,
                ROLL + 0.31,
                "INFO",
                "syslog listener bound to 0.0.0.0:514/udp and 0.0.0.0:514/tcp",
                logger="gateway/syslog.go:41",
            ),
            at(
                START,
                ROLL + 0.32,
                "INFO",
                "kafka seed brokers: kafka-0.kafka-headless.streaming.svc.cluster.local:9092,kafka-1.kafka-headless.streaming.svc.cluster.local:9092,kafka-2.kafka-headless.streaming.svc.cluster.local:9092",
                logger="gateway/produce.go:77",
            ),
        ]
    )
    gateway.add(
        traffic(
            rng,
            lambda r: ("INFO", gateway_ok(r)[1], ()),
            START + timedelta(minutes=ROLL + 0.4),
            total - ROLL - 0.5,
            900,
        )
    )
    gateway.add(
        loud(
            rng,
            START,
            ROLL + 0.35,
            total - ROLL - 0.5,
            1400,
            lambda r: ("ERROR", lookup_fail(r)[1], ()),
        )
    )
    gateway.add(
        loud(
            rng, START, ROLL + 4.5, total - ROLL - 4.7, 420, lambda r: ("WARN", dropping(r)[1], ())
        )
    )
    coredns = LogFile("logs/coredns.log", CoreDNS(rng))
    coredns.add(traffic(rng, dns_line, START, total, 2600))
    coredns.add(
        loud(
            rng,
            START,
            8.0,
            3.0,
            24,
            fixed(
                "ERROR",
                lambda r: (
                    f"[ERROR] plugin/errors: 2 telemetry.vendor-cloud.example. AAAA: read udp 10.20.41.{r.randrange(2, 250)}:{r.randrange(30000, 60000)}->10.20.0.2:53: i/o timeout"
                ),
            ),
        )
    )
    enricher = LogFile("logs/event-enricher.log", Logfmt("event-enricher", rng=rng))
    enricher.add(traffic(rng, worker("event-enricher", ["device-events"]), START, ROLL + 1.0, 1800))
    enricher.add(
        loud(
            rng,
            START,
            ROLL + 2.0,
            total - ROLL - 2.2,
            140,
            fixed(
                "WARN",
                lambda r: (
                    f"no records fetched from device-events for {r.randrange(30, 300)}s (lag=0), is the producer up?"
                ),
            ),
        )
    )
    enricher.add(
        [
            at(
                START,
                17.2,
                "WARN",
                "kafka: broker 2 reported ISR shrink for device-events-11 from [2,0,1] to [2,0]",
            )
        ]
    )
    pod_yaml = "\n".join(
        [
            f"$ kubectl -n streaming get pod {POD} -o yaml",
            "apiVersion: v1",
            "kind: Pod",
            "metadata:",
            '  creationTimestamp: "2025-09-03T10:31:09Z"',
            "  generateName: ingest-gateway-6f7d8b9c5-",
            "  labels:",
            "    app.kubernetes.io/instance: ingest-gateway",
            "    app.kubernetes.io/name: ingest-gateway",
            "    pod-template-hash: 6f7d8b9c5",
            f"  name: {POD}",
            "  namespace: streaming",
            "  ownerReferences:",
            "  - apiVersion: apps/v1",
            "    blockOwnerDeletion: true",
            "    controller: true",
            "    kind: ReplicaSet",
            "    name: ingest-gateway-6f7d8b9c5",
            "    uid: 4c1f0e7a-93d2-4b58-8e0c-2a7d19b6f3e1",
            "spec:",
            "  containers:",
            "  - env:",
            "    - name: KAFKA_BROKERS",
            "      value: kafka-0.kafka-headless.streaming.svc.cluster.local:9092,kafka-1.kafka-headless.streaming.svc.cluster.local:9092,kafka-2.kafka-headless.streaming.svc.cluster.local:9092",
            "    - name: KAFKA_TOPIC",
            "      value: device-events",
            "    image: 554213870012.dkr.ecr.us-west-2.amazonaws.com/streaming/ingest-gateway:1.8.0",
            "    imagePullPolicy: IfNotPresent",
            "    name: ingest-gateway",
            "    ports:",
            "    - containerPort: 514",
            "      hostPort: 514",
            "      name: syslog-udp",
            "      protocol: UDP",
            "    - containerPort: 514",
            "      hostPort: 514",
            "      name: syslog-tcp",
            "      protocol: TCP",
            "    resources:",
            "      limits:",
            "        memory: 1Gi",
            "      requests:",
            "        cpu: 500m",
            "        memory: 512Mi",
            "  dnsPolicy: ClusterFirst",
            "  enableServiceLinks: true",
            "  hostNetwork: true",
            "  nodeName: ip-10-20-44-153.us-west-2.compute.internal",
            "  nodeSelector:",
            '    node-role/edge-ingest: "true"',
            "  restartPolicy: Always",
            "  schedulerName: default-scheduler",
            "  serviceAccountName: ingest-gateway",
            "  terminationGracePeriodSeconds: 30",
            "status:",
            "  conditions:",
            '  - lastTransitionTime: "2025-09-03T10:31:14Z"',
            '    status: "True"',
            "    type: Ready",
            "  hostIP: 10.20.44.153",
            "  phase: Running",
            "  podIP: 10.20.44.153",
            "  podIPs:",
            "  - ip: 10.20.44.153",
            "  qosClass: Burstable",
            '  startTime: "2025-09-03T10:31:09Z"',
            "",
        ]
    )
    notes = "\n".join(
        [
            "## device telemetry stale (ticket OPS-7719)",
            "",
            "10:40 Grafana 'Fleet live' panels flat since ~10:31. event-enricher says no records.",
            "10:44 ingest-gateway pods are Running 2/2, no restarts. 1.8.0 went out 10:31 (PR #412 'expose syslog on the node, drop the NLB').",
            "10:52 Kafka looks healthy except an ISR shrink on broker 2 earlier this morning; CoreDNS had some i/o timeouts at ~10:08.",
            "",
            "```",
            f"$ kubectl -n streaming exec {POD} -- cat /etc/resolv.conf",
            "search us-west-2.compute.internal",
            "nameserver 10.20.0.2",
            "$ kubectl -n streaming exec event-enricher-84d6f5c7b9-k2xvq -- cat /etc/resolv.conf",
            "search streaming.svc.cluster.local svc.cluster.local cluster.local us-west-2.compute.internal",
            "nameserver 172.20.0.10",
            "options ndots:5",
            "```",
            "",
        ]
    )
    files = {
        "notes.md": notes,
        "kubectl-get-pod-yaml.txt": pod_yaml,
        f"logs/{POD}.log": gateway.render(),
        "logs/coredns.log": coredns.render(),
        "logs/event-enricher.log": enricher.render(),
    }
    return Bundle(
        question="Device telemetry dashboards have been flat since about 10:31 UTC. ingest-gateway pods are Running. What broke?",
        category="dns",
        component="ingest-gateway",
        statement="ingest-gateway 1.8.0 (rolled out 10:31 UTC) runs with hostNetwork: true but dnsPolicy ClusterFirst, so its pods use the node's resolver 10.20.0.2 instead of cluster DNS; the Kafka broker names (kafka-0.kafka-headless.streaming.svc.cluster.local) do not resolve, nothing is produced to device-events and events are dropped.",
        files=files,
        proofs=[
            Proof("kubectl-get-pod-yaml.txt", "  dnsPolicy: ClusterFirst", "  hostNetwork: true"),
            Proof("notes.md", "nameserver 10.20.0.2"),
        ],
        decoys=[
            "telemetry.vendor-cloud.example. AAAA: read udp",
            "reported ISR shrink",
            "no records fetched from device-events",
        ],
    )
