# ruff: noqa: E501
# Log lines, kubectl rows and openssl output are data, kept whole on one line.
"""Kubernetes: mqtt-gateway mounts its serving certificate from Secret mqtt-gateway-tls with
`subPath` (tls.crt, tls.key into /etc/mqtt/certs). cert-manager renewed the Secret on
3 October, but a subPath mount is copied once at container start and never updated, and the
pods have run since 19 September; the certificate they serve expired on 2 November at
04:12 UTC (22:12 CST the evening before) and every device's TLS handshake fails. Decoys: a
cert-manager ACME order retry for another hostname, a broker message-size warning, and a
console pod's readiness timeout."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events
from records import Logfmt, Record
from scenes import at, loud
from traffic import traffic, worker

CST = timezone(timedelta(hours=-6))
START = datetime(2026, 11, 2, 3, 0, tzinfo=UTC)  # 21:00 CST, 1 Nov
NOW = datetime(2026, 11, 2, 5, 30, tzinfo=UTC)
EXPIRY = 72.15  # 04:12:09 UTC


class CertManager:
    """cert-manager's klog lines."""

    def render(self, record: Record) -> list[str]:
        letter = {"INFO": "I", "WARN": "W", "ERROR": "E"}.get(record.level, "I")
        stamp = record.time.strftime("%m%d %H:%M:%S.") + f"{record.time.microsecond:06d}"
        return [f"{letter}{stamp}       1 {record.logger or 'controller.go:162'}] {record.message}"]


