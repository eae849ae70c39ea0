"""Group notable lines into candidate causes and score them."""

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from faultmaven.domain.diagnosis import Category
from faultmaven.domain.evidence import AnalysedLine, EvidenceSummary, Level, is_problem_level
from faultmaven.domain.service_names import evidence_stem
from faultmaven.reasoning.candidates import (
    LATEST,
    MAX_CONFIDENCE,
    Candidate,
    CaseFacts,
    ComponentFinder,
    OrderKey,
    hypothesis_id,
)
from faultmaven.reasoning.certificates import (
    CERTIFICATE_VALIDITY,
    certificates_of,
    place_expired_certificates,
    rejects_own_certificate,
)
from faultmaven.reasoning.changes import change_subject
from faultmaven.reasoning.corrected_errors import single_corrected_memory_error
from faultmaven.reasoning.cross_service import (
    link_crashes_to_causes,
    link_named_services,
    link_pool_exhaustion_to_blocked_queries,
    link_unplaced_to_placed,
    link_unrecognised_to_recognised,
    merge_same_cause,
    place_resolution_failures,
)
from faultmaven.reasoning.failed_starts import link_refusals_to_failed_start
from faultmaven.reasoning.metric_moves import (
    felt_by_its_own_service,
    link_metric_moves,
    logs_name_measured_changes,
    overtaken_early_moves,
)
from faultmaven.reasoning.metric_names import with_case_names
from faultmaven.reasoning.onsets import EDGE_SHARE, find_onset
from faultmaven.reasoning.peers import (
    Addresses,
    identity_of,
    peer_of,
    quotes_server_reply,
    replying_server,
    server_kinds,
)
from faultmaven.reasoning.resolver_limits import link_lookups_to_saturated_forwarder
from faultmaven.reasoning.signatures import RETRY_SUCCEEDED, SIGNATURES_BY_ID, Signature
from faultmaven.reasoning.snapshots import attach_snapshots, fold_untimed_echoes
from faultmaven.reasoning.stated_onset import stated_onset
from faultmaven.reasoning.suspected_changes import (
    changes_followed_by_trouble,
    demote_unfollowed_changes,
    link_changes_to_their_failures,
    name_releases_after_their_bugs,
    releases_started_without_settings,
)
from faultmaven.reasoning.untrusting_clients import place_untrusting_clients

Span = tuple[datetime, datetime]
"""The first and last time of a piece of evidence, or of the whole case."""
# Lines of one instant in logs of different precision and stamping points.
SAME_INSTANT = timedelta(seconds=2)
# How much a symptom's score and confidence keep when a cause began before it.
CONSEQUENCE_FACTOR = 0.6
# An unrecognised error the team's earlier cases also had this often is chronic, not new.
CHRONIC_CASES = 2
# An error the peer sent back (a Redis reply, a server's error response) happened at the peer.
_REPLY_FROM_PEER = re.compile(
    r"\bReplyError\b|\bResponseError\b|\berror (?:reply|response) from\b"
    r"|\bserver (?:replied|returned)\b",
    re.IGNORECASE,
)
# A warning that the operation then succeeded (`timed out after 1315ms, retry 1 of 3
# succeeded`): a transient the caller absorbed.
_RECOVERED = re.compile(
    rf"{RETRY_SUCCEEDED}|\bsucceeded (?:on|after) (?:retry|attempt)", re.IGNORECASE
)
# An unrecognised error already there this long before the incident began is background.
PRE_EXISTING_MARGIN = timedelta(minutes=5)
# A failure first seen this close to the stated onset began there, whenever it flooded.
STATED_NEAR = timedelta(minutes=5)
# Evidence beginning this close before the stated onset, or after it, shows nothing earlier.
STARTS_AT_ONSET = timedelta(minutes=10)
# A failure seen this many times, all before the stated onset, was an earlier episode.
ENDED_EPISODE_COUNT = 3
# A failure whose every occurrence ended this long before the stated onset is over, however few.
LONG_BEFORE = timedelta(minutes=30)
# An error at least this many times more frequent after the stated onset than before began there.
RATE_JUMP = 3.0
# A message logged at a steady trickle across the whole evidence is background.
BACKGROUND_FACTOR = 0.5
# `disk watermark [95%] exceeded on [<node id>][es-data-2][/usr/share/...]`
_WATERMARK_NODE = re.compile(r"disk watermark \[[^\]]*\] exceeded on \[[^\]]*\]\[([\w.-]+)\]")
# Added to the score of a measured change that its own service then felt.
CORROBORATION_BONUS = 0.1
# "What changed?": the person asks for the change behind the trouble, so a change that
# trouble followed is weighed up, above a specific failure that came after it.
ASKED_FOR_CHANGES_BONUS = 0.2
_WHAT_CHANGED = re.compile(
    r"\bwhat(?:'s| has| is)? changed\b|\bwhat did (?:we|you|they|someone|anyone) change\b"
    r"|\bdid (?:anything|something) change\b|\bwas anything changed\b",
    re.IGNORECASE,
)
_GENERIC_WEIGHT = {Level.FATAL: 0.35, Level.ERROR: 0.25}
_GENERIC_WARN_WEIGHT = 0.15


