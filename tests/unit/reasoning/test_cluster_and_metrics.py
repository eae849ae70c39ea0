from faultmaven.domain.diagnosis import (
    Category,
    Citation,
    DiagnosisDraft,
    DiagnosisStatus,
    Hypothesis,
)
from faultmaven.domain.kubernetes import CORDONED, FindingSeverity, KubernetesFinding, LineSpan
from faultmaven.reasoning.cluster_and_metrics import CitedFinding, with_kubernetes


def _finding(reason: str, category: Category, explained_by: str | None = None) -> CitedFinding:
    finding = KubernetesFinding(
        kind="Pod",
        namespace="shop",
        name="checkout-7d9f8c6b5d-x2k4q",
        workload="checkout",
        container="checkout",
        reason=reason,
        category=category,
        severity=FindingSeverity.CRITICAL if explained_by is None else FindingSeverity.HIGH,
        exit_code=137 if reason == "OOMKilled" else None,
        explained_by=explained_by,
        lines=[LineSpan(line_start=3, line_end=3)],
    )
    citation = Citation(
        evidence_id="e1", evidence_name="pod.txt", line_start=3, line_end=3, text=reason
    )
    return CitedFinding(finding, (citation,))


def _top_of_finding_alone(reason: str, category: Category, **changes: object) -> Hypothesis:
    """Return the top hypothesis of a case holding only this finding, its fields changed."""
    cited = _finding(reason, category)
    finding = cited.finding.model_copy(update=changes)
    draft = DiagnosisDraft(summary="nothing", status=DiagnosisStatus.INSUFFICIENT_EVIDENCE)
    return with_kubernetes(draft, [CitedFinding(finding, cited.citations)]).hypotheses[0]


def _log_hypothesis(confidence: float) -> Hypothesis:
    return Hypothesis(
        id="log-1",
        rank=1,
        title="Upstream timeouts in frontend",
        statement="frontend timed out calling checkout.",
        category=Category.NETWORK,
        component="frontend",
        confidence=confidence,
        reasoning="timeouts",
        citations=[
            Citation(evidence_id="e2", evidence_name="fe.log", line_start=1, line_end=1, text="x")
        ],
    )


def test_an_unexplained_cause_becomes_a_hypothesis_and_its_symptom_supports_it() -> None:
    draft = DiagnosisDraft(summary="nothing", status=DiagnosisStatus.INSUFFICIENT_EVIDENCE)
    findings = [
        _finding("OOMKilled", Category.MEMORY),
        _finding("CrashLoopBackOff", Category.CODE_ERROR, explained_by="OOMKilled"),
    ]
    result = with_kubernetes(draft, findings)
    assert result.status is DiagnosisStatus.DIAGNOSED
    assert [h.title for h in result.hypotheses] == ["OOMKilled in checkout"]
    top = result.hypotheses[0]
    assert top.category is Category.MEMORY and top.component == "checkout"
    assert [c.text for c in top.citations] == ["OOMKilled", "CrashLoopBackOff"]
    assert "exit code 137" in top.statement
    assert result.summary.startswith("Most likely cause: Kubernetes reports OOMKilled")


def test_kubernetes_and_log_hypotheses_are_ranked_together_by_confidence() -> None:
    draft = DiagnosisDraft(
        summary="logs", status=DiagnosisStatus.DIAGNOSED, hypotheses=[_log_hypothesis(0.5)]
    )
    result = with_kubernetes(draft, [_finding("OOMKilled", Category.MEMORY)])
    assert [h.rank for h in result.hypotheses] == [1, 2]
    assert result.hypotheses[0].component == "checkout"
    assert result.hypotheses[1].id == "log-1"
    assert [c.name for c in result.components] == ["checkout", "frontend"]


def test_hypothesis_ids_are_stable_across_turns() -> None:
    draft = DiagnosisDraft(summary="s", status=DiagnosisStatus.INSUFFICIENT_EVIDENCE)
    first = with_kubernetes(draft, [_finding("OOMKilled", Category.MEMORY)])
    again = with_kubernetes(draft, [_finding("OOMKilled", Category.MEMORY)])
    assert first.hypotheses[0].id == again.hypotheses[0].id


