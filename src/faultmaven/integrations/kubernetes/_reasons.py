"""What each Kubernetes reason points to: category, severity and how causal it is.

Tiers order causality: 0 a root cause (OOMKilled, a missing Secret, node pressure),
1 a direct failure (a pull error, unschedulable), 2 a symptom of something else
(CrashLoopBackOff, CreateContainerConfigError, Evicted), 3 a consequence seen at a
controller (BackoffLimitExceeded, ProgressDeadlineExceeded).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from faultmaven.domain.diagnosis import Category
from faultmaven.domain.kubernetes import FindingSeverity

CAUSE, FAILURE, SYMPTOM, CONSEQUENCE = 0, 1, 2, 3

_C = Category
_S = FindingSeverity


@dataclass(frozen=True, slots=True)
class Profile:
    """The default category, severity and tier of a reason."""

    category: Category
    severity: FindingSeverity
    tier: int


_PROFILES: dict[str, Profile] = {
    "OOMKilled": Profile(_C.MEMORY, _S.CRITICAL, CAUSE),
    "OOMKilling": Profile(_C.MEMORY, _S.HIGH, CAUSE),
    "CPUThrottled": Profile(_C.CPU, _S.HIGH, CAUSE),
    # The kernel killed some process on the node; a container it hit is also OOMKilled.
    "SystemOOM": Profile(_C.MEMORY, _S.MEDIUM, CAUSE),
    "SecretNotFound": Profile(_C.CONFIGURATION, _S.HIGH, CAUSE),
    "ConfigMapNotFound": Profile(_C.CONFIGURATION, _S.HIGH, CAUSE),
    "SecretKeyNotFound": Profile(_C.CONFIGURATION, _S.HIGH, CAUSE),
    "ConfigMapKeyNotFound": Profile(_C.CONFIGURATION, _S.HIGH, CAUSE),
    "PersistentVolumeClaimNotFound": Profile(_C.CONFIGURATION, _S.HIGH, CAUSE),
    "ServiceAccountNotFound": Profile(_C.CONFIGURATION, _S.HIGH, CAUSE),
    "MemoryPressure": Profile(_C.MEMORY, _S.HIGH, CAUSE),
    # Pressure shows as evictions and tainted nodes; a node's disk itself is FreeDiskSpaceFailed.
    "DiskPressure": Profile(_C.SCHEDULING, _S.HIGH, CAUSE),
    "PIDPressure": Profile(_C.SCHEDULING, _S.HIGH, CAUSE),
    "NodeNotReady": Profile(_C.SCHEDULING, _S.CRITICAL, CAUSE),
    # A cordon is routine during maintenance; it matters once pods fail to schedule for it.
    "NodeNotSchedulable": Profile(_C.SCHEDULING, _S.LOW, CAUSE),
    "NetworkNotReady": Profile(_C.NETWORK, _S.HIGH, CAUSE),
    "NetworkUnavailable": Profile(_C.NETWORK, _S.HIGH, CAUSE),
    "FailedCreatePodSandBox": Profile(_C.NETWORK, _S.HIGH, FAILURE),
    "ErrImagePull": Profile(_C.DEPLOYMENT, _S.HIGH, FAILURE),
    "ImagePullBackOff": Profile(_C.DEPLOYMENT, _S.HIGH, SYMPTOM),
    "InvalidImageName": Profile(_C.DEPLOYMENT, _S.HIGH, FAILURE),
    "ErrImageNeverPull": Profile(_C.DEPLOYMENT, _S.HIGH, FAILURE),
    "CreateContainerConfigError": Profile(_C.CONFIGURATION, _S.HIGH, SYMPTOM),
    "CreateContainerError": Profile(_C.CONFIGURATION, _S.HIGH, FAILURE),
    "RunContainerError": Profile(_C.CONFIGURATION, _S.HIGH, FAILURE),
    "StartError": Profile(_C.CONFIGURATION, _S.HIGH, FAILURE),
    "ContainerCannotRun": Profile(_C.CONFIGURATION, _S.HIGH, FAILURE),
    "Error": Profile(_C.CODE_ERROR, _S.HIGH, FAILURE),
    "CrashLoopBackOff": Profile(_C.CODE_ERROR, _S.CRITICAL, SYMPTOM),
    "FailedScheduling": Profile(_C.SCHEDULING, _S.HIGH, FAILURE),
    "OutOfmemory": Profile(_C.SCHEDULING, _S.HIGH, FAILURE),
    "OutOfcpu": Profile(_C.SCHEDULING, _S.HIGH, FAILURE),
    "Pending": Profile(_C.SCHEDULING, _S.MEDIUM, SYMPTOM),
    "NotTriggerScaleUp": Profile(_C.SCHEDULING, _S.MEDIUM, SYMPTOM),
    "Evicted": Profile(_C.SCHEDULING, _S.HIGH, SYMPTOM),
    "Preempted": Profile(_C.SCHEDULING, _S.MEDIUM, SYMPTOM),
    "TaintManagerEviction": Profile(_C.SCHEDULING, _S.MEDIUM, SYMPTOM),
    "Unhealthy": Profile(_C.SCHEDULING, _S.MEDIUM, SYMPTOM),
    "FailedMount": Profile(_C.CONFIGURATION, _S.HIGH, FAILURE),
    "FailedAttachVolume": Profile(_C.DISK, _S.HIGH, FAILURE),
    # A ReadWriteOnce volume still attached for another pod of a Deployment: the rollout's
    # surge pod (RollingUpdate) waits for the old one that will not stop before it is ready.
    "MultiAttachByAnotherPod": Profile(_C.DEPLOYMENT, _S.HIGH, CAUSE),
    # A drain asking to evict a pod its PodDisruptionBudget protects: the eviction API answers
    # 429 and the drain retries. Routine during node upgrades; a cause only if a drain stalls.
    "EvictionBlocked": Profile(_C.CONFIGURATION, _S.LOW, SYMPTOM),
    "ProvisioningFailed": Profile(_C.DISK, _S.HIGH, FAILURE),
    "FailedBinding": Profile(_C.CONFIGURATION, _S.HIGH, FAILURE),
    "FailedGetScale": Profile(_C.CONFIGURATION, _S.MEDIUM, FAILURE),
    # An autoscaler that cannot read a metric (`missing request for cpu`) stops scaling; a
    # background warning, never an outage by itself.
    "FailedGetResourceMetric": Profile(_C.CONFIGURATION, _S.LOW, SYMPTOM),
    "FailedGetContainerResourceMetric": Profile(_C.CONFIGURATION, _S.LOW, SYMPTOM),
    "FailedGetPodsMetric": Profile(_C.CONFIGURATION, _S.LOW, SYMPTOM),
    "FailedGetObjectMetric": Profile(_C.CONFIGURATION, _S.LOW, SYMPTOM),
    "FailedGetExternalMetric": Profile(_C.CONFIGURATION, _S.LOW, SYMPTOM),
    "FailedComputeMetricsReplicas": Profile(_C.CONFIGURATION, _S.LOW, CONSEQUENCE),
    # The metric the autoscaler scales on cannot be computed because the workload's own
    # containers declare no request for it: it never scales, and saturates under load.
    "MissingResourceRequest": Profile(_C.CONFIGURATION, _S.MEDIUM, CAUSE),
    # An autoscaler held back by its own scale-up policy (behavior.scaleUp: one pod per five
    # minutes) while the load climbs: the workload saturates before it is given the pods.
    "ScaleUpLimit": Profile(_C.CONFIGURATION, _S.HIGH, CAUSE),
    # Two autoscalers selecting the same pods: each undoes the other's scaling, so the
    # workload flaps between their counts. Never intended.
    "AmbiguousSelector": Profile(_C.CONFIGURATION, _S.HIGH, CAUSE),
    # `kubectl rollout pause` left in place: template changes (a new image) create no new
    # ReplicaSet, so the old pods keep running what was meant to be replaced.
    "DeploymentPaused": Profile(_C.DEPLOYMENT, _S.HIGH, CAUSE),
    "EvictionThresholdMet": Profile(_C.MEMORY, _S.MEDIUM, FAILURE),
    "FreeDiskSpaceFailed": Profile(_C.DISK, _S.MEDIUM, FAILURE),
    "ImageGCFailed": Profile(_C.DISK, _S.MEDIUM, FAILURE),
    "FailedCreate": Profile(_C.CONFIGURATION, _S.HIGH, FAILURE),
    # The kubelet refusing a pod whose spec sets a sysctl it does not allow (an unsafe one
    # not in --allowed-unsafe-sysctls): the pod spec is wrong, not anyone's rights.
    "SysctlForbidden": Profile(_C.CONFIGURATION, _S.HIGH, FAILURE),
    # The cloud refusing a LoadBalancer Service's balancer or address: the Service gets no
    # external address, so whatever reaches it from outside (and its DNS record) is gone.
    "SyncLoadBalancerFailed": Profile(_C.CONFIGURATION, _S.HIGH, FAILURE),
    # The AWS Load Balancer Controller failing to build or apply an Ingress's, Service's or
    # TargetGroupBinding's balancer: targets stop being registered, the balancer goes stale.
    "FailedDeployModel": Profile(_C.CONFIGURATION, _S.HIGH, FAILURE),
    "FailedBuildModel": Profile(_C.CONFIGURATION, _S.HIGH, FAILURE),
    "FailedPostStartHook": Profile(_C.CONFIGURATION, _S.MEDIUM, FAILURE),
    "FailedPreStopHook": Profile(_C.CONFIGURATION, _S.LOW, SYMPTOM),
    "BackoffLimitExceeded": Profile(_C.CODE_ERROR, _S.HIGH, CONSEQUENCE),
    # A Job ran past the activeDeadlineSeconds its spec sets: that limit cut it off.
    "DeadlineExceeded": Profile(_C.CONFIGURATION, _S.HIGH, CONSEQUENCE),
    "ProgressDeadlineExceeded": Profile(_C.DEPLOYMENT, _S.HIGH, CONSEQUENCE),
    "MinimumReplicasUnavailable": Profile(_C.DEPLOYMENT, _S.MEDIUM, CONSEQUENCE),
    "Rebooted": Profile(_C.HARDWARE, _S.MEDIUM, FAILURE),
    "DNSConfigForming": Profile(_C.DNS, _S.LOW, SYMPTOM),
    "ContainerStatusUnknown": Profile(_C.UNKNOWN, _S.MEDIUM, CONSEQUENCE),
    # Added by the engine: a Service that reaches no pod, and why.
    "SelectorMismatch": Profile(_C.CONFIGURATION, _S.HIGH, CAUSE),
    "TargetPortMismatch": Profile(_C.CONFIGURATION, _S.HIGH, CAUSE),
    "TLSSecretNotFound": Profile(_C.TLS, _S.HIGH, CAUSE),
    "NoEndpoints": Profile(_C.CONFIGURATION, _S.MEDIUM, SYMPTOM),
    "NetworkPolicyIsolation": Profile(_C.NETWORK, _S.HIGH, CAUSE),
    "BackendServiceNotFound": Profile(_C.CONFIGURATION, _S.HIGH, CAUSE),
    # Old kubectl prints kube-system's `default-http-backend:80` for an Ingress without a
    # default backend of its own; it only serves requests no rule matches.
    "DefaultBackendNotFound": Profile(_C.CONFIGURATION, _S.LOW, SYMPTOM),
    "Forbidden": Profile(_C.PERMISSION, _S.HIGH, CAUSE),
    # Added by the engine: a Deployment scaled down behind its autoscaler's back.
    "ReplicasOverridden": Profile(_C.DEPLOYMENT, _S.HIGH, CAUSE),
}
_UNLISTED = Profile(_C.UNKNOWN, _S.MEDIUM, SYMPTOM)

# Normal-type events that still report trouble.
NOTEWORTHY_NORMAL = frozenset(
    {"NodeNotReady", "NodeHasInsufficientMemory", "NodeHasDiskPressure",
     "NodeHasInsufficientPID", "Preempted", "TaintManagerEviction", "Evicted"}
)  # fmt: skip
_NODE_EVENTS = {
    "NodeHasInsufficientMemory": "MemoryPressure",
    "NodeHasDiskPressure": "DiskPressure",
    "NodeHasInsufficientPID": "PIDPressure",
}
_CONTAINER_ERRORS = frozenset(
    {"ImagePullBackOff", "ErrImagePull", "InvalidImageName", "ErrImageNeverPull",
     "CreateContainerConfigError", "CreateContainerError", "RunContainerError"}
)  # fmt: skip
# Reasons about the whole pod, never one of its containers.
POD_LEVEL = frozenset(
    {"FailedScheduling", "Evicted", "Preempted", "TaintManagerEviction", "NodeNotReady",
     "NetworkNotReady", "FailedCreatePodSandBox", "FailedMount", "FailedAttachVolume",
     "OutOfmemory", "OutOfcpu", "NotTriggerScaleUp", "SysctlForbidden"}
)  # fmt: skip
BENIGN_WAITING = frozenset({"ContainerCreating", "PodInitializing"})
BENIGN_POD_STATUSES = frozenset(
    {"Running", "Completed", "Succeeded", "ContainerCreating", "PodInitializing", "Terminating"}
)  # fmt: skip

_MISSING = (
    (re.compile(r'secrets? "([^"]+)" not found'), "SecretNotFound", "secret"),
    (re.compile(r'configmaps? "([^"]+)" not found'), "ConfigMapNotFound", "configmap"),
    (re.compile(r"couldn't find key (\S+) in Secret (\S+)"), "SecretKeyNotFound", "secret"),
    (
        re.compile(r"couldn't find key (\S+) in ConfigMap (\S+)"),
        "ConfigMapKeyNotFound",
        "configmap",
    ),
    (
        re.compile(r'persistentvolumeclaims? "([^"]+)" not found'),
        "PersistentVolumeClaimNotFound",
        "persistentvolumeclaim",
    ),
    (
        re.compile(r'serviceaccounts? "([^"]+)" not found'),
        "ServiceAccountNotFound",
        "serviceaccount",
    ),
)
# The ResourceQuota admission plugin: `exceeded quota: <name>, requested: ...` caps what a
# namespace may run (capacity, so scheduling); `failed quota: <name>: must specify limits.cpu`
# refuses a pod whose spec lacks what the quota needs (configuration).
_QUOTA_EXCEEDED = re.compile(r"exceeded quota: ")
_QUOTA_UNSPECIFIED = re.compile(r"failed quota: \S+ must specify")
_POD_SECURITY = re.compile(r"violates PodSecurity|security context constraint")
# Admission refusing a pod that names something the cluster lacks (`is forbidden: no
# PriorityClass with name tier1-serving was found`): the spec is wrong, not the caller's rights.
_NAMED_MISSING = re.compile(r"\bno [A-Z]\w+ with name \S+ was found")
_BY_MESSAGE = (
    (_QUOTA_UNSPECIFIED, _C.CONFIGURATION),
    (_QUOTA_EXCEEDED, _C.SCHEDULING),
    (re.compile(r"(?i)toomanyrequests|\b429\b|rate limit"), _C.RATE_LIMIT),
    (
        re.compile(
            r"(?i)unauthorized|authentication required|no basic auth|\b40[13]\b|forbidden"
            r"|AccessDenied|is not authorized to perform"
        ),
        _C.PERMISSION,
    ),
    (re.compile(r"(?i)no such host|server misbehaving|\blookup \S+ on\b"), _C.DNS),
    (re.compile(r"(?i)no space left on device|disk quota"), _C.DISK),
    (re.compile(r"(?i)x509|certificate"), _C.TLS),
    (
        re.compile(
            r"(?i)i/o timeout|connection (?:refused|reset)|network is unreachable"
            r"|handshake timeout"
        ),
        _C.NETWORK,
    ),
)  # fmt: skip
_MISSING_STORAGE_CLASS = re.compile(
    r'storageclass(?:\.storage\.k8s\.io)? "[^"]*" not found|no volume plugin matched'
)
# A process that exits because a setting it needs is absent: an env var or a file.
_MISSING_SETTING = re.compile(
    r"(?i)\benv(?:ironment)?[ _-]?var(?:iable)?s?\b[^\n]{0,80}?"
    r"\b(?:is not set|not set|is missing|missing|is required|required|undefined|empty)\b"
    r"|\b(?:missing|required|undefined)\b[^\n]{0,20}?\benv(?:ironment)?[ _-]?var"
    r"|\bKeyError: '[A-Z][A-Z0-9_]{2,}'|No such file or directory|\bENOENT\b|FileNotFoundError"
)
# The API server refusing a service account: `User "system:serviceaccount:shop:web" cannot
# list resource "pods" in API group "" in the namespace "shop"`.
_RBAC_DENIED = re.compile(
    r'User "system:serviceaccount:([\w.-]+):([\w.-]+)" cannot ([\w-]+) resource "([\w.-]+)"'
)
# What a failed image pull says went wrong, in the words of containerd, CRI-O and Docker.
_PULL_ERRORS = (
    (re.compile(r"(?i)toomanyrequests|rate limit"), "registry rate limit"),
    (
        re.compile(
            r"(?i)unauthorized|pull access denied|authentication required|no basic auth"
            r"|failed to authorize|\b403 forbidden|access to the resource is denied"
        ),
        "registry credentials",
    ),
    (re.compile(r"(?i)manifest unknown|\bnot found\b|NotFound|name unknown"), "image not found"),
    (
        re.compile(
            r"(?i)i/o timeout|no such host|connection refused|network is unreachable"
            r"|handshake timeout|context deadline exceeded"
        ),
        "registry unreachable",
    ),
)
_PULL_REASONS = frozenset({"ErrImagePull", "ImagePullBackOff"})
_LOW_RESOURCE = re.compile(r"low on resource: ([\w.-]+)")
_PROBE = re.compile(r"^(Liveness|Readiness|Startup) probe (?:failed|errored)")
# The kubelet's `Killing` event when it restarts a container for a probe.
_PROBE_KILL = re.compile(r"failed (liveness|startup) probe, will be restarted")


def profile(reason: str) -> Profile:
    """Return the defaults of a reason; an unlisted one is an unknown, medium symptom."""
    return _PROFILES.get(reason, _UNLISTED)


def category_of(reason: str, message: str | None) -> Category:
    """Name the category a reason points to, refined by its message where more specific."""
    default = profile(reason).category
    text = message or ""
    if _RBAC_DENIED.search(text):
        return _C.PERMISSION
    refine = _REFINERS.get(reason)
    if refine is not None:
        return refine(text, default)
    if default is _C.UNKNOWN:
        return _by_message(text) or default
    return default


def _image_pull(text: str, default: Category) -> Category:
    # A registry refusing credentials is still a failed image pull: a deployment problem.
    refined = _by_message(text)
    return default if refined in (None, _C.PERMISSION) else refined


def _failed_create(text: str, default: Category) -> Category:
    # Pod Security admission forbids what a pod may do, as RBAC forbids what a user may.
    if _POD_SECURITY.search(text):
        return _C.PERMISSION
    if "not found" in text or _NAMED_MISSING.search(text):
        return _C.CONFIGURATION
    return _by_message(text) or default


def _provisioning(text: str, default: Category) -> Category:
    if _MISSING_STORAGE_CLASS.search(text):
        return _C.CONFIGURATION
    return _by_message(text) or default


def _volume(text: str, default: Category) -> Category:
    if "not found" in text:
        return _C.CONFIGURATION
    if re.search(r"(?i)timed out|timeout|multi-attach", text):
        return _C.DISK
    return _by_message(text) or default


def _eviction_threshold(text: str, default: Category) -> Category:
    if re.search(r"ephemeral-storage|nodefs|imagefs", text):
        return profile("DiskPressure").category
    return default


# The kubelet evicting a pod for its own use past its limits, not for the node's pressure:
# `Pod ephemeral local storage usage exceeds the total limit of containers 2Gi.`,
# `Container x exceeded its local ephemeral storage limit "1Gi".`, an emptyDir over its size.
OWN_STORAGE_EVICTION = re.compile(
    r"(?i)ephemeral local storage usage exceeds|exceeded its local ephemeral storage limit"
    r"|EmptyDir volume \S+ exceeds the limit"
)


def _eviction(text: str, default: Category) -> Category:
    return _C.DISK if OWN_STORAGE_EVICTION.search(text) else default


def _missing_program(text: str, default: Category) -> Category:
    # A command or hook naming a program the image lacks (`/bin/sh` in a distroless image).
    return _C.DEPLOYMENT if _MISSING_EXECUTABLE.search(text) else default


# A cloud account at a quota (`PublicIPCountLimitReached`, `QuotaExceeded`, `LimitExceeded`).
_QUOTA = re.compile(r"(?i)quota|LimitReached|LimitExceeded|limit exceeded")


def _load_balancer(text: str, default: Category) -> Category:
    return _C.RATE_LIMIT if _QUOTA.search(text) else _by_message(text) or default


def _any_message(text: str, default: Category) -> Category:
    return _by_message(text) or default


_REFINERS: dict[str, Callable[[str, Category], Category]] = {
    "ErrImagePull": _image_pull,
    "ImagePullBackOff": _image_pull,
    "FailedCreate": _failed_create,
    "FailedCreatePodSandBox": _any_message,
    "SyncLoadBalancerFailed": _load_balancer,
    "FailedDeployModel": _any_message,
    "FailedBuildModel": _any_message,
    "ProvisioningFailed": _provisioning,
    "FailedMount": _volume,
    "FailedAttachVolume": _volume,
    "EvictionThresholdMet": _eviction_threshold,
    "Evicted": _eviction,
    "StartError": _missing_program,
    "FailedPreStopHook": _missing_program,
    "FailedPostStartHook": _missing_program,
}


def _by_message(text: str) -> Category | None:
    for pattern, category in _BY_MESSAGE:
        if pattern.search(text):
            return category
    return None


# A container's command (or hook) naming a program its image does not hold: the image
# shipped without it, or moved it, so the release is at fault rather than the pod spec.
_MISSING_EXECUTABLE = re.compile(
    r"executable file not found"
    r"|exec: \\?\"?[^\"\s\\]+\\?\"?: stat [^:]+: no such file or directory"
)


def termination_category(
    reason: str | None, exit_code: int | None, message: str | None
) -> Category:
    """Name what a container's exit points to: OOM, bad command or image, killed, own bug."""
    text = message or ""
    if reason == "OOMKilled":
        return _C.MEMORY
    if "exec format error" in text:
        return _C.DEPLOYMENT
    if _MISSING_EXECUTABLE.search(text):
        return _C.DEPLOYMENT  # the image lacks the program the pod's command runs
    if reason in ("StartError", "ContainerCannotRun") or exit_code in (126, 127):
        return _C.CONFIGURATION
    if exit_code in (137, 143):
        return _C.UNKNOWN
    if _RBAC_DENIED.search(text):
        return _C.PERMISSION
    if _MISSING_SETTING.search(text):
        return _C.CONFIGURATION
    return _C.CODE_ERROR


