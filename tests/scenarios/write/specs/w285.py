# ruff: noqa: E501
# kubectl rows, pino and logfmt lines are data, kept whole on one line.
"""Kubernetes: a VerticalPodAutoscaler in `Auto` mode was added to pdf-render on Friday. Over the
quiet weekend its recommendation fell to 310Mi; on Monday morning the updater evicts the pods
(EvictedByVPA) and the admission controller recreates them with memory request 310Mi and, keeping
the template's 1:2 ratio, a 620Mi limit instead of 2Gi. Under Monday's load headless Chromium
needs more: Chromium renderers are OOM-killed inside the cgroup and the containers get OOMKilled
and restart. Loud: docs-api's 502s and timeouts from pdf-render. Decoys: a missing-glyph
font warning, a slow S3 upload, and the e-sign provider's 429 in docs-api."""

import random
from datetime import datetime
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events
from records import Logfmt, Pino
from scenes import at, loud
from traffic import traffic, web_api

NZ = ZoneInfo("Pacific/Auckland")
START = datetime(2026, 7, 13, 7, 40, tzinfo=NZ)
NOW = datetime(2026, 7, 13, 10, 15, tzinfo=NZ)
EVICT = 35.0  # 08:15 NZST
LOAD = 70.0  # 08:50 NZST
NODES = [
    "aks-docs-18834120-vmss000003",
    "aks-docs-18834120-vmss000005",
    "aks-docs-18834120-vmss000006",
]
PODS = ["pdf-render-6d9c5f7b84-7kx2q", "pdf-render-6d9c5f7b84-gq8vn", "pdf-render-6d9c5f7b84-s4m2w"]


