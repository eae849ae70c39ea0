"""NUMA zone reclaim turned on, read from sysctl's answer or a sysctl file."""

from faultmaven.snapshots import read_snapshots

SYSCTL = """[root@pg-orders-3 ~]# sysctl vm.zone_reclaim_mode vm.swappiness
vm.zone_reclaim_mode = 1
vm.swappiness = 10
[root@pg-orders-2 ~]# sysctl vm.zone_reclaim_mode
vm.zone_reclaim_mode = 0
[root@pg-orders-4 ~]# grep -r zone_reclaim /etc/sysctl.d/
/etc/sysctl.d/60-vendor-hpc.conf:vm.zone_reclaim_mode=3"""


def test_zone_reclaim_on_is_read_with_the_host_its_prompt_names() -> None:
    found = [
        (finding.line_start, finding.host, finding.detail)
        for finding in read_snapshots(SYSCTL.splitlines())
        if finding.kind == "zone_reclaim_on"
    ]
    assert found == [
        (2, "pg-orders-3", "NUMA zone reclaim on (mode 1)"),
        (7, "pg-orders-4", "NUMA zone reclaim on (mode 3)"),
    ]
