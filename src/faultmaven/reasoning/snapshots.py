"""Attach pasted command output to the dated failures it explains.

A snapshot candidate (a table row someone pasted) has no time, so it cannot be ordered
among the failures; what it can do is say where a failure lives or what it is:
- the client holding most of the database's sessions is where "too many clients" lives;
- a df row shows the full filesystem behind "No space left on device"; a full inode
  table says the cause is inodes, not space;
- an `ss -ltn` row whose accept queue is full, run on a host a prompt names, says which
  host the timeouts connecting to it come from;
- `openssl s_client` failing on one host and passing on another says the TLS failures
  are that host's outdated trust store (verification) or its TLS settings (handshake);
- a time service that is stopped or unsynchronised on a host a prompt names says whose
  clock the skew errors come from;
- a forgotten prepared transaction says what the slow queries over bloated tables are;
- a thread dump whose pool is starved says why the service its callers time out on is
  slow;
- a configuration diff that cut a timeout says why the program it configures (or the
  host it changed on) times out requests and drops their connections; a proxy's read
  timeout, cut or merely configured, is the proxy's when its 504s end at it
  (`reasoning.cut_timeouts`);
- a Redis at its memory limit evicting keys says why sessions, carts or tokens stored in it
  are reported not found (`reasoning.evicted_keys`);
- a proxy naming its upstream by a host name it resolves only at start-up says why that
  host's proxy fails to reach an upstream that moved;
- a synchronous standby that is named but not connected says why the primary's writers
  hang: their timeouts and exhausted pools are its;
- a name one host resolves from its /etc/hosts (or the cluster's CoreDNS from its hosts
  block) to an address DNS no longer gives says why that host's services (or every
  service asking for that name) fail where the others' do not;
- a DNS server's firewall letting port 53 in over UDP only says why lookups whose answers
  fall back to TCP go unanswered;
- an EC2 instance's link-local allowance exceeded (`ethtool -S`) says why its lookups to
  the VPC resolver fail;
- one CPU of a host saturated by interrupts while the others idle (`mpstat`) says why
  traffic through that host is dropped: its packet loss and timeouts follow from it;
- a route table lacking a route its siblings have says why connections to addresses in
  that route's range time out;
- a node-local DNS cache running on fewer nodes than the other DaemonSets says why lookups
  go unanswered on the nodes it misses;
- what a cluster's pasted state says (an unavailable aggregated API, a Secret encoded
  twice, a second workload behind a selector, a new default IngressClass, a suspended
  CronJob, a selectorless Service's stale Endpoints) is in `reasoning.cluster_snapshots`;
- a client host MySQL blocked, a Lua script blocking Redis, cross-zone balancing turned
  off, a Must-Staple certificate served unstapled, one workload hogging the nodes' CPU
  are in `reasoning.server_snapshot_rules`.
A snapshot that explains nothing dated stays a candidate of its own, unless it shows a
state that is normal without the failure it would explain (a default IngressClass).
"""

import ipaddress
import re
from collections.abc import Callable, Collection

from faultmaven.domain.diagnosis import Category
from faultmaven.domain.service_names import is_dns_server
from faultmaven.reasoning.candidates import LATEST, Candidate
from faultmaven.reasoning.cluster_snapshots import CLUSTER_ONLY_WITH_A_FAILURE, CLUSTER_RULES
from faultmaven.reasoning.cut_timeouts import (
    blame_lowered_timeout,
    blame_proxy_timeout,
    cut_off_requests,
    requests_cut_at_timeout,
)
from faultmaven.reasoning.evicted_keys import keys_reported_lost
from faultmaven.reasoning.server_snapshot_rules import SERVER_ONLY_WITH_A_FAILURE, SERVER_RULES
from faultmaven.reasoning.snapshot_blame import (
    Blame,
    Find,
    blame_at_snapshot_host,
    blame_named_after_snapshot,
    dated_failures,
    most_reported,
    others_follow,
    place_at_holder,
)

# A full filesystem this many programs report is the host's, not one program's.
HOST_WIDE_REPORTERS = 2
# Snapshots that place what they explain on the host a prompt names: its listen queue
# overflows, its trust store is out of date, its TLS settings refuse the server's, its clock
# is not kept.
_AT_A_NAMED_HOST = frozenset(
    {
        "snapshot_listen_queue_full",
        "snapshot_trust_store_outdated",
        "snapshot_clock_unsynchronised",
        "snapshot_tls_settings_refuse",
    }
)
# Snapshots that say what the failure they explain is (slow queries over tables bloated
# behind a forgotten prepared transaction).
_NAMES_WHAT_IT_EXPLAINS = frozenset({"snapshot_prepared_transaction"})
# What writers waiting on commits that never return report.
_STALLED_WRITES = frozenset({"timeout", "connection_pool_exhausted", "slow_query"})


