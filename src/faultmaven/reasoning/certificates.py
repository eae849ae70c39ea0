"""An expired certificate's owner: the server whose announced validity ended before the errors.

"certificate verify failed: certificate has expired" is written by the client and names no
peer; but servers often log the certificate they serve at start-up ("TLS enabled with
server.pem (subject CN=payments-gateway, ... notAfter=Nov 25 19:35:29 2026 GMT)"), and
operators paste `openssl x509 -dates`. A certificate of the case whose end date falls
shortly before a client's TLS failures began is the one that expired: the failure is
placed there (the client's line may not say why: a stack trace's head names no cause).
When the peer's alert says it rejected this side's own certificate (`remote error: tls:
expired certificate`, a client certificate of mutual TLS), the failure stays with its
reporter and cites the reporter's certificate that ended.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from faultmaven.domain.diagnosis import Category
from faultmaven.domain.evidence import AnalysedLine
from faultmaven.reasoning.candidates import LATEST, Candidate, ComponentFinder
from faultmaven.reasoning.peers import service_of_host
from faultmaven.reasoning.signatures import Signature

CERTIFICATE_VALIDITY = "certificate_validity"
# Not a failure: matched at question time on the case's templates and their lines (start-up
# lines are INFO), then read as a fact of the case rather than ranked as a cause.
CERTIFICATE_SIGNATURE = Signature(
    id=CERTIFICATE_VALIDITY,
    title="Certificate validity",
    category=Category.TLS,
    statement="{component} serves a certificate whose validity ends at the date it states.",
    patterns=(re.compile(r"(?i)\bnot ?after\s*[=:]"),),
    next_steps=(
        (
            "Check when {component}'s certificate expires",
            "A certificate past its end date fails every client's verification",
            "openssl x509 -noout -subject -dates -in <certificate>",
        ),
    ),
    weight=0.0,
    causal_rank=5,
    keywords=("notafter", "not after"),
)

# Clocks of client and server differ a little; an expiry this close after the first error counts.
CLOCK_SLACK = timedelta(seconds=5)
# TLS failures that begin within this time after a certificate's end are its expiry (a
# certificate that ended long before would have failed its clients long before).
EXPIRY_WINDOW = timedelta(hours=24)
_NOT_AFTER = re.compile(
    r"(?i)\bnot ?after\s*[=:]\s*(?:(?P<text>[A-Z][a-z]{2}\s+\d{1,2}\s+\d{2}:\d{2}:\d{2}\s+\d{4})"
    r"|(?P<iso>\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}))"
)
_SUBJECT = re.compile(r"\bCN\s*=\s*([A-Za-z0-9*][A-Za-z0-9.*-]*)")
# The peer's TLS alert about the certificate this side presented (Go's `remote error: tls:
# expired certificate`, OpenSSL's `sslv3 alert certificate expired`).
_OWN_CERTIFICATE_REJECTED = re.compile(
    r"remote error: tls: (?:expired certificate|bad certificate|certificate required"
    r"|unknown certificate authority|revoked certificate|unsupported certificate)"
    r"|sslv3 alert certificate expired|tlsv1 alert (?:certificate required|unknown ca)",
    re.IGNORECASE,
)


def rejects_own_certificate(text: str) -> bool:
    """Tell whether a line reports the peer rejecting the certificate this side presented."""
    return bool(_OWN_CERTIFICATE_REJECTED.search(text))


@dataclass(frozen=True)
class Certificate:
    """A certificate the case shows: whose it is, when it ends, and the line that says so."""

    owner: str
    not_after: datetime
    line: AnalysedLine


def certificates_of(
    lines: Sequence[AnalysedLine], component_of: ComponentFinder
) -> list[Certificate]:
    """Return the certificates whose validity the case's lines state."""
    found: list[Certificate] = []
    for line in lines:
        if line.signature != CERTIFICATE_VALIDITY:
            continue
        ends = _not_after(line.text)
        subject = _SUBJECT.search(line.text)
        owner = service_of_host(subject.group(1)) if subject else None
        owner = owner or line.component or line.host or component_of(line.evidence_name, line.text)
        if ends is not None and owner:
            found.append(Certificate(owner, ends, line))
    return found


def _not_after(text: str) -> datetime | None:
    match = _NOT_AFTER.search(text)
    if match is None:
        return None
    try:
        if match["text"]:
            spaced = " ".join(match["text"].split())
            return datetime.strptime(spaced, "%b %d %H:%M:%S %Y").replace(tzinfo=UTC)
        return datetime.fromisoformat(match["iso"].replace(" ", "T")).replace(tzinfo=UTC)
    except ValueError:
        return None


def place_expired_certificates(
    candidates: list[Candidate], certificates: Sequence[Certificate]
) -> None:
    """Place a client's "certificate has expired" at the server whose certificate had ended.

    A failure the peer's alert blames on the reporter's own certificate keeps its place and
    cites the reporter's certificate that ended.
    """
    for failure in candidates:
        signature = failure.signature
        # Only a failure still at its reporter (a peer the line names keeps it).
        if signature is None or failure.component != failure.reporter:
            continue
        own = any(rejects_own_certificate(line.text) for line in failure.lines)
        if not (signature.id == "tls_error" or (own and signature.category is Category.TLS)):
            continue
        began = failure.onset_key[0]
        if began == LATEST:
            continue
        ended = [
            certificate
            for certificate in certificates
            if (certificate.owner == failure.component) == own
            and began - EXPIRY_WINDOW <= certificate.not_after <= began + CLOCK_SLACK
        ]
        if not ended:
            continue
        latest = max(ended, key=lambda certificate: certificate.not_after)
        if not own:
            failure.place_at(latest.owner)
        failure.folded.insert(0, _cited(latest))


def _cited(certificate: Certificate) -> Candidate:
    """Wrap the certificate's line so the hypothesis cites it."""
    line = certificate.line
    return Candidate(
        id=f"certificate-{line.evidence_id}-{line.n}",
        signature=None,
        component=certificate.owner,
        group=line.group,
        lines=[line],
        keys=[(line.time or LATEST, 0, line.n)],
    )
