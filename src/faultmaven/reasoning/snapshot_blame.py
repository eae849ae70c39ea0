"""What the snapshot rules share: the dated failures, and how a failure takes a snapshot's name."""

from collections.abc import Callable, Iterable

from faultmaven.reasoning.candidates import LATEST, Candidate

# A rule: which dated failure a snapshot explains, and how that failure takes it in.
Find = Callable[[Candidate, list[Candidate]], Candidate | None]
Blame = Callable[[Candidate, Candidate, list[Candidate]], None]


def dated_failures(candidates: list[Candidate]) -> list[Candidate]:
    """Return the candidates placed in time: pasted snapshots and undated lines explain them."""
    return [
        candidate
        for candidate in candidates
        if (candidate.signature is None or not candidate.signature.snapshot)
        and candidate.onset_key[0] != LATEST
    ]


def most_reported(candidates: Iterable[Candidate]) -> Candidate | None:
    """Return the candidate reported most often (ties: the larger id), if any."""
    return max(candidates, key=lambda c: (c.count, c.id), default=None)


def blame_named_after_snapshot(
    failing: Candidate, snapshot: Candidate, _candidates: list[Candidate]
) -> None:
    """Make the failure the snapshot's, named after it and placed at its component."""
    failing.folded.insert(0, snapshot)
    failing.signature = snapshot.signature
    place_at_holder(failing, snapshot)


def place_at_holder(failure: Candidate, holder: Candidate, where: str | None = None) -> None:
    """Name a failure after the snapshot that shows where it lives, and move it there.

    `where` defaults to the snapshot's component (the client holding the connections).
    """
    failure.reporter = failure.reporter or failure.component
    failure.place_at(where or holder.component)
    failure.signature = holder.signature


def blame_at_snapshot_host(
    failing: Candidate, snapshot: Candidate, _candidates: list[Candidate]
) -> None:
    """Make the failure the snapshot's, placed at the host it ran on.

    A host's hosts file, a DNS server's firewall.
    """
    failing.folded.insert(0, snapshot)
    place_at_holder(failing, snapshot, snapshot.first.host)


def others_follow(
    cause: Candidate, candidates: list[Candidate], explained: Callable[[Candidate], bool]
) -> None:
    """Make each other dated failure the cause explains, not yet another's, follow from it.

    The cause stops following whatever an earlier link made it follow (metric moves are
    linked to the earliest of them before snapshots are read): it would otherwise follow
    one of its own consequences.
    """
    cause.stands_alone()
    for candidate in dated_failures(candidates):
        if candidate is not cause and candidate.consequence_of is None and explained(candidate):
            candidate.follows_from(cause)
