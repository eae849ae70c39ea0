"""Where a pod's failure really lives when its message names something on the pod's node.

Kubernetes reports a sandbox, volume or image failure against the pod, but the message often
says the fault is the node's: its CNI agent failed to add the network, its pod address range
is used up, its CSI driver never registered, its image filesystem has no space left. Every
pod landing there fails the same way, so the hypothesis is placed at that node or agent,
with what to check there.
"""

import re
from dataclasses import dataclass

from faultmaven.domain.kubernetes import KubernetesFinding
from faultmaven.domain.service_names import csi_node_plugin_of_driver, network_agent_of_plugin

# A pod sandbox whose network the CNI plugin failed to set up (`plugin type="aws-cni" ...
# failed (add)`): the node's network agent failed, not the pod.
_CNI_ADD_FAILED = re.compile(r'plugin type="([\w.-]+)"[^:]*\bfailed \(add\)')
# host-local IPAM found no free address in the node's pod range (`no IP addresses available
# in range set: 10.244.14.1-10.244.14.254`): the range is full, often of reservations leaked
# by container runtime restarts, so no new pod on that node gets a network.
_RANGE_EXHAUSTED = re.compile(r"no IP addresses available in range set(?::\s*([\d.:a-f/-]+))?")
# A volume the kubelet cannot mount because the CSI driver never registered on the pod's
# node: the driver's node plugin does not run there (a toleration or selector keeps its
# DaemonSet off those nodes, or it crashes), which fails every such pod on those nodes.
_CSI_DRIVER_UNREGISTERED = re.compile(
    r"driver name (\S+) not found in the list of registered CSI drivers"
)


# An image pull failing to unpack its layers for want of space: the node's image
# filesystem (containerd's or CRI-O's) is full, whatever the pod.
_IMAGE_PULLS = frozenset({"ErrImagePull", "ImagePullBackOff", "Failed"})
_NO_SPACE = re.compile(r"(?i)no space left on device")


# Autoscalers fighting over one workload's pods (`pods by selector app.kubernetes.io/name=
# quote-engine are controlled by multiple HPAs`): the workload their selector names.
_SELECTED_APP = re.compile(
    r"pods by selector (?:[\w./-]+=[\w.-]+,)*?(?:app\.kubernetes\.io/name|app|k8s-app)=([\w.-]+)"
)


# A pod refused because admission could not reach a fail-closed webhook (`failed calling
# webhook "mutate.admission-guard.io": ... no endpoints available for service
# "admission-guard-svc"`): the webhook's service is down, and every pod it intercepts waits.
_WEBHOOK_DOWN = re.compile(
    r'failed calling webhook "[^"]+".*?(?:no endpoints available for service|service)'
    r' "(?:[\w-]+/)?([\w.-]+?)(?:-svc)?"(?: not found)?'
)


# Reasons only the AWS Load Balancer Controller reports, against the Ingress, Service or
# TargetGroupBinding it failed to reconcile: the fault is the controller's (its IAM role, its
# configuration), and every balancer it manages goes stale the same way.
_LOAD_BALANCER_CONTROLLER_REASONS = frozenset({"FailedDeployModel", "FailedBuildModel"})
LOAD_BALANCER_CONTROLLER = "aws-load-balancer-controller"
# The External Secrets Operator's objects: a sync it cannot make (the provider refuses its
# role, the key is gone) is the operator's, and the Secret it should fill goes stale.
_EXTERNAL_SECRET_KINDS = frozenset(
    {"externalsecret", "clusterexternalsecret", "secretstore", "clustersecretstore", "pushsecret"}
)
EXTERNAL_SECRETS = "external-secrets"


@dataclass(frozen=True)
class Placement:
    """The component a finding belongs to, what to add to its statement, what to run."""

    component: str
    critical: bool = False
    note: str = ""
    action: str = ""
    why: str = ""
    command: str = ""


def placement_of(finding: KubernetesFinding) -> Placement | None:
    """Place a pod's sandbox, volume or image-unpacking failure at its node or node agent.

    Autoscalers fighting over pods are placed at the workload their selector names.
    """
    message = finding.message or ""
    if finding.reason == "FailedCreatePodSandBox":
        exhausted = _RANGE_EXHAUSTED.search(message)
        if exhausted and finding.node:
            return _range_exhausted(finding.node, exhausted.group(1))
        failed = _CNI_ADD_FAILED.search(message)
        return Placement(network_agent_of_plugin(failed.group(1))) if failed else None
    if finding.reason in _IMAGE_PULLS and _NO_SPACE.search(message) and finding.node:
        return _image_filesystem_full(finding.node)
    if finding.reason == "AmbiguousSelector":
        selected = _SELECTED_APP.search(message)
        return Placement(selected.group(1)) if selected else None
    if finding.reason == "FailedCreate":
        webhook = _WEBHOOK_DOWN.search(message)
        return _webhook_down(webhook.group(1)) if webhook else None
    if finding.reason in _LOAD_BALANCER_CONTROLLER_REASONS:
        return _load_balancer_controller(finding.kind, finding.name)
    if finding.kind.lower() in _EXTERNAL_SECRET_KINDS:
        return _external_secrets(finding.kind, finding.name)
    if finding.reason in ("FailedMount", "FailedAttachVolume"):
        unregistered = _CSI_DRIVER_UNREGISTERED.search(message)
        if unregistered:
            return _unregistered_driver(csi_node_plugin_of_driver(unregistered.group(1)))
    return None


