"""TLS failures that begin as a server's announced certificate ends belong to that server."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from faultmaven.domain.diagnosis import Category
from faultmaven.domain.evidence import AnalysedLine, EvidenceKind, EvidenceSummary, Level
from faultmaven.reasoning import reason
from faultmaven.reasoning.certificates import (
    CERTIFICATE_SIGNATURE,
    CERTIFICATE_VALIDITY,
    certificates_of,
    rejects_own_certificate,
)
from faultmaven.reasoning.ranking import component_from_evidence_name
from faultmaven.reasoning.signatures import SIGNATURES_BY_ID

START = datetime(2026, 11, 25, 19, 30, tzinfo=UTC)
ANNOUNCED = (
    "2026-11-25 19:30:15,678 INFO [payments-gateway] TLS enabled with server.pem (subject"
    " CN=payments-gateway, issuer CN=Shop Internal CA 2025, notAfter=Nov 25 19:35:29 2026 GMT)"
)


def _line(name: str, n: int, text: str, seconds: int, signature: str | None) -> AnalysedLine:
    return AnalysedLine(
        evidence_id=f"ev-{name}",
        evidence_name=f"{name}.log",
        n=n,
        text=text,
        time=START + timedelta(seconds=seconds),
        level=Level.INFO if signature == CERTIFICATE_VALIDITY else Level.ERROR,
        group=text[24:60],
        signature=signature,
    )


def _summary(name: str) -> EvidenceSummary:
    return EvidenceSummary(
        evidence_id=f"ev-{name}",
        evidence_name=f"{name}.log",
        kind=EvidenceKind.LOG,
        line_count=900,
        problem_line_count=20,
        first_time=START,
        last_time=START + timedelta(minutes=30),
        group_counts={},
    )


def test_a_certificate_validity_line_is_read_with_its_owner_and_end() -> None:
    assert CERTIFICATE_SIGNATURE.matches(ANNOUNCED)
    [certificate] = certificates_of(
        [_line("payments", 1, ANNOUNCED, 15, CERTIFICATE_VALIDITY)], component_from_evidence_name
    )
    assert certificate.owner == "payments-gateway"
    assert certificate.not_after == datetime(2026, 11, 25, 19, 35, 29, tzinfo=UTC)


def test_a_certificate_date_without_a_subject_is_the_prompts_hosts() -> None:
    """`openssl x509 -dates` run at `ops@wh-k8s-w07` shows that node's certificate."""
    pasted = _line("node-checks", 48, "notAfter=Jun 14 03:26:51 2026 GMT", 0, CERTIFICATE_VALIDITY)
    on_host = replace(pasted, time=None, host="wh-k8s-w07")
    [certificate] = certificates_of([on_host], component_from_evidence_name)
    assert certificate.owner == "wh-k8s-w07"
    [unplaced] = certificates_of([pasted], component_from_evidence_name)
    assert unplaced.owner == "node-checks"


def test_tls_failures_starting_as_a_certificate_ends_are_placed_at_its_server() -> None:
    failures = [
        _line(
            "checkout-api",
            900 + i,
            f"ERROR [checkout-api] unhandled error {i}",
            329 + i,
            "tls_error",
        )
        for i in range(6)
    ]
    lines = [_line("payments", 1, ANNOUNCED, 15, CERTIFICATE_VALIDITY), *failures]
    signatures = {**SIGNATURES_BY_ID, CERTIFICATE_VALIDITY: CERTIFICATE_SIGNATURE}
    draft = reason(lines, [_summary("checkout-api"), _summary("payments")], signatures=signatures)
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.TLS, "payments-gateway")
    assert ("payments.log", 1) in {(c.evidence_name, c.line_start) for c in top.citations}
    assert all(h.title != "Certificate validity" for h in draft.hypotheses)


def test_a_certificate_that_ended_long_before_the_failures_is_not_blamed() -> None:
    old = ANNOUNCED.replace("notAfter=Nov 25 19:35:29 2026", "notAfter=Nov 20 19:35:29 2026")
    failures = [
        _line(
            "checkout-api",
            900 + i,
            f"ERROR [checkout-api] handshake failed {i}",
            329 + i,
            "tls_error",
        )
        for i in range(6)
    ]
    lines = [_line("payments", 1, old, 15, CERTIFICATE_VALIDITY), *failures]
    signatures = {**SIGNATURES_BY_ID, CERTIFICATE_VALIDITY: CERTIFICATE_SIGNATURE}
    draft = reason(lines, [_summary("checkout-api"), _summary("payments")], signatures=signatures)
    assert draft.hypotheses[0].component == "checkout-api"


CLIENT_CERTIFICATE = (
    "2026-11-25 19:30:15,678 INFO [payout-worker] loaded client certificate client.crt"
    " subject=CN=payout-worker.acme, notAfter=2026-11-25T19:35:00Z"
)


def test_a_peer_rejecting_the_reporters_expired_client_certificate_keeps_it_at_the_reporter() -> (
    None
):
    rejected = (
        'payout failed: Post "https://api.gw.bank.example/v3/payouts": remote error: tls:'
        " expired certificate"
    )
    assert rejects_own_certificate(rejected)
    failures = [
        _line("payout-worker", 900 + i, f"{rejected} ({i})", 329 + i, "tls_error") for i in range(6)
    ]
    lines = [
        _line("payout-worker", 1, CLIENT_CERTIFICATE, 15, CERTIFICATE_VALIDITY),
        _line("payments", 1, ANNOUNCED, 15, CERTIFICATE_VALIDITY),
        *failures,
    ]
    signatures = {**SIGNATURES_BY_ID, CERTIFICATE_VALIDITY: CERTIFICATE_SIGNATURE}
    draft = reason(lines, [_summary("payout-worker"), _summary("payments")], signatures=signatures)
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.TLS, "payout-worker")
    assert ("payout-worker.log", 1) in {(c.evidence_name, c.line_start) for c in top.citations}


def test_a_local_verification_failure_is_not_the_reporters_own_certificate() -> None:
    assert not rejects_own_certificate("x509: certificate has expired or is not yet valid")
    assert rejects_own_certificate("SSL routines:ssl3_read_bytes:sslv3 alert certificate expired")
