"""Services without endpoints, isolating NetworkPolicies, migrations, probe kills, workloads."""

from k8s_evidence import cited, numbered_lines, only, reasons, sample

from faultmaven.domain.diagnosis import Category
from faultmaven.domain.kubernetes import CaseFinding, FindingSeverity
from faultmaven.integrations.kubernetes import combine_findings, is_kubernetes_text, read_kubernetes

UNREADY_ORDERS_PODS = (
    "NAME                      READY   STATUS             RESTARTS      AGE   LABELS\n"
    "orders-7c9d8f6b5d-2xkqp   0/1     CrashLoopBackOff   6 (40s ago)   12m   "
    "app=orders,pod-template-hash=7c9d8f6b5d,tier=api\n"
    "orders-7c9d8f6b5d-8wlzn   0/1     CrashLoopBackOff   6 (52s ago)   12m   "
    "app=orders,pod-template-hash=7c9d8f6b5d,tier=api\n"
)


def _case(*names: str) -> tuple[list[str], list[CaseFinding]]:
    texts = [sample(name) for name in names]
    return texts, combine_findings([read_kubernetes(text) for text in texts])


def _cited_text(texts: list[str], found: CaseFinding) -> dict[int, str]:
    return {
        source.item: "\n".join(
            "\n".join(numbered_lines(texts[source.item])[span.line_start - 1 : span.line_end])
            for span in source.lines
        )
        for source in found.sources
    }


def test_a_service_without_endpoints_is_reported_on_the_service() -> None:
    text = sample("describe-service-no-endpoints.txt")
    finding = only(read_kubernetes(text), "NoEndpoints")

    assert (finding.kind, finding.component) == ("Service", "orders")
    assert finding.details["selector"] == "app=orders,tier=api"
    assert "Selector:                 app=orders,tier=api" in cited(text, finding)
    assert "Endpoints:                <none>" in cited(text, finding)


def test_an_endpoints_table_row_without_addresses_is_reported_on_its_service() -> None:
    text = sample("endpoints.txt")
    evidence = read_kubernetes(text)

    assert is_kubernetes_text(text)
    assert reasons(evidence) == ["NoEndpoints"]
    assert cited(text, evidence.findings[0]).startswith("orders       <none>")


def test_ready_pods_labelled_for_a_service_but_missing_its_selector_are_a_mismatch() -> None:
    texts, found = _case(
        "describe-service-no-endpoints.txt", "endpoints.txt", "pods-show-labels.txt"
    )

    top = found[0].finding
    assert (top.reason, top.component, top.explained_by) == ("SelectorMismatch", "orders", None)
    assert (top.category, top.severity) == (Category.CONFIGURATION, FindingSeverity.HIGH)
    assert "tier=api wanted, pods have tier=web" in (top.message or "")
    quoted = _cited_text(texts, found[0])
    assert "Selector:" in quoted[0] and "Endpoints:                <none>" in quoted[0]
    assert quoted[1].startswith("orders       <none>")
    assert "orders-7c9d8f6b5d-2xkqp" in quoted[2] and "tier=web" in quoted[2]
    assert "payments" not in quoted[2]
    assert [each.finding.reason for each in found].count("SelectorMismatch") == 1


def test_a_service_whose_labelled_pods_are_unready_follows_from_their_failure() -> None:
    texts = [sample("describe-service-no-endpoints.txt"), UNREADY_ORDERS_PODS]
    found = combine_findings([read_kubernetes(text) for text in texts])

    service = next(each.finding for each in found if each.finding.kind == "Service")
    assert service.reason == "NoEndpoints"
    assert (service.severity, service.explained_by) == (FindingSeverity.LOW, "CrashLoopBackOff")
    assert found[0].finding.reason == "CrashLoopBackOff"


