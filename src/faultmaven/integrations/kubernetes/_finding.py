"""Build one finding from what a reader established about an object."""

from typing import Any

from faultmaven.domain.diagnosis import Category
from faultmaven.domain.kubernetes import FindingSeverity, KubernetesFinding, LineSpan
from faultmaven.integrations.kubernetes._facts import EventFacts, ObjectFacts
from faultmaven.integrations.kubernetes._reasons import (
    category_of,
    missing_reference,
    profile,
    pull_error,
    rbac_denial,
)
from faultmaven.integrations.kubernetes._text import merge_spans


def new_finding(
    identity: ObjectFacts,
    reason: str,
    lines: list[LineSpan],
    *,
    message: str | None = None,
    category: Category | None = None,
    severity: FindingSeverity | None = None,
    **fields: Any,
) -> KubernetesFinding:
    """Build a finding about `identity`, category and severity defaulting from the reason."""
    cause = pull_error(reason, message)
    if cause is not None:
        fields["details"] = {"pull error": cause, **fields.get("details", {})}
    return KubernetesFinding(
        kind=identity.kind,
        namespace=identity.namespace,
        name=identity.name,
        workload=identity.workload,
        node=identity.node,
        reason=reason,
        category=category or category_of(reason, message),
        severity=severity or profile(reason).severity,
        message=message or None,
        lines=merge_spans(lines),
        **fields,
    )


def missing_findings(
    identity: ObjectFacts, message: str | None, lines: list[LineSpan], **fields: Any
) -> list[KubernetesFinding]:
    """Report the Secret, ConfigMap or key a message says is missing, if it says so."""
    missing = missing_reference(message)
    if missing is None or not lines:
        return []
    reason, details = missing
    details = {**fields.pop("details", {}), **details}
    return [new_finding(identity, reason, lines, message=message, details=details, **fields)]


def forbidden_findings(
    identity: ObjectFacts, message: str | None, lines: list[LineSpan], **fields: Any
) -> list[KubernetesFinding]:
    """Report the service account RBAC refuses, with what it may not do, if a message says so."""
    denial = rbac_denial(message)
    if denial is None or not lines:
        return []
    details = {**fields.pop("details", {}), **denial}
    return [new_finding(identity, "Forbidden", lines, message=message, details=details, **fields)]


def event_timing(event: EventFacts) -> dict[str, Any]:
    """Return the count and first/last times (or printed ages) an event gives its finding."""
    return {
        "count": event.count,
        "first_seen": event.first_seen,
        "last_seen": event.last_seen,
        "first_seen_age": event.first_seen_age,
        "last_seen_age": event.last_seen_age,
    }
