"""The failure modes an on-call engineer meets most, as kubectl prints them, read right."""

import pytest
from k8s_evidence import cited, only, reasons, sample

from faultmaven.domain.diagnosis import Category
from faultmaven.domain.kubernetes import FindingSeverity, KubernetesEvidence, KubernetesFinding
from faultmaven.integrations.kubernetes import read_kubernetes
from faultmaven.integrations.kubernetes._reasons import category_of, termination_category


def about(evidence: KubernetesEvidence, reason: str, workload: str) -> KubernetesFinding:
    found = [f for f in evidence.findings if f.reason == reason and f.workload == workload]
    assert len(found) == 1, [(each.reason, each.workload) for each in evidence.findings]
    return found[0]


@pytest.mark.parametrize(
    ("workload", "words"),
    [
        ("ledger", "3 Insufficient cpu, 2 node(s) had untolerated taint"),
        ("gpu-trainer", "didn't match Pod's node affinity/selector"),
        ("orders-db", "pod has unbound immediate PersistentVolumeClaims"),
        ("log-shipper", "3 Too many pods"),
    ],
)
def test_pending_pod_is_a_scheduling_finding_on_its_workload_citing_the_scheduler(
    workload: str, words: str
) -> None:
    text = sample("events-pending-scheduler-reasons.txt")
    pending = about(read_kubernetes(text), "FailedScheduling", workload)

    assert pending.category is Category.SCHEDULING
    assert pending.component == workload
    assert words in cited(text, pending)


def test_ingress_to_a_service_that_does_not_exist_is_a_configuration_cause() -> None:
    text = sample("describe-ingress-missing-backend.txt")
    evidence = read_kubernetes(text)

    assert reasons(evidence) == ["BackendServiceNotFound"]
    missing = evidence.findings[0]
    assert (missing.kind, missing.name, missing.component) == ("Ingress", "shop", "shop")
    assert missing.category is Category.CONFIGURATION
    assert missing.severity is FindingSeverity.HIGH
    assert missing.details == {"service": "checkout-api", "port": "8080", "path": "/api"}
    assert cited(text, missing).strip().startswith("/api   checkout-api:8080 (<error:")


def test_ingress_printed_default_backend_missing_is_a_low_configuration_finding() -> None:
    text = sample("describe-ingress-default-backend-error.txt")
    missing = only(read_kubernetes(text), "DefaultBackendNotFound")

    assert missing.category is Category.CONFIGURATION
    assert missing.severity is FindingSeverity.LOW
    assert missing.details["service"] == "default-http-backend"
    assert cited(text, missing).startswith("Default backend:  default-http-backend:80")


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("describe-pod-crashloop-missing-env.txt", "STRIPE_API_KEY is not set"),
        ("describe-pod-crashloop-missing-file.txt", "No such file or directory"),
    ],
)
def test_crash_loop_exiting_1_for_a_missing_env_var_or_file_is_configuration(
    name: str, words: str
) -> None:
    text = sample(name)
    loop = only(read_kubernetes(text), "CrashLoopBackOff")

    assert (loop.category, loop.exit_code, loop.component) == (
        Category.CONFIGURATION,
        1,
        "payments-api",
    )
    assert words in cited(text, loop)
    assert "Exit Code:    1" in cited(text, loop)


def test_crash_loop_exiting_1_without_a_telling_message_stays_a_code_error() -> None:
    loop = only(read_kubernetes(sample("describe-pod-crashloop-exit1.txt")), "CrashLoopBackOff")

    assert loop.category is Category.CODE_ERROR


def test_crash_loop_exiting_127_command_not_found_is_configuration() -> None:
    text = sample("describe-pod-crashloop-exit127.txt")
    loop = only(read_kubernetes(text), "CrashLoopBackOff")

    assert (loop.category, loop.exit_code) == (Category.CONFIGURATION, 127)
    assert "Exit Code:    127" in cited(text, loop)


def test_crash_loop_of_a_start_error_126_is_explained_by_the_start_error() -> None:
    text = sample("describe-pod-crashloop-exit126.txt")
    evidence = read_kubernetes(text)

    assert reasons(evidence) == ["StartError", "CrashLoopBackOff"]
    start = only(evidence, "StartError")
    assert (start.category, start.exit_code) == (Category.CONFIGURATION, 126)
    assert "permission denied" in cited(text, start)
    assert only(evidence, "CrashLoopBackOff").explained_by == "StartError"