def test_a_policy_isolating_every_pod_of_a_namespace_is_a_network_finding() -> None:
    text = sample("describe-networkpolicy-isolating.txt")
    evidence = read_kubernetes(text)

    deny = only(evidence, "NetworkPolicyIsolation", "default-deny-ingress")
    assert (deny.category, deny.severity) == (Category.NETWORK, FindingSeverity.HIGH)
    assert deny.component == "ledger"  # no pod of the namespace is known: the namespace
    assert deny.details["isolated"] == "ingress"
    assert "PodSelector:     <none>" in cited(text, deny)
    assert "isolated for ingress connectivity" in cited(text, deny)
    egress = only(evidence, "NetworkPolicyIsolation", "ledger-api-egress")
    assert (egress.component, egress.details["isolated"]) == ("ledger-api", "egress")
    assert "PodSelector:     app=ledger-api" in cited(text, egress)
    assert "allow-prometheus" not in {finding.name for finding in evidence.findings}


def test_a_policy_on_a_whole_namespace_names_its_only_workload_seen_in_the_case() -> None:
    events = (
        "NAMESPACE   LAST SEEN   TYPE     REASON    OBJECT                               MESSAGE\n"
        "ledger      3m          Normal   Started   pod/ledger-api-5c7d9f8b6d-k2x8q      "
        "Started container ledger-api\n"
    )
    found = combine_findings(
        [read_kubernetes(sample("describe-networkpolicy-isolating.txt")), read_kubernetes(events)]
    )

    deny = next(each.finding for each in found if each.finding.name == "default-deny-ingress")
    assert deny.component == "ledger-api"


def test_a_failed_job_whose_command_is_a_migration_is_a_deployment_problem() -> None:
    text = sample("describe-job-schema-upgrade.txt")
    job = only(read_kubernetes(text), "BackoffLimitExceeded")

    assert job.category is Category.DEPLOYMENT
    assert job.details["command"] == "alembic upgrade head"


def test_failing_pods_of_a_migration_job_are_one_deployment_finding() -> None:
    pods = (
        "NAME                       READY   STATUS     RESTARTS   AGE\n"
        "api-7d9c5b8f6-2lq8d        0/1     Init:0/1   0          43m\n"
        "shop-db-migrate-4xk8q      0/1     Error      0          43m\n"
        "shop-db-migrate-9tzwl      0/1     Error      0          42m\n"
    )
    evidence = read_kubernetes(pods)

    error = only(evidence, "Error")
    assert (error.component, error.category) == ("shop-db-migrate", Category.DEPLOYMENT)
    assert (error.message or "").startswith("2 pods of shop-db-migrate report Error")


def test_a_container_killed_for_its_liveness_probe_is_explained_by_the_probe() -> None:
    text = sample("describe-pod-liveness-killed.txt")
    evidence = read_kubernetes(text)

    probe = evidence.findings[0]
    assert (probe.reason, probe.details["probe"], probe.explained_by) == (
        "Unhealthy",
        "liveness",
        None,
    )
    assert probe.category is Category.SCHEDULING
    assert probe.restart_count == 27
    quoted = cited(text, probe)
    assert "Liveness probe failed: HTTP probe failed with statuscode: 404" in quoted
    assert "Liveness:       http-get http://:8080/healthz" in quoted
    assert "Restart Count:  27" in quoted
    assert "failed liveness probe, will be restarted" in quoted
    assert only(evidence, "Error").explained_by == "Unhealthy"
    assert only(evidence, "CrashLoopBackOff").explained_by == "Unhealthy"
    assert [f for f in evidence.findings if f.explained_by is None] == [probe]


def test_a_crash_with_its_own_exit_code_is_not_blamed_on_the_liveness_probe() -> None:
    text = sample("describe-pod-liveness-killed.txt").replace(
        "Exit Code:    143", "Exit Code:    1"
    )
    evidence = read_kubernetes(text)

    assert only(evidence, "Error").explained_by is None


