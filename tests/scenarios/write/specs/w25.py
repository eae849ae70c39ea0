# ruff: noqa: E501
# Hand-written log lines are data, kept whole on one line.
"""One record in orders-3 is not valid Avro; fulfillment retries it forever and its lag explodes."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import JsonLines, Log4j
from scenes import at, fixed, java_trace, loud
from traffic import traffic, web_api, worker

START = datetime(2025, 2, 3, 4, 0, tzinfo=UTC)


def bundle() -> Bundle:
    rng = random.Random(125)
    fulfillment = LogFile(
        "fulfillment.log",
        Log4j(
            (
                "com.shop.fulfillment.OrderListener",
                "org.apache.kafka.clients.consumer.internals.ConsumerCoordinator",
                "org.springframework.kafka.listener.KafkaMessageListenerContainer",
            ),
            "fulfillment-consumer",
            rng,
        ),
    )
    fulfillment.add(traffic(rng, worker("fulfillment", ["orders", "returns"]), START, 50, 974))
    fulfillment.add(
        [
            at(
                START,
                14.0,
                "ERROR",
                "Consumer exception",
                java_trace(
                    "java.lang.IllegalStateException: This error handler cannot process 'SerializationException's directly; please consider configuring an 'ErrorHandlingDeserializer' in the value and/or key deserializer",
                    [
                        "org.springframework.kafka.listener.DefaultErrorHandler.handleOtherException(DefaultErrorHandler.java:151)"
                    ],
                    caused_by=[
                        "org.apache.kafka.common.errors.RecordDeserializationException: Error deserializing key/value for partition orders-3 at offset 918273. If needed, please seek past the record to continue consumption.",
                        "org.apache.kafka.clients.consumer.internals.CompletedFetch.parseRecord(CompletedFetch.java:331)",
                    ],
                    more=12,
                ),
                logger="org.springframework.kafka.listener.KafkaMessageListenerContainer",
            )
        ]
    )
    fulfillment.add(
        loud(
            rng,
            START,
            14.05,
            36,
            375,
            fixed(
                "ERROR",
                lambda r: (
                    "Consumer exception: RecordDeserializationException on orders-3 (retrying poll)"
                ),
            ),
        )
    )
    fulfillment.add(
        loud(
            rng,
            START,
            20,
            30,
            60,
            fixed(
                "WARN",
                lambda r: (
                    f"Request joining group due to: rebalance timeout; member fulfillment-{r.getrandbits(24):06x} left"
                ),
            ),
        )
    )
    shipping = LogFile("shipping.log", JsonLines("shipping", ("ts", "level", "msg"), rng=rng))
    shipping.add(traffic(rng, web_api("shipping", ["shipments", "labels"]), START, 50, 449))
    shipping.add(
        loud(
            rng,
            START,
            25,
            25,
            149,
            fixed(
                "ERROR",
                lambda r: (
                    f"no shipment request for paid order {r.randrange(10**7)} after 600s; escalating"
                ),
            ),
        )
    )
    return Bundle(
        question="Orders paid since ~04:14 are not being shipped. What is stuck?",
        category="data",
        component="fulfillment",
        statement="A malformed record at offset 918273 of partition orders-3 cannot be deserialized, and fulfillment's consumer retries it forever instead of skipping it, so the partition stalls.",
        files={"fulfillment.log": fulfillment.render(), "shipping.log": shipping.render()},
        proofs=[
            Proof(
                "fulfillment.log",
                "Error deserializing key/value for partition orders-3 at offset 918273",
            )
        ],
        decoys=["rebalance timeout", "escalating"],
    )
