"""A certificate naming its host only in the Common Name, read from `openssl x509 -text`."""

from faultmaven.snapshots import read_snapshots

CERTIFICATE = """$ openssl s_client -connect rates-gw-01:443 | openssl x509 -text
Certificate:
    Data:
        Signature Algorithm: sha256WithRSAEncryption
        Subject: CN = rates.internal
        X509v3 extensions:
            X509v3 Basic Constraints: critical
                CA:FALSE
    Signature Algorithm: sha256WithRSAEncryption"""


def _without_san(text: str) -> list[tuple[int, str, str | None]]:
    return [
        (finding.line_start, finding.subject, finding.host)
        for finding in read_snapshots(text.splitlines())
        if finding.kind == "certificate_without_san"
    ]


def test_a_certificate_without_san_is_read_at_the_host_openssl_connected_to() -> None:
    assert _without_san(CERTIFICATE) == [(5, "rates.internal", "rates-gw-01")]


def test_a_certificate_with_a_san_is_no_finding() -> None:
    with_san = CERTIFICATE.replace(
        "                CA:FALSE",
        "                CA:FALSE\n            X509v3 Subject Alternative Name:\n"
        "                DNS:rates.internal",
    )
    assert _without_san(with_san) == []


def test_a_certificate_cut_off_inside_its_extensions_is_no_finding() -> None:
    cut = "\n".join(CERTIFICATE.splitlines()[:-1])
    assert _without_san(cut) == []
