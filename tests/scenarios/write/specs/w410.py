# ruff: noqa: E501
# kubectl rows, CI output and hand-written log lines are data, kept whole on one line.
"""Kubernetes: a Helm clean-up job uninstalled prometheus-adapter at 08:47 IST as unused, but
its APIService `v1beta1.custom.metrics.k8s.io` had been applied by hand long ago and stayed
registered, now pointing at a Service that no longer exists. Namespace deletion needs discovery
of every API group, so each preview namespace deleted since then hangs in Terminating
(NamespaceDeletionDiscoveryFailure) and the preview pipeline, which deletes and recreates a
namespace per merge request, fails with "being terminated". Decoys: client-side throttling in
preview-controller, a runner cache upload failure, and an etcd slow-apply warning."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events
from records import Logfmt, Record
from scenes import at, fixed, loud
from traffic import traffic

IST = timezone(timedelta(hours=5, minutes=30))
START = datetime(2026, 6, 9, 2, 30, tzinfo=UTC)  # 08:00 IST
NOW = datetime(2026, 6, 9, 6, 10, tzinfo=UTC)
UNINSTALL = 47.0  # 03:17 UTC = 08:47 IST
NODES = ["pool-ci-8f2kq", "pool-ci-8f2kx", "pool-ci-8f2l4"]


def controller_line(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    pr = rng.randrange(2200, 2330)
    roll = rng.random()
    if roll < 0.3:
        return (
            "INFO",
            f"reconciled PreviewEnvironment pr-{pr} phase=Ready url=https://pr-{pr}.preview.tessera.dev",
            (),
        )
    if roll < 0.5:
        return "INFO", f"synced ingress preview-pr-{pr}/web hosts=1 tls=true", ()
    if roll < 0.65:
        return (
            "DEBUG",
            f"resourceVersion {rng.randrange(10**7, 10**8)} for preview-pr-{pr}/web unchanged, skip",
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            f"gc: preview-pr-{pr} idle for {rng.randrange(2, 70)}h, keeping (ttl 72h)",
            (),
        )
    if roll < 0.93:
        return (
            "INFO",
            f"webhook merge_request iid={pr} action=update sha={rng.getrandbits(40):010x}",
            (),
        )
    return (
        "WARN",
        f'requeue preview-pr-{pr}: Operation cannot be fulfilled on previewenvironments.preview.tessera.dev "pr-{pr}": the object has been modified; please apply your changes to the latest version and try again',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(4104)
    total = (NOW - START).total_seconds() / 60

    ctl = LogFile("logs/preview-controller.log", Logfmt("preview-controller", rng=rng))
    ctl.add(traffic(rng, controller_line, START, total, 2800))
    ctl.add(
        [
            at(
                START,
                21.0,
                "INFO",
                "Waited for 1.183s due to client-side throttling, not priority and fairness, request: GET:https://10.96.0.1:443/apis/networking.k8s.io/v1/namespaces/preview-pr-2240/ingresses",
            ),
            at(
                START,
                UNINSTALL + 9,
                "INFO",
                "recreating preview-pr-2291: deleting namespace (propagationPolicy=Foreground)",
            ),
        ]
    )
    ctl.add(
        loud(
            rng,
            START,
            UNINSTALL + 14,
            total - UNINSTALL - 15,
            260,
            fixed(
                "ERROR",
                lambda r: (
                    f"preview-pr-{r.choice([2291, 2296, 2302, 2305, 2311])}: namespace still Terminating after {r.randrange(5, 180)}m, cannot recreate; retry in 60s"
                ),
            ),
        )
    )

    ci = LogFile("ci-job-418822.log", _CiLog())
    ci.add(
        [
            at(
                START,
                184.0,
                "INFO",
                "$ helm upgrade --install web ./chart -n preview-pr-2311 --create-namespace --wait",
            ),
            at(
                START,
                184.02,
                "INFO",
                'Error: INSTALLATION FAILED: create: failed to create: namespaces "preview-pr-2311" is forbidden: unable to create new content in namespace preview-pr-2311 because it is being terminated',
            ),
            at(
                START,
                184.05,
                "INFO",
                "WARNING: Uploading cache.zip to https://storage.googleapis.com/tessera-runner-cache/project/88/preview-node-20: received 503 Service Unavailable, cache not saved",
            ),
            at(START, 184.07, "INFO", "ERROR: Job failed: exit code 1"),
        ]
    )

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    routine = routine_events(
        rng,
        ["preview-controller", "runner-manager", "cert-issuer"],
        18,
        NODES,
        namespace="platform",
    )
    signal = [
        (
            ago(UNINSTALL - 0.3),
            (
                "Normal",
                "SuccessfulCreate",
                "job/helm-janitor-29155470",
                "Created pod: helm-janitor-29155470-7jhl2",
            ),
        ),
        (
            ago(UNINSTALL + 0.8),
            ("Normal", "Completed", "job/helm-janitor-29155470", "Job completed"),
        ),
        (
            ago(88),
            (
                "Warning",
                "SlowApply",
                "pod/etcd-control-plane-1",
                "apply request took too long: took 213.44ms, expected-duration 100ms",
            ),
        ),
    ]
    events = event_listing(routine, signal)

    kubectl = "\n".join(
        [
            "$ kubectl get ns | grep -v Active",
            "NAME              STATUS        AGE",
            "preview-pr-2291   Terminating   3d2h",
            "preview-pr-2296   Terminating   2d19h",
            "preview-pr-2302   Terminating   26h",
            "preview-pr-2305   Terminating   21h",
            "preview-pr-2311   Terminating   7h",
            "",
            "$ kubectl get ns preview-pr-2291 -o yaml | sed -n '/^status:/,$p'",
            "status:",
            "  conditions:",
            '  - lastTransitionTime: "2026-06-09T03:26:44Z"',
            "    message: 'Discovery failed for some groups, 1 failing: unable to retrieve the complete list of server APIs: custom.metrics.k8s.io/v1beta1: the server is currently unable to handle the request'",
            "    reason: DiscoveryFailed",
            '    status: "True"',
            "    type: NamespaceDeletionDiscoveryFailure",
            '  - lastTransitionTime: "2026-06-09T03:26:50Z"',
            "    message: All legacy kube types successfully parsed",
            "    reason: ParsedGroupVersions",
            '    status: "False"',
            "    type: NamespaceDeletionGroupVersionParsingFailure",
            '  - lastTransitionTime: "2026-06-09T03:26:50Z"',
            "    message: All content successfully deleted, may be waiting on finalization",
            "    reason: ContentDeleted",
            '    status: "False"',
            "    type: NamespaceDeletionContentFailure",
            "  phase: Terminating",
            "",
            "$ kubectl get apiservice | grep -v Local",
            "NAME                                   SERVICE                                 AVAILABLE                  AGE",
            "v1beta1.custom.metrics.k8s.io          monitoring/prometheus-adapter           False (ServiceNotFound)    2y41d",
            "v1beta1.external.metrics.k8s.io        keda/keda-operator-metrics-apiserver    True                       301d",
            "v1beta1.metrics.k8s.io                 kube-system/metrics-server              True                       2y41d",
            "",
            "$ helm -n monitoring history prometheus-adapter",
            "REVISION  UPDATED                   STATUS       CHART                       APP VERSION  DESCRIPTION",
            "6         Tue Mar  3 11:02:19 2026  superseded   prometheus-adapter-4.9.0    v0.11.2      Upgrade complete",
            "7         Tue Jun  9 08:47:05 2026  uninstalled  prometheus-adapter-4.9.0    v0.11.2      Deletion by helm-janitor: no HPA references custom.metrics.k8s.io",
            "",
            "$ kubectl -n monitoring get svc prometheus-adapter",
            'Error from server (NotFound): services "prometheus-adapter" not found',
            "",
        ]
    )
    return Bundle(
        question="Since this morning every preview deploy fails with 'unable to create new content in namespace ... because it is being terminated' and the old preview namespaces never finish deleting. What broke?",
        category="dependency",
        component="prometheus-adapter",
        statement="prometheus-adapter was uninstalled at 08:47 IST by the helm-janitor job, but its hand-applied APIService v1beta1.custom.metrics.k8s.io is still registered and unavailable (ServiceNotFound); namespace deletion fails API discovery (NamespaceDeletionDiscoveryFailure), so preview namespaces stay Terminating and cannot be recreated.",
        files={
            "logs/preview-controller.log": ctl.render(),
            "ci-job-418822.log": ci.render(),
            "kubectl-get-events.txt": events,
            "kubectl-namespace.txt": kubectl,
        },
        proofs=[
            Proof(
                "kubectl-namespace.txt",
                "v1beta1.custom.metrics.k8s.io          monitoring/prometheus-adapter",
            ),
            Proof("kubectl-namespace.txt", "Discovery failed for some groups"),
            Proof("kubectl-namespace.txt", "Deletion by helm-janitor"),
        ],
        decoys=[
            "Waited for 1.183s due to client-side throttling",
            "received 503 Service Unavailable, cache not saved",
            "apply request took too long",
        ],
    )


class _CiLog:
    """GitLab job trace as downloaded: each line prefixed with its UTC time."""

    def render(self, record: Record) -> list[str]:
        return [
            record.time.strftime("%Y-%m-%dT%H:%M:%S.")
            + f"{record.time.microsecond:06d}Z 00O {record.message}"
        ]
