"""A proxy naming its upstream by host name it resolves only once (`nginx -T`).

nginx resolves the names in an `upstream` block's `server` lines, and in a `proxy_pass`
without variables, when it starts (or reloads), unless the server carries the `resolve`
parameter: a cloud load balancer or a service that later moves to new addresses is then
still called at the old ones, refused or timing out, while the name resolves fine from
everywhere else. The reader reports each such line of a pasted configuration, with the name
as the finding's scope.
"""

import re
from collections.abc import Sequence

from faultmaven.snapshots.finding import SnapshotFinding

# `39:        server internal-ledger-alb-17.eu-central-1.elb.amazonaws.com:443 max_fails=3;`
# (`nginx -T | grep -n` numbers its lines) and `proxy_pass https://api.partner.example;`.
_SERVER = re.compile(r"^(?:\d+:)?\s*server\s+(?P<name>[A-Za-z][\w-]*(?:\.[\w-]+)+)(?::\d+)?[\s;]")
_PROXY_PASS = re.compile(
    r"^(?:\d+:)?\s*proxy_pass\s+https?://(?P<name>[A-Za-z][\w-]*(?:\.[\w-]+)+)(?::\d+)?[/;\s]"
)
_RESOLVE = re.compile(r"\sresolve\b")
_ADDRESS_NAME = re.compile(r"^\d+(?:\.\d+){3}$")


def upstream_name_findings(lines: Sequence[str]) -> list[SnapshotFinding]:
    """Return each upstream named by host name that nginx resolves only at start-up."""
    found: list[SnapshotFinding] = []
    for number, line in enumerate(lines, start=1):
        named = _SERVER.match(line) or _PROXY_PASS.match(line)
        if named is None or "$" in line or _RESOLVE.search(line):
            continue
        name = named.group("name")
        if _ADDRESS_NAME.match(name):
            continue
        found.append(
            SnapshotFinding(
                kind="upstream_resolved_once",
                subject="",
                line_start=number,
                line_end=number,
                detail=f"{name} is resolved once, when the proxy starts",
                scope=name,
            )
        )
    return found
