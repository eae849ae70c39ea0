"""Which changes to suspect: those trouble follows, with what they typically cause.

A release, a migration, a restart on a new version or a heavy job is suspected only when
new trouble begins soon after it; failures of the kind it typically causes are then its
consequences, and the steps a release log records are part of that release.
"""

import re
from collections.abc import Mapping
from datetime import datetime, timedelta

from faultmaven.domain.diagnosis import Category
from faultmaven.domain.evidence import Level
from faultmaven.reasoning.candidates import Candidate
from faultmaven.reasoning.changes import (
    ADOPTS_CATEGORY,
    ADOPTS_FROM,
    CHANGE_WINDOW,
    EXPLAINS,
    EXPLAINS_NAMING,
    MAX_CHANGE_LINES,
)

# A log that carries on this long after a stop shows a restart, not a service gone.
RESTART_GAP = timedelta(minutes=2)
# What depends on a stopped service fails at once, not a quarter of an hour later: a
# release's bug may wait for traffic, a stop's effect does not.
STOP_WINDOW = timedelta(minutes=5)
# A start-up line this soon after its log begins is the first start, not a restart.
FIRST_START = timedelta(minutes=2)
# A metric move is dated to within a sampling interval: it may seem to precede its cause.
SAMPLING_SLACK = timedelta(seconds=60)
# Changes a release log records this soon after the release are its steps.
RELEASE_STEPS_WINDOW = timedelta(minutes=10)
RELEASES = frozenset({"change_release", "change_restart"})
# A lowered lock or statement timeout only bounds a wait another session causes: the lock's
# holder or the slow plan stays the cause of the database's failures after it.
_BOUNDS_A_WAIT = re.compile(r"\bSET\s+\w*timeout\b", re.IGNORECASE)
# What a change nothing failed after keeps of its score beside a release its errors followed.
UNFOLLOWED_FACTOR = 0.7
# A service name's first word shorter than this names too much to match on (`db`, `api`).
MIN_STEM = 4
# Errors of code rejecting what it was given, not failing to reach anything.
_REJECTED_DATA = re.compile(
    r"\b(?:invalid|illegal|must be (?:positive|non-?negative|greater|set)|not acceptable"
    r"|unprocessable|validation (?:failed|error)|malformed|out of range)\b",
    re.IGNORECASE,
)


def changes_followed_by_trouble(
    candidates: list[Candidate],
    evidence_spans: Mapping[str, tuple[datetime, datetime]],
) -> list[Candidate]:
    """Keep a change only if new trouble begins within the change window after it.

    Routine changes (logged many times) and changes in a quiet period are dropped, so
    only the change that plausibly started the incident is suspected. A stop after
    which the same log carries on is a restart, not an outage: what came with the
    restart is the suspect, not the stop. A start-up line at the very beginning of its
    log is where the log begins, not a restart.
    """
    trouble = [c for c in candidates if c.signature is None or not c.signature.is_change]
    kept = []
    for candidate in candidates:
        signature = candidate.signature
        if signature is None or not signature.is_change:
            kept.append(candidate)
            continue
        start = candidate.first.time
        if start is None or candidate.count > MAX_CHANGE_LINES:
            continue
        began, end = evidence_spans.get(candidate.first.evidence_id, (None, None))
        if signature.id == "change_stopped" and end is not None and end - start > RESTART_GAP:
            continue
        if signature.id == "change_restart" and (began is None or start - began < FIRST_START):
            continue
        window = _window(candidate)
        if any(
            other.onset_key > candidate.first_key
            and not other.background
            and other.onset_line.time is not None
            and timedelta(0) <= other.onset_line.time - start <= window
            for other in trouble
        ):
            kept.append(candidate)
    return _fold_release_steps(kept)


