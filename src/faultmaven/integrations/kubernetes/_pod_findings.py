"""Findings about pods: pod-level reasons, unschedulable pods, container states, table rows."""

import re
from typing import Any

from faultmaven.domain.diagnosis import Category
from faultmaven.domain.kubernetes import KubernetesFinding
from faultmaven.integrations.kubernetes._facts import (
    ContainerFacts,
    ObjectFacts,
    PodFacts,
    PodRowFacts,
    Termination,
)
from faultmaven.integrations.kubernetes._finding import (
    forbidden_findings,
    missing_findings,
    new_finding,
)
from faultmaven.integrations.kubernetes._reasons import (
    BENIGN_POD_STATUSES,
    BENIGN_WAITING,
    low_resource,
    termination_category,
)
from faultmaven.integrations.kubernetes._resources import pod_totals

_INIT_PROGRESS = re.compile(r"Init:\d+/\d+$")
POD_RESOURCES = frozenset({"FailedScheduling", "Evicted", "OutOfmemory", "OutOfcpu"})


def pod_findings(pod: PodFacts) -> list[KubernetesFinding]:
    """Report a pod's own reason (Evicted), whether it is unschedulable, and its containers."""
    identity = pod.identity
    requests, limits = pod_totals(pod.containers)
    found: list[KubernetesFinding] = []
    if pod.reason and pod.status_lines:
        resource = low_resource(pod.message)
        found.append(
            new_finding(
                identity, pod.reason, pod.status_lines, message=pod.message,
                details={"resource": resource} if resource else {},
                requests=requests if pod.reason in POD_RESOURCES else {},
                limits=limits if pod.reason in POD_RESOURCES else {},
            )
        )  # fmt: skip
    for condition in pod.conditions:
        unschedulable = condition.reason in (None, "Unschedulable")
        if condition.type == "PodScheduled" and condition.status == "False" and unschedulable:
            found.append(
                new_finding(
                    identity, "FailedScheduling", condition.lines, message=condition.message,
                    first_seen=condition.since, requests=requests, limits=limits,
                )
            )  # fmt: skip
    for container in pod.containers:
        found += _container(identity, container)
    return found


def _clean_exit(termination: Termination) -> bool:
    return termination.exit_code in (0, None) and termination.reason in (None, "Completed")


def _container(identity: ObjectFacts, container: ContainerFacts) -> list[KubernetesFinding]:
    """Report how a container ended (OOMKilled, Error) and what it waits on (back-offs)."""
    latest = container.terminated or container.last_terminated
    crashing = container.waiting_reason == "CrashLoopBackOff"
    common: dict[str, Any] = {
        "container": container.name,
        "restart_count": container.restart_count,
    }
    if container.init:
        common["details"] = {"init container": "true"}
    found: list[KubernetesFinding] = []
    for ended in (container.terminated, container.last_terminated):
        if ended is None or _clean_exit(ended) or not ended.lines:
            continue
        found += forbidden_findings(identity, ended.message, ended.lines, **common)
        if crashing and ended is latest and ended.reason in (None, "Error"):
            continue  # the CrashLoopBackOff finding carries this exit
        reason = ended.reason or "Error"
        memory = reason == "OOMKilled"
        found.append(
            new_finding(
                identity, reason, ended.lines, message=ended.message, exit_code=ended.exit_code,
                category=termination_category(reason, ended.exit_code, ended.message),
                last_seen=ended.finished,
                requests=dict(container.requests) if memory else {},
                limits=dict(container.limits) if memory else {},
                **common,
            )
        )  # fmt: skip
    waiting = container.waiting_reason
    if waiting and waiting not in BENIGN_WAITING and container.waiting_lines:
        found += _waiting(identity, container, latest if crashing else None, common)
    return found


def _waiting(
    identity: ObjectFacts,
    container: ContainerFacts,
    crashed: Termination | None,
    common: dict[str, Any],
) -> list[KubernetesFinding]:
    reason = container.waiting_reason or ""
    message = container.waiting_message
    lines = list(container.waiting_lines)
    exit_code: int | None = None
    category: Category | None = None
    if crashed is not None:
        exit_code = crashed.exit_code
        category = termination_category(crashed.reason, crashed.exit_code, crashed.message)
        if crashed.reason in (None, "Error"):
            lines += crashed.lines
            message = message or crashed.message
    found = [
        new_finding(
            identity, reason, lines, message=message, exit_code=exit_code, category=category,
            **common,
        )
    ]  # fmt: skip
    found += missing_findings(
        identity, container.waiting_message, container.waiting_lines, **common
    )
    return found


def pod_row_findings(row: PodRowFacts) -> list[KubernetesFinding]:
    """Report the STATUS of a `kubectl get pods` row when it is not a healthy one."""
    status = row.status
    if not status or status in BENIGN_POD_STATUSES or _INIT_PROGRESS.match(status):
        return []
    reason = status.removeprefix("Init:")
    category = None
    if reason in ("OOMKilled", "Error", "StartError", "ContainerCannotRun"):
        category = termination_category(reason, None, None)
    details = {"ready": row.ready} if row.ready else {}
    if status.startswith("Init:"):
        details["init container"] = "true"
    return [
        new_finding(
            row.identity, reason, row.lines, category=category,
            restart_count=row.restart_count, details=details,
        )
    ]  # fmt: skip