def test_no_findings_leave_the_draft_alone() -> None:
    draft = DiagnosisDraft(
        summary="logs", status=DiagnosisStatus.DIAGNOSED, hypotheses=[_log_hypothesis(0.9)]
    )
    assert with_kubernetes(draft, []) == draft


def test_log_errors_naming_a_workload_the_cluster_shows_broken_defer_to_that_finding() -> None:
    naming = _log_hypothesis(0.9).model_copy(
        update={
            "citations": [
                Citation(
                    evidence_id="e2",
                    evidence_name="fe.log",
                    line_start=7,
                    line_end=7,
                    text="POST /cart 503: dial tcp: lookup checkout.shop.svc.cluster.local",
                )
            ]
        }
    )
    silent = _log_hypothesis(0.9)
    deferred = with_kubernetes(
        DiagnosisDraft(summary="logs", status=DiagnosisStatus.DIAGNOSED, hypotheses=[naming]),
        [_finding("OOMKilled", Category.MEMORY)],
    )
    assert deferred.hypotheses[0].component == "checkout"
    assert deferred.hypotheses[0].confidence == 0.95
    assert deferred.hypotheses[1].confidence == 0.54
    assert "consequence" in deferred.hypotheses[1].reasoning
    apart = with_kubernetes(
        DiagnosisDraft(summary="logs", status=DiagnosisStatus.DIAGNOSED, hypotheses=[silent]),
        [_finding("OOMKilled", Category.MEMORY)],
    )
    assert apart.hypotheses[0].id == "log-1"


def test_a_namespace_wide_policy_is_placed_at_the_service_whose_callers_time_out() -> None:
    policy = KubernetesFinding(
        kind="NetworkPolicy",
        namespace="ledger",
        name="default-deny-ingress",
        workload="ledger",
        reason="NetworkPolicyIsolation",
        category=Category.NETWORK,
        severity=FindingSeverity.HIGH,
        lines=[LineSpan(line_start=23, line_end=25)],
    )
    cited = CitedFinding(
        policy,
        (Citation(evidence_id="e1", evidence_name="np.txt", line_start=23, line_end=25, text="x"),),
    )
    timeout = 'err="Post \\"https://ledger-api.ledger.svc.cluster.local:8443/v1\\": i/o timeout"'
    logged = Hypothesis(
        id="log-1",
        rank=1,
        title="Timeouts to ledger-api",
        statement="ledger-api is slow or unreachable.",
        category=Category.NETWORK,
        component="ledger-api",
        confidence=0.3,
        reasoning="timeouts",
        citations=[
            Citation(
                evidence_id="e2",
                evidence_name="refunds.log",
                line_start=9,
                line_end=9,
                text=timeout,
            )
        ],
    )
    draft = DiagnosisDraft(summary="s", status=DiagnosisStatus.DIAGNOSED, hypotheses=[logged])
    result = with_kubernetes(draft, [cited])
    placed = next(h for h in result.hypotheses if h.id != "log-1")
    assert placed.component == "ledger-api"


def test_a_crash_looping_dns_server_or_network_agent_is_named_for_what_fails() -> None:
    draft = DiagnosisDraft(summary="nothing", status=DiagnosisStatus.INSUFFICIENT_EVIDENCE)
    crash = _finding("CrashLoopBackOff", Category.CODE_ERROR)
    for workload, category in (
        ("coredns", Category.DNS),
        ("kube-proxy", Category.NETWORK),
        ("calico-node", Category.NETWORK),
        ("checkout", Category.CODE_ERROR),
    ):
        finding = crash.finding.model_copy(update={"workload": workload, "container": workload})
        top = with_kubernetes(draft, [CitedFinding(finding, crash.citations)]).hypotheses[0]
        assert (top.category, top.component) == (category, workload)


