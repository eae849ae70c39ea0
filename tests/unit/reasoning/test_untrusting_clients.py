"""A client failing TLS with several servers at once lacks their issuer: the failure is its own."""

from datetime import UTC, datetime, timedelta

from faultmaven.domain.evidence import AnalysedLine, Level
from faultmaven.reasoning.candidates import Candidate
from faultmaven.reasoning.signatures import SIGNATURES_BY_ID
from faultmaven.reasoning.untrusting_clients import place_untrusting_clients

AT = datetime(2026, 8, 25, 8, 41, tzinfo=UTC)
TLS = SIGNATURES_BY_ID["tls_error"]


def _failure(server: str, seconds: int, text: str) -> Candidate:
    line = AnalysedLine(
        evidence_id="ev-claims",
        evidence_name="claims-api/app.log",
        n=seconds,
        text=text.format(server=server),
        time=AT + timedelta(seconds=seconds),
        level=Level.ERROR,
        group="g",
        signature="tls_error",
    )
    time = AT + timedelta(seconds=seconds)
    return Candidate(
        f"c-{server}", TLS, server, "g", [line], [(time, 0, seconds)], reporter="claims-api"
    )


CALL = "POST /api/v1/claims failed calling https://{server}.korvo.internal/v2/x: I/O error"


def test_failures_at_two_servers_are_the_clients_one_failure() -> None:
    policy, docs = _failure("policy-svc", 80, CALL), _failure("docs-svc", 5, CALL)
    kept = place_untrusting_clients([policy, docs])
    assert kept == [docs]
    assert docs.component == "claims-api"
    assert policy in docs.folded
    assert set(docs.also_in) >= {"docs-svc", "policy-svc"}


def test_failures_at_one_server_stay_there() -> None:
    first, again = _failure("policy-svc", 5, CALL), _failure("policy-svc", 90, CALL)
    kept = place_untrusting_clients([first, again])
    assert [c.component for c in kept] == ["policy-svc", "policy-svc"]


def test_expired_certificates_at_two_servers_stay_with_the_servers() -> None:
    expired = "calling https://{server}.korvo.internal: x509: certificate has expired"
    policy, docs = _failure("policy-svc", 80, expired), _failure("docs-svc", 5, expired)
    kept = place_untrusting_clients([policy, docs])
    assert {c.component for c in kept} == {"policy-svc", "docs-svc"}
