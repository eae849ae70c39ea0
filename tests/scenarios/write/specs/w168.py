# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Online Boutique (RCAEval RE3 layout: a code-level fault, with traces): a rollout of
productcatalogservice at 14:06:18 UTC ships a GetProduct whose lookup loop starts at the second
catalog entry, so it answers `NotFound` for OLJCESPC7Z (Sunglasses, the first product of the
catalog) although ListProducts still returns all nine. productcatalogservice logs nothing but its
start-up; the traces show its GetProduct spans with status 5 for that one id. Loud: the
frontend's 500s on /product/OLJCESPC7Z, on /cart for every cart holding it and on checkout
(`failed to prepare order`). Metrics barely move. Decoys: an adservice rollout ten minutes
earlier, the frontend's ordinary `failed to retrieve ads` warnings, and a cartservice Redis
reconnect at 13:55."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import usual_series, wide_csv
from records import JsonLines, Record
from scenes import at
from traffic import traffic

START = datetime(2024, 10, 8, 13, 50, tzinfo=UTC)
MINUTES = 30
ROLLOUT = 16 * 60 + 18
BROKEN = "OLJCESPC7Z"
FIRST_TRACE = "5c1be0a93f7d42e8b6a4c20d9e7f1835"
FIRST_SPAN = "b7e20c4d91a3f658"
PRODUCTS = [
    "OLJCESPC7Z",
    "66VCHSJNUP",
    "1YMWWN1N4O",
    "L9ECAV7KIM",
    "2ZYFJ3GM2N",
    "0PUK6V6EV0",
    "LS4PSXUNUM",
    "9SIQT8TOJO",
    "6E92ZMYYFZ",
]
CURRENCIES = ["USD", "EUR", "JPY", "CAD", "GBP"]


def hexid(rng: random.Random, digits: int) -> str:
    return f"{rng.getrandbits(digits * 4):0{digits}x}"


def uuid(rng: random.Random) -> str:
    return f"{hexid(rng, 8)}-{hexid(rng, 4)}-4{hexid(rng, 3)}-8{hexid(rng, 3)}-{hexid(rng, 12)}"


class Traces:
    """RCAEval-style traces.csv rows: one span per row, times in microseconds."""

    def __init__(self) -> None:
        self.rows: list[tuple[int, str]] = []

    def span(
        self,
        trace: str,
        span: str,
        parent: str,
        service: str,
        operation: str,
        begin: int,
        duration: int,
        status: int,
    ) -> None:
        self.rows.append(
            (begin, f"{trace},{span},{parent},{service},{operation},{begin},{duration},{status}")
        )

    def render(self) -> str:
        lines = [
            "traceID,spanID,parentSpanID,serviceName,operationName,startTime,duration,statusCode"
        ]
        lines += [row for _, row in sorted(self.rows, key=lambda item: item[0])]
        return "\n".join(lines) + "\n"


@dataclass
class Request:
    """One shopper request being turned into spans and a frontend log line."""

    rng: random.Random
    traces: Traces
    records: list[Record]
    when: datetime
    micros: int
    trace: str
    root: str
    request_id: str
    broken: bool
    product: str
    cart: list[str]


def home(request: Request) -> None:
    rng = request.rng
    traces = request.traces
    records = request.records
    when = request.when
    micros = request.micros
    trace = request.trace
    root = request.root
    request_id = request.request_id
    took = rng.randrange(18, 90)
    traces.span(
        trace,
        hexid(rng, 16),
        root,
        "productcatalogservice",
        "hipstershop.ProductCatalogService/ListProducts",
        micros + 900,
        rng.randrange(300, 1900),
        0,
    )
    traces.span(
        trace,
        hexid(rng, 16),
        root,
        "currencyservice",
        "hipstershop.CurrencyService/GetSupportedCurrencies",
        micros + 2600,
        rng.randrange(500, 2400),
        0,
    )
    traces.span(
        trace,
        hexid(rng, 16),
        root,
        "adservice",
        "hipstershop.AdService/GetAds",
        micros + 4100,
        rng.randrange(1500, 9000),
        0,
    )
    traces.span(trace, root, "", "frontend", "HTTP GET /", micros, took * 1000, 200)
    records.append(
        Record(
            when,
            "debug",
            f"request complete http.req.id={request_id} http.req.method=GET http.req.path=/ http.resp.status=200 http.resp.bytes={rng.randrange(9000, 13000)} http.resp.took_ms={took}",
        )
    )


