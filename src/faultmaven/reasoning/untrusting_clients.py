"""A client that trusts none of its servers: its own trust store lost the issuing CA.

"PKIX path building failed: unable to find valid certification path" in claims-api's log,
calling policy-svc and then docs-svc: each failure is first placed at the server it
names, but two servers' certificates rarely break together. A client unable to build a
chain to any of them lacks the CA that issued them (a rebuilt base image without the
internal root); the failure is the client's. The lines may not say which (a stack trace's
head names only the call), so only an ended or mismatched certificate, which is the
servers' own, keeps the failures apart.
"""

import re

from faultmaven.reasoning.candidates import Candidate

# Certificates that ended, or serve another name: the servers' own, shared or not (a
# wildcard certificate expiring breaks every server it covers at once).
_SERVERS_OWN = re.compile(
    r"certificate has expired|certificate is not yet valid|certificate expired"
    r"|doesn't match|does not match|not valid for|no subject alternative",
    re.IGNORECASE,
)
# Servers a client must fail to trust before the client is the one in question.
MIN_SERVERS = 2


def place_untrusting_clients(candidates: list[Candidate]) -> list[Candidate]:
    """Fold one client's untrusted-issuer failures at several servers into one at the client.

    The earliest of them stays, placed back at its reporter, and takes the others in.
    """
    by_client: dict[str, list[Candidate]] = {}
    for candidate in candidates:
        signature = candidate.signature
        if signature is None or signature.id != "tls_error" or not candidate.placed_elsewhere:
            continue
        if any(_SERVERS_OWN.search(line.text) for line in candidate.lines):
            continue
        assert candidate.reporter is not None
        by_client.setdefault(candidate.reporter, []).append(candidate)
    dropped: set[int] = set()
    for client, failures in by_client.items():
        if len({failure.component for failure in failures}) < MIN_SERVERS:
            continue
        first, *others = sorted(failures, key=lambda c: (c.onset_key, c.id))
        first.place_at(client)
        for other in others:
            first.absorb(other)
            dropped.add(id(other))
    return [candidate for candidate in candidates if id(candidate) not in dropped]
