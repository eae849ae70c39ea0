"""Understand Kubernetes evidence offline: kubectl describe, get -o yaml|json, and its tables.

No cluster is contacted: the text a user pasted or uploaded is all there is.
"""

from faultmaven.integrations.kubernetes._case import combine_findings, pod_nodes
from faultmaven.integrations.kubernetes._reader import is_kubernetes_text, read_kubernetes

__all__ = ["combine_findings", "is_kubernetes_text", "pod_nodes", "read_kubernetes"]
