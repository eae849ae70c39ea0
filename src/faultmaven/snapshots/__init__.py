"""Pasted command output (`df`, `pg_stat_activity`, `jstack`, a config diff) read as findings.

On-call engineers paste what they ran: a `df -h` table, who holds the database's
connections, whether the time service runs. These readers find such tables in any text
evidence and say what in them is abnormal, with the lines that show it; they know nothing
of logs, HTTP or storage.
"""

from collections.abc import Sequence
from dataclasses import replace

from faultmaven.snapshots.api_services import api_service_findings
from faultmaven.snapshots.certificate_names import certificate_name_findings
from faultmaven.snapshots.config_diff import lowered_timeout_findings
from faultmaven.snapshots.cross_zone import cross_zone_findings
from faultmaven.snapshots.daemonset_coverage import daemonset_coverage_findings
from faultmaven.snapshots.db_sessions import session_findings
from faultmaven.snapshots.dead_resolvers import dead_resolver_findings
from faultmaven.snapshots.disk_usage import disk_usage_findings
from faultmaven.snapshots.dns_over_tcp import dns_over_tcp_findings
from faultmaven.snapshots.ena_allowances import allowance_findings
from faultmaven.snapshots.finding import SnapshotFinding
from faultmaven.snapshots.host_cache import blocked_host_findings
from faultmaven.snapshots.hosts_pin import hosts_pin_findings
from faultmaven.snapshots.ingress_classes import ingress_class_findings
from faultmaven.snapshots.listen_queue import listen_queue_findings
from faultmaven.snapshots.manual_endpoints import hand_written_endpoint_findings
from faultmaven.snapshots.must_staple import must_staple_findings
from faultmaven.snapshots.open_transactions import open_transaction_findings
from faultmaven.snapshots.pod_cpu import pod_cpu_findings
from faultmaven.snapshots.prepared_xacts import prepared_transaction_findings
from faultmaven.snapshots.private_zones import private_zone_findings
from faultmaven.snapshots.prompt import prompt_host
from faultmaven.snapshots.proxy_timeouts import proxy_timeout_findings
from faultmaven.snapshots.read_only_root import read_only_root_findings
from faultmaven.snapshots.redis_memory import redis_eviction_findings
from faultmaven.snapshots.redis_slowlog import slow_script_findings
from faultmaven.snapshots.rewrite_to_root import rewrite_to_root_findings
from faultmaven.snapshots.route_tables import route_table_findings
from faultmaven.snapshots.secret_encoding import secret_encoding_findings
from faultmaven.snapshots.shared_selector import shared_selector_findings
from faultmaven.snapshots.softirq_cpu import softirq_findings
from faultmaven.snapshots.suspended_cronjobs import suspended_cronjob_findings
from faultmaven.snapshots.sync_replication import sync_standby_findings
from faultmaven.snapshots.target_health import target_health_findings
from faultmaven.snapshots.thread_dump import thread_dump_findings
from faultmaven.snapshots.time_sync import time_sync_findings
from faultmaven.snapshots.tls_verify import tls_verify_findings
from faultmaven.snapshots.upstream_names import upstream_name_findings
from faultmaven.snapshots.zone_reclaim import zone_reclaim_findings

__all__ = ["SnapshotFinding", "read_snapshots"]


def read_snapshots(lines: Sequence[str]) -> list[SnapshotFinding]:
    """Return the findings of every command output recognised in `lines`, with their host.

    The host is the one the output itself names (an ansible task's result), else the one
    the shell prompt above it names.
    """
    found = [
        *disk_usage_findings(lines),
        *session_findings(lines),
        *thread_dump_findings(lines),
        *lowered_timeout_findings(lines),
        *listen_queue_findings(lines),
        *prepared_transaction_findings(lines),
        *tls_verify_findings(lines),
        *time_sync_findings(lines),
        *sync_standby_findings(lines),
        *hosts_pin_findings(lines),
        *dns_over_tcp_findings(lines),
        *allowance_findings(lines),
        *target_health_findings(lines),
        *softirq_findings(lines),
        *route_table_findings(lines),
        *daemonset_coverage_findings(lines),
        *api_service_findings(lines),
        *secret_encoding_findings(lines),
        *shared_selector_findings(lines),
        *ingress_class_findings(lines),
        *suspended_cronjob_findings(lines),
        *proxy_timeout_findings(lines),
        *redis_eviction_findings(lines),
        *upstream_name_findings(lines),
        *private_zone_findings(lines),
        *zone_reclaim_findings(lines),
        *rewrite_to_root_findings(lines),
        *read_only_root_findings(lines),
        *open_transaction_findings(lines),
        *certificate_name_findings(lines),
        *dead_resolver_findings(lines),
        *hand_written_endpoint_findings(lines),
        *blocked_host_findings(lines),
        *slow_script_findings(lines),
        *cross_zone_findings(lines),
        *must_staple_findings(lines),
        *pod_cpu_findings(lines),
    ]
    return [
        replace(finding, host=finding.host or prompt_host(lines, finding.line_start))
        for finding in found
    ]
