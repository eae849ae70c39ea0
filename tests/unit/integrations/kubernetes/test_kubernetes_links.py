"""A symptom on one object is linked to its cause on another only where kubectl says so."""

from k8s_evidence import cited, only, reasons, sample

from faultmaven.domain.diagnosis import Category
from faultmaven.integrations.kubernetes import read_kubernetes

UNBOUND_CLAIM_EVENTS = """\
LAST SEEN   TYPE      REASON               OBJECT                                   MESSAGE
3m12s       Warning   ProvisioningFailed   persistentvolumeclaim/data-ledger-db-0   storageclass.storage.k8s.io "gp3-encrypted" not found
3m          Warning   FailedScheduling     pod/ledger-db-0                          0/6 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/6 nodes are available: 6 Preemption is not helpful for scheduling.
"""  # noqa: E501

DEPLOYMENT_AND_REPLICA_SET = """\
Name:                   search
Namespace:              search
CreationTimestamp:      Mon, 04 Mar 2024 10:02:11 +0000
Labels:                 app=search
Annotations:            deployment.kubernetes.io/revision: 23
Selector:               app=search
Replicas:               10 desired | 6 updated | 6 total | 6 available | 4 unavailable
StrategyType:           RollingUpdate
MinReadySeconds:        0
RollingUpdateStrategy:  25% max unavailable, 25% max surge
Conditions:
  Type             Status  Reason
  ----             ------  ------
  Progressing      True    NewReplicaSetAvailable
  Available        True    MinimumReplicasAvailable
  ReplicaFailure   True    FailedCreate
OldReplicaSets:  <none>
NewReplicaSet:   search-7c9f8d6b5 (6/10 replicas created)
Events:          <none>


Name:           search-7c9f8d6b5
Namespace:      search
Selector:       app=search,pod-template-hash=7c9f8d6b5
Labels:         app=search
                pod-template-hash=7c9f8d6b5
Annotations:    deployment.kubernetes.io/desired-replicas: 10
Controlled By:  Deployment/search
Replicas:       6 current / 10 desired
Pods Status:    6 Running / 0 Waiting / 0 Succeeded / 0 Failed
Conditions:
  Type             Status  Reason
  ----             ------  ------
  ReplicaFailure   True    FailedCreate
Events:
  Type     Reason        Age                   From                   Message
  ----     ------        ----                  ----                   -------
  Warning  FailedCreate  2m10s (x19 over 30m)  replicaset-controller  (combined from similar events): Error creating: pods "search-7c9f8d6b5-h4pfw" is forbidden: exceeded quota: team-search-quota, requested: requests.memory=2Gi, used: requests.memory=12Gi, limited: requests.memory=12Gi
"""  # noqa: E501


def test_pod_waiting_on_an_unbound_claim_follows_from_the_claims_provisioning_failure() -> None:
    evidence = read_kubernetes(UNBOUND_CLAIM_EVENTS)

    claim = only(evidence, "ProvisioningFailed")
    pod = only(evidence, "FailedScheduling")
    assert (claim.kind, claim.explained_by, claim.category) == (
        "PersistentVolumeClaim",
        None,
        Category.CONFIGURATION,
    )
    assert pod.explained_by == "ProvisioningFailed"
    assert reasons(evidence) == ["ProvisioningFailed", "FailedScheduling"]
    # The StatefulSet's claim `data-ledger-db-0` belongs to pod ledger-db-0's workload.
    assert claim.component == pod.component == "ledger-db"


def test_claim_not_named_after_the_waiting_pod_explains_nothing() -> None:
    text = UNBOUND_CLAIM_EVENTS.replace("data-ledger-db-0", "data-billing-db-0")
    evidence = read_kubernetes(text)

    assert only(evidence, "FailedScheduling").explained_by is None
    assert only(evidence, "ProvisioningFailed").component == "data-billing-db-0"


def test_pod_unschedulable_for_cpu_is_not_blamed_on_a_claim() -> None:
    text = UNBOUND_CLAIM_EVENTS.replace(
        "pod has unbound immediate PersistentVolumeClaims", "6 Insufficient cpu"
    )

    assert only(read_kubernetes(text), "FailedScheduling").explained_by is None


def test_deployments_replica_failure_follows_from_its_replica_sets_refused_pods() -> None:
    evidence = read_kubernetes(DEPLOYMENT_AND_REPLICA_SET)

    refused = only(evidence, "FailedCreate", "search-7c9f8d6b5")
    stalled = only(evidence, "FailedCreate", "search")
    assert (refused.kind, refused.explained_by) == ("ReplicaSet", None)
    assert (stalled.kind, stalled.explained_by) == ("Deployment", "FailedCreate")
    assert evidence.findings[0] == refused
    assert "exceeded quota: team-search-quota" in cited(DEPLOYMENT_AND_REPLICA_SET, refused)


def test_autoscaler_trouble_is_not_blamed_on_the_pods_of_the_same_name() -> None:
    text = """\
LAST SEEN   TYPE      REASON           OBJECT                           MESSAGE
14m         Warning   Failed           pod/orders-85f6d9c7b-tz4lx       Error: couldn't find key DATABASE_URL in ConfigMap shop/orders-config
10m         Warning   FailedGetScale   horizontalpodautoscaler/orders   deployments/scale.apps "orders" not found
"""  # noqa: E501
    evidence = read_kubernetes(text)

    assert only(evidence, "ConfigMapKeyNotFound").explained_by is None
    assert only(evidence, "FailedGetScale").explained_by is None


def test_failing_init_container_is_the_cause_and_the_waiting_app_container_is_not_reported() -> (
    None
):
    text = sample("describe-pod-init-crashloop.txt")
    evidence = read_kubernetes(text)

    assert reasons(evidence) == ["CrashLoopBackOff"]
    crash = evidence.findings[0]
    assert (crash.container, crash.exit_code, crash.explained_by) == ("migrate", 1, None)
    assert crash.details["init container"] == "true"
    assert crash.component == "billing"
    assert "Exit Code:    1" in cited(text, crash)
