from datetime import UTC, datetime

from k8s_evidence import cited, numbered_lines, only, reasons, sample

from faultmaven.domain.diagnosis import Category
from faultmaven.domain.kubernetes import KubernetesObjectRef
from faultmaven.integrations.kubernetes import read_kubernetes

EVENT_LIST = """\
apiVersion: v1
items:
- apiVersion: v1
  count: 14
  eventTime: null
  firstTimestamp: "2024-03-12T13:20:11Z"
  involvedObject:
    apiVersion: v1
    fieldPath: spec.containers{api}
    kind: Pod
    name: ledger-0
    namespace: finance
    resourceVersion: "99120"
    uid: 4d3c2b1a-0f9e-4d8c-b7a6-958473625140
  kind: Event
  lastTimestamp: "2024-03-12T13:31:40Z"
  message: 'Liveness probe failed: Get "http://10.244.2.17:8080/healthz": context deadline
    exceeded (Client.Timeout exceeded while awaiting headers)'
  metadata:
    creationTimestamp: "2024-03-12T13:20:11Z"
    name: ledger-0.17bc3d4e5f6a7b8c
    namespace: finance
    resourceVersion: "99410"
    uid: 0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d
  reason: Unhealthy
  reportingComponent: kubelet
  reportingInstance: worker-3
  source:
    component: kubelet
    host: worker-3
  type: Warning
- apiVersion: events.k8s.io/v1
  deprecatedCount: 1
  eventTime: "2024-03-12T13:32:05.118204Z"
  kind: Event
  metadata:
    name: ledger-1.17bc3d4e5f6a7b9d
    namespace: finance
  note: '0/4 nodes are available: 4 node(s) had untolerated taint {node.kubernetes.io/not-ready: }.'
  reason: FailedScheduling
  regarding:
    kind: Pod
    name: ledger-1
    namespace: finance
  reportingController: default-scheduler
  type: Warning
kind: List
metadata:
  resourceVersion: ""
"""

NODE_NETWORK_DOWN = """\
apiVersion: v1
kind: Node
metadata:
  labels:
    kubernetes.io/hostname: worker-3
    node.kubernetes.io/instance-type: 4
  name: worker-3
spec:
  podCIDR: 10.244.3.0/24
status:
  conditions:
  - lastHeartbeatTime: "2024-03-12T13:30:52Z"
    lastTransitionTime: "2024-03-12T13:25:10Z"
    message: 'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady
      message:Network plugin returns error: cni plugin not initialized'
    reason: KubeletNotReady
    status: "False"
    type: Ready
"""

JOB_FAILED = """\
$ kubectl get job nightly-report-28512345 -n batch -o yaml
apiVersion: batch/v1
kind: Job
metadata:
  name: nightly-report-28512345
  namespace: batch
  ownerReferences:
  - apiVersion: batch/v1
    controller: true
    kind: CronJob
    name: nightly-report
    uid: 1b2c3d4e-5f60-4718-293a-4b5c6d7e8f90
spec:
  backoffLimit: 2
status:
  conditions:
  - lastProbeTime: "2024-03-12T02:14:09Z"
    lastTransitionTime: "2024-03-12T02:14:09Z"
    message: Job has reached the specified backoff limit
    reason: BackoffLimitExceeded
    status: "True"
    type: Failed
  failed: 3
  startTime: "2024-03-12T02:00:00Z"
"""


def test_pod_yaml_reports_the_last_oom_kill_through_the_client_models() -> None:
    text = sample("pod-oomkilled.yaml")
    evidence = read_kubernetes(text)

    assert evidence.objects == [
        KubernetesObjectRef(kind="Pod", namespace="shop", name="recommender-6f5d4c7b2-bq7ws")
    ]
    assert reasons(evidence) == ["OOMKilled", "CrashLoopBackOff"]
    oom = only(evidence, "OOMKilled")
    assert (oom.workload, oom.container, oom.node) == (
        "recommender",
        "recommender",
        "ip-10-0-3-17.ec2.internal",
    )
    assert (oom.exit_code, oom.restart_count) == (137, 3)
    assert oom.category is Category.MEMORY
    assert oom.last_seen == datetime(2024, 3, 12, 9, 35, 47, tzinfo=UTC)
    assert oom.limits == {"cpu": "2", "memory": "1Gi"}
    proof = cited(text, oom)
    assert "reason: OOMKilled" in proof
    assert "exitCode: 137" in proof
    loop = only(evidence, "CrashLoopBackOff")
    assert loop.explained_by == "OOMKilled"


