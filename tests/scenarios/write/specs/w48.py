# ruff: noqa: E501
# Hand-written log lines and kubectl rows are data, kept whole on one line.
"""payments' init container waits for a database host that does not exist (the Service is
payments-db); pods stay in Init:0/1, the gateway has no healthy upstream, CoreDNS says NXDOMAIN."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_events, describe_pod, table
from records import KubectlTimestamps, Postgres, Record
from scenes import fixed, loud
from traffic import Line, database_server, traffic

START = datetime(2025, 3, 14, 10, 0, tzinfo=UTC)
WRONG_HOST = "payments-postgres.payments.svc.cluster.local"
POD = "payments-7d5c9f8b6-h4k2p"


@dataclass
class EnvoyAccess:
    """Envoy's default access log format."""

    rng: random.Random

    def render(self, record: Record) -> list[str]:
        stamp = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond // 1000:03d}Z"
        )
        return [
            f'[{stamp}] {record.message} "{self.rng.getrandbits(32):08x}-{self.rng.getrandbits(16):04x}-{self.rng.getrandbits(16):04x}-{self.rng.getrandbits(64):016x}"'
        ]


@dataclass
class CoreDns:
    """CoreDNS's log plugin: `[INFO] client - id "type class name proto size do bufsize" rcode flags rsize duration`."""

    def render(self, record: Record) -> list[str]:
        return [f"[{record.level}] {record.message}"]


def gateway_line(rng: random.Random) -> Line:
    route = rng.choice(
        [
            ("GET /v1/catalog/items", "catalog"),
            ("GET /v1/cart", "cart"),
            ("POST /v1/cart/items", "cart"),
            ("GET /v1/account", "accounts"),
        ]
    )
    return (
        "INFO",
        f'"{route[0]} HTTP/1.1" 200 - via_upstream - "-" {rng.randrange(0, 900)} {rng.randrange(200, 9000)} {rng.randrange(1, 80)} {rng.randrange(1, 80)} "10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}" "okhttp/4.12.0"',
        (),
    )


