"""Lookups failing while the resolver they use drops queries past its limit.

A dnsmasq forwarder at its dns-forward-max logs `Maximum number of concurrent DNS queries
reached` only now and then (it throttles its own warnings), while its clients log every
failed lookup (`server misbehaving`, EAI_AGAIN): the clients' first failure may come a
minute before the forwarder's first warning. Their failures in the same stretch follow
from the saturated forwarder.
"""

from datetime import timedelta

from faultmaven.reasoning.candidates import LATEST, Candidate

SATURATED = "dns_forwarder_saturated"
# How far apart the clients' first failed lookup and the forwarder's first warning may be.
TOGETHER = timedelta(minutes=5)


def link_lookups_to_saturated_forwarder(candidates: list[Candidate]) -> None:
    """Mark failed lookups that began with a saturated forwarder's warnings as its effect."""
    forwarders = [
        c
        for c in candidates
        if c.signature is not None and c.signature.id == SATURATED and c.onset_key[0] != LATEST
    ]
    if not forwarders:
        return
    for failed in candidates:
        signature = failed.signature
        if signature is None or signature.id != "dns_failure" or failed.consequence_of:
            continue
        began = failed.onset_key[0]
        if began == LATEST:
            continue
        near = [f for f in forwarders if abs(f.first_key[0] - began) <= TOGETHER]
        if near:
            failed.follows_from(min(near, key=lambda f: (f.first_key, f.id)))