def test_pods_of_one_workload_failing_alike_are_one_finding_citing_three() -> None:
    text = sample("events-one-workload-many-pods.txt")
    evidence = read_kubernetes(text)

    missing = only(evidence, "ConfigMapKeyNotFound")
    assert missing.component == "transcoder"
    assert (missing.message or "").startswith("4 pods of transcoder report ConfigMapKeyNotFound")
    assert missing.details["pods"].count("transcoder-85d6f9c7b4-") == 4
    quoted = cited(text, missing)
    assert quoted.count("transcoder-85d6f9c7b4-") == 3
    assert "zr5kd" not in quoted
    assert only(evidence, "CreateContainerConfigError").explained_by == "ConfigMapKeyNotFound"
    assert only(evidence, "CrashLoopBackOff").component == "uploader"


def test_pods_of_one_workload_across_items_are_one_case_finding() -> None:
    lines = sample("events-one-workload-many-pods.txt").splitlines()
    texts = ["\n".join(lines[:3]), "\n".join([lines[0], *lines[3:5]])]
    found = combine_findings([read_kubernetes(text) for text in texts])

    missing = [each for each in found if each.finding.reason == "ConfigMapKeyNotFound"]
    assert len(missing) == 1
    message = missing[0].finding.message or ""
    assert message.startswith("4 pods of transcoder report ConfigMapKeyNotFound: Error: couldn't")
    quoted = _cited_text(texts, missing[0])
    assert sorted(quoted) == [0, 1]
    assert "6jwzt" in quoted[0] and "hx2qd" in quoted[0] and "tq8mv" in quoted[1]


def test_pods_whose_init_container_waits_on_a_failed_migration_follow_from_it() -> None:
    pods = (
        "NAME                       READY   STATUS                  RESTARTS   AGE\n"
        "api-7d9c5b8f6-2lq8d        0/1     Init:CrashLoopBackOff   5          43m\n"
        "shop-db-migrate-4xk8q      0/1     Error                   0          43m\n"
    )
    evidence = read_kubernetes(pods)

    assert only(evidence, "CrashLoopBackOff").explained_by == "Error"
    assert [f.component for f in evidence.findings if f.explained_by is None] == ["shop-db-migrate"]


def test_a_policy_object_without_rules_for_a_direction_isolates_its_pods() -> None:
    text = sample("networkpolicy-lockdown.yaml")
    policy = only(read_kubernetes(text), "NetworkPolicyIsolation")

    assert (policy.component, policy.category) == ("payments", Category.NETWORK)
    assert policy.details["isolated"] == "ingress and egress"
    quoted = cited(text, policy)
    assert "podSelector:" in quoted and "app: payments" in quoted and "- Egress" in quoted


def test_a_policy_object_with_an_allow_all_rule_isolates_nothing() -> None:
    text = sample("networkpolicy-lockdown.yaml") + "  ingress:\n  - {}\n  egress:\n  - {}\n"

    assert read_kubernetes(text).findings == []


def test_pod_labels_from_an_object_document_show_a_selector_mismatch() -> None:
    texts, found = _case("describe-service-no-endpoints.txt", "pod-labels.yaml")

    top = found[0].finding
    assert top.reason == "SelectorMismatch"
    assert "tier: web" in _cited_text(texts, found[0])[1]


def test_a_probe_answered_with_a_client_error_is_a_critical_misconfiguration() -> None:
    text = sample("describe-pod-liveness-killed.txt")
    probe = read_kubernetes(text).findings[0]
    assert probe.details["probe answer"] == "404"
    assert probe.severity is FindingSeverity.CRITICAL


def test_a_probe_that_times_out_stays_high_not_critical() -> None:
    text = sample("describe-pod-liveness-killed.txt").replace(
        "HTTP probe failed with statuscode: 404",
        'Get "http://10.0.0.5:8080/healthz": context deadline exceeded',
    )
    probe = next(f for f in read_kubernetes(text).findings if f.reason == "Unhealthy")
    assert "probe answer" not in probe.details
    assert probe.severity is FindingSeverity.HIGH
