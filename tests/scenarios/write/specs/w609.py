# ruff: noqa: E501
# kubectl output, Java log lines and stack frames are data, kept whole on one line.
"""Kubernetes: risk-scorer 2.7.0 (rollout 13:20 BST, 12:20 UTC) added a ConfigMap volume
`risk-scorer-rules` mounted on the whole directory /opt/risk-scorer/conf to ship rules.yaml.
The mount hides the files the image keeps in that directory: log4j2.xml (the log falls back
to Log4j's default, errors only) and truststore.jks, which JAVA_TOOL_OPTIONS names as the
trust store. Every HTTPS call to the card-network scoring API then fails with `the
trustAnchors parameter must be non-empty`, and payments-gateway gets 500s from risk-scorer.
Decoys: a long GC pause on the old pods, a transient readiness failure during the rollout,
and Kafka consumer lag in payments-gateway."""

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events
from records import JsonLines, KubectlTimestamps, Log4j, Record
from scenes import at, fixed, java_trace, loud
from traffic import traffic, web_api

START = datetime(2026, 5, 28, 11, 30, tzinfo=UTC)
NOW = datetime(2026, 5, 28, 13, 5, tzinfo=UTC)
ROLLOUT = 50.0  # 12:20 UTC
LONDON = ZoneInfo("Europe/London")
NODES = ["gb-lon1-k8s-w04", "gb-lon1-k8s-w06", "gb-lon1-k8s-w09"]
LOGGERS = (
    "com.ravel.risk.api.ScoreResource",
    "com.ravel.risk.engine.RuleEngine",
    "com.ravel.risk.vendor.CardNetClient",
    "com.ravel.risk.cache.FeatureCache",
)