def test_crash_loop_of_an_oom_kill_137_is_memory_and_explained_by_the_kill() -> None:
    evidence = read_kubernetes(sample("describe-pod-oomkilled.txt"))

    oom = only(evidence, "OOMKilled")
    assert (oom.category, oom.exit_code, oom.component) == (Category.MEMORY, 137, "checkout")
    assert only(evidence, "CrashLoopBackOff").explained_by == "OOMKilled"


@pytest.mark.parametrize(
    ("workload", "category", "cause"),
    [
        ("checkout", Category.DEPLOYMENT, "image not found"),
        ("billing", Category.DEPLOYMENT, "image not found"),
        ("reports", Category.DEPLOYMENT, "registry credentials"),
        ("notifier", Category.DEPLOYMENT, "registry credentials"),
        ("search", Category.NETWORK, "registry unreachable"),
    ],
)
def test_image_pull_failure_says_whether_tag_credentials_or_network_is_at_fault(
    workload: str, category: Category, cause: str
) -> None:
    text = sample("events-image-pull-causes.txt")
    pull = about(read_kubernetes(text), "ErrImagePull", workload)

    assert pull.category is category
    assert pull.details["pull error"] == cause
    assert "Failed to pull image" in cited(text, pull)


def test_image_pull_back_off_is_explained_by_the_pull_error() -> None:
    evidence = read_kubernetes(sample("events-image-pull-causes.txt"))

    assert about(evidence, "ImagePullBackOff", "search").explained_by == "ErrImagePull"


def test_node_that_stopped_posting_status_is_not_ready() -> None:
    text = sample("describe-node-not-ready.txt")
    down = only(read_kubernetes(text), "NodeNotReady")

    assert (down.category, down.severity) == (Category.SCHEDULING, FindingSeverity.CRITICAL)
    assert "Kubelet stopped posting node status" in cited(text, down)


def test_node_disk_and_pid_pressure_are_reported_from_their_conditions() -> None:
    text = sample("describe-node-disk-and-pid-pressure.txt")
    evidence = read_kubernetes(text)

    assert "MemoryPressure" not in reasons(evidence)
    disk, pids = only(evidence, "DiskPressure"), only(evidence, "PIDPressure")
    assert disk.category is pids.category is Category.SCHEDULING
    assert "DiskPressure     True" in cited(text, disk)
    assert "PIDPressure      True" in cited(text, pids)
    assert only(evidence, "EvictionThresholdMet").explained_by == "DiskPressure"


def test_eviction_for_low_memory_is_explained_by_the_node_memory_pressure() -> None:
    text = sample("events-evicted-low-memory.txt")
    evidence = read_kubernetes(text)

    evicted = only(evidence, "Evicted")
    assert (evicted.category, evicted.component) == (Category.SCHEDULING, "search-api")
    assert evicted.details["resource"] == "memory"
    assert evicted.explained_by == "MemoryPressure"
    assert only(evidence, "MemoryPressure").category is Category.MEMORY


def test_rbac_refusal_of_a_service_account_is_a_permission_cause_on_its_workload() -> None:
    text = sample("events-rbac-hpa.txt")
    evidence = read_kubernetes(text)

    forbidden = only(evidence, "Forbidden")
    assert (forbidden.category, forbidden.component) == (Category.PERMISSION, "operator")
    assert forbidden.details == {
        "service account": "platform/operator",
        "verb": "list",
        "resource": "pods",
    }
    assert 'cannot list resource "pods"' in cited(text, forbidden)
    assert only(evidence, "Failed").explained_by == "Forbidden"


def test_crash_loop_whose_last_message_is_an_rbac_refusal_is_permission() -> None:
    text = sample("describe-pod-crashloop-exit1.txt").replace(
        "      Exit Code:    1\n",
        '      Message:      pods is forbidden: User "system:serviceaccount:payments:payments-api"'
        ' cannot list resource "pods" in API group "" in the namespace "payments"\n'
        "      Exit Code:    1\n",
    )
    evidence = read_kubernetes(text)

    forbidden = only(evidence, "Forbidden")
    assert (forbidden.component, forbidden.container) == ("payments-api", "api")
    assert only(evidence, "CrashLoopBackOff").category is Category.PERMISSION
    assert only(evidence, "CrashLoopBackOff").explained_by == "Forbidden"


