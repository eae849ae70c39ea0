"""Rules across candidates: one failure seen by many services, changes, who explains whom.

Candidates are built per component; these rules relate them: fold a failure several
services report into the one where it lives, and keep a change only when trouble
follows it.
"""

import re
from collections.abc import Mapping
from datetime import datetime, timedelta

from faultmaven.domain.diagnosis import Category
from faultmaven.reasoning.candidates import Candidate
from faultmaven.reasoning.changes import (
    ADOPTABLE,
    ADOPTS_CATEGORY,
    CHANGE_WINDOW,
    EXPLAINS,
    MAX_CHANGE_LINES,
)
from faultmaven.reasoning.peers import is_datastore

# Where a failure reported by both a client and its datastore lives.
SERVER_SIDE = frozenset({Category.DATABASE})
CLIENT_SIDE = frozenset({Category.DATA, Category.PERMISSION, Category.CONFIGURATION})
# A service's errors that name another service defer to it if that one began this soon after.
NAMED_SLACK = timedelta(seconds=60)
NAME_MIN_LENGTH = 3
# A log that carries on this long after a stop shows a restart, not a service gone.
RESTART_GAP = timedelta(minutes=2)
# One failure reported by several components within this window is one cause.
MERGE_WINDOW = timedelta(minutes=10)


def changes_followed_by_trouble(
    candidates: list[Candidate], evidence_ends: Mapping[str, datetime]
) -> list[Candidate]:
    """Keep a change only if new trouble begins within the change window after it.

    Routine changes (logged many times) and changes in a quiet period are dropped, so
    only the change that plausibly started the incident is suspected. A stop after
    which the same log carries on is a restart, not an outage: what came with the
    restart is the suspect, not the stop.
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
        end = evidence_ends.get(candidate.first.evidence_id)
        if signature.id == "change_stopped" and end is not None and end - start > RESTART_GAP:
            continue
        if any(
            other.onset_key > candidate.first_key
            and not other.background
            and other.onset_line.time is not None
            and timedelta(0) <= other.onset_line.time - start <= CHANGE_WINDOW
            for other in trouble
        ):
            kept.append(candidate)
    return kept


def merge_same_cause(candidates: list[Candidate]) -> list[Candidate]:
    """Fold one failure reported by several components at once into one candidate.

    A deadlock is logged by the database and by each client caught in it; it is one
    cause, placed where it is reported most. Failures at a named peer are already
    placed there and are left alone.
    """
    by_signature: dict[str, list[Candidate]] = {}
    for candidate in candidates:
        signature = candidate.signature
        if signature is not None and not signature.remote and not signature.is_change:
            by_signature.setdefault(signature.id, []).append(candidate)
    dropped: set[int] = set()
    for group in by_signature.values():
        for main in sorted(group, key=lambda c: (_misplaced(c), -c.count, c.onset_key, c.id)):
            if id(main) in dropped:
                continue
            for other in group:
                if other is main or id(other) in dropped or not _together(main, other):
                    continue
                dropped.add(id(other))
                main.folded.append(other)
                if other.component and other.component not in main.also_in:
                    main.also_in.append(other.component)
    return [candidate for candidate in candidates if id(candidate) not in dropped]


def _misplaced(candidate: Candidate) -> bool:
    """Tell whether a failure reported here most likely lives elsewhere.

    Lock waits and deadlocks live in the database that reports them; bad records, refused
    credentials and bad settings come from the client that sends them, whatever the
    database's log says.
    """
    signature = candidate.signature
    if signature is None or candidate.component is None:
        return False
    datastore = is_datastore(candidate.component)
    if signature.category in SERVER_SIDE:
        return not datastore
    if signature.category in CLIENT_SIDE:
        return datastore
    return False


def _together(one: Candidate, other: Candidate) -> bool:
    """Tell whether two candidates began within the merge window of each other."""
    first, second = one.onset_line.time, other.onset_line.time
    if first is None or second is None:
        return False
    return abs(first - second) <= MERGE_WINDOW


def link_named_services(candidates: list[Candidate]) -> None:
    """Mark a service's errors that name another failing service as that one's consequence.

    "discount quote failed: promotions returned 500" in checkout, starting as promotions'
    own errors start, is promotions' failure seen from checkout: the upstream outranks it.
    """
    for candidate in candidates:
        if candidate.is_cause_like or candidate.consequence_of is not None:
            continue
        began = candidate.onset_line.time
        text = candidate.onset_line.text.lower()
        for other in candidates:
            named = other.component
            if named is None or named == candidate.component or len(named) < NAME_MIN_LENGTH:
                continue
            other_began = other.onset_line.time
            if began is None or other_began is None or other_began > began + NAMED_SLACK:
                continue
            if re.search(rf"(?<![\w-]){re.escape(named.lower())}(?![\w-])", text):
                candidate.follows_from(other)
                break


def link_crashes_to_causes(candidates: list[Candidate]) -> None:
    """Mark a service's unhandled exceptions as the consequence of a specific failure beside it.

    A traceback is how a refused password or a full disk surfaces in application code:
    when a specific cause begins in the same service at about the same time, the crash
    is that cause seen from the code, not a second cause.
    """
    specific = [
        c
        for c in candidates
        if c.is_cause_like
        and c.signature is not None
        and c.signature.category is not Category.CODE_ERROR
    ]
    for candidate in candidates:
        signature = candidate.signature
        if signature is None or signature.category is not Category.CODE_ERROR:
            continue
        if candidate.consequence_of is not None:
            continue
        began = candidate.onset_line.time
        for cause in specific:
            other_began = cause.onset_line.time
            if cause.component != candidate.component or began is None or other_began is None:
                continue
            if abs(other_began - began) <= NAMED_SLACK:
                candidate.follows_from(cause)
                break


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
        for change in changes:
            assert change.signature is not None
            changed = change.first.time
            related = signature.category in EXPLAINS.get(change.signature.id, frozenset())
            if changed is None or not related:
                continue
            if timedelta(0) <= began - changed <= CHANGE_WINDOW:
                candidate.follows_from(change)
                adopts = change.signature.id in ADOPTS_CATEGORY and change.category is None
                if adopts and signature.category in ADOPTABLE:
                    change.category = signature.category
                break


def link_unrecognised_to_recognised(candidates: list[Candidate]) -> None:
    """Mark unrecognised errors just after a recognised failure in one service as its effect.

    "charge failed: declined" right after "acquirer answered 503" is the 503 surfacing in
    the service's own words: the recognised failure says what happened.
    """
    recognised = [c for c in candidates if c.signature is not None and not c.signature.is_change]
    for candidate in candidates:
        began = candidate.onset_line.time
        if candidate.signature is not None or candidate.consequence_of is not None:
            continue
        if began is None:
            continue
        for failure in recognised:
            other_began = failure.onset_line.time
            if failure.component != candidate.component or other_began is None:
                continue
            if timedelta(0) <= began - other_began <= NAMED_SLACK:
                candidate.follows_from(failure)
                break
