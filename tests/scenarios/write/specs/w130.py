# ruff: noqa: E501
# kubectl rows, YAML, Envoy access-log lines and hand-written log lines are data, kept whole on one line.
"""Kubernetes with Istio: at 03:47 UTC an Argo CD sync of the platform repo adds a namespace-wide
PeerAuthentication `default` with `mtls.mode: STRICT` to the ledger namespace. Every meshed
caller (payments, invoicing) keeps working over mTLS, but the settlement-batch CronJob runs in the
batch namespace, which has no sidecar injection, and talks plaintext: the ledger pods' istio-proxy
finds no filter chain for it (`NR filter_chain_not_found`) and resets each connection. Loud: the
batch's `Connection reset by peer` tracebacks and its Job hitting BackoffLimitExceeded. Decoys: the
Job failure itself, a ledger pod restart (OOMKilled) the day before, and istio-proxy's routine
`gRPC config stream closed` warnings."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from kube import age, table
from records import PythonLogging, Record
from scenes import at, python_traceback
from traffic import Line, traffic

NOW = datetime(2024, 12, 3, 4, 41, tzinfo=UTC)
POLICY = datetime(2024, 12, 3, 3, 47, 12, tzinfo=UTC)
LEDGER_PODS = ["ledger-6b8d5f7c9-4kqzt", "ledger-6b8d5f7c9-9wv2m", "ledger-6b8d5f7c9-xt7hp"]
LEDGER_IPS = ["10.52.3.41", "10.52.1.77", "10.52.6.19"]
BATCH_IPS = ["10.52.4.112", "10.52.4.131", "10.52.5.203", "10.52.2.58"]


class EnvoyAccess:
    """Istio's default Envoy access-log line, as `kubectl logs -c istio-proxy` prints it."""

    def render(self, record: Record) -> list[str]:
        stamp = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond // 1000:03d}Z"
        )
        if record.level == "WARN":
            return [
                f"{stamp}\twarning\tenvoy config external/envoy/source/extensions/config_subscription/grpc/grpc_stream.h:155\tStreamAggregatedResources gRPC config stream to xds-grpc closed since 1795s ago: 13, \tthread=17"
            ]
        return [f"[{stamp}] {record.message}"]


def inbound_ok(rng: random.Random) -> Line:
    caller = rng.choice([("payments", "10.52.2.{}"), ("invoicing", "10.52.5.{}")])
    path = rng.choice(["/v1/postings", "/v1/accounts/{}/balance", "/v1/postings/{}"]).replace(
        "{}", str(rng.randrange(10**6))
    )
    method = "POST" if path == "/v1/postings" else "GET"
    status = rng.choices([200, 201, 404], [70, 25, 3])[0]
    pod_ip = rng.choice(LEDGER_IPS)
    remote = caller[1].format(rng.randrange(2, 250))
    duration = max(1, int(rng.lognormvariate(0, 0.5) * 9))
    request_id = f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-{rng.getrandbits(16):04x}-{rng.getrandbits(16):04x}-{rng.getrandbits(48):012x}"
    return (
        "INFO",
        f'"{method} {path} HTTP/1.1" {status} - via_upstream - "-" {rng.randrange(0, 900)} {rng.randrange(40, 3000)} {duration} {max(0, duration - 1)} "-" "Go-http-client/1.1" "{request_id}" "ledger.ledger.svc.cluster.local:8080" "{pod_ip}:8080" inbound|8080|| 127.0.0.6:{rng.randrange(33000, 60000)} {pod_ip}:8080 {remote}:{rng.randrange(33000, 60000)} outbound_.8080_._.ledger.ledger.svc.cluster.local default',
        (),
    )


def inbound_reset(rng: random.Random) -> Line:
    pod_ip = rng.choice(LEDGER_IPS)
    return (
        "INFO",
        f'"- - -" 0 NR filter_chain_not_found - "-" 0 0 0 - "-" "-" "-" "-" "-" - - {pod_ip}:8080 {rng.choice(BATCH_IPS)}:{rng.randrange(33000, 60000)} - -',
        (),
    )