def component_from_evidence_name(evidence_name: str, text: str) -> str | None:
    """Name the component after the evidence file: `logs/checkout-7d9f8-x2k4q.log` -> `checkout`.

    The reasoner's default; the diagnose service passes the log engine's richer
    `component_of`, which also reads the line (the engines may not import each other).
    """
    return evidence_stem(evidence_name)


def order_keys(
    lines: Sequence[AnalysedLine], evidence: Sequence[EvidenceSummary]
) -> list[OrderKey]:
    """Give each line a sortable place in time; lines without time take their predecessor's."""
    evidence_order: dict[str, int] = {item.evidence_id: i for i, item in enumerate(evidence)}
    for line in lines:
        evidence_order.setdefault(line.evidence_id, len(evidence_order))
    positions = sorted(
        range(len(lines)), key=lambda i: (evidence_order[lines[i].evidence_id], lines[i].n)
    )
    keys: list[OrderKey] = [(LATEST, 0, 0)] * len(lines)
    last_time: dict[str, datetime] = {}
    for i in positions:
        line = lines[i]
        time = line.time or last_time.get(line.evidence_id)
        if line.time is not None:
            last_time[line.evidence_id] = line.time
        keys[i] = (time or LATEST, evidence_order[line.evidence_id], line.n)
    return keys


def _candidate_key(
    line: AnalysedLine, signatures: Mapping[str, Signature], failures: Mapping[str, str]
) -> tuple[str, str] | None:
    """Say which candidate a line belongs to: its signature, else its failure or error group.

    Heads of different templates whose stack traces name the same failure are one group.
    """
    if line.signature == CERTIFICATE_VALIDITY:
        return None  # a fact of the case, not a failure (see `reasoning.certificates`)
    if line.signature is not None and line.signature in signatures:
        return ("signature", line.signature)
    if is_problem_level(line.level) and not line.text[:1].isspace():
        if _RECOVERED.search(line.text):
            return None  # a call that succeeded on its retry failed nothing
        return ("group", failures.get(line.group, line.group))
    return None


