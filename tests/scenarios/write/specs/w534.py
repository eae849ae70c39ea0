# ruff: noqa: E501
# Log lines, kubectl output and YAML are data, kept whole on one line.
"""Kubernetes (AKS, America/Sao_Paulo): at 17:06 UTC the platform team moved the MQTT broker to a
new chart with `helm uninstall` and `helm install`, which deleted and recreated the LoadBalancer
Service `telemetry-mqtt` and released its public IP. The subscription is at its regional quota of
public IP addresses (preview environments took the rest), so the cloud provider cannot give the
new Service an address: EXTERNAL-IP stays <pending>, external-dns removes the broker's A record
and field devices stop sending telemetry. Decoys: a slow Cosmos DB write, an external-dns owner-id
skip for another zone, a broker client keepalive timeout before the change."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events
from records import JsonLines, Record
from scenes import at, loud
from traffic import traffic, worker

BRT = timezone(timedelta(hours=-3))
START = datetime(2026, 6, 3, 16, 15, tzinfo=UTC)
NOW = datetime(2026, 6, 3, 18, 0, tzinfo=UTC)
MOVE = 51.0  # 17:06 UTC


class ExternalDns:
    """external-dns's logrus text output."""

    def render(self, record: Record) -> list[str]:
        stamp = record.time.strftime("%Y-%m-%dT%H:%M:%SZ")
        message = record.message.replace('"', '\\"')
        return [
            f'time="{stamp}" level={record.level.lower().replace("warn", "warning")} msg="{message}"'
        ]


def service() -> str:
    return """$ kubectl -n iot get svc
NAME               TYPE           CLUSTER-IP     EXTERNAL-IP   PORT(S)                          AGE
telemetry-api      ClusterIP      10.0.118.40    <none>        8080/TCP                         311d
telemetry-mqtt     LoadBalancer   10.0.201.92    <pending>     8883:31822/TCP,1883:30417/TCP    54m
telemetry-ingest   ClusterIP      10.0.77.215    <none>        9102/TCP                         311d

$ kubectl -n iot describe svc telemetry-mqtt
Name:                     telemetry-mqtt
Namespace:                iot
Labels:                   app.kubernetes.io/instance=telemetry-mqtt
                          app.kubernetes.io/name=emqx
Annotations:              external-dns.alpha.kubernetes.io/hostname: mqtt.fieldlink.com.br
                          service.beta.kubernetes.io/azure-pip-tags: team=iot
Selector:                 app.kubernetes.io/instance=telemetry-mqtt,app.kubernetes.io/name=emqx
Type:                     LoadBalancer
IP Family Policy:         SingleStack
IP Families:              IPv4
IP:                       10.0.201.92
IPs:                      10.0.201.92
Port:                     mqtts  8883/TCP
TargetPort:               8883/TCP
NodePort:                 mqtts  31822/TCP
Endpoints:                10.244.2.61:8883,10.244.5.19:8883,10.244.7.33:8883
Port:                     mqtt  1883/TCP
TargetPort:               1883/TCP
NodePort:                 mqtt  30417/TCP
Endpoints:                10.244.2.61:1883,10.244.5.19:1883,10.244.7.33:1883
Session Affinity:         None
External Traffic Policy:  Cluster
Events:
  Type     Reason                  Age                 From                Message
  ----     ------                  ----                ----                -------
  Normal   EnsuringLoadBalancer    2m (x15 over 54m)   service-controller  Ensuring load balancer
  Warning  SyncLoadBalancerFailed  2m (x15 over 54m)   service-controller  Error syncing load balancer: failed to ensure load balancer: ensure(iot/telemetry-mqtt): lb(kubernetes) - failed to ensure host in pool: "Retriable: false, RetryAfter: 0s, HTTPStatusCode: 400, RawError: {\\"error\\":{\\"code\\":\\"PublicIPCountLimitReached\\",\\"message\\":\\"Cannot create more than 60 public IP addresses for this subscription in this region.\\"}}"

$ helm -n iot history telemetry-mqtt
REVISION  UPDATED                   STATUS    CHART        APP VERSION  DESCRIPTION
1         Wed Jun  3 14:06:22 2026  deployed  emqx-5.8.3   5.8.3        Install complete
"""


