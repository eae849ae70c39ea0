from datetime import UTC, datetime

from k8s_evidence import cited, only, reasons, sample

from faultmaven.domain.diagnosis import Category
from faultmaven.domain.kubernetes import FindingSeverity, KubernetesObjectRef
from faultmaven.integrations.kubernetes import read_kubernetes


def test_oomkilled_pod_names_the_kill_its_exit_code_restarts_and_memory_limit() -> None:
    text = sample("describe-pod-oomkilled.txt")
    evidence = read_kubernetes(text)

    assert evidence.objects == [
        KubernetesObjectRef(kind="Pod", namespace="shop", name="checkout-7d9f8c6b5d-x2k4q")
    ]
    oom = only(evidence, "OOMKilled")
    assert (oom.workload, oom.container, oom.node) == (
        "checkout",
        "checkout",
        "ip-10-0-3-17.ec2.internal",
    )
    assert (oom.exit_code, oom.restart_count) == (137, 7)
    assert oom.category is Category.MEMORY
    assert oom.severity is FindingSeverity.CRITICAL
    assert oom.limits == {"cpu": "500m", "memory": "512Mi"}
    assert oom.requests == {"cpu": "250m", "memory": "256Mi"}
    assert oom.last_seen == datetime(2024, 3, 12, 9, 41, 2, tzinfo=UTC)
    proof = cited(text, oom)
    assert "Reason:       OOMKilled" in proof
    assert "Exit Code:    137" in proof


def test_oomkilled_pod_reports_the_crash_loop_it_causes_as_explained_by_it() -> None:
    text = sample("describe-pod-oomkilled.txt")
    evidence = read_kubernetes(text)

    assert reasons(evidence) == ["OOMKilled", "CrashLoopBackOff"]
    loop = only(evidence, "CrashLoopBackOff")
    assert loop.explained_by == "OOMKilled"
    assert loop.category is Category.MEMORY
    assert (loop.count, loop.first_seen_age, loop.last_seen_age) == (31, "26m", "2m3s")
    proof = cited(text, loop)
    assert "Reason:       CrashLoopBackOff" in proof
    assert "Back-off restarting failed container checkout" in proof


def test_crash_loop_with_exit_code_1_and_no_other_cause_points_to_the_code() -> None:
    text = sample("describe-pod-crashloop-exit1.txt")
    evidence = read_kubernetes(text)

    assert reasons(evidence) == ["CrashLoopBackOff"]
    loop = evidence.findings[0]
    assert (loop.workload, loop.container, loop.namespace) == ("payments-api", "api", "payments")
    assert (loop.exit_code, loop.restart_count) == (1, 9)
    assert loop.category is Category.CODE_ERROR
    assert loop.explained_by is None
    proof = cited(text, loop)
    assert "CrashLoopBackOff" in proof
    assert "Exit Code:    1" in proof
    assert "Reason:       Error" in proof


def test_image_pull_back_off_follows_the_pull_error_that_says_the_tag_is_missing() -> None:
    text = sample("describe-pod-imagepullbackoff.txt")
    evidence = read_kubernetes(text)

    assert reasons(evidence) == ["ErrImagePull", "ImagePullBackOff"]
    pull = only(evidence, "ErrImagePull")
    assert pull.category is Category.DEPLOYMENT
    assert pull.workload == "frontend"
    assert "frontend:v2.8.0-rc1: not found" in (pull.message or "")
    assert "Failed to pull image" in cited(text, pull)
    backoff = only(evidence, "ImagePullBackOff")
    assert backoff.explained_by == "ErrImagePull"
    assert backoff.category is Category.DEPLOYMENT
    assert "Reason:       ImagePullBackOff" in cited(text, backoff)


def test_pending_pod_without_memory_anywhere_is_a_scheduling_finding_with_its_requests() -> None:
    text = sample("describe-pod-pending-unschedulable.txt")
    evidence = read_kubernetes(text)

    assert reasons(evidence) == ["FailedScheduling"]
    pending = evidence.findings[0]
    assert pending.category is Category.SCHEDULING
    assert (pending.workload, pending.container, pending.node) == ("search-indexer", None, None)
    assert pending.message is not None
    assert pending.message.startswith("0/3 nodes are available: 3 Insufficient memory.")
    assert pending.requests == {"cpu": "2", "memory": "6Gi"}
    assert pending.limits == {"memory": "6Gi"}
    assert (pending.count, pending.first_seen_age, pending.last_seen_age) == (4, "17m", "2m41s")
    proof = cited(text, pending)
    assert "PodScheduled   False" in proof
    assert "3 Insufficient memory" in proof


def test_missing_secret_outranks_the_create_container_config_error_it_causes() -> None:
    text = sample("describe-pod-createcontainerconfigerror.txt")
    evidence = read_kubernetes(text)

    assert reasons(evidence) == ["SecretNotFound", "CreateContainerConfigError"]
    missing, config_error = evidence.findings
    assert missing.details == {"secret": "db-credentials"}
    assert missing.category is Category.CONFIGURATION
    assert (missing.workload, missing.container) == ("orders-worker", "worker")
    assert 'Error: secret "db-credentials" not found' in cited(text, missing)
    assert config_error.explained_by == "SecretNotFound"
    assert config_error.category is Category.CONFIGURATION
    assert "Reason:       CreateContainerConfigError" in cited(text, config_error)


def test_readiness_probe_failure_keeps_the_probe_definition_and_how_often_it_failed() -> None:
    text = sample("describe-pod-readiness-failure.txt")
    evidence = read_kubernetes(text)

    assert reasons(evidence) == ["Unhealthy"]
    probe = evidence.findings[0]
    assert probe.category is Category.SCHEDULING
    assert probe.severity is FindingSeverity.MEDIUM
    assert (probe.workload, probe.container) == ("cart", "cart")
    assert probe.details["probe"] == "readiness"
    assert probe.details["probe definition"].startswith("http-get http://:8080/readyz")
    assert probe.count == 241
    assert "Readiness probe failed: HTTP probe failed with statuscode: 503" in cited(text, probe)


def test_evicted_pod_names_the_resource_the_node_ran_out_of() -> None:
    text = sample("describe-pod-evicted.txt")
    evidence = read_kubernetes(text)

    assert evidence.findings[0].reason == "Evicted"
    evicted = evidence.findings[0]
    assert evicted.category is Category.SCHEDULING
    assert evicted.details == {"resource": "ephemeral-storage"}
    assert (evicted.workload, evicted.container) == ("report-writer", None)
    assert evicted.node == "ip-10-0-2-91.ec2.internal"
    proof = cited(text, evicted)
    assert "Reason:           Evicted" in proof
    assert "The node was low on resource: ephemeral-storage" in proof
    unknown = only(evidence, "ContainerStatusUnknown")
    assert unknown.explained_by == "Evicted"