def test_a_wrapped_yaml_message_is_cited_over_all_its_lines() -> None:
    text = sample("pod-oomkilled.yaml")
    loop = only(read_kubernetes(text), "CrashLoopBackOff")

    proof = cited(text, loop)
    assert "message: back-off 40s restarting failed container=recommender" in proof
    assert "pod=recommender-6f5d4c7b2-bq7ws_shop(" in proof
    assert "reason: CrashLoopBackOff" in proof


def test_pods_json_list_reads_every_item_and_ranks_the_missing_secret_first() -> None:
    text = sample("pods-list.json")
    evidence = read_kubernetes(text)

    assert [ref.name for ref in evidence.objects] == [
        "api-gateway-7c8d9f6b5-k4m2p",
        "frontend-6c9d7b8f4-lx2mz",
        "orders-worker-84c6f7d9b5-t9nvs",
        "search-indexer-7b6d5c4f9-hx8wp",
    ]
    assert evidence.findings[0].reason == "SecretNotFound"
    assert sorted(reasons(evidence)) == [
        "CreateContainerConfigError",
        "FailedScheduling",
        "ImagePullBackOff",
        "SecretNotFound",
    ]
    assert only(evidence, "CreateContainerConfigError").explained_by == "SecretNotFound"
    secret = only(evidence, "SecretNotFound")
    assert '"message": "secret \\"db-credentials\\" not found"' in cited(text, secret)
    pending = only(evidence, "FailedScheduling")
    assert pending.workload == "search-indexer"
    assert pending.first_seen == datetime(2024, 3, 12, 13, 40, 22, tzinfo=UTC)
    assert pending.requests == {"cpu": "2", "memory": "6Gi"}
    assert "3 Insufficient memory" in cited(text, pending)
    pull = only(evidence, "ImagePullBackOff")
    assert (pull.namespace, pull.workload, pull.container) == ("web", "frontend", "web")


def test_event_list_reads_core_and_events_api_events_with_their_times() -> None:
    evidence = read_kubernetes(EVENT_LIST)

    assert evidence.objects == [
        KubernetesObjectRef(kind="Pod", namespace="finance", name="ledger-0"),
        KubernetesObjectRef(kind="Pod", namespace="finance", name="ledger-1"),
    ]
    probe = only(evidence, "Unhealthy")
    assert (probe.workload, probe.container, probe.count) == ("ledger", "api", 14)
    assert probe.details["probe"] == "liveness"
    assert probe.first_seen == datetime(2024, 3, 12, 13, 20, 11, tzinfo=UTC)
    assert probe.last_seen == datetime(2024, 3, 12, 13, 31, 40, tzinfo=UTC)
    proof = cited(EVENT_LIST, probe)
    assert "Liveness probe failed" in proof
    assert "reason: Unhealthy" in proof
    scheduling = only(evidence, "FailedScheduling")
    assert scheduling.message is not None
    assert "untolerated taint" in scheduling.message
    assert scheduling.last_seen == datetime(2024, 3, 12, 13, 32, 5, 118204, tzinfo=UTC)
    assert "reason: FailedScheduling" in cited(EVENT_LIST, scheduling)


def test_node_yaml_with_cni_down_reports_the_network_before_not_ready() -> None:
    evidence = read_kubernetes(NODE_NETWORK_DOWN)

    assert reasons(evidence) == ["NetworkNotReady", "NodeNotReady"]
    network, down = evidence.findings
    assert network.category is Category.NETWORK
    assert down.explained_by == "NetworkNotReady"
    assert "NetworkReady=false" in cited(NODE_NETWORK_DOWN, network)


def test_label_values_yaml_read_as_numbers_do_not_lose_the_object() -> None:
    evidence = read_kubernetes(NODE_NETWORK_DOWN)

    assert evidence.objects == [KubernetesObjectRef(kind="Node", namespace=None, name="worker-3")]


def test_failed_job_yaml_after_a_command_line_belongs_to_its_cron_job() -> None:
    evidence = read_kubernetes(JOB_FAILED)

    job = only(evidence, "BackoffLimitExceeded")
    assert (job.kind, job.name, job.workload) == (
        "Job",
        "nightly-report-28512345",
        "nightly-report",
    )
    assert job.details == {"failed pods": "3", "backoff limit": "2"}
    lines = numbered_lines(JOB_FAILED)
    assert lines[job.lines[0].line_start - 1].strip().startswith("message: Job has reached")
    assert "reason: BackoffLimitExceeded" in cited(JOB_FAILED, job)


def test_several_yaml_documents_are_all_read() -> None:
    text = NODE_NETWORK_DOWN + "---\n" + sample("pod-oomkilled.yaml")
    evidence = read_kubernetes(text)

    assert [ref.kind for ref in evidence.objects] == ["Node", "Pod"]
    oom = only(evidence, "OOMKilled")
    assert "reason: OOMKilled" in cited(text, oom)
