"""`getent hosts` against `dig`: a name pinned in /etc/hosts to an address DNS no longer gives.

A line added to /etc/hosts during some outage outlives it: the host keeps resolving the
name to the old address (a database's former primary, a decommissioned load balancer)
while DNS and every other host moved on. `getent hosts NAME` shows what the host's own
resolver answers (files first); `dig +short NAME` (or `host`, `nslookup`) what DNS does.
When they differ on one host, that host's resolution is the cause. A pin in a CoreDNS
Corefile's `hosts { ... }` block is the cluster resolver's: every pod gets the old address.
"""

import re
from collections.abc import Sequence

from faultmaven.snapshots.finding import SnapshotFinding
from faultmaven.snapshots.prompt import command_output, is_command_line, prompt_host

_GETENT = re.compile(r"\bgetent\s+(?:ahosts|ahostsv4|hosts)\s+(?P<name>[\w.-]+)\s*$")
_DNS_QUERY = re.compile(
    r"\b(?:dig\s+(?:[+@]\S+\s+)*(?P<dig>[\w.-]+)(?:\s+[+@]\S+)*|host\s+(?P<host>[\w.-]+)"
    r"|nslookup\s+(?P<nslookup>[\w.-]+))(?:\s+@?[\d.:]+)?\s*$"
)
# A Corefile's hosts plugin block, and the resolver it belongs to.
_COREFILE_HOSTS = re.compile(r"^\s*hosts(?:\s+\S+)*\s*\{\s*$")
_BLOCK_LINES = 12
CLUSTER_RESOLVER = "coredns"
_ADDRESS = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d{1,3}){3})(?![\d.])")


def hosts_pin_findings(lines: Sequence[str]) -> list[SnapshotFinding]:
    """Return each name a host resolves, from its own files, to an address DNS does not give."""
    resolved: dict[tuple[str | None, str], tuple[int, set[str]]] = {}
    answered: dict[tuple[str | None, str], set[str]] = {}
    for number, line in enumerate(lines, start=1):
        if not is_command_line(line):
            continue
        host = prompt_host(lines, number)
        output = command_output(lines, number)
        getent = _GETENT.search(line)
        if getent and output:
            first, addresses = output[0][0], {a for _, text in output for a in _addresses(text)}
            resolved[(host, getent["name"].lower())] = (first, addresses)
            continue
        query = _DNS_QUERY.search(line)
        if query:
            name = (query["dig"] or query["host"] or query["nslookup"]).lower()
            answers = {address for _, text in output for address in _addresses(text)}
            answered.setdefault((host, name), set()).update(answers)
    found = []
    for (host, name), (shown, addresses) in resolved.items():
        dns = answered.get((host, name))
        if not dns or not addresses or addresses & dns:
            continue
        detail = (
            f"{host or 'this host'} resolves {name} to {', '.join(sorted(addresses))} from its"
            f" own files, DNS answers {', '.join(sorted(dns))}"
        )
        pinning = [n for n in _pinning_lines(lines, name, addresses) if n != shown][:1]
        if pinning and _in_corefile_hosts_block(lines, pinning[0]):
            host = CLUSTER_RESOLVER
            detail = f"CoreDNS's hosts block answers {name} with {', '.join(sorted(addresses))}"
            detail += f", DNS answers {', '.join(sorted(dns))}"
        found.append(SnapshotFinding("hosts_file_pin", name, shown, shown, detail, host))
        found += [
            SnapshotFinding("hosts_file_pin", name, pinned, pinned, detail, host)
            for pinned in pinning
        ]
    return found


def _addresses(text: str) -> list[str]:
    return _ADDRESS.findall(text)


def _pinning_lines(lines: Sequence[str], name: str, addresses: set[str]) -> list[int]:
    """Return the lines that look like the /etc/hosts entry pinning `name` to `addresses`."""
    pinned = "|".join(map(re.escape, addresses))
    entry = re.compile(rf"(?:^|[\s:])(?:{pinned})\s+.*\b{re.escape(name)}\b")
    return [
        number
        for number, text in enumerate(lines, start=1)
        if entry.search(text) and not is_command_line(text) and "/etc/hosts" not in text
    ]


def _in_corefile_hosts_block(lines: Sequence[str], number: int) -> bool:
    """Tell whether 1-based line `number` sits inside a Corefile's `hosts { ... }` block."""
    for index in range(number - 2, max(number - 2 - _BLOCK_LINES, -1), -1):
        text = lines[index]
        if _COREFILE_HOSTS.match(text):
            return True
        if "}" in text or "{" in text:
            return False
    return False
