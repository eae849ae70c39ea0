"""Snapshot rules for servers, balancers and the nodes they run on.

- a client host MySQL blocked for connection errors takes the "Host is blocked" refusals;
- a Lua script the Redis slow log shows running for seconds takes the BUSY errors, placed
  at the client that ran it;
- a load balancer's cross-zone balancing turned off takes its targets' overloads;
- a Must-Staple certificate served without a staple takes the TLS failures on its host,
  and those of hosts serving the same certificate;
- one workload's pods hogging the nodes' CPU take their neighbours' slowness;
- NUMA zone reclaim turned on takes the slowness of its host (slow queries, disk reads,
  memory pressure);
- a certificate naming its host only as its Common Name takes the TLS failures on its
  host (else anywhere);
- a host's first nameserver not answering takes the timeouts its programs log;
- a transaction left open for days takes the database's refusals near wraparound;
- a private DNS zone takes the failures to resolve names under it (the failing hosts'
  network is not associated with it).
"""

import re

from faultmaven.domain.diagnosis import Category
from faultmaven.domain.service_names import evidence_stem
from faultmaven.reasoning.candidates import Candidate
from faultmaven.reasoning.snapshot_blame import (
    Blame,
    Find,
    blame_at_snapshot_host,
    blame_named_after_snapshot,
    dated_failures,
    most_reported,
    others_follow,
)

# MySQL refusing a client whose address it blocked for connection errors.
_BLOCKED = re.compile(r"Host '[^']+' is blocked because of many connection errors")


def _blocked_connections(_snapshot: Candidate, candidates: list[Candidate]) -> Candidate | None:
    """Return the dated failure reported most whose lines are MySQL refusing a blocked host."""
    return most_reported(
        c
        for c in dated_failures(candidates)
        if _BLOCKED.search(c.group) or any(_BLOCKED.search(line.text) for line in c.lines)
    )


def _busy_script_reports(_snapshot: Candidate, candidates: list[Candidate]) -> Candidate | None:
    """Return the dated reports of Redis busy with (or slowed by) a script, most reported."""
    return most_reported(
        c
        for c in dated_failures(candidates)
        if c.signature is not None and c.signature.id == "redis_script_busy"
    )


# What targets overloaded by an uneven share of traffic report.
_OVERLOAD = frozenset({Category.CPU, Category.CONNECTION_POOL, Category.NETWORK})


def _overloaded_targets(_snapshot: Candidate, candidates: list[Candidate]) -> Candidate | None:
    """Return the dated overload (CPU, connections, timeouts) reported most."""
    return most_reported(_overloads(candidates))


def _starved_neighbours(snapshot: Candidate, candidates: list[Candidate]) -> Candidate | None:
    """Return the dated slowness (CPU, timeouts) reported most by another workload."""
    return most_reported(c for c in _overloads(candidates) if c.component != snapshot.component)


def _overloads(candidates: list[Candidate]) -> list[Candidate]:
    return [c for c in dated_failures(candidates) if _overloaded(c)]


def _overloaded(candidate: Candidate) -> bool:
    return candidate.cause_category in _OVERLOAD and not candidate.background


def _blame_one_of_the_overloads(
    failure: Candidate, snapshot: Candidate, candidates: list[Candidate]
) -> None:
    """Name one overload after the snapshot (a balancer, a CPU hog); the other overloads follow."""
    blame_named_after_snapshot(failure, snapshot, candidates)
    others_follow(failure, candidates, _overloaded)


def _handshakes_failing_on_host(
    snapshot: Candidate, candidates: list[Candidate]
) -> Candidate | None:
    """Return the dated TLS failure reported most on the snapshot's host, else anywhere."""
    failing = [c for c in dated_failures(candidates) if c.cause_category is Category.TLS]
    host = snapshot.first.host
    own = [c for c in failing if host and host in {c.component, c.reporter, *c.also_in}]
    return most_reported(own or failing)


def _blame_shared_certificate(
    failure: Candidate, snapshot: Candidate, candidates: list[Candidate]
) -> None:
    """Place the TLS failure at the host; other hosts serving the same certificate follow."""
    blame_at_snapshot_host(failure, snapshot, candidates)
    others_follow(failure, candidates, lambda c: c.cause_category is Category.TLS)


