"""Pods running at their CPU limit (`kubectl top` against the described limit) are throttled."""

import pytest

from faultmaven.domain.diagnosis import Category
from faultmaven.integrations.kubernetes import (
    combine_findings,
    is_kubernetes_text,
    read_kubernetes,
)
from faultmaven.integrations.kubernetes._cpu_limits import CPU_THROTTLED
from faultmaven.integrations.kubernetes._text import millicores

DESCRIBE = """\
Name:             catalog-7c5d8f9b6d-r4w2k
Namespace:        shop
Node:             ip-172-31-33-201.ec2.internal/10.0.76.61
Labels:           app=catalog
Status:           Running
Controlled By:  ReplicaSet/catalog-7c5d8f9b6d
Containers:
  catalog:
    Image:          registry.example.com/shop/catalog:4.8.0
    State:          Running
    Ready:          False
    Restart Count:  3
    Limits:
      cpu:    250m
      memory: 1536Mi
    Requests:
      cpu:    200m
      memory: 1Gi
    Liveness:   http-get http://:8080/actuator/health/liveness delay=60s timeout=1s period=10s #success=1 #failure=6
Events:
  Type     Reason     Age                  From     Message
  ----     ------     ----                 ----     -------
  Warning  Unhealthy  6m12s (x19 over 27m)  kubelet  Liveness probe failed: Get "http://10.1.33.58:8080/actuator/health/liveness": context deadline exceeded (Client.Timeout exceeded while awaiting headers)
"""  # noqa: E501


def top(catalog_cpu: str) -> str:
    return (
        "NAME                       CPU(cores)   MEMORY(bytes)\n"
        "cart-67d2cf485-541f0       278m         161Mi\n"
        f"catalog-7c5d8f9b6d-8qjzn   {catalog_cpu:<12} 887Mi\n"
        f"catalog-7c5d8f9b6d-r4w2k   {catalog_cpu:<12} 912Mi\n"
    )


@pytest.mark.parametrize(
    ("text", "expected"), [("250m", 250), ("1", 1000), ("0.5", 500), ("1500m", 1500), ("x", None)]
)
def test_cpu_quantities_read_in_millicores(text: str, expected: int | None) -> None:
    assert millicores(text) == expected


def test_a_top_table_is_kubernetes_evidence() -> None:
    assert is_kubernetes_text(top("249m"))
    reading = read_kubernetes(top("249m"))
    assert [(use.pod, use.millicores) for use in reading.cpu_uses][:2] == [
        ("cart-67d2cf485-541f0", 278),
        ("catalog-7c5d8f9b6d-8qjzn", 249),
    ]
    assert reading.findings == []


def test_pods_at_their_cpu_limit_are_throttled_and_explain_their_probe_timeouts() -> None:
    found = [
        each.finding
        for each in combine_findings([read_kubernetes(DESCRIBE), read_kubernetes(top("249m"))])
    ]
    cause = found[0]
    assert (cause.reason, cause.category, cause.component) == (
        CPU_THROTTLED,
        Category.CPU,
        "catalog",
    )
    assert cause.explained_by is None
    assert "2 pods of catalog use 249m CPU against a limit of 250m" in (cause.message or "")
    sources = next(
        each
        for each in combine_findings([read_kubernetes(DESCRIBE), read_kubernetes(top("249m"))])
        if each.finding.reason == CPU_THROTTLED
    ).sources
    assert {(source.item, source.lines[0].line_start) for source in sources} == {(0, 13), (1, 3)}
    probe = next(each for each in found if each.reason == "Unhealthy")
    assert probe.explained_by == CPU_THROTTLED


def test_pods_well_under_their_limit_are_not_throttled() -> None:
    found = combine_findings([read_kubernetes(DESCRIBE), read_kubernetes(top("120m"))])
    assert all(each.finding.reason != CPU_THROTTLED for each in found)
    one_text = read_kubernetes(DESCRIBE + "\n" + top("250m"))
    assert one_text.findings[0].reason == CPU_THROTTLED
