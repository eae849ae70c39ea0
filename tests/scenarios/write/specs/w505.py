# ruff: noqa: E501
# Log lines, kubectl output and YAML are data, kept whole on one line.
"""Kubernetes (on-prem, America/Sao_Paulo): storage moved the media share's export to a new NAS
on 2026-06-02, and the new export has root_squash on (the old one had no_root_squash). The
media-transcoder Deployment's init container runs as root and does `chown -R 1001:1001 /media`;
on the new export root is squashed to nobody, so every pod created after the 13:40 rollout sits in
Init:CrashLoopBackOff and the upload queue backs up. Old pods keep working until the rollout
replaces them. Decoys: an ffmpeg codec WARN, a RabbitMQ heartbeat timeout, and a FailedScheduling
on an unrelated GPU job."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events
from records import PythonLogging, SpringBoot
from scenes import at, loud
from traffic import traffic, web_api, worker

BRT = timezone(timedelta(hours=-3))
START = datetime(2026, 6, 2, 16, 0, tzinfo=UTC)
NOW = datetime(2026, 6, 2, 17, 25, tzinfo=UTC)
ROLL = 40.0


def pod_text(rng: random.Random) -> str:
    pod = Pod(
        name="media-transcoder-5c8d7f6b9-hq4lz",
        namespace="media",
        node="k8s-worker-07.dc1.example.internal",
        app="media-transcoder",
        ip="172.20.7.66",
        start_time="Tue, 02 Jun 2026 16:40:19 +0000",
        status="Pending",
        init_containers=[
            Container(
                name="fix-perms",
                image="registry.dc1.example.internal/base/busybox:1.36",
                state=["Waiting", "  Reason:       CrashLoopBackOff"],
                last_state=[
                    "Terminated",
                    "  Reason:       Error",
                    "  Exit Code:    1",
                    "  Started:      Tue, 02 Jun 2026 17:19:02 +0000",
                    "  Finished:     Tue, 02 Jun 2026 17:19:02 +0000",
                ],
                ready=False,
                restarts=9,
                environment=[],
                port="<none>",
            )
        ],
        containers=[
            Container(
                name="transcoder",
                image="registry.dc1.example.internal/media/transcoder:7.3.1",
                state=["Waiting", "  Reason:       PodInitializing"],
                ready=False,
                limits={"cpu": "4", "memory": "6Gi"},
                requests={"cpu": "2", "memory": "4Gi"},
            )
        ],
        conditions={
            "Initialized": "False",
            "Ready": "False",
            "ContainersReady": "False",
            "PodScheduled": "True",
        },
        volumes=[
            "  media:",
            "    Type:      PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)",
            "    ClaimName:  media-share",
            "    ReadOnly:   false",
        ],
        events=[
            (
                "Normal",
                "Scheduled",
                "45m",
                "default-scheduler",
                "Successfully assigned media/media-transcoder-5c8d7f6b9-hq4lz to k8s-worker-07.dc1.example.internal",
            ),
            (
                "Normal",
                "Pulled",
                "6m (x10 over 45m)",
                "kubelet",
                'Container image "registry.dc1.example.internal/base/busybox:1.36" already present on machine',
            ),
            (
                "Warning",
                "BackOff",
                "58s (x201 over 44m)",
                "kubelet",
                "Back-off restarting failed container fix-perms in pod media-transcoder-5c8d7f6b9-hq4lz_media(0c6e1d4a-2f87-4b39-9e15-b7a3d8c21f60)",
            ),
        ],
    )
    text = describe_pod(pod, rng).replace(
        "    Environment:    <none>\n    Mounts:\n      /var/run/secrets/kubernetes.io/serviceaccount from",
        "    Command:\n      sh\n      -c\n      chown -R 1001:1001 /media && chmod 2775 /media\n    Environment:    <none>\n    Mounts:\n      /media from media (rw)\n      /var/run/secrets/kubernetes.io/serviceaccount from",
        1,
    )
    return "$ kubectl -n media describe pod media-transcoder-5c8d7f6b9-hq4lz\n" + text


def other() -> str:
    return """$ kubectl -n media logs media-transcoder-5c8d7f6b9-hq4lz -c fix-perms
chown: /media: Operation not permitted
chown: /media/incoming: Operation not permitted
chown: /media/.snapshot: Read-only file system

$ kubectl get pv pvc-8e41c2d7-media-share -o jsonpath='{.spec.nfs}{"\\n"}{.metadata.annotations}{"\\n"}'
{"path":"/export/media","server":"nas02.dc1.example.internal"}
{"pv.kubernetes.io/provisioned-by":"manual","storage.dc1/migrated-from":"nas01.dc1.example.internal:/vol/media","storage.dc1/migrated-at":"2026-06-02T14:05:00Z"}

