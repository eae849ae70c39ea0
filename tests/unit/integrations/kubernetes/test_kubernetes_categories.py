"""Each reason's category follows the taxonomy, refined by what kubectl's message says."""

import pytest
from k8s_evidence import only

from faultmaven.domain.diagnosis import Category
from faultmaven.integrations.kubernetes import read_kubernetes

HEADER = (
    "LAST SEEN   TYPE      REASON               OBJECT                                    MESSAGE\n"
)


def event(reason: str, involved: str, message: str) -> str:
    return HEADER + f"2m          Warning   {reason:<20} {involved:<41} {message}\n"


CASES = [
    (
        "ProvisioningFailed",
        "persistentvolumeclaim/data-ledger-db-0",
        'storageclass.storage.k8s.io "gp3-encrypted" not found',
        Category.CONFIGURATION,
    ),
    (
        "ProvisioningFailed",
        "persistentvolumeclaim/data-ledger-db-0",
        'failed to provision volume with StorageClass "gp3": rpc error: code = ResourceExhausted'
        " desc = VolumeLimitExceeded",
        Category.DISK,
    ),
    (
        "FailedBinding",
        "persistentvolumeclaim/uploads",
        "no persistent volumes available for this claim and no storage class is set",
        Category.CONFIGURATION,
    ),
    (
        "Failed",
        "pod/web-7c9f8d6b5-x2k4q",
        'Failed to pull image "registry.example.com/shop/web:1.4": failed to authorize:'
        " failed to fetch oauth token: unexpected status: 401 Unauthorized",
        Category.DEPLOYMENT,
    ),
    (
        "Failed",
        "pod/web-7c9f8d6b5-x2k4q",
        'Failed to pull image "docker.io/library/nginx:1.25": toomanyrequests: You have reached'
        " your pull rate limit.",
        Category.RATE_LIMIT,
    ),
    (
        "FailedCreate",
        "replicaset/web-7c9f8d6b5",
        'Error creating: pods "web-7c9f8d6b5-rk5tq" is forbidden: exceeded quota: compute,'
        " requested: requests.memory=2Gi, used: requests.memory=12Gi,"
        " limited: requests.memory=12Gi",
        Category.SCHEDULING,
    ),
    (
        "FailedCreate",
        "replicaset/web-7c9f8d6b5",
        'Error creating: pods "web-7c9f8d6b5-rk5tq" is forbidden: failed quota: compute:'
        " must specify limits.memory for: web",
        Category.CONFIGURATION,
    ),
    (
        "FailedCreate",
        "replicaset/web-7c9f8d6b5",
        'Error creating: pods "web-7c9f8d6b5-rk5tq" is forbidden: violates PodSecurity'
        ' "restricted:latest": runAsNonRoot != true',
        Category.PERMISSION,
    ),
    (
        "FailedCreate",
        "replicaset/web-7c9f8d6b5",
        'Error creating: pods "web-7c9f8d6b5-rk5tq" is forbidden: error looking up service'
        ' account shop/web: serviceaccount "web" not found',
        Category.CONFIGURATION,
    ),
    (
        "FailedScheduling",
        "pod/web-7c9f8d6b5-x2k4q",
        "0/3 nodes are available: 3 node(s) had untolerated taint {dedicated: gpu}.",
        Category.SCHEDULING,
    ),
    (
        "Unhealthy",
        "pod/web-7c9f8d6b5-x2k4q",
        "Liveness probe failed: HTTP probe failed with statuscode: 500",
        Category.SCHEDULING,
    ),
    (
        "FreeDiskSpaceFailed",
        "node/ip-10-0-2-9.ec2.internal",
        "Failed to garbage collect required amount of images. Attempted to free 4GB, but only"
        " found 0 bytes eligible to free.",
        Category.DISK,
    ),
    (
        "EvictionThresholdMet",
        "node/ip-10-0-2-9.ec2.internal",
        "Attempting to reclaim ephemeral-storage",
        Category.SCHEDULING,
    ),
    (
        "EvictionThresholdMet",
        "node/ip-10-0-2-9.ec2.internal",
        "Attempting to reclaim memory",
        Category.MEMORY,
    ),
    (
        "Evicted",
        "pod/pdf-export-6cf9d7b84d-w7lzq",
        "Pod ephemeral local storage usage exceeds the total limit of containers 2Gi.",
        Category.DISK,
    ),
    (
        "Evicted",
        "pod/pdf-export-6cf9d7b84d-w7lzq",
        "The node was low on resource: ephemeral-storage. Threshold quantity: 10Gi,"
        " available: 9Gi.",
        Category.SCHEDULING,
    ),
]


@pytest.mark.parametrize(
    ("reason", "involved", "message", "category"),
    CASES,
    ids=[f"{case[0]}:{case[3].value}:{index}" for index, case in enumerate(CASES)],
)
def test_reason_and_message_point_to_the_taxonomy_category(
    reason: str, involved: str, message: str, category: Category
) -> None:
    evidence = read_kubernetes(event(reason, involved, message))

    assert [finding.category for finding in evidence.findings][:1] == [category]


def test_node_disk_pressure_is_scheduling_trouble() -> None:
    text = HEADER + (
        "15m         Normal    NodeHasDiskPressure  node/ip-10-0-2-9.ec2.internal             "
        "Node ip-10-0-2-9.ec2.internal status is now: NodeHasDiskPressure\n"
    )

    assert only(read_kubernetes(text), "DiskPressure").category is Category.SCHEDULING


def test_a_system_oom_on_a_node_weighs_less_than_a_container_killed_for_memory() -> None:
    text = HEADER + (
        "10m         Warning   SystemOOM            node/ip-10-0-2-9.ec2.internal             "
        "System OOM encountered, victim process: fluent-bit, pid: 28812\n"
        "9m          Warning   OOMKilling           node/ip-10-0-2-9.ec2.internal             "
        "Out of memory: Killed process 28812 (fluent-bit)\n"
    )
    evidence = read_kubernetes(text)

    system = only(evidence, "SystemOOM")
    assert system.category is Category.MEMORY
    assert system.severity.value == "medium"
