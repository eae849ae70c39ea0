"""Timeouts as the cause of the requests they cut: one lowered in a diff, a proxy's read timeout.

A timeout lowered in a diff is a change: the timeouts of the program it configures (a
proxy's own upstream timeouts, wherever its log lies) and the aborts they cause are its.
A proxy's timeout merely configured is a cause only when the failing requests end at
exactly it: 504s whose request time is the configured 20 s, while the backend finishes
them later. Both place the cause at the proxy.
"""

import re

from faultmaven.reasoning.candidates import LATEST, Candidate
from faultmaven.reasoning.snapshot_blame import dated_failures, place_at_holder

# The failures a timeout cut short produces: requests timed out, clients cut off mid-answer.
_CUT_OFF_REQUESTS = frozenset({"timeout", "client_disconnected"})

# A proxy's own timeout for its upstream: nginx's and ingress-nginx's, HAProxy's, Envoy's.
_PROXY_TIMEOUT_SETTING = re.compile(
    r"\bproxy[_-](?:read|send|connect)[_-]timeout\b|\btimeout\s+(?:server|connect|tunnel)\b"
    r"|\broute\.timeout\b",
    re.IGNORECASE,
)
# What a proxy logs when that timeout cuts a request: nginx's error line, Envoy's body.
_PROXY_CUT_OFF = re.compile(r"\bupstream timed out\b|\bupstream request timeout\b")
# A gateway timeout in an access line, and the durations (seconds, to the millisecond) on it.
_GATEWAY_TIMEOUT = re.compile(r'"\s504\s|\s504\s\d+\s"')
_DURATION = re.compile(r"(?<![\w.:/-])\d{1,5}\.\d{3}(?![\w.:/-])")
_CONFIGURED_SECONDS = re.compile(r"(?P<seconds>\d+(?:\.\d+)?)s$")
# A request cut at the timeout ends within this many seconds after it.
_CUT_SLACK = 1.0
# Cut requests the configured timeout must explain before it is called their cause.
MIN_CUT_REQUESTS = 3


def _sets_proxy_timeout(snapshot: Candidate) -> bool:
    """Tell whether a snapshot's line sets a proxy's timeout for its upstream."""
    return bool(_PROXY_TIMEOUT_SETTING.search(snapshot.first.text))


def _configured_seconds(snapshot: Candidate) -> float | None:
    found = _CONFIGURED_SECONDS.search(snapshot.first.group)
    return float(found.group("seconds")) if found else None


def _cut_at(seconds: float, text: str) -> bool:
    """Tell whether an access line is a 504 that took the configured seconds."""
    if not _GATEWAY_TIMEOUT.search(text):
        return False
    return any(seconds <= float(d) <= seconds + _CUT_SLACK for d in _DURATION.findall(text))


def requests_cut_at_timeout(snapshot: Candidate, candidates: list[Candidate]) -> Candidate | None:
    """Return the dated failure holding most 504s that ended at the configured timeout."""
    seconds = _configured_seconds(snapshot)
    if seconds is None:
        return None
    counted = [
        (sum(_cut_at(seconds, line.text) for line in candidate.lines), candidate)
        for candidate in dated_failures(candidates)
    ]
    best = max(counted, key=lambda pair: (pair[0], pair[1].count, pair[1].id), default=None)
    return best[1] if best is not None and best[0] >= MIN_CUT_REQUESTS else None


def blame_proxy_timeout(
    failing: Candidate, snapshot: Candidate, candidates: list[Candidate]
) -> None:
    """Make the cut requests the timeout's, placed at the proxy it configures.

    That is the controller its ConfigMap names, else the proxy whose log shows the cuts.
    """
    failing.folded.insert(0, snapshot)
    proxy = failing.reporter or failing.component
    place_at_holder(failing, snapshot, snapshot.component or proxy)


def cut_off_requests(snapshot: Candidate, candidates: list[Candidate]) -> Candidate | None:
    """Return the earliest dated timeout where the lowered timeout applies, if any.

    The timeouts must be logged by (or placed at) the program whose configuration changed,
    or on the host it changed on: haproxy's 504s on edge-lb-1, not a database's statement
    timeouts elsewhere. A proxy's timeout (`proxy_read_timeout` in `sites/payments.conf`)
    cuts what the proxy reports as its upstream timing out, wherever its log lies.
    """
    where = {snapshot.component, snapshot.first.host} - {None}
    dated = [
        candidate
        for candidate in dated_failures(candidates)
        if candidate.signature is not None and candidate.signature.id in _CUT_OFF_REQUESTS
    ]
    if _sets_proxy_timeout(snapshot):
        proxied = [c for c in dated if any(_PROXY_CUT_OFF.search(line.text) for line in c.lines)]
        if proxied:
            return min(proxied, key=lambda c: (c.onset_key, c.id))
    at_change = [
        candidate
        for candidate in dated
        if where
        & {candidate.component, candidate.reporter, *candidate.also_in, candidate.first.host}
    ]
    return min(at_change, key=lambda c: (c.onset_key, c.id), default=None)


def blame_lowered_timeout(
    cut_off: Candidate, snapshot: Candidate, candidates: list[Candidate]
) -> None:
    """Make the timeouts the lowered timeout's: named after it, placed where it changed.

    Backends whose clients closed connections mid-answer were cut off by it too, whenever
    they noticed: they follow from it.
    """
    cut_off.folded.insert(0, snapshot)
    proxy = cut_off.component if _sets_proxy_timeout(snapshot) else None
    place_at_holder(cut_off, snapshot, snapshot.first.host or proxy or snapshot.component)
    for candidate in candidates:
        signature = candidate.signature
        aborted = signature is not None and signature.id == "client_disconnected"
        if aborted and candidate.consequence_of is None and candidate.onset_key[0] != LATEST:
            candidate.follows_from(cut_off)