def batch_log(rng: random.Random) -> str:
    log = LogFile(
        "logs/settlement-batch.log", PythonLogging(("settlement.run", "settlement.client"), rng=rng)
    )
    for run, start in enumerate([NOW - timedelta(minutes=m) for m in (101, 71, 41, 11)]):
        merchants = 1200 + run * 13
        log.add(
            [
                at(
                    start,
                    0.0,
                    "INFO",
                    f"settlement run {start.strftime('%Y%m%dT%H%M')} starting: {merchants} merchants, window 2024-12-02T00:00Z..2024-12-03T00:00Z",
                    logger="settlement.run",
                )
            ]
        )
        failing = start >= POLICY
        if not failing:
            log.add(
                traffic(
                    rng,
                    lambda r: (
                        "INFO",
                        f"posted settlement for merchant m-{r.randrange(10**5):05d}: {r.randrange(1, 900)} items, EUR {r.randrange(100, 99999)}.{r.randrange(100):02d}",
                        (),
                    ),
                    start + timedelta(seconds=5),
                    14,
                    900,
                    "settlement.client",
                )
            )
            log.add(
                [
                    at(
                        start,
                        14.5,
                        "INFO",
                        f"settlement run {start.strftime('%Y%m%dT%H%M')} finished: {merchants} merchants posted, 0 failed",
                        logger="settlement.run",
                    )
                ]
            )
            continue
        for attempt in range(6):
            minute = 0.1 + attempt * 0.35
            log.add(
                [
                    at(
                        start,
                        minute,
                        "ERROR",
                        f"POST http://ledger.ledger.svc.cluster.local:8080/v1/postings failed (attempt {attempt + 1}/6)",
                        python_traceback(
                            [
                                (
                                    "/usr/local/lib/python3.12/site-packages/urllib3/connectionpool.py",
                                    789,
                                    "urlopen",
                                    "response = self._make_request(",
                                ),
                                (
                                    "/usr/local/lib/python3.12/site-packages/urllib3/connection.py",
                                    466,
                                    "getresponse",
                                    "httplib_response = super().getresponse()",
                                ),
                                (
                                    "/usr/local/lib/python3.12/http/client.py",
                                    292,
                                    "_read_status",
                                    'line = str(self.fp.readline(_MAXLINE + 1), "iso-8859-1")',
                                ),
                                (
                                    "/usr/local/lib/python3.12/socket.py",
                                    720,
                                    "readinto",
                                    "return self._sock.recv_into(b)",
                                ),
                            ],
                            "requests.exceptions.ConnectionError: ('Connection aborted.', ConnectionResetError(104, 'Connection reset by peer'))",
                        ),
                        logger="settlement.client",
                    )
                ]
            )
        log.add(
            [
                at(
                    start,
                    2.3,
                    "FATAL",
                    f"settlement run {start.strftime('%Y%m%dT%H%M')} aborted: ledger unreachable after 6 attempts",
                    logger="settlement.run",
                )
            ]
        )
    return log.render()


def proxy_log(rng: random.Random) -> str:
    log = LogFile("logs/ledger-envoy.log", EnvoyAccess())
    start = NOW - timedelta(minutes=110)
    log.add(traffic(rng, inbound_ok, start, 110, 3400))
    for minute in (3, 33, 63, 93):
        log.add([at(start, minute + rng.random(), "WARN", "xds")])
    for run_start in [NOW - timedelta(minutes=m) for m in (71, 41, 11)]:
        if run_start < POLICY:
            continue
        log.add(traffic(rng, inbound_reset, run_start, 2.3, 24))
    return log.render()


POLICY_YAML = """apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  annotations:
    argocd.argoproj.io/tracking-id: mesh-baseline:security.istio.io/PeerAuthentication:ledger/default
  creationTimestamp: "2024-12-03T03:47:12Z"
  generation: 1
  labels:
    app.kubernetes.io/instance: mesh-baseline
  name: default
  namespace: ledger
  resourceVersion: "88217340"
  uid: 6e0d3c4a-91b7-4f25-8a3e-2c5d7f1e9b08
spec:
  mtls:
    mode: STRICT
"""