def build_candidates(
    lines: Sequence[AnalysedLine],
    evidence: Sequence[EvidenceSummary],
    component_of: ComponentFinder,
    signatures: Mapping[str, Signature] = SIGNATURES_BY_ID,
    facts: CaseFacts | None = None,
    question: str | None = None,
) -> list[Candidate]:
    """Group the lines into candidates, ordered by their first occurrence.

    `signatures` resolves the lines' signature ids: the built-in ones by default, plus
    the playbooks' when the caller matched those. `facts` are what else the case's logs
    and history say (see `CaseFacts`); a `question` saying when the trouble began
    ("since 18:17") dates the incident.
    """
    facts = facts or CaseFacts()
    addresses = facts.addresses
    lines = with_case_names(lines, component_of)
    keys = order_keys(lines, evidence)
    usual_peer = _usual_peers(lines, signatures, addresses)
    services = _services(lines, evidence)
    kinds = server_kinds(item.evidence_name for item in evidence)
    sole_subject = _sole_subjects(lines, signatures)
    by_key: dict[tuple[str, str, str | None], Candidate] = {}
    for i in sorted(range(len(lines)), key=lambda i: keys[i]):
        line = lines[i]
        kind_name = _candidate_key(line, signatures, facts.failures)
        if kind_name is None:
            continue
        kind, name = kind_name
        remote = (
            kind == "signature"
            and (
                signatures[name].remote
                or bool(_REPLY_FROM_PEER.search(line.text))
                or quotes_server_reply(line.text)
            )
            and not rejects_own_certificate(line.text)
        )
        peer = (
            (
                peer_of(line.text, addresses)
                or usual_peer.get((line.evidence_id, name))
                or replying_server(line.text, services, name, kinds)
            )
            if remote
            else None
        )
        subject = (
            _subject(signatures[name], line.text, services) or sole_subject.get(name)
            if kind == "signature"
            else None
        )
        reporter = _reporter(line, signatures[name] if kind == "signature" else None, component_of)
        component = peer or subject or reporter
        candidate = by_key.get((kind, name, component))
        if candidate is None:
            signature = signatures[name] if kind == "signature" else None
            candidate = Candidate(
                id=hypothesis_id(kind, name, component),
                signature=signature,
                component=component,
                group=name if kind == "group" else line.group,
                lines=[],
                keys=[],
                reporter=reporter,
            )
            by_key[(kind, name, component)] = candidate
            if kind == "group":
                candidate.earlier_cases = facts.earlier_cases.get(line.group, 0)
        candidate.lines.append(line)
        candidate.keys.append(keys[i])
    spans = _evidence_spans(evidence)
    _count(list(by_key.values()), evidence)
    _set_onsets(list(by_key.values()), spans, question)
    for candidate in by_key.values():
        candidate.background |= single_corrected_memory_error(candidate)
    candidates = sorted(by_key.values(), key=lambda c: (c.onset_key, c.id))
    merged = place_untrusting_clients(place_resolution_failures(merge_same_cause(candidates)))
    merged = fold_untimed_echoes(merged, spans)
    place_expired_certificates(merged, certificates_of(lines, component_of))
    return changes_followed_by_trouble(merged, spans)


def _reporter(
    line: AnalysedLine, signature: Signature | None, component_of: ComponentFinder
) -> str | None:
    """Name who reports a line: its log's component; a controller's own for its actions."""
    if signature is not None and signature.acts_on_others:
        actor = component_of(line.evidence_name, "")
        if actor:
            return actor
    return line.component or component_of(line.evidence_name, line.text)


def _services(lines: Sequence[AnalysedLine], evidence: Sequence[EvidenceSummary]) -> set[str]:
    """Return the services the case's evidence is named after or its lines name."""
    named = {evidence_stem(item.evidence_name) for item in evidence}
    named |= {line.component for line in lines}
    return {name for name in named if name}


def _subject(signature: Signature, text: str, services: set[str]) -> str | None:
    """Name the service a line is about when it names one: released, reloaded, refused, full.

    An Elasticsearch master reports a disk watermark exceeded on a data node it names:
    the full disk is that node's. A signature may say where its lines name their subject
    (a systemd unit, a Cassandra table).
    """
    if signature.id in ("change_release", "change_config"):
        return change_subject(text, services)
    if signature.category is Category.PERMISSION:
        return identity_of(text)
    if signature.category is Category.DISK:
        node = _WATERMARK_NODE.search(text)
        return node.group(1) if node else None
    if signature.subject is not None:
        named = signature.subject.search(text)
        return named.group(1) if named else None
    return None


def _sole_subjects(
    lines: Sequence[AnalysedLine], signatures: Mapping[str, Signature]
) -> dict[str, str]:
    """Name, per signature that reads its subject from its lines, the one subject they name.

    A client's stack trace names the database refusing commands for wraparound only in a
    continuation line; when every line of the case that names one names `ledger`, the
    lines that name none are about `ledger` too.
    """
    named: dict[str, set[str]] = {}
    for line in lines:
        signature = signatures.get(line.signature or "")
        if signature is None or signature.subject is None:
            continue
        found = signature.subject.search(line.text)
        if found is not None:
            named.setdefault(signature.id, set()).add(found.group(1))
    return {name: next(iter(found)) for name, found in named.items() if len(found) == 1}


