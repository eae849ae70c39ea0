from faultmaven.domain.diagnosis import Category
from faultmaven.domain.kubernetes import FindingSeverity, KubernetesFinding, LineSpan
from faultmaven.reasoning.evidence_names import names_from_evidence

POD = "checkout-7d9f8c6b5d-x2k4q"
POD_UID = "3f1a2b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b"


def test_a_kubernetes_finding_gives_namespace_pod_and_node() -> None:
    finding = KubernetesFinding(
        kind="Pod",
        namespace="shop",
        name=POD,
        workload="checkout",
        node="ip-10-0-3-17.ec2.internal",
        reason="OOMKilled",
        category=Category.MEMORY,
        severity=FindingSeverity.CRITICAL,
        lines=[LineSpan(line_start=24, line_end=28)],
    )
    names = names_from_evidence(["Reason: OOMKilled"], findings=[finding], component="checkout")
    assert names == {
        "namespace": "shop",
        "pod": POD,
        "host": "ip-10-0-3-17.ec2.internal",
        "service": "checkout",
    }


def test_key_value_lines_give_pod_and_namespace() -> None:
    names = names_from_evidence([f"level=error msg=restart pod={POD} namespace=shop"])
    assert names == {"pod": POD, "namespace": "shop"}


def test_kubelet_lines_give_namespace_and_pod() -> None:
    assert names_from_evidence([f'"Error syncing pod" pod="shop/{POD}"']) == {
        "pod": POD,
        "namespace": "shop",
    }
    assert names_from_evidence([f"Back-off restarting container in pod {POD}_shop({POD_UID})"]) == {
        "pod": POD,
        "namespace": "shop",
    }


def test_container_log_file_names_give_pod_and_namespace() -> None:
    container_log = f"logs.tar.gz/var/log/containers/{POD}_shop_checkout-{'a' * 64}.log"
    pod_log = f"var/log/pods/shop_{POD}_{POD_UID}/checkout/0.log"
    for name in (container_log, pod_log):
        assert names_from_evidence(["x"], evidence_names=[name]) == {
            "pod": POD,
            "namespace": "shop",
        }


def test_the_syslog_hostname_or_a_host_field_gives_the_host() -> None:
    syslog = "Nov 20 09:14:01 db-1 postgres[4411]: [3-1] FATAL:  sorry, too many clients already"
    assert names_from_evidence([syslog]) == {"host": "db-1"}
    assert names_from_evidence(["2026-11-20T09:14:01Z ERROR app: dial host=db-7"]) == {
        "host": "db-7"
    }


def test_the_client_address_of_a_postgres_connection_is_not_the_host() -> None:
    assert names_from_evidence(["LOG:  connection received: host=10.0.4.17 port=51544"]) == {}


def test_sql_errors_give_the_table_without_its_schema() -> None:
    lines = [
        'ERROR:  relation "orders" does not exist at character 15',
        "STATEMENT:  UPDATE orders SET paid = true WHERE id = 7",
        "ERROR 1146 (42S02): Table 'shop.orders' doesn't exist",
        "lock wait on table `shop`.`orders`",
        "deadlock while updating table orders",
    ]
    for line in lines:
        assert names_from_evidence([line]) == {"table": "orders"}, line


def test_prose_names_nothing_and_the_component_is_the_service() -> None:
    assert names_from_evidence(["the table is full of surprises"], component="orders") == {
        "service": "orders"
    }


def test_a_word_after_pod_is_not_a_pod_name() -> None:
    assert names_from_evidence(["Error syncing pod: failed to start"]) == {}
