# ruff: noqa: E501
# kubectl output, journald lines and hand-written log lines are data, kept whole on one line.
"""Kubernetes: on node k8s-w-14, containerd was restarted dozens of times by a memory-starved
systemd slice two days ago; sandboxes torn down while it was down never ran the CNI DEL, so
host-local IPAM kept their reservations in /var/lib/cni/networks/cbr0. The node's /24 pod range
is now fully reserved (254 files, 31 pods running). Every new pod scheduled there stays in
ContainerCreating with `no IP addresses available in range set`, so the fraud-scorer rollout
hangs with two new pods stuck and payments-api's scoring calls slow down on the reduced
capacity. Decoys: kubelet's `Nameserver limits exceeded`, fraud-scorer's slow model load, a PDB
blocking an eviction elsewhere."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events
from records import Journal, Logfmt, Record
from scenes import at, fixed, loud
from traffic import traffic, web_api

START = datetime(2026, 8, 19, 10, 0, tzinfo=UTC)
MINUTES = 90.0
ROLL = 38.0
NODE = "k8s-w-14"
NODES = ["k8s-w-11", "k8s-w-12", "k8s-w-13", NODE]


def bundle() -> Bundle:
    rng = random.Random(38123)
    journal = LogFile("k8s-w-14-journal.txt", Journal(NODE, "kubelet", 2231))
    journal.add(
        [
            Record(
                r.time,
                "WARN",
                f'E0819 {r.time.strftime("%H:%M:%S.%f")}    2231 dns.go:153] "Nameserver limits exceeded" err="Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: 10.10.0.2 10.10.0.3 10.10.0.4"',
            )
            for r in loud(rng, START, 0, MINUTES, 160, fixed("WARN", lambda x: ""))
        ]
    )
    for r in loud(rng, START, ROLL + 0.2, MINUTES - ROLL - 1, 140, fixed("ERROR", lambda x: "")):
        sandbox = f"{rng.getrandbits(256):064x}"
        pod = rng.choice(["fraud-scorer-58d9c7f6b4-jx2mn", "fraud-scorer-58d9c7f6b4-r7p4w"])
        journal.add(
            [
                Record(
                    r.time,
                    "ERROR",
                    f'E0819 {r.time.strftime("%H:%M:%S.%f")}    2231 log.go:32] "RunPodSandbox from runtime service failed" err="rpc error: code = Unknown desc = failed to setup network for sandbox \\"{sandbox}\\": plugin type=\\"flannel\\" failed (add): failed to delegate add: failed to allocate for range 0: no IP addresses available in range set: 10.244.14.1-10.244.14.254"',
                ),
                Record(
                    r.time,
                    "ERROR",
                    f'E0819 {r.time.strftime("%H:%M:%S.%f")}    2231 pod_workers.go:1301] "Error syncing pod, skipping" err="failed to \\"CreatePodSandbox\\" for \\"{pod}_risk\\" with CreatePodSandboxError" pod="risk/{pod}"',
                ),
            ]
        )

    scorer = LogFile("logs/fraud-scorer.log", Logfmt("fraud-scorer", rng=rng))
    scorer.add(
        loud(
            rng,
            START,
            0,
            MINUTES,
            2600,
            lambda r: (
                "INFO",
                f"scored txn=tx_{r.getrandbits(48):012x} score=0.{r.randrange(10, 99)} model=gbm-v31 took_ms={max(2, int(r.lognormvariate(0, 0.5) * 18))}",
                (),
            ),
        )
    )
    scorer.add(
        [
            at(
                START,
                ROLL + 1.5,
                "WARN",
                "model cache miss for gbm-v32, loading from s3://risk-models/gbm-v32.bin took 14.2s",
            )
        ]
    )

    api = LogFile("logs/payments-api.log", Logfmt("payments-api", rng=rng))
    api.add(
        traffic(
            rng, web_api("payments-api", ["payments", "refunds", "mandates"]), START, MINUTES, 3000
        )
    )
    api.add(
        loud(
            rng,
            START,
            ROLL + 6,
            MINUTES - ROLL - 7,
            260,
            fixed(
                "WARN",
                lambda r: (
                    f"fraud-scorer call slow: {r.randrange(800, 2900)}ms (budget 500ms), falling back to rules-only scoring for pay_{r.getrandbits(40):010x}"
                ),
            ),
        )
    )

    stuck = Pod(
        name="fraud-scorer-58d9c7f6b4-jx2mn",
        namespace="risk",
        node=NODE,
        app="fraud-scorer",
        status="Pending",
        ip="",
        start_time="Wed, 19 Aug 2026 10:38:14 +0000",
        containers=[
            Container(
                name="fraud-scorer",
                image="registry.risk.example/fraud-scorer:3.9.0",
                state=["Waiting", "  Reason:       ContainerCreating"],
                ready=False,
                limits={"memory": "2Gi"},
                requests={"cpu": "1", "memory": "2Gi"},
            )
        ],
        conditions={
            "PodReadyToStartContainers": "False",
            "Initialized": "True",
            "Ready": "False",
            "ContainersReady": "False",
            "PodScheduled": "True",
        },
        events=[
            (
                "Normal",
                "Scheduled",
                "43m",
                "default-scheduler",
                f"Successfully assigned risk/fraud-scorer-58d9c7f6b4-jx2mn to {NODE}",
            ),
            (
                "Warning",
                "FailedCreatePodSandBox",
                "2m (x187 over 43m)",
                "kubelet",
                'Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "4c1f0d9a7e22b8c35f61d0e4a9b7c2f18e3d5a6b0c9f7e1d2a4b8c6e0f3a5d79": plugin type="flannel" failed (add): failed to delegate add: failed to allocate for range 0: no IP addresses available in range set: 10.244.14.1-10.244.14.254',
            ),
        ],
    )
    describe = "\n".join(
        ("    Image ID:" if line.startswith("    Image ID:") else line)
        for line in describe_pod(stuck, rng)
        .replace("IPs:\n  IP:           \n", "IPs:              <none>\n")
        .split("\n")
        if not line.startswith("    Container ID:")
    )

    pasted = "\n".join(
        [
            "$ kubectl -n risk rollout status deploy/fraud-scorer",
            'Waiting for deployment "fraud-scorer" rollout to finish: 2 out of 6 new replicas have been updated...',
            "^C",
            "$ kubectl -n risk get pods -l app=fraud-scorer -o wide",
            "NAME                            READY   STATUS              RESTARTS   AGE   IP             NODE       NOMINATED NODE   READINESS GATES",
            "fraud-scorer-58d9c7f6b4-jx2mn   0/1     ContainerCreating   0          44m   <none>         k8s-w-14   <none>           <none>",
            "fraud-scorer-58d9c7f6b4-r7p4w   0/1     ContainerCreating   0          44m   <none>         k8s-w-14   <none>           <none>",
            "fraud-scorer-6c4f8b7d95-8kq2s   1/1     Running             0          9d    10.244.11.37   k8s-w-11   <none>           <none>",
            "fraud-scorer-6c4f8b7d95-d5n7x   1/1     Running             0          9d    10.244.12.52   k8s-w-12   <none>           <none>",
            "fraud-scorer-6c4f8b7d95-m1t9v   1/1     Running             0          9d    10.244.13.18   k8s-w-13   <none>           <none>",
            "fraud-scorer-6c4f8b7d95-wq3zp   1/1     Running             0          9d    10.244.11.64   k8s-w-11   <none>           <none>",
            "",
            "$ kubectl get pods -A --field-selector spec.nodeName=k8s-w-14,status.phase=Running --no-headers | wc -l",
            "31",
            "$ kubectl debug node/k8s-w-14 -it --image=busybox:1.36 -- sh -c 'ls /host/var/lib/cni/networks/cbr0 | wc -l; cat /host/var/lib/cni/networks/cbr0/last_reserved_ip.0'",
            "256",
            "10.244.14.211",
            '$ kubectl debug node/k8s-w-14 -it --image=busybox:1.36 -- sh -c \'chroot /host journalctl -u containerd --since "2026-08-17" | grep -c "Started containerd.service"\'',
            "47",
            "",
            "# pasted 11:25 UTC",
            "",
        ]
    )

    routine = routine_events(
        rng, ["payments-api", "ledger-sync", "fraud-scorer"], 26, NODES[:3], namespace="risk"
    )
    signal = [
        (
            900,
            (
                "Warning",
                "FailedCreatePodSandBox",
                "pod/fraud-scorer-58d9c7f6b4-r7p4w",
                'Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "9e0b7c3a2d": plugin type="flannel" failed (add): failed to delegate add: failed to allocate for range 0',
            ),
        ),
        (
            3700,
            (
                "Warning",
                "FailedEviction",
                "pod/ledger-sync-7f9c6d8b5-2tq8k",
                "Cannot evict pod as it would violate the pod's disruption budget.",
            ),
        ),
    ]
    events = event_listing(routine, signal)

    return Bundle(
        question="The fraud-scorer rollout started at 10:38 UTC is stuck with two pods in ContainerCreating, and payments-api is falling back to rules-only scoring. Why?",
        category="network",
        component=NODE,
        statement="Node k8s-w-14's host-local IPAM directory holds reservations leaked during repeated containerd restarts (256 files for 31 running pods), so its 10.244.14.0/24 pod range is exhausted and every new pod there fails sandbox creation with `no IP addresses available in range set`; the fraud-scorer pods scheduled there never start and the rollout hangs.",
        files={
            "kubectl-describe-pod-fraud-scorer-58d9c7f6b4-jx2mn.txt": describe,
            "kubectl-pasted.txt": pasted,
            "kubectl-get-events.txt": events,
            "k8s-w-14-journal.txt": journal.render(),
            "logs/fraud-scorer.log": scorer.render(),
            "logs/payments-api.log": api.render(),
        },
        proofs=[
            Proof(
                "kubectl-describe-pod-fraud-scorer-58d9c7f6b4-jx2mn.txt",
                "no IP addresses available in range set: 10.244.14.1-10.244.14.254",
            ),
            Proof(
                "kubectl-pasted.txt", "ls /host/var/lib/cni/networks/cbr0 | wc -l", "10.244.14.211"
            ),
        ],
        decoys=[
            "Nameserver limits exceeded",
            "model cache miss for gbm-v32",
            "Cannot evict pod as it would violate the pod's disruption budget",
        ],
    )