def product_page(request: Request) -> None:
    rng = request.rng
    traces = request.traces
    records = request.records
    when = request.when
    micros = request.micros
    trace = request.trace
    root = request.root
    request_id = request.request_id
    broken = request.broken
    product = request.product
    fails = broken and product == BROKEN
    took = rng.randrange(3, 9) if fails else rng.randrange(14, 70)
    span = FIRST_SPAN if trace == FIRST_TRACE else hexid(rng, 16)
    traces.span(
        trace,
        span,
        root,
        "productcatalogservice",
        "hipstershop.ProductCatalogService/GetProduct",
        micros + 700,
        rng.randrange(250, 1400),
        5 if fails else 0,
    )
    if not fails:
        rec = hexid(rng, 16)
        traces.span(
            trace,
            hexid(rng, 16),
            root,
            "currencyservice",
            "hipstershop.CurrencyService/Convert",
            micros + 2300,
            rng.randrange(400, 2100),
            0,
        )
        traces.span(
            trace,
            rec,
            root,
            "recommendationservice",
            "hipstershop.RecommendationService/ListRecommendations",
            micros + 3900,
            rng.randrange(4000, 16000),
            0,
        )
        traces.span(
            trace,
            hexid(rng, 16),
            rec,
            "productcatalogservice",
            "hipstershop.ProductCatalogService/ListProducts",
            micros + 4800,
            rng.randrange(300, 1800),
            0,
        )
    traces.span(
        trace,
        root,
        "",
        "frontend",
        f"HTTP GET /product/{product}",
        micros,
        took * 1000,
        500 if fails else 200,
    )
    if fails:
        records.append(
            Record(
                when,
                "error",
                f'request error http.req.id={request_id} http.req.method=GET http.req.path=/product/{product} http.resp.status=500 error="could not retrieve product: rpc error: code = NotFound desc = no product with ID {product}"',
            )
        )
    else:
        records.append(
            Record(
                when,
                "debug",
                f"request complete http.req.id={request_id} http.req.method=GET http.req.path=/product/{product} http.resp.status=200 http.resp.bytes={rng.randrange(7000, 9500)} http.resp.took_ms={took}",
            )
        )


def cart_page(request: Request) -> None:
    rng = request.rng
    traces = request.traces
    records = request.records
    when = request.when
    micros = request.micros
    trace = request.trace
    root = request.root
    request_id = request.request_id
    broken = request.broken
    cart = request.cart
    fails = broken and BROKEN in cart
    took = rng.randrange(6, 20) if fails else rng.randrange(25, 120)
    traces.span(
        trace,
        hexid(rng, 16),
        root,
        "cartservice",
        "hipstershop.CartService/GetCart",
        micros + 600,
        rng.randrange(900, 4000),
        0,
    )
    begin = micros + 5000
    for item in cart:
        bad = broken and item == BROKEN
        traces.span(
            trace,
            hexid(rng, 16),
            root,
            "productcatalogservice",
            "hipstershop.ProductCatalogService/GetProduct",
            begin,
            rng.randrange(250, 1200),
            5 if bad else 0,
        )
        begin += 1500
        if bad:
            break
    if not fails:
        traces.span(
            trace,
            hexid(rng, 16),
            root,
            "shippingservice",
            "hipstershop.ShippingService/GetQuote",
            begin,
            rng.randrange(600, 2500),
            0,
        )
    traces.span(
        trace, root, "", "frontend", "HTTP GET /cart", micros, took * 1000, 500 if fails else 200
    )
    if fails:
        records.append(
            Record(
                when,
                "error",
                f'request error http.req.id={request_id} http.req.method=GET http.req.path=/cart http.resp.status=500 error="could not retrieve cart: could not retrieve product #{BROKEN}: rpc error: code = NotFound desc = no product with ID {BROKEN}"',
            )
        )
    else:
        records.append(
            Record(
                when,
                "debug",
                f"request complete http.req.id={request_id} http.req.method=GET http.req.path=/cart http.resp.status=200 http.resp.bytes={rng.randrange(8000, 11000)} http.resp.took_ms={took}",
            )
        )