def test_a_workloads_generic_failure_takes_the_cause_its_own_log_shows() -> None:
    forbidden = _log_hypothesis(0.3).model_copy(
        update={"id": "log-rbac", "category": Category.PERMISSION, "component": "checkout",
                "statement": "checkout is forbidden by RBAC."}
    )  # fmt: skip
    draft = DiagnosisDraft(summary="logs", status=DiagnosisStatus.DIAGNOSED, hypotheses=[forbidden])
    result = with_kubernetes(draft, [_finding("BackoffLimitExceeded", Category.CODE_ERROR)])
    [top] = result.hypotheses
    assert (top.category, top.component) == (Category.PERMISSION, "checkout")
    assert top.statement.endswith("Its log says why: checkout is forbidden by RBAC.")
    assert top.title == f"{forbidden.title} (BackoffLimitExceeded in checkout)"
    assert [c.evidence_name for c in top.citations] == ["fe.log", "pod.txt"]


def test_a_failing_probe_takes_the_cause_its_pods_own_log_shows_and_gains_for_agreement() -> None:
    own_log = Citation(
        evidence_id="e3", evidence_name="logs-checkout-7d9f8c6b5d-x2k4q.txt",
        line_start=4, line_end=4, text="PAYMENT_URL is not set",
    )  # fmt: skip
    unset = _log_hypothesis(0.6).model_copy(
        update={"id": "log-env", "category": Category.CONFIGURATION, "component": "checkout",
                "citations": [own_log]}
    )  # fmt: skip
    probe = _finding("Unhealthy", Category.SCHEDULING)
    medium = probe.finding.model_copy(update={"severity": FindingSeverity.MEDIUM})
    draft = DiagnosisDraft(summary="logs", status=DiagnosisStatus.DIAGNOSED, hypotheses=[unset])
    [top] = with_kubernetes(draft, [CitedFinding(medium, probe.citations)]).hypotheses
    assert (top.category, top.component) == (Category.CONFIGURATION, "checkout")
    assert top.confidence == 0.75  # the log's 0.6 and the cluster's agreement
    unreachable = unset.model_copy(update={"category": Category.DEPENDENCY})
    draft = draft.model_copy(update={"hypotheses": [unreachable]})
    kept = with_kubernetes(draft, [CitedFinding(medium, probe.citations)]).hypotheses
    assert {h.category for h in kept} == {Category.SCHEDULING, Category.DEPENDENCY}


def test_stale_data_is_blamed_on_the_batch_job_that_keeps_failing() -> None:
    stale = _log_hypothesis(0.8).model_copy(
        update={"id": "log-stale", "component": "reports-api", "citations": [Citation(
            evidence_id="e2", evidence_name="reports.log", line_start=9, line_end=9,
            text="WARNING dashboard sales-today served stale data: max(hour)=05:00")]}
    )  # fmt: skip
    draft = DiagnosisDraft(summary="logs", status=DiagnosisStatus.DIAGNOSED, hypotheses=[stale])
    failed = _finding("BackoffLimitExceeded", Category.CODE_ERROR)
    job = failed.finding.model_copy(
        update={"kind": "Job", "name": "export-29300345", "workload": "export",
                "severity": FindingSeverity.HIGH}
    )  # fmt: skip
    ranked = with_kubernetes(draft, [CitedFinding(job, failed.citations)]).hypotheses
    assert [h.component for h in ranked] == ["export", "reports-api"]
    assert ranked[0].confidence > 0.8 > ranked[1].confidence
    # The same failure in a Deployment's pod says nothing about stale data.
    pod = failed.finding.model_copy(update={"severity": FindingSeverity.HIGH})
    ranked = with_kubernetes(draft, [CitedFinding(pod, failed.citations)]).hypotheses
    assert [h.component for h in ranked] == ["reports-api", "checkout"]


def test_callers_refused_by_a_crashing_workload_do_not_say_why_it_crashes() -> None:
    refused = _log_hypothesis(0.5).model_copy(
        update={"id": "log-refused", "category": Category.DEPENDENCY, "component": "checkout"}
    )
    draft = DiagnosisDraft(summary="logs", status=DiagnosisStatus.DIAGNOSED, hypotheses=[refused])
    crash = with_kubernetes(draft, [_finding("CrashLoopBackOff", Category.CODE_ERROR)])
    top = next(h for h in crash.hypotheses if h.id.startswith("k8s-"))
    assert top.category is Category.CODE_ERROR
    assert "Its log says why" not in top.statement