def _usual_peers(
    lines: Sequence[AnalysedLine], signatures: Mapping[str, Signature], addresses: Addresses
) -> dict[tuple[str, str], str]:
    """Name, per evidence and remote failure, the peer its lines name most often.

    A client logs the peer in some lines of a failure and not in others (a traceback's
    last line); those others are about the same peer.
    """
    seen: dict[tuple[str, str], Counter[str]] = {}
    for line in lines:
        signature = signatures.get(line.signature) if line.signature else None
        if signature is None or not signature.remote:
            continue
        peer = peer_of(line.text, addresses)
        if peer is not None:
            seen.setdefault((line.evidence_id, signature.id), Counter())[peer] += 1
    return {key: counts.most_common(1)[0][0] for key, counts in seen.items()}


def _evidence_spans(evidence: Sequence[EvidenceSummary]) -> dict[str, Span]:
    """Return the first and last time of each evidence item that has both."""
    return {
        item.evidence_id: (item.first_time, item.last_time)
        for item in evidence
        if item.first_time is not None and item.last_time is not None
    }


def _set_onsets(
    candidates: list[Candidate], spans: Mapping[str, Span], question: str | None
) -> None:
    """Find where each candidate began in earnest, and which are mere background.

    An unrecognised error that was already there well before the incident began (when
    the question says it began, else the moment the case's problem lines jump in rate)
    is background too; so is any failure but a change that ran at the same rate before
    the moment the question names as after it and was there from the evidence's start.
    """
    starts: dict[int, datetime] = {}
    for candidate in candidates:
        covered = [spans[i] for i in {line.evidence_id for line in candidate.lines} if i in spans]
        times = [key[0] for key in candidate.keys]
        if not covered or any(time == LATEST for time in times):
            continue
        start = min(span[0] for span in covered)
        end = max(span[1] for span in covered)
        onset = find_onset(times, start, end, candidate.count)
        candidate.onset, candidate.background = onset.index, onset.background
        starts[id(candidate)] = start
    whole = _whole_span(candidates, spans)
    if whole is None:
        return
    stated = stated_onset(question, *whole)
    if stated is not None:
        _unknown_before_evidence(candidates, starts, stated)
        for candidate in overtaken_early_moves(candidates, stated, PRE_EXISTING_MARGIN):
            candidate.background = True
    if not spans:
        return
    incident = stated or _incident_onset(candidates, whole)
    if incident is None:
        return
    for candidate in candidates:
        began = candidate.onset_line.time
        if candidate.signature is None and began is not None and candidate.onset == 0:
            candidate.background |= began < incident - PRE_EXISTING_MARGIN
        signature = candidate.signature
        lasting = signature is not None and (signature.is_change or signature.standing)
        if stated is not None and not lasting:
            candidate.background |= _steady_across(candidate, stated, whole)
            candidate.background |= _over_before(candidate, stated)
        if stated is not None and _began_when_stated(candidate, stated):
            candidate.onset = 0


def _unknown_before_evidence(
    candidates: list[Candidate], starts: Mapping[int, datetime], stated: datetime
) -> None:
    """Keep failures in evidence that begins as the trouble does out of the background.

    A pod started when the trouble began logs from then on: its log cannot show that a
    failure steady from its first line was there before.
    """
    for candidate in candidates:
        began = starts.get(id(candidate))
        if began is not None and began >= stated - STARTS_AT_ONSET:
            candidate.background = False


def _began_when_stated(candidate: Candidate, stated: datetime) -> bool:
    """Tell whether a failure's trickle began when the question says the trouble did.

    NVMe timeouts from 02:49 that only flood from 02:59, when the trouble began "about
    02:50", began at 02:49: their first line is the onset, not the flood's.
    """
    first, began = candidate.first.time, candidate.onset_line.time
    if candidate.onset == 0 or first is None or began is None:
        return False
    return abs(first - stated) <= STATED_NEAR < began - stated


def _over_before(candidate: Candidate, stated: datetime) -> bool:
    """Tell whether a failure, every occurrence of it seen, ended before the onset.

    Refused connections from 03:41 to 03:42, when the question says the trouble began
    at 03:53, are an earlier episode that had passed, not the incident; so is even a
    single 429 logged more than `LONG_BEFORE` before it.
    """
    times = [line.time for line in candidate.lines if line.time is not None]
    if not times or len(times) != len(candidate.lines) or len(times) < candidate.count:
        return False
    if max(times) < stated - LONG_BEFORE:
        return True
    return len(times) >= ENDED_EPISODE_COUNT and max(times) < stated - PRE_EXISTING_MARGIN


