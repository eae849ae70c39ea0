"""Which metric move started it: the component whose series moved first and most.

When one service is slowed, starved or cut off, its own series move first and furthest
(its latency multiplies), and its callers' series follow, less and a little later (their
latency grows by its delay, their CPU by the retries). So among the moves that began
within a sampling interval of the first one, the component with the strongest move is
where the cause lives; within it, a resource move (CPU, memory, disk, packets) explains
its own latency. Every other move that followed, no stronger, is a consequence.
"""

from faultmaven.reasoning.candidates import LATEST, Candidate
from faultmaven.reasoning.changes import CHANGE_WINDOW
from faultmaven.reasoning.suspected_changes import SAMPLING_SLACK


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
    root = max(causes, key=lambda move: (_strength(move), move.id))
    began, limit = root.onset_key[0], _strength(strongest)
    for move in moves:
        if move is root:
            continue
        after = move.onset_key[0] - began
        if -SAMPLING_SLACK <= after <= CHANGE_WINDOW and _strength(move) <= limit:
            move.follows_from(root)


def _strength(move: Candidate) -> float:
    """Return how far the candidate's series moved, at most (0 when unknown)."""
    return max((line.strength or 0.0 for line in move.lines), default=0.0)
