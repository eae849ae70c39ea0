"""A host whose first nameserver no longer answers, read from resolv.conf and dig.

The C resolver asks the nameservers of /etc/resolv.conf in order and waits the full
timeout (5 s by default) for each silent one before trying the next: a retired resolver
left first (a host rebuilt from an old base image) adds that wait to every lookup, and the
host's calls time out while the resolver it reaches second answers fine. The reader
reports a host's first `nameserver` line when the same text shows a query to that address
timing out.
"""

import re
from collections.abc import Sequence

from faultmaven.snapshots.finding import SnapshotFinding
from faultmaven.snapshots.prompt import prompt_host

_NAMESERVER = re.compile(r"^\s*nameserver\s+(?P<address>[\d.]+|[0-9a-fA-F:]+)\s*$")
# `;; communications error to 10.9.0.53#53: timed out`, `;; connection timed out; no
# servers could be reached` after `dig @10.9.0.53 ...`.
_TIMED_OUT_TO = re.compile(r"communications error to (?P<address>[\d.]+)#53: timed out")
_DIG_AT = re.compile(r"\b(?:dig|nslookup|host)\b.*?@(?P<address>[\d.]+)")
_NO_SERVERS = re.compile(r"no servers could be reached|connection timed out")
# A command line: `$ cmd`, `user@host:~$ cmd`, `[root@host ~]# cmd` (a lone `# ...` in
# resolv.conf is a comment, not root's prompt).
_COMMAND = re.compile(r"^(?:\S*\$|\[?[\w.-]+@[\w.-]+[^$#\n]*[$#])\s+\S")


def dead_resolver_findings(lines: Sequence[str]) -> list[SnapshotFinding]:
    """Return each host's first nameserver line when that address is seen timing out."""
    silent = _silent_resolvers(lines)
    found: list[SnapshotFinding] = []
    first_of_block = True
    host: str | None = None
    for number, line in enumerate(lines, start=1):
        if _COMMAND.match(line):
            first_of_block, host = True, prompt_host(lines, number)
            continue
        listed = _NAMESERVER.match(line)
        if listed is None:
            continue
        address = listed.group("address")
        if first_of_block and address in silent:
            found.append(
                SnapshotFinding(
                    kind="first_resolver_dead",
                    subject=address,
                    line_start=number,
                    line_end=number,
                    detail=f"the first nameserver, {address}, does not answer",
                    host=host,
                )
            )
        first_of_block = False
    return found


def _silent_resolvers(lines: Sequence[str]) -> set[str]:
    """Return the addresses a query in the text timed out against."""
    silent: set[str] = set()
    asked: str | None = None
    for line in lines:
        if _COMMAND.match(line):
            at = _DIG_AT.search(line)
            asked = at.group("address") if at else None
        timed_out = _TIMED_OUT_TO.search(line)
        if timed_out is not None:
            silent.add(timed_out.group("address"))
        elif asked is not None and _NO_SERVERS.search(line):
            silent.add(asked)
    return silent
