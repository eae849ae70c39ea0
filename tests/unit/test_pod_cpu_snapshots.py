"""One workload's pods taking the nodes' CPU, read from `kubectl top pods`."""

from faultmaven.snapshots import read_snapshots

TOP = """$ kubectl top pods -A --sort-by=cpu | head
NAMESPACE     NAME                                CPU(cores)   MEMORY(bytes)
security      nodeguard-agent-8vq2k               3391m        1204Mi
security      nodeguard-agent-m4tzx               3322m        1177Mi
bookings      booking-api-7c9f6d5b8d-pl4wz        212m         611Mi
bookings      booking-api-7c9f6d5b8d-6cksq        204m         598Mi
kube-system   coredns-6b9f7d8c5f-h8xkd            6m           21Mi""".splitlines()


def _found(lines: list[str]) -> list[tuple[int, str]]:
    return [
        (finding.line_start, finding.subject)
        for finding in read_snapshots(lines)
        if finding.kind == "pod_cpu_hog"
    ]


def test_the_workload_using_cores_per_pod_far_above_the_rest_is_flagged() -> None:
    assert _found(TOP) == [(3, "nodeguard-agent")]


def test_busy_pods_in_line_with_the_others_are_not() -> None:
    even = [line.replace("212m", "1900m").replace("204m", "1800m") for line in TOP]
    assert _found(even) == []
