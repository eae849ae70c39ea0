# ruff: noqa: E501
# kubectl rows, CLI output and hand-written log lines are data, kept whole on one line.
"""Kubernetes (on-prem k3s pulling from Amazon ECR): the imagePullSecret `ecr-pull` holds an ECR
token valid 12 h, refreshed every 6 h by the CronJob ecr-token-refresh with an IAM user's access
key. Security deactivated that key yesterday at 15:05 MDT (key rotation) without updating the
CronJob's Secret: every refresh since fails `UnrecognizedClientException`, and the last good
token expired at 00:00 MDT. Running pods keep working from cached images, but the 07:30 morning
scale-out lands tile-renderer pods on fresh nodes that must pull: ImagePullBackOff, `Your
authorization token has expired`. Loud: tile 503s at the edge. Decoys: the node scale-up (the
trigger), a slow PostGIS query, and image GC on an old node."""

import random
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events, table
from records import JsonLines, KubectlTimestamps, NginxAccess
from scenes import at, loud
from traffic import http_access, traffic, web_api

DEN = ZoneInfo("America/Denver")
START = datetime(2026, 10, 7, 6, 30, tzinfo=DEN)
NOW = datetime(2026, 10, 7, 9, 5, tzinfo=DEN)
START_UTC = datetime(2026, 10, 7, 6, 30, tzinfo=UTC)
SCALE = 60.0  # 07:30 MDT
NODES = ["edge-k3s-w01", "edge-k3s-w02", "edge-k3s-w03"]
NEWNODES = ["edge-k3s-w07", "edge-k3s-w08"]
IMAGE = "493017652208.dkr.ecr.us-west-2.amazonaws.com/maps/tile-renderer:2.14.3"
PULL = f'Failed to pull image "{IMAGE}": failed to pull and unpack image "{IMAGE}": failed to resolve reference "{IMAGE}": pull access denied, repository does not exist or may require authorization: authorization failed: denied: Your authorization token has expired. Reauthenticate and try again.'
STUCK = [
    "tile-renderer-5f8d6c7b49-8qv2m",
    "tile-renderer-5f8d6c7b49-lk4xt",
    "tile-renderer-5f8d6c7b49-t9c7h",
    "tile-renderer-5f8d6c7b49-zr2wd",
]


