# ruff: noqa: E501
# Hand-written log lines are data, kept whole on one line.
"""notifications' sender thread pool saturates on a slow SMTP relay and rejects tasks."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import JsonLines, Log4j
from scenes import at, fixed, java_trace, loud
from traffic import traffic, web_api, worker

START = datetime(2024, 1, 22, 3, 0, tzinfo=UTC)
LOGGERS = (
    "com.shop.notify.Dispatcher",
    "com.shop.notify.smtp.SmtpSender",
    "com.shop.notify.push.PushSender",
    "org.apache.kafka.clients.consumer.KafkaConsumer",
)


def bundle() -> Bundle:
    rng = random.Random(108)
    notify = LogFile("notifications.log", Log4j(LOGGERS, "sender", rng))
    notify.add(
        traffic(rng, worker("notifications", ["order-events", "shipping-events"]), START, 60, 1049)
    )
    notify.add(
        [
            at(
                START,
                20.0,
                "WARN",
                "sender pool saturated: ThreadPoolExecutor[Running, pool size = 200, active threads = 200, queued tasks = 1000, completed tasks = 8812441]",
                logger="com.shop.notify.Dispatcher",
            ),
            at(
                START,
                20.02,
                "ERROR",
                "could not dispatch notification batch",
                java_trace(
                    "java.util.concurrent.RejectedExecutionException: Task com.shop.notify.SendTask@4e1d3a2 rejected from java.util.concurrent.ThreadPoolExecutor@7a81197d[Running, pool size = 200, active threads = 200, queued tasks = 1000, completed tasks = 8812441]",
                    [
                        "java.base/java.util.concurrent.ThreadPoolExecutor$AbortPolicy.rejectedExecution(ThreadPoolExecutor.java:2065)",
                        "java.base/java.util.concurrent.ThreadPoolExecutor.execute(ThreadPoolExecutor.java:1365)",
                        "com.shop.notify.Dispatcher.dispatch(Dispatcher.java:92)",
                    ],
                ),
                logger="com.shop.notify.Dispatcher",
            ),
        ]
    )
    notify.add(
        loud(
            rng,
            START,
            14.0,
            46,
            161,
            fixed(
                "WARN",
                lambda r: (
                    f"SMTP relay mail-relay-2:587 slow: DATA accepted after {r.randrange(8000, 29000)} ms"
                ),
            ),
        )
    )
    notify.add(
        loud(
            rng,
            START,
            20.5,
            39,
            210,
            fixed(
                "ERROR",
                lambda r: (
                    f"consumer lag on order-events partition {r.randrange(12)} is {r.randrange(20000, 400000)} messages; commit failed: CommitFailedException (rebalance in progress)"
                ),
            ),
        )
    )
    orders = LogFile("orders.log", JsonLines("orders", ("ts", "lvl", "msg"), rng=rng))
    orders.add(traffic(rng, web_api("orders", ["orders", "shipments"]), START, 60, 484))
    orders.add(
        loud(
            rng,
            START,
            25,
            35,
            97,
            fixed(
                "ERROR",
                lambda r: (
                    f"customer notification for order {r.randrange(10**7)} not acknowledged within 300s, reopening ticket"
                ),
            ),
        )
    )
    return Bundle(
        question="Customers stopped getting order emails overnight from about 03:20. What happened?",
        category="connection_pool",
        component="notifications",
        statement="The notifications sender thread pool (200 threads, queue 1000) is exhausted, so new send tasks are rejected (RejectedExecutionException).",
        files={"notifications.log": notify.render(), "orders.log": orders.render()},
        proofs=[
            Proof(
                "notifications.log",
                "could not dispatch notification batch",
                "Dispatcher.dispatch(Dispatcher.java:92)",
            ),
            Proof("notifications.log", "sender pool saturated"),
        ],
        decoys=[
            "SMTP relay mail-relay-2:587 slow",
            "CommitFailedException",
            "not acknowledged within 300s",
        ],
    )
