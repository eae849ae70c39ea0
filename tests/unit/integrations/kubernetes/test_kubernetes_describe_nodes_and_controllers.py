from datetime import UTC, datetime

from k8s_evidence import cited, only, reasons, sample

from faultmaven.domain.diagnosis import Category
from faultmaven.domain.kubernetes import KubernetesObjectRef
from faultmaven.integrations.kubernetes import read_kubernetes


def test_node_under_memory_pressure_reports_since_when_and_how_much_is_requested() -> None:
    text = sample("describe-node-memory-pressure.txt")
    evidence = read_kubernetes(text)

    assert evidence.objects == [
        KubernetesObjectRef(kind="Node", namespace=None, name="ip-10-0-3-17.ec2.internal")
    ]
    pressure = evidence.findings[0]
    assert pressure.reason == "MemoryPressure"
    assert pressure.category is Category.MEMORY
    assert (pressure.kind, pressure.workload, pressure.component) == (
        "Node",
        None,
        "ip-10-0-3-17.ec2.internal",
    )
    assert pressure.first_seen == datetime(2024, 3, 12, 9, 31, 40, tzinfo=UTC)
    assert pressure.requests == {"memory": "13568Mi (93%)"}
    assert pressure.limits == {"memory": "17280Mi (118%)"}
    proof = cited(text, pressure)
    assert "MemoryPressure   True" in proof
    assert "KubeletHasInsufficientMemory" in proof
    threshold = only(evidence, "EvictionThresholdMet")
    assert threshold.explained_by == "MemoryPressure"


def test_healthy_node_conditions_are_not_findings() -> None:
    evidence = read_kubernetes(sample("describe-node-memory-pressure.txt"))

    assert not {"DiskPressure", "PIDPressure", "NodeNotReady"} & set(reasons(evidence))


def test_node_whose_kubelet_stopped_reporting_is_not_ready() -> None:
    text = sample("describe-node-not-ready.txt")
    evidence = read_kubernetes(text)

    assert reasons(evidence) == ["NodeNotReady"]
    down = evidence.findings[0]
    assert down.category is Category.SCHEDULING
    assert down.message == "Kubelet stopped posting node status."
    assert down.details["condition"] == "Ready=Unknown"
    assert down.first_seen == datetime(2024, 3, 12, 13, 3, 29, tzinfo=UTC)
    proof = cited(text, down)
    assert "Ready            Unknown" in proof
    assert "status is now: NodeNotReady" in proof


def test_job_out_of_retries_reports_backoff_limit_and_its_failed_pod_count() -> None:
    text = sample("describe-job-backofflimit.txt")
    evidence = read_kubernetes(text)

    assert evidence.objects == [
        KubernetesObjectRef(kind="Job", namespace="shop", name="db-migrate")
    ]
    job = only(evidence, "BackoffLimitExceeded")
    assert (job.kind, job.workload) == ("Job", "db-migrate")
    assert job.category is Category.DEPLOYMENT  # a failed migration
    assert job.details["pods statuses"] == "0 Active (0 Ready) / 0 Succeeded / 5 Failed"
    assert job.details["backoff limit"] == "4"
    assert "Job has reached the specified backoff limit" in cited(text, job)


def test_deployment_whose_rollout_stalled_reports_the_progress_deadline() -> None:
    text = sample("describe-deployment-progress-deadline.txt")
    evidence = read_kubernetes(text)

    assert reasons(evidence) == ["ProgressDeadlineExceeded"]
    stalled = evidence.findings[0]
    assert (stalled.kind, stalled.name, stalled.workload) == ("Deployment", "checkout", "checkout")
    assert stalled.category is Category.DEPLOYMENT
    assert "Progressing    False   ProgressDeadlineExceeded" in cited(text, stalled)


def test_a_paused_deployment_is_a_deployment_cause_a_progressing_one_is_not() -> None:
    """`kubectl rollout pause` left in place: a new image in the template never rolls out."""
    stalled = sample("describe-deployment-progress-deadline.txt")
    paused = stalled.replace(
        "Progressing    False   ProgressDeadlineExceeded", "Progressing    Unknown DeploymentPaused"
    )
    evidence = read_kubernetes(paused)
    assert reasons(evidence) == ["DeploymentPaused"]
    assert evidence.findings[0].category is Category.DEPLOYMENT
    assert "Unknown DeploymentPaused" in cited(paused, evidence.findings[0])
    progressing = stalled.replace(
        "Progressing    False   ProgressDeadlineExceeded",
        "Progressing    True    NewReplicaSetAvailable",
    )
    assert reasons(read_kubernetes(progressing)) == []


def test_replica_set_refused_by_a_quota_points_to_the_quota() -> None:
    text = sample("describe-replicaset-quota.txt")
    evidence = read_kubernetes(text)

    assert reasons(evidence) == ["FailedCreate"]
    refused = evidence.findings[0]
    assert (refused.kind, refused.workload) == ("ReplicaSet", "billing")
    # A namespace ResourceQuota caps capacity: pods that cannot be created, not API throttling.
    assert refused.category is Category.SCHEDULING
    assert refused.count == 19
    proof = cited(text, refused)
    assert "ReplicaFailure   True    FailedCreate" in proof
    assert "exceeded quota: billing-quota" in proof


def test_stateful_set_that_cannot_create_its_volume_claim_reports_it() -> None:
    text = sample("describe-statefulset-failedcreate.txt")
    evidence = read_kubernetes(text)

    assert evidence.objects == [
        KubernetesObjectRef(kind="StatefulSet", namespace="cache", name="redis")
    ]
    refused = only(evidence, "FailedCreate")
    assert refused.workload == "redis"
    assert refused.category is Category.SCHEDULING
    assert 'persistentvolumeclaims "data-redis-2" is forbidden' in cited(text, refused)


CUSTOM_RESOURCE = """\
Name:         payouts-db
Namespace:    payouts
API Version:  external-secrets.io/v1beta1
Kind:         ExternalSecret
Metadata:
  Generation:  7
Events:
  Type     Reason        Age                From              Message
  ----     ------        ----               ----              -------
  Warning  UpdateFailed  2m (x47 over 99m)  external-secrets  error retrieving secret at\
 .data[0], key: prod-eu/payouts/db, err: AccessDeniedException: User: arn:aws:sts::5182:\
assumed-role/eso-prod-reader/1 is not authorized to perform: secretsmanager:GetSecretValue
"""


def test_a_custom_resource_is_described_as_the_kind_it_states() -> None:
    evidence = read_kubernetes(CUSTOM_RESOURCE)
    assert evidence.objects == [
        KubernetesObjectRef(kind="ExternalSecret", namespace="payouts", name="payouts-db")
    ]
    failed = only(evidence, "UpdateFailed")
    assert (failed.kind, failed.category) == ("ExternalSecret", Category.PERMISSION)
