"""A certificate naming its host only in the Common Name, read from `openssl x509 -text`.

Clients stopped matching a host name against a certificate's Common Name years ago (Go
since 1.15: "x509: certificate relies on legacy Common Name field, use SANs instead";
browsers before that): only the Subject Alternative Name extension counts. A certificate
renewed by hand with `-subj "/CN=host"` and no SAN is refused by every such client. The
reader reports the Subject line of a certificate whose listed extensions hold no SAN, at
the host `openssl s_client -connect` reached, else the one the prompt names.
"""

import re
from collections.abc import Sequence

from faultmaven.snapshots.finding import SnapshotFinding

_CERTIFICATE = re.compile(r"^\s*Certificate:\s*$")
_SUBJECT = re.compile(r"^\s*Subject:.*\bCN\s*=\s*(?P<name>[\w*.-]+)")
_EXTENSIONS = re.compile(r"^\s*X509v3 extensions:\s*$")
_SAN = re.compile(r"^\s*X509v3 Subject Alternative Name:")
# The signature after the extensions closes their list: nothing was cut off.
_SIGNATURE = re.compile(r"^\s*Signature Algorithm:")
_CONNECT = re.compile(r"\bs_client\b.*?-connect\s+(?P<host>[A-Za-z0-9][\w.-]*?)(?::\d+)?(?:\s|$)")
_COMMAND = re.compile(r"^\S*[$#]\s+\S")


def certificate_name_findings(lines: Sequence[str]) -> list[SnapshotFinding]:
    """Return each certificate shown whole whose extensions name no Subject Alternative Name."""
    found: list[SnapshotFinding] = []
    connected: str | None = None
    subject: tuple[int, str] | None = None
    in_extensions = has_san = False
    for number, line in enumerate(lines, start=1):
        if _COMMAND.match(line):
            target = _CONNECT.search(line)
            connected = target.group("host") if target else None
        if _CERTIFICATE.match(line):
            subject, in_extensions, has_san = None, False, False
        elif (named := _SUBJECT.match(line)) is not None and subject is None:
            subject = (number, named.group("name"))
        elif _EXTENSIONS.match(line):
            in_extensions = True
        elif _SAN.match(line):
            has_san = True
        elif _SIGNATURE.match(line) and in_extensions:
            if subject is not None and not has_san:
                found.append(_finding(subject, connected))
            subject, in_extensions = None, False
    return found


def _finding(subject: tuple[int, str], connected: str | None) -> SnapshotFinding:
    number, name = subject
    return SnapshotFinding(
        kind="certificate_without_san",
        subject=name,
        line_start=number,
        line_end=number,
        detail=f"the certificate for {name} names it only as its Common Name (no SAN)",
        host=connected,
    )
