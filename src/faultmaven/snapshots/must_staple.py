"""A Must-Staple certificate served without a stapled OCSP response (`openssl`).

A certificate carrying the TLS Feature extension `status_request` (OCSP Must-Staple,
requested at renewal with `--must-staple` or `must_staple = True`) promises that the server
staples a fresh OCSP response to every handshake. A server that staples nothing (HAProxy or
nginx without OCSP stapling set up) then fails browsers that enforce the promise (Firefox:
MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING) while clients that ignore it (Chrome,
curl) pass. The reader reports `openssl s_client -status` saying no response was sent,
when the same text shows the certificate's `status_request` feature.
"""

import re
from collections.abc import Sequence

from faultmaven.snapshots.finding import SnapshotFinding

_TLS_FEATURE = re.compile(r"^\s*TLS Feature:\s*(?P<rest>.*)$")
_STATUS_REQUEST = re.compile(r"\bstatus_request\b")
_NOT_STAPLED = re.compile(r"^\s*OCSP response:\s*no response sent\s*$")


def must_staple_findings(lines: Sequence[str]) -> list[SnapshotFinding]:
    """Return each unstapled handshake of a server whose certificate requires stapling."""
    if not _requires_stapling(lines):
        return []
    return [
        SnapshotFinding(
            kind="must_staple_unstapled",
            subject="",
            line_start=number,
            line_end=number,
            detail="the certificate requires OCSP stapling (Must-Staple); the server sent none",
        )
        for number, line in enumerate(lines, start=1)
        if _NOT_STAPLED.match(line)
    ]


def _requires_stapling(lines: Sequence[str]) -> bool:
    """Tell whether the text shows a certificate with the `status_request` TLS feature."""
    for index, line in enumerate(lines):
        feature = _TLS_FEATURE.match(line)
        if feature is None:
            continue
        following = [feature.group("rest"), *lines[index + 1 : index + 3]]
        if any(_STATUS_REQUEST.search(text) for text in following):
            return True
    return False