def test_an_unnamed_crash_log_says_why_the_only_crashing_workload_crashes() -> None:
    denied = _log_hypothesis(0.2).model_copy(
        update={"id": "log-denied", "category": Category.PERMISSION, "component": None,
                "statement": "the service is denied access."}
    )  # fmt: skip
    draft = DiagnosisDraft(summary="logs", status=DiagnosisStatus.DIAGNOSED, hypotheses=[denied])
    [top] = with_kubernetes(draft, [_finding("CrashLoopBackOff", Category.CODE_ERROR)]).hypotheses
    assert (top.category, top.component) == (Category.PERMISSION, "checkout")


def test_a_pod_sandbox_whose_network_the_cni_plugin_failed_to_add_is_the_cni_agents() -> None:
    draft = DiagnosisDraft(summary="nothing", status=DiagnosisStatus.INSUFFICIENT_EVIDENCE)
    sandbox = _finding("FailedCreatePodSandBox", Category.NETWORK)
    message = (
        'failed to setup network for sandbox "5c0e": plugin type="aws-cni" name="aws-cni"'
        " failed (add): add cmd: failed to assign an IP address to container"
    )
    failed = sandbox.finding.model_copy(update={"message": message})
    top = with_kubernetes(draft, [CitedFinding(failed, sandbox.citations)]).hypotheses[0]
    assert (top.category, top.component) == (Category.NETWORK, "aws-node")
    other = sandbox.finding.model_copy(update={"message": "failed to mount /proc"})
    top = with_kubernetes(draft, [CitedFinding(other, sandbox.citations)]).hypotheses[0]
    assert top.component == "checkout"


def test_a_volume_whose_csi_driver_is_not_registered_is_the_node_plugins() -> None:
    """Every pod needing the driver on that node fails: ranked as a cause, above the logs."""
    timeouts = _log_hypothesis(0.8)
    draft = DiagnosisDraft(summary="logs", status=DiagnosisStatus.DIAGNOSED, hypotheses=[timeouts])
    mount = _finding("FailedMount", Category.CONFIGURATION)
    high = {"severity": FindingSeverity.HIGH}
    message = (
        'MountVolume.MountDevice failed for volume "pvc-9e2d" : kubernetes.io/csi: attacher.'
        "MountDevice failed to create newCsiDriverClient: driver name ebs.csi.aws.com not"
        " found in the list of registered CSI drivers"
    )
    failed = mount.finding.model_copy(update={**high, "message": message})
    diagnosis = with_kubernetes(draft, [CitedFinding(failed, mount.citations)])
    top = diagnosis.hypotheses[0]
    assert (top.category, top.component) == (Category.CONFIGURATION, "ebs-csi-node")
    assert "node plugin (ebs-csi-node)" in top.statement
    assert any("get ds ebs-csi-node" in (step.command or "") for step in diagnosis.next_steps)
    other = mount.finding.model_copy(update={**high, "message": 'configmap "cfg" not found'})
    ranked = with_kubernetes(draft, [CitedFinding(other, mount.citations)]).hypotheses
    assert [h.component for h in ranked] == ["frontend", "checkout"]


def test_a_cordoned_node_keeping_pods_pending_cites_them_and_says_how_to_reopen_it() -> None:
    """The Pending pods' own lines support the cordon, though their component is a workload."""
    draft = DiagnosisDraft(summary="nothing", status=DiagnosisStatus.INSUFFICIENT_EVIDENCE)
    node = KubernetesFinding(
        kind="Node",
        name="wrk-a2",
        node="wrk-a2",
        reason=CORDONED,
        category=Category.SCHEDULING,
        severity=FindingSeverity.HIGH,
        lines=[LineSpan(line_start=4, line_end=4)],
    )
    row = Citation(evidence_id="e1", evidence_name="nodes.txt", line_start=4, line_end=4, text="x")
    pending = _finding("FailedScheduling", Category.SCHEDULING, explained_by=CORDONED)
    diagnosis = with_kubernetes(draft, [CitedFinding(node, (row,)), pending])
    top = diagnosis.hypotheses[0]
    assert (top.component, top.category) == ("wrk-a2", Category.SCHEDULING)
    assert [c.evidence_name for c in top.citations] == ["nodes.txt", "pod.txt"]
    assert any(step.command == "kubectl uncordon wrk-a2" for step in diagnosis.next_steps)