def _lookups_under_zone(snapshot: Candidate, candidates: list[Candidate]) -> Candidate | None:
    """Return the dated DNS failure reported most whose lines name a host under the zone."""
    zone = snapshot.component
    if not zone:
        return None
    under = re.compile(rf"[\w-]\.{re.escape(zone)}\b", re.IGNORECASE)
    return most_reported(
        c
        for c in dated_failures(candidates)
        if c.cause_category is Category.DNS and any(under.search(line.text) for line in c.lines)
    )


# What a host stalling in page reclaim shows: its queries slow down, it reads from disk.
_RECLAIM_STALLS = frozenset({Category.DATABASE, Category.DISK, Category.MEMORY, Category.CPU})
# What a host waiting seconds on each lookup logs: its calls time out, lookups fail.
_SLOW_LOOKUPS = frozenset({Category.NETWORK, Category.DNS})


def _trouble_on_host(categories: frozenset[Category], *, ongoing: bool) -> tuple[Find, Blame]:
    """Return a rule whose snapshot of a host takes the host's failures of these categories.

    The failure reported most on the host is placed there, named after the snapshot; the
    host's other such failures follow. `ongoing` leaves out failures that were background.
    """

    def troubled(candidate: Candidate, host: str) -> bool:
        return (
            candidate.cause_category in categories
            and not (ongoing and candidate.background)
            and _logged_on(candidate, host)
        )

    def find(snapshot: Candidate, candidates: list[Candidate]) -> Candidate | None:
        host = snapshot.first.host
        return most_reported(c for c in dated_failures(candidates) if host and troubled(c, host))

    def blame(failure: Candidate, snapshot: Candidate, candidates: list[Candidate]) -> None:
        blame_at_snapshot_host(failure, snapshot, candidates)
        host = snapshot.first.host or ""
        others_follow(failure, candidates, lambda c: troubled(c, host))

    return find, blame


def _logged_on(candidate: Candidate, host: str) -> bool:
    """Tell whether a failure is reported on the host: by it, or in its own logs."""
    if host in {candidate.component, candidate.reporter, *candidate.also_in}:
        return True
    return any(evidence_stem(line.evidence_name) == host for line in candidate.lines)


def _wraparound_refusals(_snapshot: Candidate, candidates: list[Candidate]) -> Candidate | None:
    """Return the dated reports of the database nearing transaction-ID wraparound."""
    return most_reported(
        c
        for c in dated_failures(candidates)
        if c.signature is not None and c.signature.id == "xid_wraparound"
    )


SERVER_RULES: dict[str, tuple[Find, Blame]] = {
    "snapshot_host_blocked": (_blocked_connections, blame_named_after_snapshot),
    "snapshot_redis_slow_script": (_busy_script_reports, blame_named_after_snapshot),
    "snapshot_cross_zone_disabled": (_overloaded_targets, _blame_one_of_the_overloads),
    "snapshot_must_staple_unstapled": (_handshakes_failing_on_host, _blame_shared_certificate),
    "snapshot_pod_cpu_hog": (_starved_neighbours, _blame_one_of_the_overloads),
    "snapshot_private_zone": (_lookups_under_zone, blame_named_after_snapshot),
    "snapshot_zone_reclaim_on": _trouble_on_host(_RECLAIM_STALLS, ongoing=True),
    "snapshot_transaction_left_open": (_wraparound_refusals, blame_named_after_snapshot),
    "snapshot_certificate_without_san": (_handshakes_failing_on_host, blame_at_snapshot_host),
    "snapshot_first_resolver_dead": _trouble_on_host(_SLOW_LOOKUPS, ongoing=False),
}
# Snapshots showing a state that harms only when a failure they explain is seen (a private
# zone, a sysctl, a session, a certificate, a resolver list): dropped without one.
SERVER_ONLY_WITH_A_FAILURE = frozenset(
    {
        "snapshot_private_zone",
        "snapshot_zone_reclaim_on",
        "snapshot_transaction_left_open",
        "snapshot_certificate_without_san",
        "snapshot_first_resolver_dead",
    }
)
