# ruff: noqa: E501
# Log lines, kubectl output and YAML are data, kept whole on one line.
"""Kubernetes (EKS, Europe/Dublin): at 18:47 UTC worker ip-10-31-44-7 stopped reporting (its kubelet
hung after an EBS volume detach stall). Pods on it go Terminating after the 5-minute toleration,
but a StatefulSet never creates a replacement while its old pod object still exists, so
orders-zk-1 stays Terminating on the unreachable node; the ZooKeeper ensemble runs on two of three
and when orders-zk-2 restarts for a routine config reload at 19:20 it loses quorum and the orders
Kafka brokers cannot register. Decoys: a ZooKeeper fsync WARN, an aws-node IPAM WARN, and a Kafka
under-replicated partition INFO before the outage."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events
from records import Log4j
from scenes import at, loud
from traffic import traffic, worker

START = datetime(2026, 9, 23, 18, 20, tzinfo=UTC)
NOW = datetime(2026, 9, 23, 19, 45, tzinfo=UTC)
LOST = 27.0
QUORUM = 60.5
NODE = "ip-10-31-44-7.eu-west-1.compute.internal"


def kubectl_text() -> str:
    return f"""$ kubectl get nodes
NAME                                         STATUS     ROLES    AGE   VERSION
ip-10-31-40-212.eu-west-1.compute.internal   Ready      <none>   19d   v1.30.4-eks-a737599
ip-10-31-42-95.eu-west-1.compute.internal    Ready      <none>   19d   v1.30.4-eks-a737599
{NODE}    NotReady   <none>   19d   v1.30.4-eks-a737599

$ kubectl describe node {NODE} | sed -n '/Conditions:/,/Addresses:/p'
Conditions:
  Type             Status    LastHeartbeatTime                 LastTransitionTime                Reason              Message
  ----             ------    -----------------                 ------------------                ------              -------
  MemoryPressure   Unknown   Wed, 23 Sep 2026 18:46:52 +0000   Wed, 23 Sep 2026 18:47:36 +0000   NodeStatusUnknown   Kubelet stopped posting node status.
  DiskPressure     Unknown   Wed, 23 Sep 2026 18:46:52 +0000   Wed, 23 Sep 2026 18:47:36 +0000   NodeStatusUnknown   Kubelet stopped posting node status.
  PIDPressure      Unknown   Wed, 23 Sep 2026 18:46:52 +0000   Wed, 23 Sep 2026 18:47:36 +0000   NodeStatusUnknown   Kubelet stopped posting node status.
  Ready            Unknown   Wed, 23 Sep 2026 18:46:52 +0000   Wed, 23 Sep 2026 18:47:36 +0000   NodeStatusUnknown   Kubelet stopped posting node status.
Addresses:

$ kubectl -n orders get pods -o wide -l app=orders-zk
NAME          READY   STATUS        RESTARTS   AGE   IP             NODE                                         NOMINATED NODE   READINESS GATES
orders-zk-0   1/1     Running       0          19d   10.31.40.33    ip-10-31-40-212.eu-west-1.compute.internal   <none>           <none>
orders-zk-1   1/1     Terminating   0          19d   10.31.44.150   {NODE}    <none>           <none>
orders-zk-2   0/1     Running       1          19d   10.31.42.18    ip-10-31-42-95.eu-west-1.compute.internal    <none>           <none>

