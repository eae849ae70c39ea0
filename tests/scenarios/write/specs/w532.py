# ruff: noqa: E501
# Log lines, kubectl output and YAML are data, kept whole on one line.
"""Kubernetes (EKS, America/Chicago): the node group `transcode-v2` replaced `transcode-v1` at
14:05 UTC and moved from c6id (local NVMe) to c6i instances, which have no instance store. The
node bootstrap unit that formats and mounts the NVMe scratch disk at /mnt/fast-scratch finds no
device and skips, so the directory never exists. media-transcoder mounts it as a hostPath of
`type: Directory`; every pod rescheduled onto the new nodes stays in ContainerCreating with
`hostPath type check failed`, and the upload API's transcode queue backs up. Decoys: an S3 slow
request warning, a Pod Disruption Budget message during the node rotation, an ffmpeg warning."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events
from records import JsonLines, PythonLogging, Record
from scenes import at, loud
from traffic import host_traffic, traffic, web_api, worker

CHICAGO = timezone(timedelta(hours=-5))
START = datetime(2026, 3, 19, 13, 20, tzinfo=UTC)
NOW = datetime(2026, 3, 19, 15, 10, tzinfo=UTC)
SWAP = 45.0  # 14:05 UTC
NEW_NODE = "ip-10-42-71-19.us-east-2.compute.internal"


class JournalIso:
    """`journalctl -o short-iso` with each record's own program[pid]."""

    def __init__(self, host: str) -> None:
        self.host = host

    def render(self, record: Record) -> list[str]:
        stamp = record.time.strftime("%Y-%m-%dT%H:%M:%S+0000")
        return [f"{stamp} {self.host} {record.logger}: {record.message}"]


def nodes() -> str:
    return f"""$ kubectl get nodes -L eks.amazonaws.com/nodegroup,node.kubernetes.io/instance-type -l workload=transcode
NAME                                          STATUS   ROLES    AGE   VERSION               NODEGROUP      INSTANCE-TYPE
ip-10-42-64-203.us-east-2.compute.internal    Ready    <none>   61m   v1.30.4-eks-a737599   transcode-v2   c6i.4xlarge
{NEW_NODE}     Ready    <none>   63m   v1.30.4-eks-a737599   transcode-v2   c6i.4xlarge
ip-10-42-88-140.us-east-2.compute.internal    Ready    <none>   62m   v1.30.4-eks-a737599   transcode-v2   c6i.4xlarge

$ kubectl -n media get deploy media-transcoder -o yaml | grep -B2 -A4 'hostPath:'
      volumes:
      - hostPath:
          path: /mnt/fast-scratch
          type: Directory
        name: scratch
"""