def test_quota_refusal_cites_the_exceeded_quota_line() -> None:
    text = sample("describe-replicaset-quota.txt")
    refused = only(read_kubernetes(text), "FailedCreate")

    assert refused.category is Category.SCHEDULING
    assert refused.component == "billing"
    assert "exceeded quota: " in cited(text, refused)


def test_autoscaler_missing_cpu_request_is_a_configuration_cause_at_its_workload() -> None:
    text = sample("describe-hpa-missing-request.txt")
    evidence = read_kubernetes(text)

    metric = only(evidence, "MissingResourceRequest")
    assert (metric.category, metric.severity) == (Category.CONFIGURATION, FindingSeverity.MEDIUM)
    assert metric.component == "web"
    proof = cited(text, metric)
    assert "ScalingActive  False   FailedGetResourceMetric" in proof
    assert "missing request for cpu" in proof
    assert only(evidence, "FailedComputeMetricsReplicas").explained_by == ("MissingResourceRequest")


def test_autoscaler_that_cannot_fetch_its_metrics_stays_a_low_finding() -> None:
    text = sample("describe-hpa-missing-request.txt").replace(
        "missing request for cpu in container web of Pod", "unable to fetch metrics for Pod"
    )
    metric = only(read_kubernetes(text), "FailedGetResourceMetric")
    assert (metric.category, metric.severity) == (Category.CONFIGURATION, FindingSeverity.LOW)


def test_autoscaler_metric_warning_ranks_after_an_rbac_refusal() -> None:
    text = sample("events-rbac-hpa.txt")
    order = reasons(read_kubernetes(text))

    assert order.index("Forbidden") < order.index("MissingResourceRequest")


def test_autoscaler_scaled_to_zero_on_purpose_is_no_finding() -> None:
    text = sample("describe-hpa-missing-request.txt").replace(
        "ScalingActive  False   FailedGetResourceMetric",
        "ScalingActive  False   ScalingDisabled        ",
    )
    text = text[: text.index("Events:")]

    assert reasons(read_kubernetes(text)) == []


def _limited(reason: str, message: str) -> str:
    text = sample("describe-hpa-missing-request.txt")
    text = text[: text.index("Events:")].replace(
        "ScalingActive  False   FailedGetResourceMetric",
        "ScalingActive  True    ValidMetricFound       ",
    )
    return text + f"  {'ScalingLimited':<15}{'True':<8}{reason:<25}{message}\n"


def test_autoscaler_held_back_by_its_scale_up_policy_is_a_configuration_cause() -> None:
    text = _limited(
        "ScaleUpLimit", "the desired replica count is increasing faster than the maximum scale rate"
    )
    limited = only(read_kubernetes(text), "ScaleUpLimit")
    assert (limited.category, limited.severity) == (Category.CONFIGURATION, FindingSeverity.HIGH)
    assert limited.component == "web"


def test_autoscaler_at_its_maximum_is_no_finding() -> None:
    text = _limited("TooManyReplicas", "the desired replica count is more than the maximum")
    assert reasons(read_kubernetes(text)) == []


def test_readiness_failing_while_liveness_passes_is_a_scheduling_probe_finding() -> None:
    text = sample("describe-pod-readiness-failure.txt")
    evidence = read_kubernetes(text)

    assert reasons(evidence) == ["Unhealthy"]
    probe = evidence.findings[0]
    assert (probe.category, probe.component) == (Category.SCHEDULING, "cart")
    assert probe.details["probe"] == "readiness"
    assert probe.restart_count is None
    assert "Readiness probe failed" in cited(text, probe)


def test_a_command_or_hook_naming_a_program_the_image_lacks_is_the_release() -> None:
    events = (
        "LAST SEEN   TYPE      REASON              OBJECT                          MESSAGE\n"
        "58m         Warning   FailedPreStopHook   pod/quote-69d4b7c8f2-k2m9w      Exec lifecycle"
        ' hook ([/bin/sh -c sleep 20]) for Container "quote" in Pod'
        " \"quote-69d4b7c8f2-k2m9w_pricing(7a41)\" failed - error: command '/bin/sh -c sleep 20'"
        ' exited with 126: , message: "OCI runtime exec failed: exec failed: unable to start'
        ' container process: exec: \\"/bin/sh\\": stat /bin/sh: no such file or directory:'
        ' unknown\\r\\n"\n'
    )
    hook = only(read_kubernetes(events), "FailedPreStopHook")
    assert hook.category is Category.DEPLOYMENT
    start = (
        "  Warning  Failed  3m  kubelet  Error: failed to create containerd task: OCI runtime"
        ' create failed: unable to start container process: exec: "/app/sync": stat /app/sync:'
        " no such file or directory: unknown"
    )
    assert category_of("StartError", start) is Category.DEPLOYMENT
    assert termination_category("StartError", 128, start) is Category.DEPLOYMENT
    assert termination_category("StartError", 126, 'exec: "/app/run.sh": permission denied') is (
        Category.CONFIGURATION
    )


