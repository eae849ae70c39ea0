"""Which metric move started it: the component whose series moved first and most.

When one service is slowed, starved or cut off, its own series move first and furthest
(its latency multiplies), and its callers' series follow, less and a little later (their
latency grows by its delay, their CPU by the retries). So among the moves that began
within a sampling interval of the first one, the component with the strongest move is
where the cause lives; within it, a resource move (CPU, memory, disk, packets) explains
its own latency, and memory growing explains the CPU it drags along. Every other move that
followed, no stronger, is a consequence.
"""

from faultmaven.domain.diagnosis import Category
from faultmaven.reasoning.candidates import LATEST, Candidate
from faultmaven.reasoning.changes import CHANGE_WINDOW
from faultmaven.reasoning.suspected_changes import SAMPLING_SLACK

# Memory at least this much larger (|ln ratio|: 0.5 is 65 % more) is growth, not drift.
MEMORY_GROWTH = 0.5


def link_metric_moves(candidates: list[Candidate]) -> None:
    """Mark the moves that followed the first and strongest one as its consequences."""
    moves = [
        candidate
        for candidate in candidates
        if candidate.signature is not None
        and candidate.signature.measured
        and candidate.onset_key[0] != LATEST
        and candidate.consequence_of is None
    ]
    if len(moves) < 2:
        return
    first = min(move.onset_key[0] for move in moves)
    leaders = [move for move in moves if move.onset_key[0] <= first + SAMPLING_SLACK]
    strongest = max(leaders, key=lambda move: (_strength(move), move.id))
    in_place = [move for move in leaders if move.component == strongest.component]
    causes = [move for move in in_place if move.is_cause_like] or in_place
    root = _growing_memory(causes) or max(causes, key=lambda move: (_strength(move), move.id))
    began, limit = root.onset_key[0], _strength(strongest)
    for move in moves:
        if move is root:
            continue
        after = move.onset_key[0] - began
        if -SAMPLING_SLACK <= after <= CHANGE_WINDOW and _strength(move) <= limit:
            move.follows_from(root)


def _growing_memory(causes: list[Candidate]) -> Candidate | None:
    """Return a memory move among a service's first resource moves, if it grew materially.

    Memory filling up drags CPU with it (allocation, garbage collection, page faults), so
    when both step up together memory is where it starts; a CPU hog leaves memory flat.
    """
    grown = [
        move
        for move in causes
        if move.signature is not None
        and move.signature.category is Category.MEMORY
        and _strength(move) >= MEMORY_GROWTH
    ]
    return max(grown, key=lambda move: (_strength(move), move.id)) if grown else None


def _strength(move: Candidate) -> float:
    """Return how far the candidate's series moved, at most (0 when unknown)."""
    return max((line.strength or 0.0 for line in move.lines), default=0.0)