$ kubectl -n orders get sts orders-zk
NAME        READY   AGE
orders-zk   1/3     402d
"""


def bundle() -> Bundle:
    rng = random.Random(50809)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    zk = LogFile(
        "logs/orders-zk-2.log",
        Log4j(
            (
                "org.apache.zookeeper.server.quorum.QuorumPeer",
                "org.apache.zookeeper.server.NIOServerCnxn",
            ),
            threads="QuorumPeer[myid=3]",
            rng=rng,
        ),
    )
    zk.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"Processing ruok command from /10.31.{r.randrange(40, 45)}.{r.randrange(2, 250)}:{r.randrange(30000, 60000)}",
                (),
            ),
            START,
            total,
            1200,
        )
    )
    zk.add(
        [
            at(
                START,
                12.0,
                "WARN",
                "fsync-ing the write ahead log in SyncThread:3 took 1240ms which will adversely effect operation latency.",
                logger="org.apache.zookeeper.server.persistence.FileTxnLog",
            ),
            at(
                START,
                LOST + 0.2,
                "WARN",
                "Cannot open channel to 2 at election address orders-zk-1.orders-zk-hs.orders.svc.cluster.local/10.31.44.150:3888",
                trailer=["java.net.SocketTimeoutException: connect timed out"],
                logger="org.apache.zookeeper.server.quorum.QuorumCnxManager",
            ),
            at(
                START,
                QUORUM - 0.4,
                "INFO",
                "Received signal TERM (config reload), shutting down",
                logger="org.apache.zookeeper.server.ZooKeeperServerMain",
            ),
            at(
                START,
                QUORUM,
                "INFO",
                "LOOKING",
                logger="org.apache.zookeeper.server.quorum.QuorumPeer",
            ),
        ]
    )
    zk.add(
        loud(
            rng,
            START,
            QUORUM + 0.2,
            total - QUORUM - 0.5,
            150,
            lambda r: (
                "INFO",
                "Notification time out: 60000 (n.leader, n.zxid, n.round), LOOKING (my state), 2 votes, need 2 of 3 with orders-zk-1 unreachable",
                (),
            ),
        )
    )
    kafka = LogFile(
        "logs/orders-kafka-0.log",
        Log4j(
            ("kafka.server.ReplicaFetcherThread", "kafka.zookeeper.ZooKeeperClient"),
            threads="kafka-request-handler",
            rng=rng,
        ),
    )
    kafka.add(
        traffic(rng, worker("orders-kafka", ["orders.created", "orders.paid"]), START, total, 1500)
    )
    kafka.add(
        [
            at(
                START,
                18.0,
                "INFO",
                "[Partition orders.paid-4 broker=0] Shrinking ISR from 0,1,2 to 0,2. Leader: (highWatermark: 8812234, endOffset: 8812240).",
            )
        ]
    )
    kafka.add(
        loud(
            rng,
            START,
            QUORUM + 1,
            total - QUORUM - 1.5,
            200,
            lambda r: (
                "ERROR",
                "[ZooKeeperClient Kafka server] Unable to connect to zookeeper server within timeout: 18000 ms; session expired, broker registration lost",
                (),
            ),
        )
    )
    routine = routine_events(
        rng,
        ["orders-api", "orders-kafka"],
        12,
        ["ip-10-31-40-212.eu-west-1.compute.internal", "ip-10-31-42-95.eu-west-1.compute.internal"],
        namespace="orders",
    )
    signal = [
        (ago(LOST + 0.6), ("Normal", "NodeNotReady", "pod/orders-zk-1", "Node is not ready")),
        (
            ago(LOST + 5.7),
            (
                "Normal",
                "TaintManagerEviction",
                "pod/orders-zk-1",
                "Marking for deletion Pod orders/orders-zk-1",
            ),
        ),
        (
            ago(40),
            (
                "Warning",
                "MissingIAMPermissions",
                "pod/aws-node-8qz2m",
                "IPAMD: unable to describe ENI eni-0c1f tags (throttled), retrying",
            ),
        ),
    ]
    events = "$ kubectl -n orders get events --sort-by=.lastTimestamp\n" + event_listing(
        routine, signal
    )
    return Bundle(
        question="Orders stopped being published around 20:21 Irish time: the Kafka brokers say they lost their ZooKeeper session and ZooKeeper has no leader. What is the root cause?",
        category="scheduling",
        component=NODE,
        statement=f"Worker {NODE} went NotReady at 18:47 UTC (kubelet stopped posting status); orders-zk-1 on it is stuck Terminating and the StatefulSet will not replace it, so the ensemble ran on two members and lost quorum when orders-zk-2 restarted at 19:20, taking the Kafka brokers' registrations with it.",
        files={
            "kubectl-output.txt": kubectl_text(),
            "kubectl-get-events.txt": events,
            zk.name: zk.render(),
            kafka.name: kafka.render(),
        },
        proofs=[
            Proof("kubectl-output.txt", f"{NODE}    NotReady"),
            Proof("kubectl-output.txt", "orders-zk-1   1/1     Terminating"),
            Proof("kubectl-output.txt", "  Ready            Unknown"),
        ],
        decoys=[
            "fsync-ing the write ahead log",
            "IPAMD: unable to describe ENI",
            "Shrinking ISR from 0,1,2 to 0,2",
        ],
    )