def test_pods_refused_for_naming_a_missing_priority_class_are_a_configuration_error() -> None:
    missing = (
        'Error creating: pods "search-frontend-84c6f9d7b5-" is forbidden: no PriorityClass with'
        " name tier1-serving was found"
    )
    assert category_of("FailedCreate", missing) is Category.CONFIGURATION
    denied = (
        'Error creating: pods "x-" is forbidden: User "system:serviceaccount:shop:deployer"'
        ' cannot create resource "pods" in API group "" in the namespace "shop"'
    )
    assert category_of("FailedCreate", denied) is Category.PERMISSION


def test_a_pod_refused_for_an_unsafe_sysctl_is_a_configuration_error() -> None:
    refused = 'Pod forbidden sysctl: "net.core.somaxconn" not allowlisted'
    assert category_of("SysctlForbidden", refused) is Category.CONFIGURATION


def test_a_load_balancer_refused_for_a_cloud_quota_is_a_rate_limit() -> None:
    quota = (
        'Error syncing load balancer: failed to ensure load balancer: RawError: {"error":'
        '{"code":"PublicIPCountLimitReached","message":"Cannot create more than 20 public IP'
        ' addresses for this subscription in this region."}}'
    )
    assert category_of("SyncLoadBalancerFailed", quota) is Category.RATE_LIMIT
    assert category_of("SyncLoadBalancerFailed", "subnet not found") is Category.CONFIGURATION


def test_the_load_balancer_controller_denied_by_iam_is_a_permission_failure() -> None:
    denied = (
        "Failed deploy model due to AccessDenied: User: arn:aws:sts::381726354019:assumed-role/"
        "eks-lbc/1 is not authorized to perform: elasticloadbalancing:RegisterTargets"
    )
    assert category_of("FailedDeployModel", denied) is Category.PERMISSION
    assert category_of("FailedBuildModel", "ingress: subnet tags missing") is (
        Category.CONFIGURATION
    )


_ATTACH_EVENTS = (
    "LAST SEEN   TYPE      REASON               OBJECT                             MESSAGE\n"
    "45m         Warning   FailedAttachVolume   pod/thumbnailer-8c4d2f7b95-m6tjr   {message}\n"
)


def test_a_volume_held_by_another_pod_of_the_deployment_is_a_rollout_cause() -> None:
    text = _ATTACH_EVENTS.format(
        message='Multi-Attach error for volume "pvc-6d1e0b92" Volume is already used by pod(s)'
        " thumbnailer-5b7f9c8d64-qz2xw"
    )
    held = only(read_kubernetes(text), "MultiAttachByAnotherPod")
    assert (held.category, held.severity) == (Category.DEPLOYMENT, FindingSeverity.HIGH)
    assert held.component == "thumbnailer"


def test_a_volume_still_attached_to_another_node_stays_a_disk_failure() -> None:
    text = _ATTACH_EVENTS.format(
        message='Multi-Attach error for volume "pvc-4e1c9a7b" Volume is already exclusively'
        " attached to one node and can't be attached to another"
    )
    attach = only(read_kubernetes(text), "FailedAttachVolume")
    assert attach.category is Category.DISK


def test_an_eviction_a_disruption_budget_blocks_is_a_low_finding() -> None:
    text = (
        "LAST SEEN   TYPE      REASON            OBJECT                             MESSAGE\n"
        "89m         Warning   EvictionBlocked   pod/rewards-worker-5d8c7b6f4-v2qzd   Cannot evict"
        " pod as it would violate the pod's disruption budget.\n"
    )
    blocked = only(read_kubernetes(text), "EvictionBlocked")
    assert (blocked.category, blocked.severity) == (Category.CONFIGURATION, FindingSeverity.LOW)