def _fold_release_steps(candidates: list[Candidate]) -> list[Candidate]:
    """Fold the changes a release log records right after a release into that release.

    "rollout orders-api 2.5.0 started (migrate, then rolling)" followed by the migration
    it runs is one change: the release, whose statement names the service.
    """
    releases = [c for c in candidates if c.signature is not None and c.signature.id in RELEASES]
    dropped: set[int] = set()
    for release in releases:
        began = release.first.time
        for other in candidates:
            signature = other.signature
            if (
                other is release
                or signature is None
                or not signature.is_change
                or signature.id in RELEASES
                or id(other) in dropped
                or other.first.evidence_id != release.first.evidence_id
                or began is None
                or other.first.time is None
                or not timedelta(0) <= other.first.time - began <= RELEASE_STEPS_WINDOW
            ):
                continue
            dropped.add(id(other))
            release.folded.append(other)
    return [candidate for candidate in candidates if id(candidate) not in dropped]


def link_changes_to_their_failures(candidates: list[Candidate]) -> None:
    """Mark a failure of the kind a change typically causes, begun soon after it, as its effect.

    A migration followed within minutes by schema errors, or a release followed by new
    exceptions, is one story: the change is the cause.
    """
    changes = [c for c in candidates if c.signature is not None and c.signature.is_change]
    for candidate in candidates:
        signature = candidate.signature
        began = candidate.onset_line.time
        if signature is None or signature.is_change or began is None:
            continue
        if candidate.consequence_of is not None:
            continue
        explaining = [change for change in changes if _explains(change, candidate, began)]
        if not explaining:
            continue
        # A change made where the failure is (the migration's own statement in the
        # database's log) explains it before one made elsewhere (the deploy job's log).
        change = next((c for c in explaining if c.component == candidate.component), explaining[0])
        candidate.follows_from(change)
        assert change.signature is not None
        adoptable = ADOPTS_CATEGORY.get(change.signature.id, frozenset())
        adopted = signature.id in ADOPTS_FROM.get(change.signature.id, frozenset())
        if change.category is None and (signature.category in adoptable or adopted):
            change.category = signature.category


def _explains(change: Candidate, failure: Candidate, began: datetime) -> bool:
    """Tell whether a failure is of a kind the change causes and began within its window."""
    assert change.signature is not None and failure.signature is not None
    changed = change.first.time
    kinds = EXPLAINS.get(change.signature.id, frozenset())
    if change.signature.id == "change_db_setting" and _BOUNDS_A_WAIT.search(change.first.text):
        kinds = kinds - {Category.DATABASE}
    named = failure.signature.id in EXPLAINS_NAMING.get(change.signature.id, frozenset())
    if changed is None:
        return False
    if _starting_up(change, failure, began - changed):
        return True
    if _resized(change, failure, began - changed):
        return True
    if failure.signature.category not in kinds and not (named and _names(failure, change)):
        return False
    earliest = -SAMPLING_SLACK if failure.signature.measured else timedelta(0)
    return earliest <= began - changed <= _window(change)


def _starting_up(change: Candidate, failure: Candidate, after: timedelta) -> bool:
    """Tell whether a resource move is the service's own start-up after its restart.

    A JVM starting takes a core or two for its first seconds: CPU stepping up in the
    sample the restart falls in is the restart, not a hog.
    """
    assert change.signature is not None and failure.signature is not None
    return (
        change.signature.id in RELEASES
        and failure.signature.measured
        and failure.component == change.component
        and abs(after) <= SAMPLING_SLACK
    )


def _resized(change: Candidate, failure: Candidate, after: timedelta) -> bool:
    """Tell whether a resource move follows its own service's configuration change.

    memcached's file rewritten with `-m 64`, then its memory pinned at 64 MB: the limit
    the change set, measured. A change elsewhere explains no service's memory.
    """
    assert change.signature is not None and failure.signature is not None
    return (
        change.signature.id == "change_config"
        and failure.signature.measured
        and failure.component == change.component
        and -SAMPLING_SLACK <= after <= CHANGE_WINDOW
    )


def _names(failure: Candidate, change: Candidate) -> bool:
    """Tell whether a failure's lines name the changed service (or its name's first word).

    HAProxy names the backend it checks (`be_inventory/inv-1`), not the service's full name.
    """
    if not change.component or failure.component == change.component:
        return False
    stem = change.component.split("-")[0]
    named = re.compile(rf"(?<![a-z0-9]){re.escape(stem)}(?![a-z0-9])", re.IGNORECASE)
    return len(stem) >= MIN_STEM and any(named.search(line.text) for line in failure.lines)