$ ssh nas02 'exportfs -v | grep -A1 /export/media'
/export/media   172.20.0.0/16(sync,wdelay,hide,no_subtree_check,sec=sys,rw,secure,root_squash,no_all_squash)

$ kubectl -n media get pods -l app=media-transcoder
NAME                                READY   STATUS                  RESTARTS      AGE
media-transcoder-5c8d7f6b9-hq4lz    0/1     Init:CrashLoopBackOff   9 (6m ago)    45m
media-transcoder-5c8d7f6b9-w2c8n    0/1     Init:CrashLoopBackOff   9 (4m ago)    45m
media-transcoder-7f9b4c8d66-8mfkx   1/1     Running                 0             6d
"""


def bundle() -> Bundle:
    rng = random.Random(50519)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    tc = LogFile(
        "logs/media-transcoder-7f9b4c8d66-8mfkx.log",
        PythonLogging(("transcoder.worker", "transcoder.amqp", "transcoder.ffmpeg"), rng=rng),
    )
    tc.add(
        traffic(
            rng, worker("media-transcoder", ["uploads.video", "uploads.audio"]), START, total, 1800
        )
    )
    tc.add(
        [
            at(
                START,
                22.0,
                "WARN",
                "ffmpeg: [h264 @ 0x55d1c3e0] SEI type 5 size 2256 truncated at 1896, continuing",
                logger="transcoder.ffmpeg",
            ),
            at(
                START,
                51.0,
                "WARN",
                "AMQP heartbeat timeout on channel 3, reconnecting to rabbitmq.media.svc:5672",
                logger="transcoder.amqp",
            ),
        ]
    )
    tc.add(
        loud(
            rng,
            START,
            ROLL + 15,
            total - ROLL - 16,
            90,
            lambda r: (
                "WARN",
                f"queue uploads.video depth={r.randrange(400, 2600)} consumers=1 prefetch=2, falling behind",
                (),
            ),
        )
    )
    api = LogFile(
        "logs/upload-api.log",
        SpringBoot(("b.c.media.UploadController", "b.c.media.StatusService"), rng=rng, zone=BRT),
    )
    api.add(traffic(rng, web_api("upload-api", ["uploads", "assets"]), START, total, 2600))
    api.add(
        loud(
            rng,
            START,
            ROLL + 25,
            total - ROLL - 26,
            160,
            lambda r: (
                "ERROR",
                f"asset {r.getrandbits(40):010x} still PENDING after 15 min, marking as delayed",
                (),
            ),
        )
    )
    routine = routine_events(
        rng,
        ["upload-api", "thumbnailer"],
        12,
        ["k8s-worker-03.dc1.example.internal", "k8s-worker-07.dc1.example.internal"],
        namespace="media",
    )
    signal = [
        (
            ago(ROLL),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/media-transcoder",
                "Scaled up replica set media-transcoder-5c8d7f6b9 to 2",
            ),
        ),
        (
            ago(ROLL) - 5,
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/media-transcoder",
                "Scaled down replica set media-transcoder-7f9b4c8d66 to 1 from 3",
            ),
        ),
        (
            60,
            (
                "Warning",
                "BackOff",
                "pod/media-transcoder-5c8d7f6b9-w2c8n",
                "Back-off restarting failed container fix-perms in pod media-transcoder-5c8d7f6b9-w2c8n_media(9f2a61c3-5de0-4b7e-8c14-3a6b0e9d7f25)",
            ),
        ),
        (
            ago(30),
            (
                "Warning",
                "FailedScheduling",
                "pod/gpu-render-29643120-tq8xb",
                "0/9 nodes are available: 9 Insufficient nvidia.com/gpu. preemption: 0/9 nodes are available: 9 No preemption victims found for incoming pod.",
            ),
        ),
    ]
    events = "$ kubectl -n media get events --sort-by=.lastTimestamp\n" + event_listing(
        routine, signal
    )
    return Bundle(
        question="Uploaded videos have been stuck in PENDING since about 14:05 BRT; two of the three transcoder pods never start. What is the root cause?",
        category="permission",
        component="media-transcoder",
        statement="The media share was migrated to nas02's export with root_squash, so media-transcoder's root init container fix-perms can no longer chown /media (Operation not permitted); every pod from the 16:40 UTC rollout stays in Init:CrashLoopBackOff and only one old pod consumes the queue.",
        files={
            "kubectl-describe-pod.txt": pod_text(rng),
            "kubectl-output.txt": other(),
            "kubectl-get-events.txt": events,
            tc.name: tc.render(),
            api.name: api.render(),
        },
        proofs=[
            Proof("kubectl-output.txt", "chown: /media: Operation not permitted"),
            Proof("kubectl-output.txt", "rw,secure,root_squash"),
            Proof("kubectl-describe-pod.txt", "chown -R 1001:1001 /media"),
        ],
        decoys=["SEI type 5", "AMQP heartbeat timeout", "Insufficient nvidia.com/gpu"],
    )
