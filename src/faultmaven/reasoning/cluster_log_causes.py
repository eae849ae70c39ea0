"""Why a workload or node fails, in its own logs: Kubernetes says what failed, logs say why.

A CronJob hitting its backoff limit, a container crash-looping, a probe failing, a node
NotReady: each is a symptom Kubernetes reports. When the workload's own log (or the
node's) shows a specific cause, the finding takes it: the log's category, its lines, and
both sources agreeing.
"""

from collections.abc import Sequence

from faultmaven.domain.diagnosis import Category, Hypothesis
from faultmaven.domain.kubernetes import KubernetesFinding
from faultmaven.reasoning.candidates import MAX_CONFIDENCE, PROMOTION

# Categories that say only that something failed, not why.
_GENERIC = frozenset({Category.CODE_ERROR, Category.UNKNOWN})
# Kubernetes' reason for a failing liveness, readiness or startup probe. A probe failing
# because the pod cannot reach another service is the probe coupling the two, not a reason.
_PROBE_FAILED = "Unhealthy"
_UNREACHABLE = frozenset({Category.DEPENDENCY, Category.NETWORK})
# Kubernetes' reason for a node whose kubelet stopped reporting, and what only restates it.
_NODE_NOT_READY = "NodeNotReady"
_NOT_WHY_A_NODE_FAILS = _UNREACHABLE | {Category.SCHEDULING}


def logs_say_why(
    logged: Sequence[Hypothesis],
    cluster: Sequence[Hypothesis],
    reported: dict[str, list[KubernetesFinding]],
) -> tuple[list[Hypothesis], list[Hypothesis]]:
    """Name a workload's generic failure after the specific cause its own log shows.

    Kubernetes says a CronJob's Jobs hit their backoff limit (or a container keeps
    crashing); the job's log says why: 403 Forbidden from the API server. The finding takes
    the log's category and cites its lines, and the log hypothesis joins it. A failing
    probe says no more than a crash: when the very pod's own log shows a specific cause
    (a setting missing since start-up; not an unreachable dependency, which the probe only
    couples the pod to), both sources report one failure, which gains `PROMOTION` for
    their agreement. Callers' refused or timed-out calls placed at the workload are not
    its log saying why. A node NotReady takes the node's own specific failure
    (`_node_says_why`). `reported` holds the findings behind each hypothesis.
    """
    specific = sorted(
        (hypothesis for hypothesis in logged if hypothesis.category not in _GENERIC),
        key=lambda hypothesis: -hypothesis.confidence,
    )
    # Callers failing to reach a crashing workload say it is down, not why it crashes; a
    # log naming no service (`kubectl logs --previous` saved as is) is the one crasher's.
    own_kind = [h for h in specific if h.category not in _UNREACHABLE]
    crashers = {f.component for f in cluster if f.category in _GENERIC and f.component}
    joined: set[str] = set()
    explained: list[Hypothesis] = []
    for finding in cluster:
        reason = None
        findings = reported.get(finding.id, [])
        pods = {f.name for f in findings if f.kind == "Pod"}
        own_log = [h for h in specific if h.id not in joined and _cites_any(h, pods)]
        if finding.category in _GENERIC and finding.component:
            names = {finding.component, None} if len(crashers) == 1 else {finding.component}
            same = (h for h in own_kind if h.component in names and h.id not in joined)
            reason = next(iter(own_log), None) or next(same, None)
        elif any(f.reason == _PROBE_FAILED for f in findings):
            reason = next((h for h in own_log if h.category not in _UNREACHABLE), None)
        elif any(f.kind == "Node" and f.reason == _NODE_NOT_READY for f in findings):
            reason = _node_says_why(finding, own_kind, joined)
        if reason is None:
            explained.append(finding)
            continue
        joined.add(reason.id)
        agreement = PROMOTION if reason in own_log else 0.0
        explained.append(
            finding.model_copy(
                update={
                    "category": reason.category,
                    "title": f"{reason.title} ({finding.title})",
                    "statement": f"{finding.statement} Its log says why: {reason.statement}",
                    "confidence": min(
                        MAX_CONFIDENCE, max(finding.confidence, reason.confidence) + agreement
                    ),
                    "citations": [*reason.citations[:2], *finding.citations][:5],
                }
            )
        )
    return [hypothesis for hypothesis in logged if hypothesis.id not in joined], explained


def _node_says_why(
    node: Hypothesis, specific: Sequence[Hypothesis], joined: set[str]
) -> Hypothesis | None:
    """Return the node's own specific failure (its certificate, clock, disk), if its logs show one.

    A node NotReady is a symptom: the kubelet stopped reporting. Its client certificate
    expiring, its disk filling or its clock jumping is why.
    """
    return next(
        (
            h
            for h in specific
            if h.component == node.component
            and h.category not in _NOT_WHY_A_NODE_FAILS
            and h.id not in joined
        ),
        None,
    )


def _cites_any(hypothesis: Hypothesis, pods: set[str]) -> bool:
    """Tell whether a log hypothesis cites the log of one of these pods."""
    return any(pod in c.evidence_name for c in hypothesis.citations for pod in pods)