def bundle() -> Bundle:
    rng = random.Random(6097)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    old = LogFile(
        "kubectl-logs-risk-scorer-old.txt", Log4j(LOGGERS, threads="http-nio-8443-exec", rng=rng)
    )
    old.add(
        traffic(
            rng,
            web_api("risk-scorer", ["scores", "rules", "merchants"]),
            START,
            ROLLOUT + 0.5,
            2600,
        )
    )
    old.add(
        [
            at(
                START,
                23.6,
                "WARN",
                "GC pause (G1 Evacuation Pause) 1.84s exceeded threshold 1s, heap 3.1G->1.2G(4G)",
                logger="com.ravel.risk.jvm.GcWatcher",
            )
        ]
    )
    old_text = (
        "$ kubectl -n risk logs risk-scorer-5f9c7b8d46-8hq2m --since=2h   # old ReplicaSet, terminated 13:21 BST\n"
        + old.render()
    )

    new = LogFile("kubectl-logs-risk-scorer-new.txt", KubectlTimestamps())
    boot = START + timedelta(minutes=ROLLOUT + 0.2)
    new.add(
        [
            Record(
                boot,
                "INFO",
                "Picked up JAVA_TOOL_OPTIONS: -XX:MaxRAMPercentage=70 -Djavax.net.ssl.trustStore=/opt/risk-scorer/conf/truststore.jks -Djavax.net.ssl.trustStorePassword=****",
            ),
            Record(
                boot + timedelta(milliseconds=700),
                "WARN",
                "ERROR StatusLogger No Log4j 2 configuration file found. Using default configuration (logging only errors to the console), or user programmatically provided configurations. Set system property 'log4j2.debug' to show Log4j 2 internal initialization logging. See https://logging.apache.org/log4j/2.x/manual/configuration.html for instructions on how to configure Log4j 2",
            ),
        ]
    )

    def vendor_error(r: random.Random, t: datetime) -> Record:
        head = f"{t:%H:%M:%S}.{t.microsecond // 1000:03d} [http-nio-8443-exec-{r.randrange(1, 200)}] ERROR com.ravel.risk.vendor.CardNetClient - card-network score request {r.getrandbits(40):010x} failed"
        trace = java_trace(
            "javax.net.ssl.SSLException: java.lang.RuntimeException: Unexpected error: java.security.InvalidAlgorithmParameterException: the trustAnchors parameter must be non-empty",
            [
                "java.base/sun.security.ssl.Alert.createSSLException(Alert.java:133)",
                "java.base/sun.security.ssl.TransportContext.fatal(TransportContext.java:371)",
                "com.ravel.risk.vendor.CardNetClient.score(CardNetClient.java:88)",
            ],
            caused_by=[
                "java.security.InvalidAlgorithmParameterException: the trustAnchors parameter must be non-empty",
                "java.base/java.security.cert.PKIXParameters.setTrustAnchors(PKIXParameters.java:200)",
            ],
            more=41,
        )
        return Record(t, "ERROR", head, tuple(trace))

    span = (total - ROLLOUT - 2) * 60_000
    errors = [
        vendor_error(rng, START + timedelta(minutes=ROLLOUT + 1, milliseconds=rng.random() * span))
        for _ in range(520)
    ]
    new.add(errors)
    new_text = "$ kubectl -n risk logs risk-scorer-77d4c6b9f5-vk2tn --timestamps\n" + new.render()

    gateway = LogFile(
        "logs/payments-gateway.log",
        JsonLines(
            "payments-gateway", keys=("@timestamp", "log.level", "message"), rng=rng, zone=LONDON
        ),
    )
    gateway.add(
        traffic(
            rng,
            web_api("payments-gateway", ["authorisations", "captures", "refunds"]),
            START,
            total,
            3600,
        )
    )
    gateway.add(
        [
            at(
                START,
                38.2,
                "WARN",
                "kafka consumer group payments-settlement lag 14210 on settlements.v3 partition 4 (threshold 10000)",
            )
        ]
    )
    gateway.add(
        loud(
            rng,
            START,
            ROLLOUT + 1,
            total - ROLLOUT - 2,
            470,
            fixed(
                "ERROR",
                lambda r: (
                    f"authorisation {r.getrandbits(48):012x} declined by fallback: risk-scorer POST /v2/scores returned 500 in {r.randrange(30, 190)}ms"
                ),
            ),
        )
    )

    deploy = "\n".join(
        [
            '$ kubectl -n risk get deploy risk-scorer -o yaml | yq \'.spec.template.spec.containers[0] | {"image": .image, "env": .env, "volumeMounts": .volumeMounts}\'',
            "image: harbor.ravel.internal/risk/risk-scorer:2.7.0",
            "env:",
            "  - name: JAVA_TOOL_OPTIONS",
            "    value: -XX:MaxRAMPercentage=70 -Djavax.net.ssl.trustStore=/opt/risk-scorer/conf/truststore.jks -Djavax.net.ssl.trustStorePassword=$(TRUSTSTORE_PASSWORD)",
            "  - name: RULES_FILE",
            "    value: /opt/risk-scorer/conf/rules.yaml",
            "volumeMounts:",
            "  - mountPath: /opt/risk-scorer/conf",
            "    name: rules",
            "    readOnly: true",
            "",
            "$ kubectl -n risk exec risk-scorer-77d4c6b9f5-vk2tn -- ls -la /opt/risk-scorer/conf",
            "total 0",
            "drwxrwxrwx 3 root root 120 May 28 12:20 .",
            "drwxr-xr-x 1 app  app   60 May 27 16:02 ..",
            "drwxr-xr-x 2 root root  60 May 28 12:20 ..2026_05_28_12_20_31.1930457722",
            "lrwxrwxrwx 1 root root  32 May 28 12:20 ..data -> ..2026_05_28_12_20_31.1930457722",
            "lrwxrwxrwx 1 root root  17 May 28 12:20 rules.yaml -> ..data/rules.yaml",
            "",
            "$ docker run --rm --entrypoint ls harbor.ravel.internal/risk/risk-scorer:2.7.0 -la /opt/risk-scorer/conf",
            "total 24",
            "drwxr-xr-x 1 app app 4096 May 27 16:02 .",
            "drwxr-xr-x 1 app app 4096 May 27 16:02 ..",
            "-rw-r--r-- 1 app app 2311 May 27 16:01 log4j2.xml",
            "-rw-r--r-- 1 app app 1408 May 27 16:01 rules.yaml",
            "-rw-r--r-- 1 app app 6982 May 27 16:01 truststore.jks",
            "",
            "$ kubectl -n risk rollout history deploy/risk-scorer | tail -2",
            "18        <none>",
            "19        kubernetes.io/change-cause: 2.7.0 - rules.yaml from ConfigMap risk-scorer-rules (RISK-412)",
            "",
        ]
    )

    routine = routine_events(rng, ["risk-scorer", "merchant-sync"], 16, NODES, namespace="risk")
    signal = [
        (
            ago(ROLLOUT),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/risk-scorer",
                "Scaled up replica set risk-scorer-77d4c6b9f5 to 1",
            ),
        ),
        (
            ago(ROLLOUT - 0.1),
            (
                "Warning",
                "Unhealthy",
                "pod/risk-scorer-77d4c6b9f5-vk2tn",
                'Readiness probe failed: Get "https://10.233.18.74:8443/health/ready": dial tcp 10.233.18.74:8443: connect: connection refused',
            ),
        ),
        (
            ago(ROLLOUT + 0.9),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/risk-scorer",
                "Scaled down replica set risk-scorer-5f9c7b8d46 to 0 from 2",
            ),
        ),
    ]
    events = "$ kubectl -n risk get events --sort-by=.lastTimestamp\n" + event_listing(
        routine, signal
    )

    return Bundle(
        question="Since around 13:20 (London time) payments-gateway declines most card authorisations because risk-scorer answers 500. risk-scorer's pods are Running and Ready. What broke?",
        category="configuration",
        component="risk-scorer",
        statement="risk-scorer 2.7.0 mounts the ConfigMap risk-scorer-rules over the whole /opt/risk-scorer/conf directory, hiding the image's truststore.jks (and log4j2.xml) there; the JVM's configured trust store is therefore missing, so every HTTPS call to the card-network API fails with 'the trustAnchors parameter must be non-empty' and risk-scorer answers 500.",
        files={
            "kubectl-logs-risk-scorer-old.txt": old_text,
            "kubectl-logs-risk-scorer-new.txt": new_text,
            "logs/payments-gateway.log": gateway.render(),
            "kubectl-risk-scorer-deploy-exec.txt": deploy,
            "kubectl-get-events.txt": events,
        },
        proofs=[
            Proof("kubectl-risk-scorer-deploy-exec.txt", "  - mountPath: /opt/risk-scorer/conf"),
            Proof("kubectl-risk-scorer-deploy-exec.txt", "app 6982 May 27 16:01 truststore.jks"),
            Proof("kubectl-logs-risk-scorer-new.txt", "No Log4j 2 configuration file found"),
        ],
        decoys=[
            "GC pause (G1 Evacuation Pause) 1.84s",
            'Readiness probe failed: Get "https://10.233.18.74:8443/health/ready"',
            "kafka consumer group payments-settlement lag 14210",
        ],
    )
