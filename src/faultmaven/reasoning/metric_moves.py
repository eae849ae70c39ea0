"""Which metric move started it: the component whose series moved first and most.

When one service is slowed, starved or cut off, its own series move first and furthest
(its latency multiplies), and its callers' series follow, less and a little later (their
latency grows by its delay, their CPU by the retries). So among the moves that began
within a sampling interval of the first one, the component with the strongest move is
where the cause lives; within it, a resource move (CPU, memory, disk, packets) explains
its own latency, and memory growing explains the CPU it drags along. Every other move that
followed, no stronger, is a consequence. A move its own service then felt counts for more,
and a move the service's own log names soon after is that logged failure.
"""

from datetime import datetime, timedelta

from faultmaven.domain.diagnosis import Category
from faultmaven.reasoning.candidates import LATEST, Candidate
from faultmaven.reasoning.changes import CHANGE_WINDOW
from faultmaven.reasoning.suspected_changes import SAMPLING_SLACK

# Memory at least this much larger (|ln ratio|: 0.5 is 65 % more) is growth, not drift.
MEMORY_GROWTH = 0.5
# A move at the stated onset this many times stronger overtakes an earlier quick one.
OVERTAKEN_RATIO = 2.0
_SLOW_FILLING = frozenset({Category.MEMORY, Category.DISK})
# A service's log names what its series measured when it reports the cause this soon after.
NAMING_WINDOW = timedelta(minutes=10)


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


def overtaken_early_moves(
    candidates: list[Candidate], stated: datetime, margin: timedelta
) -> list[Candidate]:
    """Return the quick resource moves a far stronger one at the stated onset overtakes.

    Early means more than `margin` before the onset; at it, within `margin`. Load
    wanders: a small CPU step ten minutes before "searching got slow from 07:44" is not
    where it began when another service's CPU multiplies at 07:44. Memory and disk fill
    slowly, so their early growth is never overtaken this way.
    """
    moves = [
        (c, c.onset_line.time)
        for c in candidates
        if c.signature is not None and c.signature.measured and c.onset_line.time is not None
    ]
    strongest = max(
        (_strength(move) for move, began in moves if abs(began - stated) <= margin), default=0.0
    )
    return [
        move
        for move, began in moves
        if began < stated - margin
        and move.cause_category not in _SLOW_FILLING
        and _strength(move) * OVERTAKEN_RATIO <= strongest
    ]


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


def felt_by_its_own_service(candidate: Candidate) -> bool:
    """Tell whether a measured resource change was followed by its own service's trouble.

    CPU stepping up and then the same service's measured latency jumping is a change that
    hurt; a memory step in a service whose answers stay as fast as before may be harmless.
    """
    signature = candidate.signature
    if signature is None or not signature.measured or not candidate.is_cause_like:
        return False
    return any(
        effect.component == candidate.component
        and effect.signature is not None
        and effect.signature.measured
        and effect.signature.is_symptom
        for effect in candidate.explains
    )


def logs_name_measured_changes(candidates: list[Candidate]) -> list[Candidate]:
    """Let a service's own log name the failure its metric series only measured.

    Shipping's socket count climbing, then shipping logging "Cannot assign requested
    address": one failure, which the log names (local ports exhausted) and the series
    dates. The logged cause takes the measured one in, with its score if higher.
    """
    logged = [
        candidate
        for candidate in candidates
        if candidate.is_cause_like
        and candidate.signature is not None
        and not candidate.signature.measured
        and not candidate.signature.is_change
        and not candidate.background
        and candidate.consequence_of is None
    ]
    taken: set[int] = set()
    for measured in candidates:
        signature = measured.signature
        if signature is None or not signature.measured or not measured.is_cause_like:
            continue
        if measured.consequence_of is not None or measured.background:
            continue
        namer = next((c for c in logged if _names(c, measured)), None)
        if namer is None:
            continue
        namer.absorb(measured)
        namer.score = max(namer.score, measured.score)
        namer.confidence = max(namer.confidence, measured.confidence)
        taken.add(id(measured))
    return [candidate for candidate in candidates if id(candidate) not in taken]


def _names(logged: Candidate, measured: Candidate) -> bool:
    """Tell whether a logged cause in the measured change's service began soon after it."""
    if logged.component != measured.component:
        return False
    began, moved = logged.onset_line.time, measured.onset_line.time
    if began is None or moved is None:
        return False
    return -SAMPLING_SLACK <= began - moved <= NAMING_WINDOW