def bundle() -> Bundle:
    rng = random.Random(28408)
    total = (NOW - START).total_seconds() / 60
    tiles = LogFile(
        "logs/tile-renderer.log",
        JsonLines(
            "tile-renderer",
            keys=("time", "severity", "message"),
            lower_level=False,
            rng=rng,
            zone=DEN,
        ),
    )
    tiles.add(
        traffic(rng, web_api("tile-renderer", ["tiles", "styles", "sprites"]), START, total, 3200)
    )
    tiles.add(
        [
            at(
                START,
                37.4,
                "WARN",
                "slow PostGIS query 2310ms: SELECT ST_AsMVT(q, 'roads') FROM (SELECT ... FROM planet_osm_line WHERE way && ST_TileEnvelope(12, 774, 1583)) q",
            )
        ]
    )
    edge = LogFile("logs/edge-nginx-access.log", NginxAccess(rng, zone=DEN))
    edge.add(
        traffic(
            rng,
            http_access(
                [
                    "/tiles/12/{id}/1583.pbf",
                    "/tiles/14/{id}/6331.pbf",
                    "/styles/streets.json",
                    "/healthz",
                ],
                25,
            ),
            START,
            total,
            4400,
        )
    )
    edge.add(
        loud(
            rng,
            START,
            SCALE + 8,
            total - SCALE - 9,
            1100,
            lambda r: (
                "ERROR",
                f'"GET /tiles/{r.randrange(10, 16)}/{r.randrange(4000)}/{r.randrange(4000)}.pbf HTTP/1.1" 503 197 "https://fieldmaps.example.org/" "FieldMaps/6.2 (iOS 18.5)" upstream_status=503 rt={r.uniform(0.001, 0.02):.3f}',
                (),
            ),
        )
    )

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    routine = routine_events(
        rng, ["tile-renderer", "geocoder", "style-server"], 22, NODES, namespace="maps"
    )
    signal = [
        (
            ago(SCALE - 6),
            (
                "Normal",
                "RegisteredNode",
                f"node/{NEWNODES[0]}",
                f"Node {NEWNODES[0]} event: Registered Node {NEWNODES[0]} in Controller",
            ),
        ),
        (
            ago(SCALE - 5.5),
            (
                "Normal",
                "RegisteredNode",
                f"node/{NEWNODES[1]}",
                f"Node {NEWNODES[1]} event: Registered Node {NEWNODES[1]} in Controller",
            ),
        ),
        (
            ago(SCALE),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/tile-renderer",
                "Scaled up replica set tile-renderer-5f8d6c7b49 to 10 from 6",
            ),
        ),
        (
            ago(SCALE - 50),
            (
                "Warning",
                "FreeDiskSpaceFailed",
                "node/edge-k3s-w02",
                "Failed to garbage collect required amount of images. Attempted to free 2154840473 bytes, but only found 1630412800 bytes eligible to free.",
            ),
        ),
    ]
    for k, pod in enumerate(STUCK):
        signal += [
            (ago(SCALE + 0.1 + k * 0.01), ("Warning", "Failed", f"pod/{pod}", PULL)),
            (
                ago(SCALE + 0.12 + k * 0.01),
                ("Warning", "Failed", f"pod/{pod}", "Error: ErrImagePull"),
            ),
            (
                ago(SCALE + 1 + k * 0.01),
                ("Normal", "BackOff", f"pod/{pod}", f'Back-off pulling image "{IMAGE}"'),
            ),
            (
                ago(SCALE + 1.01 + k * 0.01),
                ("Warning", "Failed", f"pod/{pod}", "Error: ImagePullBackOff"),
            ),
        ]
    events = event_listing(routine, signal)
    pod = Pod(
        name=STUCK[0],
        namespace="maps",
        node=NEWNODES[0],
        app="tile-renderer",
        status="Pending",
        start_time="Wed, 07 Oct 2026 13:30:04 +0000",
        ip="10.42.7.12",
        containers=[
            Container(
                "tile-renderer",
                IMAGE,
                state=["Waiting", "  Reason:       ImagePullBackOff"],
                ready=False,
                limits={"memory": "2Gi"},
                requests={"cpu": "1", "memory": "2Gi"},
            )
        ],
        conditions={
            "PodReadyToStartContainers": "True",
            "Initialized": "True",
            "Ready": "False",
            "ContainersReady": "False",
            "PodScheduled": "True",
        },
        events=[
            (
                "Normal",
                "Scheduled",
                "95m",
                "default-scheduler",
                f"Successfully assigned maps/{STUCK[0]} to {NEWNODES[0]}",
            ),
            ("Normal", "Pulling", "93m (x4 over 95m)", "kubelet", f'Pulling image "{IMAGE}"'),
            ("Warning", "Failed", "93m (x4 over 95m)", "kubelet", PULL),
            ("Warning", "Failed", "93m (x4 over 95m)", "kubelet", "Error: ErrImagePull"),
            (
                "Normal",
                "BackOff",
                "2m (x412 over 95m)",
                "kubelet",
                f'Back-off pulling image "{IMAGE}"',
            ),
            ("Warning", "Failed", "2m (x412 over 95m)", "kubelet", "Error: ImagePullBackOff"),
        ],
    )
    refresh = LogFile("ecr-token-refresh-logs.txt", KubectlTimestamps())
    for minute, job in (
        (-390.0, "ecr-token-refresh-29855520"),
        (-30.0, "ecr-token-refresh-29855880"),
        (330.0, "ecr-token-refresh-29856240"),
    ):
        refresh.add(
            [
                at(
                    START_UTC,
                    minute,
                    "INFO",
                    f"+ echo 'refreshing ECR pull secret maps/ecr-pull ({job})'",
                ),
                at(
                    START_UTC,
                    minute + 0.01,
                    "INFO",
                    f"refreshing ECR pull secret maps/ecr-pull ({job})",
                ),
                at(
                    START_UTC,
                    minute + 0.02,
                    "INFO",
                    "+ aws ecr get-login-password --region us-west-2",
                ),
                at(
                    START_UTC,
                    minute + 0.04,
                    "INFO",
                    "An error occurred (UnrecognizedClientException) when calling the GetAuthorizationToken operation: The security token included in the request is invalid.",
                ),
                at(START_UTC, minute + 0.05, "INFO", "+ exit 254"),
            ]
        )
    gets = "\n".join(
        [
            "$ kubectl -n maps get pods -l app=tile-renderer -o wide",
            *table(
                ("NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE"),
                [
                    (
                        f"tile-renderer-5f8d6c7b49-{s}",
                        "1/1",
                        "Running",
                        "0",
                        "6d",
                        f"10.42.{i + 1}.{rng.randrange(2, 250)}",
                        NODES[i % 3],
                    )
                    for i, s in enumerate(["2bx9k", "4hm7p", "6wq3z", "c8n2v", "j5d4r", "x7f1s"])
                ]
                + [
                    (
                        p,
                        "0/1",
                        "ImagePullBackOff",
                        "0",
                        "95m",
                        f"10.42.{7 + i % 2}.{rng.randrange(2, 250)}",
                        NEWNODES[i % 2],
                    )
                    for i, p in enumerate(STUCK)
                ],
            ),
            "",
            "$ kubectl -n maps get cronjob,jobs -l app=ecr-token-refresh",
            "NAME                              SCHEDULE      TIMEZONE   SUSPEND   ACTIVE   LAST SCHEDULE   AGE",
            "cronjob.batch/ecr-token-refresh   0 */6 * * *   <none>     False     0        3h5m            1y",
            "",
            "NAME                                   STATUS   COMPLETIONS   DURATION   AGE",
            "job.batch/ecr-token-refresh-29855520   Failed   0/1           11m        15h",
            "job.batch/ecr-token-refresh-29855880   Failed   0/1           11m        9h5m",
            "job.batch/ecr-token-refresh-29856240   Failed   0/1           11m        3h5m",
            "",
            "$ kubectl -n maps get secret ecr-pull -o jsonpath='{.metadata.annotations.maps\\.example\\.org/refreshed-at}{\"\\n\"}'",
            "2026-10-06T18:00:07Z",
            "",
            "$ aws iam list-access-keys --user-name k3s-ecr-puller --output table",
            "-----------------------------------------------------------------------------------",
            "|                                 ListAccessKeys                                  |",
            "+---------------------------------------------------------------------------------+",
            "||                               AccessKeyMetadata                               ||",
            "|+----------------------+-------------------------+-----------+-------------------+|",
            "||      AccessKeyId     |       CreateDate        |  Status   |     UserName      ||",
            "|+----------------------+-------------------------+-----------+-------------------+|",
            "||  AKIAXGRN5Q2TB7WEXAMP|  2025-09-30T17:22:10Z   |  Inactive |  k3s-ecr-puller   ||",
            "||  AKIAXGRN5Q2TK3PEXAMP|  2026-10-06T21:05:44Z   |  Active   |  k3s-ecr-puller   ||",
            "|+----------------------+-------------------------+-----------+-------------------+|",
            "",
        ]
    )
    return Bundle(
        question="Map tiles are returning 503 for a lot of users since the 7:30 morning scale-up (Mountain time); the new tile-renderer pods never start. What is the root cause?",
        category="permission",
        component="ecr-token-refresh",
        statement="The ecr-token-refresh CronJob still uses the IAM access key that security deactivated yesterday, so every ECR token refresh since has failed (UnrecognizedClientException) and the ecr-pull Secret's token expired at 00:00 MDT; pods scheduled on new nodes at the 07:30 scale-out cannot pull tile-renderer's image (`Your authorization token has expired`) and stay in ImagePullBackOff.",
        files={
            "kubectl-get.txt": gets,
            "kubectl-describe-pod.txt": f"$ kubectl -n maps describe pod {STUCK[0]}\n"
            + describe_pod(pod, rng),
            "ecr-token-refresh-logs.txt": "$ for j in $(kubectl -n maps get jobs -l app=ecr-token-refresh -o name); do kubectl -n maps logs --timestamps $j; done\n"
            + refresh.render(),
            "kubectl-get-events.txt": events,
            "logs/tile-renderer.log": tiles.render(),
            "logs/edge-nginx-access.log": edge.render(),
        },
        proofs=[
            Proof(
                "ecr-token-refresh-logs.txt",
                "Z refreshing ECR pull secret maps/ecr-pull (ecr-token-refresh-29855520)",
                "UnrecognizedClientException",
            ),
            Proof("kubectl-get.txt", "job.batch/ecr-token-refresh-29855520   Failed"),
            Proof("kubectl-get.txt", "AKIAXGRN5Q2TB7WEXAMP"),
        ],
        decoys=[
            "Scaled up replica set tile-renderer-5f8d6c7b49 to 10 from 6",
            "slow PostGIS query 2310ms",
            "FreeDiskSpaceFailed",
        ],
    )
