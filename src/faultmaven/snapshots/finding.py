"""What a pasted command's output shows."""

from dataclasses import dataclass


@dataclass(frozen=True)
class SnapshotFinding:
    """Something abnormal a pasted table shows, at lines `line_start`..`line_end` (1-based).

    `kind` names the finding (`filesystem_full`, `inodes_full`, `connections_held`,
    `pool_starved`, `thread_deadlock`, `timeout_lowered`, `listen_queue_full`,
    `prepared_transaction`, `trust_store_outdated`, `tls_settings_refuse`,
    `clock_unsynchronised`, `sync_standby_missing`, `hosts_file_pin`, `dns_tcp_blocked`,
    `linklocal_allowance_exceeded`, `allowance_exceeded`, `health_check_code_mismatch`,
    `softirq_one_cpu`, `route_missing`, `node_dns_cache_missing`, `api_service_unavailable`,
    `secret_encoded_twice`, `selector_shared`, `default_ingress_class`, `cronjob_suspended`,
    `proxy_timeout_set`, `redis_evicting`, `upstream_resolved_once`,
    `endpoints_hand_written`, `host_blocked`, `redis_slow_script`, `cross_zone_disabled`,
    `must_staple_unstapled`, `pod_cpu_hog`, `private_zone`, `zone_reclaim_on`, `rewrite_to_root`,
    `read_only_root`, `transaction_left_open`, `certificate_without_san`,
    `first_resolver_dead`);
    `subject` is what it is about (a mount point, the client holding connections, the
    program whose configuration changed);
    `detail` says it in words, with the figures; `host` is the host the output or the shell
    prompt of the command named, if one did; `scope` is what else the finding is about, for
    the reasoner to match failures with (the destination a missing route leaves out).
    """

    kind: str
    subject: str
    line_start: int
    line_end: int
    detail: str
    host: str | None = None
    scope: str | None = None