def bundle() -> Bundle:
    rng = random.Random(53431)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    dns = LogFile("logs/external-dns.log", ExternalDns())

    def dns_line(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
        roll = r.random()
        if roll < 0.6:
            return "INFO", "All records are already up to date", ()
        if roll < 0.9:
            return (
                "DEBUG",
                f"Endpoints generated from service: iot/telemetry-api: [] ({r.randrange(3)} skipped)",
                (),
            )
        return (
            "DEBUG",
            f"Refreshing zones list cache (fieldlink.com.br, took {r.randrange(80, 400)}ms)",
            (),
        )

    dns.add(traffic(rng, dns_line, START, total, 210))
    dns.add(
        [
            at(
                START,
                22.0,
                "WARN",
                'Skipping record "grafana.ops.fieldlink.com.br" because its owner id "aks-ops-eastus" does not match "aks-iot-brazilsouth"',
            ),
            at(
                START,
                MOVE + 1.1,
                "INFO",
                "Del records: mqtt.fieldlink.com.br A [191.234.177.18] 300",
            ),
            at(
                START,
                MOVE + 1.12,
                "INFO",
                'Del records: a-mqtt.fieldlink.com.br TXT ["heritage=external-dns,external-dns/owner=aks-iot-brazilsouth,external-dns/resource=service/iot/telemetry-mqtt"] 300',
            ),
        ]
    )

    ingest = LogFile("logs/telemetry-ingest.log", JsonLines("telemetry-ingest", rng=rng, zone=BRT))
    ingest.add(
        traffic(
            rng,
            worker("telemetry-ingest", ["device-telemetry", "device-status"]),
            START,
            MOVE + 2,
            1400,
        )
    )
    ingest.add(
        traffic(
            rng,
            worker("telemetry-ingest", ["device-status"]),
            START + timedelta(minutes=MOVE + 2),
            total - MOVE - 2,
            60,
        )
    )
    ingest.add(
        [at(START, 14.0, "WARN", "cosmos upsert telemetry_raw took 2214ms (RU throttled 0 times)")]
    )
    ingest.add(
        [
            at(
                START,
                33.0,
                "WARN",
                "mqtt: client gw-000418 keepalive timeout, session closed by broker",
            )
        ]
    )
    ingest.add(
        loud(
            rng,
            START,
            MOVE + 6,
            total - MOVE - 6.5,
            120,
            lambda r: (
                "WARN",
                f"no telemetry received for {r.randrange(5, 50)}m from {r.randrange(1900, 2400)} of 2417 devices (site={r.choice(['POA-03', 'CWB-11', 'GRU-07', 'REC-02'])})",
                (),
            ),
        )
    )

    api = LogFile(
        "logs/telemetry-api.log",
        JsonLines("telemetry-api", keys=("@timestamp", "level", "message"), rng=rng, zone=BRT),
    )

    def api_line(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
        return (
            "INFO",
            f"GET /v2/sites/{r.choice(['POA-03', 'CWB-11', 'GRU-07', 'REC-02'])}/latest 200 {r.randrange(4, 60)}ms",
            (),
        )

    api.add(traffic(rng, api_line, START, total, 1500))
    api.add(
        loud(
            rng,
            START,
            MOVE + 10,
            total - MOVE - 10.5,
            150,
            lambda r: (
                "ERROR",
                f"alert rule stale-site fired for site {r.choice(['POA-03', 'CWB-11', 'GRU-07', 'REC-02'])}: last reading {r.randrange(10, 55)}m old",
                (),
            ),
        )
    )

    routine = routine_events(
        rng,
        ["telemetry-ingest", "telemetry-api"],
        10,
        ["aks-iotpool-29174630-vmss000002", "aks-iotpool-29174630-vmss000005"],
        namespace="iot",
    )
    signal = [
        (
            ago(MOVE) + 20,
            ("Normal", "DeletingLoadBalancer", "service/telemetry-mqtt", "Deleting load balancer"),
        ),
        (
            ago(MOVE),
            ("Normal", "DeletedLoadBalancer", "service/telemetry-mqtt", "Deleted load balancer"),
        ),
        (
            ago(MOVE) - 25,
            ("Normal", "EnsuringLoadBalancer", "service/telemetry-mqtt", "Ensuring load balancer"),
        ),
        (
            ago(MOVE) - 40,
            (
                "Normal",
                "SuccessfulCreate",
                "statefulset/telemetry-mqtt-emqx",
                "create Pod telemetry-mqtt-emqx-0 in StatefulSet telemetry-mqtt-emqx successful",
            ),
        ),
    ]
    events = "$ kubectl -n iot get events --sort-by=.lastTimestamp\n" + event_listing(
        routine, signal
    )

    return Bundle(
        question="Field devices stopped reporting telemetry right after the MQTT chart migration at 14:06 BRT, although the broker pods are all Running. What is the root cause?",
        category="rate_limit",
        component="telemetry-mqtt",
        statement="Reinstalling the chart recreated the LoadBalancer Service telemetry-mqtt and released its public IP; the subscription is at its regional public IP quota (PublicIPCountLimitReached), so the new Service never gets an external address, external-dns deletes mqtt.fieldlink.com.br and devices cannot connect.",
        files={
            "kubectl-svc-telemetry-mqtt.txt": service(),
            "kubectl-get-events.txt": events,
            dns.name: dns.render(),
            ingest.name: ingest.render(),
            api.name: api.render(),
        },
        proofs=[
            Proof("kubectl-svc-telemetry-mqtt.txt", "PublicIPCountLimitReached"),
            Proof("kubectl-svc-telemetry-mqtt.txt", "<pending>     8883"),
            Proof(dns.name, "Del records: mqtt.fieldlink.com.br A"),
        ],
        decoys=["took 2214ms", "does not match", "keepalive timeout"],
    )
