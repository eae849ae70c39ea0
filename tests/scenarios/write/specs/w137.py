# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Sock Shop (RCAEval RE2 layout, one wide CSV): a CPU hog in the catalogue-db (MySQL) container
from 13:41:25 UTC. catalogue-db's CPU jumps from about 0.02 to a full core while its workload
stays flat; a few seconds later catalogue's latency climbs (its queries wait on the starved
database) and catalogue starts answering `database connection error`, and the front-end, two
hops from the cause, is loudest: hundreds of 500s on every catalogue page. catalogue-db writes
no log of its own here. Decoys: catalogue's errors (a knock-on), the front-end's 500s, a stale
carts-db reconnect at 13:22, and payment's usual declines of large amounts."""

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, usual_series, wide_csv
from records import Pino, Record, SpringBoot, iso_millis
from scenes import at, loud
from traffic import Line, traffic

START = datetime(2024, 11, 19, 13, 20, tzinfo=UTC)
STEP = 1
MINUTES = 34
POINTS = MINUTES * 60
FAULT = 21 * 60 + 25
KNOCK = FAULT + 7


@dataclass
class GoKit:
    """go-kit's logfmt logger as Sock Shop's catalogue writes it."""

    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def render(self, record: Record) -> list[str]:
        return [f"ts={iso_millis(record.time)} {record.message}"]


