"""`openssl s_client` run from several hosts: a handshake that fails on one host only.

The same endpoint verified from two hosts, `Verify return code: 0 (ok)` on one and
`20 (unable to get local issuer certificate)` on the other, says the server's chain is
fine and the failing host's trust store (an old CA bundle) lacks its issuer. A handshake
the failing host's OpenSSL aborts itself (`SSL routines:...:dh key too small`, `unsupported
protocol`) where another host's completes says that host's TLS settings (crypto policy,
minimum protocol, library version) refuse what the server offers.
"""

import re
from collections.abc import Sequence

from faultmaven.snapshots.finding import SnapshotFinding
from faultmaven.snapshots.prompt import prompt_host

_CONNECT = re.compile(r"openssl\s+s_client\b.*?-connect\s+([\w.-]+(?::\d+)?)")
_VERIFY = re.compile(r"Verify return code:\s*(\d+)\s*\(([^)]*)\)")
# `verify error:num=20:unable to get local issuer certificate`: where the failure shows first.
_VERIFY_ERROR = re.compile(r"^\s*verify error:num=\d+")
# OpenSSL's own error line: `40F7...:error:0A00018A:SSL routines:func:dh key too small:...`.
_SSL_ERROR = re.compile(r":error:[0-9A-F]+:SSL routines:[^:]*:([^:]+):")
# What a run that failed its handshake locally is recorded with, instead of a verify code.
HANDSHAKE_FAILED = -1


def tls_verify_findings(lines: Sequence[str]) -> list[SnapshotFinding]:
    """Return each host whose verification of an endpoint fails where another host's passes."""
    results = _results(lines)
    passed = {endpoint for _, endpoint, code, _, _ in results if code == 0}
    found = []
    for host, endpoint, code, reason, line in results:
        if code == 0 or endpoint not in passed:
            continue
        handshake = code == HANDSHAKE_FAILED
        found.append(
            SnapshotFinding(
                kind="tls_settings_refuse" if handshake else "trust_store_outdated",
                subject=endpoint,
                line_start=line,
                line_end=line,
                detail=f"{endpoint} fails {'the handshake' if handshake else 'verification'}"
                f" on {host} ({reason}) but passes elsewhere",
                host=host,
            )
        )
    return found


def _results(lines: Sequence[str]) -> list[tuple[str, str, int, str, int]]:
    """Return (host, endpoint, code, reason, 1-based line) of each verification printed.

    The line is the first `verify error` of the run when it printed one, else its result.
    A run whose OpenSSL aborted the handshake is recorded with `HANDSHAKE_FAILED` at its
    error line, whatever verification it printed before.
    """
    found = []
    endpoint: str | None = None
    host: str | None = None
    first_error: int | None = None
    for number, line in enumerate(lines, start=1):
        connect = _CONNECT.search(line)
        if connect:
            endpoint, host = connect.group(1), prompt_host(lines, number + 1)
            first_error = None
            continue
        if first_error is None and _VERIFY_ERROR.match(line):
            first_error = number
        aborted = _SSL_ERROR.search(line)
        if aborted and endpoint and host:
            found.append((host, endpoint, HANDSHAKE_FAILED, aborted.group(1), number))
            endpoint = None
            continue
        verify = _VERIFY.search(line)
        if verify and endpoint and host:
            code = int(verify.group(1))
            line_number = first_error if code != 0 and first_error else number
            found.append((host, endpoint, code, verify.group(2), line_number))
            endpoint = None
    return found