def _range_exhausted(node: str, pod_range: str | None) -> Placement:
    shown = f" ({pod_range})" if pod_range else ""
    return Placement(
        component=node,
        critical=True,
        note=(
            f" Node {node}'s pod address range{shown} has no free address left: host-local"
            " IPAM keeps one reservation file per address, and reservations leaked by"
            " container runtime restarts or force-deleted pods fill it, so every new pod"
            " there fails."
        ),
        action=f"Compare the address reservations on {node} with the pods running there",
        why="More reservation files than running pods means leaked reservations to clear",
        command=(
            f"kubectl get pods -A -o wide --field-selector spec.nodeName={node} | wc -l; "
            f"kubectl debug node/{node} -it --image=busybox -- ls /host/var/lib/cni/networks"
        ),
    )


def _image_filesystem_full(node: str) -> Placement:
    return Placement(
        component=node,
        critical=True,
        note=(
            f" The image layers cannot be unpacked on node {node}: its image filesystem is"
            " full (image garbage collection could not free enough), so every pod scheduled"
            " there that needs a new image waits."
        ),
        action=f"Free or grow {node}'s image filesystem, or cordon and drain it",
        why="The kubelet prunes only unused images; a volume full of images in use or of"
        " other data stays full",
        command=(
            f"kubectl describe node {node} | grep -A8 Conditions; "
            f"kubectl debug node/{node} -it --image=busybox -- df -h /host/var/lib/containerd"
        ),
    )


def _webhook_down(service: str) -> Placement:
    return Placement(
        component=service,
        critical=True,
        note=(
            f" Admission calls the webhook served by {service}, which has no ready endpoint,"
            " and the webhook fails closed (failurePolicy: Fail): no pod it intercepts can be"
            " created, the webhook's own included when its namespace is not excluded."
        ),
        action=(
            f"Exclude {service}'s own namespace from its webhook (namespaceSelector) or set"
            " failurePolicy: Ignore until its pods run again"
        ),
        why="A fail-closed webhook whose pods were evicted blocks their re-creation",
        command="kubectl get mutatingwebhookconfigurations,validatingwebhookconfigurations -o"
        f" yaml | grep -B3 -A12 {service}",
    )


def _unregistered_driver(plugin: str) -> Placement:
    return Placement(
        component=plugin,
        critical=True,
        note=(
            f" The volume's CSI driver is not registered on the pod's node: its node plugin"
            f" ({plugin}) does not run there, so every pod on that node needing the driver"
            " waits."
        ),
        action=(
            f"Find which nodes lack a running {plugin} pod and why (tolerations against the"
            " nodes' taints, its node selector, or crashes)"
        ),
        why="A node without the driver's node plugin never registers the driver (CSINode"
        " shows 0 drivers there)",
        command=f"kubectl get csinodes; kubectl -n kube-system get ds {plugin} -o wide",
    )


def _load_balancer_controller(kind: str, name: str) -> Placement:
    return Placement(
        component=LOAD_BALANCER_CONTROLLER,
        note=(
            f" The AWS Load Balancer Controller could not reconcile {kind} {name}, so the"
            " balancer it manages no longer follows the cluster: new pods are not registered"
            " as targets and old ones are not removed."
        ),
        action="Read the controller's reconcile errors and check its IAM role's permissions",
        why="An IAM policy missing an elasticloadbalancing or ec2 action fails every reconcile",
        command=(
            f"kubectl -n kube-system logs deploy/{LOAD_BALANCER_CONTROLLER} | grep -i error"
            " | tail -20"
        ),
    )


def _external_secrets(kind: str, name: str) -> Placement:
    return Placement(
        component=EXTERNAL_SECRETS,
        note=(
            f" The External Secrets Operator cannot sync {kind} {name}: the Secret it fills"
            " keeps its old value (or stays missing), so whatever reads it uses stale"
            " credentials."
        ),
        action="Compare the key the ExternalSecret asks for with what the operator's role may read",
        why="A key moved or renamed outside the role's allowed resources fails every refresh",
        command=(
            f"kubectl describe externalsecret {name}; kubectl -n {EXTERNAL_SECRETS} logs"
            f" deploy/{EXTERNAL_SECRETS} | grep -i error | tail -20"
        ),
    )