def checkout(request: Request) -> None:
    rng = request.rng
    traces = request.traces
    records = request.records
    when = request.when
    micros = request.micros
    trace = request.trace
    root = request.root
    request_id = request.request_id
    broken = request.broken
    cart = request.cart
    fails = broken and BROKEN in cart
    place = hexid(rng, 16)
    took = rng.randrange(12, 40) if fails else rng.randrange(160, 480)
    traces.span(
        trace,
        hexid(rng, 16),
        place,
        "cartservice",
        "hipstershop.CartService/GetCart",
        micros + 1500,
        rng.randrange(900, 3500),
        0,
    )
    begin = micros + 5500
    for item in cart:
        bad = broken and item == BROKEN
        traces.span(
            trace,
            hexid(rng, 16),
            place,
            "productcatalogservice",
            "hipstershop.ProductCatalogService/GetProduct",
            begin,
            rng.randrange(250, 1200),
            5 if bad else 0,
        )
        begin += 1400
        if bad:
            break
    if not fails:
        traces.span(
            trace,
            hexid(rng, 16),
            place,
            "shippingservice",
            "hipstershop.ShippingService/GetQuote",
            begin,
            rng.randrange(600, 2500),
            0,
        )
        traces.span(
            trace,
            hexid(rng, 16),
            place,
            "paymentservice",
            "hipstershop.PaymentService/Charge",
            begin + 9000,
            rng.randrange(3000, 12000),
            0,
        )
        traces.span(
            trace,
            hexid(rng, 16),
            place,
            "shippingservice",
            "hipstershop.ShippingService/ShipOrder",
            begin + 24000,
            rng.randrange(600, 2500),
            0,
        )
        traces.span(
            trace,
            hexid(rng, 16),
            place,
            "emailservice",
            "hipstershop.EmailService/SendOrderConfirmation",
            begin + 30000,
            rng.randrange(9000, 40000),
            0,
        )
    traces.span(
        trace,
        place,
        root,
        "checkoutservice",
        "hipstershop.CheckoutService/PlaceOrder",
        micros + 900,
        (took - 1) * 1000,
        13 if fails else 0,
    )
    traces.span(
        trace,
        root,
        "",
        "frontend",
        "HTTP POST /cart/checkout",
        micros,
        took * 1000,
        500 if fails else 200,
    )
    if fails:
        records.append(
            Record(
                when,
                "error",
                f'request error http.req.id={request_id} http.req.method=POST http.req.path=/cart/checkout http.resp.status=500 error="failed to complete the order: rpc error: code = Internal desc = failed to prepare order: failed to get product #\\"{BROKEN}\\""',
            )
        )
    else:
        records.append(
            Record(
                when,
                "info",
                f"order placed http.req.id={request_id} order_id={uuid(rng)} currency={rng.choice(CURRENCIES)}",
            )
        )
        records.append(
            Record(
                when + timedelta(milliseconds=took),
                "debug",
                f"request complete http.req.id={request_id} http.req.method=POST http.req.path=/cart/checkout http.resp.status=200 http.resp.bytes={rng.randrange(6000, 8000)} http.resp.took_ms={took}",
            )
        )


