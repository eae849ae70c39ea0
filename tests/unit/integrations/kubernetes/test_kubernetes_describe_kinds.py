"""Every `kubectl describe` printer's output is read as the kind it describes."""

import pytest
from k8s_evidence import cited, only, sample

from faultmaven.domain.diagnosis import Category
from faultmaven.domain.kubernetes import KubernetesObjectRef
from faultmaven.integrations.kubernetes import is_kubernetes_text, read_kubernetes

# Blocks as kubectl's describe printers (k8s.io/kubectl/pkg/describe/describe.go) write them.
DESCRIBED = {
    "PersistentVolumeClaim": """\
Name:          uploads
Namespace:     media
StorageClass:  standard
Status:        Bound
Volume:        pvc-6f1e2d3c-4b5a-4c6d-9e8f-7a6b5c4d3e2f
Labels:        <none>
Annotations:   pv.kubernetes.io/bind-completed: yes
Finalizers:    [kubernetes.io/pvc-protection]
Capacity:      10Gi
Access Modes:  RWO
VolumeMode:    Filesystem
Used By:       <none>
Events:        <none>
""",
    "PersistentVolume": """\
Name:            pvc-6f1e2d3c-4b5a-4c6d-9e8f-7a6b5c4d3e2f
Labels:          <none>
Annotations:     pv.kubernetes.io/provisioned-by: ebs.csi.aws.com
Finalizers:      [kubernetes.io/pv-protection]
StorageClass:    standard
Status:          Bound
Claim:           media/uploads
Reclaim Policy:  Delete
Access Modes:    RWO
VolumeMode:      Filesystem
Capacity:        10Gi
Node Affinity:   <none>
Message:
Events:          <none>
""",
    "Service": """\
Name:              checkout
Namespace:         shop
Labels:            app=checkout
Annotations:       <none>
Selector:          app=checkout
Type:              ClusterIP
IP Family Policy:  SingleStack
IP Families:       IPv4
IP:                10.96.14.7
IPs:               10.96.14.7
Port:              http  80/TCP
TargetPort:        8080/TCP
Endpoints:
Session Affinity:  None
Events:            <none>
""",
    "Endpoints": """\
Name:         checkout
Namespace:    shop
Labels:       app=checkout
Annotations:  <none>
Subsets:
  Addresses:          <none>
  NotReadyAddresses:  10.244.1.17
  Ports:
    Name  Port  Protocol
    ----  ----  --------
    http  8080  TCP

Events:  <none>
""",
    "Ingress": """\
Name:             storefront
Labels:           <none>
Namespace:        shop
Address:          203.0.113.10
Ingress Class:    nginx
Default backend:  <default>
Rules:
  Host              Path  Backends
  ----              ----  --------
  shop.example.com
                    /   storefront:80 (10.244.2.31:8080)
Annotations:        <none>
Events:             <none>
""",
    "NetworkPolicy": """\
Name:         deny-all
Namespace:    shop
Created on:   2024-03-12 09:12:40 +0000 UTC
Labels:       <none>
Annotations:  <none>
Spec:
  PodSelector:     <none> (Allowing the specific traffic to all pods in this namespace)
  Allowing ingress traffic:
    <none> (Selected pods are isolated for ingress connectivity)
  Not affecting egress traffic
  Policy Types: Ingress
""",
    "ResourceQuota": """\
Name:            compute
Namespace:       shop
Resource         Used   Hard
--------         ----   ----
limits.memory    18Gi   48Gi
pods             6      40
requests.memory  12Gi   12Gi
""",
    "Node": """\
Name:               ip-10-0-3-17.ec2.internal
Roles:              <none>
Labels:             kubernetes.io/os=linux
Annotations:        node.alpha.kubernetes.io/ttl: 0
CreationTimestamp:  Mon, 04 Mar 2024 08:00:00 +0000
Taints:             <none>
Unschedulable:      false
Capacity:
  cpu:     4
  memory:  16Gi
Allocatable:
  cpu:     3920m
  memory:  15Gi
Events:             <none>
""",
    "ReplicaSet": """\
Name:           web-7c9f8d6b5
Namespace:      shop
Selector:       app=web,pod-template-hash=7c9f8d6b5
Labels:         app=web
Annotations:    deployment.kubernetes.io/revision: 3
Controlled By:  Deployment/web
Replicas:       2 current / 2 desired
Pods Status:    2 Running / 0 Waiting / 0 Succeeded / 0 Failed
Events:         <none>
""",
    "StatefulSet": """\
Name:               ledger-db
Namespace:          finance
CreationTimestamp:  Mon, 04 Mar 2024 08:00:00 +0000
Selector:           app=ledger-db
Labels:             app=ledger-db
Annotations:        <none>
Replicas:           1 desired | 1 total
Pods Status:        0 Running / 1 Waiting / 0 Succeeded / 0 Failed
Events:             <none>
""",
    "HorizontalPodAutoscaler": """\
Name:                                                  search
Namespace:                                             search
Reference:                                             Deployment/search
Min replicas:                                          4
Max replicas:                                          16
Events:                                                <none>
""",
    "StorageClass": """\
Name:                  gp3
IsDefaultClass:        Yes
Annotations:           storageclass.kubernetes.io/is-default-class=true
Provisioner:           ebs.csi.aws.com
Parameters:            type=gp3
AllowVolumeExpansion:  True
MountOptions:          <none>
ReclaimPolicy:         Delete
VolumeBindingMode:     WaitForFirstConsumer
Events:                <none>
""",
}