def render_line(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    return rng.choice(
        [
            (
                "INFO",
                f"rendered document doc_{rng.getrandbits(40):010x} pages={rng.randrange(1, 40)} ms={rng.randrange(300, 4000)}",
                (),
            ),
            (
                "INFO",
                f"page.goto template=invoice-v{rng.randrange(3, 6)} waitUntil=networkidle0 ms={rng.randrange(80, 900)}",
                (),
            ),
            (
                "INFO",
                f"uploaded s3://docs-render-out/{rng.getrandbits(32):08x}.pdf bytes={rng.randrange(40_000, 9_000_000)}",
                (),
            ),
            (
                "DEBUG",
                f"browser pool size=4 busy={rng.randrange(0, 5)} queue={rng.randrange(0, 6)}",
                (),
            ),
        ]
    )


def bundle() -> Bundle:
    rng = random.Random(28509)
    total = (NOW - START).total_seconds() / 60
    pdf = LogFile("logs/pdf-render.log", Pino("pdf-render", rng=rng))
    pdf.add(traffic(rng, render_line, START, total, 3000))
    pdf.add(
        loud(
            rng,
            START,
            LOAD,
            total - LOAD - 1,
            260,
            lambda r: (
                "ERROR",
                f"render failed doc_{r.getrandbits(40):010x}: Protocol error (Page.printToPDF): Target closed",
                (),
            ),
        )
    )
    for k, minute in enumerate(
        [LOAD + 3.1, LOAD + 9.8, LOAD + 17.5, LOAD + 26.0, LOAD + 41.2, LOAD + 58.7, LOAD + 71.3]
    ):
        pdf.add(
            [
                at(
                    START,
                    minute,
                    "INFO",
                    f"pdf-render 4.7.2 listening on :3000 (chromium 126.0.6478.126, pool=4) pod={PODS[k % 3]}",
                )
            ]
        )
    pdf.add(
        [
            at(
                START,
                22.4,
                "WARN",
                "font fallback: no glyphs for U+0101 in 'Brand Sans', using 'Noto Sans' (template=invoice-v5)",
            ),
            at(
                START,
                112.9,
                "WARN",
                "slow upload to s3://docs-render-out: 8.4s for 8.7MB (retry 0)",
            ),
        ]
    )
    api = LogFile("logs/docs-api.log", Logfmt("docs-api", rng=rng))
    api.add(
        traffic(
            rng, web_api("docs-api", ["documents", "invoices", "statements"]), START, total, 3300
        )
    )
    api.add(
        loud(
            rng,
            START,
            LOAD + 0.5,
            total - LOAD - 1.5,
            700,
            lambda r: (
                "ERROR",
                r.choice(
                    [
                        f'render request failed doc=doc_{r.getrandbits(40):010x} upstream=pdf-render.docs.svc:3000 status=502 err="upstream connect error or disconnect/reset before headers. reset reason: connection termination"',
                        f'render request failed doc=doc_{r.getrandbits(40):010x} upstream=pdf-render.docs.svc:3000 err="context deadline exceeded (Client.Timeout exceeded while awaiting headers)" timeout=30s',
                    ]
                ),
                (),
            ),
        )
    )
    api.add(
        [
            at(
                START,
                95.5,
                "WARN",
                "esign provider returned 429 Too Many Requests retry_after=20s envelope=env_7731c9 (retrying)",
            )
        ]
    )

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    routine = routine_events(
        rng, ["docs-api", "pdf-render", "thumbnailer"], 20, NODES, namespace="docs"
    )
    signal = []
    for k, pod in enumerate(
        [
            "pdf-render-6d9c5f7b84-b2r9t",
            "pdf-render-6d9c5f7b84-m6w3d",
            "pdf-render-6d9c5f7b84-z8p4c",
        ]
    ):
        signal.append(
            (
                ago(EVICT + k * 2),
                (
                    "Normal",
                    "EvictedByVPA",
                    f"pod/{pod}",
                    "Pod was evicted by VPA Updater to apply resource recommendation.",
                ),
            )
        )
    for k, pod in enumerate(PODS):
        for j in range(3):
            signal.append(
                (
                    ago(LOAD + 3 + k * 6 + j * 20),
                    (
                        "Warning",
                        "BackOff",
                        f"pod/{pod}",
                        "Back-off restarting failed container pdf-render in pod "
                        + pod
                        + "_docs("
                        + f"{rng.getrandbits(32):08x}"
                        + ")",
                    ),
                )
            )
    events = event_listing(routine, signal)

    pod = Pod(
        name=PODS[0],
        namespace="docs",
        node=NODES[0],
        app="pdf-render",
        start_time="Sun, 12 Jul 2026 20:15:41 +0000",
        ip="10.244.3.57",
        containers=[
            Container(
                "pdf-render",
                "acrdocs.azurecr.io/docs/pdf-render:4.7.2",
                state=["Running", "  Started:      Sun, 12 Jul 2026 22:08:19 +0000"],
                last_state=[
                    "Terminated",
                    "  Reason:       OOMKilled",
                    "  Exit Code:    137",
                    "  Started:      Sun, 12 Jul 2026 21:49:02 +0000",
                    "  Finished:     Sun, 12 Jul 2026 22:08:17 +0000",
                ],
                restarts=7,
                limits={"memory": "620Mi"},
                requests={"cpu": "412m", "memory": "310Mi"},
                port="3000/TCP",
                probes=[
                    "Readiness:  http-get http://:3000/healthz delay=5s timeout=2s period=10s #success=1 #failure=3"
                ],
            )
        ],
    )
    text = describe_pod(pod, rng).replace(
        "Annotations:      <none>",
        "Annotations:      vpaObservedContainers: pdf-render\n                  vpaUpdates: Pod resources updated by pdf-render: container 0: cpu request, memory request, memory limit",
    )
    vpa = "\n".join(
        [
            "$ kubectl -n docs describe vpa pdf-render | sed -n '/^Spec/,$p'",
            "Spec:",
            "  Resource Policy:",
            "    Container Policies:",
            "      Container Name:  *",
            "      Controlled Resources:",
            "        cpu",
            "        memory",
            "      Controlled Values:  RequestsAndLimits",
            "  Target Ref:",
            "    API Version:  apps/v1",
            "    Kind:         Deployment",
            "    Name:         pdf-render",
            "  Update Policy:",
            "    Update Mode:  Auto",
            "Status:",
            "  Conditions:",
            "    Last Transition Time:  2026-07-10T04:02:19Z",
            "    Status:                True",
            "    Type:                  RecommendationProvided",
            "  Recommendation:",
            "    Container Recommendations:",
            "      Container Name:  pdf-render",
            "      Lower Bound:",
            "        Cpu:     187m",
            "        Memory:  262144k",
            "      Target:",
            "        Cpu:     412m",
            "        Memory:  310Mi",
            "      Uncapped Target:",
            "        Cpu:     412m",
            "        Memory:  310Mi",
            "      Upper Bound:",
            "        Cpu:     2038m",
            "        Memory:  1771Mi",
            "Events:          <none>",
            "",
            "$ kubectl -n docs get deploy pdf-render -o jsonpath='{.spec.template.spec.containers[0].resources}{\"\\n\"}'",
            '{"limits":{"memory":"2Gi"},"requests":{"cpu":"500m","memory":"1Gi"}}',
            "",
            "$ kubectl -n docs get vpa",
            "NAME         MODE   CPU    MEM         PROVIDED   AGE",
            "pdf-render   Auto   412m   325058560   True       3d6h",
            "",
        ]
    )
    return Bundle(
        question="Since about 08:50 this morning (NZ time) document generation fails: docs-api gets 502s and timeouts from pdf-render, whose pods keep restarting. What is the root cause?",
        category="memory",
        component="pdf-render",
        statement="The VerticalPodAutoscaler added to pdf-render in Auto mode (RequestsAndLimits) lowered its memory from a weekend-based recommendation: it evicted the pods at 08:15 and recreated them with a 310Mi request and 620Mi limit instead of 1Gi/2Gi, so under Monday's load Chromium runs out of memory and the containers are OOMKilled and restart.",
        files={
            "kubectl-describe-pod.txt": f"$ kubectl -n docs describe pod {PODS[0]}\n" + text,
            "kubectl-vpa.txt": vpa,
            "kubectl-get-events.txt": events,
            "logs/pdf-render.log": pdf.render(),
            "logs/docs-api.log": api.render(),
        },
        proofs=[
            Proof("kubectl-describe-pod.txt", "Reason:       OOMKilled"),
            Proof("kubectl-describe-pod.txt", "vpaUpdates: Pod resources updated by pdf-render"),
            Proof("kubectl-vpa.txt", "Update Mode:  Auto"),
            Proof("kubectl-get-events.txt", "EvictedByVPA   pod/pdf-render-6d9c5f7b84-b2r9t"),
        ],
        decoys=[
            "font fallback: no glyphs for U+0101",
            "slow upload to s3://docs-render-out",
            "esign provider returned 429",
        ],
    )