def sock_id(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-{rng.getrandbits(16):04x}-{rng.getrandbits(16):04x}-{rng.getrandbits(48):012x}"


def catalogue_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.55:
        tags = rng.choice(["", "", "brown", "geek", "formal,blue", "sport"])
        return (
            "INFO",
            f"caller=logging.go:22 method=List tags={tags} order=id pageNum={rng.randrange(1, 4)} pageSize=6 result=6 err=null took={rng.randrange(900, 4800)}.{rng.randrange(1000):03d}µs",
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            f"caller=logging.go:33 method=Get id={sock_id(rng)} sock={sock_id(rng)} err=null took={rng.randrange(600, 2900)}.{rng.randrange(1000):03d}µs",
            (),
        )
    if roll < 0.9:
        return (
            "INFO",
            f"caller=logging.go:44 method=Count tags= result=9 err=null took={rng.randrange(400, 1900)}.{rng.randrange(1000):03d}µs",
            (),
        )
    return (
        "INFO",
        f"caller=logging.go:66 method=Health result=2 took={rng.randrange(3, 40)}.{rng.randrange(1000):03d}µs",
        (),
    )


def catalogue_error(rng: random.Random) -> Line:
    method = rng.choice(["List", "List", "Get", "Count"])
    extra = {
        "List": "tags= order=id pageNum=1 pageSize=6 result=0",
        "Get": f"id={sock_id(rng)} sock=",
        "Count": "tags= result=0",
    }[method]
    return (
        "INFO",
        f'caller=logging.go:22 method={method} {extra} err="database connection error" took={rng.randrange(5, 10)}.{rng.randrange(1000):03d}s',
        (),
    )


def front_line(rng: random.Random) -> Line:
    path = rng.choice(
        [
            "/catalogue?page=1&size=6",
            "/catalogue?tags=&order=&page=1&size=6",
            "/catalogue/size?tags=",
            "/cart",
            "/customers/" + f"{rng.getrandbits(96):024x}",
            "/tags",
            "/catalogue/" + sock_id(rng),
        ]
    )
    return "INFO", f"GET {path} 200 {rng.randrange(4, 70)}ms", ()


def front_failure(rng: random.Random) -> Line:
    path = rng.choice(
        [
            "/catalogue?page=1&size=6",
            "/catalogue?tags=&order=&page=1&size=6",
            "/catalogue/size?tags=",
            "/catalogue/" + sock_id(rng),
        ]
    )
    return (
        "ERROR",
        f"GET {path} 500 {rng.randrange(5000, 10100)}ms - Error: Request to catalogue failed: 500 Internal Server Error",
        (),
    )


def carts_line(rng: random.Random) -> Line:
    if rng.random() < 0.6:
        return "INFO", f"GET /carts/{rng.getrandbits(96):024x}/items 200", ()
    return "INFO", f"POST /carts/{rng.getrandbits(96):024x}/items 201", ()


def payment_line(rng: random.Random) -> Line:
    amount = rng.choice([12.99, 18.0, 25.5, 33.98, 45.0, 70.5, 99.99, 24.0, 15.5, 132.5])
    if amount > 100:
        return (
            "INFO",
            f'caller=logging.go:33 method=Authorise result=false took={rng.randrange(20, 90)}.{rng.randrange(999)}µs err="Payment declined: amount exceeds 100.00"',
            (),
        )
    return (
        "INFO",
        f"caller=logging.go:33 method=Authorise result=true took={rng.randrange(20, 90)}.{rng.randrange(999)}µs err=null",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(1137)
    knock_minute = KNOCK / 60
    catalogue = LogFile("logs/catalogue.log", GoKit(rng=rng))
    catalogue.add(traffic(rng, catalogue_line, START, knock_minute, 1500))
    catalogue.add(
        traffic(
            rng,
            catalogue_line,
            START + timedelta(minutes=knock_minute),
            MINUTES - knock_minute,
            260,
        )
    )
    catalogue.add(
        loud(rng, START, knock_minute + 0.1, MINUTES - knock_minute - 0.2, 420, catalogue_error)
    )
    front = LogFile("logs/front-end.log", Pino("front-end-7c9d8b6f4-m2kqd", rng=rng))
    front.add(traffic(rng, front_line, START, MINUTES, 3400))
    front.add(
        loud(rng, START, knock_minute + 0.15, MINUTES - knock_minute - 0.3, 610, front_failure)
    )
    carts = LogFile(
        "logs/carts.log",
        SpringBoot(
            (
                "works.weave.socks.cart.controllers.ItemsController",
                "works.weave.socks.cart.controllers.CartsController",
            ),
            rng=rng,
        ),
    )
    carts.add(traffic(rng, carts_line, START, MINUTES, 900))
    carts.add(
        [
            at(
                START,
                2.3,
                "WARN",
                "Exception in monitor thread while connecting to server carts-db:27017",
                ("com.mongodb.MongoSocketReadException: Prematurely reached end of stream",),
                logger="org.mongodb.driver.cluster",
            ),
            at(
                START,
                2.9,
                "INFO",
                "Monitor thread successfully connected to server with description ServerDescription{address=carts-db:27017, type=STANDALONE, state=CONNECTED, ok=true, version=ServerVersion{versionList=[3, 4, 24]}}",
                logger="org.mongodb.driver.cluster",
            ),
        ]
    )
    payment = LogFile("logs/payment.log", GoKit(rng=rng))
    payment.add(traffic(rng, payment_line, START, MINUTES, 520))

    levels = {
        "front-end": (0.171, 98, (0.0109, 0.0587), 41.3),
        "catalogue": (0.036, 15, (0.0029, 0.0082), 24.9),
        "catalogue-db": (0.021, 212, None, 24.8),
        "carts": (0.118, 391, (0.0061, 0.0204), 10.7),
        "carts-db": (0.015, 96, None, 10.6),
        "orders": (0.093, 407, (0.0398, 0.1174), 2.7),
        "orders-db": (0.012, 88, None, 2.7),
        "user": (0.039, 12, (0.0043, 0.0128), 9.1),
        "payment": (0.008, 9, (0.0009, 0.0026), 2.7),
        "shipping": (0.044, 368, (0.0079, 0.0251), 2.7),
    }
    services = {}
    for name, (cpu, memory, latency, workload) in levels.items():
        series = usual_series(rng, cpu, memory, latency or (0.001, 0.002), workload)
        if latency is None:
            del series["latency-50"], series["latency-90"]
        services[name] = series
    db = services["catalogue-db"]
    db["cpu"] = shift(rng, 0.021, 1.004, FAULT, 0.03, ramp=3)
    db["mem"] = shift(rng, 212, 219, FAULT, 0.008)
    cat = services["catalogue"]
    cat["latency-50"] = shift(rng, 0.0029, 2.41, KNOCK, 0.15, ramp=20)
    cat["latency-90"] = shift(rng, 0.0082, 6.73, KNOCK, 0.12, ramp=20)
    cat["cpu"] = shift(rng, 0.036, 0.024, KNOCK, 0.1)
    front_end = services["front-end"]
    front_end["latency-90"] = shift(rng, 0.0587, 5.12, KNOCK + 3, 0.15, ramp=20)
    front_end["latency-50"] = shift(rng, 0.0109, 0.318, KNOCK + 3, 0.15, ramp=20)
    front_end["workload"] = shift(rng, 41.3, 33.8, KNOCK + 10, 0.07)
    files = {
        "metrics/data.csv": wide_csv(START, STEP, POINTS, services),
        "logs/front-end.log": front.render(),
        "logs/catalogue.log": catalogue.render(),
        "logs/carts.log": carts.render(),
        "logs/payment.log": payment.render(),
    }
    return Bundle(
        question="Since about 13:42 UTC the Sock Shop web site fails to show products: catalogue pages return 500 after several seconds. Which service is the root cause?",
        category="cpu",
        component="catalogue-db",
        statement="From 13:41:25 UTC a CPU hog saturates the catalogue-db container (CPU from about 0.02 to a full core with unchanged workload), so catalogue's queries stall and it answers `database connection error` from about 13:41:32, and the front-end returns 500 on every catalogue page.",
        files=files,
        proofs=[
            Proof("metrics/data.csv", stamp(START, STEP, FAULT), stamp(START, STEP, FAULT + 3))
        ],
        decoys=[
            "database connection error",
            "Request to catalogue failed",
            "Prematurely reached end of stream",
            "amount exceeds 100.00",
        ],
    )
