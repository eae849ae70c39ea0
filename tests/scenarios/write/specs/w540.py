# ruff: noqa: E501
# Log lines, kubectl output and YAML are data, kept whole on one line.
"""Kubernetes (kubeadm with Cluster API on Hetzner, America/Bogota): notebook cells run in
sandbox-runner pods with `runtimeClassName: gvisor`. The runsc handler is put on nodes by the
gvisor-installer DaemonSet, which selects nodes labelled `runtime.acme.io/gvisor=true`, and the
RuntimeClass has no `scheduling` section. The MachineDeployment `md-general-v3` created at
15:25 UTC to replace `md-general-v2` uses a kubeadm config template whose node-labels lack it: the installer never
runs on the new nodes, containerd there has no runsc runtime, and every runner pod placed on them
fails with FailedCreatePodSandBox. Notebook executions queue and time out. Decoys: a cluster
autoscaler scale-down, a Redis lock contention warning, a gVisor unsupported-syscall line."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, table
from records import JsonLines, PythonLogging
from scenes import at, loud
from traffic import traffic, web_api, worker

BOGOTA = timezone(timedelta(hours=-5))
START = datetime(2026, 10, 6, 14, 40, tzinfo=UTC)
NOW = datetime(2026, 10, 6, 16, 30, tzinfo=UTC)
SWAP = 45.0  # 15:25 UTC
OLD = ["md-general-v2-7c9f4-xk2lp", "md-general-v2-7c9f4-r8wqz"]
NEW = ["md-general-v3-5b8d2-fq7nc", "md-general-v3-5b8d2-h4tmv", "md-general-v3-5b8d2-p9zxr"]
SANDBOX_ERR = 'Failed to create pod sandbox: rpc error: code = Unknown desc = failed to get sandbox runtime: no runtime for "runsc" is configured'


def cluster() -> str:
    rows = [(n, "Ready", "<none>", "212d", "v1.30.5", "md-general-v2", "true") for n in OLD]
    rows += [(n, "Ready", "<none>", "64m", "v1.30.5", "md-general-v3", "") for n in NEW]
    nodes = table(("NAME", "STATUS", "ROLES", "AGE", "VERSION", "DEPLOYMENT-NAME", "GVISOR"), rows)
    return "\n".join(
        [
            "$ kubectl get runtimeclass gvisor -o yaml",
            "apiVersion: node.k8s.io/v1",
            "handler: runsc",
            "kind: RuntimeClass",
            "metadata:",
            '  creationTimestamp: "2025-03-02T19:44:10Z"',
            "  name: gvisor",
            '  resourceVersion: "1183324"',
            "  uid: 6c0e3a1f-9d2b-4f57-8a64-2e71b0c9d5a3",
            "",
            "$ kubectl -n kube-system get ds gvisor-installer -o wide",
            *table(
                (
                    "NAME",
                    "DESIRED",
                    "CURRENT",
                    "READY",
                    "UP-TO-DATE",
                    "AVAILABLE",
                    "NODE SELECTOR",
                    "AGE",
                    "CONTAINERS",
                    "IMAGES",
                    "SELECTOR",
                ),
                [
                    (
                        "gvisor-installer",
                        "2",
                        "2",
                        "2",
                        "2",
                        "2",
                        "runtime.acme.io/gvisor=true",
                        "584d",
                        "install",
                        "registry.acme.io/infra/gvisor-install:20260915",
                        "app=gvisor-installer",
                    )
                ],
            ),
            "",
            "$ kubectl get nodes -L cluster.x-k8s.io/deployment-name,runtime.acme.io/gvisor",
            *nodes,
            "",
            "$ kubectl get machinedeployment -o custom-columns=NAME:.metadata.name,REPLICAS:.spec.replicas,BOOTSTRAP:.spec.template.spec.bootstrap.configRef.name",
            *table(
                ("NAME", "REPLICAS", "BOOTSTRAP"),
                [
                    ("md-general-v2", "2", "kct-general-v2"),
                    ("md-general-v3", "3", "kct-general-v3"),
                ],
            ),
            "",
            '$ for t in kct-general-v2 kct-general-v3; do kubectl get kubeadmconfigtemplate $t -o jsonpath=\'{.metadata.name}{": "}{.spec.template.spec.joinConfiguration.nodeRegistration.kubeletExtraArgs.node-labels}{"\\n"}\'; done',
            "kct-general-v2: node-role.acme.io/general=,runtime.acme.io/gvisor=true",
            "kct-general-v3: node-role.acme.io/general=",
            "",
        ]
    )


def bundle() -> Bundle:
    rng = random.Random(54021)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    pod = Pod(
        name="sandbox-runner-6b7d9c5f8-wz4kp",
        namespace="notebooks",
        node=NEW[1],
        app="sandbox-runner",
        status="Pending",
        ip="",
        start_time="Tue, 06 Oct 2026 10:58:17 -0500",
        containers=[
            Container(
                name="runner",
                image="registry.acme.io/notebooks/sandbox-runner:4.2.7",
                state=["Waiting", "  Reason:       ContainerCreating"],
                ready=False,
                limits={"cpu": "2", "memory": "4Gi"},
                requests={"cpu": "1", "memory": "4Gi"},
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
                "31m",
                "default-scheduler",
                f"Successfully assigned notebooks/sandbox-runner-6b7d9c5f8-wz4kp to {NEW[1]}",
            ),
            ("Warning", "FailedCreatePodSandBox", "3m (x138 over 31m)", "kubelet", SANDBOX_ERR),
        ],
    )
    described = "\n".join(
        line
        for line in describe_pod(pod, rng).split("\n")
        if "Container ID:" not in line and "Image ID:" not in line
    )
    described = described.replace(
        "IP:\nIPs:\n  IP:           \n", "IP:\nIPs:              <none>\n"
    ).replace("Priority:         0\n", "Priority:         0\nRuntime Class Name:  gvisor\n")

    api = LogFile(
        "logs/notebook-exec-api.log",
        PythonLogging(("exec.scheduler", "exec.api", "exec.locks"), rng=rng),
    )
    api.add(
        traffic(
            rng,
            web_api("notebook-exec-api", ["executions", "kernels", "notebooks"]),
            START,
            total,
            2800,
        )
    )
    api.add(
        [
            at(
                START,
                18.0,
                "WARN",
                "redis lock exec:kernel:8812 contended, waited 740ms",
                logger="exec.locks",
            )
        ]
    )
    api.add(
        loud(
            rng,
            START,
            SWAP + 9,
            total - SWAP - 9.5,
            290,
            lambda r: (
                "ERROR",
                f"execution {r.getrandbits(48):012x} failed: no sandbox runner became ready within 120s (queue depth {r.randrange(40, 310)})",
                (),
            ),
        )
    )

    runner = LogFile(
        "logs/sandbox-runner-on-md-general-v2.log",
        JsonLines("sandbox-runner", rng=rng, zone=BOGOTA),
    )
    runner.add(traffic(rng, worker("sandbox-runner", ["cells"]), START, total, 1500))
    runner.add(
        [
            at(
                START,
                61.0,
                "WARN",
                "gVisor: Unsupported syscall io_uring_setup(425) from python3.12, returned ENOSYS",
            )
        ]
    )

    rows = []
    for i, suffix in enumerate(["wz4kp", "b2rfn", "k8mqd", "t6vxh", "c3lzs"]):
        node = NEW[i % 3]
        rows.append(
            (
                ago(SWAP + 5 + 4 * i),
                (
                    "Normal",
                    "Scheduled",
                    f"pod/sandbox-runner-6b7d9c5f8-{suffix}",
                    f"Successfully assigned notebooks/sandbox-runner-6b7d9c5f8-{suffix} to {node}",
                ),
            )
        )
        rows.append(
            (
                40 + 23 * i,
                (
                    "Warning",
                    "FailedCreatePodSandBox",
                    f"pod/sandbox-runner-6b7d9c5f8-{suffix}",
                    SANDBOX_ERR,
                ),
            )
        )
    rows.append(
        (
            ago(SWAP + 20),
            (
                "Normal",
                "ScaleDown",
                "node/md-general-v2-7c9f4-d5hjw",
                "marked the node as toBeDeleted/unschedulable",
            ),
        )
    )
    rows.append(
        (
            ago(SWAP + 5) + 60,
            (
                "Normal",
                "SuccessfulRescale",
                "horizontalpodautoscaler/sandbox-runner",
                "New size: 12; reason: External metric exec_queue_depth(nil) above target",
            ),
        )
    )
    events = "$ kubectl -n notebooks get events --sort-by=.lastTimestamp\n" + event_listing(
        [], rows
    )

    return Bundle(
        question="Notebook cells have been failing with 'no sandbox runner became ready' since about 10:35 Bogota time. What is the root cause?",
        category="configuration",
        component="md-general-v3",
        statement="The new MachineDeployment md-general-v3 gives its nodes no runtime.acme.io/gvisor=true label, so the gvisor-installer DaemonSet never configures runsc on them; the RuntimeClass gvisor has no scheduling constraint, and sandbox-runner pods placed on the new nodes fail with 'no runtime for \"runsc\" is configured'.",
        files={
            "kubectl-runtime-and-nodes.txt": cluster(),
            "kubectl-describe-pod-sandbox-runner.txt": "$ kubectl -n notebooks describe pod sandbox-runner-6b7d9c5f8-wz4kp\n"
            + described,
            "kubectl-get-events.txt": events,
            api.name: api.render(),
            runner.name: runner.render(),
        },
        proofs=[
            Proof("kubectl-runtime-and-nodes.txt", "kct-general-v3: node-role"),
            Proof("kubectl-runtime-and-nodes.txt", "runtime.acme.io/gvisor=true   584d"),
            Proof("kubectl-runtime-and-nodes.txt", f"{NEW[0]}   Ready"),
            Proof(
                "kubectl-describe-pod-sandbox-runner.txt", 'no runtime for "runsc" is configured'
            ),
        ],
        decoys=[
            "toBeDeleted/unschedulable",
            "exec:kernel:8812 contended",
            "Unsupported syscall io_uring_setup",
        ],
    )