def dns_line(rng: random.Random) -> Line:
    client = f"10.244.{rng.randrange(1, 6)}.{rng.randrange(2, 250)}:{rng.randrange(30000, 60000)}"
    query_id = rng.randrange(1, 65535)
    roll = rng.random()
    if roll < 0.6:
        name = rng.choice(
            [
                "catalog.shop.svc.cluster.local.",
                "cart.shop.svc.cluster.local.",
                "redis.shop.svc.cluster.local.",
                "accounts.shop.svc.cluster.local.",
                "payments-db.payments.svc.cluster.local.",
                "kafka-0.kafka-headless.data.svc.cluster.local.",
            ]
        )
        return (
            "INFO",
            f'{client} - {query_id} "{rng.choice(["A", "AAAA"])} IN {name} udp {len(name) + 18} false 512" NOERROR qr,aa,rd {rng.randrange(100, 200)} 0.000{rng.randrange(80, 400)}s',
            (),
        )
    if roll < 0.9:
        name = rng.choice(
            ["api.stripe.com", "sqs.eu-central-1.amazonaws.com", "o123456.ingest.sentry.io"]
        ) + rng.choice([".shop.svc.cluster.local.", ".svc.cluster.local.", ".cluster.local."])
        return (
            "INFO",
            f'{client} - {query_id} "A IN {name} udp {len(name) + 18} false 512" NXDOMAIN qr,aa,rd {rng.randrange(140, 180)} 0.000{rng.randrange(80, 400)}s',
            (),
        )
    name = rng.choice(
        ["api.stripe.com.", "sqs.eu-central-1.amazonaws.com.", "o123456.ingest.sentry.io."]
    )
    return (
        "INFO",
        f'{client} - {query_id} "A IN {name} udp {len(name) + 18} false 1232" NOERROR qr,rd,ra {rng.randrange(80, 300)} 0.0{rng.randrange(10, 40)}s',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(148)
    init_start = START + timedelta(minutes=2, seconds=14, milliseconds=318)
    init_log = LogFile("logs-wait-for-db.txt", KubectlTimestamps())
    dns = LogFile("coredns.log", CoreDns())
    dns.add(traffic(rng, dns_line, START, 30, 2600))
    for attempt in range(int(27.5 * 60 / 2.05)):
        time = init_start + timedelta(seconds=attempt * 2.05, microseconds=rng.randrange(0, 900))
        init_log.add(
            [
                Record(time, "INFO", f"nc: bad address '{WRONG_HOST}'"),
                Record(
                    time + timedelta(milliseconds=2),
                    "INFO",
                    f"waiting for database {WRONG_HOST}:5432 ...",
                ),
            ]
        )
        if attempt % 3 == 0:
            for suffix in ["payments.svc.cluster.local.", "svc.cluster.local.", "cluster.local."]:
                name = f"{WRONG_HOST}.{suffix}"
                dns.add(
                    [
                        Record(
                            time - timedelta(milliseconds=1),
                            "INFO",
                            f'10.244.4.63:{rng.randrange(30000, 60000)} - {rng.randrange(1, 65535)} "A IN {name} udp {len(name) + 18} false 512" NXDOMAIN qr,aa,rd {len(name) + 110} 0.000{rng.randrange(80, 300)}s',
                        )
                    ]
                )
            dns.add(
                [
                    Record(
                        time,
                        "INFO",
                        f'10.244.4.63:{rng.randrange(30000, 60000)} - {rng.randrange(1, 65535)} "A IN {WRONG_HOST}. udp 62 false 512" NXDOMAIN qr,aa,rd 155 0.000{rng.randrange(80, 300)}s',
                    )
                ]
            )
    gateway = LogFile("envoy-access.log", EnvoyAccess(rng))
    gateway.add(traffic(rng, gateway_line, START, 30, 2300))
    gateway.add(
        loud(
            rng,
            START,
            2.2,
            27.6,
            640,
            fixed(
                "INFO",
                lambda r: (
                    f'"POST /v1/payments HTTP/1.1" 503 UH no_healthy_upstream - "-" {r.randrange(200, 900)} 19 0 - "10.{r.randrange(256)}.{r.randrange(256)}.{r.randrange(1, 255)}" "okhttp/4.12.0"'
                ),
            ),
        )
    )
    database = LogFile("payments-db.log", Postgres(rng))
    database.add(traffic(rng, database_server(), START, 30, 820))
    database.add(
        loud(
            rng,
            START,
            5,
            25,
            150,
            fixed(
                "FATAL",
                lambda r: (
                    f'password authentication failed for user "reporting" (connection from 10.244.2.{r.randrange(10, 20)})'
                ),
            ),
        )
    )
    init = Container(
        name="wait-for-db",
        image="busybox:1.36",
        state=["Running", "  Started:      Fri, 14 Mar 2025 10:02:14 +0000"],
        ready=False,
        environment=[f"DB_HOST:  {WRONG_HOST}", "DB_PORT:  5432"],
        port="<none>",
    )
    app = Container(
        name="payments",
        image="registry.example.com/payments/payments:4.1.0",
        state=["Waiting", "  Reason:       PodInitializing"],
        ready=False,
        limits={"cpu": "1", "memory": "768Mi"},
        requests={"cpu": "200m", "memory": "512Mi"},
        probes=[
            "Readiness:    http-get http://:8080/healthz delay=5s timeout=1s period=10s #success=1 #failure=3"
        ],
        environment=[
            "DB_HOST:      <set to the key 'DB_HOST' of config map 'payments-config'>  Optional: false",
            "DB_PASSWORD:  <set to the key 'password' in secret 'payments-db-credentials'>  Optional: false",
        ],
    )
    pod = Pod(
        name=POD,
        namespace="payments",
        node="gke-prod-pool-2-5c1e",
        app="payments",
        containers=[app],
        init_containers=[init],
        status="Pending",
        ip="10.244.4.63",
        start_time="Fri, 14 Mar 2025 10:02:11 +0000",
        service_account="payments",
        conditions={
            "Initialized": "False",
            "Ready": "False",
            "ContainersReady": "False",
            "PodScheduled": "True",
        },
        events=[
            (
                "Normal",
                "Scheduled",
                "28m",
                "default-scheduler",
                f"Successfully assigned payments/{POD} to gke-prod-pool-2-5c1e",
            ),
            (
                "Normal",
                "Pulled",
                "28m",
                "kubelet",
                'Container image "busybox:1.36" already present on machine',
            ),
            ("Normal", "Created", "28m", "kubelet", "Created container wait-for-db"),
            ("Normal", "Started", "28m", "kubelet", "Started container wait-for-db"),
        ],
    )
    services = table(
        ("NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"),
        [
            ("payments", "ClusterIP", "10.12.40.17", "<none>", "8080/TCP", "31m"),
            ("payments-db", "ClusterIP", "10.12.33.201", "<none>", "5432/TCP", "3d"),
            ("payments-db-hl", "ClusterIP", "None", "<none>", "5432/TCP", "3d"),
        ],
    )
    pods = table(
        ("NAME", "READY", "STATUS", "RESTARTS", "AGE"),
        [
            (POD, "0/1", "Init:0/1", "0", "28m"),
            ("payments-7d5c9f8b6-p9w6m", "0/1", "Init:0/1", "0", "28m"),
            ("payments-7d5c9f8b6-zx4rt", "0/1", "Init:0/1", "0", "28m"),
            ("payments-db-0", "1/1", "Running", "0", "3d"),
        ],
    )
    deployment_events = "\n".join(
        [
            "Name:                   payments",
            "Namespace:              payments",
            "Replicas:               3 desired | 3 updated | 3 total | 0 available | 3 unavailable",
            "Conditions:",
            *table(
                ("Type", "Status", "Reason"),
                [
                    ("----", "------", "------"),
                    ("Available", "False", "MinimumReplicasUnavailable"),
                    ("Progressing", "False", "ProgressDeadlineExceeded"),
                ],
                indent="  ",
            ),
            "NewReplicaSet:   payments-7d5c9f8b6 (3/3 replicas created)",
            *describe_events(
                [
                    (
                        "Normal",
                        "ScalingReplicaSet",
                        "28m",
                        "deployment-controller",
                        "Scaled up replica set payments-7d5c9f8b6 to 3",
                    )
                ]
            ),
        ]
    )
    return Bundle(
        question="payments was moved to its own namespace this morning and every payment now fails with 503 (no_healthy_upstream). What is wrong?",
        category="configuration",
        component="payments",
        statement=f"payments' wait-for-db init container is configured with DB_HOST {WRONG_HOST}, a Service that does not exist (the database Service is payments-db), so it loops forever and the pods never leave Init:0/1.",
        files={
            "describe-pod.txt": describe_pod(pod, rng),
            "logs-wait-for-db.txt": init_log.render(),
            "get-pods.txt": "\n".join(pods) + "\n",
            "get-svc.txt": "\n".join(services) + "\n",
            "describe-deployment.txt": deployment_events + "\n",
            "coredns.log": dns.render(),
            "envoy-access.log": gateway.render(),
            "payments-db.log": database.render(),
        },
        proofs=[
            Proof("describe-pod.txt", f"DB_HOST:  {WRONG_HOST}"),
            Proof("get-svc.txt", "payments-db    "),
            Proof("logs-wait-for-db.txt", "2025-03-14T10:02:14.318", "waiting for database"),
        ],
        decoys=[
            "no_healthy_upstream",
            'password authentication failed for user "reporting"',
            "ProgressDeadlineExceeded",
        ],
    )