# `Multi-Attach error ... Volume is already used by pod(s) web-5b7f9c8d64-qz2xw`: a pod of a
# Deployment (ReplicaSet hash, pod suffix) holds the volume; a dead node's volume says
# "exclusively attached to one node" instead.
_USED_BY_DEPLOYMENT_POD = re.compile(
    r"Multi-Attach error .* already used by pod\(s\) [a-z0-9-]+-[a-z0-9]{8,10}-[a-z0-9]{5}\b"
)
# An autoscaler's utilisation target over a container that requests none of the resource.
_MISSING_REQUEST = re.compile(r"\bmissing request for (?:cpu|memory)\b")


def event_reason(reason: str, message: str) -> str:
    """Name an event by what it reports: kubelet's `BackOff`/`Failed` cover several failures."""
    if reason == "BackOff":
        if "restarting failed container" in message:
            return "CrashLoopBackOff"
        if "pulling image" in message:
            return "ImagePullBackOff"
    if reason == "Failed":
        plain = re.fullmatch(r"Error: (\w+)", message.strip())
        if plain and plain.group(1) in _CONTAINER_ERRORS:
            return plain.group(1)
        if message.startswith("Failed to pull image"):
            return "ErrImagePull"
        if message.startswith("Error:") and missing_reference(message):
            return "CreateContainerConfigError"
        if message.startswith(("Error: failed to start container", "Error: failed to create")):
            return "RunContainerError"
    if reason == "Killing" and _PROBE_KILL.search(message):
        return "Unhealthy"  # the restart a failing probe causes: one report with the failure
    named = _attach_reason(autoscaler_reason(reason, message), message)
    return _NODE_EVENTS.get(named, named)


