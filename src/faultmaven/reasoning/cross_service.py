"""Rules across candidates: one failure seen by many services, and who explains whom.

Candidates are built per component; these rules relate them: fold a failure several
services report into the one where it lives, and mark what follows from what. The rules
about changes live in `suspected_changes`.
"""

import re
from datetime import timedelta

from faultmaven.domain.diagnosis import Category
from faultmaven.domain.evidence import Level
from faultmaven.domain.service_names import core_name, is_dns_server
from faultmaven.reasoning.candidates import LATEST, Candidate, OrderKey
from faultmaven.reasoning.peers import is_datastore
from faultmaven.reasoning.signatures import SIGNATURES_BY_ID

# Where a failure reported by both a client and its datastore lives.
SERVER_SIDE = frozenset({Category.DATABASE})
CLIENT_SIDE = frozenset({Category.DATA, Category.PERMISSION, Category.CONFIGURATION})
# Settings of the datastore itself that its clients only relay (its /dev/shm too small).
SERVER_SIDE_SIGNATURES = frozenset({"shared_memory_full"})
# A service's errors that name another service defer to it if that one began this soon after.
NAMED_SLACK = timedelta(seconds=60)
NAME_MIN_LENGTH = 3
# A quoted piece of another's message needs this many words of its own (not RPC wording).
QUOTE_MIN_WORDS = 3
_PIECE_BREAK = re.compile(r"<\*>|: ")
_RELAY_WORDS = frozenset(
    {"error", "errors", "code", "desc", "failed", "failure", "request", "status", "exception",
     "unavailable", "unknown", "internal", "deadline", "exceeded", "connection", "refused",
     "timeout", "timed", "could", "with", "from", "while", "call", "calling", "service",
     "server", "http", "https", "grpc", "post", "response", "unable", "cannot"}
)  # fmt: skip
# One failure reported by several components within this window is one cause.
MERGE_WINDOW = timedelta(minutes=10)
# A shared resource running out is felt first by whoever was filling it: a full disk is
# placed at its first reporter, not at the one that complains most afterwards.
FIRST_TO_FEEL = frozenset({Category.DISK})
# So is a host's local port range (callers relay the error in their own logs afterwards), and
# an index mapping's field limit (the writer adding fields is the first rejected).
FIRST_TO_FEEL_SIGNATURES = frozenset({"local_ports_exhausted", "mapping_fields_limit"})


def merge_same_cause(candidates: list[Candidate]) -> list[Candidate]:
    """Fold one failure reported by several components at once into one candidate.

    A deadlock is logged by the database and by each client caught in it; it is one
    cause, placed where it is reported most. Two readings of one failure count as one
    too: a built-in signature and a playbook that recognises its lines (the lock
    timeouts, and the lock waits logged before them). Failures at a named peer are
    already placed there and are left alone.
    """
    foldable = [c for c in candidates if _foldable(c)]
    dropped: set[int] = set()
    taken: set[int] = set()
    for main in sorted(foldable, key=_placement_order):
        if id(main) in taken:
            continue
        taken.add(id(main))
        grown = True
        while grown:
            grown = False
            for other in foldable:
                if id(other) in taken or not _joins(main, other):
                    continue
                taken.add(id(other))
                dropped.add(id(other))
                main.absorb(other)
                grown = True
    return [candidate for candidate in candidates if id(candidate) not in dropped]


def _placement_order(candidate: Candidate) -> tuple[bool, int, OrderKey, str]:
    """Order the candidates that may absorb others: where the failure most likely lives first.

    Most failures live where they are reported most; a shared resource running out lives
    with its first reporter (see `FIRST_TO_FEEL`).
    """
    first_to_feel = _first_to_feel(candidate)
    count = 0 if first_to_feel else -candidate.count
    # The first reporter is the one whose first line came first, trickle or not.
    when = candidate.first_key if first_to_feel else candidate.onset_key
    return (_misplaced(candidate), count, when, candidate.id)


def _first_to_feel(candidate: Candidate) -> bool:
    """Tell whether a candidate's failure is a shared resource running out (see `FIRST_TO_FEEL`)."""
    assert candidate.signature is not None
    return (
        candidate.signature.category in FIRST_TO_FEEL
        or candidate.signature.id in FIRST_TO_FEEL_SIGNATURES
    )


def _joins(main: Candidate, other: Candidate) -> bool:
    """Tell whether `other` is the failure of `main` or of one already folded into it."""
    return _together(main, other) and any(_same_failure(one, other) for one in [main, *main.folded])


def _foldable(candidate: Candidate) -> bool:
    """Tell whether a candidate may be one failure reported by several components.

    A metric move is not a report: each service's series measures that service, and
    which move started it is decided by `link_metric_moves` (first and strongest).
    """
    signature = candidate.signature
    return (
        signature is not None
        and not signature.remote
        and not signature.is_change
        and not signature.measured
    )