@pytest.mark.parametrize("kind", DESCRIBED.keys())
def test_describe_output_is_read_as_the_kind_it_describes(kind: str) -> None:
    text = DESCRIBED[kind]

    assert is_kubernetes_text(text)
    assert [each.kind for each in read_kubernetes(text).objects] == [kind]


def test_cluster_scoped_objects_have_no_namespace() -> None:
    for kind in ("PersistentVolume", "Node", "StorageClass"):
        assert read_kubernetes(DESCRIBED[kind]).objects[0].namespace is None


def test_claim_whose_storage_class_is_missing_is_a_configuration_problem_of_its_workload() -> None:
    text = sample("describe-pvc-missing-storageclass.txt")
    evidence = read_kubernetes(text)

    assert evidence.objects == [
        KubernetesObjectRef(kind="PersistentVolumeClaim", namespace="shop", name="data-orders-db-1")
    ]
    failed = only(evidence, "ProvisioningFailed")
    assert failed.kind == "PersistentVolumeClaim"
    assert failed.category is Category.CONFIGURATION
    # `Used By: orders-db-1` is the StatefulSet pod whose name ends the claim's name.
    assert failed.component == "orders-db"
    assert failed.count == 42
    assert 'storageclass.storage.k8s.io "fast-ssd" not found' in cited(text, failed)


def test_claim_used_by_a_pod_it_is_not_named_after_keeps_its_own_name() -> None:
    text = sample("describe-pvc-missing-storageclass.txt").replace(
        "Used By:       orders-db-1", "Used By:       orders-7d9f8c6b5d-x2k4q"
    )

    assert only(read_kubernetes(text), "ProvisioningFailed").component == "data-orders-db-1"


AUTOSCALER_EVENTS = """\
Events:
  Type     Reason          Age   From                       Message
  ----     ------          ----  ----                       -------
  Warning  FailedGetScale  2m    horizontal-pod-autoscaler  deployments/scale.apps "search" not found
"""  # noqa: E501


def test_autoscaler_belongs_to_the_workload_it_scales() -> None:
    text = (
        DESCRIBED["HorizontalPodAutoscaler"]
        .replace(
            "Events:                                                <none>\n", AUTOSCALER_EVENTS
        )
        .replace(
            "Name:                                                  search", "Name:   search-hpa"
        )
    )

    failed = only(read_kubernetes(text), "FailedGetScale")
    assert failed.name == "search-hpa"
    assert failed.component == "search"
    assert failed.category is Category.CONFIGURATION
