# ruff: noqa: E501
# kubectl output, ingress-nginx lines and hand-written log lines are data, kept whole on one line.
"""Kubernetes: the cms chart 5.0.0 (released 09:31 UTC) rewrote the `cms-uploads` Ingress's
annotations from values and spelled the body-size one `nginx.ingress.kubernetes.io/client-max-body-size`,
which ingress-nginx does not know and silently ignores; the location falls back to the 1m
default and every asset upload above 1 MB gets 413 from the controller before reaching cms-api.
cms-api's own log just goes quiet on uploads. Loud: the editors' 413s, cms-api image errors.
Decoys: cms-api's unsupported-image errors (old), a missing preview Service the controller
warns about every sync, and the chart's cms-api image bump."""

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import Pino, Record
from scenes import at, fixed, loud
from traffic import Line, traffic, web_api

START = datetime(2025, 12, 5, 8, 50, tzinfo=UTC)
NOW = datetime(2025, 12, 5, 10, 38, tzinfo=UTC)
RELEASE = 41.0  # 09:31
AGENTS = [
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
]


@dataclass
class IngressNginx:
    """ingress-nginx controller stdout: upstreaminfo access lines, nginx error lines, klog lines."""

    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def render(self, record: Record) -> list[str]:
        if record.logger == "error":
            return [
                f"{record.time:%Y/%m/%d %H:%M:%S} [{'warn' if record.level == 'WARN' else 'error'}] 31#31: *{self.rng.randrange(10000, 999999)} {record.message}"
            ]
        if record.logger == "klog":
            letter = {"INFO": "I", "WARN": "W", "ERROR": "E"}[record.level]
            return [
                f"{letter}{record.time:%m%d %H:%M:%S}.{record.time.microsecond:06d}       7 {record.message}"
            ]
        client = f"10.60.{self.rng.randrange(256)}.{self.rng.randrange(1, 255)}"
        return [
            f"{client} - - [{record.time:%d/%b/%Y:%H:%M:%S} +0000] {record.message} {self.rng.getrandbits(128):032x}"
        ]


def ordinary(rng: random.Random) -> Line:
    path, upstream = rng.choice(
        [
            ("/api/entries/{id}", "cms-cms-api-3000"),
            ("/api/assets/{id}", "cms-cms-api-3000"),
            ("/editor/", "cms-cms-editor-80"),
            ("/static/js/main.{h}.js", "cms-cms-editor-80"),
            ("/api/search?q=winter", "cms-cms-api-3000"),
        ]
    )
    path = path.replace("{id}", str(rng.randrange(10**5))).replace(
        "{h}", f"{rng.getrandbits(32):08x}"
    )
    method = rng.choice(["GET", "GET", "GET", "PUT"]) if "api" in path else "GET"
    status = rng.choices([200, 304, 404, 201], [80, 10, 3, 2])[0]
    took = max(0.001, rng.lognormvariate(-3.2, 0.6))
    ip = f"10.244.{rng.randrange(1, 7)}.{rng.randrange(2, 250)}:{upstream.rsplit('-', 1)[1]}"
    return (
        "INFO",
        f'"{method} {path} HTTP/2.0" {status} {rng.randrange(200, 40000)} "https://cms.acme-media.net/editor/" "{rng.choice(AGENTS)}" {rng.randrange(300, 2000)} {took:.3f} [{upstream}] [] {ip} {rng.randrange(200, 40000)} {took:.3f} {status}',
        (),
    )


def small_upload(rng: random.Random) -> Line:
    size = rng.randrange(40_000, 1_000_000)
    took = rng.uniform(0.08, 0.6)
    return (
        "INFO",
        f'"POST /api/assets HTTP/2.0" 201 512 "https://cms.acme-media.net/editor/media" "{rng.choice(AGENTS)}" {size} {took:.3f} [cms-cms-api-3000] [] 10.244.{rng.randrange(1, 7)}.{rng.randrange(2, 250)}:3000 512 {took:.3f} 201',
        (),
    )


