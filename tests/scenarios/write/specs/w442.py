# ruff: noqa: E501
# Log lines, kubectl rows and YAML are data, kept whole on one line.
"""Kubernetes: during Saturday's storage maintenance the `zookeeper` StatefulSet (Parallel pod
management) was moved to the team's own chart and scaled 0 -> 3. The new chart's headless
Service `zookeeper-headless` lacks `publishNotReadyAddresses: true`. A ZooKeeper server is only
Ready once it has a quorum, and until then no peer name resolves (UnknownHostException on the
election port), so no quorum ever forms and the Kafka brokers cannot register: producers fail.
Decoys: a slow fsync warning from before the maintenance, a broker's disk usage warning, and
the PVC resize events of the maintenance itself."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events
from records import Record, SpringBoot
from scenes import at, loud
from traffic import traffic, web_api

START = datetime(2026, 5, 22, 15, 0, tzinfo=UTC)  # Sat 01:00 AEST
NOW = datetime(2026, 5, 22, 17, 40, tzinfo=UTC)
SCALED_UP = 62.0  # 16:02 UTC, 02:02 AEST
FQDN = "zookeeper-{n}.zookeeper-headless.streaming.svc.cluster.local"


@dataclass
class ZkLog:
    myid: int

    def render(self, record: Record) -> list[str]:
        t = record.time
        stamp = t.strftime("%Y-%m-%d %H:%M:%S") + f",{t.microsecond // 1000:03d}"
        thread = record.logger or "main:o.a.z.s.q.QuorumPeer@1420"
        return [
            f"{stamp} [myid:{self.myid}] - {record.level:<5} [{thread}] - {record.message}",
            *record.trailer,
        ]


@dataclass
class KafkaLog:
    def render(self, record: Record) -> list[str]:
        t = record.time
        stamp = t.strftime("%Y-%m-%d %H:%M:%S") + f",{t.microsecond // 1000:03d}"
        return [f"[{stamp}] {record.level} {record.message}", *record.trailer]


def bundle() -> Bundle:
    rng = random.Random(4422)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    zk = LogFile("logs/zookeeper-1.log", ZkLog(2))
    zk.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"Processed session termination for sessionid: 0x{r.getrandbits(60):015x}",
                (),
            ),
            START,
            SCALED_UP - 8,
            300,
            logger="SyncThread:2:o.a.z.s.ZooKeeperServer@616",
        )
    )
    zk.add(
        [
            at(
                START,
                21.5,
                "WARN",
                "fsync-ing the write ahead log in SyncThread:2 took 1312ms which will adversely effect operation latency.File size is 67108880 bytes. See the ZooKeeper troubleshooting guide",
                logger="SyncThread:2:o.a.z.s.SyncRequestProcessor@186",
            )
        ]
    )
    zk.add(
        [
            at(
                START,
                SCALED_UP - 7.5,
                "INFO",
                "shutdown called",
                trailer=[
                    "java.lang.Exception: shutdown Leader! reason: Not sufficient followers synced, only synced with sids: [ 2 ]"
                ],
                logger="QuorumPeer[myid=2](plain=0.0.0.0:2181)(secure=disabled):o.a.z.s.q.Leader@860",
            )
        ]
    )
    zk.add(
        [
            at(
                START,
                SCALED_UP + 0.4,
                "INFO",
                "Reading configuration from: /conf/zoo.cfg",
                logger="main:o.a.z.s.q.QuorumPeerConfig@174",
            )
        ]
    )
    for n in (0, 2):
        name = FQDN.format(n=n)

        def fail(
            r: random.Random, n: int = n, name: str = name
        ) -> tuple[str, str, tuple[str, ...]]:
            return (
                "WARN",
                f"Cannot open channel to {n + 1} at election address {name}:3888",
                (
                    f"java.net.UnknownHostException: {name}",
                    "\tat java.base/java.net.InetAddress$CachedAddresses.get(InetAddress.java:801)",
                    "\tat java.base/java.net.InetAddress.getAllByName0(InetAddress.java:1533)",
                    "\tat org.apache.zookeeper.server.quorum.QuorumCnxManager$QuorumConnectionReqThread.run(QuorumCnxManager.java:402)",
                ),
            )

        zk.add(loud(rng, START, SCALED_UP + 0.6, total - SCALED_UP - 1, 170, fail))
    zk.add(
        loud(
            rng,
            START,
            SCALED_UP + 0.6,
            total - SCALED_UP - 1,
            160,
            lambda r: ("INFO", f"Notification time out: {r.choice([51200, 60000])} ms", ()),
        )
    )
    zk.records = [
        Record(
            r.time,
            r.level,
            r.message,
            r.trailer,
            r.logger
            or (
                "QuorumConnectionThread-[myid=2]-3:o.a.z.s.q.QuorumCnxManager@401"
                if r.level == "WARN"
                else "QuorumPeer[myid=2](plain=0.0.0.0:2181)(secure=disabled):o.a.z.s.q.FastLeaderElection@1024"
            ),
        )
        for r in zk.records
    ]

    kafka = LogFile("logs/kafka-0.log", KafkaLog())
    kafka.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"[LocalLog partition=events-{r.randrange(24)}, dir=/var/lib/kafka/data] Rolled new log segment at offset {r.randrange(10**8)} in {r.randrange(1, 9)} ms. (kafka.log.LocalLog)",
                (),
            ),
            START,
            SCALED_UP - 10,
            700,
        )
    )
    kafka.add(
        [
            at(
                START,
                33.0,
                "WARN",
                "[BrokerLifecycle] Log directory /var/lib/kafka/data usage is 78% (warn at 75%) (kafka.server.LogDirUsageMonitor)",
            )
        ]
    )
    kafka.add(
        [
            at(
                START,
                SCALED_UP + 2.0,
                "INFO",
                "[KafkaServer id=0] starting (kafka.server.KafkaServer)",
            ),
            at(
                START,
                SCALED_UP + 2.02,
                "INFO",
                f"Connecting to zookeeper on {FQDN.format(n=0)}:2181,{FQDN.format(n=1)}:2181,{FQDN.format(n=2)}:2181/kafka (kafka.server.KafkaServer)",
            ),
        ]
    )
    for k in range(8):
        m = SCALED_UP + 2.1 + k * 9.5
        kafka.add(
            [
                at(
                    START,
                    m + 9.0,
                    "ERROR",
                    "Fatal error during KafkaServer startup. Prepare to shutdown (kafka.server.KafkaServer)",
                    trailer=[
                        "kafka.zookeeper.ZooKeeperClientTimeoutException: Timed out waiting for connection while in state: CONNECTING",
                        "\tat kafka.zookeeper.ZooKeeperClient.waitUntilConnected(ZooKeeperClient.scala:254)",
                        "\tat kafka.server.KafkaServer.initZkClient(KafkaServer.scala:498)",
                    ],
                ),
                at(
                    START,
                    m + 9.01,
                    "INFO",
                    "[KafkaServer id=0] shut down completed (kafka.server.KafkaServer)",
                ),
            ]
        )

    orders = LogFile(
        "logs/order-events-producer.log",
        SpringBoot(
            (
                "c.k.orders.OrderController",
                "o.a.k.clients.NetworkClient",
                "c.k.orders.EventPublisher",
            ),
            rng=rng,
        ),
    )
    orders.add(traffic(rng, web_api("order-events-producer", ["orders"]), START, total, 2600))
    orders.add(
        loud(
            rng,
            START,
            SCALED_UP + 1,
            total - SCALED_UP - 2,
            700,
            lambda r: (
                "ERROR",
                f"publish of order {r.randrange(10**7)} failed: org.apache.kafka.common.errors.TimeoutException: Topic order-events not present in metadata after 60000 ms.",
                (),
            ),
        )
    )
    orders.add(
        loud(
            rng,
            START,
            SCALED_UP + 1,
            total - SCALED_UP - 2,
            200,
            lambda r: (
                "WARN",
                f"[Producer clientId=orders-1] Connection to node -{r.randrange(1, 4)} (kafka-{r.randrange(3)}.kafka-headless.streaming.svc.cluster.local/10.244.{r.randrange(1, 6)}.{r.randrange(2, 250)}:9092) could not be established. Node may not be available.",
                (),
            ),
        )
    )

    routine = routine_events(
        rng,
        ["order-events-producer", "schema-registry"],
        10,
        ["gke-stream-pool-2-a1b2", "gke-stream-pool-2-c3d4", "gke-stream-pool-2-e5f6"],
        namespace="streaming",
    )
    signal = [
        (
            ago(SCALED_UP - 20),
            (
                "Normal",
                "FileSystemResizeSuccessful",
                "persistentvolumeclaim/data-zookeeper-1",
                'MountVolume.NodeExpandVolume succeeded for volume "pvc-4b1e2f3a-77c8-4d9e-a0b1-c2d3e4f5a6b7"',
            ),
        ),
        (
            ago(SCALED_UP - 19),
            (
                "Normal",
                "FileSystemResizeSuccessful",
                "persistentvolumeclaim/data-zookeeper-2",
                'MountVolume.NodeExpandVolume succeeded for volume "pvc-9c8d7e6f-5a4b-4c3d-b2e1-f0a9b8c7d6e5"',
            ),
        ),
        (
            ago(SCALED_UP),
            (
                "Normal",
                "SuccessfulCreate",
                "statefulset/zookeeper",
                "create Pod zookeeper-0 in StatefulSet zookeeper successful",
            ),
        ),
        (
            ago(SCALED_UP),
            (
                "Normal",
                "SuccessfulCreate",
                "statefulset/zookeeper",
                "create Pod zookeeper-1 in StatefulSet zookeeper successful",
            ),
        ),
        (
            ago(SCALED_UP),
            (
                "Normal",
                "SuccessfulCreate",
                "statefulset/zookeeper",
                "create Pod zookeeper-2 in StatefulSet zookeeper successful",
            ),
        ),
        (
            ago(SCALED_UP + 3),
            (
                "Warning",
                "Unhealthy",
                "pod/zookeeper-1",
                "Readiness probe failed: This ZooKeeper instance is not currently serving requests",
            ),
        ),
        (
            ago(SCALED_UP + 9),
            (
                "Warning",
                "BackOff",
                "pod/kafka-0",
                "Back-off restarting failed container kafka in pod kafka-0_streaming(8e7d6c5b-4a39-4281-b0f1-e2d3c4b5a697)",
            ),
        ),
    ]
    events = event_listing(routine, signal)

    pod = Pod(
        name="zookeeper-1",
        namespace="streaming",
        node="gke-stream-pool-2-c3d4",
        app="zookeeper",
        controller="StatefulSet/zookeeper",
        labels=[
            "app.kubernetes.io/name=zookeeper",
            "apps.kubernetes.io/pod-index=1",
            "statefulset.kubernetes.io/pod-name=zookeeper-1",
        ],
        ip="10.244.3.41",
        start_time="Fri, 22 May 2026 16:02:07 +0000",
        conditions={
            "Initialized": "True",
            "Ready": "False",
            "ContainersReady": "False",
            "PodScheduled": "True",
        },
        containers=[
            Container(
                name="zookeeper",
                image="europe-docker.pkg.dev/kite-prod/streaming/zookeeper:3.8.4-k2",
                state=["Running", "  Started:      Fri, 22 May 2026 16:02:19 +0000"],
                ready=False,
                limits={"memory": "2Gi"},
                requests={"cpu": "500m", "memory": "2Gi"},
                port="2181/TCP, 2888/TCP, 3888/TCP",
                probes=[
                    "Readiness:  exec [/bin/bash -c echo ruok | nc -w 2 127.0.0.1 2181 | grep imok && echo srvr | nc -w 2 127.0.0.1 2181 | grep -q Mode] delay=10s timeout=5s period=10s #success=1 #failure=3"
                ],
                environment=[
                    "ZOO_SERVERS:  server.1=zookeeper-0.zookeeper-headless.streaming.svc.cluster.local:2888:3888;2181 server.2=zookeeper-1.zookeeper-headless.streaming.svc.cluster.local:2888:3888;2181 server.3=zookeeper-2.zookeeper-headless.streaming.svc.cluster.local:2888:3888;2181"
                ],
            )
        ],
        events=[
            (
                "Warning",
                "Unhealthy",
                "2m (x581 over 97m)",
                "kubelet",
                "Readiness probe failed: This ZooKeeper instance is not currently serving requests",
            )
        ],
    )
    get = "\n".join(
        [
            "$ kubectl -n streaming get sts,pods -l app.kubernetes.io/name=zookeeper",
            "NAME                         READY   AGE",
            "statefulset.apps/zookeeper   0/3     98m",
            "",
            "NAME              READY   STATUS    RESTARTS   AGE",
            "pod/zookeeper-0   0/1     Running   0          98m",
            "pod/zookeeper-1   0/1     Running   0          98m",
            "pod/zookeeper-2   0/1     Running   0          98m",
            "",
            "$ helm -n streaming history zookeeper --max 2",
            "REVISION   UPDATED                    STATUS       CHART                       APP VERSION   DESCRIPTION",
            "11         Tue Mar 10 04:12:55 2026   superseded   bitnami-zookeeper-13.4.7    3.9.2         Upgrade complete",
            "12         Fri May 22 16:01:48 2026   deployed     kite-zookeeper-1.0.0        3.8.4         Upgrade complete",
            "",
            "$ kubectl -n streaming get endpoints zookeeper-headless -o yaml",
            "apiVersion: v1",
            "kind: Endpoints",
            "metadata:",
            "  name: zookeeper-headless",
            "  namespace: streaming",
            "subsets:",
            "- notReadyAddresses:",
            "  - hostname: zookeeper-0",
            "    ip: 10.244.1.87",
            "  - hostname: zookeeper-1",
            "    ip: 10.244.3.41",
            "  - hostname: zookeeper-2",
            "    ip: 10.244.5.12",
            "  ports:",
            "  - name: election",
            "    port: 3888",
            "  - name: follower",
            "    port: 2888",
            "  - name: client",
            "    port: 2181",
            "",
            "$ kubectl -n streaming get svc zookeeper-headless -o yaml",
            "apiVersion: v1",
            "kind: Service",
            "metadata:",
            "  labels:",
            "    app.kubernetes.io/managed-by: Helm",
            "    helm.sh/chart: kite-zookeeper-1.0.0",
            "  name: zookeeper-headless",
            "  namespace: streaming",
            "spec:",
            "  clusterIP: None",
            "  clusterIPs:",
            "  - None",
            "  ports:",
            "  - name: client",
            "    port: 2181",
            "  - name: follower",
            "    port: 2888",
            "  - name: election",
            "    port: 3888",
            "  selector:",
            "    app.kubernetes.io/name: zookeeper",
            "  type: ClusterIP",
            "",
            "$ kubectl -n streaming get sts zookeeper -o jsonpath='{.spec.podManagementPolicy} {.spec.serviceName}{\"\\n\"}'",
            "Parallel zookeeper-headless",
            "",
        ]
    )
    return Bundle(
        question="After Saturday night's storage maintenance (finished about 02:00 AEST) order events can no longer be published: Kafka brokers keep restarting and all three ZooKeeper pods are Running but never Ready. What is the root cause?",
        category="configuration",
        component="zookeeper",
        statement="The zookeeper release moved to kite-zookeeper-1.0.0 at 16:01 UTC, whose headless Service zookeeper-headless lacks publishNotReadyAddresses: true; after the 0->3 restart no ZooKeeper pod is Ready, so no peer's DNS name resolves (UnknownHostException on port 3888), the ensemble never elects a leader and the Kafka brokers time out connecting to ZooKeeper.",
        files={
            "kubectl-get.txt": get,
            "kubectl-describe-pod-zookeeper-1.txt": describe_pod(pod, rng),
            "kubectl-get-events.txt": events,
            zk.name: zk.render(),
            kafka.name: kafka.render(),
            orders.name: orders.render(),
        },
        proofs=[
            Proof("kubectl-get.txt", "12         Fri May 22 16:01:48 2026"),
            Proof("kubectl-get.txt", "- notReadyAddresses:"),
            Proof("kubectl-get.txt", "  clusterIP: None", "  type: ClusterIP"),
        ],
        decoys=[
            "fsync-ing the write ahead log in SyncThread:2 took 1312ms",
            "usage is 78% (warn at 75%)",
            "FileSystemResizeSuccessful",
        ],
    )
