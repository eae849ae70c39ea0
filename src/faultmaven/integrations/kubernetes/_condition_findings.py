"""Findings from status conditions: node pressure and readiness, controller failures."""

import re
from typing import Any

from faultmaven.domain.kubernetes import CORDONED, KubernetesFinding
from faultmaven.integrations.kubernetes._facts import ConditionFacts, ControllerFacts, NodeFacts
from faultmaven.integrations.kubernetes._finding import new_finding
from faultmaven.integrations.kubernetes._reasons import autoscaler_reason

_NETWORK_NOT_READY = re.compile(r"(?i)NetworkReady=false|network plugin|\bcni\b")
_NODE_TROUBLE = frozenset({"MemoryPressure", "DiskPressure", "PIDPressure", "NetworkUnavailable"})
_PRESSURE_RESOURCE = {"MemoryPressure": "memory", "DiskPressure": "ephemeral-storage"}
_CORDON_MESSAGE = "cordoned (SchedulingDisabled): the scheduler places no new pod on it"


def node_findings(node: NodeFacts) -> list[KubernetesFinding]:
    """Report pressure, a network that is down, readiness lost, and a cordon, from a node."""
    identity = node.identity
    found: list[KubernetesFinding] = []
    for condition in node.conditions:
        # A pressure still reported True was last confirmed at the latest heartbeat.
        confirmed = condition.status == "True" and condition.type != "Ready"
        timing: dict[str, Any] = {
            "first_seen": condition.since,
            "last_seen": condition.checked if confirmed else None,
        }
        details = {"condition": f"{condition.type}={condition.status}"}
        if condition.reason:
            details["condition reason"] = condition.reason
        resource = _PRESSURE_RESOURCE.get(condition.type)
        if condition.type in _NODE_TROUBLE:
            if condition.status != "True":
                continue
            found.append(
                new_finding(
                    identity, condition.type, condition.lines, message=condition.message,
                    details=details, **timing, **_allocated(node, resource),
                )
            )  # fmt: skip
        elif condition.type == "Ready" and condition.status != "True":
            if _NETWORK_NOT_READY.search(condition.message or ""):
                found.append(
                    new_finding(
                        identity, "NetworkNotReady", condition.lines, message=condition.message,
                        details=details, **timing,
                    )
                )  # fmt: skip
            found.append(
                new_finding(
                    identity, "NodeNotReady", condition.lines, message=condition.message,
                    details=details, **timing,
                )
            )  # fmt: skip
    if node.cordon_lines:
        found.append(new_finding(identity, CORDONED, node.cordon_lines, message=_CORDON_MESSAGE))
    return found


def _allocated(node: NodeFacts, resource: str | None) -> dict[str, Any]:
    if resource is None:
        return {}
    requests = {k: v for k, v in node.allocated_requests.items() if k == resource}
    limits = {k: v for k, v in node.allocated_limits.items() if k == resource}
    return {"requests": requests, "limits": limits}


_CONTROLLER_CONDITIONS = {
    ("Failed", "True"): "Failed",
    ("Progressing", "False"): "ProgressDeadlineExceeded",
    ("Progressing", "Unknown"): "DeploymentPaused",
    ("Available", "False"): "MinimumReplicasUnavailable",
    ("ReplicaFailure", "True"): "FailedCreate",
    ("AbleToScale", "False"): "FailedGetScale",
    ("ScalingActive", "False"): "FailedGetResourceMetric",
    ("ScalingLimited", "True"): "ScaleUpLimit",
}
_AUTOSCALER_CONDITIONS = frozenset({"AbleToScale", "ScalingActive"})


def _reports_trouble(kind: str, condition: ConditionFacts) -> bool:
    """Whether a controller's condition is trouble: `Failed` for Jobs, metrics for autoscalers.

    An autoscaler also reports `ScalingActive False ScalingDisabled` for a target scaled to
    zero on purpose: only a failure to read the scale or a metric counts. A rollout whose
    progress is unknown counts only when it is paused: nothing it is given rolls out.
    """
    if condition.type == "Failed":
        return kind == "Job"
    if condition.status == "Unknown":
        return condition.reason == "DeploymentPaused"
    if condition.type == "ScalingLimited":
        # Held back by its own scale-up policy; at maxReplicas (TooManyReplicas) is routine.
        return kind == "HorizontalPodAutoscaler" and condition.reason == "ScaleUpLimit"
    if condition.type in _AUTOSCALER_CONDITIONS:
        return kind == "HorizontalPodAutoscaler" and (condition.reason or "").startswith(
            "FailedGet"
        )
    return True


def controller_findings(controller: ControllerFacts) -> list[KubernetesFinding]:
    """Report a failed Job, a stalled rollout or refused pod creation from conditions."""
    found: list[KubernetesFinding] = []
    for condition in controller.conditions:
        default = _CONTROLLER_CONDITIONS.get((condition.type, condition.status))
        if default is None or not _reports_trouble(controller.identity.kind, condition):
            continue
        found.append(
            new_finding(
                controller.identity,
                autoscaler_reason(condition.reason or default, condition.message or ""),
                condition.lines,
                message=condition.message, first_seen=condition.since,
                details=dict(controller.details),
            )
        )  # fmt: skip
    return found