def attach_snapshots(candidates: list[Candidate]) -> list[Candidate]:
    """Fold each snapshot candidate into the dated failure it explains; return the rest."""
    dropped: set[int] = set()
    for snapshot in candidates:
        signature = snapshot.signature
        if signature is None or not signature.snapshot:
            continue
        blamed = _BLAMED_BY_OWN_RULE.get(signature.id)
        if blamed is not None:
            find, blame = blamed
            target = find(snapshot, candidates)
            if target is not None:
                blame(target, snapshot, candidates)
            if target is not None or signature.id in _ONLY_WITH_A_FAILURE:
                dropped.add(id(snapshot))
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
        if _says_where(snapshot):
            place_at_holder(explained, snapshot)
        elif signature.category is Category.DISK:
            dropped |= {id(other) for other in _place_at_host(explained, snapshot, candidates)}
            if signature.id == "snapshot_inodes_full":
                explained.signature = signature
        elif signature.id in _NAMES_WHAT_IT_EXPLAINS:
            explained.signature = signature
            _resource_moves_follow(explained, candidates)
    return [candidate for candidate in candidates if id(candidate) not in dropped]


def _resource_moves_follow(cause: Candidate, candidates: list[Candidate]) -> None:
    """Make the measured moves of the cause's own server follow from it.

    A transaction holding back vacuum bloats the tables: the database's CPU and I/O climb
    for hours before its clients' queries time out, and are that transaction's work.
    """
    others_follow(
        cause,
        candidates,
        lambda c: (
            c.signature is not None and c.signature.measured and c.component == cause.component
        ),
    )


def _says_where(snapshot: Candidate) -> bool:
    """Tell whether a snapshot names where what it explains lives: a holder, a named host."""
    assert snapshot.signature is not None
    if snapshot.signature.id == "snapshot_connections_held":
        return True
    return snapshot.signature.id in _AT_A_NAMED_HOST and bool(snapshot.first.host)


def _explained_failure(snapshot: Candidate, candidates: list[Candidate]) -> Candidate | None:
    """Return the dated failure of the snapshot's category it explains, if any.

    That is the one already named the cause of the others of its category (a heavy job
    filling the disk the others found full), else the one reported most; one on the host
    the snapshot's prompt names comes first.
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
    host = snapshot.first.host
    return max(
        dated,
        key=lambda c: (bool(host) and c.component == host, c.category is category, c.count, c.id),
        default=None,
    )


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


def _failing_on_host(snapshot: Candidate, candidates: list[Candidate]) -> Candidate | None:
    """Return the dated failure reported most by a service on the snapshot's host, if any.

    A service runs on a host named like it (`web-04-app` on `web-04`). A pin in the
    cluster's resolver is felt by every service: there, the failures whose lines name the
    pinned name or its stale address are its.
    """
    host = snapshot.first.host
    if not host:
        return None
    dated = [c for c in dated_failures(candidates) if c.component is not None]
    if is_dns_server(host):
        pinned = snapshot.first.text.split()
        return most_reported(c for c in dated if any(word in c.first.text for word in pinned))
    return most_reported(
        c for c in dated if c.component == host or str(c.component).startswith(f"{host}-")
    )


# What a proxy calling addresses its upstream no longer has reports.
_UPSTREAM_UNREACHABLE = frozenset({Category.NETWORK, Category.DEPENDENCY})


def _proxy_failing_on_host(snapshot: Candidate, candidates: list[Candidate]) -> Candidate | None:
    """Return the dated upstream failure reported most by the proxy on the snapshot's host."""
    host = snapshot.first.host
    if not host:
        return None
    return most_reported(
        c
        for c in dated_failures(candidates)
        if c.cause_category in _UPSTREAM_UNREACHABLE
        and (host in {c.component, c.reporter, *c.also_in} or host in c.first.evidence_name)
    )


# A resolver's query that got no answer: Go's `lookup NAME on 10.0.0.2:53: i/o timeout`,
# dig's `no servers could be reached`.
_UNANSWERED_LOOKUP = re.compile(r"\blookup \S+ on \S+:53\b|\bno servers could be reached\b")


def _failing_lookups(snapshot: Candidate, candidates: list[Candidate]) -> Candidate | None:
    """Return the dated failure reported most whose lines are lookups left unanswered."""
    return most_reported(
        candidate
        for candidate in dated_failures(candidates)
        if candidate is not snapshot
        and any(_UNANSWERED_LOOKUP.search(line.text) for line in candidate.lines)
    )


def _failing_resolution(snapshot: Candidate, candidates: list[Candidate]) -> Candidate | None:
    """Return the dated name-resolution failure reported most, if any."""
    return most_reported(
        candidate
        for candidate in dated_failures(candidates)
        if candidate is not snapshot and candidate.cause_category is Category.DNS
    )


def _stalled_writes(_snapshot: Candidate, candidates: list[Candidate]) -> Candidate | None:
    """Return the dated timeouts or pool exhaustion reported most, if any."""
    return most_reported(
        candidate
        for candidate in dated_failures(candidates)
        if candidate.signature is not None and candidate.signature.id in _STALLED_WRITES
    )


