"""A cordoned node, as `kubectl get nodes`, `describe node` and the Node object show it.

Alone it is routine maintenance (low severity); once pods stay Pending because the
scheduler may not use it (`1 node(s) were unschedulable`), it is what keeps them off.
"""

from k8s_evidence import cited

from faultmaven.domain.diagnosis import Category
from faultmaven.domain.kubernetes import CORDONED, FindingSeverity
from faultmaven.integrations.kubernetes import combine_findings, read_kubernetes

NODES = """\
$ kubectl get nodes -o wide
NAME           STATUS                     ROLES    AGE   VERSION   INTERNAL-IP   EXTERNAL-IP   OS-IMAGE             KERNEL-VERSION   CONTAINER-RUNTIME
wrk-a1         Ready                      <none>   41d   v1.30.4   10.8.0.11     <none>        Ubuntu 24.04.1 LTS   6.8.0-45         containerd://1.7.22
wrk-a2         Ready,SchedulingDisabled   <none>   41d   v1.30.4   10.8.0.12     <none>        Ubuntu 24.04.1 LTS   6.8.0-45         containerd://1.7.22
wrk-a3         NotReady                   <none>   12d   v1.30.4   10.8.0.13     <none>        Ubuntu 24.04.1 LTS   6.8.0-45         containerd://1.7.22
"""  # noqa: E501
DESCRIBE_NODE = """\
Name:               wrk-b7
Roles:              <none>
Labels:             kubernetes.io/hostname=wrk-b7
Annotations:        node.alpha.kubernetes.io/ttl: 0
CreationTimestamp:  Mon, 14 Oct 2026 09:12:40 +0000
Taints:             node.kubernetes.io/unschedulable:NoSchedule
Unschedulable:      true
Conditions:
  Type             Status  LastHeartbeatTime                 LastTransitionTime                Reason                       Message
  ----             ------  -----------------                 ------------------                ------                       -------
  MemoryPressure   False   Fri, 27 Nov 2026 11:58:02 +0000   Mon, 14 Oct 2026 09:12:40 +0000   KubeletHasSufficientMemory   kubelet has sufficient memory available
  Ready            True    Fri, 27 Nov 2026 11:58:02 +0000   Mon, 14 Oct 2026 09:13:11 +0000   KubeletReady                 kubelet is posting ready status
"""  # noqa: E501
NODE_YAML = """\
apiVersion: v1
kind: Node
metadata:
  name: wrk-c2
  labels:
    kubernetes.io/hostname: wrk-c2
spec:
  podCIDR: 10.244.3.0/24
  taints:
  - effect: NoSchedule
    key: node.kubernetes.io/unschedulable
  unschedulable: true
status:
  conditions:
  - type: Ready
    status: "True"
    reason: KubeletReady
    message: kubelet is posting ready status
    lastHeartbeatTime: "2026-11-27T11:58:02Z"
    lastTransitionTime: "2026-10-14T09:13:11Z"
"""


def _pending(message: str) -> str:
    return f"""\
Name:             search-7d9f8c6b5-q2k8x
Namespace:        shop
Node:             <none>
Labels:           app=search
                  pod-template-hash=7d9f8c6b5
Status:           Pending
Controlled By:  ReplicaSet/search-7d9f8c6b5
Containers:
  search:
    Image:      registry.example/search:4.2.0
Conditions:
  Type           Status
  PodScheduled   False
Events:
  Type     Reason            Age                From               Message
  ----     ------            ----               ----               -------
  Warning  FailedScheduling  6m (x9 over 14m)   default-scheduler  {message}
"""


def test_a_node_listing_shows_which_node_is_cordoned_and_which_not_ready() -> None:
    findings = {finding.name: finding for finding in read_kubernetes(NODES).findings}
    cordon = findings["wrk-a2"]
    assert (cordon.kind, cordon.reason, cordon.category) == ("Node", CORDONED, Category.SCHEDULING)
    assert cordon.severity is FindingSeverity.LOW
    assert cited(NODES, cordon).startswith("wrk-a2         Ready,SchedulingDisabled")
    assert findings["wrk-a3"].reason == "NodeNotReady"
    assert "wrk-a1" not in findings


def test_describe_node_and_the_node_object_show_the_cordon_where_they_say_it() -> None:
    described = read_kubernetes(DESCRIBE_NODE).findings
    assert [finding.reason for finding in described] == [CORDONED]
    assert cited(DESCRIBE_NODE, described[0]) == "Unschedulable:      true"
    listed = read_kubernetes(NODE_YAML).findings
    assert [finding.reason for finding in listed] == [CORDONED]
    assert cited(NODE_YAML, listed[0]) == "  unschedulable: true"


def test_pods_kept_pending_by_a_cordon_follow_from_it_and_raise_it() -> None:
    pending = _pending(
        "0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient cpu. "
        "preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod."
    )
    ranked = combine_findings([read_kubernetes(NODES), read_kubernetes(pending)])
    first = ranked[0].finding
    assert (first.name, first.reason, first.severity) == ("wrk-a2", CORDONED, FindingSeverity.HIGH)
    scheduling = next(each.finding for each in ranked if each.finding.reason == "FailedScheduling")
    assert scheduling.explained_by == CORDONED


def test_a_cordon_stays_routine_when_pods_are_pending_for_other_reasons() -> None:
    pending = _pending("0/3 nodes are available: 3 Insufficient memory.")
    ranked = combine_findings([read_kubernetes(NODES), read_kubernetes(pending)])
    by_reason = {each.finding.reason: each.finding for each in ranked}
    assert by_reason[CORDONED].severity is FindingSeverity.LOW
    assert by_reason["FailedScheduling"].explained_by is None