def _same_failure(one: Candidate, other: Candidate) -> bool:
    """Tell whether two candidates are one failure: one signature, or readings of each other."""
    assert one.signature is not None and other.signature is not None
    if one.signature is other.signature:
        return True
    return one.signature.category is other.signature.category and (
        one.signature.matches(other.first.text) or other.signature.matches(one.first.text)
    )


def place_resolution_failures(candidates: list[Candidate]) -> list[Candidate]:
    """Place a client's DNS failures at the case's DNS server when that server is in trouble.

    "lookup inventory.shop.svc on 10.96.0.10:53: no such host" is written by the client,
    but when CoreDNS logs its own errors as the lookups start failing, the resolver is
    where the cause lives; its errors join the hypothesis. Undated errors of the resolver
    (`kubectl logs --previous` of a crashed CoreDNS prints no times) count as in trouble
    too. A healthy resolver leaves the failure with the client (a wrong host name is the
    client's), or with the cluster Service whose name it found missing.
    """
    dropped: set[int] = set()
    for failure in candidates:
        signature = failure.signature
        if signature is None or signature.category is not Category.DNS:
            continue
        if failure.component is None or is_dns_server(failure.component):
            continue
        began = failure.onset_key[0]
        if began == LATEST:
            continue
        troubled = [
            server
            for server in candidates
            if server.component is not None
            and is_dns_server(server.component)
            and not server.background
            and not _loop_probe_only(server)
            and (server.onset_key[0] == LATEST or server.onset_key[0] <= began + NAMED_SLACK)
        ]
        if not troubled:
            continue
        server = min(troubled, key=lambda c: (c.onset_key, c.id))
        failure.place_at(server.component)
        if signature.id == "service_name_missing":
            # The Service is not missing: the resolver in trouble answers NXDOMAIN.
            failure.signature = SIGNATURES_BY_ID["dns_failure"]
        if id(server) not in dropped:
            dropped.add(id(server))
            failure.folded.insert(0, server)
    return [candidate for candidate in candidates if id(candidate) not in dropped]


# CoreDNS's loop plugin asks itself `<random>.<random>. HINFO` at start; the upstream
# timing out on that probe is routine, not the resolver in trouble.
_LOOP_PROBE = re.compile(r"\b\d{6,}\.\d{6,}\.? HINFO\b")


def _loop_probe_only(server: Candidate) -> bool:
    """Tell whether all a DNS server's errors are its start-up loop probe."""
    return all(_LOOP_PROBE.search(line.text) for line in server.lines)


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
    if signature.category in SERVER_SIDE or signature.id in SERVER_SIDE_SIGNATURES:
        return not datastore
    if signature.category in CLIENT_SIDE:
        return datastore
    return False


def _together(one: Candidate, other: Candidate) -> bool:
    """Tell whether two candidates began within the merge window of each other.

    A line without a time of its own (a continuation logged as its own event) takes the
    time of the line before it.
    """
    # A shared resource ran out once: its reporters' first lines, trickle or not, date it.
    shared = one.signature is not None and other.signature is not None
    if shared and _first_to_feel(one) and _first_to_feel(other):
        first, second = one.first_key[0], other.first_key[0]
    else:
        first, second = one.onset_key[0], other.onset_key[0]
    if LATEST in (first, second):
        return False
    return abs(first - second) <= MERGE_WINDOW


def link_named_services(candidates: list[Candidate]) -> None:
    """Mark a service's errors that name another failing service as that one's consequence.

    "discount quote failed: promotions returned 500" in checkout, starting as promotions'
    own errors start, is promotions' failure seen from checkout: the upstream outranks it.
    So is an error that quotes another service's own error message, as gRPC and HTTP
    clients relay it ("desc = Your credit card (ending 7719) expired").
    """
    for candidate in candidates:
        if candidate.is_cause_like or candidate.consequence_of is not None:
            continue
        began = candidate.onset_line.time
        text = candidate.onset_line.text.lower()
        if began is None:
            continue
        others = [
            other
            for other in candidates
            if other.component and other.component != candidate.component and not other.background
        ]
        failing = [
            other
            for other in others
            if other.onset_line.time is not None and other.onset_line.time <= began + NAMED_SLACK
        ]
        # A service whose log has no times (.NET's console logger) may have failed first.
        undated = [other for other in others if _undated_error(other)]
        # The full name first; then what the name says ("Assurance" for ts-assurance-service).
        # Of several services named, the one failing first; never one that follows from this.
        named = _first_failing(candidate, [o for o in failing if _names_in_full(text, o)])
        named = named or _first_failing(candidate, [o for o in failing if _names_by_core(text, o)])
        named = named or _first_failing(candidate, [o for o in failing if _quotes(text, o)])
        named = named or _first_failing(
            candidate, [o for o in undated if _names_in_full(text, o) or _names_shortly(text, o)]
        )
        if named is not None:
            candidate.follows_from(named)