def bundle() -> Bundle:
    rng = random.Random(1168)
    rollout = START + timedelta(seconds=ROLLOUT)
    traces = Traces()
    frontend_records: list[Record] = []
    requests = sorted(rng.random() * MINUTES * 60 for _ in range(2900))
    first_done = False
    for offset in requests:
        when = START + timedelta(seconds=offset)
        micros = int(when.timestamp() * 1_000_000)
        trace = hexid(rng, 32)
        root = hexid(rng, 16)
        kind = rng.choices(["home", "product", "cart", "checkout"], [30, 42, 18, 10])[0]
        broken = when >= rollout
        if broken and not first_done and kind == "product":
            trace, product = FIRST_TRACE, BROKEN
            first_done = True
        else:
            product = rng.choice(PRODUCTS)
        cart = rng.sample(PRODUCTS, rng.randrange(1, 4))
        request_id = uuid(rng)
        request = Request(
            rng,
            traces,
            frontend_records,
            when,
            micros,
            trace,
            root,
            request_id,
            broken,
            product,
            cart,
        )
        {"home": home, "product": product_page, "cart": cart_page, "checkout": checkout}[kind](
            request
        )

    keys = ("timestamp", "severity", "message")
    frontend = LogFile(
        "logs/frontend.log",
        JsonLines("frontend", keys=keys, service_key="app", lower_level=False, rng=rng),
    )
    frontend.add(frontend_records)
    frontend.add(
        traffic(
            rng,
            lambda r: (
                "warning",
                f'failed to retrieve ads http.req.id={uuid(r)} error="rpc error: code = DeadlineExceeded desc = context deadline exceeded"',
                (),
            ),
            START,
            MINUTES,
            45,
        )
    )
    frontend.add(
        traffic(
            rng,
            lambda r: (
                "debug",
                f"setting currency http.req.id={uuid(r)} currency.new={r.choice(CURRENCIES)} currency.old={r.choice(CURRENCIES)}",
                (),
            ),
            START,
            MINUTES,
            160,
        )
    )

    catalog = LogFile(
        "logs/productcatalogservice.log",
        JsonLines(
            "productcatalogservice", keys=keys, service_key="app", lower_level=False, rng=rng
        ),
    )
    catalog.add(
        [
            at(START, ROLLOUT / 60 - 0.3, "info", "Profiling disabled."),
            at(START, ROLLOUT / 60 - 0.29, "info", "Tracing enabled."),
            at(START, ROLLOUT / 60 - 0.28, "info", "successfully parsed product catalog json"),
            at(START, ROLLOUT / 60 - 0.27, "info", "starting grpc server at :3550"),
        ]
    )
    cart = LogFile(
        "logs/cartservice.log",
        JsonLines("cartservice", keys=keys, service_key="app", lower_level=False, rng=rng),
    )
    cart.add(
        traffic(
            rng,
            lambda r: ("info", f"GetCartAsync called with userId={uuid(r)}", ()),
            START,
            MINUTES,
            900,
        )
    )
    cart.add(
        traffic(
            rng,
            lambda r: (
                "info",
                f"AddItemAsync called with userId={uuid(r)}, productId={r.choice(PRODUCTS)}, quantity={r.randrange(1, 4)}",
                (),
            ),
            START,
            MINUTES,
            400,
        )
    )
    cart.add(
        [
            at(
                START,
                5.2,
                "error",
                "StackExchange.Redis.RedisConnectionException: No connection is active/available to service this operation: HGET 7e0c12d4-59a1-4b3f-8c6e-2f9d81a4b507; It was not possible to connect to the redis server(s). ConnectTimeout, mc: 1/1/0, mgr: 10 of 10 available, clientName: cartservice-58c9f7d6b5-w8jzt, IOCP: (Busy=0,Free=1000,Min=1,Max=1000), WORKER: (Busy=1,Free=32766,Min=2,Max=32767), v: 2.2.4.27433",
            ),
            at(START, 5.6, "info", "Successfully connected to Redis"),
        ]
    )
    events = """LAST SEEN   TYPE      REASON              OBJECT                                        MESSAGE
26m         Normal    ScalingReplicaSet   deployment/adservice                          Scaled up replica set adservice-6b9d4c7f58 to 1
26m         Normal    Scheduled           pod/adservice-6b9d4c7f58-r4kzn                Successfully assigned boutique/adservice-6b9d4c7f58-r4kzn to gke-boutique-pool-1-3f9a2c71-k2xd
26m         Normal    Pulled              pod/adservice-6b9d4c7f58-r4kzn                Successfully pulled image "gcr.io/rca-lab/adservice:v0.10.1-re3-07" in 4.118s (4.118s including waiting)
25m         Normal    Started             pod/adservice-6b9d4c7f58-r4kzn                Started container server
25m         Warning   Unhealthy           pod/adservice-6b9d4c7f58-r4kzn                Readiness probe failed: timeout: failed to connect service ":9555" within 1s
25m         Normal    ScalingReplicaSet   deployment/adservice                          Scaled down replica set adservice-7c8f5b6d94 to 0 from 1
16m         Normal    ScalingReplicaSet   deployment/productcatalogservice              Scaled up replica set productcatalogservice-79d5c6f8b7 to 1
16m         Normal    Scheduled           pod/productcatalogservice-79d5c6f8b7-xq2lp    Successfully assigned boutique/productcatalogservice-79d5c6f8b7-xq2lp to gke-boutique-pool-1-3f9a2c71-9m4v
16m         Normal    Pulled              pod/productcatalogservice-79d5c6f8b7-xq2lp    Successfully pulled image "gcr.io/rca-lab/productcatalogservice:v0.10.1-re3-12" in 2.904s (2.904s including waiting)
16m         Normal    Created             pod/productcatalogservice-79d5c6f8b7-xq2lp    Created container server
16m         Normal    Started             pod/productcatalogservice-79d5c6f8b7-xq2lp    Started container server
16m         Normal    ScalingReplicaSet   deployment/productcatalogservice              Scaled down replica set productcatalogservice-5f4b8d9c66 to 0 from 1
16m         Normal    Killing             pod/productcatalogservice-5f4b8d9c66-n7wqs    Stopping container server
"""
    notes = """Pasted by Priya (on call), 14:22 UTC:

- product page for Sunglasses 500s since ~14:06, other product pages fine
- home page still lists Sunglasses with its price, so the catalog data is there
- products.json ConfigMap not touched this week (checked `kubectl get cm` resourceVersion)
- we rolled adservice and productcatalogservice with the RE3 lab images this afternoon
- traces.csv is the Jaeger export for 13:50-14:20, one span per row, microseconds
"""
    levels = {
        "frontend": (0.158, 49, (0.0146, 0.0688), 42.3),
        "productcatalogservice": (0.082, 21, (0.0016, 0.0069), 95.1),
        "currencyservice": (0.104, 57, (0.0030, 0.0118), 78.2),
        "recommendationservice": (0.109, 63, (0.0099, 0.0281), 20.5),
        "cartservice": (0.069, 73, (0.0044, 0.0152), 17.7),
        "checkoutservice": (0.026, 22, (0.0401, 0.0937), 2.2),
        "shippingservice": (0.018, 14, (0.0016, 0.0049), 8.1),
        "paymentservice": (0.015, 61, (0.0022, 0.0061), 2.1),
        "emailservice": (0.022, 48, (0.0121, 0.0311), 2.1),
        "adservice": (0.051, 214, (0.0025, 0.0084), 18.0),
    }
    services = {name: usual_series(rng, *values) for name, values in levels.items()}
    services["frontend"]["latency-50"] = shift(rng, 0.0146, 0.0139, ROLLOUT, 0.06)
    services["checkoutservice"]["workload"] = shift(rng, 2.2, 1.9, ROLLOUT, 0.08)
    services["adservice"]["mem"] = shift(rng, 160, 214, 360, 0.01, ramp=120)
    files = {
        "traces.csv": traces.render(),
        "metrics.csv": wide_csv(START, 1, MINUTES * 60, services),
        "logs/frontend.log": frontend.render(),
        "logs/productcatalogservice.log": catalog.render(),
        "logs/cartservice.log": cart.render(),
        "kubectl-get-events.txt": events,
        "notes.md": notes,
    }
    return Bundle(
        question="Since about 14:06 UTC some product pages, carts and checkouts in Online Boutique fail with 500 while the rest of the shop works. Which service is the root cause?",
        category="code_error",
        component="productcatalogservice",
        statement="The productcatalogservice build rolled out at 14:06:18 UTC answers GetProduct with NotFound for OLJCESPC7Z although the catalog (and ListProducts) still holds it, so from then on the frontend returns 500 for that product's page, for every cart holding it and for checkouts that include it (`failed to prepare order`).",
        files=files,
        proofs=[
            Proof("traces.csv", f"{FIRST_TRACE},{FIRST_SPAN},"),
            Proof("kubectl-get-events.txt", "productcatalogservice:v0.10.1-re3-12"),
        ],
        decoys=[
            "adservice:v0.10.1-re3-07",
            "failed to retrieve ads",
            "It was not possible to connect to the redis server",
            "failed to prepare order",
        ],
    )
