"""Trouble logged at INFO is matched at question time and placed where the line says."""

import pytest

from faultmaven.domain.diagnosis import Category
from faultmaven.reasoning.quiet_signatures import QUIET_SIGNATURES

BY_ID = {signature.id: signature for signature in QUIET_SIGNATURES}
NODE_GROUP = BY_ID["node_group_at_max_size"]
OFFSETS_MISSING = BY_ID["consumer_offsets_missing"]
VRRP_TIMEOUT = BY_ID["vrrp_advert_timeout"]
ALLOCATION_OFF = BY_ID["shard_allocation_disabled"]
UNCOMPRESSED_HEAP = BY_ID["heap_without_compressed_oops"]


@pytest.mark.parametrize(
    ("line", "group"),
    [
        ("I1006 01:02:23.5 1 orchestrator.go:210] Skipping node group k8s-batch - max size reached",
         "k8s-batch"),
        ("I1006 01:00:37.9 1 scale_up.go:607] Final scale-up plan: [{k8s-batch 2->6 (max: 6)}]",
         "k8s-batch"),
        ("pod didn't trigger scale-up: 1 max node group size reached", None),
    ],
)  # fmt: skip
def test_the_autoscaler_at_a_node_groups_maximum_is_recognised_with_its_group(
    line: str, group: str | None
) -> None:
    assert NODE_GROUP.matches(line)
    assert NODE_GROUP.subject is not None
    named = NODE_GROUP.subject.search(line)
    assert (named.group(1) if named else None) == group


def test_a_scale_up_below_the_maximum_is_no_match() -> None:
    assert not NODE_GROUP.matches("Final scale-up plan: [{k8s-batch 2->4 (max: 6)}]")
    assert not NODE_GROUP.matches("Skipping node group k8s-batch - not ready for scaleup")


def test_a_consumer_without_committed_offsets_is_recognised() -> None:
    line = (
        "INFO o.a.k.c.c.internals.ConsumerCoordinator : [Consumer clientId=consumer-indexer-1,"
        " groupId=indexer] Found no committed offset for partition invoice-events-4"
    )
    assert OFFSETS_MISSING.matches(line)
    assert not OFFSETS_MISSING.matches(
        "INFO o.a.k.c.c.internals.ConsumerCoordinator : Setting offset for partition"
        " invoice-events-4 to the committed offset FetchPosition{offset=8812}"
    )


def test_a_vrrp_backup_that_stops_hearing_its_master_is_recognised() -> None:
    assert VRRP_TIMEOUT.matches(
        "May 19 09:31:03 lb-b Keepalived_vrrp[1311]: (VI_1) Receive advertisement timeout"
    )
    assert not VRRP_TIMEOUT.matches(
        "May 19 09:31:04 lb-b Keepalived_vrrp[1311]: (VI_1) Entering MASTER STATE"
    )


def test_shard_allocation_turned_off_is_recognised_and_turned_back_on_is_not() -> None:
    assert ALLOCATION_OFF.matches(
        "updating [cluster.routing.allocation.enable] from [all] to [none]"
    )
    assert ALLOCATION_OFF.matches(
        "updating [cluster.routing.allocation.enable] from [all] to [primaries]"
    )
    assert not ALLOCATION_OFF.matches(
        "updating [cluster.routing.allocation.enable] from [none] to [all]"
    )


def test_a_heap_past_the_compressed_oops_limit_is_recognised_and_stands() -> None:
    """Said once at start-up, it lasts until the heap is resized: never background."""
    assert UNCOMPRESSED_HEAP.standing and UNCOMPRESSED_HEAP.category.value == "memory"
    assert UNCOMPRESSED_HEAP.matches(
        "[2026-02-03T09:20:12,926][INFO ][o.e.e.NodeEnvironment    ] [es-data-04] heap size"
        " [48gb], compressed ordinary object pointers [false]"
    )
    assert UNCOMPRESSED_HEAP.matches("     bool UseCompressedOops     = false     {lp64_product}")
    assert not UNCOMPRESSED_HEAP.matches(
        "[2026-02-03T09:20:12,926][INFO ][o.e.e.NodeEnvironment    ] [es-data-02] heap size"
        " [31gb], compressed ordinary object pointers [true]"
    )