def test_a_sandbox_failing_for_a_full_pod_address_range_is_the_nodes() -> None:
    """host-local IPAM out of addresses: every new pod on that node fails, not one workload."""
    draft = DiagnosisDraft(summary="nothing", status=DiagnosisStatus.INSUFFICIENT_EVIDENCE)
    sandbox = _finding("FailedCreatePodSandBox", Category.NETWORK)
    message = (
        'failed to setup network for sandbox "4c1f": plugin type="flannel" failed (add): failed'
        " to delegate add: failed to allocate for range 0: no IP addresses available in range"
        " set: 10.244.14.1-10.244.14.254"
    )
    update = {"message": message, "node": "k8s-w-14", "severity": FindingSeverity.HIGH}
    full = sandbox.finding.model_copy(update=update)
    diagnosis = with_kubernetes(draft, [CitedFinding(full, sandbox.citations)])
    top = diagnosis.hypotheses[0]
    assert (top.category, top.component) == (Category.NETWORK, "k8s-w-14")
    assert "(10.244.14.1-10.244.14.254) has no free address" in top.statement
    commands = [step.command or "" for step in diagnosis.next_steps]
    assert any("/host/var/lib/cni/networks" in command for command in commands)
    agent_only = full.model_copy(update={"message": message.split(": failed to delegate")[0]})
    ranked = with_kubernetes(draft, [CitedFinding(agent_only, sandbox.citations)]).hypotheses
    assert ranked[0].component == "kube-flannel"


def test_an_image_pull_failing_for_want_of_space_is_the_nodes_image_filesystem() -> None:
    """Unpacking layers fails on a full image filesystem: the node's disk, not the workload."""
    draft = DiagnosisDraft(summary="nothing", status=DiagnosisStatus.INSUFFICIENT_EVIDENCE)
    pull = _finding("ErrImagePull", Category.DISK)
    message = (
        'Failed to pull image "registry/catalog-api:7.3.0": failed to pull and unpack image:'
        " failed to extract layer sha256:9f2c: write /var/lib/containerd/tmpmounts/x: no space"
        " left on device"
    )
    full = pull.finding.model_copy(update={"message": message, "node": "ip-10-42-7-19"})
    diagnosis = with_kubernetes(draft, [CitedFinding(full, pull.citations)])
    top = diagnosis.hypotheses[0]
    assert (top.category, top.component) == (Category.DISK, "ip-10-42-7-19")
    commands = [step.command or "" for step in diagnosis.next_steps]
    assert any("df -h /host/var/lib/containerd" in command for command in commands)
    refused = full.model_copy(update={"message": "pull access denied", "node": "ip-10-42-7-19"})
    ranked = with_kubernetes(draft, [CitedFinding(refused, pull.citations)]).hypotheses
    assert ranked[0].component == "checkout"


def test_two_autoscalers_fighting_over_a_workload_are_one_cause_at_that_workload() -> None:
    draft = DiagnosisDraft(summary="nothing", status=DiagnosisStatus.INSUFFICIENT_EVIDENCE)
    message = (
        "pods by selector app.kubernetes.io/name=quote-engine are controlled by multiple HPAs:"
        " [pricing/quote-engine pricing/quote-engine-cpu]"
    )
    fights = []
    for n, hpa in enumerate(["quote-engine", "quote-engine-cpu"], start=19):
        finding = KubernetesFinding(
            kind="HorizontalPodAutoscaler",
            namespace="pricing",
            name=hpa,
            workload=hpa,
            reason="AmbiguousSelector",
            category=Category.CONFIGURATION,
            severity=FindingSeverity.HIGH,
            message=message,
            lines=[LineSpan(line_start=n, line_end=n)],
        )
        citation = Citation(
            evidence_id="e1", evidence_name="events.txt", line_start=n, line_end=n, text=message
        )
        fights.append(CitedFinding(finding, (citation,)))
    hypotheses = with_kubernetes(draft, fights).hypotheses
    assert [(h.category, h.component) for h in hypotheses] == [
        (Category.CONFIGURATION, "quote-engine")
    ]
    assert [c.line_start for c in hypotheses[0].citations] == [19, 20]