def autoscaler_reason(reason: str, message: str) -> str:
    """Name an autoscaler's metric failure by its cause when the message states one."""
    if reason == "FailedGetResourceMetric" and _MISSING_REQUEST.search(message):
        return "MissingResourceRequest"
    return reason


def _attach_reason(reason: str, message: str) -> str:
    """Name a volume held by another Deployment pod apart from an attach that failed."""
    if reason == "FailedAttachVolume" and _USED_BY_DEPLOYMENT_POD.search(message):
        return "MultiAttachByAnotherPod"
    return reason


def missing_reference(message: str | None) -> tuple[str, dict[str, str]] | None:
    """Find a missing Secret, ConfigMap, key, claim or account a message names."""
    if not message:
        return None
    for pattern, reason, noun in _MISSING:
        match = pattern.search(message)
        if match is None:
            continue
        if len(match.groups()) == 2:
            return reason, {noun: match.group(2), "key": match.group(1)}
        return reason, {noun: match.group(1)}
    return None


def rbac_denial(message: str | None) -> dict[str, str] | None:
    """Find the service account, verb and resource an RBAC refusal in a message names."""
    match = _RBAC_DENIED.search(message or "")
    if match is None:
        return None
    namespace, account, verb, resource = match.groups()
    return {"service account": f"{namespace}/{account}", "verb": verb, "resource": resource}


def pull_error(reason: str, message: str | None) -> str | None:
    """Say why an image pull failed: image not found, registry credentials, unreachable."""
    if reason not in _PULL_REASONS or not message:
        return None
    return next((what for pattern, what in _PULL_ERRORS if pattern.search(message)), None)


def probe_kind(message: str | None) -> str | None:
    """Tell which probe a failure message is about: `liveness`, `readiness` or `startup`."""
    match = _PROBE.match(message or "") or _PROBE_KILL.search(message or "")
    return match.group(1).lower() if match else None


def low_resource(message: str | None) -> str | None:
    """Find the resource an eviction message says the node ran low on (`ephemeral-storage`)."""
    match = _LOW_RESOURCE.search(message or "")
    return match.group(1).rstrip(".") if match else None