def test_api_rejections_are_recognised_and_name_the_workload_they_are_about() -> None:
    too_large, immutable = BY_ID["object_too_large"], BY_ID["immutable_field_rejected"]
    argo = (
        'time="2026-09-08T14:02:43Z" level=info msg="Adding resource result, status:'
        " 'SyncFailed', message: 'ConfigMap \\\"edge-geo-rules\\\" is invalid: []: Too long:"
        " must have at most 1048576 bytes'\" application=argocd/edge-gateway kind=ConfigMap"
    )
    assert too_large.matches(argo) and too_large.category.value == "configuration"
    assert too_large.subject is not None
    named = too_large.subject.search(argo)
    assert named is not None and named.group(1) == "edge-gateway"
    ci = (
        '[14:50:39] The Deployment "catalog-api" is invalid: spec.selector: Invalid value:'
        ' v1.LabelSelector{MatchLabels:map[string]string{"app":"catalog-api"}}: field is immutable'
    )
    assert immutable.matches(ci) and immutable.category.value == "deployment"
    assert immutable.subject is not None
    named = immutable.subject.search(ci)
    assert named is not None and named.group(1) == "catalog-api"
    assert not immutable.matches("deployment.apps/catalog-api configured")


def test_a_topics_retention_cut_to_hours_is_recognised_and_names_the_topic() -> None:
    cut = BY_ID["topic_retention_cut"]
    line = (
        "[2026-05-19 02:12:12,374] INFO Processing override for entityPath:"
        " topics/settlement-events with config: HashMap(retention.ms -> 3600000,"
        " cleanup.policy -> delete) (kafka.server.DynamicConfigManager)"
    )
    assert cut.matches(line) and cut.standing
    assert cut.subject is not None
    named = cut.subject.search(line)
    assert named is not None and named.group(1) == "settlement-events"
    week = line.replace("3600000", "604800000")
    assert not cut.matches(week)


def test_a_workload_keda_scaled_to_zero_is_recognised_and_named() -> None:
    zero = BY_ID["scaled_to_zero"]
    line = (
        "2026-06-10T07:08:12Z\tINFO\tscaleexecutor\tSuccessfully set ScaleTarget replicas count"
        ' to ScaledObject minReplicaCount\t{"scaledobject.Name": "invoice-worker",'
        ' "scaleTarget.Name": "invoice-worker", "Original Replicas Count": 4,'
        ' "New Replicas Count": 0}'
    )
    assert zero.matches(line)
    assert zero.subject is not None
    named = zero.subject.search(line)
    assert named is not None and named.group(1) == "invoice-worker"
    assert not zero.matches(line.replace('"New Replicas Count": 0', '"New Replicas Count": 1'))


def test_an_index_refresh_turned_off_is_a_standing_configuration_cause() -> None:
    off = BY_ID["index_refresh_disabled"]
    line = (
        "2025-04-08 01:38:00,407 INFO [elastic_transport.transport] PUT /products-v7/_settings"
        ' {"index": {"refresh_interval": "-1", "number_of_replicas": 0}} -> 200 acknowledged'
    )
    assert off.matches(line) and off.standing
    assert not off.matches(line.replace('"-1"', '"1s"'))


def test_workloads_a_downscaler_scales_to_zero_on_its_schedule_are_its() -> None:
    scheduled = BY_ID["downscaled_on_schedule"]
    line = (
        "Scaling down Deployment claims-prod/claims-api from 6 to 0 replicas (uptime: Mon-Fri"
        " 07:00-19:00 Europe/Berlin, downtime: never)"
    )
    assert scheduled.matches(line) and scheduled.subject is None
    assert not scheduled.matches(line.replace("to 0 replicas", "to 2 replicas"))


