# ruff: noqa: E501
# Hand-written log lines and access-log rows are data, kept whole on one line.
"""A travel shop (Kubernetes, Python and Go services): address-service 2.31.0 (rolled out 09:12
Europe/London) tightened its postcode validation to `^[A-Z0-9-]{3,10}$`, which rejects valid
postcodes that contain a space (UK `EC1V 9HX`, Canadian `K1A 0B1`). Saving a delivery address
now returns 422 for those customers, so checkout stops at the address step for UK and Canadian
users while search, basket and payment keep working. Decoys: checkout's slow payment-provider
warning, a geocoder quota warning in address-service, and the edge's 499s."""

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from records import NginxAccess, PythonLogging, Zap
from scenes import at, fixed, loud
from traffic import http_access, traffic, web_api

LONDON = ZoneInfo("Europe/London")
START = datetime(2026, 7, 9, 7, 30, tzinfo=UTC)  # 08:30 BST
MINUTES = 140.0
ROLLOUT = 42.0  # 08:12 UTC, 09:12 BST
UK = ["EC1V 9HX", "SW1A 2AA", "M1 1AE", "B33 8TH", "LS1 4DY", "G2 3BZ", "CF10 1EP", "BS1 5TR"]
CA = ["K1A 0B1", "M5V 3L9", "H2Y 1C6", "V6B 4Y8"]
OK = ["75011", "10115", "1012-AB", "20121", "08001", "94107", "2000", "1050"]


