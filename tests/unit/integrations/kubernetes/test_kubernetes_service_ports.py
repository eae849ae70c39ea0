"""A Service whose target port no pod it selects declares sends every connection nowhere."""

from faultmaven.domain.diagnosis import Category
from faultmaven.integrations.kubernetes import combine_findings, read_kubernetes
from faultmaven.integrations.kubernetes._ports import TARGET_PORT_MISMATCH
from faultmaven.integrations.kubernetes._text import port_numbers


def describe_service(target: str = "8080/TCP", endpoints: str = "10.42.1.117:8080") -> str:
    return (
        "Name:              ledger\n"
        "Namespace:         payments\n"
        "Labels:            app.kubernetes.io/managed-by=platform\n"
        "Selector:          app.kubernetes.io/name=ledger\n"
        "Type:              ClusterIP\n"
        "IP:                10.96.12.40\n"
        "Port:              http  80/TCP\n"
        f"TargetPort:        {target}\n"
        f"Endpoints:         {endpoints}\n"
        "Session Affinity:  None\n"
        "Events:            <none>\n"
    )


def describe_pod(port_line: str = "    Port:           9000/TCP\n", app: str = "ledger") -> str:
    return (
        "Name:             ledger-6d9f7c5b8-q2xkv\n"
        "Namespace:        payments\n"
        "Node:             worker-3/10.0.4.13\n"
        f"Labels:           app.kubernetes.io/name={app}\n"
        "                  pod-template-hash=6d9f7c5b8\n"
        "Status:           Running\n"
        "IP:               10.42.1.117\n"
        "Controlled By:  ReplicaSet/ledger-6d9f7c5b8\n"
        "Containers:\n"
        "  ledger:\n"
        "    Image:          registry.example.com/ledger:5.1.0\n"
        f"{port_line}"
        "    Host Port:      0/TCP\n"
        "    State:          Running\n"
        "    Ready:          True\n"
        "    Restart Count:  0\n"
        "Conditions:\n"
        "  Type              Status\n"
        "  Ready             True\n"
        "Events:            <none>\n"
    )


def mismatches(*texts: str) -> list:
    found = combine_findings([read_kubernetes(text) for text in texts])
    return [each for each in found if each.finding.reason == TARGET_PORT_MISMATCH]


def test_port_numbers_are_read_from_describe_notation() -> None:
    assert port_numbers("8000/TCP") == [8000]
    assert port_numbers("8080/TCP, 9090/TCP") == [8080, 9090]
    assert port_numbers("<none>") == []


def test_a_target_port_no_selected_pod_declares_is_a_configuration_cause() -> None:
    found = mismatches(describe_service(), describe_pod())
    assert len(found) == 1
    cause = found[0].finding
    assert (cause.kind, cause.name, cause.category) == ("Service", "ledger", Category.CONFIGURATION)
    assert cause.explained_by is None
    assert "port 8080" in (cause.message or "") and "9000" in (cause.message or "")
    cited = {
        source.item: [(s.line_start, s.line_end) for s in source.lines]
        for source in found[0].sources
    }
    assert cited == {0: [(8, 9)], 1: [(12, 12)]}


def test_service_and_pod_in_one_item_give_the_same_finding() -> None:
    reading = read_kubernetes(describe_service() + "\n" + describe_pod())
    reasons = [finding.reason for finding in reading.findings]
    assert TARGET_PORT_MISMATCH in reasons


def test_a_pod_declaring_the_target_port_is_no_mismatch() -> None:
    assert (
        mismatches(describe_service(), describe_pod("    Ports:          9000/TCP, 8080/TCP\n"))
        == []
    )


def test_a_pod_declaring_no_port_says_nothing_about_where_it_listens() -> None:
    assert mismatches(describe_service(), describe_pod("    Port:           <none>\n")) == []


def test_a_named_target_port_or_pods_the_service_does_not_select_are_not_judged() -> None:
    assert mismatches(describe_service(target="http/TCP"), describe_pod()) == []
    assert mismatches(describe_service(), describe_pod(app="ledger-canary")) == []


def test_a_service_without_endpoints_stays_a_no_endpoints_finding() -> None:
    found = combine_findings([read_kubernetes(describe_service(endpoints="<none>"))])
    assert [each.finding.reason for each in found] == ["NoEndpoints"]