def test_a_rabbitmq_node_starting_without_its_peers_is_a_standing_configuration_cause() -> None:
    alone = BY_ID["started_outside_cluster"]
    line = (
        "2026-02-10 16:52:42.077000+11:00 [warning] <0.3246.0> Could not successfully contact"
        " any node of: rabbit@mq-1,rabbit@mq-2 (as in Erlang distribution). Starting as a"
        " blank standalone node..."
    )
    assert alone.matches(line)
    assert alone.standing and alone.category is Category.CONFIGURATION
    assert not alone.matches("Could not auto-cluster with node rabbit@mq-1: {badrpc,nodedown}")


def test_postgresql_checkpointing_every_few_seconds_is_a_database_cause() -> None:
    forced = BY_ID["checkpoints_too_frequent"]
    line = (
        "2026-05-09 01:00:25 UTC [1187]: [284-1] user=,db=,app=,client= LOG:  checkpoints are"
        " occurring too frequently (7 seconds apart)"
    )
    assert forced.matches(line)
    assert forced.category is Category.DATABASE
    assert not forced.matches("LOG:  checkpoint complete: wrote 5121 buffers (31.3%)")
    assert not forced.matches("LOG:  checkpoints are occurring too frequently (24 seconds apart)")


def test_a_mount_whose_device_never_appeared_is_a_standing_disk_cause() -> None:
    skipped = BY_ID["mount_skipped"]
    line = (
        "Nov 15 04:09:32 media-02 systemd[1]: Dependency failed for srv-media.mount - /srv/media."
    )
    assert skipped.matches(line)
    assert skipped.standing and skipped.category is Category.DISK
    assert not skipped.matches("systemd[1]: Dependency failed for nginx.service - nginx.")


def test_a_client_certificate_rejected_for_an_expired_crl_is_recognised_at_notice() -> None:
    crl = BY_ID["crl_expired"]
    line = (
        "2026/06/15 10:00:05 [notice] 31#31: *71592 client SSL certificate verify error: (12:CRL"
        " has expired) while reading client request headers, client: 192.0.2.206"
    )
    assert crl.matches(line)
    assert crl.category is Category.TLS
    assert not crl.matches("curl -s https://pki.corp.example.com/crl/partners-ca.crl")


def test_ingress_and_descheduler_lines_logged_at_info_are_recognised() -> None:
    ignored = (
        'I0217 18:40:06.771204 7 store.go:436] "Ignoring ingress because of error while'
        ' validating ingress class" ingress="docs/docs-portal" error="ingress does not contain'
        ' a valid IngressClass"'
    )
    assert BY_ID["ingress_class_ignored"].matches(ignored)
    evicted = (
        'I0611 01:15:32.508000 1 evictions.go:551] "Evicted pod" pod="catalog/catalog-cache-5f7b'
        '9c6d8-qzf2d" reason="" strategy="LowNodeUtilization" node="ip-10-8-21-14"'
    )
    assert BY_ID["descheduler_evictions"].matches(evicted)
    assert BY_ID["descheduler_evictions"].acts_on_others


@pytest.mark.parametrize(
    ("line", "matched"),
    [
        ("search-api-04 tuned[812]: tuned: Profile 'powersave' applied (from kickstart %post)",
         True),
        ("kernel: intel_pstate: CPU model not supported for HWP, using governor 'powersave'", True),
        ("Current active profile: powersave", True),
        ("tuned[812]: tuned: Profile 'throughput-performance' applied", False),
        ("Current active profile: virtual-guest", False),
    ],
)  # fmt: skip
def test_a_power_saving_cpu_profile_is_recognised(line: str, matched: bool) -> None:
    assert BY_ID["cpu_powersave"].matches(line) is matched