def _blame_missing_standby(
    stalled: Candidate, snapshot: Candidate, candidates: list[Candidate]
) -> None:
    """Make the writers' stall the missing standby's; their other timeouts follow from it."""
    stalled.folded.insert(0, snapshot)
    place_at_holder(stalled, snapshot)
    for candidate in candidates:
        signature = candidate.signature
        waiting = signature is not None and signature.id in _STALLED_WRITES
        dated = candidate.onset_key[0] != LATEST
        if waiting and dated and candidate is not stalled and candidate.consequence_of is None:
            candidate.follows_from(stalled)


# What a host dropping packets shows: loss and retransmits, timeouts through it.
_DROPPED_TRAFFIC = frozenset({Category.NETWORK})


def _saturated_host(snapshot: Candidate, candidates: list[Candidate]) -> Candidate | None:
    """Return the host's dated CPU failure, else the earliest dated network trouble at it."""
    host = snapshot.first.host
    at_host = [c for c in dated_failures(candidates) if host and c.component == host]
    cpu = [c for c in at_host if c.cause_category is Category.CPU]
    if cpu:
        return most_reported(cpu)
    dropped = [c for c in at_host if c.cause_category in _DROPPED_TRAFFIC]
    return min(dropped, key=lambda c: (c.onset_key, c.id), default=None)


def _blame_saturated_cpu(
    failure: Candidate, snapshot: Candidate, candidates: list[Candidate]
) -> None:
    """Make the failure the pinned interrupts'; the host's dropped traffic follows from it.

    A CPU climbing with the evening's load before the trouble is no background here: the
    snapshot shows it saturated while the trouble lasts.
    """
    blame_named_after_snapshot(failure, snapshot, candidates)
    failure.background = False
    for candidate in dated_failures(candidates):
        dropped = candidate.cause_category in _DROPPED_TRAFFIC
        at_host = candidate.component == snapshot.first.host
        if dropped and at_host and candidate is not failure and candidate.consequence_of is None:
            candidate.follows_from(failure)


_ADDRESS = re.compile(r"(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?![\d.])")
_CIDR = re.compile(r"(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}/\d{1,2}\b")


def _unrouted(snapshot: Candidate) -> Callable[[Candidate], bool]:
    """Return a test of whether a failure's lines name an address the missing route covers."""
    scope = _CIDR.search(snapshot.first.group)  # the finding's scope, joined to its group
    try:
        network = ipaddress.ip_network(scope.group(0) if scope else "", strict=False)
    except ValueError:
        return lambda _candidate: False

    def covered(address: str) -> bool:
        try:
            return ipaddress.ip_address(address) in network
        except ValueError:
            return False

    return lambda candidate: any(
        covered(address) for line in candidate.lines for address in _ADDRESS.findall(line.text)
    )


def _unrouted_failures(snapshot: Candidate, candidates: list[Candidate]) -> Candidate | None:
    """Return the dated failure reported most that reaches for an address the route covers."""
    unrouted = _unrouted(snapshot)
    return most_reported(c for c in dated_failures(candidates) if unrouted(c))


def _blame_missing_route(
    failure: Candidate, snapshot: Candidate, candidates: list[Candidate]
) -> None:
    """Make the failure the route table's; other failures to those addresses follow from it."""
    blame_named_after_snapshot(failure, snapshot, candidates)
    others_follow(failure, candidates, _unrouted(snapshot))


# Snapshots with a rule of their own: which dated failure they explain, and how they take it.
_BLAMED_BY_OWN_RULE: dict[str, tuple[Find, Blame]] = {
    "snapshot_timeout_lowered": (cut_off_requests, blame_lowered_timeout),
    "snapshot_hosts_file_pin": (_failing_on_host, blame_at_snapshot_host),
    "snapshot_dns_tcp_blocked": (_failing_lookups, blame_at_snapshot_host),
    "snapshot_linklocal_allowance_exceeded": (_failing_resolution, blame_at_snapshot_host),
    "snapshot_sync_standby_missing": (_stalled_writes, _blame_missing_standby),
    "snapshot_softirq_one_cpu": (_saturated_host, _blame_saturated_cpu),
    "snapshot_route_missing": (_unrouted_failures, _blame_missing_route),
    "snapshot_node_dns_cache_missing": (_failing_lookups, blame_named_after_snapshot),
    "snapshot_proxy_timeout_set": (requests_cut_at_timeout, blame_proxy_timeout),
    "snapshot_redis_evicting": (keys_reported_lost, blame_named_after_snapshot),
    "snapshot_upstream_resolved_once": (_proxy_failing_on_host, blame_at_snapshot_host),
    **CLUSTER_RULES,
    **SERVER_RULES,
}
# Snapshots showing a normal state unless a failure they explain is seen: dropped without one.
_ONLY_WITH_A_FAILURE = (
    CLUSTER_ONLY_WITH_A_FAILURE
    | SERVER_ONLY_WITH_A_FAILURE
    | {
        "snapshot_proxy_timeout_set",
        "snapshot_redis_evicting",  # a cache evicting at its limit is doing its job
        "snapshot_upstream_resolved_once",  # a name that never moves stays right
    }
)


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
