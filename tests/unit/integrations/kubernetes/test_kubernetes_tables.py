import pytest
from k8s_evidence import cited, only, reasons, sample

from faultmaven.domain.diagnosis import Category
from faultmaven.domain.kubernetes import KubernetesObjectRef
from faultmaven.integrations.kubernetes import read_kubernetes


def test_events_of_all_namespaces_become_findings_about_each_involved_object() -> None:
    text = sample("events-all-namespaces.txt")
    evidence = read_kubernetes(text)

    assert KubernetesObjectRef(kind="Job", namespace="shop", name="db-migrate") in evidence.objects
    assert (
        KubernetesObjectRef(kind="Node", namespace=None, name="ip-10-0-5-203.ec2.internal")
        in evidence.objects
    )
    assert set(reasons(evidence)) == {
        "DiskPressure",
        "FreeDiskSpaceFailed",
        "Evicted",
        "NodeNotReady",
        "Unhealthy",
        "FailedScheduling",
        "CrashLoopBackOff",
        "SecretNotFound",
        "CreateContainerConfigError",
        "BackoffLimitExceeded",
        "ErrImagePull",
    }
    for finding in evidence.findings:
        row = cited(text, finding)
        assert finding.name in row
        assert finding.last_seen_age is not None
        assert row.split()[1] == finding.last_seen_age


def test_normal_events_that_report_no_trouble_are_not_findings() -> None:
    evidence = read_kubernetes(sample("events-all-namespaces.txt"))

    assert not {"Scheduled", "Killing", "SuccessfulCreate", "BackOff"} & set(reasons(evidence))


@pytest.mark.parametrize(
    ("reason", "name", "category"),
    [
        ("Evicted", "report-writer-66f8d7c5b9-2zq7n", Category.SCHEDULING),
        ("DiskPressure", "ip-10-0-2-91.ec2.internal", Category.SCHEDULING),
        ("FailedScheduling", "search-indexer-7b6d5c4f9-hx8wp", Category.SCHEDULING),
        ("CrashLoopBackOff", "checkout-7d9f8c6b5d-x2k4q", Category.CODE_ERROR),
        ("SecretNotFound", "orders-worker-84c6f7d9b5-t9nvs", Category.CONFIGURATION),
        ("ErrImagePull", "frontend-6c9d7b8f4-lx2mz", Category.DEPLOYMENT),
        ("BackoffLimitExceeded", "db-migrate", Category.DEPLOYMENT),
    ],
)
def test_each_event_points_to_its_category(reason: str, name: str, category: Category) -> None:
    evidence = read_kubernetes(sample("events-all-namespaces.txt"))

    assert only(evidence, reason, name).category is category


def test_eviction_event_follows_from_the_disk_pressure_reported_beside_it() -> None:
    evidence = read_kubernetes(sample("events-all-namespaces.txt"))

    assert only(evidence, "Evicted").explained_by == "DiskPressure"
    assert reasons(evidence).index("DiskPressure") < reasons(evidence).index("Evicted")


def test_wide_events_give_the_container_first_seen_and_count() -> None:
    text = sample("events-wide.txt")
    evidence = read_kubernetes(text)

    loop = only(evidence, "CrashLoopBackOff")
    assert (loop.container, loop.count, loop.first_seen_age, loop.last_seen_age) == (
        "checkout",
        31,
        "26m",
        "2m3s",
    )
    assert loop.namespace is None
    missing = only(evidence, "ConfigMapNotFound")
    assert missing.details == {"configmap": "checkout-config"}
    assert missing.workload == "checkout"
    assert 'configmap "checkout-config" not found' in cited(text, missing)
    assert only(evidence, "FailedMount").explained_by == "ConfigMapNotFound"


def test_pods_table_reports_each_unhealthy_status_with_its_restarts() -> None:
    text = sample("pods-wide.txt")
    evidence = read_kubernetes(text)

    assert len(evidence.objects) == 6
    assert set(reasons(evidence)) == {
        "OOMKilled",
        "CrashLoopBackOff",
        "Error",
        "CreateContainerConfigError",
    }
    oom = only(evidence, "OOMKilled")
    assert (oom.workload, oom.restart_count, oom.node) == (
        "recommender",
        3,
        "ip-10-0-3-17.ec2.internal",
    )
    assert oom.category is Category.MEMORY
    assert "OOMKilled" in cited(text, oom)
    assert only(evidence, "Error").workload == "db-migrate"
    assert reasons(evidence)[0] == "OOMKilled"


@pytest.mark.parametrize(
    ("pod", "workload"),
    [
        ("checkout-7d9f8c6b5d-x2k4q", "checkout"),
        ("db-0", "db"),
        ("migrate-xyz12", "migrate"),
        ("api-proxy", "api-proxy"),
        ("payment-api-6f7c9d8b5-x2lqp", "payment-api"),
        ("nightly-report-28512345-bq7ws", "nightly-report-28512345"),
        # Redacted or hand-written output often carries hex-like template hashes.
        ("catalog-6c7d8e9f1-h4n8s", "catalog"),
        ("api-v2beta1-5d8f7b6c94-r7wnd", "api-v2beta1"),
    ],
)
def test_pod_names_in_tables_map_to_their_workload(pod: str, workload: str) -> None:
    text = (
        "LAST SEEN   TYPE      REASON    OBJECT        MESSAGE\n"
        f"2m          Warning   BackOff   pod/{pod}   Back-off restarting failed container app\n"
    )
    assert only(read_kubernetes(text), "CrashLoopBackOff").workload == workload


def test_events_table_of_kubectl_before_1_14_is_read_by_its_column_titles() -> None:
    text = (
        "LASTSEEN   FIRSTSEEN   COUNT     NAME       KIND      SUBOBJECT                TYPE      "
        "REASON    SOURCE              MESSAGE\n"
        "1m         9m          31        db-0       Pod       spec.containers{db}      Warning   "
        "BackOff   kubelet, worker-1   Back-off restarting failed container\n"
    )

    loop = only(read_kubernetes(text), "CrashLoopBackOff")

    assert (loop.name, loop.workload, loop.container, loop.count) == ("db-0", "db", "db", 31)
    assert (loop.first_seen_age, loop.last_seen_age) == ("9m", "1m")


def test_a_job_past_its_active_deadline_is_its_configured_limit() -> None:
    text = (
        "LAST SEEN   TYPE      REASON             OBJECT                       MESSAGE\n"
        "8h          Warning   DeadlineExceeded   job/ledger-export-29391915   Job was active"
        " longer than specified deadline\n"
    )
    evidence = read_kubernetes(text)

    assert only(evidence, "DeadlineExceeded").category is Category.CONFIGURATION