def _window(change: Candidate) -> timedelta:
    """How long after a change the trouble it causes begins at the latest."""
    stopped = change.signature is not None and change.signature.id == "change_stopped"
    return STOP_WINDOW if stopped else CHANGE_WINDOW


def name_releases_after_their_bugs(candidates: list[Candidate]) -> None:
    """Name a release whose own service then throws errors a code error: it shipped a bug.

    currencyservice 0.10.1 starting, then currencyservice throwing TypeError on every
    conversion, is a bug in that release (`code_error`); a release followed only by
    trouble elsewhere (slower answers its callers time out on) stays a bad release.
    """
    for change in candidates:
        signature = change.signature
        if signature is None or signature.id not in RELEASES or change.category is not None:
            continue
        own_errors = any(_own_error(effect, change) for effect in change.explains)
        if own_errors or _first_trouble_rejects_data(change, candidates):
            change.category = Category.CODE_ERROR


def releases_started_without_settings(candidates: list[Candidate]) -> None:
    """Name a release that logged a configuration change as it started after that change.

    notify-dispatch 4.6.2 starting, then `SENDGRID_API_KEY is empty` in the same second:
    the new version started without a setting it needs, a configuration change whose
    failures (401s from the mail provider) follow from it, not a bug. Call before the
    changes are linked to their failures.
    """
    for change in candidates:
        signature = change.signature
        if signature is None or signature.id not in RELEASES:
            continue
        setting = next((f for f in change.folded if _is_config_change(f)), None)
        if setting is not None:
            change.signature = setting.signature


def _is_config_change(folded: Candidate) -> bool:
    signature = folded.signature
    return signature is not None and signature.id == "change_config"


def _first_trouble_rejects_data(release: Candidate, candidates: list[Candidate]) -> bool:
    """Tell whether the first trouble after a release is an error rejecting invalid data.

    Callers that time out or cannot connect show a recognised failure; callers that reject
    what the new version answers ("Invalid payment amount", "unitPrice must be positive")
    show its answers are wrong: the release shipped a bug.
    """
    released = release.first.time
    if released is None:
        return False
    following = [
        candidate
        for candidate in candidates
        if (candidate.signature is None or not candidate.signature.is_change)
        and not candidate.background
        and candidate.onset_line.time is not None
        and timedelta(0) <= candidate.onset_line.time - released <= CHANGE_WINDOW
    ]
    if not following:
        return False
    first = min(following, key=lambda candidate: candidate.onset_key)
    return (
        first.signature is None
        and first.first.level in (Level.ERROR, Level.FATAL)
        and _REJECTED_DATA.search(first.group) is not None
    )


def demote_unfollowed_changes(candidates: list[Candidate]) -> None:
    """Lower changes nothing failed after when a release was followed by its own errors.

    A price configuration reloaded in one service, then another service restarting on a
    new version that throws at once: both are close in time, but only the release is
    corroborated by what followed. Call after scoring.
    """
    if not any(_release_followed_by_own_errors(candidate) for candidate in candidates):
        return
    for candidate in candidates:
        signature = candidate.signature
        if signature is None or not signature.is_change or candidate.explains:
            continue
        candidate.score = round(candidate.score * UNFOLLOWED_FACTOR, 4)
        candidate.confidence = round(candidate.confidence * UNFOLLOWED_FACTOR, 3)


def _release_followed_by_own_errors(candidate: Candidate) -> bool:
    """Tell whether a release or restart was followed by errors of its own service."""
    signature = candidate.signature
    if signature is None or signature.id not in RELEASES:
        return False
    return any(_own_error(effect, candidate) for effect in candidate.explains)


def _own_error(effect: Candidate, release: Candidate) -> bool:
    """Tell whether a failure the release explains is an error of the released service."""
    if effect.component != release.component:
        return False
    if effect.signature is not None:
        return effect.signature.category is Category.CODE_ERROR
    return effect.first.level in (Level.ERROR, Level.FATAL)
