"""Attach pasted command output to the dated failures it explains.

A snapshot candidate (a table row someone pasted) has no time, so it cannot be ordered
among the failures; what it can do is say where a failure lives or what it is:
- the client holding most of the database's sessions is where "too many clients" lives;
- a df row shows the full filesystem behind "No space left on device"; a full inode
  table says the cause is inodes, not space;
- a thread dump whose pool is starved says why the service its callers time out on is
  slow.
A snapshot that explains nothing dated stays a candidate of its own.
"""

from collections.abc import Collection

from faultmaven.domain.diagnosis import Category
from faultmaven.reasoning.candidates import LATEST, Candidate

# A full filesystem this many programs report is the host's, not one program's.
HOST_WIDE_REPORTERS = 2


def attach_snapshots(candidates: list[Candidate]) -> list[Candidate]:
    """Fold each snapshot candidate into the dated failure it explains; return the rest."""
    dropped: set[int] = set()
    for snapshot in candidates:
        signature = snapshot.signature
        if signature is None or not signature.snapshot:
            continue
        explained = _explained_failure(snapshot, candidates)
        if explained is None:
            slowness = _explained_slowness(snapshot, candidates)
            if slowness is not None:
                dropped.add(id(snapshot))
                slowness.folded.insert(0, snapshot)
                slowness.signature = signature
            continue
        dropped.add(id(snapshot))
        explained.folded.insert(0, snapshot)
        if signature.id == "snapshot_connections_held":
            _place_at_holder(explained, snapshot)
        elif signature.category is Category.DISK:
            dropped |= {id(other) for other in _place_at_host(explained, snapshot, candidates)}
            if signature.id == "snapshot_inodes_full":
                explained.signature = signature
    return [candidate for candidate in candidates if id(candidate) not in dropped]


def _explained_failure(snapshot: Candidate, candidates: list[Candidate]) -> Candidate | None:
    """Return the dated failure of the snapshot's category it explains, if any.

    That is the one already named the cause of the others of its category (a heavy job
    filling the disk the others found full), else the one reported most.
    """
    assert snapshot.signature is not None
    category = snapshot.signature.category
    dated = [
        candidate
        for candidate in candidates
        if candidate.signature is not None
        and not candidate.signature.snapshot
        and candidate.cause_category is category
        and candidate.onset_key[0] != LATEST
    ]
    return max(dated, key=lambda c: (c.category is category, c.count, c.id), default=None)


def _explained_slowness(snapshot: Candidate, candidates: list[Candidate]) -> Candidate | None:
    """Return the earliest dated symptom (slowness, timeouts) placed at the snapshot's component.

    A thread dump of a service whose callers time out says why it is slow: the dated
    symptom becomes that cause, dated by its own lines.
    """
    dated = [
        candidate
        for candidate in candidates
        if candidate is not snapshot
        and candidate.component == snapshot.component
        and candidate.signature is not None
        and candidate.signature.is_symptom
        and candidate.onset_key[0] != LATEST
    ]
    return min(dated, key=lambda c: (c.onset_key, c.id), default=None)


def _place_at_host(
    failure: Candidate, snapshot: Candidate, candidates: list[Candidate]
) -> list[Candidate]:
    """Move a full filesystem several programs report to the host it belongs to.

    nginx, PHP and systemd-logind all failing with "No space left on device" on web-02 are
    victims of web-02's filesystem, not its cause (one program alone may be the filler):
    the failure is placed at web-02 and absorbs the other programs' reports of it, which
    are returned. The host is the one the df's shell prompt names; without one, the
    failure stays with its first reporter, which is most often the program filling it.
    """
    host = snapshot.first.host
    if host is None:
        return []
    others = [
        candidate
        for candidate in candidates
        if candidate is not failure
        and candidate is not snapshot
        and candidate.cause_category is Category.DISK
        and candidate.signature is not None
        and not candidate.signature.snapshot
        and candidate.onset_key[0] != LATEST
    ]
    reporters = {
        name
        for candidate in (failure, *others)
        for name in (candidate.component, *candidate.also_in)
        if name and name != host
    }
    if len(reporters) < HOST_WIDE_REPORTERS:
        return []
    failure.reporter = failure.reporter or failure.component
    failure.place_at(host)
    for other in others:
        failure.absorb(other)
    return others


def _place_at_holder(failure: Candidate, holder: Candidate) -> None:
    """Move a connection exhaustion to the client that holds the connections."""
    failure.reporter = failure.reporter or failure.component
    failure.place_at(holder.component)
    failure.signature = holder.signature


def fold_untimed_echoes(
    candidates: list[Candidate], dated_evidence: Collection[str]
) -> list[Candidate]:
    """Fold a failure quoted in undated notes into the dated failure of the same signature.

    "No space left on device" in an engineer's notes repeats what the logs show with a
    time; it is the same failure, not one more component (the notes file) that has it.
    Notes that are all the case holds keep their own hypothesis.
    """
    dropped: set[int] = set()
    for echo in candidates:
        signature = echo.signature
        if signature is None or signature.snapshot or echo.onset_key[0] != LATEST:
            continue
        if any(line.evidence_id in dated_evidence for line in echo.lines):
            continue
        dated = [
            candidate
            for candidate in candidates
            if candidate.signature is signature and candidate.onset_key[0] != LATEST
        ]
        if dated:
            main = max(dated, key=lambda c: (c.count, c.id))
            main.folded.append(echo)
            dropped.add(id(echo))
    return [candidate for candidate in candidates if id(candidate) not in dropped]
