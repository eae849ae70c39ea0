# ruff: noqa: E501
# Hand-written log lines and kubectl rows are data, kept whole on one line.
"""A config refactor renames KAFKA_BROKERS to KAFKA_BOOTSTRAP_SERVERS in ConfigMap
transcoder-env; the next node-pool upgrade recreates the transcoder pods, which cannot be
created (CreateContainerConfigError), and uploads pile up behind one surviving pod."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events, table
from records import PythonLogging
from scenes import fixed, loud
from traffic import Line, traffic

START = datetime(2025, 8, 27, 1, 0, tzinfo=UTC)
DRAIN_MINUTE = 24
NODES = [
    "gke-media-default-pool-7e2b91c4-2pxk",
    "gke-media-default-pool-7e2b91c4-8dqn",
    "gke-media-default-pool-7e2b91c4-fz3w",
    "gke-media-default-pool-7e2b91c4-r61m",
]
NEW_PODS = [
    "transcoder-85d6f9c7b4-6jwzt",
    "transcoder-85d6f9c7b4-hx2qd",
    "transcoder-85d6f9c7b4-tq8mv",
]


def config_map() -> str:
    return """apiVersion: v1
data:
  FFMPEG_PRESET: veryfast
  KAFKA_BOOTSTRAP_SERVERS: kafka-0.kafka-headless.streaming.svc:9092,kafka-1.kafka-headless.streaming.svc:9092,kafka-2.kafka-headless.streaming.svc:9092
  KAFKA_CONSUMER_GROUP: transcoder
  OUTPUT_BUCKET: gs://acme-media-renditions
  RENDITIONS: 1080p,720p,480p,240p
  SEGMENT_SECONDS: "6"
kind: ConfigMap
metadata:
  annotations:
    config.kubernetes.io/origin: |
      path: base/transcoder/env.yaml
  creationTimestamp: "2024-02-13T10:22:41Z"
  labels:
    app: transcoder
    app.kubernetes.io/managed-by: kustomize
  name: transcoder-env
  namespace: media
  resourceVersion: "918273645"
  uid: 3c9b1f7e-4a2d-4e8b-9f6c-0d1e2a3b4c5d