_ERROR_LEVELS = frozenset({Level.ERROR, Level.FATAL})
SHORT_CORE_LENGTH = 4


def _undated_error(candidate: Candidate) -> bool:
    """Tell whether a candidate is errors of a log that states no time at all."""
    return all(line.time is None for line in candidate.lines) and any(
        line.level in _ERROR_LEVELS for line in candidate.lines
    )


def _first_failing(candidate: Candidate, named: list[Candidate]) -> Candidate | None:
    """Return the named candidate that failed first, leaving out this one's consequences."""
    causes = [other for other in named if not _follows(other, candidate)]
    return min(causes, key=lambda other: other.first_key) if causes else None


def _follows(candidate: Candidate, cause: Candidate) -> bool:
    """Tell whether `candidate` is, through any chain, a consequence of `cause`."""
    seen: set[int] = set()
    step = candidate.consequence_of
    while step is not None and id(step) not in seen:
        if step is cause:
            return True
        seen.add(id(step))
        step = step.consequence_of
    return False


def _names_in_full(text: str, other: Candidate) -> bool:
    name = other.component or ""
    return len(name) >= NAME_MIN_LENGTH and _says(text, name.lower())


def _names_by_core(text: str, other: Candidate) -> bool:
    core = core_name(other.component or "")
    return core is not None and _says(text, core)


def _names_shortly(text: str, other: Candidate) -> bool:
    """Tell whether a line names the other by a core of four letters or more (`cart`).

    Looser than `_names_by_core`: only for a service whose errors carry no time, which
    nothing else can place before the caller's.
    """
    core = core_name(other.component or "", min_length=SHORT_CORE_LENGTH)
    return core is not None and _says(text, core)


def _quotes(text: str, other: Candidate) -> bool:
    """Tell whether a lowercased line quotes a distinctive piece of another's message."""
    return any(piece in text for piece in _quotable_pieces(other.group))


def _quotable_pieces(template: str) -> list[str]:
    """Return the pieces of a template's first line distinctive enough to recognise quoted.

    A piece lies between variables and `: ` separators (so an exception's class name is
    not required); it needs `QUOTE_MIN_WORDS` words of four or more letters beyond the
    vocabulary every RPC error shares.
    """
    first = template.split("\n", 1)[0].lower()
    pieces = (piece.strip() for piece in _PIECE_BREAK.split(first))
    return [piece for piece in pieces if len(_distinctive_words(piece)) >= QUOTE_MIN_WORDS]


def _distinctive_words(piece: str) -> list[str]:
    return [word for word in re.findall(r"[a-z]{4,}", piece) if word not in _RELAY_WORDS]


def _says(text: str, word: str) -> bool:
    """Tell whether a lowercased line holds a name as a word of its own."""
    return re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text) is not None


def link_unplaced_to_placed(candidates: list[Candidate]) -> None:
    """Mark a remote failure with no known peer as the one its reporter places at a peer.

    nginx's access log shows only 502s; its error log says which upstream refused the
    connection. Beginning together, the 502s are that upstream's failure, not nginx's.
    """
    placed = [
        c
        for c in candidates
        if c.signature is not None and c.signature.remote and c.placed_elsewhere
    ]
    for candidate in candidates:
        signature = candidate.signature
        if (
            signature is None
            or not signature.remote
            or candidate.placed_elsewhere
            or candidate.consequence_of is not None
        ):
            continue
        began = candidate.onset_key[0]
        for peer_failure in placed:
            if (
                peer_failure.reporter == candidate.reporter
                and began != LATEST
                and peer_failure.onset_key[0] <= began + NAMED_SLACK
            ):
                candidate.follows_from(peer_failure)
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


def link_pool_exhaustion_to_blocked_queries(candidates: list[Candidate]) -> None:
    """Mark a database running out of connections as the consequence of its blocked queries.

    Sessions waiting on a lock, or running a slow statement, keep their connections: when
    lock waits or slow queries begin in a database before it refuses connections, the
    refusals are their consequence, not a second cause.
    """
    blockers = [
        c
        for c in candidates
        if c.cause_category is Category.DATABASE and c.onset_line.time is not None
    ]
    for candidate in candidates:
        began = candidate.onset_line.time
        if candidate.cause_category is not Category.CONNECTION_POOL or began is None:
            continue
        if candidate.consequence_of is not None or candidate.component is None:
            continue
        earlier = [
            blocker
            for blocker in blockers
            if blocker.component == candidate.component
            and blocker is not candidate
            and blocker.onset_line.time is not None
            and blocker.onset_line.time <= began
        ]
        if earlier:
            candidate.follows_from(min(earlier, key=lambda c: (c.onset_key, c.id)))


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