def _whole_span(candidates: list[Candidate], spans: Mapping[str, Span]) -> Span | None:
    """Return the case's time span: its evidence's, else (metrics alone) its lines' times."""
    if spans:
        return min(span[0] for span in spans.values()), max(span[1] for span in spans.values())
    times = [line.time for c in candidates for line in c.lines if line.time is not None]
    return (min(times), max(times)) if times else None


def _steady_across(candidate: Candidate, stated: datetime, whole: Span) -> bool:
    """Tell whether an error ran at about the same rate before the stated onset as after it.

    A failure present well before the moment the person says the trouble began, and not
    much more frequent since, is part of the background, whatever else happened: even a
    recognised cause (a reverse-DNS warning) cannot explain trouble that began later.
    """
    times = [key[0] for key in candidate.keys if key[0] != LATEST]
    if not times or times[0] >= stated - PRE_EXISTING_MARGIN:
        return False
    start, end = whole
    if times[0] - start > EDGE_SHARE * (end - start):
        return False  # it began inside the evidence, after a clean stretch: a change
    before = sum(1 for time in times if time < stated)
    # The lines are a case's first occurrences; when they reach past the stated onset,
    # every earlier one is among them and the rest of the count came after.
    after = (
        max(len(times), candidate.count) - before if times[-1] >= stated else len(times) - before
    )
    before_rate = before / max((stated - start).total_seconds(), 1.0)
    after_rate = after / max((end - stated).total_seconds(), 1.0)
    return after_rate < RATE_JUMP * before_rate


def _incident_onset(candidates: list[Candidate], whole: Span) -> datetime | None:
    """Return when the case's problem lines jump in rate, if they do."""
    times = sorted(key[0] for candidate in candidates for key in candidate.keys if key[0] != LATEST)
    if not times:
        return None
    onset = find_onset(times, *whole)
    return times[onset.index] if onset.index > 0 else None


def _count(candidates: list[Candidate], evidence: Sequence[EvidenceSummary]) -> None:
    """Count occurrences, trusting the evidence's group counts when they say more."""
    group_counts: Mapping[str, dict[str, int]] = {
        item.evidence_id: item.group_counts for item in evidence
    }
    for candidate in candidates:
        seen = {(line.evidence_id, line.group) for line in candidate.lines}
        whole = sum(group_counts.get(eid, {}).get(group, 0) for eid, group in seen)
        candidate.count = max(len(candidate.lines), whole)


def _link_consequences(candidates: list[Candidate]) -> None:
    """Mark symptoms and generic errors that began after a known cause as its consequences."""
    # A failure running steadily since before the incident explains nothing that began in it.
    causes = [c for c in candidates if c.is_cause_like and not c.background]
    for candidate in candidates:
        if candidate.is_cause_like or candidate.consequence_of is not None:
            continue
        # A symptom logged in the same instant as a cause is still its consequence; an access
        # log stamps whole seconds, at the end of the request, so an instant spans a little.
        began = candidate.onset_key[0]
        until = began if began == LATEST else began + SAME_INSTANT
        earlier = [cause for cause in causes if cause.onset_key[0] <= until]
        if earlier:
            # A service's own latency rising follows from its own CPU step before it follows
            # from another service's earlier change.
            own = (cause for cause in earlier if cause.component == candidate.component)
            candidate.follows_from(_root(next(own, earlier[0])))


def _root(cause: Candidate) -> Candidate:
    """Follow a cause that is itself a consequence back to where it began.

    CPU stepping up as a service restarts on a new version is that restart's start-up:
    the errors the new version then throws follow from the restart, not from the CPU.
    """
    seen = {id(cause)}
    while cause.consequence_of is not None and id(cause.consequence_of) not in seen:
        cause = cause.consequence_of
        seen.add(id(cause))
    return cause