def bundle() -> Bundle:
    rng = random.Random(47509)
    total = (NOW - START).total_seconds() / 60

    gw = LogFile("logs/mqtt-gateway.log", Logfmt("mqtt-gateway", rng=rng))
    gw.add(
        traffic(
            rng,
            worker("mqtt-gateway", ["telemetry/+/state", "telemetry/+/alarm", "cmd/+/ack"]),
            START,
            total,
            4300,
        )
    )
    gw.add(
        loud(
            rng,
            START,
            EXPIRY + 0.05,
            total - EXPIRY - 0.1,
            900,
            lambda r: (
                "ERROR",
                f'tls handshake failed remote=100.{r.randrange(64, 127)}.{r.randrange(256)}.{r.randrange(1, 255)}:{r.randrange(20000, 65000)} err="remote error: tls: bad certificate" listener=:8883',
                (),
            ),
        )
    )
    gw.add(
        loud(
            rng,
            START,
            EXPIRY + 3,
            total - EXPIRY - 4,
            60,
            lambda r: (
                "WARN",
                f"connected devices dropped to {r.randrange(20, 300)} (expected ~41000)",
                (),
            ),
        )
    )
    gw.add(
        [
            at(
                START,
                40.0,
                "WARN",
                "message on telemetry/pump-7741/state exceeds 256 KiB (301 KiB), truncated",
            )
        ]
    )
    gw.add(
        [
            at(
                START,
                0.2,
                "INFO",
                "tls status listener=:8883 serving certificate CN=mqtt.fieldlink.io serial=5d:0e:91:aa:37:c2 notAfter=2026-11-02T04:12:09Z (loaded 2026-09-19T15:42:04Z)",
            )
        ]
    )

    cm = LogFile("logs/cert-manager.log", CertManager())
    cm.add(
        [
            at(
                START,
                25.0,
                "ERROR",
                'cert-manager/orders "msg"="failed to create Order resource due to bad request, marking Order as failed" "error"="429 urn:ietf:params:acme:error:rateLimited: too many new orders recently" "resource_name"="grafana-tls-1-28713" "resource_namespace"="monitoring"',
                logger="sync.go:118",
            ),
            at(
                START,
                90.0,
                "INFO",
                'cert-manager/certificates-trigger "msg"="certificate does not need re-issuance" "key"="iot/mqtt-gateway-tls"',
                logger="trigger_controller.go:160",
            ),
        ]
    )
    for minute in range(5, int(total), 15):
        cm.add(
            [
                at(
                    START,
                    minute,
                    "INFO",
                    f'cert-manager/certificates-readiness "msg"="certificate is ready" "key"="iot/{rng.choice(["mqtt-gateway-tls", "console-tls", "api-tls"])}"',
                    logger="readiness_controller.go:141",
                )
            ]
        )

    pod = Pod(
        name="mqtt-gateway-5c7b9f6d48-hx2pw",
        namespace="iot",
        node="aks-edge-22871933-vmss000004",
        app="mqtt-gateway",
        ip="10.244.6.23",
        start_time="Sat, 19 Sep 2026 10:41:55 -0500",
        containers=[
            Container(
                name="mqtt-gateway",
                image="fieldlink.azurecr.io/mqtt-gateway:3.8.1",
                state=["Running", "  Started:      Sat, 19 Sep 2026 10:42:03 -0500"],
                port="8883/TCP",
                limits={"memory": "2Gi"},
                requests={"cpu": "500m", "memory": "1Gi"},
            )
        ],
        volumes=[
            "  certs:",
            "    Type:        Secret (a volume populated by a Secret)",
            "    SecretName:  mqtt-gateway-tls",
            "    Optional:    false",
        ],
    )
    text = describe_pod(pod, rng)
    text = text.replace(
        "    Mounts:\n",
        '    Mounts:\n      /etc/mqtt/certs/tls.crt from certs (ro,path="tls.crt")\n      /etc/mqtt/certs/tls.key from certs (ro,path="tls.key")\n',
    )
    text = "$ kubectl -n iot describe pod mqtt-gateway-5c7b9f6d48-hx2pw\n" + text

    check = "\n".join(
        [
            "$ kubectl -n iot get certificate mqtt-gateway-tls -o wide",
            "NAME               READY   SECRET             ISSUER             STATUS                                          AGE",
            "mqtt-gateway-tls   True    mqtt-gateway-tls   letsencrypt-prod   Certificate is up to date and has not expired   214d",
            "",
            '$ kubectl -n iot get certificate mqtt-gateway-tls -o jsonpath=\'{.status.notAfter}{"  "}{.status.renewalTime}{"\\n"}\'',
            "2027-01-31T03:58:44Z  2027-01-01T03:58:44Z",
            "",
            "$ kubectl -n iot get secret mqtt-gateway-tls -o jsonpath='{.data.tls\\.crt}' | base64 -d | openssl x509 -noout -serial -enddate",
            "serial=03A9F1C07E52B8D4416B0A6E99C1D2F7E1B0",
            "notAfter=Jan 31 03:58:44 2027 GMT",
            "",
            "$ openssl s_client -connect mqtt.fieldlink.io:8883 -servername mqtt.fieldlink.io </dev/null 2>/dev/null | openssl x509 -noout -serial -enddate",
            "serial=5D0E91AA37C2B10F6E4D8823C0A97F1B44E2",
            "notAfter=Nov  2 04:12:09 2026 GMT",
            "",
        ]
    )
    routine = routine_events(
        rng,
        ["mqtt-gateway", "telemetry-writer", "console"],
        14,
        ["aks-edge-22871933-vmss000004", "aks-edge-22871933-vmss000005"],
        namespace="iot",
    )
    signal = [
        (
            int((total - 15) * 60),
            (
                "Warning",
                "Unhealthy",
                "pod/console-6f8d7c9b5-k9w2e",
                'Readiness probe failed: Get "http://10.244.7.14:3000/api/health": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
            ),
        )
    ]
    events = event_listing(routine, signal)
    return Bundle(
        question="Since about 22:12 CST last night almost no field devices can connect to mqtt.fieldlink.io; cert-manager says the certificate is valid until January. What is the root cause?",
        category="tls",
        component="mqtt-gateway",
        statement="mqtt-gateway mounts tls.crt and tls.key from Secret mqtt-gateway-tls with subPath, which is never refreshed; cert-manager renewed the Secret in October but the pods, running since 19 September, still serve the old certificate, which expired on 2 November at 04:12 UTC, so device handshakes fail.",
        files={
            "kubectl-describe-pod.txt": text,
            "cert-checks.txt": check,
            "kubectl-get-events.txt": events,
            gw.name: gw.render(),
            cm.name: cm.render(),
        },
        proofs=[
            Proof(
                "kubectl-describe-pod.txt", '/etc/mqtt/certs/tls.crt from certs (ro,path="tls.crt")'
            ),
            Proof("cert-checks.txt", "notAfter=Nov  2 04:12:09 2026 GMT"),
            Proof(gw.name, "serial=5d:0e:91:aa:37:c2 notAfter=2026-11-02T04:12:09Z"),
        ],
        decoys=["too many new orders recently", "exceeds 256 KiB", "pod/console-6f8d7c9b5-k9w2e"],
    )