def big_upload(rng: random.Random) -> Line:
    size = rng.randrange(1_100_000, 180_000_000)
    return (
        "WARN",
        f'"POST /api/assets HTTP/2.0" 413 176 "https://cms.acme-media.net/editor/media" "{rng.choice(AGENTS)}" {size} 0.000 [cms-cms-api-3000] [] - - - -',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(1200)
    total = (NOW - START).total_seconds() / 60
    ingress = LogFile("logs/ingress-controller.log", IngressNginx(rng=rng))
    ingress.add(traffic(rng, ordinary, START, total, 5200))
    ingress.add(traffic(rng, small_upload, START, total, 260))
    before = traffic(
        rng,
        lambda r: (
            "INFO",
            big_upload(r)[1]
            .replace('" 413 176 ', '" 201 512 ')
            .replace(" 0.000 [", " 2.418 [")
            .replace("[] - - - -", "[] 10.244.3.41:3000 512 2.377 201"),
            (),
        ),
        START,
        RELEASE,
        140,
    )
    ingress.add(before)
    ingress.add(loud(rng, START, RELEASE + 0.6, total - RELEASE - 1, 820, big_upload))
    for record in loud(
        rng,
        START,
        RELEASE + 0.6,
        total - RELEASE - 1,
        820,
        lambda r: (
            "ERROR",
            f'client intended to send too large body: {r.randrange(1_100_000, 180_000_000)} bytes, client: 10.60.{r.randrange(256)}.{r.randrange(1, 255)}, server: cms.acme-media.net, request: "POST /api/assets HTTP/2.0", host: "cms.acme-media.net"',
            (),
        ),
    ):
        ingress.add([Record(record.time, record.level, record.message, (), "error")])
    sync_minutes = [3.0, 19.5, RELEASE, RELEASE + 0.2, 66.0, 88.4]
    for minute in sync_minutes:
        ingress.add(
            [
                Record(
                    at(START, minute, "INFO", "x").time,
                    "INFO",
                    f'event.go:377] Event(v1.ObjectReference{{Kind:"Ingress", Namespace:"cms", Name:"cms-uploads", UID:"3f0d8c71-2b9e-4a65-8d14-c7e2a9b05f36", APIVersion:"networking.k8s.io/v1", ResourceVersion:"{70318800 + int(minute * 31)}", FieldPath:""}}): type: \'Normal\' reason: \'Sync\' Scheduled for sync',
                    (),
                    "klog",
                ),
                Record(
                    at(START, minute + 0.01, "WARN", "y").time,
                    "WARN",
                    'controller.go:1110] Error obtaining Endpoints for Service "cms/cms-preview": no object matching key "cms/cms-preview" in local store',
                    (),
                    "klog",
                ),
            ]
        )
    ingress.add(
        [
            Record(
                at(START, RELEASE + 0.05, "INFO", "z").time,
                "INFO",
                'controller.go:213] "Backend successfully reloaded"',
                (),
                "klog",
            )
        ]
    )
    api = LogFile("logs/cms-api.log", Pino("cms-api-6b8f7d5c49-zx2qm", rng=rng))
    api.add(
        traffic(rng, web_api("cms-api", ["entries", "assets", "collections"]), START, total, 3300)
    )
    api.add(
        loud(
            rng,
            START,
            2,
            RELEASE - 4,
            180,
            fixed(
                "ERROR",
                lambda r: (
                    f"thumbnail generation failed for asset {r.randrange(10**5)}: Input buffer contains unsupported image format"
                ),
            ),
        )
    )
    api.add(
        loud(
            rng,
            START,
            0,
            RELEASE,
            120,
            fixed(
                "INFO",
                lambda r: (
                    f"asset {r.getrandbits(48):012x} stored (image/jpeg, {r.randrange(1_100_000, 40_000_000)} bytes) in {r.randrange(900, 4000)}ms"
                ),
            ),
        )
    )
    api.add(
        loud(
            rng,
            START,
            RELEASE + 2,
            total - RELEASE - 3,
            320,
            fixed(
                "WARN",
                lambda r: (
                    f"editor session {r.getrandbits(32):08x}: client reported upload error status=413 file={r.choice(['hero', 'gallery', 'cover', 'interview'])}-{r.randrange(100)}.{r.choice(['jpg', 'mp4', 'png', 'pdf'])}"
                ),
            ),
        )
    )
    api.add([at(START, RELEASE + 0.9, "INFO", "cms-api 5.0.0 listening on :3000 (node v22.11.0)")])
    describe = "\n".join(
        [
            "$ kubectl -n cms describe ingress cms-uploads",
            "Name:             cms-uploads",
            "Labels:           app.kubernetes.io/instance=cms",
            "                  app.kubernetes.io/managed-by=Helm",
            "                  app.kubernetes.io/name=cms",
            "                  helm.sh/chart=cms-5.0.0",
            "Namespace:        cms",
            "Address:          203.0.113.48",
            "Ingress Class:    nginx",
            "Default backend:  <default>",
            "TLS:",
            "  cms-acme-media-net-tls terminates cms.acme-media.net",
            "Rules:",
            "  Host                Path  Backends",
            "  ----                ----  --------",
            "  cms.acme-media.net",
            "                      /api      cms-api:3000 (10.244.3.41:3000,10.244.5.19:3000)",
            "                      /         cms-editor:80 (10.244.2.77:80,10.244.6.12:80)",
            "Annotations:          cert-manager.io/cluster-issuer: letsencrypt-prod",
            "                      meta.helm.sh/release-name: cms",
            "                      meta.helm.sh/release-namespace: cms",
            "                      nginx.ingress.kubernetes.io/client-max-body-size: 200m",
            "                      nginx.ingress.kubernetes.io/proxy-read-timeout: 300",
            "                      nginx.ingress.kubernetes.io/proxy-request-buffering: off",
            "Events:",
            "  Type    Reason  Age                From                      Message",
            "  ----    ------  ----               ----                      -------",
            "  Normal  Sync    27m (x3 over 67m)  nginx-ingress-controller  Scheduled for sync",
            "",
            "$ helm -n cms history cms --max 3",
            "REVISION\tUPDATED                 \tSTATUS    \tCHART    \tAPP VERSION\tDESCRIPTION",
            "31      \tMon Nov 24 14:05:19 2025\tsuperseded\tcms-4.7.2\t4.7.2      \tUpgrade complete",
            "32      \tTue Dec  2 11:40:02 2025\tsuperseded\tcms-4.7.3\t4.7.3      \tUpgrade complete",
            "33      \tFri Dec  5 09:31:12 2025\tdeployed  \tcms-5.0.0\t5.0.0      \tUpgrade complete",
            "",
        ]
    )
    notes = "\n".join(
        [
            "Editors report 'upload failed' on anything bigger than a phone photo since this morning.",
            "Small images still work. cms-api shows no errors for the failing uploads, only the old",
            "'unsupported image format' thumbnails issue (HEIC files, known, ticket CMS-1422).",
            "",
            "cms 5.0.0 went out at 09:31 (new cms-api image + chart refactor). Diff of the rendered Ingress from `helm diff` in the release PR:",
            "",
            "```",
            "   annotations:",
            "     cert-manager.io/cluster-issuer: letsencrypt-prod",
            '-    nginx.ingress.kubernetes.io/proxy-body-size: "200m"',
            '+    nginx.ingress.kubernetes.io/client-max-body-size: "200m"',
            '     nginx.ingress.kubernetes.io/proxy-read-timeout: "300"',
            "```",
            "",
        ]
    )
    return Bundle(
        question="Since the 09:31 UTC release editors cannot upload larger images and videos to the CMS; small files still work. What is wrong?",
        category="configuration",
        component="cms-uploads",
        statement="The cms 5.0.0 chart released at 09:31 UTC renders the cms-uploads Ingress with the annotation nginx.ingress.kubernetes.io/client-max-body-size instead of proxy-body-size; ingress-nginx ignores it, keeps its 1m default, and rejects every larger upload with 413 before it reaches cms-api.",
        files={
            "notes.md": notes,
            "kubectl-describe-ingress.txt": describe,
            "logs/ingress-controller.log": ingress.render(),
            "logs/cms-api.log": api.render(),
        },
        proofs=[
            Proof(
                "kubectl-describe-ingress.txt",
                "nginx.ingress.kubernetes.io/client-max-body-size: 200m",
            ),
            Proof(
                "notes.md",
                '-    nginx.ingress.kubernetes.io/proxy-body-size: "200m"',
                "client-max-body-size",
            ),
        ],
        decoys=[
            "Input buffer contains unsupported image format",
            'Error obtaining Endpoints for Service "cms/cms-preview"',
            "cms-api 5.0.0 listening on :3000",
        ],
    )