def bundle() -> Bundle:
    rng = random.Random(53211)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    pod = Pod(
        name="media-transcoder-5c9b7f8d64-hx4tq",
        namespace="media",
        node=NEW_NODE,
        app="media-transcoder",
        status="Pending",
        ip="10.42.71.77",
        start_time="Thu, 19 Mar 2026 09:11:30 -0500",
        containers=[
            Container(
                name="transcoder",
                image="412775390218.dkr.ecr.us-east-2.amazonaws.com/media/transcoder:7.4.2",
                state=["Waiting", "  Reason:       ContainerCreating"],
                ready=False,
                limits={"cpu": "8", "memory": "12Gi"},
                requests={"cpu": "6", "memory": "12Gi"},
            )
        ],
        conditions={
            "PodReadyToStartContainers": "False",
            "Initialized": "True",
            "Ready": "False",
            "ContainersReady": "False",
            "PodScheduled": "True",
        },
        volumes=[
            "  scratch:",
            "    Type:          HostPath (bare host directory volume)",
            "    Path:          /mnt/fast-scratch",
            "    HostPathType:  Directory",
        ],
        events=[
            (
                "Normal",
                "Scheduled",
                "57m",
                "default-scheduler",
                f"Successfully assigned media/media-transcoder-5c9b7f8d64-hx4tq to {NEW_NODE}",
            ),
            (
                "Warning",
                "FailedMount",
                "2m (x36 over 57m)",
                "kubelet",
                'MountVolume.SetUp failed for volume "scratch" : hostPath type check failed: /mnt/fast-scratch is not a directory',
            ),
        ],
    )

    journal = LogFile("node-ip-10-42-71-19-journal.txt", JournalIso(NEW_NODE.split(".")[0]))
    journal.add(host_traffic(rng, START + timedelta(minutes=SWAP - 3), total - SWAP + 3, 700))
    journal.add(
        [
            at(
                START,
                SWAP - 2.2,
                "INFO",
                "Starting nvme-scratch.service - Format and mount local NVMe scratch...",
                logger="systemd[1]",
            ),
            at(
                START,
                SWAP - 2.18,
                "INFO",
                "no instance store NVMe devices found (model 'Amazon EC2 NVMe Instance Storage'), skipping /mnt/fast-scratch",
                logger="setup-scratch.sh[2417]",
            ),
            at(
                START,
                SWAP - 2.16,
                "INFO",
                "Finished nvme-scratch.service - Format and mount local NVMe scratch.",
                logger="systemd[1]",
            ),
            at(
                START,
                SWAP - 1.5,
                "INFO",
                "Started kubelet.service - Kubernetes Kubelet.",
                logger="systemd[1]",
            ),
        ]
    )

    tx = LogFile(
        "logs/media-transcoder-v1-pod.log",
        PythonLogging(("transcoder.job", "transcoder.s3", "transcoder.ffmpeg"), rng=rng),
    )
    tx.add(
        traffic(rng, worker("media-transcoder", ["uploads", "renditions"]), START, SWAP + 4, 1300)
    )
    tx.add(
        [
            at(
                START,
                21.7,
                "WARN",
                "S3 PutObject renditions/4f1a9e/720p.mp4 slow: 4.8s (retry 1 of 3 succeeded)",
                logger="transcoder.s3",
            )
        ]
    )
    tx.add(
        [
            at(
                START,
                33.4,
                "WARN",
                "ffmpeg: [mp4 @ 0x55d3c1a0] track 1: codec frame size is not set",
                logger="transcoder.ffmpeg",
            )
        ]
    )
    tx.add(
        [
            at(
                START,
                SWAP + 3.9,
                "INFO",
                "SIGTERM received, requeueing 2 in-flight jobs",
                logger="transcoder.job",
            )
        ]
    )

    api = LogFile(
        "logs/upload-api.log",
        JsonLines(
            "upload-api",
            keys=("time", "severity", "message"),
            lower_level=False,
            rng=rng,
            zone=CHICAGO,
        ),
    )
    api.add(
        traffic(rng, web_api("upload-api", ["uploads", "assets", "renditions"]), START, total, 2900)
    )
    api.add(
        loud(
            rng,
            START,
            SWAP + 15,
            total - SWAP - 15.5,
            240,
            lambda r: (
                "WARN",
                f"transcode queue depth {r.randrange(180, 900)}, oldest job waiting {r.randrange(14, 62)}m; asset {r.getrandbits(32):08x} still processing",
                (),
            ),
        )
    )

    routine = routine_events(
        rng,
        ["upload-api", "asset-index", "thumbnailer"],
        14,
        [
            "ip-10-42-64-203.us-east-2.compute.internal",
            "ip-10-42-88-140.us-east-2.compute.internal",
        ],
        namespace="media",
    )
    signal = [
        (
            ago(SWAP) + 30,
            (
                "Warning",
                "EvictionBlocked",
                "pod/asset-index-6b8d4c5f7-2kmwp",
                "Cannot evict pod as it would violate the pod's disruption budget.",
            ),
        ),
        (
            ago(SWAP) - 60,
            (
                "Normal",
                "Scheduled",
                "pod/media-transcoder-5c9b7f8d64-hx4tq",
                f"Successfully assigned media/media-transcoder-5c9b7f8d64-hx4tq to {NEW_NODE}",
            ),
        ),
        (
            ago(SWAP) - 62,
            (
                "Normal",
                "Scheduled",
                "pod/media-transcoder-5c9b7f8d64-n7c2d",
                "Successfully assigned media/media-transcoder-5c9b7f8d64-n7c2d to ip-10-42-88-140.us-east-2.compute.internal",
            ),
        ),
        (
            100,
            (
                "Warning",
                "FailedMount",
                "pod/media-transcoder-5c9b7f8d64-n7c2d",
                'MountVolume.SetUp failed for volume "scratch" : hostPath type check failed: /mnt/fast-scratch is not a directory',
            ),
        ),
        (
            110,
            (
                "Warning",
                "FailedMount",
                "pod/media-transcoder-5c9b7f8d64-hx4tq",
                'MountVolume.SetUp failed for volume "scratch" : hostPath type check failed: /mnt/fast-scratch is not a directory',
            ),
        ),
    ]
    events = "$ kubectl -n media get events --sort-by=.lastTimestamp\n" + event_listing(
        routine, signal
    )

    return Bundle(
        question="Video uploads have been stuck in 'processing' since about 9:20 Central; the transcoder pods never start. What is the root cause?",
        category="configuration",
        component="transcode-v2",
        statement="The replacement node group transcode-v2 runs c6i instances without local NVMe, so its bootstrap skips creating /mnt/fast-scratch; media-transcoder's hostPath volume of type Directory fails its type check on every new node and the pods never leave ContainerCreating.",
        files={
            "kubectl-get-nodes-and-volumes.txt": nodes(),
            "kubectl-describe-pod-transcoder.txt": "$ kubectl -n media describe pod media-transcoder-5c9b7f8d64-hx4tq\n"
            + describe_pod(pod, rng),
            "kubectl-get-events.txt": events,
            journal.name: "$ journalctl -b -o short-iso --no-pager   # on ip-10-42-71-19\n"
            + journal.render(),
            tx.name: tx.render(),
            api.name: api.render(),
        },
        proofs=[
            Proof(journal.name, "no instance store NVMe devices found"),
            Proof("kubectl-get-nodes-and-volumes.txt", f"{NEW_NODE}     Ready"),
            Proof("kubectl-describe-pod-transcoder.txt", "hostPath type check failed"),
        ],
        decoys=["slow: 4.8s", "EvictionBlocked", "codec frame size is not set"],
    )