"""


def pods(rng: random.Random) -> str:
    rows = [
        (NEW_PODS[0], "0/1", "CreateContainerConfigError", "0", "36m"),
        (NEW_PODS[1], "0/1", "CreateContainerConfigError", "0", "31m"),
        (NEW_PODS[2], "0/1", "CreateContainerConfigError", "0", "27m"),
        ("transcoder-85d6f9c7b4-w5bkl", "1/1", "Running", "0", "6d4h"),
    ]
    for app in ["uploader", "uploader", "thumbnailer", "thumbnailer", "catalog-sync"]:
        rows.append(
            (
                f"{app}-{rng.getrandbits(36):09x}-{rng.getrandbits(20):05x}",
                "1/1",
                "Running",
                "0",
                f"{rng.randrange(20, 36)}m",
            )
        )
    rows.sort()
    return "\n".join(table(("NAME", "READY", "STATUS", "RESTARTS", "AGE"), rows)) + "\n"


def uploader_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return (
            "INFO",
            f"upload {rng.getrandbits(48):012x} complete: {rng.randrange(5, 900)} MB in {rng.randrange(2, 90)}s, queued for transcoding",
            (),
        )
    if roll < 0.8:
        return "INFO", f"GET /v1/videos/{rng.getrandbits(48):012x} 200 {rng.randrange(3, 40)}ms", ()
    return "INFO", f"signed upload URL issued for user {rng.randrange(10**6)}", ()


def transcoder_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.6:
        return (
            "INFO",
            f"video {rng.getrandbits(48):012x}: rendered {rng.choice(['1080p', '720p', '480p', '240p'])} ({rng.randrange(20, 600)} segments) in {rng.randrange(8, 240)}s",
            (),
        )
    if roll < 0.9:
        return (
            "INFO",
            f"committed offset {rng.randrange(10**6, 10**7)} on uploads-{rng.randrange(12)}",
            (),
        )
    return "DEBUG", "ffmpeg worker pool: 4 of 4 busy", ()


def bundle() -> Bundle:
    rng = random.Random(173)
    container = Container(
        name="transcoder",
        image="us-docker.pkg.dev/acme-media/apps/transcoder:2.14.1",
        state=["Waiting", "  Reason:       CreateContainerConfigError"],
        ready=False,
        limits={"cpu": "4", "memory": "6Gi"},
        requests={"cpu": "2", "memory": "4Gi"},
        environment=[
            "FFMPEG_PRESET:         <set to the key 'FFMPEG_PRESET' of config map 'transcoder-env'>          Optional: false",
            "KAFKA_BROKERS:         <set to the key 'KAFKA_BROKERS' of config map 'transcoder-env'>          Optional: false",
            "KAFKA_CONSUMER_GROUP:  <set to the key 'KAFKA_CONSUMER_GROUP' of config map 'transcoder-env'>   Optional: false",
            "OUTPUT_BUCKET:         <set to the key 'OUTPUT_BUCKET' of config map 'transcoder-env'>          Optional: false",
        ],
        port="9100/TCP",
    )
    pod = Pod(
        name=NEW_PODS[0],
        namespace="media",
        node=NODES[2],
        app="transcoder",
        containers=[container],
        status="Pending",
        conditions={
            "PodReadyToStartContainers": "True",
            "Initialized": "True",
            "Ready": "False",
            "ContainersReady": "False",
            "PodScheduled": "True",
        },
        start_time="Wed, 27 Aug 2025 01:24:07 +0000",
        ip="10.88.2.41",
        service_account="transcoder",
        events=[
            (
                "Normal",
                "Scheduled",
                "36m",
                "default-scheduler",
                f"Successfully assigned media/{NEW_PODS[0]} to {NODES[2]}",
            ),
            (
                "Normal",
                "Pulled",
                "84s (x160 over 36m)",
                "kubelet",
                'Container image "us-docker.pkg.dev/acme-media/apps/transcoder:2.14.1" already present on machine',
            ),
            (
                "Warning",
                "Failed",
                "84s (x160 over 36m)",
                "kubelet",
                "Error: couldn't find key KAFKA_BROKERS in ConfigMap media/transcoder-env",
            ),
        ],
    )
    routine = routine_events(
        rng, ["uploader", "thumbnailer", "catalog-sync"], 380, NODES, namespace="media"
    )
    signal = [
        (
            2500,
            (
                "Normal",
                "NodeNotSchedulable",
                f"node/{NODES[0]}",
                f"Node {NODES[0]} status is now: NodeNotSchedulable",
            ),
        ),
        (
            2180,
            (
                "Normal",
                "Killing",
                "pod/transcoder-7b9c5d8f6-mzq4r",
                "Stopping container transcoder",
            ),
        ),
        (
            2170,
            (
                "Warning",
                "Failed",
                f"pod/{NEW_PODS[0]}",
                "Error: couldn't find key KAFKA_BROKERS in ConfigMap media/transcoder-env",
            ),
        ),
        (
            1880,
            (
                "Normal",
                "NodeNotSchedulable",
                f"node/{NODES[1]}",
                f"Node {NODES[1]} status is now: NodeNotSchedulable",
            ),
        ),
        (
            1860,
            (
                "Warning",
                "Failed",
                f"pod/{NEW_PODS[1]}",
                "Error: couldn't find key KAFKA_BROKERS in ConfigMap media/transcoder-env",
            ),
        ),
        (
            1620,
            (
                "Warning",
                "Failed",
                f"pod/{NEW_PODS[2]}",
                "Error: couldn't find key KAFKA_BROKERS in ConfigMap media/transcoder-env",
            ),
        ),
        (
            1610,
            (
                "Warning",
                "FailedToUpdateEndpoint",
                "endpoints/transcoder-metrics",
                'Failed to update endpoint media/transcoder-metrics: Operation cannot be fulfilled on endpoints "transcoder-metrics": the object has been modified; please apply your changes to the latest version and try again',
            ),
        ),
        (
            900,
            (
                "Warning",
                "ProgressDeadlineExceeded",
                "deployment/transcoder",
                'ReplicaSet "transcoder-85d6f9c7b4" has timed out progressing.',
            ),
        ),
    ]
    uploader = LogFile("uploader.log", PythonLogging(("uploader.api", "uploader.queue"), rng=rng))
    uploader.add(traffic(rng, uploader_line, START, 60, 2300))
    uploader.add(
        loud(
            rng,
            START,
            DRAIN_MINUTE + 6,
            30,
            180,
            fixed(
                "WARN",
                lambda r: (
                    f"transcoding backlog high: consumer group transcoder lag={r.randrange(4000, 19000)} messages on topic uploads (threshold 1000)"
                ),
            ),
        )
    )
    uploader.add(
        loud(
            rng,
            START,
            DRAIN_MINUTE + 12,
            24,
            96,
            fixed(
                "ERROR",
                lambda r: (
                    f"video {r.getrandbits(48):012x} still processing after 900s, user notified of delay"
                ),
            ),
        )
    )
    survivor = LogFile(
        "transcoder.log",
        PythonLogging(("transcoder.worker", "kafka.coordinator.consumer"), rng=rng),
    )
    survivor.add(traffic(rng, transcoder_line, START, 60, 1700))
    survivor.add(
        loud(
            rng,
            START,
            DRAIN_MINUTE + 0.2,
            12,
            14,
            fixed(
                "WARN",
                lambda r: (
                    f"Heartbeat failed for group transcoder because it is rebalancing (generation {r.randrange(410, 430)})"
                ),
                None,
            ),
        )
    )
    survivor.add(
        loud(
            rng,
            START,
            DRAIN_MINUTE + 1,
            30,
            40,
            fixed(
                "INFO",
                lambda r: (
                    "Successfully joined group transcoder with generation 431; assigned partitions uploads-0..uploads-11"
                ),
            ),
        )
    )
    return Bundle(
        question="Video uploads have been stuck 'processing' since the GKE node-pool upgrade started at 01:24 UTC. Find the cause.",
        category="configuration",
        component="transcoder",
        statement="The transcoder pods reference key KAFKA_BROKERS in ConfigMap media/transcoder-env, which was renamed to KAFKA_BOOTSTRAP_SERVERS, so every pod recreated by the node drain fails with CreateContainerConfigError and only one old pod is left consuming uploads.",
        files={
            "get-pods.txt": pods(rng),
            "describe-pod.txt": describe_pod(pod, rng),
            "configmap.yaml": config_map(),
            "events.txt": event_listing(routine, signal),
            "uploader.log": uploader.render(),
            "transcoder.log": survivor.render(),
        },
        proofs=[
            Proof(
                "describe-pod.txt",
                "Error: couldn't find key KAFKA_BROKERS in ConfigMap media/transcoder-env",
            ),
            Proof("describe-pod.txt", "KAFKA_BROKERS:         <set to the key 'KAFKA_BROKERS'"),
            Proof("configmap.yaml", "KAFKA_BOOTSTRAP_SERVERS:"),
        ],
        decoys=["transcoding backlog high", "it is rebalancing", "ProgressDeadlineExceeded"],
    )