def _frequency(count: int) -> float:
    """Log-scale a count to 0..1 so a flood cannot outweigh a specific cause."""
    return min(1.0, math.log10(count + 1) / 3)


def asks_what_changed(question: str | None) -> bool:
    """Tell whether the question asks what changed."""
    return bool(question and _WHAT_CHANGED.search(question))


def _score(candidate: Candidate, question: str | None) -> None:
    """Set a candidate's score and confidence."""
    several = min(1.0, candidate.count / 3)
    signature = candidate.signature
    if signature is not None:
        cause = max(0.0, min(1.0, (6 - signature.causal_rank) / 5))
        weight = signature.weight
        confidence = 0.2 + 0.45 * weight + 0.15 * candidate.earliness + 0.15 * several
        confidence = min(MAX_CONFIDENCE, confidence)
    else:
        cause = 0.5
        level = candidate.first.level
        weight = _GENERIC_WEIGHT.get(level, _GENERIC_WARN_WEIGHT) if level else 0.1
        confidence = min(0.45, 0.1 + 0.15 * candidate.earliness + 0.1 * several + 0.3 * weight)
    score = 0.35 * weight + 0.25 * cause + 0.25 * candidate.earliness
    score += 0.15 * _frequency(candidate.count)
    if felt_by_its_own_service(candidate):
        score += CORROBORATION_BONUS
    if question and candidate.component and candidate.component.lower() in question.lower():
        score += 0.05
    asked_for = signature is not None and signature.is_change and asks_what_changed(question)
    if asked_for and candidate.explains:
        score += ASKED_FOR_CHANGES_BONUS
    if candidate.consequence_of is not None:
        score *= CONSEQUENCE_FACTOR
        confidence *= CONSEQUENCE_FACTOR
    if candidate.background or candidate.earlier_cases >= CHRONIC_CASES:
        score *= BACKGROUND_FACTOR
        confidence *= BACKGROUND_FACTOR
    candidate.score = round(score, 4)
    candidate.confidence = round(max(0.0, min(1.0, confidence)), 3)


def _one_per_place(candidates: list[Candidate]) -> list[Candidate]:
    """Fold readings of one category in one component into the best-scored of them.

    A slow service shows as its latency rising, its callers' timeouts and their reset
    connections: three readings of one cause, one hypothesis citing each. Unrecognised
    errors and background stay apart.
    """
    kept: list[Candidate] = []
    best: dict[tuple[str, Category], Candidate] = {}
    for candidate in sorted(candidates, key=lambda c: (-c.score, c.onset_key, c.id)):
        category = candidate.cause_category
        if category is None or candidate.component is None or candidate.background:
            kept.append(candidate)
            continue
        place = (candidate.component, category)
        if place in best:
            best[place].folded.append(candidate)
            continue
        best[place] = candidate
        kept.append(candidate)
    return kept


def rank_candidates(
    candidates: list[Candidate], question: str | None, limit: int = 5
) -> list[Candidate]:
    """Score candidates and keep the best `limit`: signatures first, error groups to fill."""
    total = len(candidates)
    for order, candidate in enumerate(candidates):
        candidate.earliness = 1.0 - order / total if total else 0.0
    releases_started_without_settings(candidates)
    link_changes_to_their_failures(candidates)
    link_metric_moves(candidates)
    candidates = attach_snapshots(candidates)
    link_named_services(candidates)
    link_lookups_to_saturated_forwarder(candidates)
    link_unplaced_to_placed(candidates)
    link_crashes_to_causes(candidates)
    link_pool_exhaustion_to_blocked_queries(candidates)
    link_unrecognised_to_recognised(candidates)
    link_refusals_to_failed_start(candidates)
    _link_consequences(candidates)
    name_releases_after_their_bugs(candidates)
    for candidate in candidates:
        _score(candidate, question)
    demote_unfollowed_changes(candidates)
    candidates = _one_per_place(logs_name_measured_changes(candidates))

    def best_first(items: list[Candidate]) -> list[Candidate]:
        return sorted(items, key=lambda c: (-c.score, c.onset_key, c.id))

    chosen = best_first([c for c in candidates if c.signature is not None])[:limit]
    generic = best_first([c for c in candidates if c.signature is None])
    chosen += generic[: limit - len(chosen)]
    return best_first(chosen)
