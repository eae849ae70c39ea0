"""A firewall listing that lets DNS in over UDP only, where answers fall back to TCP.

A DNS answer too big for UDP (many records, DNSSEC) comes back truncated (the `tc` flag)
and the client asks again over TCP port 53. A hardened ruleset that accepts only
`udp dport 53` before dropping the rest answers small names and silently loses the big
ones: `dig` says `Truncated, retrying in TCP mode.` and then times out. The listing of the
host's input chain (`nft list ...`, `iptables -S`/`-L`), run on that host, shows it.
"""

import re
from collections.abc import Sequence

from faultmaven.snapshots.finding import SnapshotFinding
from faultmaven.snapshots.prompt import command_output, is_command_line, prompt_host

_LISTING = re.compile(r"\b(?:nft\s+(?:-\S+\s+)*list|iptables(?:-save)?\b(?:\s+-\S+)*\s+-[SL])")
_DROPS_THE_REST = re.compile(r"(?i)\bpolicy\s+drop\b|^-P INPUT DROP|\s-j DROP\s*$|\bdrop\s*$")
# `udp dport 53 accept`, `udp dport { 53, 123 } accept`, `-p udp --dport 53 -j ACCEPT`.
_ACCEPTS_DNS = re.compile(
    r"\b(?P<proto>tcp|udp)\s+dport\s+(?:\{[^}]*\b53\b[^}]*\}|53\b)[^\n]*\baccept\b"
    r"|-p\s+(?P<proto2>tcp|udp)\b[^\n]*--dport\s+53\b[^\n]*-j\s+ACCEPT",
)
_FALLBACK = re.compile(r"Truncated, retrying in TCP mode")


def dns_over_tcp_findings(lines: Sequence[str]) -> list[SnapshotFinding]:
    """Return each input-chain listing that accepts DNS over UDP but drops it over TCP."""
    found: list[SnapshotFinding] = []
    for number, line in enumerate(lines, start=1):
        if not (is_command_line(line) and _LISTING.search(line)):
            continue
        output = command_output(lines, number)
        if not any(_DROPS_THE_REST.search(text) for _, text in output):
            continue
        accepted = {
            _protocol(match): n for n, text in output if (match := _ACCEPTS_DNS.search(text))
        }
        if "udp" not in accepted or "tcp" in accepted:
            continue
        detail = (
            "the input chain accepts DNS over UDP only and drops the rest: TCP port 53 is refused"
        )
        shown, host = accepted["udp"], prompt_host(lines, number)
        found.append(SnapshotFinding("dns_tcp_blocked", "53/tcp", shown, shown, detail, host))
    if found:
        fallback = next((n for n, text in enumerate(lines, 1) if _FALLBACK.search(text)), None)
        if fallback is not None:
            detail = "a truncated answer's retry over TCP port 53 timed out"
            found.append(
                SnapshotFinding(
                    "dns_tcp_blocked", "53/tcp", fallback, fallback, detail, found[0].host
                )
            )
    return found


def _protocol(match: re.Match[str]) -> str:
    return match["proto"] or match["proto2"]
