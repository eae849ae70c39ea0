"""Kubernetes controllers reporting at INFO what they do to objects or leave undone.

ingress-nginx logs `Ignoring ingress because of error while validating ingress class` at
INFO (klog `I`) when an Ingress names a class it does not own, or none while another class
is the default: the Ingress is never served and its host answers 404 from the default
backend, with nothing louder anywhere. The descheduler logs each pod it evicts at INFO
(`"Evicted pod" pod="catalog/catalog-cache-..." strategy="LowNodeUtilization"`): evicting
the same workload every cycle restarts it cold each time, in waves.
"""

import re

from faultmaven.domain.diagnosis import Category
from faultmaven.reasoning.signatures import Signature

CLUSTER_QUIET_SIGNATURES: tuple[Signature, ...] = (
    Signature(
        id="ingress_class_ignored",
        title="Ingress ignored by the controller (ingress class)",
        category=Category.CONFIGURATION,
        statement="The ingress controller ignores an Ingress because its class is not the"
        " controller's (no ingressClassName while another IngressClass is the cluster's"
        " default, or a class another controller owns), so its host is answered 404 by the"
        " default backend.",
        patterns=(
            re.compile(r"Ignoring ingress because of error while validating ingress class"),
            re.compile(r"ingress does not contain a valid IngressClass"),
        ),
        next_steps=(
            (
                "Compare the Ingress's class with the controller's, and see which IngressClass"
                " is marked default",
                "An Ingress created without ingressClassName takes the default class at"
                " creation; a second default-marked class takes new Ingresses from the first",
                "kubectl get ingress -A; kubectl get ingressclass -o yaml | grep -B3"
                " is-default-class",
            ),
        ),
        weight=0.8,
        causal_rank=2,
        keywords=("ingress class", "ingressclass"),
        subject=re.compile(r"\bingress=\"?(?:[\w-]+/)?([a-z0-9][\w.-]*)"),
    ),
    Signature(
        id="descheduler_evictions",
        title="Descheduler evicting pods",
        category=Category.SCHEDULING,
        statement="{component} evicts running pods on every cycle to rebalance nodes (its"
        " strategy treats busy nodes as over-utilised next to empty ones), so the evicted"
        " workloads restart again and again: caches start cold, connections are re-opened"
        " and their callers see trouble in waves at its interval.",
        patterns=(re.compile(r"\"Evicted pod\" pod=\S+ .*\bstrategy="),),
        next_steps=(
            (
                "See which pods the descheduler evicts each cycle, and exclude those that must"
                " not move",
                "A PodDisruptionBudget or the descheduler.alpha.kubernetes.io/evict=false"
                " annotation protects a workload; thresholds decide which nodes count as busy",
                "kubectl -n kube-system logs deploy/descheduler | grep 'Evicted pod'",
            ),
        ),
        weight=0.8,
        causal_rank=1,
        keywords=("evicted pod",),
        acts_on_others=True,
    ),
)
