"""Events the kubelet stopped repeating: a failure last seen long before the listing's newest.

The kubelet refreshes a persisting problem's event (`BackOff`, `Unhealthy`, `FailedMount`
...) every few seconds to minutes, so its LAST SEEN stays young while the problem lasts. An
event of that kind last seen 2h45m ago, in a listing whose newest event is seconds old, is
an episode that ended: background to the incident asked about, like a replaced pod.
"""

import re
from collections.abc import Iterable, Sequence
from datetime import timedelta

from faultmaven.domain.kubernetes import FindingSeverity, KubernetesFinding
from faultmaven.integrations.kubernetes._facts import EventFacts, Facts

# A refreshed event this much older than the listing's newest has stopped being refreshed.
STALE_GAP = timedelta(minutes=30)
STALE = "last seen"
# Reasons the kubelet and scheduler repeat for as long as the problem lasts.
_REFRESHED_REASONS = frozenset(
    {"BackOff", "CrashLoopBackOff", "Unhealthy", "FailedMount", "FailedAttachVolume",
     "FailedScheduling", "FailedCreatePodSandBox", "ErrImagePull", "ImagePullBackOff", "Failed"}
)  # fmt: skip
_AGE = re.compile(r"^(?:(\d+)y)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")
_UNIT_SECONDS = (365 * 86400, 86400, 3600, 60, 1)


def event_age(text: str | None) -> timedelta | None:
    """Read a kubectl age (`2h45m`, `3m2s`, `4d`); None for anything else (`<unknown>`)."""
    found = _AGE.match((text or "").strip())
    if found is None or not any(found.groups()):
        return None
    return timedelta(
        seconds=sum(
            int(part or 0) * unit for part, unit in zip(found.groups(), _UNIT_SECONDS, strict=True)
        )
    )


def newest_event_age(facts: Iterable[Facts]) -> timedelta | None:
    """Return the age of the most recently seen event among the facts (any type or reason)."""
    ages = [
        age
        for fact in facts
        if isinstance(fact, EventFacts)
        and (age := event_age(fact.last_seen_age or fact.first_seen_age)) is not None
    ]
    return min(ages, default=None)


def with_stale_events(
    findings: Sequence[KubernetesFinding], newest: timedelta | None
) -> list[KubernetesFinding]:
    """Lower refreshed-event failures last seen over STALE_GAP before the newest event."""
    if newest is None:
        return list(findings)
    return [_stale(finding) if _is_stale(finding, newest) else finding for finding in findings]


def _is_stale(finding: KubernetesFinding, newest: timedelta) -> bool:
    if finding.reason not in _REFRESHED_REASONS:
        return False
    age = event_age(finding.last_seen_age)
    return age is not None and age - newest >= STALE_GAP


def _stale(finding: KubernetesFinding) -> KubernetesFinding:
    return finding.model_copy(
        update={
            "severity": FindingSeverity.LOW,
            "details": {**finding.details, STALE: f"{finding.last_seen_age} ago"},
        }
    )
