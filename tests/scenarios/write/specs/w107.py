# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Train-Ticket RE2, disk I/O hog in the ts-contacts-service container: its `diskio` series
jumps from a few hundred KB/s to about 180 MB/s, its p90 climbs a few seconds later, and
ts-preserve-service's calls to it start timing out, so booking fails. The loud part is
ts-preserve-service's read timeouts and ts-ui-dashboard's 504s; ts-seat-service had a short CPU
spike ten minutes earlier and ts-order-service logs a HikariCP housekeeper warning."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, usual_series, wide_csv
from records import NginxError, SpringBoot
from scenes import at, fixed, java_trace, loud
from traffic import Line, traffic

START = datetime(2024, 7, 9, 2, 10, tzinfo=UTC)
STEP = 1
POINTS = 30 * 60
FAULT = 14 * 60 + 23
TRIPS = ["G1234", "G1235", "D1345", "Z1236", "T1235", "K1345", "G1237"]
STATIONS = ["shanghai", "beijing", "nanjing", "suzhou", "taiyuan", "shijiazhuang", "wuxi"]


def uuid(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-{rng.choice('89ab')}{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"


def preserve_line(rng: random.Random) -> Line:
    roll = rng.random()
    order = uuid(rng)
    if roll < 0.25:
        return (
            "INFO",
            f"[preserve][Step 1][Check Security][Check Security Result: Success][AccountId: {uuid(rng)}]",
            (),
        )
    if roll < 0.45:
        return "INFO", f"[preserve][Step 2][Find contacts][Contacts Id: {uuid(rng)}]", ()
    if roll < 0.6:
        return (
            "INFO",
            f"[preserve][Step 3][Check tickets num][TripId: {rng.choice(TRIPS)}][Seat class: {rng.choice([2, 3])}]",
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            f"[preserve][Step 4][Do Order][Order Id: {order}][Order Price: {rng.randrange(50, 900)}.0]",
            (),
        )
    if roll < 0.95:
        return (
            "INFO",
            f"[preserve][Step 5][Buy Assurance][Order Id: {order}][Assurance type: {rng.choice([0, 1])}]",
            (),
        )
    return (
        "WARN",
        f"[preserve][Step 6][Buy Food][Order Id: {order}][Food buy failed: food not available on trip {rng.choice(TRIPS)}]",
        (),
    )


def contacts_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.55:
        return (
            "INFO",
            f"[findContactsByAccountId][Query Contacts][Result Size: {rng.randrange(1, 6)}][AccountId: {uuid(rng)}]",
            (),
        )
    if roll < 0.85:
        return (
            "INFO",
            f"[getContactsByContactsId][Find Contacts][ContactsId: {uuid(rng)}][Found: true]",
            (),
        )
    return "INFO", f"[createContacts][Create Contacts Success][AccountId: {uuid(rng)}]", ()


def order_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return (
            "INFO",
            f"[queryOrders][Query Orders for refresh][AccountId: {uuid(rng)}][Orders Size: {rng.randrange(0, 14)}]",
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            f"[create][Create Order][Order Id: {uuid(rng)}][TrainNumber: {rng.choice(TRIPS)}]",
            (),
        )
    return (
        "INFO",
        f"[getSoldTickets][Left ticket info][Date: 2024-07-1{rng.randrange(0, 9)}][TripId: {rng.choice(TRIPS)}][Sold: {rng.randrange(0, 80)}]",
        (),
    )


def preserve_timeout(rng: random.Random) -> Line:
    return (
        "ERROR",
        f'[preserve][Step 2][Find contacts failed][AccountId: {uuid(rng)}] I/O error on GET request for "http://ts-contacts-service:12347/api/v1/contactservice/contacts/{uuid(rng)}": Read timed out; nested exception is java.net.SocketTimeoutException: Read timed out',
        tuple(
            java_trace(
                'org.springframework.web.client.ResourceAccessException: I/O error on GET request for "http://ts-contacts-service:12347/api/v1/contactservice/contacts": Read timed out',
                [
                    "org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:785)",
                    "org.springframework.web.client.RestTemplate.execute(RestTemplate.java:711)",
                    "org.springframework.web.client.RestTemplate.exchange(RestTemplate.java:602)",
                    "preserve.service.PreserveServiceImpl.getContactsById(PreserveServiceImpl.java:412)",
                    "preserve.service.PreserveServiceImpl.preserve(PreserveServiceImpl.java:91)",
                ],
                [
                    "java.net.SocketTimeoutException: Read timed out",
                    "java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:288)",
                ],
                more=61,
            )
        ),
    )


def dashboard_error(rng: random.Random) -> Line:
    client = f"10.244.{rng.randrange(1, 6)}.{rng.randrange(2, 250)}"
    return (
        "ERROR",
        f'upstream timed out (110: Connection timed out) while reading response header from upstream, client: {client}, server: localhost, request: "POST /api/v1/preserveservice/preserve HTTP/1.1", upstream: "http://10.96.{rng.randrange(10, 200)}.{rng.randrange(2, 250)}:14568/api/v1/preserveservice/preserve", host: "ts-ui-dashboard:8080", referrer: "http://ts-ui-dashboard:8080/client_ticket_book.html"',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(1107)
    broke = FAULT / 60 + 0.15
    preserve = LogFile(
        "logs/ts-preserve-service.log",
        SpringBoot(
            ("preserve.service.PreserveServiceImpl", "preserve.controller.PreserveController"),
            rng=rng,
        ),
    )
    preserve.add(traffic(rng, preserve_line, START, 30, 2300))
    preserve.add(loud(rng, START, broke, 15.5, 340, preserve_timeout))
    contacts = LogFile(
        "logs/ts-contacts-service.log",
        SpringBoot(
            ("contacts.service.ContactsServiceImpl", "contacts.controller.ContactsController"),
            rng=rng,
        ),
    )
    contacts.add(traffic(rng, contacts_line, START, 30, 1900))
    order = LogFile(
        "logs/ts-order-service.log",
        SpringBoot(
            (
                "order.service.OrderServiceImpl",
                "order.controller.OrderController",
                "com.zaxxer.hikari.pool.HikariPool",
            ),
            rng=rng,
        ),
    )
    order.add(traffic(rng, order_line, START, 30, 1500))
    order.add(
        [
            at(
                START,
                4.6,
                "WARN",
                "HikariPool-1 - Thread starvation or clock leap detected (housekeeper delta=1m7s314ms).",
                logger="com.zaxxer.hikari.pool.HikariPool",
            ),
            at(
                START,
                21.3,
                "WARN",
                "HikariPool-1 - Thread starvation or clock leap detected (housekeeper delta=58s902ms).",
                logger="com.zaxxer.hikari.pool.HikariPool",
            ),
        ]
    )
    dashboard = LogFile("logs/ts-ui-dashboard-error.log", NginxError(rng=rng))
    dashboard.add(loud(rng, START, broke + 0.4, 15.2, 210, dashboard_error))
    dashboard.add(
        loud(
            rng,
            START,
            0.5,
            29,
            9,
            fixed(
                "WARN",
                lambda r: (
                    f'an upstream response is buffered to a temporary file /var/cache/nginx/proxy_temp/{r.randrange(1, 9)}/{r.randrange(10, 99)}/00000{r.randrange(1000, 9999)} while reading upstream, client: 10.244.{r.randrange(1, 6)}.{r.randrange(2, 250)}, server: localhost, request: "GET /api/v1/trainservice/trains HTTP/1.1"'
                ),
            ),
        )
    )

    levels = {
        "ts-ui-dashboard": (0.081, 112, (0.0211, 0.0893), 41.2, 0.21),
        "ts-preserve-service": (0.114, 603, (0.1124, 0.2851), 3.1, 0.18),
        "ts-contacts-service": (0.046, 488, (0.0067, 0.0192), 9.7, 0.34),
        "ts-order-service": (0.092, 571, (0.0187, 0.0611), 12.8, 0.52),
        "ts-seat-service": (0.071, 512, (0.0311, 0.0904), 7.4, 0.16),
        "ts-travel-service": (0.104, 534, (0.0412, 0.1218), 18.3, 0.19),
        "ts-ticketinfo-service": (0.063, 466, (0.0285, 0.0734), 18.1, 0.12),
        "ts-security-service": (0.028, 441, (0.0133, 0.0402), 3.1, 0.11),
        "ts-food-service": (0.031, 452, (0.0221, 0.0657), 2.6, 0.14),
        "ts-assurance-service": (0.019, 418, (0.0071, 0.0188), 2.9, 0.09),
        "ts-auth-service": (0.054, 497, (0.0402, 0.1032), 6.2, 0.15),
        "ts-station-service": (0.067, 459, (0.0046, 0.0151), 36.8, 0.13),
    }
    services = {}
    for name, (cpu, memory, latency, workload, diskio) in levels.items():
        services[name] = usual_series(rng, cpu, memory, latency, workload, diskio=diskio)
    contacts_series = services["ts-contacts-service"]
    contacts_series["diskio"] = shift(rng, 0.34, 183.6, FAULT, 0.09, ramp=2)
    contacts_series["cpu"] = shift(rng, 0.046, 0.118, FAULT + 1, 0.1)
    contacts_series["latency-50"] = shift(rng, 0.0067, 0.4819, FAULT + 4, 0.2, ramp=6)
    contacts_series["latency-90"] = shift(rng, 0.0192, 3.1057, FAULT + 4, 0.25, ramp=6)
    contacts_series["workload"] = shift(rng, 9.7, 5.2, FAULT + 8, 0.1)
    services["ts-preserve-service"]["latency-50"] = shift(
        rng, 0.1124, 2.8842, FAULT + 7, 0.15, ramp=5
    )
    services["ts-preserve-service"]["latency-90"] = shift(
        rng, 0.2851, 5.0121, FAULT + 7, 0.1, ramp=5
    )
    services["ts-preserve-service"]["cpu"] = shift(rng, 0.114, 0.061, FAULT + 9, 0.1)
    services["ts-ui-dashboard"]["latency-90"] = shift(rng, 0.0893, 4.9873, FAULT + 9, 0.12, ramp=5)
    services["ts-order-service"]["workload"] = shift(rng, 12.8, 8.1, FAULT + 10, 0.08)
    services["ts-food-service"]["workload"] = shift(rng, 2.6, 1.1, FAULT + 10, 0.1)
    services["ts-assurance-service"]["workload"] = shift(rng, 2.9, 1.2, FAULT + 10, 0.1)
    seat = services["ts-seat-service"]
    spike = 4 * 60 + 31
    seat_cpu = shift(rng, 0.071, 0.071, 0, 0.07)
    seat["cpu"] = lambda index: seat_cpu(index) * (5.8 if spike <= index < spike + 95 else 1.0)
    return Bundle(
        question="Ticket booking in Train-Ticket started failing at about 02:24 UTC (the preserve call times out in the UI). Here are the metrics and some services' logs. Which service is the root cause?",
        category="disk",
        component="ts-contacts-service",
        statement="At 02:24:23 UTC a disk I/O hog starts in the ts-contacts-service container: its disk I/O jumps from about 0.3 to about 180 MB/s and its p90 latency from 19 ms to about 3 s, so ts-preserve-service's contact look-ups time out and bookings fail; ts-preserve-service and ts-ui-dashboard are only callers.",
        files={
            "metrics.csv": wide_csv(START, STEP, POINTS, services),
            "logs/ts-preserve-service.log": preserve.render(),
            "logs/ts-contacts-service.log": contacts.render(),
            "logs/ts-order-service.log": order.render(),
            "logs/ts-ui-dashboard-error.log": dashboard.render(),
        },
        proofs=[Proof("metrics.csv", stamp(START, STEP, FAULT), stamp(START, STEP, FAULT + 2))],
        decoys=[
            "Read timed out",
            "upstream timed out (110: Connection timed out)",
            "Thread starvation or clock leap detected",
            "ts-seat-service_cpu",
        ],
    )
