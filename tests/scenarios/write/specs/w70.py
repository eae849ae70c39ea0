# ruff: noqa: E501
# Hand-written log lines and kubectl rows are data, kept whole on one line.
"""bookings 5.2.0 relabels its pods `tier=web` while the bookings Service still selects
`tier=api`; the Service has no endpoints and ingress-nginx answers 503 for /api/bookings."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events, table
from records import Record, Zap
from scenes import at, fixed, loud
from traffic import Line, traffic

START = datetime(2025, 2, 6, 16, 0, tzinfo=UTC)
RELEASE_MINUTE = 31.5
NODES = [
    "aks-system-23148866-vmss000000",
    "aks-user-23148866-vmss000001",
    "aks-user-23148866-vmss000002",
    "aks-user-23148866-vmss000004",
]
APPS = ["flights", "hotels", "payments-proxy", "search", "bookings-worker"]


@dataclass
class IngressNginx:
    """ingress-nginx controller output: klog lines and the access log, interleaved."""

    rng: random.Random

    def render(self, record: Record) -> list[str]:
        if record.logger == "klog":
            letter = record.level[0]
            return [
                f"{letter}{record.time.strftime('%m%d %H:%M:%S')}.{record.time.microsecond:06d}       7 {record.message}"
            ]
        client = f"10.224.{self.rng.randrange(0, 4)}.{self.rng.randrange(2, 250)}"
        stamp = record.time.strftime("%d/%b/%Y:%H:%M:%S +0000")
        return [f"{client} - - [{stamp}] {record.message} {self.rng.getrandbits(128):032x}"]


def access_line(rng: random.Random) -> Line:
    service, path, port = rng.choice(
        [
            ("flights", "/api/flights/search?from=LHR&to=JFK", 8080),
            ("hotels", f"/api/hotels/{rng.randrange(10**5)}", 8080),
            ("search", "/api/search?q=rome", 9000),
            ("bookings", f"/api/bookings/{rng.randrange(10**6)}", 8080),
        ]
    )
    status = rng.choices([200, 201, 304, 404], [85, 5, 6, 4])[0]
    upstream = f"10.244.{rng.randrange(1, 5)}.{rng.randrange(2, 250)}:{port}"
    took = rng.randrange(3, 180) / 1000
    return (
        "INFO",
        f'"GET {path} HTTP/2.0" {status} {rng.randrange(90, 9000)} "https://www.example-travel.com/" "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)" {rng.randrange(30, 90)} {took:.3f} [travel-{service}-{port}] [] {upstream} {rng.randrange(90, 9000)} {took:.3f} {status}',
        (),
    )


def bookings_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return (
            "INFO",
            f"served GET /api/bookings/{rng.randrange(10**6)} status=200 duration={rng.randrange(2, 60)}ms",
            (),
        )
    if roll < 0.75:
        return (
            "INFO",
            f"created booking {rng.getrandbits(48):012x} for flight {rng.choice(['BA117', 'LH400', 'AF22', 'DL1'])}",
            (),
        )
    return "DEBUG", "health probe /readyz ok", ()


def services_description() -> str:
    return """Name:                     bookings
Namespace:                travel
Labels:                   app=bookings
                          app.kubernetes.io/managed-by=Helm
Annotations:              meta.helm.sh/release-name: bookings
                          meta.helm.sh/release-namespace: travel
Selector:                 app=bookings,tier=api
Type:                     ClusterIP
IP Family Policy:         SingleStack
IP Families:              IPv4
IP:                       10.0.184.17
IPs:                      10.0.184.17
Port:                     http  8080/TCP
TargetPort:               http/TCP
Endpoints:                <none>
Session Affinity:         None
Internal Traffic Policy:  Cluster
Events:                   <none>

