"""A server bound to loopback, as the cause of connections refused at its port.

"http server listening addr=127.0.0.1:8080" is how a server on one machine is meant to
start, behind a local proxy; inside a pod, or behind a load balancer, it means nothing
else can reach it: probes and callers dialling the pod's address are refused while the
process reports itself healthy. So the start-up line is a cause only when the case shows
connections refused at that port on an address other than loopback.
"""

import re
from collections.abc import Collection, Iterable

from faultmaven.reasoning.candidates import Candidate

LISTENING_ON_LOOPBACK = "listening_on_loopback"
# A start-up line announcing a listener on loopback (not a metrics, admin or debug one).
LOOPBACK_LISTENER = re.compile(
    r"(?i)^(?!.*\b(?:metrics|admin|pprof|debug|management|prometheus)\b)"
    r".*\blisten(?:s|ing)?\b.{0,60}?(?:127\.0\.0\.1|localhost|\[::1\]):(?P<port>\d{2,5})\b"
)
# A connection refused at an address other than loopback: `dial tcp 10.52.6.17:8080:
# connect: connection refused` (kubelet probes, Go clients), `Connection refused (10.0.0.5:80)`.
_REFUSED_AT = re.compile(
    r"(?<![\d.])(?!127\.)\d{1,3}(?:\.\d{1,3}){3}:(?P<port>\d{2,5})\b[^\n]{0,40}?"
    r"connection refused",
    re.IGNORECASE,
)


def refused_ports(texts: Iterable[Iterable[str]]) -> frozenset[int]:
    """Return the ports the texts show connections refused at, on non-loopback addresses."""
    return frozenset(
        int(found.group("port"))
        for lines in texts
        for line in lines
        for found in _REFUSED_AT.finditer(line)
    )


def keep_refused_listeners(
    candidates: list[Candidate], refused: Collection[int]
) -> list[Candidate]:
    """Drop loopback listeners whose port nothing was refused at; keep everything else."""
    return [
        candidate
        for candidate in candidates
        if candidate.signature is None
        or candidate.signature.id != LISTENING_ON_LOOPBACK
        or _port(candidate) in refused
    ]


def _port(candidate: Candidate) -> int | None:
    found = LOOPBACK_LISTENER.search(candidate.first.text)
    return int(found.group("port")) if found else None
