"""A Must-Staple certificate served without a stapled OCSP response, read from openssl output."""

from faultmaven.snapshots import read_snapshots

OPENSSL = """[root@lb-edge-1 ~]# openssl x509 -in cert.pem -noout -subject -ext tlsfeature
subject=CN = shop.example
TLS Feature:
    status_request
[root@lb-edge-1 ~]# echo | openssl s_client -connect shop.example:443 -status | grep OCSP
OCSP response: no response sent""".splitlines()


def _found(lines: list[str]) -> list[tuple[int, str | None]]:
    return [
        (finding.line_start, finding.host)
        for finding in read_snapshots(lines)
        if finding.kind == "must_staple_unstapled"
    ]


def test_no_staple_for_a_must_staple_certificate_is_read_at_the_prompts_host() -> None:
    assert _found(OPENSSL) == [(6, "lb-edge-1")]


def test_no_staple_is_normal_for_a_certificate_that_does_not_require_one() -> None:
    assert _found([line for line in OPENSSL if "status_request" not in line]) == []