Name:                     flights
Namespace:                travel
Labels:                   app=flights
Annotations:              <none>
Selector:                 app=flights,tier=api
Type:                     ClusterIP
IP Family Policy:         SingleStack
IP Families:              IPv4
IP:                       10.0.92.201
IPs:                      10.0.92.201
Port:                     http  8080/TCP
TargetPort:               http/TCP
Endpoints:                10.244.1.37:8080,10.244.2.19:8080,10.244.4.8:8080
Session Affinity:         None
Internal Traffic Policy:  Cluster
Events:                   <none>
"""


def endpoints() -> str:
    rows = [
        ("bookings", "<none>", "412d"),
        ("bookings-worker", "10.244.2.44:9102", "412d"),
        ("flights", "10.244.1.37:8080,10.244.2.19:8080,10.244.4.8:8080", "412d"),
        ("hotels", "10.244.1.52:8080,10.244.4.61:8080", "380d"),
        ("payments-proxy", "10.244.2.71:8443", "97d"),
        ("search", "10.244.1.90:9000,10.244.2.12:9000 + 1 more...", "412d"),
    ]
    return "\n".join(table(("NAME", "ENDPOINTS", "AGE"), rows)) + "\n"


def pods(rng: random.Random) -> str:
    rows = [
        (
            "bookings-6c8f7d9b54-8rtwz",
            "1/1",
            "Running",
            "0",
            "24m",
            "app=bookings,pod-template-hash=6c8f7d9b54,tier=web,version=5.2.0",
        ),
        (
            "bookings-6c8f7d9b54-k2m9x",
            "1/1",
            "Running",
            "0",
            "23m",
            "app=bookings,pod-template-hash=6c8f7d9b54,tier=web,version=5.2.0",
        ),
        (
            "bookings-6c8f7d9b54-vq4lp",
            "1/1",
            "Running",
            "0",
            "23m",
            "app=bookings,pod-template-hash=6c8f7d9b54,tier=web,version=5.2.0",
        ),
    ]
    for app in [
        "bookings-worker",
        "flights",
        "flights",
        "flights",
        "hotels",
        "hotels",
        "payments-proxy",
        "search",
        "search",
        "search",
    ]:
        hash_ = f"{rng.getrandbits(40):010x}"[:10]
        tier = "worker" if app == "bookings-worker" else "api"
        rows.append(
            (
                f"{app}-{hash_}-{rng.getrandbits(20):05x}",
                "1/1",
                "Running",
                str(rng.choice([0, 0, 0, 1, 2])),
                f"{rng.randrange(1, 40)}d",
                f"app={app},pod-template-hash={hash_},tier={tier},version={rng.randrange(1, 5)}.{rng.randrange(20)}.{rng.randrange(9)}",
            )
        )
    rows.sort()
    return "\n".join(table(("NAME", "READY", "STATUS", "RESTARTS", "AGE", "LABELS"), rows)) + "\n"


def bundle() -> Bundle:
    rng = random.Random(170)
    controller = LogFile("ingress-nginx-controller.log", IngressNginx(rng))
    controller.add(traffic(rng, access_line, START, 56, 3600))
    controller.add(
        [
            at(
                START,
                RELEASE_MINUTE + 0.4,
                "WARN",
                'controller.go:1214] Service "travel/bookings" does not have any active Endpoint.',
                logger="klog",
            ),
            at(
                START,
                RELEASE_MINUTE + 0.45,
                "INFO",
                'controller.go:190] "Configuration changes detected, backend reload required"',
                logger="klog",
            ),
            at(
                START,
                RELEASE_MINUTE + 0.5,
                "INFO",
                'controller.go:210] "Backend successfully reloaded"',
                logger="klog",
            ),
        ]
    )
    controller.add(
        loud(
            rng,
            START,
            RELEASE_MINUTE + 0.5,
            24,
            512,
            fixed(
                "ERROR",
                lambda r: (
                    f'"{r.choice(["GET", "GET", "POST"])} /api/bookings/{r.randrange(10**6)} HTTP/2.0" 503 190 "https://www.example-travel.com/" "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X)" {r.randrange(30, 90)} 0.000 [travel-bookings-8080] [] - - - -'
                ),
            ),
        )
    )
    controller.add(
        loud(
            rng,
            START,
            RELEASE_MINUTE + 1,
            23,
            44,
            fixed(
                "WARN",
                lambda r: (
                    f'"GET /api/search?q={r.choice(["rome", "paris", "lisbon"])} HTTP/2.0" 499 0 "-" "okhttp/4.12.0" 61 {r.randrange(5, 9)}.{r.randrange(1000):03d} [travel-search-9000] [] 10.244.1.90:9000 0 {r.randrange(5, 9)}.{r.randrange(1000):03d} -'
                ),
            ),
        )
    )
    app = LogFile(
        "bookings.log",
        Zap(("server/http.go:88", "booking/create.go:141", "health/probe.go:22"), rng=rng),
    )
    app.add(traffic(rng, bookings_line, START, RELEASE_MINUTE, 1400))
    app.add(traffic(rng, lambda r: ("DEBUG", "health probe /readyz ok", ()), START, 56, 640))
    app.add(
        [
            at(
                START,
                RELEASE_MINUTE + 0.2,
                "INFO",
                "bookings 5.2.0 (commit 9be41c7) listening on :8080",
            )
        ]
    )
    app.add(
        loud(
            rng,
            START,
            RELEASE_MINUTE + 1,
            23,
            58,
            fixed(
                "WARN",
                lambda r: (
                    f"pgx pool: acquire took {r.randrange(200, 900)}ms (stat: total=20 idle=20 acquired=0)"
                ),
            ),
        )
    )
    routine = routine_events(rng, APPS, 420, NODES, namespace="travel")
    signal = [
        (
            1460,
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/bookings",
                "Scaled up replica set bookings-6c8f7d9b54 to 1",
            ),
        ),
        (
            1440,
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/bookings",
                "Scaled down replica set bookings-5d4b8c7f69 to 2 from 3",
            ),
        ),
        (
            1420,
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/bookings",
                "Scaled down replica set bookings-5d4b8c7f69 to 0 from 1",
            ),
        ),
        (
            1300,
            (
                "Warning",
                "FailedGetResourceMetric",
                "horizontalpodautoscaler/bookings",
                "failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API",
            ),
        ),
        (
            820,
            (
                "Warning",
                "Unhealthy",
                "pod/search-7b5d9c8f6d-x8r2m",
                'Readiness probe failed: Get "http://10.244.1.90:9000/ready": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
            ),
        ),
    ]
    return Bundle(
        question="Since the 16:30 UTC bookings deploy, www.example-travel.com/api/bookings returns 503 on every call although all bookings pods are Running and Ready. Why?",
        category="configuration",
        component="bookings",
        statement="The bookings Service still selects app=bookings,tier=api but the 5.2.0 pods are labelled tier=web, so the Service has no endpoints and every bookings request fails with 503.",
        files={
            "describe-svc.txt": services_description(),
            "get-ep.txt": endpoints(),
            "get-pods-show-labels.txt": pods(rng),
            "events.txt": event_listing(routine, signal),
            "ingress-nginx-controller.log": controller.render(),
            "bookings.log": app.render(),
        },
        proofs=[
            Proof(
                "describe-svc.txt",
                "Selector:                 app=bookings,tier=api",
                "Endpoints:                <none>",
            ),
            Proof("get-pods-show-labels.txt", "bookings-6c8f7d9b54-8rtwz"),
        ],
        decoys=["pgx pool: acquire took", "Readiness probe failed", "FailedGetResourceMetric"],
    )