def bundle() -> Bundle:
    rng = random.Random(62626)
    addr = LogFile(
        "address-service.log",
        PythonLogging(
            ("address.api", "address.validate", "address.geocode", "uvicorn.access"), rng=rng
        ),
    )

    def addr_line(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
        roll = r.random()
        if roll < 0.45:
            return (
                "INFO",
                f'10.12.{r.randrange(256)}.{r.randrange(1, 255)}:{r.randrange(30000, 60000)} - "POST /v2/addresses HTTP/1.1" 201',
                (),
            )
        if roll < 0.7:
            return (
                "INFO",
                f"address a-{r.getrandbits(36):09x} saved for customer {r.randrange(10**6)} (country={r.choice(['FR', 'DE', 'NL', 'ES', 'IT', 'US'])})",
                (),
            )
        if roll < 0.9:
            return (
                "INFO",
                f'10.12.{r.randrange(256)}.{r.randrange(1, 255)}:{r.randrange(30000, 60000)} - "GET /v2/addresses?customer={r.randrange(10**6)} HTTP/1.1" 200',
                (),
            )
        return "DEBUG", f"geocode cache hit for {r.choice(OK)} ({r.randrange(1, 9)}ms)", ()

    before = traffic(rng, addr_line, START, ROLLOUT, 1500)
    after = traffic(rng, addr_line, START + timedelta(minutes=ROLLOUT), MINUTES - ROLLOUT, 3400)
    # before the release, UK and Canadian addresses were saved like any other
    addr.add(before + after)
    addr.add(
        loud(
            rng,
            START,
            0,
            ROLLOUT - 1,
            140,
            fixed(
                "INFO",
                lambda r: (
                    f"address a-{r.getrandbits(36):09x} saved for customer {r.randrange(10**6)} (country={r.choice(['GB', 'CA'])})"
                ),
            ),
        )
    )
    addr.add(
        [
            at(
                START,
                17.0,
                "WARN",
                "geocoder quota at 81% of daily limit (provider=mapgrid, 40500/50000), falling back to cache for repeats",
                logger="address.geocode",
            ),
            at(
                START,
                ROLLOUT,
                "INFO",
                "address-service 2.31.0 starting (build 2026.07.09-1, commit 9e47b1c) workers=4",
                logger="address.api",
            ),
            at(
                START,
                ROLLOUT + 0.01,
                "INFO",
                "validation rules loaded: ruleset=v7 country_required=True postcode_pattern=^[A-Z0-9-]{3,10}$ normalize_case=True",
                logger="address.validate",
            ),
        ]
    )

    def reject(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
        country, pc = ("GB", r.choice(UK)) if r.random() < 0.8 else ("CA", r.choice(CA))
        return (
            "WARN",
            f"rejected address for customer {r.randrange(10**6)}: field=postcode value='{pc}' country={country} error=pattern_mismatch (422)",
            (),
        )

    addr.add(loud(rng, START, ROLLOUT + 1.2, MINUTES - ROLLOUT - 1.5, 520, reject))

    checkout = LogFile(
        "checkout.log",
        Zap(
            (
                "checkout/steps.go:211",
                "checkout/steps.go:188",
                "checkout/payment.go:97",
                "checkout/server.go:64",
            ),
            rng=rng,
        ),
    )
    checkout.add(
        traffic(
            rng, web_api("checkout", ["checkouts", "baskets", "payments"]), START, MINUTES, 3800
        )
    )
    checkout.add(
        [
            at(
                START,
                66.0,
                "WARN",
                "payment provider latency high: authorize p99=2810ms over last 60s (threshold 2000ms)",
                logger="checkout/payment.go:97",
            )
        ]
    )
    checkout.add(
        loud(
            rng,
            START,
            ROLLOUT + 1.3,
            MINUTES - ROLLOUT - 1.6,
            470,
            fixed(
                "ERROR",
                lambda r: (
                    f'step delivery_address failed for checkout co-{r.getrandbits(40):010x}: address-service POST /v2/addresses returned 422 Unprocessable Entity: {{"detail":[{{"loc":["body","postcode"],"msg":"string does not match regex","type":"value_error.str.regex"}}]}}'
                ),
            ),
        )
    )

    edge = LogFile("edge-access.log", NginxAccess(rng=rng, zone=LONDON))
    edge.add(
        traffic(
            rng,
            http_access(
                [
                    "/",
                    "/search?q=lisbon",
                    "/trips/{id}",
                    "/basket",
                    "/api/checkout/{id}/payment",
                    "/static/app.{id}.js",
                ]
            ),
            START,
            MINUTES,
            6000,
        )
    )
    edge.add(
        loud(
            rng,
            START,
            ROLLOUT + 1.2,
            MINUTES - ROLLOUT - 1.5,
            480,
            fixed(
                "INFO",
                lambda r: (
                    f'"POST /api/checkout/{r.randrange(10**6)}/address HTTP/1.1" 422 {r.randrange(180, 260)} "https://www.wanderly.example/checkout" "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5)" 0.0{r.randrange(10, 90)}'
                ),
            ),
        )
    )
    deploy = "\n".join(
        [
            "$ kubectl -n shop rollout history deploy/address-service | tail -3",
            "REVISION  CHANGE-CAUSE",
            "57        address-service 2.30.4",
            "58        address-service 2.31.0: stricter address validation (ruleset v7)",
            "$ kubectl -n shop get deploy address-service checkout -o wide",
            "NAME              READY   UP-TO-DATE   AVAILABLE   AGE    CONTAINERS        IMAGES",
            "address-service   4/4     4            4           411d   address-service   registry.wanderly.example/shop/address-service:2.31.0",
            "checkout          6/6     6            6           411d   checkout          registry.wanderly.example/shop/checkout:5.8.2",
            "",
        ]
    )
    return Bundle(
        question="Since a bit after 09:10 (London) lots of customers can't get past the delivery address step in checkout; search and baskets are fine and most EU orders still go through. What is the root cause?",
        category="code_error",
        component="address-service",
        statement="address-service 2.31.0, rolled out at 09:12 BST, validates postcodes with the pattern ^[A-Z0-9-]{3,10}$, which rejects valid postcodes containing a space (UK, Canada); saving those addresses returns 422 and checkout fails at the delivery address step.",
        files={
            "address-service.log": addr.render(),
            "checkout.log": checkout.render(),
            "edge-access.log": edge.render(),
            "kubectl-rollout.txt": deploy,
        },
        proofs=[
            Proof("address-service.log", "postcode_pattern=^[A-Z0-9-]{3,10}$"),
            Proof("kubectl-rollout.txt", "58        address-service 2.31.0"),
        ],
        decoys=[
            "payment provider latency high",
            "geocoder quota at 81% of daily limit",
            '" 499 ',
        ],
    )
