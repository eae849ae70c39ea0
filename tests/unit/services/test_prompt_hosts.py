"""Pasted lines of chosen signatures take the host their shell prompt names."""

from faultmaven.domain.evidence import AnalysedLine, Level
from faultmaven.services.pasted_texts import with_prompt_hosts

PASTED = [
    "ops@wh-k8s-w07:~$ sudo openssl x509 -in kubelet-client-current.pem -noout -dates",
    "notBefore=Jun 14 03:21:51 2025 GMT",
    "notAfter=Jun 14 03:26:51 2026 GMT",
]


def _line(evidence_id: str, n: int, signature: str | None) -> AnalysedLine:
    return AnalysedLine(
        evidence_id=evidence_id,
        evidence_name="node-checks.txt",
        n=n,
        text=PASTED[n - 1],
        time=None,
        level=Level.INFO,
        group="g",
        signature=signature,
    )


def test_a_certificate_date_pasted_under_a_prompt_is_that_hosts() -> None:
    lines = [_line("e1", 3, "certificate_validity"), _line("e1", 2, None), _line("e2", 3, None)]
    placed = with_prompt_hosts(lines, {"e1": PASTED}, {"certificate_validity"})
    assert [line.host for line in placed] == ["wh-k8s-w07", None, None]
    assert with_prompt_hosts(lines, {}, {"certificate_validity"}) == lines