def kubectl_text(rng: random.Random) -> str:
    pa_rows = [
        ("NAMESPACE", "NAME", "MODE", "AGE"),
        ("istio-system", "mesh-default", "PERMISSIVE", "214d"),
        ("ledger", "default", "STRICT", age(int((NOW - POLICY).total_seconds()))),
        ("payments", "default", "STRICT", "61d"),
    ]
    ns_rows = [
        ("NAME", "STATUS", "AGE", "ISTIO-INJECTION"),
        ("batch", "Active", "301d", ""),
        ("invoicing", "Active", "288d", "enabled"),
        ("ledger", "Active", "301d", "enabled"),
        ("payments", "Active", "301d", "enabled"),
    ]
    pod_rows = [("NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP")]
    for index, pod in enumerate(LEDGER_PODS):
        pod_rows.append(
            (pod, "2/2", "Running", "1 (22h ago)" if index == 1 else "0", "3d4h", LEDGER_IPS[index])
        )
    job_rows = [("NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE")]
    events = []
    for minutes in (131, 101, 71, 41, 11):
        run = NOW - timedelta(minutes=minutes)
        ok = run < POLICY
        job = f"settlement-batch-{int(run.timestamp()) // 60}"
        job_rows.append(
            (
                job,
                "Complete" if ok else "Failed",
                "1/1" if ok else "0/1",
                "14m" if ok else "2m38s",
                f"{minutes}m",
            )
        )
        ago = minutes * 60
        pods = [f"{job}-{rng.getrandbits(25):05x}"[: len(job) + 6] for _ in range(1 if ok else 3)]
        for index, pod in enumerate(pods):
            start = ago - index * 50
            events.append(
                (start, "Normal", "SuccessfulCreate", f"job/{job}", f"Created pod: {pod}")
            )
            events.append(
                (
                    start - 1,
                    "Normal",
                    "Scheduled",
                    f"pod/{pod}",
                    f"Successfully assigned batch/{pod} to gke-prod-apps-b7e1c2d4-{rng.choice(['k2lq', 'p9zx', 'w4mt'])}",
                )
            )
            events.append(
                (
                    start - 2,
                    "Normal",
                    "Pulled",
                    f"pod/{pod}",
                    'Container image "europe-docker.pkg.dev/acme-fin/apps/settlement-batch:2.7.4" already present on machine',
                )
            )
            events.append(
                (start - 3, "Normal", "Started", f"pod/{pod}", "Started container settlement-batch")
            )
        if ok:
            events.append((ago - 840, "Normal", "Completed", f"job/{job}", "Job completed"))
        else:
            events.append(
                (
                    ago - 158,
                    "Warning",
                    "BackoffLimitExceeded",
                    f"job/{job}",
                    "Job has reached the specified backoff limit",
                )
            )
    events = [row for row in events if row[0] < 3600 * 2]
    events.sort(key=lambda row: -row[0])
    ev_rows = [
        ("LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"),
        *((age(a), *rest) for a, *rest in events),
    ]
    sections = [
        "$ kubectl get namespaces -L istio-injection",
        *table(ns_rows[0], ns_rows[1:]),
        "",
        "$ kubectl get pods -n ledger -o wide | cut -c1-80",
        *table(pod_rows[0], pod_rows[1:]),
        "",
        "$ kubectl describe pod ledger-6b8d5f7c9-9wv2m -n ledger | grep -A5 'Last State'",
        "    Last State:     Terminated",
        "      Reason:       OOMKilled",
        "      Exit Code:    137",
        "      Started:      Mon, 02 Dec 2024 05:44:09 +0000",
        "      Finished:     Mon, 02 Dec 2024 06:31:52 +0000",
        "",
        "$ kubectl get jobs -n batch",
        *table(job_rows[0], job_rows[1:]),
        "",
        "$ kubectl get events -n batch --sort-by=.lastTimestamp",
        *table(ev_rows[0], ev_rows[1:]),
        "",
        "$ kubectl get peerauthentication -A",
        *table(pa_rows[0], pa_rows[1:]),
        "",
        "$ kubectl get peerauthentication default -n ledger -o yaml",
        *POLICY_YAML.rstrip("\n").split("\n"),
    ]
    return "\n".join(sections) + "\n"


NOTES = """# settlement incident, handover 04:40 UTC

- 04:03 PagerDuty: settlement-batch job failed (BackoffLimitExceeded). Retried by the CronJob at 04:30, failed again.
- Job log says connection reset by peer talking to ledger. Ledger itself looks fine: payments and invoicing
  post to it all night without errors, p99 normal, pods 2/2 Running.
- One ledger pod was OOMKilled yesterday morning (see describe below), memory looks flat since.
- Nothing deployed by us since Friday. Argo CD shows syncs of the platform repo overnight, not checked yet.
- Question for whoever picks this up: why can the batch not talk to ledger any more?
"""


def bundle() -> Bundle:
    rng = random.Random(1130)
    return Bundle(
        question="The nightly settlement-batch job fails since its 04:00 UTC run with 'Connection reset by peer' when posting to ledger, while other services use ledger fine. What is wrong?",
        category="tls",
        component="ledger",
        statement="At 03:47:12 UTC an Argo CD sync created PeerAuthentication `default` with mTLS mode STRICT in the ledger namespace; settlement-batch runs in the un-injected batch namespace and sends plaintext, so ledger's istio-proxy finds no filter chain (NR filter_chain_not_found) and resets every connection, and the job fails from its 04:00 run onward.",
        files={
            "notes.md": NOTES,
            "kubectl-output.txt": kubectl_text(rng),
            "logs/settlement-batch.log": batch_log(rng),
            "logs/ledger-envoy.log": proxy_log(rng),
        },
        proofs=[
            Proof(
                "kubectl-output.txt", 'creationTimestamp: "2024-12-03T03:47:12Z"', "mode: STRICT"
            ),
        ],
        decoys=["BackoffLimitExceeded", "OOMKilled", "gRPC config stream to xds-grpc closed"],
    )