def test_a_node_not_ready_takes_the_specific_failure_its_own_logs_show() -> None:
    """The kubelet's client certificate expired: that is why the node stopped reporting."""
    expired = _log_hypothesis(0.6).model_copy(
        update={
            "id": "log-tls",
            "title": "TLS certificate or handshake failure in wh-k8s-w07",
            "category": Category.TLS,
            "component": "wh-k8s-w07",
        }
    )
    elsewhere = expired.model_copy(update={"id": "log-other", "component": "wh-k8s-w03"})
    node = KubernetesFinding(
        kind="Node",
        name="wh-k8s-w07",
        node="wh-k8s-w07",
        reason="NodeNotReady",
        category=Category.SCHEDULING,
        severity=FindingSeverity.CRITICAL,
        lines=[LineSpan(line_start=10, line_end=10)],
    )
    row = Citation(
        evidence_id="e1", evidence_name="nodes.txt", line_start=10, line_end=10, text="x"
    )
    for logged, category in ((expired, Category.TLS), (elsewhere, Category.SCHEDULING)):
        draft = DiagnosisDraft(summary="x", status=DiagnosisStatus.DIAGNOSED, hypotheses=[logged])
        top = with_kubernetes(draft, [CitedFinding(node, (row,))]).hypotheses[0]
        assert (top.category, top.component) == (category, "wh-k8s-w07")


def test_a_workload_naming_itself_in_its_own_log_defers_nothing_to_its_own_finding() -> None:
    own = _log_hypothesis(0.9).model_copy(
        update={
            "component": "billing-db",
            "citations": [
                Citation(
                    evidence_id="e2",
                    evidence_name="logs/checkout.log",
                    line_start=7,
                    line_end=7,
                    text="c.a.checkout.PaymentClient: connect timed out to billing-db:5432",
                )
            ],
        }
    )
    result = with_kubernetes(
        DiagnosisDraft(summary="logs", status=DiagnosisStatus.DIAGNOSED, hypotheses=[own]),
        [_finding("Unhealthy", Category.SCHEDULING)],
    )
    assert result.hypotheses[0].id == "log-1"
    assert result.hypotheses[0].confidence == 0.9


def test_pods_refused_by_an_unreachable_fail_closed_webhook_are_the_webhooks() -> None:
    """Admission cannot call the webhook's service: every intercepted pod waits on it."""
    message = (
        'Error creating: Internal error occurred: failed calling webhook "mutate.admission-guard'
        '.io": failed to call webhook: Post "https://admission-guard-svc.policy-system.svc:443/'
        'mutate?timeout=10s": no endpoints available for service "admission-guard-svc"'
    )
    top = _top_of_finding_alone("FailedCreate", Category.CONFIGURATION, message=message)
    assert (top.category, top.component) == (Category.CONFIGURATION, "admission-guard")
    assert "fails closed" in top.statement


def test_a_balancer_the_load_balancer_controller_cannot_reconcile_is_the_controllers() -> None:
    top = _top_of_finding_alone(
        "FailedDeployModel",
        Category.PERMISSION,
        kind="TargetGroupBinding",
        name="k8s-web-portal-5e1c",
        workload=None,
    )
    assert (top.category, top.component) == (Category.PERMISSION, "aws-load-balancer-controller")
    assert "could not reconcile TargetGroupBinding k8s-web-portal-5e1c" in top.statement


def test_an_external_secret_that_cannot_sync_is_the_operators() -> None:
    top = _top_of_finding_alone(
        "UpdateFailed", Category.PERMISSION, kind="ExternalSecret", name="payouts-db", workload=None
    )
    assert (top.category, top.component) == (Category.PERMISSION, "external-secrets")
