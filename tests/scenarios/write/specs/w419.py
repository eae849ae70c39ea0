# ruff: noqa: E501
# Hand-written logback and Kafka lines, pasted shell output and the deploy log are data, kept whole on one line.
"""Kafka, a producer pointed at a topic that does not exist: invoice-service 5.4.0 was deployed at
10:18 local time (-03:00) with its topic setting renamed in the values file, and the new value
`invoice.issued.v2` misses the `s` of the real topic `invoices.issued.v2`. The brokers run with
`auto.create.topics.enable=false`, so the producer's metadata requests come back
UNKNOWN_TOPIC_OR_PARTITION and every send blocks for `max.block.ms` (60 s) before failing;
POST /invoices requests time out at the gateway and billing-notifier stops receiving invoices.
Quiet: NetworkClient's metadata warning and the values diff. Loud: TimeoutException stacks and
504s. Decoys: an ISR shrink on broker 2 that healed, billing-notifier's rebalance, a Spring
deprecation warning."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from records import Log4j, NginxAccess, SpringBoot
from scenes import at, fixed, java_trace, loud
from traffic import http_access, traffic, web_api, worker

SAO_PAULO = timezone(timedelta(hours=-3))
START = datetime(2026, 9, 3, 12, 30, tzinfo=UTC)
MINUTES = 120.0
DEPLOY = 48.0


def bundle() -> Bundle:
    rng = random.Random(41919)
    loggers = (
        "c.a.invoice.api.InvoiceController",
        "c.a.invoice.service.InvoiceService",
        "c.a.invoice.pdf.Renderer",
        "o.s.web.servlet.DispatcherServlet",
    )
    app = LogFile("logs/invoice-service.log", SpringBoot(loggers, 1, rng, SAO_PAULO))
    app.add(
        traffic(
            rng,
            web_api("invoice-service", ["invoices", "customers", "credit-notes"]),
            START,
            MINUTES,
            3900,
        )
    )
    app.add(
        [
            at(
                START,
                DEPLOY,
                "INFO",
                "Starting InvoiceServiceApplication v5.4.0 using Java 21.0.4 with PID 1",
                logger="c.a.invoice.InvoiceServiceApplication",
            ),
            at(
                START,
                DEPLOY + 0.05,
                "WARN",
                "Property 'spring.kafka.producer.properties.linger.ms' is deprecated in favour of 'spring.kafka.producer.linger'",
                logger="o.s.b.c.p.m.PropertiesMigrationListener",
            ),
            at(
                START,
                DEPLOY + 0.3,
                "INFO",
                "Kafka producer configured: bootstrap=kafka-1.msg.internal:9092,kafka-2.msg.internal:9092,kafka-3.msg.internal:9092 topic=invoice.issued.v2 acks=all",
                logger="c.a.invoice.events.InvoicePublisher",
            ),
            at(
                START,
                DEPLOY + 0.5,
                "INFO",
                "Started InvoiceServiceApplication in 14.882 seconds (process running for 16.1)",
                logger="c.a.invoice.InvoiceServiceApplication",
            ),
            at(
                START,
                DEPLOY + 2.2,
                "WARN",
                "[Producer clientId=invoice-service-producer-1] Error while fetching metadata with correlation id 4 : {invoice.issued.v2=UNKNOWN_TOPIC_OR_PARTITION}",
                logger="o.apache.kafka.clients.NetworkClient",
            ),
        ]
    )
    app.add(
        loud(
            rng,
            START,
            DEPLOY + 3.2,
            MINUTES - DEPLOY - 5,
            180,
            fixed(
                "WARN",
                lambda r: (
                    f"[Producer clientId=invoice-service-producer-1] Error while fetching metadata with correlation id {r.randrange(5, 9000)} : {{invoice.issued.v2=UNKNOWN_TOPIC_OR_PARTITION}}"
                ),
            ),
        )
    )
    app.add(
        loud(
            rng,
            START,
            DEPLOY + 3.3,
            MINUTES - DEPLOY - 5,
            260,
            fixed(
                "ERROR",
                lambda r: (
                    f"Failed to publish InvoiceIssued for invoice INV-{r.randrange(10**7):07d}"
                ),
                lambda r: java_trace(
                    "org.springframework.kafka.KafkaException: Send failed",
                    [
                        "org.springframework.kafka.core.KafkaTemplate.doSend(KafkaTemplate.java:796)",
                        "c.a.invoice.events.InvoicePublisher.publish(InvoicePublisher.java:58)",
                        "c.a.invoice.service.InvoiceService.issue(InvoiceService.java:131)",
                    ],
                    [
                        "org.apache.kafka.common.errors.TimeoutException: Topic invoice.issued.v2 not present in metadata after 60000 ms.",
                    ],
                    more=41,
                ),
            ),
        )
    )
    gateway = LogFile("logs/gateway-access.log", NginxAccess(rng, SAO_PAULO))
    gateway.add(
        traffic(
            rng,
            http_access(
                ["/invoices/{id}", "/invoices/{id}/pdf", "/customers/{id}", "/healthz"], 70
            ),
            START,
            MINUTES,
            3000,
        )
    )
    gateway.add(
        loud(
            rng,
            START,
            DEPLOY + 2,
            MINUTES - DEPLOY - 4,
            280,
            fixed(
                "INFO",
                lambda r: (
                    f'"POST /invoices HTTP/1.1" 504 160 "-" "okhttp/4.12.0" {30 + r.random() * 0.01:.3f}'
                ),
            ),
        )
    )
    notifier = LogFile(
        "logs/billing-notifier.log",
        Log4j(
            ("c.a.notify.InvoiceListener", "o.a.k.c.c.internals.ConsumerCoordinator"),
            "kafka-listener",
            rng,
        ),
    )
    notifier.add(
        traffic(rng, worker("billing-notifier", ["invoices.issued.v2"]), START, DEPLOY + 1, 1300)
    )
    notifier.add(
        traffic(
            rng,
            worker("billing-notifier", ["invoices.issued.v2"]),
            START + timedelta(minutes=DEPLOY + 1),
            MINUTES - DEPLOY - 1,
            60,
        )
    )
    notifier.add(
        [
            at(
                START,
                21.0,
                "INFO",
                "[Consumer clientId=billing-notifier-0, groupId=billing-notifier] Request joining group due to: group is already rebalancing",
                logger="o.a.k.c.c.internals.ConsumerCoordinator",
            ),
            at(
                START,
                21.2,
                "INFO",
                "[Consumer clientId=billing-notifier-0, groupId=billing-notifier] Successfully joined group with generation Generation{generationId=212, memberId='billing-notifier-0-5d1c', protocol='range'}",
                logger="o.a.k.c.c.internals.ConsumerCoordinator",
            ),
        ]
    )
    broker = LogFile(
        "logs/kafka-2-server.log",
        Log4j(
            (
                "kafka.cluster.Partition",
                "kafka.log.LogCleaner",
                "kafka.server.ReplicaFetcherThread",
            ),
            "data-plane-kafka-request-handler",
            rng,
        ),
    )

    def broker_line(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
        roll = r.random()
        topic = r.choice(["invoices.issued.v2", "payments.captured.v1", "customers.changed.v1"])
        if roll < 0.5:
            return (
                "INFO",
                f"[LocalLog partition={topic}-{r.randrange(12)}, dir=/var/lib/kafka/data] Rolled new log segment at offset {r.randrange(10**8)} in {r.randrange(1, 9)} ms.",
                (),
            )
        if roll < 0.85:
            return (
                "INFO",
                f"[UnifiedLog partition={topic}-{r.randrange(12)}, dir=/var/lib/kafka/data] Deleting segment LogSegment(baseOffset={r.randrange(10**8)}, size={r.randrange(10**8)}) due to retention time 604800000ms breach",
                (),
            )
        return (
            "INFO",
            f"[GroupCoordinator 2]: Member billing-notifier-{r.randrange(3)} in group billing-notifier has left, removing it from the group",
            (),
        )

    broker.add(traffic(rng, broker_line, START, MINUTES, 700))
    broker.add(
        [
            at(
                START,
                9.0,
                "INFO",
                "[Partition payments.captured.v1-7 broker=2] Shrinking ISR from 2,1,3 to 2,1. Leader: (highWatermark: 88123411, endOffset: 88123590). Out of sync replicas: (brokerId: 3, endOffset: 88123411).",
                logger="kafka.cluster.Partition",
            ),
            at(
                START,
                9.6,
                "INFO",
                "[Partition payments.captured.v1-7 broker=2] ISR updated to 2,1,3 and version updated to 418",
                logger="kafka.cluster.Partition",
            ),
        ]
    )
    shell = "\n".join(
        [
            "ops@bastion-sp1:~$ kafka-topics.sh --bootstrap-server kafka-1.msg.internal:9092 --list | grep -i invoice",
            "invoices.issued.v2",
            "invoices.issued.v2.dlq",
            "ops@bastion-sp1:~$ kafka-configs.sh --bootstrap-server kafka-1.msg.internal:9092 --entity-type brokers --entity-default --describe --all | grep auto.create",
            "  auto.create.topics.enable=false sensitive=false synonyms={STATIC_BROKER_CONFIG:auto.create.topics.enable=false, DEFAULT_CONFIG:auto.create.topics.enable=true}",
            "ops@bastion-sp1:~$ kafka-consumer-groups.sh --bootstrap-server kafka-1.msg.internal:9092 --describe --group billing-notifier | head -4",
            "GROUP            TOPIC              PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG  CONSUMER-ID                 HOST         CLIENT-ID",
            "billing-notifier invoices.issued.v2 0          4418201         4418201         0    billing-notifier-0-5d1c     /10.44.3.18  billing-notifier-0",
            "billing-notifier invoices.issued.v2 1          4417988         4417988         0    billing-notifier-0-5d1c     /10.44.3.18  billing-notifier-0",
            "",
        ]
    )
    deploy = "\n".join(
        [
            "[2026-09-03 10:17:41 -03] deploy invoice-service 5.3.2 -> 5.4.0 (pipeline #8812, by m.azevedo)",
            "[2026-09-03 10:17:41 -03] values diff:",
            "   env:",
            "-    KAFKA_TOPIC_INVOICES: invoices.issued.v2",
            "+    INVOICE_EVENTS_TOPIC: invoice.issued.v2",
            "     KAFKA_ACKS: all",
            '-    KAFKA_LINGER_MS: "5"',
            "+    SPRING_KAFKA_PRODUCER_LINGER: 5ms",
            "[2026-09-03 10:18:02 -03] rollout complete, 4/4 instances healthy",
            "",
        ]
    )
    return Bundle(
        question="Since about 10:20 (São Paulo time) creating invoices hangs and the gateway answers 504 for POST /invoices. What is the root cause?",
        category="configuration",
        component="invoice-service",
        statement="invoice-service 5.4.0 was deployed with its Kafka topic setting renamed to invoice.issued.v2, a topic that does not exist (the real one is invoices.issued.v2); with auto-creation disabled the producer gets UNKNOWN_TOPIC_OR_PARTITION and each send blocks 60 s before a TimeoutException, so POST /invoices times out.",
        files={
            "deploy.log": deploy,
            "kafka-shell.txt": shell,
            "logs/invoice-service.log": app.render(),
            "logs/gateway-access.log": gateway.render(),
            "logs/billing-notifier.log": notifier.render(),
            "logs/kafka-2-server.log": broker.render(),
        },
        proofs=[
            Proof("deploy.log", "+    INVOICE_EVENTS_TOPIC: invoice.issued.v2"),
            Proof(
                "logs/invoice-service.log",
                "with correlation id 4 : {invoice.issued.v2=UNKNOWN_TOPIC_OR_PARTITION}",
            ),
            Proof("kafka-shell.txt", "auto.create.topics.enable=false sensitive"),
        ],
        decoys=[
            "Shrinking ISR from 2,1,3 to 2,1",
            "group is already rebalancing",
            "is deprecated in favour of",
        ],
    )
